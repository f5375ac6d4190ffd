package policy

import "strings"

// layerID indexes the policy layers in the order AWS documents them.
type layerID uint8

const (
	lSCP layerID = iota
	lRCP
	lResource
	lIdentity
	lBoundary
	lSession
)

var layerNames = [...]string{LayerSCP, LayerRCP, LayerResource, LayerIdentity, LayerBoundary, LayerSession}

// hit is a statement that matched the request.
type hit struct {
	layer layerID
	named *Named
	st    *Statement
}

// hitList collects matching statements without allocating for the first
// few; it lives inside the evaluator so that it stays on the stack.
type hitList struct {
	buf  [6]hit
	n    int
	more []hit
}

func (l *hitList) add(h hit) {
	if l.n < len(l.buf) {
		l.buf[l.n] = h
	} else {
		l.more = append(l.more, h)
	}
	l.n++
}

func (l *hitList) at(i int) *hit {
	if i < len(l.buf) {
		return &l.buf[i]
	}
	return &l.more[i-len(l.buf)]
}

// evaluator holds the state of one evaluation.
type evaluator struct {
	in       *Input
	c        caller
	action   string
	svc      string // lowercased service prefix of the action
	actID    int32  // catalog number of the action, -1 outside the catalog
	resource string
	ctx      *Context
	isKey    bool // the resource is a KMS key: the key policy must allow
	isTrust  bool // sts:AssumeRole* on a role: the trust policy must allow
	cross    bool
	missing  []string
	denies   hitList
	allows   hitList
}

// rcpServices are the services resource control policies apply to.
var rcpServices = map[string]bool{
	"s3": true, "sts": true, "kms": true, "sqs": true, "secretsmanager": true,
	"cognito-idp": true, "logs": true, "dynamodb": true, "ecr": true, "es": true, "aoss": true,
}

func (e *evaluator) init(in *Input) {
	e.in = in
	r := &in.Request
	e.c = parseCaller(r.Principal)
	e.action = r.Action
	e.svc = serviceOf(r.Action)
	e.actID = catalogActionID(r.Action)
	e.resource = r.Resource
	if e.resource == "" {
		e.resource = "*"
	}
	e.ctx = r.Context
	acct := r.ResourceAccount
	if acct == "" {
		acct = e.c.account
	}
	e.cross = e.c.kind != callerService && e.c.account != "" && acct != e.c.account
	_, svc, _, _, res, ok := splitARN(e.resource)
	e.isKey = ok && svc == "kms" && strings.HasPrefix(res, "key/")
	e.isTrust = ok && e.svc == "sts" && svc == "iam" && strings.HasPrefix(res, "role/") && isAssumeRole(e.action)
}

func isAssumeRole(action string) bool {
	return equalFoldLower("sts:assumerole", action) ||
		equalFoldLower("sts:assumerolewithsaml", action) ||
		equalFoldLower("sts:assumerolewithwebidentity", action)
}

// actionMatches reports whether the statement's Action/NotAction covers the
// request action (case-insensitive).
func (e *evaluator) actionMatches(st *Statement) bool {
	if !st.hasAction {
		return false
	}
	m := false
	if e.actID >= 0 && st.cache != nil {
		m = actionSetHas(st.actionSet(), e.actID)
	} else if st.actIndex != nil {
		m = matchAnyAction(st.actIndex[e.svc], e.action) || matchAnyAction(st.actWild, e.action)
	} else {
		m = matchAnyAction(st.actions, e.action)
	}
	return m != st.notAction
}

func matchAnyAction(pats []pattern, action string) bool {
	for i := range pats {
		if pats[i].matchFold(action) {
			return true
		}
	}
	return false
}

// resourceMatches reports whether the statement's Resource/NotResource
// covers the request resource (case-sensitive). A statement without either
// matches only inside a role trust policy, which has no Resource.
func (e *evaluator) resourceMatches(st *Statement, trust bool) bool {
	if !st.hasResource {
		return trust
	}
	m := false
	for i := range st.resources {
		t := &st.resources[i]
		if e.resource == "*" {
			// Actions without resource-level permissions are covered only by "*".
			if isAllStars(t.raw) {
				m = true
				break
			}
			continue
		}
		if !t.hasVars() {
			if st.resPats[i].match(e.resource) {
				m = true
				break
			}
			continue
		}
		p, ok := t.resolve(e.ctx, true)
		if ok && globARN(p, e.resource) {
			m = true
			break
		}
	}
	return m != st.notResource
}

func isAllStars(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] != '*' {
			return false
		}
	}
	return true
}

// conditionsHold reports whether every condition holds. After the first
// failing condition the rest are only checked for absent keys, so that all
// missing keys are still recorded.
func (e *evaluator) conditionsHold(st *Statement) bool {
	all := true
	for i := range st.Conditions {
		c := &st.Conditions[i]
		if !all {
			if vs, found := e.ctx.lookup(c.keyLower); !found || len(vs) == 0 {
				e.addMissing(c.Key)
			}
			continue
		}
		ok, missing := c.eval(e.ctx)
		if missing {
			e.addMissing(c.Key)
		}
		all = ok
	}
	return all
}

func (e *evaluator) addMissing(key string) {
	for _, k := range e.missing {
		if strings.EqualFold(k, key) {
			return
		}
	}
	e.missing = append(e.missing, key)
}

// applies reports whether a statement matches action, resource and
// conditions (the principal is checked separately).
func (e *evaluator) applies(st *Statement, trust bool) bool {
	return e.actionMatches(st) && e.resourceMatches(st, trust) && e.conditionsHold(st)
}

// scan evaluates the statements of a principal-less layer and reports
// whether an Allow applies; matching Denies are recorded.
func (e *evaluator) scan(l layerID, n *Named) bool {
	if n == nil || n.Policy == nil {
		return false
	}
	allow := false
	for i := range n.Policy.Statements {
		st := &n.Policy.Statements[i]
		if !e.applies(st, false) {
			continue
		}
		if st.deny {
			e.denies.add(hit{l, n, st})
		} else {
			allow = true
			if l == lIdentity {
				e.allows.add(hit{l, n, st})
			}
		}
	}
	return allow
}

// scanResource evaluates the resource-based policy and returns the
// strongest principal match among the Allow statements that apply.
func (e *evaluator) scanResource(n *Named) int {
	if n == nil || n.Policy == nil {
		return pmNone
	}
	best := pmNone
	for i := range n.Policy.Statements {
		st := &n.Policy.Statements[i]
		// The action test is a bit test for catalog actions, cheaper than
		// principal matching, so it goes first; neither has side effects.
		if !e.actionMatches(st) {
			continue
		}
		lvl := e.principalLevel(st)
		if lvl == pmNone || !e.resourceMatches(st, e.isTrust) || !e.conditionsHold(st) {
			continue
		}
		if st.deny {
			e.denies.add(hit{lResource, n, st})
			continue
		}
		e.allows.add(hit{lResource, n, st})
		if lvl > best {
			best = lvl
		}
	}
	return best
}

// principalLevel returns how a resource-policy statement's Principal or
// NotPrincipal applies to the caller.
func (e *evaluator) principalLevel(st *Statement) int {
	switch {
	case st.Principal != nil:
		return st.Principal.match(&e.c)
	case st.NotPrincipal != nil:
		// A principal with a permissions boundary is always denied by
		// Deny with NotPrincipal.
		if st.deny && len(e.in.Boundaries) > 0 {
			return pmStar
		}
		if st.NotPrincipal.lists(&e.c) {
			return pmNone
		}
		return pmStar
	}
	return pmNone
}
