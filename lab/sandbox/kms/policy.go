package kms

import (
	"strings"

	"github.com/seclab-dev/seclab/lab/policy"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// defaultKeyPolicy is the policy CreateKey gives a key when the request has
// none, byte for byte as GetKeyPolicy returns it (aws-semantics §3.5).
func defaultKeyPolicy(account string) string {
	return "{\n  \"Version\" : \"2012-10-17\",\n  \"Id\" : \"key-default-1\",\n  \"Statement\" : [ {\n" +
		"    \"Sid\" : \"Enable IAM User Permissions\",\n    \"Effect\" : \"Allow\",\n    \"Principal\" : {\n" +
		"      \"AWS\" : \"arn:aws:iam::" + account + ":root\"\n    },\n    \"Action\" : \"kms:*\",\n" +
		"    \"Resource\" : \"*\"\n  } ]\n}"
}

// maxPolicyBytes is the key policy quota (32 KB, not adjustable).
const maxPolicyBytes = 32768

// checkNewPolicy validates a key policy for CreateKey or PutKeyPolicy on
// key arn and returns it in KMS's stored form. Unless bypass is set, it
// refuses a policy that would stop the caller from calling PutKeyPolicy
// afterwards (the lockout safety check, aws-semantics §1.3).
//
// The check simulates that future call: it asks the sandbox's Authorizer
// (which evaluates with lab/policy, every layer included) whether the
// caller could perform kms:PutKeyPolicy on the key with the new policy as
// its key policy. The simulation runs on a private copy of the request, so
// its decision never reaches the trail.
func (s *Service) checkNewPolicy(r *svc.Request, arn, account, doc string, bypass bool) (string, error) {
	if len(doc) > maxPolicyBytes {
		// UNCONFIRMED wording; the code is the documented one.
		return "", kmsErr("LimitExceededException", "The key policy exceeds the maximum size of 32768 bytes.")
	}
	if strings.TrimSpace(doc) == "" {
		return "", errConstraint("policy", "Member must have length greater than or equal to 1")
	}
	if err := s.checkPolicyShape(doc); err != nil {
		return "", err
	}
	pretty, err := prettyPolicy(doc)
	if err != nil {
		return "", errMalformedPolicy("this policy contains invalid JSON: " + err.Error())
	}
	if bypass {
		return pretty, nil
	}
	sim := *r
	sim.Operation = "PutKeyPolicy"
	sim.Event = svc.NewEvent(&sim)
	err = s.env.Authz.Authorize(&sim, svc.AuthzRequest{
		Action:             "kms:PutKeyPolicy",
		Resource:           arn,
		ResourceAccount:    account,
		ResourcePolicy:     pretty,
		ResourcePolicyName: "key policy",
	})
	if err == nil {
		return pretty, nil
	}
	if e, ok := err.(*svc.Error); ok {
		if e.Code == "AccessDeniedException" {
			return "", errLockout()
		}
		return "", errMalformedPolicy(e.Message)
	}
	return "", errInternal("lockout check", err)
}

// checkPolicyShape parses doc as a key policy with lab/policy: the policy
// grammar, with statements allowed to lack Action or Resource as KMS allows
// (aws-semantics §3.4). The parser's message (with line and column) is the
// message of the MalformedPolicyDocumentException. Principals must exist
// (when the sandbox wired a Principals).
func (s *Service) checkPolicyShape(doc string) error {
	p, err := policy.ParseKind([]byte(doc), policy.KeyPolicy)
	if err != nil {
		return errMalformedPolicy(err.Error())
	}
	return s.checkPrincipals(p)
}

type keyPolicyInput struct {
	KeyID                          string  `json:"KeyId"`
	PolicyName                     *string `json:"PolicyName"`
	Policy                         *string `json:"Policy"`
	BypassPolicyLockoutSafetyCheck bool    `json:"BypassPolicyLockoutSafetyCheck"`
}

type getKeyPolicyOutput struct {
	Policy     string `json:"Policy"`
	PolicyName string `json:"PolicyName"`
}

// checkPolicyName accepts only "default", the one name every key policy
// has (aws-semantics §3.4).
func checkPolicyName(name *string) error {
	if name == nil || *name == "default" {
		return nil
	}
	return kmsErr("NotFoundException", "No such policy exists") // UNCONFIRMED wording
}

func (s *Service) getKeyPolicy(r *svc.Request) (any, error) {
	var in keyPolicyInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	t, err := s.resolveAuthorized(r, in.KeyID, "kms:GetKeyPolicy")
	if err != nil {
		return nil, err
	}
	if err := checkPolicyName(in.PolicyName); err != nil {
		return nil, err
	}
	return getKeyPolicyOutput{Policy: t.rec.Policy, PolicyName: "default"}, nil
}

func (s *Service) putKeyPolicy(r *svc.Request) (any, error) {
	var in keyPolicyInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if in.Policy == nil {
		return nil, errNull("policy")
	}
	t, err := s.resolveAuthorized(r, in.KeyID, "kms:PutKeyPolicy")
	if err != nil {
		return nil, err
	}
	if err := checkPolicyName(in.PolicyName); err != nil {
		return nil, err
	}
	if err := notManaged(t); err != nil {
		return nil, err
	}
	pretty, err := s.checkNewPolicy(r, t.arn, t.rec.Account, *in.Policy, in.BypassPolicyLockoutSafetyCheck)
	if err != nil {
		return nil, err
	}
	return struct{}{}, s.updateKey(r, t.rec.ID, func(k *keyRecord) error {
		k.Policy = pretty
		return nil
	})
}

type listKeyPoliciesOutput struct {
	PolicyNames []string `json:"PolicyNames"`
	Truncated   bool     `json:"Truncated"`
}

func (s *Service) listKeyPolicies(r *svc.Request) (any, error) {
	var in keyIDInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if _, err := s.resolveAuthorized(r, in.KeyID, "kms:ListKeyPolicies"); err != nil {
		return nil, err
	}
	return listKeyPoliciesOutput{PolicyNames: []string{"default"}}, nil
}
