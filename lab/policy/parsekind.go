package policy

import "fmt"

// ParseKind parses a policy document of kind k: the grammar of [Parse],
// plus the size limit AWS enforces for that kind and the kind's rules:
//
//   - identity, managed, session and SCP policies must not have Principal or
//     NotPrincipal, and every statement needs Action (or NotAction) and
//     Resource (or NotResource);
//   - resource, key, trust and RCP policies need Principal (or
//     NotPrincipal) in every statement;
//   - trust policies have no Resource; resource policies need one;
//   - KMS accepts key-policy statements without Action or Resource (such a
//     statement has no effect), so key policies need neither.
//
// Errors are *SyntaxError.
func ParseKind(doc []byte, k Kind) (*Policy, error) {
	if k < Identity || k > AWSManaged {
		return nil, &SyntaxError{Line: 1, Column: 1, Code: "INVALID_POLICY_TYPE", Msg: fmt.Sprintf("unknown policy kind %d", int(k))}
	}
	if limit, _ := sizeLimit(k); limit > 0 {
		if n := PolicySize(doc, k); n > limit {
			unit := "characters (whitespace not counted)"
			if k == KeyPolicy {
				unit = "bytes"
			}
			return nil, &SyntaxError{Line: 1, Column: 1, Code: "POLICY_SIZE_EXCEEDED", Msg: fmt.Sprintf("cannot exceed quota for PolicySize: %d (this %s policy has %d %s)", limit, k, n, unit)}
		}
	}
	p, serr := parse(doc)
	if serr != nil {
		return nil, serr
	}
	p.Kind = k
	if err := checkKind(p, k); err != nil {
		return nil, err
	}
	return p, nil
}

func checkKind(p *Policy, k Kind) *SyntaxError {
	code := ""
	at := func(st *Statement, el, format string, args ...any) *SyntaxError {
		return &SyntaxError{Line: st.Line, Column: st.Column, Element: fmt.Sprintf("Statement[%d]%s", st.Index, el), Msg: fmt.Sprintf(format, args...), Code: code}
	}
	if len(p.Statements) == 0 {
		return &SyntaxError{Line: 1, Column: 1, Element: "Statement", Msg: "the policy has no statements", Code: "MISSING_STATEMENT"}
	}
	needPrincipal := k == Resource || k == KeyPolicy || k == Trust || k == RCP
	for i := range p.Statements {
		st := &p.Statements[i]
		hasP := st.Principal != nil || st.NotPrincipal != nil
		switch {
		case !needPrincipal && hasP:
			code = "UNSUPPORTED_PRINCIPAL"
			return at(st, ".Principal", "policy document should not specify a principal (a %s policy has prohibited field Principal)", k)
		case needPrincipal && !hasP:
			code = "MISSING_PRINCIPAL"
			return at(st, ".Principal", "a %s policy statement must name a Principal", k)
		}
		if st.NotPrincipal != nil && k == Trust {
			code = "UNSUPPORTED_ELEMENT"
			return at(st, ".NotPrincipal", "role trust policies do not support NotPrincipal")
		}
		if k == KeyPolicy {
			continue
		}
		if !st.hasAction || len(st.actions) == 0 {
			code = "MISSING_ACTION"
			return at(st, ".Action", "policy statement must contain actions")
		}
		switch {
		case k == Trust && st.hasResource:
			code = "UNSUPPORTED_ELEMENT"
			return at(st, ".Resource", "has prohibited field Resource (a role trust policy applies to its role)")
		case k != Trust && (!st.hasResource || len(st.resources) == 0):
			code = "MISSING_RESOURCE"
			return at(st, ".Resource", "policy statement must contain resources")
		}
		if k != KeyPolicy && k != Resource {
			if err := checkSid(st, at); err != nil {
				err.Code = "INVALID_SID"
				return err
			}
		}
	}
	seen := map[string]int{}
	for i := range p.Statements {
		st := &p.Statements[i]
		if st.Sid == "" || k == KeyPolicy {
			continue
		}
		if j, dup := seen[st.Sid]; dup {
			code = "UNIQUE_SIDS_REQUIRED"
			return at(st, ".Sid", "statement IDs (SID) in a single policy must be unique (%q is also Statement[%d])", st.Sid, j)
		}
		seen[st.Sid] = i
	}
	return nil
}

// checkSid enforces IAM's Sid alphabet, [0-9A-Za-z]*.
func checkSid(st *Statement, at func(*Statement, string, string, ...any) *SyntaxError) *SyntaxError {
	for _, r := range st.Sid {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return at(st, ".Sid", "statement IDs (SID) must be alpha-numeric; check that your input satisfies the regular expression [0-9A-Za-z]* (got %q)", st.Sid)
		}
	}
	return nil
}
