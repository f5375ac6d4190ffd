package kms

import (
	"maps"
	"slices"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// authz describes one authorization question about a key.
type authz struct {
	action string // "kms:Encrypt"
	// grantOp is the grant operation that can also allow the call
	// ("Decrypt"); empty when grants do not apply.
	grantOp     string
	encCtx      map[string]string
	grantTokens []string
	// encAlg is kms:EncryptionAlgorithm, when the operation has one.
	encAlg string
	extra  map[string][]string
}

// authorize asks the sandbox's Authorizer whether r's caller may perform
// a.action on key t, with the key policy as the resource policy and KMS's
// condition keys in the context. If the policies do not allow it (and
// nothing denies it explicitly), a grant for the caller can still allow it.
func (s *Service) authorize(r *svc.Request, t target, a authz) error {
	ctx := t.authzBase
	if len(a.encCtx) > 0 || len(a.extra) > 0 || t.alias != "" || a.encAlg != "" {
		ctx = make(map[string][]string, len(t.authzBase)+len(a.encCtx)+len(a.extra)+3)
		maps.Copy(ctx, t.authzBase)
		if t.alias != "" {
			ctx["kms:RequestAlias"] = []string{t.alias}
		}
		if a.encAlg != "" {
			ctx["kms:EncryptionAlgorithm"] = []string{a.encAlg}
		}
		addEncryptionContext(ctx, a.encCtx)
		maps.Copy(ctx, a.extra)
	}
	if r.Event != nil && !slices.Contains(r.Event.Resources, t.arn) {
		r.Event.Resources = append(r.Event.Resources, t.arn)
	}
	err := s.env.Authz.Authorize(r, svc.AuthzRequest{
		Action:             a.action,
		Resource:           t.arn,
		ResourceAccount:    t.rec.Account,
		ResourcePolicy:     t.rec.Policy,
		ResourcePolicyName: "key policy",
		Context:            ctx,
	})
	if err == nil || a.grantOp == "" {
		return err
	}
	if r.Event != nil && r.Event.Decision == "ExplicitlyDenied" {
		return err
	}
	g, gerr := s.grantAllowing(r, t, a.grantOp, a.encCtx, a.grantTokens)
	if gerr != nil {
		return gerr
	}
	if g == nil {
		return err
	}
	if r.Event != nil {
		r.Event.Decision, r.Event.Layer = "Allowed", "grant"
		r.Event.Statements = []string{"grant:" + g.GrantID}
	}
	return nil
}

// authorizeAll asks about an action without resource-level permissions
// (CreateKey, ListKeys, ListAliases, GenerateRandom): the resource is "*".
func (s *Service) authorizeAll(r *svc.Request, action string, ctx map[string][]string) error {
	return s.env.Authz.Authorize(r, svc.AuthzRequest{Action: action, Resource: "*", Context: ctx})
}

// addEncryptionContext adds kms:EncryptionContext:<key> and
// kms:EncryptionContextKeys for encCtx to ctx.
func addEncryptionContext(ctx map[string][]string, encCtx map[string]string) {
	if len(encCtx) == 0 {
		return
	}
	keys := make([]string, 0, len(encCtx))
	for k, v := range encCtx {
		ctx["kms:EncryptionContext:"+k] = []string{v}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	ctx["kms:EncryptionContextKeys"] = keys
}
