package policy

import "strings"

// Explanation is the full account of one evaluation: the decision, the
// AccessDenied message, the evaluation path layer by layer, and for every
// statement of every policy why it did or did not apply. It marshals to
// JSON; String renders it for people.
type Explanation struct {
	Request  RequestSummary `json:"request"`
	Decision Decision       `json:"decision"`
	// Message is the AccessDenied message text ("" when allowed).
	Message string `json:"message,omitempty"`
	// Path is the evaluation path, one step per layer, in evaluation order.
	Path []Step `json:"path"`
	// Policies trace every statement of every policy.
	Policies []PolicyTrace `json:"policies"`
}

// RequestSummary describes the request as the evaluator saw it.
type RequestSummary struct {
	Principal       string `json:"principal"`
	PrincipalType   string `json:"principalType"`
	Action          string `json:"action"`
	Resource        string `json:"resource"`
	ResourceAccount string `json:"resourceAccount,omitempty"`
	CrossAccount    bool   `json:"crossAccount"`
	// Rule names the special rule for the resource, if any: "kms-key-policy"
	// or "role-trust-policy".
	Rule string `json:"rule,omitempty"`
}

// Step is one step of the evaluation path.
type Step struct {
	Layer   string `json:"layer"`
	Outcome string `json:"outcome"` // "allow", "deny", "implicit-deny", "none", "skip"
	Detail  string `json:"detail"`
}

// PolicyTrace is the statement-by-statement trace of one policy.
type PolicyTrace struct {
	Layer      string           `json:"layer"`
	Name       string           `json:"name"`
	Statements []StatementTrace `json:"statements"`
}

// StatementTrace says whether one statement applied to the request and,
// if not, why not.
type StatementTrace struct {
	Ref StatementRef `json:"statement"`
	// Applies is true when principal (for resource-based policies), action,
	// resource and every condition matched.
	Applies bool `json:"applies"`
	// Principal, Action and Resource explain each element's match.
	Principal *Check `json:"principal,omitempty"`
	Action    Check  `json:"action"`
	Resource  Check  `json:"resource"`
	// Conditions explain each condition.
	Conditions []ConditionTrace `json:"conditions,omitempty"`
}

// Check is the result of matching one element.
type Check struct {
	Match  bool   `json:"match"`
	Detail string `json:"detail"`
}

// ConditionTrace explains one condition.
type ConditionTrace struct {
	Operator      string   `json:"operator"`
	Key           string   `json:"key"`
	Values        []string `json:"values"`
	RequestValues []string `json:"requestValues,omitempty"`
	Present       bool     `json:"present"`
	Result        bool     `json:"result"`
	Detail        string   `json:"detail"`
}

// Explain evaluates the request like [Evaluate] and builds the full
// explanation.
func Explain(in *Input) *Explanation {
	if in == nil {
		in = &Input{}
	}
	d := Evaluate(in)
	var e evaluator
	e.init(in)
	x := &Explanation{Decision: d, Message: DeniedMessage(in, d)}
	x.Request = RequestSummary{
		Principal: in.Request.Principal, PrincipalType: e.c.kindName(), Action: in.Request.Action,
		Resource: e.resource, ResourceAccount: in.Request.ResourceAccount, CrossAccount: e.cross,
	}
	switch {
	case e.isKey:
		x.Request.Rule = "kms-key-policy"
	case e.isTrust:
		x.Request.Rule = "role-trust-policy"
	}
	add := func(layer string, n *Named, principal bool) *PolicyTrace {
		if n == nil || n.Policy == nil {
			return nil
		}
		pt := PolicyTrace{Layer: layer, Name: n.Name}
		for i := range n.Policy.Statements {
			pt.Statements = append(pt.Statements, e.trace(n, &n.Policy.Statements[i], principal, layer == LayerResource && e.isTrust))
		}
		x.Policies = append(x.Policies, pt)
		return &x.Policies[len(x.Policies)-1]
	}
	for li := range in.SCPs {
		for pi := range in.SCPs[li].Policies {
			add(LayerSCP, &in.SCPs[li].Policies[pi], false)
		}
	}
	for li := range in.RCPs {
		for pi := range in.RCPs[li].Policies {
			add(LayerRCP, &in.RCPs[li].Policies[pi], true)
		}
	}
	add(LayerResource, in.Resource, true)
	for i := range in.Identity {
		add(LayerIdentity, &in.Identity[i], false)
	}
	for i := range in.Boundaries {
		add(LayerBoundary, &in.Boundaries[i], false)
	}
	add(LayerSession, in.Session, false)
	x.Path = e.path(x)
	return x
}

func (c *caller) kindName() string {
	switch c.kind {
	case callerUser:
		return "IAM user"
	case callerRole:
		return "IAM role"
	case callerSession:
		return "assumed-role session"
	case callerRoot:
		return "account root user"
	case callerFederated:
		return "federated user"
	case callerService:
		return "service principal"
	}
	return "unknown"
}

