package policy

// DeniedMessage returns the text of the AccessDenied message AWS returns
// for a denied request (without the error code), for example
//
//	User: arn:aws:iam::111122223333:user/bob is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:…:key/… because no identity-based policy allows the kms:Decrypt action
//
// The phrase names one policy type (IAM User Guide, "Troubleshoot access
// denied error messages"). Requests on "*" leave out "on resource". For KMS
// keys it follows KMS's wording: "no resource-based policy" when the key
// policy neither names the caller nor delegates to the caller's account,
// "no identity-based policy" when it delegates but IAM does not allow. It
// returns "" for an allowed decision.
func DeniedMessage(in *Input, d Decision) string {
	if in == nil {
		return ""
	}
	return DeniedMessageAs(in, d, in.Request.Resource)
}

// DeniedMessageAs is DeniedMessage with the resource written as given, for
// the places where AWS does not print the ARN: IAM's "user bob" and
// "role name" quirk, or a secret named by the caller ("on resource:
// sharepoint_account"). "" or "*" leaves out "on resource".
func DeniedMessageAs(in *Input, d Decision, resource string) string {
	if d.Result == Allowed || in == nil {
		return ""
	}
	r := &in.Request
	onResource := ""
	if resource != "" && resource != "*" {
		onResource = " on resource: "
	} else {
		resource = ""
	}
	var e evaluator
	e.init(in)
	// Each message is one concatenation: one allocation.
	if d.Result == ExplicitlyDenied {
		phrase := policyTypePhrase(d.Layer, e.isTrust)
		return "User: " + r.Principal + " is not authorized to perform: " + r.Action + onResource + resource +
			" with an explicit deny in " + articleOf(phrase) + phrase
	}
	layer := d.Layer
	if e.isKey && (layer == LayerResource || layer == LayerIdentity) {
		layer = LayerResource
		if in.Resource != nil && in.Resource.Policy != nil && e.keyPolicyNamesCaller(in.Resource.Policy) {
			layer = LayerIdentity
		}
	}
	return "User: " + r.Principal + " is not authorized to perform: " + r.Action + onResource + resource +
		" because no " + policyTypePhrase(layer, e.isTrust) + " allows the " + r.Action + " action"
}

// policyTypePhrase returns the phrase AWS uses for a layer's policy type.
// An SCP level without a matching Allow is rendered as "because no service
// control policy allows", the form of the IAM troubleshooting page's
// examples; aws-semantics.md §4.1 says AWS reports it as an explicit deny
// in a service control policy. Which one current AWS prints is unconfirmed.
func policyTypePhrase(layer string, trust bool) string {
	switch layer {
	case LayerResource:
		if trust {
			return "role trust policy"
		}
		return "resource-based policy"
	case LayerBoundary:
		return "permissions boundary"
	case LayerSession:
		return "session policy"
	case LayerSCP:
		return "service control policy"
	case LayerRCP:
		return "resource control policy"
	}
	return "identity-based policy"
}

// articleOf returns the indefinite article for phrase, with its space.
func articleOf(phrase string) string {
	switch phrase[0] {
	case 'a', 'e', 'i', 'o', 'u':
		return "an "
	}
	return "a "
}

// keyPolicyNamesCaller reports whether any Allow statement of a key policy
// names the caller, its role or its account, whatever the action.
func (e *evaluator) keyPolicyNamesCaller(p *Policy) bool {
	for i := range p.Statements {
		st := &p.Statements[i]
		if !st.deny && e.principalLevel(st) != pmNone {
			return true
		}
	}
	return false
}
