package policy

import "strings"

// pattern is a wildcard pattern compiled for the common shapes, so that
// matching an exact name or a "prefix*" needs no backtracking.
type pattern struct {
	kind patKind
	s    string // lowercased for actions
}

type patKind uint8

const (
	patAny    patKind = iota // "*"
	patExact                 // no wildcard
	patPrefix                // "prefix*" with no other wildcard
	patGlob                  // anything else
)

func compilePattern(s string) pattern {
	switch w := strings.IndexAny(s, "*?"); {
	case isAllStars(s):
		return pattern{kind: patAny, s: s}
	case w < 0:
		return pattern{kind: patExact, s: s}
	case w == len(s)-1 && s[w] == '*':
		return pattern{kind: patPrefix, s: s[:w]}
	}
	return pattern{kind: patGlob, s: s}
}

// matchFold matches an action name; p.s is lower case.
func (p *pattern) matchFold(s string) bool {
	switch p.kind {
	case patAny:
		return true
	case patExact:
		return equalFoldLower(p.s, s)
	case patPrefix:
		return len(s) >= len(p.s) && equalFoldLower(p.s, s[:len(p.s)])
	}
	return glob(p.s, s, true)
}

// match matches a resource ARN case-sensitively (see globARN).
func (p *pattern) match(s string) bool {
	switch p.kind {
	case patAny:
		return true
	case patExact:
		return p.s == s
	case patPrefix:
		return strings.HasPrefix(s, p.s)
	}
	return globARN(p.s, s)
}

// pent is a compiled AWS principal entry.
type pent struct {
	kind    pentKind
	raw     string
	account string
	name    string // role name for role ARNs
}

type pentKind uint8

const (
	pentOther   pentKind = iota // compared by exact ARN only
	pentStar                    // "*"
	pentAccount                 // "111122223333" or arn:aws:iam::111122223333:root
	pentRole                    // arn:aws:iam::A:role/path/name
)

func compilePrincipalEntry(a string) pent {
	e := pent{raw: a}
	switch {
	case a == "*":
		e.kind = pentStar
	case isAccountID(a):
		e.kind, e.account = pentAccount, a
	default:
		_, svc, _, acct, res, ok := splitARN(a)
		switch {
		case !ok || svc != "iam":
		case res == "root":
			e.kind, e.account = pentAccount, acct
		case strings.HasPrefix(res, "role/"):
			e.kind, e.account, e.name = pentRole, acct, res[strings.LastIndexByte(res, '/')+1:]
		}
	}
	return e
}

// level returns how strongly the entry names the caller.
func (e *pent) level(c *caller) int {
	switch {
	case e.kind == pentStar:
		return pmStar
	case e.raw == c.arn:
		return pmDirect
	case c.kind == callerService || c.account == "" || e.account != c.account:
		return pmNone
	case e.kind == pentAccount && c.kind == callerRoot:
		return pmDirect
	case e.kind == pentAccount:
		return pmAccount
	case e.kind == pentRole && c.kind == callerSession && e.name == c.roleName:
		return pmRole
	}
	return pmNone
}
