package policy

import "strings"

func (v *validator) statement(i int, st *Statement) {
	k := v.kind
	hasP := st.Principal != nil || st.NotPrincipal != nil
	needP := k == Resource || k == KeyPolicy || k == Trust || k == RCP
	noP := k == Identity || k == Managed || k == AWSManaged || k == Session || k == SCP
	switch {
	case hasP && noP && k == SCP:
		v.add(SeverityError, "SCP_SYNTAX_ERROR_PRINCIPAL", stmtPath(i, key(principalElem(st))), "service control policies do not support Principal or NotPrincipal")
	case hasP && noP:
		v.add(SeverityError, "UNSUPPORTED_PRINCIPAL", stmtPath(i, key(principalElem(st))), "policy document should not specify a principal: %s policies apply to the identity they are attached to", k)
	case !hasP && needP:
		v.add(SeverityError, "MISSING_PRINCIPAL", stmtPath(i), "a %s policy statement must name a Principal", k)
	}
	if st.NotPrincipal != nil {
		if k == Trust {
			v.add(SeverityError, "UNSUPPORTED_ELEMENT", stmtPath(i, key("NotPrincipal")), "role trust policies do not support NotPrincipal")
		} else if st.Effect == "Allow" {
			v.add(SeveritySecurityWarning, "ALLOW_WITH_NOT_PRINCIPAL", stmtPath(i, key("NotPrincipal")), "Allow with NotPrincipal grants access to every principal except those listed, including anonymous users; name the principals in Principal instead")
		}
	}
	if k == Identity || k == Managed || k == AWSManaged || k == Session || k == SCP || k == RCP {
		v.checkSid(i, st)
	}
	v.checkActions(i, st)
	v.checkResources(i, st)
	v.checkPrincipals(i, st, "Principal", st.Principal)
	v.checkPrincipals(i, st, "NotPrincipal", st.NotPrincipal)
	v.checkConditions(i, st)
	v.checkBroad(i, st)
}

func principalElem(st *Statement) string {
	if st.Principal != nil {
		return "Principal"
	}
	return "NotPrincipal"
}

func (v *validator) checkSid(i int, st *Statement) {
	for _, r := range st.Sid {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			v.add(SeverityError, "INVALID_SID", stmtPath(i, key("Sid")), "statement IDs (SID) must be alpha-numeric: [0-9A-Za-z]* (%q)", st.Sid)
			return
		}
	}
}

func (v *validator) checkActions(i int, st *Statement) {
	el, list := "Action", st.Action
	if st.NotAction != nil {
		el, list = "NotAction", st.NotAction
	}
	switch {
	case !st.hasAction && v.kind == KeyPolicy:
		v.add(SeverityWarning, "MISSING_ACTION", stmtPath(i), "the statement has no Action; KMS accepts it, but it has no effect")
		return
	case !st.hasAction:
		v.add(SeverityError, "MISSING_ACTION", stmtPath(i), "policy statement must contain actions")
		return
	case len(list) == 0:
		v.add(SeveritySuggestion, "EMPTY_ARRAY_ACTION", stmtPath(i, key(el)), "the %s array is empty, so the statement matches no action", el)
		return
	}
	for j, a := range list {
		if a == "*" {
			continue
		}
		c := strings.IndexByte(a, ':')
		svc, name := a[:c], a[c+1:]
		if svc != strings.ToLower(svc) {
			v.add(SeveritySuggestion, "SERVICE_PREFIX_CASE", v.elemPath(i, el, j), "write the service prefix in lower case (%q); it matches either way", strings.ToLower(svc))
		}
		if !KnownService(svc) {
			continue
		}
		if hasWildcard(name) {
			if len(MatchActions(a)) == 0 {
				v.add(SeverityError, "INVALID_ACTION", v.elemPath(i, el, j), "%q matches no %s action", a, strings.ToLower(svc))
			}
			continue
		}
		if _, ok := LookupAction(a); !ok {
			v.add(SeverityError, "INVALID_ACTION", v.elemPath(i, el, j), "the action %s does not exist in %s%s", a, v.cat.services[strings.ToLower(svc)], suggestAction(svc, name))
		}
	}
	if v.kind == Trust && st.Action != nil {
		for j, a := range st.Action {
			la := strings.ToLower(a)
			if la != "*" && !strings.HasPrefix(la, "sts:") {
				v.add(SeverityWarning, "TRUST_POLICY_ACTION", v.elemPath(i, el, j), "a role trust policy controls only sts: actions such as sts:AssumeRole, not %s", a)
			}
		}
	}
}

// suggestAction proposes an action whose name differs only in case.
func suggestAction(svc, name string) string {
	for _, a := range loadCatalog().byService[strings.ToLower(svc)] {
		if strings.EqualFold(a.Name, name) {
			return "; did you mean " + a.Service + ":" + a.Name + "?"
		}
	}
	return ""
}

