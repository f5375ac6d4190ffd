package policy

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

func (ps *parser) conditions(v jvalue, el string, vars bool) ([]Condition, *SyntaxError) {
	if v.kind != jObject {
		return nil, ps.errAt(v.off, el, "must be an object of condition operators, not %s", v.kind)
	}
	if err := ps.uniqueKeys(v, el); err != nil {
		return nil, err
	}
	var out []Condition
	for _, om := range v.obj {
		opEl := el + "." + om.key
		op, set, ifExists, ok := parseOperator(om.key)
		if !ok {
			if strings.EqualFold(strings.TrimSuffix(strings.ToLower(om.key), "ifexists"), "null") {
				return nil, ps.errAt(om.keyOff, opEl, "the Null operator cannot be combined with IfExists")
			}
			return nil, ps.errAt(om.keyOff, opEl, "invalid condition type %q", om.key)
		}
		if om.val.kind != jObject {
			return nil, ps.errAt(om.val.off, opEl, "must be an object of condition keys, not %s", om.val.kind)
		}
		if err := ps.uniqueKeys(om.val, opEl); err != nil {
			return nil, err
		}
		if len(om.val.obj) == 0 {
			return nil, ps.errAt(om.val.off, opEl, "the condition operator has no keys")
		}
		for _, km := range om.val.obj {
			kEl := opEl + "." + km.key
			if km.key == "" {
				return nil, ps.errAt(km.keyOff, kEl, "empty condition key")
			}
			vals, err := ps.condValues(km.val, kEl)
			if err != nil {
				return nil, err
			}
			c := Condition{Operator: om.key, Key: km.key, Values: vals, op: op, set: set, ifExists: ifExists, keyLower: strings.ToLower(km.key)}
			c.Line, c.Column = ps.pos(km.keyOff)
			c.compile(vars)
			out = append(out, c)
		}
	}
	return out, nil
}

func (ps *parser) condValues(v jvalue, el string) ([]string, *SyntaxError) {
	one := func(e jvalue, el string) (string, *SyntaxError) {
		switch e.kind {
		case jString, jNumber, jBool:
			return e.str, nil
		}
		return "", ps.errAt(e.off, el, "a condition value must be a string, number or boolean, not %s", e.kind)
	}
	if v.kind == jArray {
		out := make([]string, 0, len(v.arr))
		for i, e := range v.arr {
			s, err := one(e, fmt.Sprintf("%s[%d]", el, i))
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, nil
	}
	s, err := one(v, el)
	if err != nil {
		return nil, err
	}
	return []string{s}, nil
}

// compile prepares the condition's values for its operator's type. A value
// that does not parse for the type is kept with ok=false: it matches
// nothing, and Validate reports it.
func (c *Condition) compile(vars bool) {
	fam := opTable[c.op].family
	c.slot = new(atomic.Int32)
	c.vals = make([]cval, len(c.Values))
	for i, s := range c.Values {
		v := &c.vals[i]
		switch fam {
		case famString, famARN:
			v.t = compileTmpl(s, vars)
			v.lit = !v.t.hasVars() && !hasWildcard(s)
			v.ok = true
		case famBinary:
			v.t = tmpl{raw: s}
			v.ok = true
		case famNumeric:
			f, err := strconv.ParseFloat(s, 64)
			v.f, v.ok = f, err == nil
		case famDate:
			v.ns, v.ok = parseDate(s)
		case famBool, famNull:
			b, err := strconv.ParseBool(strings.ToLower(s))
			v.b, v.ok = b, err == nil && (strings.EqualFold(s, "true") || strings.EqualFold(s, "false"))
		case famIP:
			v.pfx, v.ok = parsePrefix(s)
		}
	}
}

// parsePrefix reads a CIDR block; a bare address means the single address
// (/32 for IPv4, /128 for IPv6), as AWS documents.
func parsePrefix(s string) (netip.Prefix, bool) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, false
		}
		if p.Addr().Is4In6() {
			return netip.Prefix{}, false
		}
		return p.Masked(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, false
	}
	a = a.WithZone("")
	return netip.PrefixFrom(a, a.BitLen()), true
}

var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02",
	"20060102T150405Z",
}

// parseDate reads an ISO 8601 date or date-time (UTC when no zone is
// given), or epoch time in seconds (optionally fractional), returning Unix
// nanoseconds.
func parseDate(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if isEpoch(s) {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f > 9e9 || f < -9e9 {
			return 0, false
		}
		return int64(f * 1e9), true
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UnixNano(), true
		}
	}
	return 0, false
}

func isEpoch(s string) bool {
	if s[0] == '-' {
		s = s[1:]
	}
	dot := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
		case c == '.' && !dot && i > 0:
			dot = true
		default:
			return false
		}
	}
	return s != ""
}

// compile prepares the statement for evaluation.
func (st *Statement) compile(vars bool) {
	st.deny = st.Effect == "Deny"
	st.cache = &stmtCache{}
	switch {
	case st.Action != nil:
		st.hasAction = true
		st.actions = compileActions(st.Action)
	case st.NotAction != nil:
		st.hasAction, st.notAction = true, true
		st.actions = compileActions(st.NotAction)
	}
	if len(st.actions) > actionIndexAbove {
		st.actIndex = map[string][]pattern{}
		for _, p := range st.actions {
			svc, _, ok := strings.Cut(p.s, ":")
			if p.kind == patAny || !ok || hasWildcard(svc) {
				st.actWild = append(st.actWild, p)
				continue
			}
			st.actIndex[svc] = append(st.actIndex[svc], p)
		}
	}
	list := st.Resource
	if st.NotResource != nil {
		list, st.notResource = st.NotResource, true
	}
	if list != nil {
		st.hasResource = true
		st.resources = make([]tmpl, len(list))
		st.resPats = make([]pattern, len(list))
		for i, r := range list {
			st.resources[i] = compileTmpl(r, vars)
			st.resPats[i] = compilePattern(r)
		}
	}
}

// actionIndexAbove is the Action list length from which a statement indexes
// its patterns by service (AWS managed policies such as ReadOnlyAccess list
// thousands of actions).
const actionIndexAbove = 24

func compileActions(in []string) []pattern {
	out := make([]pattern, len(in))
	for i, s := range in {
		out[i] = compilePattern(strings.ToLower(s))
	}
	return out
}