// trace explains one statement.
func (e *evaluator) trace(n *Named, st *Statement, principal, trust bool) StatementTrace {
	t := StatementTrace{Ref: StatementRef{Policy: n.Name, Sid: st.Sid, Index: st.Index, Effect: st.Effect}}
	ok := true
	if principal && (st.Principal != nil || st.NotPrincipal != nil) {
		lvl := e.principalLevel(st)
		c := &Check{Match: lvl != pmNone, Detail: principalDetail(st, lvl)}
		t.Principal = c
		ok = c.Match
	} else if principal {
		t.Principal = &Check{Detail: "the statement names no principal, so it applies to nobody"}
		ok = false
	}
	t.Action = Check{Match: e.actionMatches(st)}
	switch {
	case !st.hasAction:
		t.Action.Detail = "the statement has no Action, so it matches no action"
	case st.notAction && t.Action.Match:
		t.Action.Detail = e.action + " is not in NotAction " + list(st.NotAction)
	case st.notAction:
		t.Action.Detail = e.action + " is excluded by NotAction " + list(st.NotAction)
	case t.Action.Match:
		t.Action.Detail = e.action + " matches Action " + list(st.Action)
	default:
		t.Action.Detail = e.action + " does not match Action " + list(st.Action)
	}
	t.Resource = Check{Match: e.resourceMatches(st, trust)}
	t.Resource.Detail = e.resourceDetail(st, trust, t.Resource.Match)
	ok = ok && t.Action.Match && t.Resource.Match
	for i := range st.Conditions {
		ct := e.traceCondition(&st.Conditions[i])
		ok = ok && ct.Result
		t.Conditions = append(t.Conditions, ct)
	}
	t.Applies = ok
	return t
}

func list(s []string) string { return "[" + strings.Join(s, ", ") + "]" }

func principalDetail(st *Statement, lvl int) string {
	if st.NotPrincipal != nil {
		if lvl == pmNone {
			return "the caller is listed in NotPrincipal"
		}
		return "the caller is not listed in NotPrincipal (or has a permissions boundary, which Deny with NotPrincipal always denies)"
	}
	switch lvl {
	case pmDirect:
		return "Principal names the caller itself"
	case pmStar:
		return "Principal is \"*\" (everyone)"
	case pmRole:
		return "Principal names the role of the calling session"
	case pmAccount:
		return "Principal names the caller's account: the account delegates to its IAM policies"
	}
	return "Principal " + principalList(st.Principal) + " does not name the caller, its role or its account"
}

func principalList(p *Principal) string {
	var parts []string
	parts = append(parts, p.AWS...)
	parts = append(parts, p.Service...)
	parts = append(parts, p.Federated...)
	parts = append(parts, p.CanonicalUser...)
	return list(parts)
}

func (e *evaluator) resourceDetail(st *Statement, trust, match bool) string {
	if !st.hasResource {
		if trust {
			return "a trust policy statement applies to its role"
		}
		return "the statement has no Resource, so it matches no resource"
	}
	written := st.Resource
	if st.notResource {
		written = st.NotResource
	}
	var resolved []string
	for i := range st.resources {
		if st.resources[i].hasVars() {
			s, ok := st.resources[i].resolve(e.ctx, false)
			if !ok {
				s = st.resources[i].raw + " (a variable has no value in the request)"
			}
			resolved = append(resolved, s)
		}
	}
	suffix := ""
	if resolved != nil {
		suffix = " (with variables: " + list(resolved) + ")"
	}
	req := e.resource
	switch {
	case st.notResource && match:
		return req + " is not in NotResource " + list(written) + suffix
	case st.notResource:
		return req + " is excluded by NotResource " + list(written) + suffix
	case match:
		return req + " matches Resource " + list(written) + suffix
	case req == "*":
		return "the action has no resource-level permissions; only Resource \"*\" covers it, not " + list(written)
	}
	return req + " does not match Resource " + list(written) + suffix
}

func (e *evaluator) traceCondition(c *Condition) ConditionTrace {
	vs, found := e.ctx.Get(c.Key)
	res, missing := c.eval(e.ctx)
	ct := ConditionTrace{Operator: c.Operator, Key: c.Key, Values: c.Values, RequestValues: vs, Present: found && len(vs) > 0, Result: res}
	want := c.Operator + " " + c.Key + " " + list(c.Values)
	switch {
	case c.op == opNull && res:
		ct.Detail = "Null test holds: the key is " + presence(ct.Present)
	case c.op == opNull:
		ct.Detail = "Null test fails: the key is " + presence(ct.Present)
	case missing && res:
		ct.Detail = "the request has no " + c.Key + "; " + c.Operator + " is true for a missing key"
	case missing:
		ct.Detail = "the request has no " + c.Key + ", so " + want + " is false"
	case res:
		ct.Detail = "request value " + list(vs) + " satisfies " + want
	default:
		ct.Detail = "request value " + list(vs) + " does not satisfy " + want
	}
	for _, v := range c.vals {
		if !v.ok {
			ct.Detail += " (a policy value is not valid for " + opTable[c.op].name + " and matches nothing)"
			break
		}
	}
	return ct
}

func presence(present bool) string {
	if present {
		return "present"
	}
	return "absent"
}
