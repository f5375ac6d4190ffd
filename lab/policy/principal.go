package policy

import "strings"

// callerKind classifies the principal making a request.
type callerKind uint8

const (
	callerOther     callerKind = iota
	callerUser                 // arn:aws:iam::A:user/path/name
	callerRole                 // arn:aws:iam::A:role/path/name
	callerSession              // arn:aws:sts::A:assumed-role/role/session
	callerRoot                 // arn:aws:iam::A:root
	callerFederated            // arn:aws:sts::A:federated-user/name
	callerService              // kms.amazonaws.com
)

// caller is the parsed request principal.
type caller struct {
	arn      string
	account  string
	kind     callerKind
	roleName string // sessions and roles: the role's name
}

// splitARN splits an ARN into partition, service, region, account and
// resource without allocating. ok is false when s is not an ARN.
func splitARN(s string) (partition, service, region, account, resource string, ok bool) {
	if len(s) < 4 || s[:4] != "arn:" {
		return
	}
	var cut [4]int
	n := 0
	for i := 4; i < len(s) && n < 4; i++ {
		if s[i] == ':' {
			cut[n] = i
			n++
		}
	}
	if n < 4 {
		return
	}
	return s[4:cut[0]], s[cut[0]+1 : cut[1]], s[cut[1]+1 : cut[2]], s[cut[2]+1 : cut[3]], s[cut[3]+1:], true
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < 12; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func parseCaller(p string) caller {
	c := caller{arn: p}
	_, svc, _, acct, res, ok := splitARN(p)
	if !ok {
		switch {
		case isAccountID(p):
			c.account, c.kind = p, callerRoot
		case strings.HasSuffix(p, ".amazonaws.com") || strings.HasSuffix(p, ".amazonaws.com.cn"):
			c.kind = callerService
		}
		return c
	}
	c.account = acct
	switch {
	case svc == "iam" && res == "root":
		c.kind = callerRoot
	case svc == "iam" && strings.HasPrefix(res, "user/"):
		c.kind = callerUser
	case svc == "iam" && strings.HasPrefix(res, "role/"):
		c.kind = callerRole
		c.roleName = res[strings.LastIndexByte(res, '/')+1:]
	case svc == "sts" && strings.HasPrefix(res, "assumed-role/"):
		c.kind = callerSession
		r := res[len("assumed-role/"):]
		if i := strings.IndexByte(r, '/'); i >= 0 {
			r = r[:i]
		}
		c.roleName = r
	case svc == "sts" && strings.HasPrefix(res, "federated-user/"):
		c.kind = callerFederated
	}
	return c
}

// isSession reports whether session policies can apply to the caller.
func (c *caller) isSession() bool { return c.kind == callerSession || c.kind == callerFederated }

// Principal match levels, weakest to strongest.
const (
	pmNone    = iota
	pmAccount // the statement names the caller's account (delegation to IAM)
	pmRole    // the statement names the role whose session is calling
	pmStar    // "*" or {"AWS": "*"}
	pmDirect  // the statement names the caller's own ARN
)

// match returns how strongly p names the caller.
func (p *Principal) match(c *caller) int {
	if p.All {
		return pmStar
	}
	best := pmNone
	if len(p.aws) == len(p.AWS) {
		for i := range p.aws {
			if l := p.aws[i].level(c); l > best {
				best = l
			}
		}
	} else {
		for _, a := range p.AWS {
			if l := matchAWSPrincipal(a, c); l > best {
				best = l
			}
		}
	}
	if best == pmDirect {
		return best
	}
	if len(p.Service)+len(p.Federated)+len(p.CanonicalUser) == 0 {
		return best
	}
	for _, list := range [...][]string{p.Service, p.Federated, p.CanonicalUser} {
		for _, s := range list {
			if s == c.arn {
				return pmDirect
			}
			if s == "*" && best < pmStar {
				best = pmStar
			}
		}
	}
	return best
}

func matchAWSPrincipal(a string, c *caller) int {
	if a == "*" {
		return pmStar
	}
	if a == c.arn {
		return pmDirect
	}
	if c.kind == callerService || c.account == "" {
		return pmNone
	}
	if isAccountID(a) {
		if a != c.account {
			return pmNone
		}
		if c.kind == callerRoot {
			return pmDirect
		}
		return pmAccount
	}
	_, svc, _, acct, res, ok := splitARN(a)
	if !ok || svc != "iam" || acct != c.account {
		return pmNone
	}
	switch {
	case res == "root":
		if c.kind == callerRoot {
			return pmDirect
		}
		return pmAccount
	case c.kind == callerSession && strings.HasPrefix(res, "role/"):
		if res[strings.LastIndexByte(res, '/')+1:] == c.roleName {
			return pmRole
		}
	}
	return pmNone
}

// lists reports whether a NotPrincipal element lists the caller itself:
// its own ARN (a session only by its session ARN, a user by its user ARN),
// or, for the root user, its account.
func (p *Principal) lists(c *caller) bool {
	if p.All {
		return true
	}
	for _, a := range p.AWS {
		if a == "*" || a == c.arn {
			return true
		}
		if c.kind == callerRoot && a == c.account {
			return true
		}
	}
	for _, list := range [...][]string{p.Service, p.Federated, p.CanonicalUser} {
		for _, s := range list {
			if s == "*" || s == c.arn {
				return true
			}
		}
	}
	return false
}
