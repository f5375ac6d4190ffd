package policy

import "strings"

func (v *validator) checkPrincipals(i int, st *Statement, el string, p *Principal) {
	if p == nil || p.All {
		return
	}
	for _, group := range []struct {
		name string
		list []string
	}{{"AWS", p.AWS}, {"Service", p.Service}, {"Federated", p.Federated}, {"CanonicalUser", p.CanonicalUser}} {
		path := stmtPath(i, key(el), key(group.name))
		if group.list != nil && len(group.list) == 0 {
			v.add(SeveritySuggestion, "EMPTY_ARRAY_PRINCIPAL", path, "the %s principal array is empty", group.name)
			continue
		}
		for j, a := range group.list {
			pp := path
			if n, ok := v.node(path); ok && n.kind == jArray {
				pp = append(append([]pathSeg(nil), path...), idx(j))
			}
			if a != "*" && hasWildcard(a) {
				v.add(SeverityError, "INVALID_PRINCIPAL_FORMAT", pp, "a principal cannot use partial wildcards (%q); use \"*\" with a condition on aws:PrincipalArn instead", a)
				continue
			}
			if group.name == "Service" && a != "*" && !strings.Contains(a, ".") {
				v.add(SeverityError, "INVALID_PRINCIPAL_FORMAT", pp, "a service principal looks like kms.amazonaws.com, not %q", a)
			}
			if group.name != "AWS" || a == "*" || isAccountID(a) {
				continue
			}
			_, svc, region, acct, res, ok := splitARN(a)
			switch {
			case !ok:
				v.add(SeverityError, "INVALID_PRINCIPAL_FORMAT", pp, "an AWS principal must be \"*\", a 12-digit account ID or an IAM ARN, not %q", a)
			case svc != "iam" && svc != "sts":
				v.add(SeverityError, "INVALID_PRINCIPAL_FORMAT", pp, "%q is not an IAM or STS principal ARN", a)
			case region != "" || !isAccountID(acct):
				v.add(SeverityError, "INVALID_PRINCIPAL_FORMAT", pp, "%q needs an empty region field and a 12-digit account ID", a)
			case svc == "iam" && !(res == "root" || strings.HasPrefix(res, "user/") || strings.HasPrefix(res, "role/") || strings.HasPrefix(res, "group/")):
				v.add(SeverityError, "INVALID_PRINCIPAL_FORMAT", pp, "%q is not a root, user or role ARN", a)
			case svc == "iam" && strings.HasPrefix(res, "group/"):
				v.add(SeverityError, "INVALID_PRINCIPAL_FORMAT", pp, "an IAM group cannot be a principal (%q)", a)
			case svc == "sts" && !(strings.HasPrefix(res, "assumed-role/") || strings.HasPrefix(res, "federated-user/")):
				v.add(SeverityError, "INVALID_PRINCIPAL_FORMAT", pp, "%q is not an assumed-role or federated-user ARN", a)
			}
		}
	}
}

// familyAccepts reports whether an operator family fits a key type.
func familyAccepts(f opFamily, typ string) bool {
	base := strings.TrimPrefix(typ, "ArrayOf")
	switch f {
	case famNull:
		return true
	case famString:
		return base == "String" || base == "ARN"
	case famARN:
		return base == "ARN"
	case famNumeric:
		return base == "Numeric"
	case famDate:
		return base == "Date"
	case famBool:
		return base == "Bool"
	case famIP:
		return base == "IPAddress"
	case famBinary:
		return base == "Binary"
	}
	return false
}

