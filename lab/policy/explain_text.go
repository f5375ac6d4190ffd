package policy

import (
	"fmt"
	"strings"
)

// path reconstructs the evaluation path from the statement traces.
func (e *evaluator) path(x *Explanation) []Step {
	in := e.in
	if equalFoldLower("sts:getcalleridentity", e.action) {
		return []Step{{Layer: LayerIdentity, Outcome: "allow", Detail: "sts:GetCallerIdentity is always allowed; no policy can deny it"}}
	}
	var steps []Step
	applied := func(layer string, effect string) []string {
		var out []string
		for _, pt := range x.Policies {
			if pt.Layer != layer {
				continue
			}
			for _, st := range pt.Statements {
				if st.Applies && st.Ref.Effect == effect {
					out = append(out, st.Ref.String())
				}
			}
		}
		return out
	}
	var denies []string
	for _, l := range layerNames {
		denies = append(denies, applied(l, "Deny")...)
	}
	if len(denies) > 0 {
		steps = append(steps, Step{"explicit-deny", "deny", "a Deny statement matches: " + strings.Join(denies, ", ") + "; an explicit deny always wins"})
	} else {
		steps = append(steps, Step{"explicit-deny", "none", "no Deny statement matches the request"})
	}
	switch {
	case len(in.SCPs) == 0:
		steps = append(steps, Step{LayerSCP, "none", "no service control policies (the account is not in an organization)"})
	case e.c.kind == callerService:
		steps = append(steps, Step{LayerSCP, "skip", "SCPs do not apply to service principals"})
	default:
		var missing []string
		for i := range in.SCPs {
			if !e.levelAllows(&in.SCPs[i]) {
				missing = append(missing, in.SCPs[i].Org)
			}
		}
		if missing == nil {
			steps = append(steps, Step{LayerSCP, "allow", fmt.Sprintf("an SCP allows the action at every organization level (%d)", len(in.SCPs))})
		} else {
			steps = append(steps, Step{LayerSCP, "implicit-deny", "no SCP allows the action at level " + strings.Join(missing, ", ") + "; every level must allow"})
		}
	}
	if len(in.RCPs) > 0 {
		if rcpServices[serviceOf(e.action)] {
			steps = append(steps, Step{LayerRCP, "allow", "RCPFullAWSAccess is attached at every level, so only an RCP Deny could refuse"})
		} else {
			steps = append(steps, Step{LayerRCP, "skip", "resource control policies do not apply to " + serviceOf(e.action)})
		}
	}
	steps = append(steps, e.resourceStep(x))
	idAllows := applied(LayerIdentity, "Allow")
	switch {
	case e.c.kind == callerRoot:
		steps = append(steps, Step{LayerIdentity, "allow", "the account root user has full access in its own account"})
	case len(idAllows) > 0:
		steps = append(steps, Step{LayerIdentity, "allow", "allowed by " + strings.Join(idAllows, ", ")})
	case len(in.Identity) == 0:
		steps = append(steps, Step{LayerIdentity, "implicit-deny", "the caller has no identity-based policies"})
	default:
		steps = append(steps, Step{LayerIdentity, "implicit-deny", "no identity-based policy statement allows " + e.action + " on " + e.resource})
	}
	if len(in.Boundaries) > 0 {
		if b := applied(LayerBoundary, "Allow"); len(b) > 0 {
			steps = append(steps, Step{LayerBoundary, "allow", "the permissions boundary allows it (" + strings.Join(b, ", ") + ")"})
		} else {
			steps = append(steps, Step{LayerBoundary, "implicit-deny", "the permissions boundary does not allow " + e.action + "; it limits identity-based grants and resource grants to the role"})
		}
	}
	if in.Session != nil {
		if s := applied(LayerSession, "Allow"); len(s) > 0 {
			steps = append(steps, Step{LayerSession, "allow", "the session policy allows it (" + strings.Join(s, ", ") + ")"})
		} else {
			steps = append(steps, Step{LayerSession, "implicit-deny", "the session policy does not allow " + e.action + "; it limits everything but grants to the session ARN itself"})
		}
	}
	steps = append(steps, Step{"decision", outcomeOf(x.Decision.Result), e.ruleText(x.Decision)})
	return steps
}

func outcomeOf(r Result) string {
	switch r {
	case Allowed:
		return "allow"
	case ExplicitlyDenied:
		return "deny"
	}
	return "implicit-deny"
}

// levelAllows reports whether some SCP at the level allows the request.
func (e *evaluator) levelAllows(lv *Level) bool {
	var t evaluator
	t.init(e.in)
	for pi := range lv.Policies {
		if t.scan(lSCP, &lv.Policies[pi]) {
			return true
		}
	}
	return false
}

