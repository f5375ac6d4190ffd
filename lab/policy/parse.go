package policy

import (
	"fmt"
	"strings"
)

// Version values AWS accepts.
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17"
)

// Parse parses a policy document, checking only the policy grammar (no size
// limit and no rules that depend on the policy type; see [ParseKind]).
// Errors are *SyntaxError.
func Parse(doc []byte) (*Policy, error) {
	p, err := parse(doc)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// withCode fills in the issue code of a grammar error.
func withCode(e *SyntaxError) *SyntaxError {
	if e != nil && e.Code == "" {
		e.Code = syntaxCode(e)
	}
	return e
}

// parser turns the positioned JSON tree into a Policy.
type parser struct {
	doc   []byte
	lines *lineIndex
}

func (ps *parser) pos(off int) (int, int) {
	if ps.lines == nil {
		ps.lines = newLineIndex(ps.doc)
	}
	return ps.lines.at(off)
}

func (ps *parser) errAt(off int, element, format string, args ...any) *SyntaxError {
	l, c := ps.pos(off)
	return withCode(&SyntaxError{Line: l, Column: c, Element: element, Msg: fmt.Sprintf(format, args...)})
}

func parse(doc []byte) (*Policy, *SyntaxError) {
	ps := &parser{doc: doc}
	if err := checkCharacters(doc); err != nil {
		return nil, ps.errAt(err.off, "", "%s", err.msg)
	}
	root, jerr := readJSON(doc)
	if jerr != nil {
		return nil, ps.errAt(jerr.off, "", "this policy contains invalid JSON: %s", jerr.msg)
	}
	if root.kind != jObject {
		return nil, ps.errAt(root.off, "", "a policy document must be a JSON object, not %s", root.kind)
	}
	p := &Policy{Raw: doc}
	var stmts *jvalue
	if err := ps.uniqueKeys(root, ""); err != nil {
		return nil, err
	}
	for i := range root.obj {
		m := &root.obj[i]
		switch m.key {
		case "Version":
			if m.val.kind != jString {
				return nil, ps.errAt(m.val.off, "Version", "must be a string, not %s", m.val.kind)
			}
			if m.val.str != Version2012 && m.val.str != Version2008 {
				return nil, ps.errAt(m.val.off, "Version", "the policy failed legacy parsing: unsupported version %q; use %q (or the legacy %q)", m.val.str, Version2012, Version2008)
			}
			p.Version = m.val.str
		case "Id":
			if m.val.kind != jString {
				return nil, ps.errAt(m.val.off, "Id", "must be a string, not %s", m.val.kind)
			}
			p.ID = m.val.str
		case "Statement":
			stmts = &m.val
		default:
			return nil, ps.errAt(m.keyOff, m.key, "unknown policy element %q (expected Version, Id or Statement)", m.key)
		}
	}
	if stmts == nil {
		return nil, ps.errAt(root.off, "Statement", "the policy has no Statement element")
	}
	p.vars = p.Version == Version2012
	switch stmts.kind {
	case jObject:
		st, err := ps.statement(*stmts, 0, p.vars)
		if err != nil {
			return nil, err
		}
		p.Statements = []Statement{st}
	case jArray:
		p.Statements = make([]Statement, 0, len(stmts.arr))
		for i, v := range stmts.arr {
			st, err := ps.statement(v, i, p.vars)
			if err != nil {
				return nil, err
			}
			p.Statements = append(p.Statements, st)
		}
	default:
		return nil, ps.errAt(stmts.off, "Statement", "must be an object or an array of objects, not %s", stmts.kind)
	}
	return p, nil
}

// checkCharacters enforces the character set IAM and KMS accept in policy
// documents: tab, LF, CR and U+0020 through U+00FF.
func checkCharacters(doc []byte) *jsonError {
	for i, r := range string(doc) {
		if r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0xFF) {
			continue
		}
		if r == 0xFFFD {
			return &jsonError{i, "the policy document is not valid UTF-8"}
		}
		return &jsonError{i, fmt.Sprintf("character U+%04X is not allowed in a policy document (only tab, LF, CR and U+0020 to U+00FF)", r)}
	}
	return nil
}

