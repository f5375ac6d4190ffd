package template

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// MaxBodySize is the largest template body CreateStack accepts inline
// (TemplateBody: 51,200 bytes).
const MaxBodySize = 51200

// maxDepth bounds nesting so hostile templates cannot exhaust the stack.
const maxDepth = 200

// maxNodes bounds alias expansion ("billion laughs").
const maxNodes = 200000

// Decode turns a template body (JSON or YAML, short-form tags included) into
// plain values: map[string]any, []any, string, int64, float64, bool and nil.
// Short-form tags become their long form (!Ref X → {"Ref": "X"},
// !GetAtt A.B → {"Fn::GetAtt": ["A", "B"]}).
func Decode(body []byte) (any, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		return decodeJSON(body)
	}
	return decodeYAML(body)
}

func decodeJSON(body []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	v, err := jsonValue(dec, 0)
	if err == nil {
		if _, err2 := dec.Token(); err2 != io.EOF {
			err = errors.New("trailing data")
		}
	}
	if err != nil {
		line, col := lineCol(body, int(dec.InputOffset()))
		return nil, Errorf("Template format error: JSON not well-formed. (line %d, column %d)", line, col)
	}
	return v, nil
}

// jsonValue reads one JSON value token by token, so duplicate keys and
// depth can be checked.
func jsonValue(dec *json.Decoder, depth int) (any, error) {
	if depth > maxDepth {
		return nil, errors.New("too deep")
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			m := map[string]any{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, ok := kt.(string)
				if !ok {
					return nil, errors.New("key is not a string")
				}
				v, err := jsonValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				m[k] = v
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return m, nil
		case '[':
			l := []any{}
			for dec.More() {
				v, err := jsonValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				l = append(l, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return l, nil
		}
		return nil, errors.New("unexpected delimiter")
	case json.Number:
		if i, err := t.Int64(); err == nil {
			return i, nil
		}
		f, err := t.Float64()
		if err != nil || math.IsInf(f, 0) {
			return t.String(), nil
		}
		return f, nil
	default:
		return t, nil // string, bool, nil
	}
}

func lineCol(body []byte, off int) (int, int) {
	if off > len(body) {
		off = len(body)
	}
	line, col := 1, 1
	for _, c := range body[:off] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// shortTags maps YAML short-form tags to their long-form keys.
var shortTags = map[string]string{
	"!Ref": "Ref", "!Condition": "Condition",
	"!GetAtt": "Fn::GetAtt", "!Sub": "Fn::Sub", "!Join": "Fn::Join",
	"!Select": "Fn::Select", "!Split": "Fn::Split", "!If": "Fn::If",
	"!Equals": "Fn::Equals", "!Not": "Fn::Not", "!And": "Fn::And",
	"!Or": "Fn::Or", "!GetAZs": "Fn::GetAZs", "!Base64": "Fn::Base64",
	"!FindInMap": "Fn::FindInMap", "!ImportValue": "Fn::ImportValue",
	"!Cidr": "Fn::Cidr", "!Transform": "Fn::Transform",
	"!ToJsonString": "Fn::ToJsonString", "!Length": "Fn::Length",
}

type yamlDecoder struct {
	anchors map[string]ast.Node
	nodes   int
}

func decodeYAML(body []byte) (v any, err error) {
	defer func() {
		// The YAML library is third-party code; a malformed document must
		// give the learner a template error, never crash the sandbox.
		if r := recover(); r != nil {
			v, err = nil, Errorf("Template format error: YAML not well-formed. (line 1, column 1)")
		}
	}()
	if line, col, deep := tooDeep(body); deep {
		return nil, Errorf("Template format error: YAML not well-formed. (line %d, column %d)", line, col)
	}
	f, perr := parser.ParseBytes(body, 0)
	if perr != nil {
		return nil, yamlError(perr)
	}
	var docs []*ast.DocumentNode
	for _, d := range f.Docs {
		if d != nil && d.Body != nil {
			docs = append(docs, d)
		}
	}
	if len(docs) == 0 {
		return nil, Errorf("Template format error: At least one Resources member must be defined.")
	}
	if len(docs) > 1 {
		return nil, notWellFormed(docs[1].GetToken())
	}
	d := &yamlDecoder{anchors: map[string]ast.Node{}}
	return d.value(docs[0].Body, 0)
}

// tooDeep reports where body nests flow collections ([ {) or same-line
// block sequences ("- - -") deeper than maxDepth. The YAML parser takes time
// that grows faster than linearly with such nesting, so it never sees it;
// no real template comes close. Quoted text and comments are skipped; the
// scan is a guard, not a parser.
func tooDeep(body []byte) (line, col int, deep bool) {
	depth, dashes := 0, 0
	var quote byte
	line, col = 1, 0
	lineStart := true
	for i := 0; i < len(body); i++ {
		c := body[i]
		col++
		if c == '\n' {
			line, col, lineStart, dashes = line+1, 0, true, 0
			if quote == '#' {
				quote = 0
			}
			continue
		}
		switch {
		case quote == '#':
			continue
		case quote != 0:
			if c == quote {
				quote = 0
			}
			continue
		}
		switch c {
		case '\'', '"':
			quote = c
		case '#':
			if i == 0 || body[i-1] == ' ' || body[i-1] == '\t' || body[i-1] == '\n' {
				quote = '#'
			}
		case '[', '{':
			depth++
		case ']', '}':
			if depth > 0 {
				depth--
			}
		case '-':
			if lineStart && (i+1 == len(body) || body[i+1] == ' ') {
				dashes++
			}
		}
		if c != ' ' && c != '\t' && c != '-' {
			lineStart = false
		}
		if depth > maxDepth || dashes > maxDepth {
			return line, col, true
		}
	}
	return 0, 0, false
}

func yamlError(err error) error {
	var ye interface{ GetToken() *token.Token }
	if errors.As(err, &ye) {
		return notWellFormed(ye.GetToken())
	}
	return Errorf("Template format error: YAML not well-formed. (line 1, column 1)")
}

func notWellFormed(tk *token.Token) error {
	line, col := 1, 1
	if tk != nil && tk.Position != nil {
		line, col = tk.Position.Line, tk.Position.Column
	}
	return Errorf("Template format error: YAML not well-formed. (line %d, column %d)", line, col)
}

func (d *yamlDecoder) value(n ast.Node, depth int) (any, error) {
	d.nodes++
	if depth > maxDepth || d.nodes > maxNodes {
		return nil, notWellFormed(n.GetToken())
	}
	switch n := n.(type) {
	case *ast.NullNode:
		return nil, nil
	case *ast.BoolNode:
		return n.Value, nil
	case *ast.IntegerNode:
		switch v := n.Value.(type) {
		case int64:
			return v, nil
		case uint64:
			if v <= math.MaxInt64 {
				return int64(v), nil
			}
		}
		return n.GetToken().Value, nil
	case *ast.FloatNode:
		return n.Value, nil
	case *ast.InfinityNode, *ast.NanNode:
		return n.GetToken().Value, nil
	case *ast.StringNode:
		return n.Value, nil
	case *ast.LiteralNode:
		return n.Value.Value, nil
	case *ast.MappingNode:
		return d.mapping(n.Values, depth)
	case *ast.MappingValueNode:
		return d.mapping([]*ast.MappingValueNode{n}, depth)
	case *ast.SequenceNode:
		l := make([]any, 0, len(n.Values))
		for _, item := range n.Values {
			v, err := d.value(item, depth+1)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
		}
		return l, nil
	case *ast.AnchorNode:
		name := n.Name.GetToken().Value
		d.anchors[name] = n.Value
		return d.value(n.Value, depth+1)
	case *ast.AliasNode:
		target, ok := d.anchors[n.Value.GetToken().Value]
		if !ok {
			return nil, notWellFormed(n.GetToken())
		}
		return d.value(target, depth+1)
	case *ast.TagNode:
		return d.tag(n, depth)
	}
	return nil, notWellFormed(n.GetToken())
}

func (d *yamlDecoder) mapping(values []*ast.MappingValueNode, depth int) (any, error) {
	m := make(map[string]any, len(values))
	for _, mv := range values {
		if mv.Key == nil || mv.Key.IsMergeKey() {
			return nil, notWellFormed(mv.GetToken())
		}
		kv, err := d.value(mv.Key, depth+1)
		if err != nil {
			return nil, err
		}
		key, ok := scalarString(kv)
		if !ok {
			return nil, notWellFormed(mv.Key.GetToken())
		}
		var v any
		if mv.Value != nil {
			if v, err = d.value(mv.Value, depth+1); err != nil {
				return nil, err
			}
		}
		m[key] = v
	}
	return m, nil
}

func (d *yamlDecoder) tag(n *ast.TagNode, depth int) (any, error) {
	name := n.Start.Value
	var v any
	if n.Value != nil {
		var err error
		if v, err = d.value(n.Value, depth+1); err != nil {
			return nil, err
		}
	}
	switch name {
	case "!!str":
		s, _ := scalarString(v)
		return s, nil
	case "!!int", "!!float", "!!bool", "!!null", "!!map", "!!seq":
		return v, nil
	}
	key, ok := shortTags[name]
	if !ok {
		return nil, notWellFormed(n.Start)
	}
	if key == "Fn::GetAtt" {
		if s, ok := v.(string); ok {
			res, attr, found := strings.Cut(s, ".")
			if !found {
				return nil, Errorf("Template error: every Fn::GetAtt object requires two non-empty parameters, the resource name and the resource attribute")
			}
			v = []any{res, attr}
		}
	}
	return map[string]any{key: v}, nil
}

// scalarString renders a scalar the way CloudFormation reads it as text.
func scalarString(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case int64:
		return strconv.FormatInt(v, 10), true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(v), true
	case nil:
		return "", true
	}
	return "", false
}

// Error is a template problem, worded as CloudFormation words it; the
// service returns it as a ValidationError.
type Error struct{ Message string }

// Error returns the message as CloudFormation words it.
func (e *Error) Error() string { return e.Message }

// Errorf builds an *Error.
func Errorf(format string, args ...any) *Error {
	return &Error{Message: fmt.Sprintf(format, args...)}
}
