package secretsmanager

import (
	"encoding/json"
	"strings"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

type putPolicyInput struct {
	SecretID          string `json:"SecretId"`
	ResourcePolicy    string `json:"ResourcePolicy"`
	BlockPublicPolicy *bool  `json:"BlockPublicPolicy"`
}

type getPolicyOutput struct {
	ARN            string `json:"ARN"`
	Name           string `json:"Name"`
	ResourcePolicy string `json:"ResourcePolicy,omitempty"`
}

// putResourcePolicy attaches a secret policy. With BlockPublicPolicy (off
// by default, as the current API documents) a policy that grants broad
// access is refused.
func (s *Service) putResourcePolicy(r *svc.Request) (any, error) {
	var in putPolicyInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if err := validSecretID(in.SecretID); err != nil {
		return nil, err
	}
	if in.ResourcePolicy == "" {
		return nil, errRequired("resourcePolicy")
	}
	if len(in.ResourcePolicy) > maxPolicy {
		return nil, errLength("resourcePolicy", 1, maxPolicy)
	}
	block := in.BlockPublicPolicy != nil && *in.BlockPublicPolicy
	l, err := s.resolve(r, in.SecretID)
	if err != nil {
		return nil, err
	}
	ctx := map[string][]string{"secretsmanager:BlockPublicPolicy": {boolString(block)}}
	if err := s.authorize(r, access{action: "PutResourcePolicy", id: in.SecretID, l: l, ctx: ctx}); err != nil {
		return nil, err
	}
	if l.sec == nil {
		return nil, errNotFound()
	}
	doc, err := parsePolicy(in.ResourcePolicy)
	if err != nil {
		return nil, &svc.Error{Status: 400, Code: "MalformedPolicyDocumentException", Message: "The resource policy has syntax errors."}
	}
	if block && doc.public() {
		return nil, &svc.Error{Status: 400, Code: "PublicPolicyException", Message: "The BlockPublicPolicy parameter is set to true, and the resource policy did not prevent broad access to the secret."}
	}
	sec, err := s.mutate(r, l.sec.ARN, func(sec *secret) error {
		if sec.scheduled() {
			return errMarkedForDeletion()
		}
		sec.Policy = in.ResourcePolicy
		sec.LastChanged = now(r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return arnName{ARN: sec.ARN, Name: sec.Name}, nil
}

func (s *Service) getResourcePolicy(r *svc.Request) (any, error) {
	var in describeSecretInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if err := validSecretID(in.SecretID); err != nil {
		return nil, err
	}
	l, err := s.resolve(r, in.SecretID)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(r, access{action: "GetResourcePolicy", id: in.SecretID, l: l}); err != nil {
		return nil, err
	}
	if l.sec == nil {
		return nil, errNotFound()
	}
	return getPolicyOutput{ARN: l.sec.ARN, Name: l.sec.Name, ResourcePolicy: l.sec.Policy}, nil
}

func (s *Service) deleteResourcePolicy(r *svc.Request) (any, error) {
	var in describeSecretInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if err := validSecretID(in.SecretID); err != nil {
		return nil, err
	}
	l, err := s.resolve(r, in.SecretID)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(r, access{action: "DeleteResourcePolicy", id: in.SecretID, l: l}); err != nil {
		return nil, err
	}
	if l.sec == nil {
		return nil, errNotFound()
	}
	sec, err := s.mutate(r, l.sec.ARN, func(sec *secret) error {
		if sec.scheduled() {
			return errMarkedForDeletion()
		}
		sec.Policy = ""
		sec.LastChanged = now(r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return arnName{ARN: sec.ARN, Name: sec.Name}, nil
}

type validatePolicyInput struct {
	SecretID       string `json:"SecretId"`
	ResourcePolicy string `json:"ResourcePolicy"`
}

type validationError struct {
	CheckName    string `json:"CheckName"`
	ErrorMessage string `json:"ErrorMessage"`
}

type validatePolicyOutput struct {
	PolicyValidationPassed bool              `json:"PolicyValidationPassed"`
	ValidationErrors       []validationError `json:"ValidationErrors"`
}

// validateResourcePolicy checks a policy without attaching it: that it is a
// policy document, and that it does not grant broad access. AWS runs IAM
// Access Analyzer's checks here; the sandbox runs this smaller set, and
// the check names are its own (AWS's are UNCONFIRMED).
func (s *Service) validateResourcePolicy(r *svc.Request) (any, error) {
	var in validatePolicyInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if in.ResourcePolicy == "" {
		return nil, errRequired("resourcePolicy")
	}
	if len(in.ResourcePolicy) > maxPolicy {
		return nil, errLength("resourcePolicy", 1, maxPolicy)
	}
	a := access{action: "ValidateResourcePolicy"}
	if in.SecretID != "" {
		if err := validSecretID(in.SecretID); err != nil {
			return nil, err
		}
		l, err := s.resolve(r, in.SecretID)
		if err != nil {
			return nil, err
		}
		a.id, a.l = in.SecretID, l
	}
	if err := s.authorize(r, a); err != nil {
		return nil, err
	}
	out := validatePolicyOutput{ValidationErrors: []validationError{}}
	doc, err := parsePolicy(in.ResourcePolicy)
	switch {
	case err != nil:
		out.ValidationErrors = append(out.ValidationErrors, validationError{CheckName: "SYNTAX_ERROR", ErrorMessage: err.Error()})
	case doc.public():
		out.ValidationErrors = append(out.ValidationErrors, validationError{CheckName: "BROAD_ACCESS", ErrorMessage: "The policy grants access to every principal (\"*\") without a condition that limits it to an account or organization."})
	}
	out.PolicyValidationPassed = len(out.ValidationErrors) == 0
	return out, nil
}

// policyDoc is the little of a policy this package reads itself: enough to
// tell a document from garbage and spot a public grant. Access decisions
// are lab/policy's, through the Authorizer.
type policyDoc struct {
	Version   string          `json:"Version"`
	Statement json.RawMessage `json:"Statement"`
	stmts     []policyStmt
}

type policyStmt struct {
	Effect    string                     `json:"Effect"`
	Principal json.RawMessage            `json:"Principal"`
	Condition map[string]json.RawMessage `json:"Condition"`
}

func parsePolicy(text string) (*policyDoc, error) {
	var doc policyDoc
	if err := json.Unmarshal([]byte(text), &doc); err != nil {
		return nil, errSyntax("the policy is not valid JSON")
	}
	raw := strings.TrimSpace(string(doc.Statement))
	switch {
	case raw == "" || raw == "null":
		return nil, errSyntax("the policy has no Statement")
	case strings.HasPrefix(raw, "["):
		if err := json.Unmarshal(doc.Statement, &doc.stmts); err != nil {
			return nil, errSyntax("a statement is not a JSON object")
		}
	default:
		var st policyStmt
		if err := json.Unmarshal(doc.Statement, &st); err != nil {
			return nil, errSyntax("the Statement is not a JSON object or list")
		}
		doc.stmts = []policyStmt{st}
	}
	for _, st := range doc.stmts {
		if st.Effect != "Allow" && st.Effect != "Deny" {
			return nil, errSyntax("a statement's Effect must be Allow or Deny")
		}
	}
	return &doc, nil
}

type errSyntax string

func (e errSyntax) Error() string { return string(e) }

// limitingKeys are condition keys that confine a wildcard principal to an
// account or organization.
var limitingKeys = []string{"aws:principalaccount", "aws:sourceaccount", "aws:principalorgid", "aws:principalarn", "aws:sourcearn", "aws:principalorgpaths", "aws:userid"}

// public reports whether an Allow statement names every principal with no
// condition limiting it to an account or organization.
func (d *policyDoc) public() bool {
	for _, st := range d.stmts {
		if st.Effect != "Allow" || !wildcardPrincipal(st.Principal) {
			continue
		}
		limited := false
		for _, keys := range st.Condition {
			var m map[string]json.RawMessage
			if json.Unmarshal(keys, &m) != nil {
				continue
			}
			for k := range m {
				if hasString(limitingKeys, strings.ToLower(k)) {
					limited = true
				}
			}
		}
		if !limited {
			return true
		}
	}
	return false
}

func wildcardPrincipal(raw json.RawMessage) bool {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s == "*"
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return false
	}
	aws, ok := m["AWS"]
	if !ok {
		return false
	}
	if json.Unmarshal(aws, &s) == nil {
		return s == "*"
	}
	var list []string
	if json.Unmarshal(aws, &list) == nil {
		return hasString(list, "*")
	}
	return false
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
