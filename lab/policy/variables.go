package policy

import "strings"

// tmpl is a string from a policy that may contain policy variables
// (${aws:username}, ${aws:PrincipalTag/team, 'default'}) and the escapes
// ${*}, ${?} and ${$}. Variables are only recognised in policies with
// Version 2012-10-17; elsewhere the text is literal.
type tmpl struct {
	raw   string
	parts []tpart // nil when raw has no variables or escapes
}

type tpartKind uint8

const (
	tpText   tpartKind = iota // literal text; * and ? keep their wildcard meaning
	tpEscape                  // ${*}, ${?}, ${$}: one literal character
	tpVar                     // a variable, replaced by a context value
)

type tpart struct {
	kind   tpartKind
	text   string // text, the escaped character, or the variable's key as written
	key    string // lowercased key
	def    string
	hasDef bool
}

// compileTmpl splits s into parts when vars is set and s uses "${".
func compileTmpl(s string, vars bool) tmpl {
	t := tmpl{raw: s}
	if !vars || !strings.Contains(s, "${") {
		return t
	}
	rest := s
	for rest != "" {
		i := strings.Index(rest, "${")
		if i < 0 {
			t.parts = append(t.parts, tpart{kind: tpText, text: rest})
			break
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			t.parts = append(t.parts, tpart{kind: tpText, text: rest})
			break
		}
		if i > 0 {
			t.parts = append(t.parts, tpart{kind: tpText, text: rest[:i]})
		}
		body := rest[i+2 : i+j]
		rest = rest[i+j+1:]
		switch body {
		case "*", "?", "$":
			t.parts = append(t.parts, tpart{kind: tpEscape, text: body})
			continue
		}
		p := tpart{kind: tpVar}
		if k := strings.IndexByte(body, ','); k >= 0 {
			d := strings.TrimSpace(body[k+1:])
			if len(d) >= 2 && d[0] == '\'' && d[len(d)-1] == '\'' {
				p.def, p.hasDef = d[1:len(d)-1], true
			}
			body = body[:k]
		}
		p.text = strings.TrimSpace(body)
		p.key = strings.ToLower(p.text)
		t.parts = append(t.parts, p)
	}
	return t
}

// hasVars reports whether t needs a context to be resolved.
func (t *tmpl) hasVars() bool { return t.parts != nil }

// vars returns the context keys t refers to.
func (t *tmpl) vars() []string {
	var out []string
	for _, p := range t.parts {
		if p.kind == tpVar {
			out = append(out, p.text)
		}
	}
	return out
}

// patEscape marks the next byte of a resolved pattern as literal.
const patEscape = 0

// resolve substitutes variables from ctx. In pattern mode, characters that
// come from escapes or context values are marked literal so that * and ?
// in them are not wildcards. ok is false when a variable has no value and
// no default: the element then matches nothing.
func (t *tmpl) resolve(ctx *Context, pattern bool) (string, bool) {
	if t.parts == nil {
		return t.raw, true
	}
	var b strings.Builder
	lit := func(s string) {
		if !pattern {
			b.WriteString(s)
			return
		}
		for i := 0; i < len(s); i++ {
			if c := s[i]; c == '*' || c == '?' || c == patEscape {
				b.WriteByte(patEscape)
			}
			b.WriteByte(s[i])
		}
	}
	for _, p := range t.parts {
		switch p.kind {
		case tpText:
			b.WriteString(p.text)
		case tpEscape:
			lit(p.text)
		case tpVar:
			vs, found := ctx.lookup(p.key)
			switch {
			case found && len(vs) > 0:
				lit(vs[0])
			case p.hasDef:
				lit(p.def)
			default:
				return "", false
			}
		}
	}
	return b.String(), true
}
