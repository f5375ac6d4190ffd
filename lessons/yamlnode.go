package lessons

import (
	"errors"
	"fmt"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// decoder walks a YAML syntax tree strictly, collecting every problem with
// its line in the lesson file instead of stopping at the first. Walking the
// tree (rather than decoding into structs) lets errors name the step, the
// check and the key, and suggest the key that was probably meant.
type decoder struct {
	file string
	// lineOffset turns a line inside the YAML snippet into a line of the file.
	lineOffset int
	probs      *Problems
}

// field is one key of a mapping.
type field struct {
	key   string
	line  int
	value ast.Node
}

func (d *decoder) add(line int, ctx, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if ctx != "" {
		msg = ctx + ": " + msg
	}
	*d.probs = append(*d.probs, Problem{File: d.file, Line: line, Msg: msg})
}

// line returns the file line of n.
func (d *decoder) line(n ast.Node) int {
	if n == nil {
		return d.lineOffset
	}
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return d.lineOffset
	}
	return tk.Position.Line + d.lineOffset - 1
}

// parse parses src as a single YAML document and returns its root node
// (nil for an empty document).
func (d *decoder) parse(src []byte, ctx string) (ast.Node, bool) {
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		line, msg := d.lineOffset, err.Error()
		var ye interface {
			GetToken() *token.Token
			GetMessage() string
		}
		if errors.As(err, &ye) {
			msg = ye.GetMessage()
			if tk := ye.GetToken(); tk != nil && tk.Position != nil {
				line = tk.Position.Line + d.lineOffset - 1
			}
		}
		if strings.Contains(msg, "mapping value is not allowed") {
			msg += ` (quote a value that contains ": ")`
		}
		d.add(line, ctx, "invalid YAML: %s", msg)
		return nil, false
	}
	if len(f.Docs) > 1 {
		d.add(d.line(f.Docs[1].Body), ctx, "only one YAML document is allowed")
		return nil, false
	}
	if len(f.Docs) == 0 || f.Docs[0].Body == nil {
		return nil, true
	}
	return d.unwrap(f.Docs[0].Body, ctx), true
}

// unwrap strips tags, anchors and comments, and rejects aliases.
func (d *decoder) unwrap(n ast.Node, ctx string) ast.Node {
	for n != nil {
		switch v := n.(type) {
		case *ast.TagNode:
			n = v.Value
		case *ast.AnchorNode:
			n = v.Value
		case *ast.CommentGroupNode:
			return nil
		case *ast.AliasNode:
			d.add(d.line(n), ctx, "YAML aliases are not supported; repeat the value")
			return nil
		default:
			return n
		}
	}
	return nil
}

func isNull(n ast.Node) bool {
	if n == nil {
		return true
	}
	_, ok := n.(*ast.NullNode)
	return ok
}

// kind names a node's type for error messages.
func kind(n ast.Node) string {
	switch n.(type) {
	case nil, *ast.NullNode:
		return "nothing"
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.StringNode, *ast.LiteralNode:
		return "a string"
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return "a number"
	case *ast.BoolNode:
		return "a boolean"
	default:
		return n.Type().YAMLName()
	}
}

func keyString(k ast.MapKeyNode) string {
	switch v := k.(type) {
	case *ast.StringNode:
		return v.Value
	case *ast.MappingKeyNode:
		if v.Value != nil {
			return v.Value.GetToken().Value
		}
	}
	if tk := k.GetToken(); tk != nil {
		return tk.Value
	}
	return k.String()
}

// mapping returns the fields of a mapping node keyed by name, reporting
// duplicates and keys not in allowed.
func (d *decoder) mapping(n ast.Node, ctx string, allowed ...string) (map[string]field, bool) {
	n = d.unwrap(n, ctx)
	var values []*ast.MappingValueNode
	switch v := n.(type) {
	case *ast.MappingNode:
		values = v.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{v}
	default:
		d.add(d.line(n), ctx, "want a mapping (key: value), got %s", kind(n))
		return nil, false
	}
	out := make(map[string]field, len(values))
	for _, mv := range values {
		k := keyString(mv.Key)
		line := d.line(mv.Key)
		if _, dup := out[k]; dup {
			d.add(line, ctx, "duplicate key %q", k)
			continue
		}
		known := false
		for _, a := range allowed {
			if a == k {
				known = true
				break
			}
		}
		if !known {
			d.add(line, ctx, "unknown key %q%s", k, suggest(k, allowed))
			continue
		}
		out[k] = field{key: k, line: line, value: d.unwrap(mv.Value, ctx)}
	}
	return out, true
}

