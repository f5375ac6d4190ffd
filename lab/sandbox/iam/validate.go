package iam

import (
	"errors"
	"strings"

	"github.com/seclab-dev/seclab/lab/policy"
)

// The documents IAM stores are parsed by lab/policy; its findings are
// mapped onto the MalformedPolicyDocument texts IAM really returns (see
// aws-semantics.md §4.8). Findings without a known IAM text fall back to
// IAM's generic "Syntax errors in policy.".

func validateIdentity(doc string) error {
	return validate(doc, policy.Identity, "Syntax errors in policy.")
}

func validateManaged(doc string) error {
	if nonWhitespace(doc) > maxManagedSize {
		return limitExceeded("Cannot exceed quota for PolicySize: %d", maxManagedSize)
	}
	return validate(doc, policy.Managed, "Syntax errors in policy.")
}

func validateTrust(doc string) error {
	if n := nonWhitespace(doc); n > policy.LimitTrust {
		return limitExceeded("Cannot exceed quota for ACLSizePerRole: %d", policy.LimitTrust)
	}
	return validate(doc, policy.Trust, "This policy contains invalid Json")
}

// ValidateSession checks an inline session policy as STS does.
func ValidateSession(doc string) error {
	return validate(doc, policy.Session, "Syntax errors in policy.")
}

func validate(doc string, k policy.Kind, invalidJSON string) error {
	for _, r := range doc {
		if r != '\t' && r != '\n' && r != '\r' && (r < 0x20 || r > 0xFF) {
			return malformed("%s", invalidJSON)
		}
	}
	_, err := policy.ParseKind([]byte(doc), k)
	if err == nil {
		return nil
	}
	var se *policy.SyntaxError
	if !errors.As(err, &se) {
		return malformed("%s", invalidJSON)
	}
	return malformed("%s", iamMessage(se.Msg, invalidJSON))
}

// iamMessage maps an evaluator finding to IAM's wording.
func iamMessage(msg, invalidJSON string) string {
	m := strings.ToLower(msg)
	switch {
	case strings.Contains(m, "invalid json"), strings.Contains(m, "must be a json object"):
		return invalidJSON
	case strings.Contains(m, "legacy parsing"), strings.Contains(m, "no statement element"),
		strings.Contains(m, "no statements"):
		return "The policy failed legacy parsing"
	case strings.Contains(m, "should not specify a principal"):
		return "Policy document should not specify a principal."
	case strings.Contains(m, "must contain actions"):
		return "Policy statement must contain actions."
	case strings.Contains(m, "must contain resources"):
		return "Policy statement must contain resources."
	case strings.Contains(m, "prohibited field resource"):
		return "Has prohibited field Resource"
	case strings.Contains(m, "must name a principal"):
		return "AssumeRolepolicy contained an invalid principal: Missing required field Principal"
	case strings.Contains(m, "only one colon"):
		return "Actions/Condition can contain only one colon."
	case strings.Contains(m, "prefaced by a vendor"):
		return "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
	case strings.Contains(m, "must be unique"):
		return "Statement IDs (SID) in a single policy must be unique."
	case strings.Contains(m, "alpha-numeric"):
		return "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"
	case strings.Contains(m, "effect"):
		return "Syntax errors in policy."
	}
	return "Syntax errors in policy."
}
