package kms

import (
	"strings"

	"github.com/seclab-dev/seclab/lab/policy"
)

// Principals tells KMS whether an IAM user or role exists. Package sandbox
// wires it to IAM with UsePrincipals; without it, key policies may name
// principals that do not exist.
type Principals interface {
	PrincipalExists(arn string) (bool, error)
}

// UsePrincipals makes CreateKey and PutKeyPolicy refuse key policies that
// name IAM users or roles that do not exist, as KMS does
// (MalformedPolicyDocumentException: Policy contains a statement with one
// or more invalid principals.). Call it before the sandbox serves requests.
func (s *Service) UsePrincipals(p Principals) { s.principals = p }

// checkPrincipals checks the user and role ARNs p's statements name.
// Accounts, account roots, "*" and service principals need no lookup.
func (s *Service) checkPrincipals(p *policy.Policy) error {
	if s.principals == nil {
		return nil
	}
	for _, st := range p.Statements {
		for _, pr := range []*policy.Principal{st.Principal, st.NotPrincipal} {
			if pr == nil {
				continue
			}
			for _, arn := range pr.AWS {
				if !strings.HasPrefix(arn, "arn:aws:iam::") || !(strings.Contains(arn, ":user/") || strings.Contains(arn, ":role/")) {
					continue
				}
				ok, err := s.principals.PrincipalExists(arn)
				if err != nil {
					return errInternal("look up principal", err)
				}
				if !ok {
					return errMalformedPolicy("Policy contains a statement with one or more invalid principals.")
				}
			}
		}
	}
	return nil
}
