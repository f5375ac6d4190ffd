package policy

// Evaluate decides a request against every policy layer, following the
// documented IAM evaluation logic:
//
//  1. sts:GetCallerIdentity is always allowed.
//  2. An explicit Deny in any layer (SCP, RCP, resource, identity,
//     boundary, session) denies.
//  3. Every SCP level of the caller's organization must allow.
//  4. Same account: an identity-based Allow or a resource-based Allow that
//     names the caller, its role or "*" is enough (a union). A KMS key
//     policy or role trust policy must allow in any case; naming only the
//     account delegates the decision to IAM policies.
//  5. Cross-account: the resource policy must allow (naming the account is
//     enough) and the caller's own identity policies must allow.
//  6. A permissions boundary and a session policy limit the identity-based
//     grant and a resource grant to the role ARN; a same-account resource
//     grant naming the user or the session ARN itself is not limited by a
//     boundary, and a grant naming the session ARN not by the session
//     policy.
//
// The account root user has full access in its own account: its identity
// side always allows, while explicit Denies, SCPs and KMS key policies
// still apply. Evaluate does not build an explanation; see [Explain].
func Evaluate(in *Input) Decision {
	if in == nil {
		return Decision{Result: ImplicitlyDenied, Layer: LayerIdentity}
	}
	var e evaluator
	return e.evaluate(in)
}

func (e *evaluator) evaluate(in *Input) Decision {
	e.init(in)
	if e.svc == "sts" && equalFoldLower("sts:getcalleridentity", e.action) {
		return Decision{Result: Allowed}
	}
	svcCaller := e.c.kind == callerService

	// Service control policies: every level must allow.
	scpOK := true
	if !svcCaller {
		for li := range in.SCPs {
			lv := &in.SCPs[li]
			ok := false
			for pi := range lv.Policies {
				if e.scan(lSCP, &lv.Policies[pi]) {
					ok = true
				}
			}
			if !ok {
				scpOK = false
			}
		}
	}
	// Resource control policies: RCPFullAWSAccess is implied at every
	// level, so only their Denies matter.
	if !svcCaller && len(in.RCPs) > 0 && rcpServices[e.svc] {
		for li := range in.RCPs {
			lv := &in.RCPs[li]
			for pi := range lv.Policies {
				e.scanRCP(&lv.Policies[pi])
			}
		}
	}
	rp := e.scanResource(in.Resource)

	idAllow := false
	for i := range in.Identity {
		if e.scan(lIdentity, &in.Identity[i]) {
			idAllow = true
		}
	}
	root := e.c.kind == callerRoot
	if root {
		idAllow = true
	}
	bAllow := true
	if !root {
		for i := range in.Boundaries {
			if !e.scan(lBoundary, &in.Boundaries[i]) {
				bAllow = false
			}
		}
	}
	sAllow := true
	if in.Session != nil && !root {
		sAllow = e.scan(lSession, in.Session)
	}

	if e.denies.n > 0 {
		return e.finish(ExplicitlyDenied, e.denyLayer(), &e.denies)
	}
	if !scpOK {
		return e.finish(ImplicitlyDenied, LayerSCP, nil)
	}
	idLayerFail := func() string {
		switch {
		case !idAllow:
			return LayerIdentity
		case !bAllow:
			return LayerBoundary
		}
		return LayerSession
	}
	idOK := idAllow && bAllow && sAllow
	mustResource := e.isKey || e.isTrust
	if e.cross || (mustResource && rp == pmAccount) {
		if rp < pmAccount {
			return e.finish(ImplicitlyDenied, LayerResource, nil)
		}
		if !idOK {
			return e.finish(ImplicitlyDenied, idLayerFail(), nil)
		}
		return e.finish(Allowed, LayerIdentity, &e.allows)
	}
	if mustResource && rp == pmNone {
		return e.finish(ImplicitlyDenied, LayerResource, nil)
	}
	// Same account: union of identity-based and resource-based grants.
	rpGrant := rp >= pmRole
	if !idAllow && !rpGrant {
		return e.finish(ImplicitlyDenied, LayerIdentity, nil)
	}
	if !bAllow && !(rpGrant && rp >= pmStar) {
		return e.finish(ImplicitlyDenied, LayerBoundary, nil)
	}
	if !sAllow && rp != pmDirect {
		return e.finish(ImplicitlyDenied, LayerSession, nil)
	}
	layer := LayerIdentity
	if !idOK {
		layer = LayerResource
	}
	return e.finish(Allowed, layer, &e.allows)
}

// scanRCP records the matching Denies of a resource control policy.
func (e *evaluator) scanRCP(n *Named) {
	if n == nil || n.Policy == nil {
		return
	}
	for i := range n.Policy.Statements {
		st := &n.Policy.Statements[i]
		if !st.deny {
			continue
		}
		if (st.Principal != nil || st.NotPrincipal != nil) && e.principalLevel(st) == pmNone {
			continue
		}
		if e.applies(st, false) {
			e.denies.add(hit{lRCP, n, st})
		}
	}
}

// denyLayer names the first layer, in documented order, with a matching Deny.
func (e *evaluator) denyLayer() string {
	best := e.denies.at(0).layer
	for i := 1; i < e.denies.n; i++ {
		if l := e.denies.at(i).layer; l < best {
			best = l
		}
	}
	return layerNames[best]
}

func (e *evaluator) finish(r Result, layer string, hits *hitList) Decision {
	d := Decision{Result: r, Layer: layer}
	if len(e.missing) > 0 {
		d.MissingKeys = append([]string(nil), e.missing...)
	}
	if hits != nil && hits.n > 0 {
		d.Statements = statementRefs(hits)
	}
	return d
}

// serviceOf returns the lowercased service prefix of an action.
func serviceOf(action string) string {
	for i := 0; i < len(action); i++ {
		if action[i] == ':' {
			s := action[:i]
			for j := 0; j < len(s); j++ {
				if s[j] >= 'A' && s[j] <= 'Z' {
					b := []byte(s)
					for k := range b {
						if b[k] >= 'A' && b[k] <= 'Z' {
							b[k] += 'a' - 'A'
						}
					}
					return string(b)
				}
			}
			return s
		}
	}
	return ""
}
