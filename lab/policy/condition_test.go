package policy

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// condCase checks one condition block against one request context.
type condCase struct {
	name      string
	condition string // the Condition element's JSON
	ctx       *Context
	want      bool
}

func runCondCases(t *testing.T, cases []condCase) {
	t.Helper()
	runCondCasesVersion(t, Version2012, cases)
}

func runCondCasesVersion(t *testing.T, v string, cases []condCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := `{"Version":"` + v + `","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":` + tc.condition + `}]}`
			in := &Input{Request: Request{Principal: bob, Action: "kms:Decrypt", Resource: "*", Context: tc.ctx},
				Identity: []Named{named(t, "p", Identity, doc)}}
			got := Evaluate(in).Result == Allowed
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("condition %s (-want +got):\n%s\n%s", tc.condition, diff, Explain(in))
			}
		})
	}
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
func TestConditionStringOperators(t *testing.T) {
	runCondCases(t, []condCase{
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"StringEquals match", `{"StringEquals":{"aws:PrincipalTag/team":"blue"}}`, ctx("aws:PrincipalTag/team", "blue"), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"StringEquals is case-sensitive", `{"StringEquals":{"aws:PrincipalTag/team":"blue"}}`, ctx("aws:PrincipalTag/team", "Blue"), false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"keys are case-insensitive", `{"StringEquals":{"AWS:principaltag/team":"blue"}}`, ctx("aws:PrincipalTag/team", "blue"), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"several values are OR", `{"StringEquals":{"aws:RequestedRegion":["eu-west-1","us-east-1"]}}`, ctx("aws:RequestedRegion", "us-east-1"), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"several keys are AND", `{"StringEquals":{"aws:RequestedRegion":"us-east-1","aws:PrincipalAccount":"111122223333"}}`, ctx("aws:RequestedRegion", "us-east-1"), false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"several operators are AND", `{"StringEquals":{"aws:RequestedRegion":"us-east-1"},"Bool":{"aws:SecureTransport":"true"}}`, ctx("aws:RequestedRegion", "us-east-1", "aws:SecureTransport", "false"), false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"missing key makes a positive operator false", `{"StringEquals":{"aws:PrincipalTag/team":"blue"}}`, nil, false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"missing key makes a negated operator true", `{"StringNotEquals":{"aws:PrincipalTag/team":"blue"}}`, nil, true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"negated operator with several values is a NOR", `{"StringNotEquals":{"aws:RequestedRegion":["eu-west-1","us-east-1"]}}`, ctx("aws:RequestedRegion", "us-east-1"), false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"StringEqualsIgnoreCase", `{"StringEqualsIgnoreCase":{"aws:PrincipalTag/team":"BLUE"}}`, ctx("aws:PrincipalTag/team", "blue"), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"StringNotEqualsIgnoreCase", `{"StringNotEqualsIgnoreCase":{"aws:PrincipalTag/team":"BLUE"}}`, ctx("aws:PrincipalTag/team", "blue"), false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"StringLike with *", `{"StringLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/b*"}}`, ctx("aws:PrincipalArn", bob), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"StringLike with ?", `{"StringLike":{"aws:PrincipalTag/env":"pro?"}}`, ctx("aws:PrincipalTag/env", "prod"), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"StringLike ? is one character", `{"StringLike":{"aws:PrincipalTag/env":"pro?"}}`, ctx("aws:PrincipalTag/env", "produce"), false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"StringNotLike", `{"StringNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/*"}}`, ctx("aws:PrincipalArn", bob), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"StringEquals has no wildcards", `{"StringEquals":{"aws:PrincipalTag/env":"pro*"}}`, ctx("aws:PrincipalTag/env", "prod"), false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"IfExists with the key missing", `{"StringEqualsIfExists":{"kms:ViaService":"secretsmanager.us-east-1.amazonaws.com"}}`, nil, true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"IfExists with the key present", `{"StringEqualsIfExists":{"kms:ViaService":"secretsmanager.us-east-1.amazonaws.com"}}`, ctx("kms:ViaService", "ec2.us-east-1.amazonaws.com"), false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"EncryptionContext key", `{"StringEquals":{"kms:EncryptionContext:SecretARN":"` + secA + `"}}`, ctx("kms:EncryptionContext:SecretARN", secA), true},
	})
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
func TestConditionTypedOperators(t *testing.T) {
	runCondCases(t, []condCase{
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"NumericLessThan", `{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}`, ctx("aws:MultiFactorAuthAge", "120"), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"NumericLessThan false", `{"NumericLessThan":{"aws:MultiFactorAuthAge":3600}}`, ctx("aws:MultiFactorAuthAge", "7200"), false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"NumericEquals with a decimal", `{"NumericEquals":{"s3:max-keys":"10"}}`, ctx("s3:max-keys", "10.0"), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"NumericNotEquals", `{"NumericNotEquals":{"s3:max-keys":"10"}}`, ctx("s3:max-keys", "11"), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"non-numeric request value never matches", `{"NumericGreaterThan":{"s3:max-keys":"1"}}`, ctx("s3:max-keys", "many"), false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"DateGreaterThan ISO 8601", `{"DateGreaterThan":{"aws:CurrentTime":"2026-01-01T00:00:00Z"}}`, ctx("aws:CurrentTime", "2026-03-01T10:00:00Z"), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"DateLessThan date only", `{"DateLessThan":{"aws:CurrentTime":"2026-01-01"}}`, ctx("aws:CurrentTime", "2026-03-01T10:00:00Z"), false},
		// Epoch values are seconds: 1893456000 is 2030-01-01T00:00:00Z.
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"DateLessThan epoch seconds", `{"DateLessThan":{"aws:CurrentTime":"1893456000"}}`, ctx("aws:CurrentTime", "2026-03-01T10:00:00Z"), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"DateGreaterThan epoch seconds", `{"DateGreaterThan":{"aws:CurrentTime":"1893456000"}}`, ctx("aws:CurrentTime", "2026-03-01T10:00:00Z"), false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"epoch request value", `{"DateGreaterThanEquals":{"aws:EpochTime":"2030-01-01T00:00:00Z"}}`, ctx("aws:EpochTime", "1893456000"), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"DateEquals with offsets", `{"DateEquals":{"aws:CurrentTime":"2026-03-01T11:00:00+01:00"}}`, ctx("aws:CurrentTime", "2026-03-01T10:00:00Z"), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"Bool true", `{"Bool":{"aws:SecureTransport":"true"}}`, ctx("aws:SecureTransport", "true"), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"Bool JSON boolean", `{"Bool":{"aws:SecureTransport":true}}`, ctx("aws:SecureTransport", "TRUE"), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"Bool false vs true", `{"Bool":{"aws:SecureTransport":"false"}}`, ctx("aws:SecureTransport", "true"), false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"Bool missing key", `{"Bool":{"aws:MultiFactorAuthPresent":"false"}}`, nil, false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"BoolIfExists missing key", `{"BoolIfExists":{"aws:MultiFactorAuthPresent":"true"}}`, nil, true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"BinaryEquals", `{"BinaryEquals":{"key":"QmluYXJ5VmFsdWU="}}`, ctx("key", "QmluYXJ5VmFsdWU="), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"IpAddress in CIDR", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, ctx("aws:SourceIp", "203.0.113.7"), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"IpAddress outside CIDR", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, ctx("aws:SourceIp", "198.51.100.7"), false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"bare address is /32", `{"IpAddress":{"aws:SourceIp":"203.0.113.7"}}`, ctx("aws:SourceIp", "203.0.113.7"), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"bare address is not a prefix", `{"IpAddress":{"aws:SourceIp":"203.0.113.7"}}`, ctx("aws:SourceIp", "203.0.113.70"), false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"NotIpAddress with bare address and IPv6 caller", `{"NotIpAddress":{"aws:SourceIp":"198.51.100.7"}}`, ctx("aws:SourceIp", "2001:db8::1"), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"IPv6 range", `{"IpAddress":{"aws:SourceIp":"2001:DB8:1234:5678::/64"}}`, ctx("aws:SourceIp", "2001:db8:1234:5678::abcd"), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"IPv6 caller is never in an IPv4 range", `{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}`, ctx("aws:SourceIp", "2001:db8::1"), false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"NotIpAddress missing key", `{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, nil, true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"ArnLike wildcards per segment", `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:user/*"}}`, ctx("aws:PrincipalArn", bob), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"ArnLike star does not cross segments", `{"ArnLike":{"aws:SourceArn":"arn:aws:*:111122223333:user/bob"}}`, ctx("aws:SourceArn", bob), false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"ArnEquals", `{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:user/bob"}}`, ctx("aws:PrincipalArn", bob), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"ArnNotEquals", `{"ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:user/bob"}}`, ctx("aws:PrincipalArn", alice), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"ArnNotLike missing key", `{"ArnNotLike":{"aws:SourceArn":"arn:aws:sns:*"}}`, nil, true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"ArnLike is case-sensitive", `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:user/Bob"}}`, ctx("aws:PrincipalArn", bob), false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"Null true when absent", `{"Null":{"aws:TokenIssueTime":"true"}}`, nil, true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"Null true when present", `{"Null":{"aws:TokenIssueTime":"true"}}`, ctx("aws:TokenIssueTime", "2026-03-01T10:00:00Z"), false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
		{"Null false when present", `{"Null":{"aws:TokenIssueTime":"false"}}`, ctx("aws:TokenIssueTime", "2026-03-01T10:00:00Z"), true},
	})
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
func TestConditionSetOperators(t *testing.T) {
	tags := func(v ...string) *Context { c := NewContext(); c.Set("aws:TagKeys", v...); return c }
	runCondCases(t, []condCase{
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
		{"ForAllValues subset", `{"ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}}`, tags("env"), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
		{"ForAllValues extra value", `{"ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}}`, tags("env", "owner"), false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
		{"ForAllValues is true when the key is missing", `{"ForAllValues:StringEquals":{"aws:TagKeys":["env"]}}`, nil, true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
		{"ForAllValues is true when the key is empty", `{"ForAllValues:StringEquals":{"aws:TagKeys":["env"]}}`, tags(), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
		{"ForAnyValue one match", `{"ForAnyValue:StringEquals":{"aws:TagKeys":["env"]}}`, tags("owner", "env"), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
		{"ForAnyValue no match", `{"ForAnyValue:StringEquals":{"aws:TagKeys":["env"]}}`, tags("owner"), false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
		{"ForAnyValue is false when the key is missing", `{"ForAnyValue:StringEquals":{"aws:TagKeys":["env"]}}`, nil, false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
		{"ForAnyValue:StringNotEquals", `{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["env"]}}`, tags("env", "owner"), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
		{"ForAllValues:StringNotEquals", `{"ForAllValues:StringNotEquals":{"aws:TagKeys":["env"]}}`, tags("env", "owner"), false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
		{"ForAllValues:StringLike", `{"ForAllValues:StringLike":{"aws:TagKeys":["team-*"]}}`, tags("team-a", "team-b"), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
		{"ForAnyValue IfExists with missing key", `{"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":["env"]}}`, nil, true},
	})
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
func TestConditionVariables(t *testing.T) {
	runCondCases(t, []condCase{
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
		{"variable in a condition", `{"StringEquals":{"aws:PrincipalTag/owner":"${aws:username}"}}`, ctx("aws:username", "bob", "aws:PrincipalTag/owner", "bob"), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
		{"variable default value", `{"StringEquals":{"aws:PrincipalTag/team":"${aws:PrincipalTag/dept, 'company-wide'}"}}`, ctx("aws:PrincipalTag/team", "company-wide"), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
		{"variable without a value never matches", `{"StringEquals":{"aws:PrincipalTag/owner":"${aws:username}"}}`, ctx("aws:PrincipalTag/owner", "${aws:username}"), false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
		{"escape ${*} is a literal star", `{"StringLike":{"aws:PrincipalTag/p":"a${*}b"}}`, ctx("aws:PrincipalTag/p", "a*b"), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
		{"escape ${*} is not a wildcard", `{"StringLike":{"aws:PrincipalTag/p":"a${*}b"}}`, ctx("aws:PrincipalTag/p", "axyb"), false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
		{"escapes ${?} and ${$}", `{"StringEquals":{"aws:PrincipalTag/p":"${?}${$}"}}`, ctx("aws:PrincipalTag/p", "?$"), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
		{"a context value is not a pattern", `{"StringLike":{"aws:PrincipalTag/p":"${aws:username}"}}`, ctx("aws:username", "*", "aws:PrincipalTag/p", "bob"), false},
	})
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
	runCondCasesVersion(t, Version2008, []condCase{
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
		{"variables are literal in 2008-10-17", `{"StringEquals":{"aws:PrincipalTag/owner":"${aws:username}"}}`, ctx("aws:username", "bob", "aws:PrincipalTag/owner", "${aws:username}"), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
		{"no substitution in 2008-10-17", `{"StringEquals":{"aws:PrincipalTag/owner":"${aws:username}"}}`, ctx("aws:username", "bob", "aws:PrincipalTag/owner", "bob"), false},
	})
}
