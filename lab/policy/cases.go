package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// Case is one authorization case of the JSON-lines format read by
// `seclab policy eval` (docs: reference/policy-cases.md).
type Case struct {
	// ID is the case's id as written (a JSON string or number).
	ID json.RawMessage
	// Input is the evaluation input the case describes.
	Input Input
	// Expected is the optional "expected" decision.
	Expected string
}

type caseWire struct {
	ID      json.RawMessage `json:"id"`
	Request *struct {
		Principal string          `json:"principal"`
		Action    string          `json:"action"`
		Resource  json.RawMessage `json:"resource"`
		Context   map[string]any  `json:"context"`
	} `json:"request"`
	Identity   []json.RawMessage `json:"identityPolicies"`
	Resource   json.RawMessage   `json:"resourcePolicy"`
	Boundaries []json.RawMessage `json:"permissionBoundaries"`
	Session    json.RawMessage   `json:"sessionPolicy"`
	SCPs       []levelWire       `json:"serviceControlPolicies"`
	RCPs       []levelWire       `json:"resourceControlPolicies"`
	Expected   string            `json:"expected"`
}

type levelWire struct {
	Org      string            `json:"orgIdentifier"`
	Policies []json.RawMessage `json:"policies"`
}

// DecodeCase reads one case line. On error, the returned Case still carries
// the id when it could be read. Policies are named after their place in the
// case, as the format's example does: "identityPolicies[0]",
// "resourcePolicy", "permissionBoundaries[0]", "sessionPolicy",
// "serviceControlPolicies[1].policies[0]", "resourceControlPolicies[0].policies[0]".
func DecodeCase(line []byte) (*Case, error) {
	var w caseWire
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	if err := dec.Decode(&w); err != nil {
		var id struct {
			ID json.RawMessage `json:"id"`
		}
		_ = json.Unmarshal(line, &id)
		return &Case{ID: id.ID}, fmt.Errorf("the case is not valid JSON: %w", err)
	}
	c := &Case{ID: w.ID, Expected: w.Expected}
	if w.Request == nil {
		return c, fmt.Errorf("the case has no request")
	}
	r := w.Request
	if r.Principal == "" || r.Action == "" {
		return c, fmt.Errorf("request.principal and request.action are required")
	}
	in := &c.Input
	in.Request.Principal, in.Request.Action = r.Principal, r.Action
	if err := decodeResource(r.Resource, &in.Request); err != nil {
		return c, err
	}
	if len(r.Context) > 0 {
		in.Request.Context = NewContext()
		for k, v := range r.Context {
			vals, err := contextValues(v)
			if err != nil {
				return c, fmt.Errorf("request.context[%q]: %w", k, err)
			}
			in.Request.Context.Set(k, vals...)
		}
	}
	var err error
	parseNamed := func(raw json.RawMessage, name string) (*Named, error) {
		p, perr := Parse(raw)
		if perr != nil {
			return nil, fmt.Errorf("%s: %w", name, perr)
		}
		return &Named{Name: name, Policy: p}, nil
	}
	for i, raw := range w.Identity {
		n, err := parseNamed(raw, "identityPolicies["+strconv.Itoa(i)+"]")
		if err != nil {
			return c, err
		}
		in.Identity = append(in.Identity, *n)
	}
	if isPresent(w.Resource) {
		if in.Resource, err = parseNamed(w.Resource, "resourcePolicy"); err != nil {
			return c, err
		}
	}
	for i, raw := range w.Boundaries {
		n, err := parseNamed(raw, "permissionBoundaries["+strconv.Itoa(i)+"]")
		if err != nil {
			return c, err
		}
		in.Boundaries = append(in.Boundaries, *n)
	}
	if isPresent(w.Session) {
		if in.Session, err = parseNamed(w.Session, "sessionPolicy"); err != nil {
			return c, err
		}
	}
	for _, org := range []struct {
		prefix string
		in     []levelWire
		out    *[]Level
	}{{"serviceControlPolicies", w.SCPs, &in.SCPs}, {"resourceControlPolicies", w.RCPs, &in.RCPs}} {
		for li, lw := range org.in {
			lv := Level{Org: lw.Org}
			for i, raw := range lw.Policies {
				n, err := parseNamed(raw, fmt.Sprintf("%s[%d].policies[%d]", org.prefix, li, i))
				if err != nil {
					return c, err
				}
				lv.Policies = append(lv.Policies, *n)
			}
			*org.out = append(*org.out, lv)
		}
	}
	return c, nil
}

func isPresent(raw json.RawMessage) bool {
	return len(raw) > 0 && !bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

func decodeResource(raw json.RawMessage, r *Request) error {
	if !isPresent(raw) {
		return fmt.Errorf("request.resource is required")
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		r.Resource = s
		if _, _, _, acct, _, ok := splitARN(s); ok {
			r.ResourceAccount = acct
		}
		return nil
	}
	var o struct {
		Resource  string `json:"resource"`
		AccountID string `json:"accountId"`
	}
	if err := json.Unmarshal(raw, &o); err != nil || o.Resource == "" {
		return fmt.Errorf("request.resource must be an ARN string or {\"resource\": ARN, \"accountId\": ACCOUNT}")
	}
	r.Resource, r.ResourceAccount = o.Resource, o.AccountID
	return nil
}

func contextValues(v any) ([]string, error) {
	switch x := v.(type) {
	case string:
		return []string{x}, nil
	case json.Number:
		return []string{x.String()}, nil
	case bool:
		return []string{strconv.FormatBool(x)}, nil
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			s, err := contextValues(e)
			if err != nil || len(s) != 1 {
				return nil, fmt.Errorf("a list may hold only strings, numbers and booleans")
			}
			out = append(out, s[0])
		}
		return out, nil
	}
	return nil, fmt.Errorf("a value must be a string or a list of strings")
}

// CaseResult is one output line of `seclab policy eval`.
type CaseResult struct {
	ID          json.RawMessage `json:"id"`
	Decision    string          `json:"decision,omitempty"`
	Layer       string          `json:"layer,omitempty"`
	Statements  []caseStatement `json:"statements,omitempty"`
	MissingKeys []string        `json:"missingContextKeys,omitempty"`
	Error       string          `json:"error,omitempty"`
}

type caseStatement struct {
	Policy string `json:"policy"`
	Sid    string `json:"sid,omitempty"`
	Index  *int   `json:"index,omitempty"`
	Effect string `json:"effect"`
}

// EvalCaseLine decodes and evaluates one case line; a bad line yields a
// result with Error set.
func EvalCaseLine(line []byte) CaseResult {
	c, err := DecodeCase(line)
	id := c.ID
	if len(id) == 0 {
		id = json.RawMessage("null")
	}
	if err != nil {
		return CaseResult{ID: id, Error: err.Error()}
	}
	d := Evaluate(&c.Input)
	res := CaseResult{ID: id, Decision: d.Result.String(), Layer: d.Layer, MissingKeys: d.MissingKeys}
	for _, s := range d.Statements {
		cs := caseStatement{Policy: s.Policy, Sid: s.Sid, Effect: s.Effect}
		if s.Sid == "" {
			i := s.Index
			cs.Index = &i
		}
		res.Statements = append(res.Statements, cs)
	}
	return res
}