var partitions = map[string]bool{"aws": true, "aws-cn": true, "aws-us-gov": true, "aws-iso": true, "aws-iso-b": true, "aws-iso-e": true, "aws-iso-f": true, "aws-eusc": true}

func (v *validator) checkResources(i int, st *Statement) {
	el, list := "Resource", st.Resource
	if st.NotResource != nil {
		el, list = "NotResource", st.NotResource
	}
	switch {
	case v.kind == Trust && st.hasResource:
		v.add(SeverityError, "UNSUPPORTED_ELEMENT", stmtPath(i, key(el)), "a role trust policy has prohibited field %s: it always applies to its role", el)
		return
	case v.kind == Trust:
		return
	case !st.hasResource && v.kind == KeyPolicy:
		v.add(SeverityWarning, "MISSING_RESOURCE", stmtPath(i), "the statement has no Resource; KMS accepts it, but it has no effect (use \"*\", meaning this key)")
		return
	case !st.hasResource:
		v.add(SeverityError, "MISSING_RESOURCE", stmtPath(i), "policy statement must contain resources")
		return
	case len(list) == 0:
		v.add(SeveritySuggestion, "EMPTY_ARRAY_RESOURCE", stmtPath(i, key(el)), "the %s array is empty, so the statement matches no resource", el)
		return
	}
	for j, r := range list {
		if isAllStars(r) {
			continue
		}
		if code, msg := v.checkARN(r); code != "" {
			v.add(SeverityError, code, v.elemPath(i, el, j), "%s", msg)
		}
		if strings.Contains(r, "${") && !v.p.vars {
			v.add(SeverityWarning, "VARIABLE_IN_LEGACY_VERSION", v.elemPath(i, el, j), "policy variables work only with \"Version\": \"2012-10-17\"; here %q is literal text", r)
		}
	}
}

// checkARN validates a resource ARN (wildcards allowed) and returns an
// issue code and message, or "".
func (v *validator) checkARN(r string) (string, string) {
	if !strings.HasPrefix(r, "arn:") {
		return "INVALID_ARN_PREFIX", "the resource " + r + " must be an ARN (arn:partition:service:region:account:resource) or \"*\""
	}
	part, svc, region, acct, res, ok := splitARN(r)
	if !ok {
		return "MISSING_ARN_FIELD", "the ARN " + r + " needs six colon-separated fields: arn:partition:service:region:account:resource"
	}
	if !partitions[part] && !hasWildcard(part) {
		return "INVALID_PARTITION", "the partition " + part + " in " + r + " is not an AWS partition (aws, aws-cn, aws-us-gov)"
	}
	if hasWildcard(svc) {
		return "INVALID_ARN_SERVICE", "the service field of " + r + " cannot use wildcards"
	}
	if svc != strings.ToLower(svc) {
		return "INVALID_ARN_SERVICE_CASE", "the service field of " + r + " must be lower case"
	}
	if acct != "" && !hasWildcard(acct) && !isAccountID(acct) && acct != "aws" {
		return "INVALID_ARN_ACCOUNT", "the account field of " + r + " must be a 12-digit account ID"
	}
	switch svc {
	case "iam":
		if region != "" {
			return "INVALID_ARN_REGION", "IAM resource " + r + " cannot contain region information"
		}
	case "kms", "secretsmanager":
		if region == "" {
			return "MISSING_ARN_REGION", "the ARN " + r + " needs a region: " + svc + " resources are regional"
		}
	}
	if types, ok := v.cat.resources[svc]; ok && !strings.HasPrefix(res, "*") {
		if !resourceTypeMatches(types, svc, res) {
			return "INVALID_ARN_RESOURCE", "the resource part " + res + " of " + r + " matches no " + svc + " resource type (" + resourceTypeNames(types) + ")"
		}
	}
	return "", ""
}

// resourceTypeMatches checks the resource part against the catalog's ARN
// formats by their fixed prefix ("key/", "secret:", "role/").
func resourceTypeMatches(types map[string]string, svc, res string) bool {
	for _, format := range types {
		_, s, _, _, fres, ok := splitARN(strings.ReplaceAll(format, "${Partition}", "aws"))
		if !ok || s != svc {
			continue
		}
		prefix := fres
		if i := strings.Index(fres, "${"); i >= 0 {
			prefix = fres[:i]
		}
		fixed := res
		if w := strings.IndexAny(res, "*?"); w >= 0 {
			fixed = res[:w]
			if strings.HasPrefix(prefix, fixed) {
				return true
			}
		}
		if strings.HasPrefix(fixed, prefix) {
			return true
		}
	}
	return false
}

func resourceTypeNames(types map[string]string) string {
	var names []string
	for n := range types {
		names = append(names, n)
	}
	sortStrings(names)
	return strings.Join(names, ", ")
}
