package iam

import (
	"strconv"
	"strings"

	"github.com/seclab-dev/seclab/lab/policy"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

type xmlStatement struct {
	SourcePolicyID   string `xml:"SourcePolicyId"`
	SourcePolicyType string `xml:"SourcePolicyType"`
}

type xmlEvalResult struct {
	EvalActionName       string         `xml:"EvalActionName"`
	EvalResourceName     string         `xml:"EvalResourceName"`
	EvalDecision         string         `xml:"EvalDecision"`
	MatchedStatements    []xmlStatement `xml:"MatchedStatements>member"`
	MissingContextValues []string       `xml:"MissingContextValues>member"`
}

type simulateResult struct {
	EvaluationResults []xmlEvalResult `xml:"EvaluationResults>member"`
	IsTruncated       bool            `xml:"IsTruncated"`
}

// simulation is one simulator run's inputs.
type simulation struct {
	principal  string
	account    string
	identity   []policy.Named
	boundaries []policy.Named
	resource   *policy.Named
	context    *policy.Context
}

func parseNamed(docs []string, k policy.Kind, prefix string) ([]policy.Named, error) {
	var out []policy.Named
	for i, d := range docs {
		pol, err := policy.ParseKind([]byte(d), k)
		if err != nil {
			return nil, malformed("%s", iamMessage(err.Error(), "Syntax errors in policy."))
		}
		out = append(out, policy.Named{Name: prefix + strconv.Itoa(i+1), Policy: pol})
	}
	return out, nil
}

// contextEntries reads ContextEntries.member.N.{ContextKeyName,ContextKeyValues.member.M}.
func contextEntries(p params) *policy.Context {
	c := policy.NewContext()
	for i := 1; ; i++ {
		pre := "ContextEntries.member." + strconv.Itoa(i)
		name := p.get(pre + ".ContextKeyName")
		if name == "" {
			return c
		}
		c.Set(name, p.list(pre+".ContextKeyValues")...)
	}
}

func (sim *simulation) run(p params) (simulateResult, error) {
	actions := p.list("ActionNames")
	if len(actions) == 0 {
		return simulateResult{}, validationError("actionNames", "null", "Member must not be null")
	}
	resources := p.list("ResourceArns")
	if len(resources) == 0 {
		resources = []string{"*"}
	}
	var out simulateResult
	for _, a := range actions {
		for _, res := range resources {
			ctx := sim.context.Clone()
			in := &policy.Input{
				Request:  policy.Request{Principal: sim.principal, Action: a, Resource: res, Context: ctx},
				Identity: sim.identity, Boundaries: sim.boundaries, Resource: sim.resource,
			}
			d := policy.Evaluate(in)
			r := xmlEvalResult{EvalActionName: a, EvalResourceName: res, MissingContextValues: d.MissingKeys}
			switch d.Result {
			case policy.Allowed:
				r.EvalDecision = "allowed"
			case policy.ExplicitlyDenied:
				r.EvalDecision = "explicitDeny"
			default:
				r.EvalDecision = "implicitDeny"
			}
			for _, st := range d.Statements {
				r.MatchedStatements = append(r.MatchedStatements, xmlStatement{SourcePolicyID: st.Policy, SourcePolicyType: "IAM Policy"})
			}
			out.EvaluationResults = append(out.EvaluationResults, r)
		}
	}
	return out, nil
}

func (sim *simulation) extra(p params) error {
	more, err := parseNamed(p.list("PolicyInputList"), policy.Identity, "PolicyInputList.")
	if err != nil {
		return err
	}
	sim.identity = append(sim.identity, more...)
	b, err := parseNamed(p.list("PermissionsBoundaryPolicyInputList"), policy.Managed, "PermissionsBoundaryPolicyInputList.")
	if err != nil {
		return err
	}
	sim.boundaries = append(sim.boundaries, b...)
	if rp := p.get("ResourcePolicy"); rp != "" {
		pol, err := policy.ParseKind([]byte(rp), policy.Resource)
		if err != nil {
			return malformed("%s", iamMessage(err.Error(), "Syntax errors in policy."))
		}
		sim.resource = &policy.Named{Name: "ResourcePolicy", Policy: pol}
	}
	if c := p.get("CallerArn"); c != "" {
		sim.principal = c
	}
	return nil
}

// simulatePrincipalPolicy evaluates the policies of a user, group or role
// (plus any PolicyInputList) for each action and resource.
func simulatePrincipalPolicy(s *Service, r *svc.Request, p params) (any, error) {
	src, err := p.required("PolicySourceArn")
	if err != nil {
		return nil, err
	}
	if err := s.authorize(r, "SimulatePrincipalPolicy", src, ""); err != nil {
		return nil, err
	}
	rest, _ := strings.CutPrefix(src, "arn:aws:iam::")
	account, res, _ := strings.Cut(rest, ":")
	typ, _, _ := strings.Cut(res, "/")
	name := res[strings.LastIndex(res, "/")+1:]
	var k *kind
	switch typ {
	case "user":
		k = userKind
	case "group":
		k = groupKind
	case "role":
		k = roleKind
	default:
		return nil, invalidInput("Invalid Entity Arn: %s does not clearly define entity type and name.", src)
	}
	var pr Principal
	err = s.env.Store.View(func(tx svc.Tx) error {
		e, err := mustEntity(tx, k, account, name)
		if err != nil {
			return err
		}
		if k == groupKind {
			pr = Principal{Found: true}
			return addEntityPolicies(tx, &pr, e, "")
		}
		ct := svc.CallerUser
		if k == roleKind {
			ct = svc.CallerAssumedRole
		}
		pr, err = principalPolicies(tx, svc.Caller{Type: ct, Account: account, Name: e.Name})
		return err
	})
	if err != nil {
		return nil, err
	}
	sim := &simulation{principal: src, account: account, context: contextEntries(p)}
	for _, np := range pr.Identity {
		pol, err := policy.ParseKind([]byte(np.Document), np.Kind())
		if err != nil {
			continue // stored documents were validated when written
		}
		sim.identity = append(sim.identity, policy.Named{Name: np.Name, Policy: pol})
	}
	if pr.Boundary != nil {
		if pol, err := policy.ParseKind([]byte(pr.Boundary.Document), pr.Boundary.Kind()); err == nil {
			sim.boundaries = append(sim.boundaries, policy.Named{Name: pr.Boundary.Name, Policy: pol})
		}
	}
	if err := sim.extra(p); err != nil {
		return nil, err
	}
	return sim.run(p)
}

// simulateCustomPolicy evaluates the given policies alone.
func simulateCustomPolicy(s *Service, r *svc.Request, p params) (any, error) {
	if err := s.authorize(r, "SimulateCustomPolicy", "*", ""); err != nil {
		return nil, err
	}
	if len(p.list("PolicyInputList")) == 0 {
		return nil, validationError("policyInputList", "null", "Member must not be null")
	}
	sim := &simulation{principal: r.Caller.ARN, account: r.Caller.Account, context: contextEntries(p)}
	if err := sim.extra(p); err != nil {
		return nil, err
	}
	return sim.run(p)
}
