package secretsmanager

import (
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// policyName names a secret's resource policy in explanations.
const policyName = "secret policy"

// access describes one authorization question about a secret.
type access struct {
	action string // "GetSecretValue"
	// id is the SecretId as the caller passed it; AWS writes it, not the
	// ARN, in the AccessDenied message (aws-semantics.md §6.3).
	id  string
	l   lookup
	ctx map[string][]string // extra condition keys
	// create marks CreateSecret: the secret does not exist yet, so no
	// SecretId or resource keys apply.
	create bool
}

// authorize asks the sandbox's Authorizer whether the caller may run
// a.action on the secret, with the secret's resource policy and the
// condition keys Secrets Manager defines. It runs before any existence
// check, so a missing secret is denied like an existing one.
func (s *Service) authorize(r *svc.Request, a access) error {
	ctx := map[string][]string{}
	for k, v := range a.ctx {
		ctx[k] = v
	}
	if a.id != "" && !a.create {
		ctx["secretsmanager:SecretId"] = []string{a.l.resource}
	}
	req := svc.AuthzRequest{
		Action:             ServiceName + ":" + a.action,
		Resource:           a.l.resource,
		ResourcePolicyName: policyName,
		ResourceInMessage:  a.id,
		Context:            ctx,
	}
	if a.l.resource == "" {
		req.Resource = "*"
	}
	if sec := a.l.sec; sec != nil && !a.create {
		req.ResourcePolicy = sec.Policy
		req.ResourceAccount = sec.Account
		ctx["secretsmanager:Name"] = []string{sec.Name}
		for _, t := range sec.Tags {
			ctx["secretsmanager:ResourceTag/"+t.Key] = []string{t.Value}
			ctx["aws:ResourceTag/"+t.Key] = []string{t.Value}
		}
		if sec.KeyARN != "" {
			ctx["secretsmanager:KmsKeyArn"] = []string{sec.KeyARN}
		}
	}
	if r.Event != nil && req.Resource != "*" {
		r.Event.Resources = []string{req.Resource}
	}
	return s.env.Authz.Authorize(r, req)
}

// requestTagContext adds aws:RequestTag/* and aws:TagKeys for tags in a
// request.
func requestTagContext(ctx map[string][]string, tags []tag) {
	if len(tags) == 0 {
		return
	}
	keys := make([]string, 0, len(tags))
	for _, t := range tags {
		ctx["aws:RequestTag/"+t.Key] = []string{t.Value}
		keys = append(keys, t.Key)
	}
	ctx["aws:TagKeys"] = keys
}

// addString sets ctx[key] when v is not empty.
func addString(ctx map[string][]string, key, v string) {
	if v != "" {
		ctx[key] = []string{v}
	}
}
