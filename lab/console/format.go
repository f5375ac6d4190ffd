package console

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	jmespath "github.com/jmespath-community/go-jmespath"
)

// Output formats the AWS CLI v2 supports with --output.
const (
	FormatJSON  = "json"
	FormatText  = "text"
	FormatTable = "table"
	// FormatOff prints nothing (the command's success or error still
	// shows).
	FormatOff = "off"
)

// Format renders an operation's output tree (see toTree) as the AWS CLI v2
// prints it: query is the --query expression ("" for none), format one of
// json, text, table; title is the operation's API name (the table's
// title); width is the terminal width a table must fit.
func Format(tree any, query, format, title string, width int) (string, error) {
	if query != "" {
		var err error
		if tree, err = Search(query, tree); err != nil {
			return "", err
		}
	}
	switch format {
	case FormatJSON, "":
		return formatJSON(tree, query != ""), nil
	case FormatText:
		var b strings.Builder
		formatText(&b, tree, "", nil)
		return b.String(), nil
	case FormatTable:
		return formatTable(tree, title, width), nil
	case FormatOff:
		return "", nil
	}
	return "", fmt.Errorf("unknown output type: %s", format)
}

// Search evaluates a JMESPath expression over a tree. A malformed
// expression is reported as the AWS CLI reports it.
func Search(query string, tree any) (any, error) {
	jp, err := jmespath.Compile(legacyLiterals(query))
	if err != nil {
		return nil, &usageError{fmt.Sprintf("argument --query: Bad value for --query %s: %v", query, err)}
	}
	v, err := jp.Search(tree)
	if err != nil {
		return nil, fmt.Errorf("bad value for --query %s: %w", query, err)
	}
	return v, nil
}

// formatJSON prints like Python's json.dump(indent=4, ensure_ascii=False).
// An operation's empty response prints nothing; a query result is always
// printed, null included.
func formatJSON(v any, queried bool) string {
	if m, ok := v.(map[string]any); ok && len(m) == 0 && !queried {
		return ""
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "    ")
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v) + "\n"
	}
	return b.String()
}

// pyStr renders a scalar as Python's str() does, which is what the CLI's
// text and table formats print.
func pyStr(v any) string {
	switch v := v.(type) {
	case nil:
		return "None"
	case string:
		return v
	case bool:
		if v {
			return "True"
		}
		return "False"
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1e16 {
			return strconv.FormatInt(int64(v), 10)
		}
		return strconv.FormatFloat(v, 'g', -1, 64)
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	}
	return fmt.Sprint(v)
}

func isScalar(v any) bool {
	switch v.(type) {
	case map[string]any, []any:
		return false
	}
	return true
}

// formatText is the CLI's text format: the scalars of each object on one
// tab-separated line (keys sorted), prefixed with the upper-cased key the
// object was found under; nested objects and lists on their own lines.
func formatText(b *strings.Builder, v any, ident string, scalarKeys []string) {
	switch v := v.(type) {
	case map[string]any:
		var scalars []string
		type nested struct {
			key string
			val any
		}
		var more []nested
		if scalarKeys == nil {
			for _, k := range sortedKeys(v) {
				if isScalar(v[k]) {
					scalars = append(scalars, pyStr(v[k]))
				} else {
					more = append(more, nested{k, v[k]})
				}
			}
		} else {
			known := map[string]bool{}
			for _, k := range scalarKeys {
				known[k] = true
				if e, ok := v[k]; ok {
					scalars = append(scalars, pyStr(e))
				} else {
					scalars = append(scalars, "")
				}
			}
			for _, k := range sortedKeys(v) {
				if !known[k] {
					more = append(more, nested{k, v[k]})
				}
			}
		}
		if len(scalars) > 0 {
			if ident != "" {
				scalars = append([]string{strings.ToUpper(ident)}, scalars...)
			}
			b.WriteString(strings.Join(scalars, "\t") + "\n")
		}
		for _, n := range more {
			formatText(b, n.val, n.key, nil)
		}
	case []any:
		if len(v) == 0 {
			return
		}
		hasMap, hasList := false, false
		for _, e := range v {
			switch e.(type) {
			case map[string]any:
				hasMap = true
			case []any:
				hasList = true
			}
		}
		switch {
		case hasMap:
			keys := allScalarKeys(v)
			for _, e := range v {
				formatText(b, e, ident, keys)
			}
		case hasList:
			var scalars, rest []any
			for _, e := range v {
				if isScalar(e) {
					scalars = append(scalars, e)
				} else {
					rest = append(rest, e)
				}
			}
			if len(scalars) > 0 {
				scalarList(b, scalars, ident)
			}
			for _, e := range rest {
				formatText(b, e, ident, nil)
			}
		default:
			scalarList(b, v, ident)
		}
	default:
		b.WriteString(pyStr(v) + "\n")
	}
}

func scalarList(b *strings.Builder, v []any, ident string) {
	if ident != "" {
		for _, e := range v {
			b.WriteString(strings.ToUpper(ident) + "\t" + pyStr(e) + "\n")
		}
		return
	}
	parts := make([]string, len(v))
	for i, e := range v {
		parts[i] = pyStr(e)
	}
	b.WriteString(strings.Join(parts, "\t") + "\n")
}

// allScalarKeys is the sorted union of the keys with scalar values in a
// list's objects.
func allScalarKeys(list []any) []string {
	seen := map[string]bool{}
	for _, e := range list {
		if m, ok := e.(map[string]any); ok {
			for k, x := range m {
				if isScalar(x) {
					seen[k] = true
				}
			}
		}
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// legacyLiterals rewrites backtick literals that are not JSON (`alias/x`)
// as JSON strings. The AWS CLI's JMESPath accepts them as strings (a
// deprecated form that many examples still use); the Go implementation
// follows the specification strictly.
func legacyLiterals(q string) string {
	if !strings.Contains(q, "`") {
		return q
	}
	var b strings.Builder
	inString := byte(0) // ' or " while inside a quoted string
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case inString != 0:
			if c == '\\' && i+1 < len(q) {
				b.WriteByte(c)
				i++
				c = q[i]
			} else if c == inString {
				inString = 0
			}
			b.WriteByte(c)
		case c == '\'' || c == '"':
			inString = c
			b.WriteByte(c)
		case c == '`':
			j := i + 1
			for j < len(q) && (q[j] != '`' || q[j-1] == '\\') {
				j++
			}
			if j >= len(q) {
				b.WriteString(q[i:])
				return b.String()
			}
			lit := strings.ReplaceAll(q[i+1:j], "\\`", "`")
			if json.Valid([]byte(strings.TrimSpace(lit))) {
				b.WriteString(q[i : j+1])
			} else {
				enc, _ := json.Marshal(strings.TrimSpace(lit))
				b.WriteString("`" + strings.ReplaceAll(string(enc), "`", "\\`") + "`")
			}
			i = j
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
