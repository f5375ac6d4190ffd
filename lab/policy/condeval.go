package policy

import (
	"strconv"
	"strings"
)

// positive maps a negated operator to the operator it negates.
func (o opcode) positive() opcode {
	switch o {
	case opStringNotEquals:
		return opStringEquals
	case opStringNotEqualsIgnoreCase:
		return opStringEqualsIgnoreCase
	case opStringNotLike:
		return opStringLike
	case opNumericNotEquals:
		return opNumericEquals
	case opDateNotEquals:
		return opDateEquals
	case opNotIPAddress:
		return opIPAddress
	case opArnNotEquals:
		return opArnEquals
	case opArnNotLike:
		return opArnLike
	}
	return o
}

// eval reports whether the condition holds for ctx; missing is true when
// the key is absent (or empty) from the context.
func (c *Condition) eval(ctx *Context) (ok, missing bool) {
	ent := ctx.entryAt(c.keyLower, c.slot)
	var vs []string
	if ent != nil {
		vs = ent.values
	}
	present := len(vs) > 0
	if c.op == opNull {
		for i := range c.vals {
			if v := &c.vals[i]; v.ok && v.b != present {
				return true, !present
			}
		}
		return false, !present
	}
	negated := opTable[c.op].negated
	if !present {
		switch {
		case c.ifExists:
			return true, true
		case c.set == setForAll:
			return true, true
		case c.set == setForAny:
			return false, true
		}
		return negated, true
	}
	pos := c.op.positive()
	switch c.set {
	case setForAll:
		for i, v := range vs {
			if c.matchAny(pos, v, ent.addr(i), ctx) == negated {
				return false, false
			}
		}
		return true, false
	case setForAny:
		for i, v := range vs {
			if c.matchAny(pos, v, ent.addr(i), ctx) != negated {
				return true, false
			}
		}
		return false, false
	}
	any := false
	for i, v := range vs {
		if c.matchAny(pos, v, ent.addr(i), ctx) {
			any = true
			break
		}
	}
	return any != negated, false
}

// matchAny reports whether the request value v matches at least one policy
// value under the (positive) operator op. ip is v already parsed as an IP
// address, or nil.
func (c *Condition) matchAny(op opcode, v string, ip *parsedAddr, ctx *Context) bool {
	switch opTable[op].family {
	case famNumeric:
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return false
		}
		for i := range c.vals {
			if p := &c.vals[i]; p.ok && compareNum(op, f, p.f) {
				return true
			}
		}
		return false
	case famDate:
		ns, ok := parseDate(v)
		if !ok {
			return false
		}
		for i := range c.vals {
			if p := &c.vals[i]; p.ok && compareDate(op, ns, p.ns) {
				return true
			}
		}
		return false
	case famBool:
		var b bool
		switch {
		case strings.EqualFold(v, "true"):
			b = true
		case strings.EqualFold(v, "false"):
		default:
			return false
		}
		for i := range c.vals {
			if p := &c.vals[i]; p.ok && p.b == b {
				return true
			}
		}
		return false
	case famIP:
		var pa parsedAddr
		if ip != nil {
			pa = *ip
		} else {
			pa = parseAddr(v)
		}
		if !pa.ok {
			return false
		}
		for i := range c.vals {
			if p := &c.vals[i]; p.ok && p.pfx.Contains(pa.a) {
				return true
			}
		}
		return false
	case famBinary:
		for i := range c.vals {
			if c.vals[i].t.raw == v {
				return true
			}
		}
		return false
	}
	for i := range c.vals {
		p := &c.vals[i]
		if p.lit && op != opStringEqualsIgnoreCase {
			// Without wildcards or variables every string and ARN operator
			// is plain equality.
			if p.t.raw == v {
				return true
			}
			continue
		}
		pattern := op == opStringLike || op == opArnLike || op == opArnEquals
		s, ok := p.t.resolve(ctx, pattern)
		if !ok {
			continue
		}
		switch op {
		case opStringEquals:
			if s == v {
				return true
			}
		case opStringEqualsIgnoreCase:
			if strings.EqualFold(s, v) {
				return true
			}
		case opStringLike:
			if glob(s, v, false) {
				return true
			}
		case opArnEquals, opArnLike:
			if arnLike(s, v) {
				return true
			}
		}
	}
	return false
}

func compareNum(op opcode, a, b float64) bool {
	switch op {
	case opNumericEquals:
		return a == b
	case opNumericLessThan:
		return a < b
	case opNumericLessThanEquals:
		return a <= b
	case opNumericGreaterThan:
		return a > b
	case opNumericGreaterThanEquals:
		return a >= b
	}
	return false
}

func compareDate(op opcode, a, b int64) bool {
	switch op {
	case opDateEquals:
		return a == b
	case opDateLessThan:
		return a < b
	case opDateLessThanEquals:
		return a <= b
	case opDateGreaterThan:
		return a > b
	case opDateGreaterThanEquals:
		return a >= b
	}
	return false
}

// arnLike matches an ARN against an ARN pattern segment by segment (the
// first five colons separate segments; wildcards do not cross them; the
// resource segment may itself contain colons). Case-sensitive.
func arnLike(pattern, s string) bool {
	for seg := 0; seg < 5; seg++ {
		i := strings.IndexByte(pattern, ':')
		j := strings.IndexByte(s, ':')
		if i < 0 || j < 0 {
			if i < 0 && seg == 0 {
				// A pattern that is not an ARN, such as "*", matches as a whole.
				return glob(pattern, s, false)
			}
			return false
		}
		if !glob(pattern[:i], s[:j], false) {
			return false
		}
		pattern, s = pattern[i+1:], s[j+1:]
	}
	return glob(pattern, s, false)
}