func (e *evaluator) resourceStep(x *Explanation) Step {
	n := e.in.Resource
	name := "resource-based policy"
	switch {
	case e.isKey:
		name = "key policy"
	case e.isTrust:
		name = "role trust policy"
	}
	if n == nil || n.Policy == nil {
		if e.isKey || e.isTrust {
			return Step{LayerResource, "implicit-deny", "no " + name + " was given, and it must allow the request"}
		}
		return Step{LayerResource, "none", "no resource-based policy"}
	}
	var e2 evaluator
	lvl := e2.evaluateResourceLevel(e.in)
	switch lvl {
	case pmDirect:
		return Step{LayerResource, "allow", "the " + name + " (" + n.Name + ") allows the caller by its own ARN"}
	case pmStar:
		return Step{LayerResource, "allow", "the " + name + " (" + n.Name + ") allows everyone (Principal \"*\")"}
	case pmRole:
		return Step{LayerResource, "allow", "the " + name + " (" + n.Name + ") allows the caller's role"}
	case pmAccount:
		return Step{LayerResource, "delegate", "the " + name + " (" + n.Name + ") allows the caller's account, which delegates to the account's IAM policies"}
	}
	return Step{LayerResource, "implicit-deny", "no statement of the " + name + " (" + n.Name + ") allows the caller to perform " + e.action}
}

// evaluateResourceLevel returns the resource policy's principal match level.
func (e *evaluator) evaluateResourceLevel(in *Input) int {
	e.init(in)
	return e.scanResource(in.Resource)
}

// ruleText states the combining rule that produced the decision.
func (e *evaluator) ruleText(d Decision) string {
	switch {
	case d.Result == ExplicitlyDenied:
		return "denied: an explicit deny in the " + d.Layer + " layer overrides every allow"
	case d.Result == Allowed && e.cross:
		return "allowed: cross-account access needs both the resource policy and the caller's own identity-based policies, and both allow"
	case d.Result == Allowed && d.Layer == LayerResource:
		return "allowed: within one account a resource-based policy that names the caller is enough on its own"
	case d.Result == Allowed:
		return "allowed by the identity-based policies"
	case d.Layer == LayerSCP:
		return "denied: an SCP level does not allow the action"
	case d.Layer == LayerResource && e.isKey:
		return "denied: IAM policies alone never grant access to a KMS key; the key policy must allow the caller or delegate to its account"
	case d.Layer == LayerResource && e.isTrust:
		return "denied: the role's trust policy must allow the caller to assume it"
	case d.Layer == LayerResource && e.cross:
		return "denied: cross-account access needs the resource's policy to allow the caller or its account"
	case d.Layer == LayerBoundary:
		return "denied: the permissions boundary does not allow the action"
	case d.Layer == LayerSession:
		return "denied: the session policy does not allow the action"
	}
	return "denied: nothing allows the request (implicit deny)"
}

// String renders the explanation as readable lines.
func (x *Explanation) String() string {
	var b strings.Builder
	r := &x.Request
	fmt.Fprintf(&b, "Request:  %s (%s) -> %s on %s", r.Principal, r.PrincipalType, r.Action, r.Resource)
	if r.CrossAccount {
		fmt.Fprintf(&b, " (cross-account: resource in %s)", r.ResourceAccount)
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "Decision: %s", x.Decision.Result)
	if x.Decision.Layer != "" {
		fmt.Fprintf(&b, " (layer: %s)", x.Decision.Layer)
	}
	b.WriteString("\n")
	if len(x.Decision.Statements) > 0 {
		refs := make([]string, len(x.Decision.Statements))
		for i, s := range x.Decision.Statements {
			refs[i] = s.String()
		}
		fmt.Fprintf(&b, "Decisive: %s\n", strings.Join(refs, ", "))
	}
	if x.Message != "" {
		fmt.Fprintf(&b, "AccessDenied: %s\n", x.Message)
	}
	if len(x.Decision.MissingKeys) > 0 {
		fmt.Fprintf(&b, "Missing context keys: %s\n", strings.Join(x.Decision.MissingKeys, ", "))
	}
	b.WriteString("\nEvaluation path:\n")
	for i, s := range x.Path {
		fmt.Fprintf(&b, "  %d. %-13s %-13s %s\n", i+1, s.Layer, s.Outcome, s.Detail)
	}
	for _, pt := range x.Policies {
		fmt.Fprintf(&b, "\n[%s] %s\n", pt.Layer, pt.Name)
		for _, st := range pt.Statements {
			mark := "does not apply"
			if st.Applies {
				mark = "APPLIES"
			}
			fmt.Fprintf(&b, "  %s (%s): %s\n", st.Ref.String(), st.Ref.Effect, mark)
			if st.Principal != nil {
				fmt.Fprintf(&b, "    principal %s %s\n", tick(st.Principal.Match), st.Principal.Detail)
			}
			fmt.Fprintf(&b, "    action    %s %s\n", tick(st.Action.Match), st.Action.Detail)
			fmt.Fprintf(&b, "    resource  %s %s\n", tick(st.Resource.Match), st.Resource.Detail)
			for _, c := range st.Conditions {
				fmt.Fprintf(&b, "    condition %s %s\n", tick(c.Result), c.Detail)
			}
		}
	}
	return b.String()
}

func tick(ok bool) string {
	if ok {
		return "yes"
	}
	return "no "
}