func (ps *parser) uniqueKeys(v jvalue, path string) *SyntaxError {
	for i := 1; i < len(v.obj); i++ {
		for j := 0; j < i; j++ {
			if v.obj[i].key == v.obj[j].key {
				return ps.errAt(v.obj[i].keyOff, join(path, v.obj[i].key), "duplicate element %q", v.obj[i].key)
			}
		}
	}
	return nil
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func (ps *parser) statement(v jvalue, idx int, vars bool) (Statement, *SyntaxError) {
	path := fmt.Sprintf("Statement[%d]", idx)
	st := Statement{Index: idx}
	st.Line, st.Column = ps.pos(v.off)
	if v.kind != jObject {
		return st, ps.errAt(v.off, path, "a statement must be an object, not %s", v.kind)
	}
	if err := ps.uniqueKeys(v, path); err != nil {
		return st, err
	}
	var effect *jmember
	for i := range v.obj {
		m := &v.obj[i]
		el := path + "." + m.key
		var err *SyntaxError
		switch m.key {
		case "Sid":
			if m.val.kind != jString {
				return st, ps.errAt(m.val.off, el, "must be a string, not %s", m.val.kind)
			}
			st.Sid = m.val.str
		case "Effect":
			effect = m
		case "Principal":
			st.Principal, err = ps.principal(m.val, el)
		case "NotPrincipal":
			st.NotPrincipal, err = ps.principal(m.val, el)
		case "Action":
			st.Action, err = ps.actions(m.val, el)
		case "NotAction":
			st.NotAction, err = ps.actions(m.val, el)
		case "Resource":
			st.Resource, err = ps.strings(m.val, el)
		case "NotResource":
			st.NotResource, err = ps.strings(m.val, el)
		case "Condition":
			st.Conditions, err = ps.conditions(m.val, el, vars)
		default:
			return st, ps.errAt(m.keyOff, el, "unknown statement element %q", m.key)
		}
		if err != nil {
			return st, err
		}
	}
	if effect == nil {
		return st, ps.errAt(v.off, path+".Effect", "the statement has no Effect; use \"Allow\" or \"Deny\"")
	}
	if effect.val.kind != jString || (effect.val.str != "Allow" && effect.val.str != "Deny") {
		return st, ps.errAt(effect.val.off, path+".Effect", "must be \"Allow\" or \"Deny\" (case-sensitive), not %s", describe(effect.val))
	}
	st.Effect = effect.val.str
	for _, pair := range [][2]string{{"Principal", "NotPrincipal"}, {"Action", "NotAction"}, {"Resource", "NotResource"}} {
		if ps.has(v, pair[0]) && ps.has(v, pair[1]) {
			m := ps.member(v, pair[1])
			return st, ps.errAt(m.keyOff, path+"."+pair[1], "a statement cannot have both %s and %s", pair[0], pair[1])
		}
	}
	st.compile(vars)
	return st, nil
}

func (ps *parser) has(v jvalue, key string) bool { return ps.member(v, key) != nil }

func (ps *parser) member(v jvalue, key string) *jmember {
	for i := range v.obj {
		if v.obj[i].key == key {
			return &v.obj[i]
		}
	}
	return nil
}

// describe renders a JSON value briefly for an error message.
func describe(v jvalue) string {
	if v.kind == jString {
		return fmt.Sprintf("%q", v.str)
	}
	return v.kind.String()
}

// strings reads a string or an array of strings.
func (ps *parser) strings(v jvalue, el string) ([]string, *SyntaxError) {
	switch v.kind {
	case jString:
		return []string{v.str}, nil
	case jArray:
		out := make([]string, 0, len(v.arr))
		for i, e := range v.arr {
			if e.kind != jString {
				return nil, ps.errAt(e.off, fmt.Sprintf("%s[%d]", el, i), "must be a string, not %s", e.kind)
			}
			out = append(out, e.str)
		}
		return out, nil
	}
	return nil, ps.errAt(v.off, el, "must be a string or an array of strings, not %s", v.kind)
}

func (ps *parser) actions(v jvalue, el string) ([]string, *SyntaxError) {
	list, err := ps.strings(v, el)
	if err != nil {
		return nil, err
	}
	for i, a := range list {
		if a == "*" {
			continue
		}
		off := v.off
		if v.kind == jArray {
			off = v.arr[i].off
		}
		switch strings.Count(a, ":") {
		case 0:
			return nil, ps.errAt(off, el, "actions/conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc. (got %q)", a)
		case 1:
			if strings.HasPrefix(a, ":") || strings.HasSuffix(a, ":") {
				return nil, ps.errAt(off, el, "action %q needs both a service prefix and an action name", a)
			}
		default:
			return nil, ps.errAt(off, el, "actions/condition can contain only one colon (got %q)", a)
		}
	}
	return list, nil
}

var principalTypes = []string{"AWS", "Service", "Federated", "CanonicalUser"}

func (ps *parser) principal(v jvalue, el string) (*Principal, *SyntaxError) {
	if v.kind == jString {
		if v.str != "*" {
			return nil, ps.errAt(v.off, el, "a principal given as a string must be \"*\"; name principals as {\"AWS\": ...}, {\"Service\": ...} or {\"Federated\": ...}")
		}
		return &Principal{All: true}, nil
	}
	if v.kind != jObject {
		return nil, ps.errAt(v.off, el, "must be \"*\" or an object such as {\"AWS\": \"arn:aws:iam::111122223333:root\"}, not %s", v.kind)
	}
	if err := ps.uniqueKeys(v, el); err != nil {
		return nil, err
	}
	if len(v.obj) == 0 {
		return nil, ps.errAt(v.off, el, "the principal object is empty")
	}
	p := &Principal{}
	for _, m := range v.obj {
		list, err := ps.strings(m.val, el+"."+m.key)
		if err != nil {
			return nil, err
		}
		switch m.key {
		case "AWS":
			p.AWS = list
			p.aws = make([]pent, len(list))
			for i, a := range list {
				p.aws[i] = compilePrincipalEntry(a)
			}
		case "Service":
			p.Service = list
		case "Federated":
			p.Federated = list
		case "CanonicalUser":
			p.CanonicalUser = list
		default:
			return nil, ps.errAt(m.keyOff, el+"."+m.key, "unknown principal type %q (expected one of %s)", m.key, strings.Join(principalTypes, ", "))
		}
	}
	return p, nil
}
