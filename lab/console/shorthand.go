package console

import (
	"fmt"
	"strings"
)

// The AWS CLI's shorthand syntax for structures, maps and lists:
//
//	Key=a,Value=b              a structure or map
//	Values=a,b,c,Name=x        a value followed by bare values is a list
//	Tags=[{Key=a,Value=b}]     explicit lists and nested structures
//	Name='a,b' or "a,b"        quoted values keep commas and brackets
//
// Values are strings; the input's types convert them.

// shorthandError reports where the shorthand stopped making sense, the way
// the AWS CLI prints it (with a caret under the position).
type shorthandError struct {
	input    string
	pos      int
	expected string
	received string
}

// Error is the CLI's text, with a caret under the position.
func (e *shorthandError) Error() string {
	return fmt.Sprintf("Expected: '%s', received: '%s' for input:\n%s\n%s^", e.expected, e.received, e.input, strings.Repeat(" ", e.pos))
}

type shorthand struct {
	in  []rune
	pos int
	src string
}

// parseShorthand parses a structure or map in shorthand syntax.
func parseShorthand(s string) (map[string]any, error) {
	p := &shorthand{in: []rune(s), src: s}
	m, err := p.keyvals(0)
	if err != nil {
		return nil, err
	}
	if p.pos < len(p.in) {
		return nil, p.errorf(",")
	}
	return m, nil
}

// splitShorthandList splits a list of scalars written as a,b,"c,d".
func splitShorthandList(s string) ([]any, error) {
	p := &shorthand{in: []rune(s), src: s}
	var out []any
	for {
		v, err := p.value(false)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		if p.pos >= len(p.in) {
			return out, nil
		}
		if p.in[p.pos] != ',' {
			return nil, p.errorf(",")
		}
		p.pos++
	}
}

func (p *shorthand) errorf(expected string) error {
	rec := "EOF"
	if p.pos < len(p.in) {
		rec = string(p.in[p.pos])
	}
	return &shorthandError{input: p.src, pos: len(string(p.in[:min(p.pos, len(p.in))])), expected: expected, received: rec}
}

func (p *shorthand) skipSpace() {
	for p.pos < len(p.in) && (p.in[p.pos] == ' ' || p.in[p.pos] == '\t' || p.in[p.pos] == '\n') {
		p.pos++
	}
}

func isKeyRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.#/:", r)
}

// keyvals parses key=value pairs until the input ends or close is met.
func (p *shorthand) keyvals(close rune) (map[string]any, error) {
	m := map[string]any{}
	for {
		p.skipSpace()
		start := p.pos
		for p.pos < len(p.in) && isKeyRune(p.in[p.pos]) {
			p.pos++
		}
		key := string(p.in[start:p.pos])
		if key == "" {
			return nil, p.errorf("key")
		}
		p.skipSpace()
		if p.pos >= len(p.in) || p.in[p.pos] != '=' {
			return nil, p.errorf("=")
		}
		p.pos++
		v, err := p.values()
		if err != nil {
			return nil, err
		}
		if _, dup := m[key]; dup {
			return nil, fmt.Errorf("second instance of key %q in shorthand %q", key, p.src)
		}
		m[key] = v
		p.skipSpace()
		if p.pos >= len(p.in) || p.in[p.pos] == close {
			return m, nil
		}
		if p.in[p.pos] != ',' {
			return nil, p.errorf(",")
		}
		p.pos++
	}
}

// values parses what follows "key=": a hash, an explicit list, or a value
// optionally followed by more bare values (a csv list).
func (p *shorthand) values() (any, error) {
	p.skipSpace()
	if p.pos < len(p.in) {
		switch p.in[p.pos] {
		case '{':
			p.pos++
			m, err := p.keyvals('}')
			if err != nil {
				return nil, err
			}
			if p.pos >= len(p.in) || p.in[p.pos] != '}' {
				return nil, p.errorf("}")
			}
			p.pos++
			return m, nil
		case '[':
			return p.explicitList()
		}
	}
	first, err := p.value(true)
	if err != nil {
		return nil, err
	}
	list := []any{first}
	for p.pos < len(p.in) && p.in[p.pos] == ',' && !p.keyAhead(p.pos+1) {
		p.pos++
		v, err := p.value(true)
		if err != nil {
			return nil, err
		}
		list = append(list, v)
	}
	if len(list) == 1 {
		return first, nil
	}
	return list, nil
}

// keyAhead reports whether the text at i starts a new "key=".
func (p *shorthand) keyAhead(i int) bool {
	for i < len(p.in) && p.in[i] == ' ' {
		i++
	}
	j := i
	for j < len(p.in) && isKeyRune(p.in[j]) {
		j++
	}
	for j < len(p.in) && p.in[j] == ' ' {
		j++
	}
	return j > i && j < len(p.in) && p.in[j] == '='
}

func (p *shorthand) explicitList() (any, error) {
	p.pos++ // [
	list := []any{}
	for {
		p.skipSpace()
		if p.pos < len(p.in) && p.in[p.pos] == ']' {
			p.pos++
			return list, nil
		}
		var v any
		var err error
		switch {
		case p.pos < len(p.in) && p.in[p.pos] == '{':
			p.pos++
			var m map[string]any
			m, err = p.keyvals('}')
			if err == nil && (p.pos >= len(p.in) || p.in[p.pos] != '}') {
				err = p.errorf("}")
			}
			p.pos++
			v = m
		case p.pos < len(p.in) && p.in[p.pos] == '[':
			v, err = p.explicitList()
		default:
			v, err = p.value(true)
		}
		if err != nil {
			return nil, err
		}
		list = append(list, v)
		p.skipSpace()
		if p.pos >= len(p.in) {
			return nil, p.errorf("]")
		}
		switch p.in[p.pos] {
		case ',':
			p.pos++
		case ']':
		default:
			return nil, p.errorf("]")
		}
	}
}

// value parses one scalar: quoted, or bare up to the next separator.
// Inside structures "}" and "]" also end a bare value.
func (p *shorthand) value(nested bool) (string, error) {
	p.skipSpace()
	if p.pos < len(p.in) && (p.in[p.pos] == '\'' || p.in[p.pos] == '"') {
		q := p.in[p.pos]
		p.pos++
		var b strings.Builder
		for p.pos < len(p.in) && p.in[p.pos] != q {
			if p.in[p.pos] == '\\' && p.pos+1 < len(p.in) && p.in[p.pos+1] == q {
				p.pos++
			}
			b.WriteRune(p.in[p.pos])
			p.pos++
		}
		if p.pos >= len(p.in) {
			return "", p.errorf(string(q))
		}
		p.pos++
		p.skipSpace()
		return b.String(), nil
	}
	start := p.pos
	for p.pos < len(p.in) {
		r := p.in[p.pos]
		if r == ',' || nested && (r == '}' || r == ']') {
			break
		}
		if r == '\\' && p.pos+1 < len(p.in) {
			p.pos++
		}
		p.pos++
	}
	v := strings.TrimSpace(string(p.in[start:p.pos]))
	if !strings.Contains(v, `\`) {
		return v, nil
	}
	return unescape.Replace(v), nil
}

// unescape undoes the backslash escapes a bare shorthand value may use.
var unescape = strings.NewReplacer(`\,`, ",", `\}`, "}", `\]`, "]", `\\`, `\`)