// str decodes a string field. Numbers and booleans are rejected so that
// `fail: yes` or `id: 007` cannot silently change meaning: quote them.
func (d *decoder) str(f field, ctx string) string {
	switch v := f.value.(type) {
	case *ast.StringNode:
		return v.Value
	case *ast.LiteralNode:
		return v.Value.Value
	}
	if isNull(f.value) {
		d.add(f.line, ctx, "%s: must not be empty", f.key)
		return ""
	}
	d.add(d.line(f.value), ctx, "%s: want a string, got %s (quote it)", f.key, kind(f.value))
	return ""
}

// integer decodes an int field.
func (d *decoder) integer(f field, ctx string) (int, bool) {
	if v, ok := f.value.(*ast.IntegerNode); ok {
		switch i := v.Value.(type) {
		case int64:
			return int(i), true
		case uint64:
			if i < 1<<31 {
				return int(i), true
			}
		}
		d.add(d.line(f.value), ctx, "%s: number %s is too large", f.key, v.GetToken().Value)
		return 0, false
	}
	d.add(d.line(f.value), ctx, "%s: want a whole number, got %s", f.key, kind(f.value))
	return 0, false
}

// list returns the items of a sequence field.
func (d *decoder) list(f field, ctx string) []ast.Node {
	seq, ok := f.value.(*ast.SequenceNode)
	if !ok {
		if isNull(f.value) {
			return nil
		}
		d.add(d.line(f.value), ctx, "%s: want a list, got %s", f.key, kind(f.value))
		return nil
	}
	out := make([]ast.Node, 0, len(seq.Values))
	for _, v := range seq.Values {
		if _, alias := v.(*ast.AliasNode); alias {
			d.unwrap(v, ctx) // reports it
			continue
		}
		out = append(out, d.unwrap(v, ctx))
	}
	return out
}

// strList decodes a list of strings.
func (d *decoder) strList(f field, ctx string) []string {
	items := d.list(f, ctx)
	out := make([]string, 0, len(items))
	for i, it := range items {
		s := d.str(field{key: fmt.Sprintf("%s[%d]", f.key, i+1), line: d.line(it), value: it}, ctx)
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// jsonValue decodes any YAML value into JSON-shaped Go values (nil, bool,
// float64, string, []any, map[string]any), as the runtime compares them
// with decoded JSON output.
func (d *decoder) jsonValue(f field, ctx string) (any, bool) {
	if f.value == nil {
		return nil, true
	}
	var v any
	if err := yaml.NodeToValue(f.value, &v); err != nil {
		d.add(d.line(f.value), ctx, "%s: %v", f.key, err)
		return nil, false
	}
	out, err := toJSON(v)
	if err != nil {
		d.add(d.line(f.value), ctx, "%s: %v", f.key, err)
		return nil, false
	}
	return out, true
}

func toJSON(v any) (any, error) {
	switch x := v.(type) {
	case nil, bool, string, float64:
		return x, nil
	case int:
		return float64(x), nil
	case int64:
		return float64(x), nil
	case uint64:
		return float64(x), nil
	case float32:
		return float64(x), nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			j, err := toJSON(e)
			if err != nil {
				return nil, err
			}
			out[i] = j
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			j, err := toJSON(e)
			if err != nil {
				return nil, err
			}
			out[k] = j
		}
		return out, nil
	default:
		return nil, fmt.Errorf("value of type %T has no JSON equivalent", v)
	}
}

// quoteList renders names as `a, b or c` for messages.
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	if len(q) <= 1 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}