func (v *validator) checkConditions(i int, st *Statement) {
	for ci := range st.Conditions {
		c := &st.Conditions[ci]
		path := stmtPath(i, key("Condition"), key(c.Operator), key(c.Key))
		fam := opTable[c.op].family
		if len(c.Values) == 0 {
			v.add(SeveritySuggestion, "EMPTY_ARRAY_CONDITION", path, "the condition has no values, so it can never match")
			continue
		}
		for j, val := range c.vals {
			if !val.ok {
				v.add(SeverityError, "DATA_TYPE_MISMATCH", path, "%q is not a valid %s value for %s", c.Values[j], familyName(fam), opTable[c.op].name)
			}
			if strings.Contains(c.Values[j], "${") {
				switch {
				case !v.p.vars:
					v.add(SeverityWarning, "VARIABLE_IN_LEGACY_VERSION", path, "policy variables work only with \"Version\": \"2012-10-17\"; here %q is literal text", c.Values[j])
				case fam != famString && fam != famARN:
					v.add(SeverityError, "INVALID_VARIABLE_FOR_OPERATOR", path, "policy variables cannot be used with %s", opTable[c.op].name)
				}
			}
		}
		svc := ""
		if k := strings.IndexByte(c.Key, ':'); k > 0 {
			svc = strings.ToLower(c.Key[:k])
		}
		typ, known := v.cat.keyType(c.Key)
		switch {
		case !known && svc == "aws":
			v.add(SeverityError, "INVALID_GLOBAL_CONDITION_KEY", path, "%s is not an AWS global condition key", c.Key)
			continue
		case !known && KnownService(svc):
			v.add(SeverityError, "INVALID_SERVICE_CONDITION_KEY", path, "%s is not a condition key of %s", c.Key, v.cat.services[svc])
			continue
		case !known:
			continue
		}
		if !familyAccepts(fam, typ) {
			v.add(SeverityWarning, "MISMATCHED_TYPE", path, "%s compares %s values, but %s is of type %s", opTable[c.op].name, familyName(fam), c.Key, typ)
		}
		multi := strings.HasPrefix(typ, "ArrayOf")
		switch {
		case c.set == setForAll && !multi:
			v.add(SeveritySecurityWarning, "FORALLVALUES_WITH_SINGLE_VALUED_KEY", path, "ForAllValues with the single-valued key %s is true when the key is absent; use the operator without ForAllValues", c.Key)
		case c.set == setForAny && !multi:
			v.add(SeverityWarning, "FORANYVALUE_WITH_SINGLE_VALUED_KEY", path, "%s is single-valued; use the operator without ForAnyValue", c.Key)
		case c.set == setNone && multi && c.op != opNull:
			v.add(SeverityWarning, "MISSING_QUALIFIER", path, "%s is multivalued; use ForAnyValue: or ForAllValues: with %s", c.Key, c.Operator)
		case c.set == setForAll && st.Effect == "Allow" && !opTable[c.op].negated && !c.ifExists:
			v.add(SeveritySecurityWarning, "FORALLVALUES_WITH_ALLOW", path, "ForAllValues is also true when %s is absent from the request; add a Null condition so that Allow requires the key", c.Key)
		}
	}
}

func familyName(f opFamily) string {
	return [...]string{"string", "numeric", "date", "Boolean", "binary", "IP address", "ARN", "Boolean"}[f]
}

// checkBroad reports overly broad grants.
func (v *validator) checkBroad(i int, st *Statement) {
	if st.Effect != "Allow" {
		return
	}
	starAction := false
	for _, a := range st.Action {
		if a == "*" {
			starAction = true
		}
	}
	starResource := v.kind == KeyPolicy
	for _, r := range st.Resource {
		if r == "*" {
			starResource = true
		}
	}
	if starAction && starResource {
		v.add(SeveritySecurityWarning, "ALLOW_ALL_ACTIONS_ALL_RESOURCES", stmtPath(i, key("Action")), "Action \"*\" on Resource \"*\" grants every action on every resource: full administrator access")
	}
	for _, a := range st.Action {
		if strings.EqualFold(a, "iam:PassRole") || strings.EqualFold(a, "iam:*") || strings.EqualFold(a, "iam:Pass*") {
			for _, r := range st.Resource {
				if r == "*" {
					v.add(SeveritySecurityWarning, "PASS_ROLE_WITH_STAR_IN_RESOURCE", stmtPath(i, key("Resource")), "iam:PassRole on Resource \"*\" lets the caller pass any role to a service; list the role ARNs")
				}
			}
		}
	}
	resourcePolicy := v.kind == Resource || v.kind == KeyPolicy || v.kind == Trust
	if resourcePolicy && st.Principal != nil && len(st.Conditions) == 0 {
		star := st.Principal.All
		for _, a := range st.Principal.AWS {
			if a == "*" {
				star = true
			}
		}
		if star {
			v.add(SeveritySecurityWarning, "PRINCIPAL_STAR_WITHOUT_CONDITION", stmtPath(i, key("Principal")), "Principal \"*\" without a condition grants access to every AWS account and anonymous callers; add a condition such as aws:PrincipalAccount or kms:CallerAccount")
		}
	}
}
