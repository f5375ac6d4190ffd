package policy

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
func TestActionAndResourceMatching(t *testing.T) {
	cases := []struct {
		name, version, action, resource string
		reqAction, reqResource          string
		ctx                             *Context
		want                            bool
	}{
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
		{"action names are case-insensitive", Version2012, "KMS:decrypt", "*", "kms:Decrypt", keyA, nil, true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
		{"action wildcard in the middle", Version2012, "iam:*AccessKey*", "*", "iam:ListAccessKeys", "*", nil, true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
		{"action ? wildcard", Version2012, "kms:?ecrypt", "*", "kms:Decrypt", keyA, nil, true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
		{"service prefix must match", Version2012, "kms:*", "*", "secretsmanager:GetSecretValue", secA, nil, false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
		{"resources are case-sensitive", Version2012, "kms:*", "arn:aws:kms:us-east-1:111122223333:key/1234ABCD-12ab-34cd-56ef-1234567890ab", "kms:Decrypt", keyA, nil, false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
		{"* spans : and /", Version2012, "kms:*", "arn:aws:kms:*", "kms:Decrypt", keyA, nil, true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
		{"? is exactly one character", Version2012, "secretsmanager:*", "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-??????", "secretsmanager:GetSecretValue", secA, nil, true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
		{"? does not match two characters", Version2012, "secretsmanager:*", "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-?????", "secretsmanager:GetSecretValue", secA, nil, false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
		{"variable in Resource", Version2012, "iam:*", "arn:aws:iam::111122223333:user/${aws:username}", "iam:GetUser", bob, ctx("aws:username", "bob"), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
		{"variable for someone else", Version2012, "iam:*", "arn:aws:iam::111122223333:user/${aws:username}", "iam:GetUser", alice, ctx("aws:username", "bob"), false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
		{"variable without value", Version2012, "iam:*", "arn:aws:iam::111122223333:user/${aws:username}", "iam:GetUser", bob, nil, false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
		{"variable literal in 2008-10-17", Version2008, "iam:*", "arn:aws:iam::111122223333:user/${aws:username}", "iam:GetUser", bob, ctx("aws:username", "bob"), false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
		{"variable literal without Version", "", "iam:*", "arn:aws:iam::111122223333:user/${aws:username}", "iam:GetUser", "arn:aws:iam::111122223333:user/${aws:username}", ctx("aws:username", "bob"), true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
		{"variable value is not a wildcard", Version2012, "iam:*", "arn:aws:iam::111122223333:user/${aws:username}", "iam:GetUser", bob, ctx("aws:username", "*"), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := `{"Statement":[{"Effect":"Allow","Action":"` + tc.action + `","Resource":"` + tc.resource + `"}]}`
			if tc.version != "" {
				doc = `{"Version":"` + tc.version + `",` + doc[1:]
			}
			in := &Input{Request: Request{Principal: bob, Action: tc.reqAction, Resource: tc.reqResource, Context: tc.ctx},
				Identity: []Named{named(t, "p", Identity, doc)}}
			if tc.reqResource == keyA {
				in.Resource = namedPtr(t, "key policy", KeyPolicy, defaultKeyPolicy)
			}
			got := Evaluate(in).Result == Allowed
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s\n%s", diff, Explain(in))
			}
		})
	}
}

// Large Action lists (AWS managed policies list thousands) are indexed by
// service; the answers must not change.
func TestLargeActionList(t *testing.T) {
	var acts []string
	for _, svc := range []string{"a4b", "acm", "athena", "ec2", "s3", "sns", "sqs", "iam", "logs", "lambda"} {
		acts = append(acts, `"`+svc+`:Get*"`, `"`+svc+`:List*"`, `"`+svc+`:Describe*"`)
	}
	acts = append(acts, `"kms:DescribeKey"`, `"KMS:List*"`, `"secretsmanager:Get?ecretValue"`)
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[` + strings.Join(acts, ",") + `],"Resource":"*"}]}`
	notDoc := strings.Replace(doc, `"Action"`, `"NotAction"`, 1)
	p, np := pol(t, Managed, doc), pol(t, Managed, notDoc)
	if p.Statements[0].actIndex == nil {
		t.Fatal("the statement is not indexed")
	}
	for action, want := range map[string]bool{
		"kms:DescribeKey": true, "kms:ListAliases": true, "kms:Decrypt": false, "Kms:listKeys": true,
		"secretsmanager:GetSecretValue": true, "S3:GetObject": true, "s3:PutObject": false, "dynamodb:GetItem": false,
	} {
		in := &Input{Request: req(bob, action, "*"), Identity: []Named{{Name: "big", Policy: p}}}
		if got := Evaluate(in).Result == Allowed; got != want {
			t.Errorf("Action list, %s: allowed = %v, want %v", action, got, want)
		}
		in.Identity[0].Policy = np
		if got := Evaluate(in).Result == Allowed; got != !want {
			t.Errorf("NotAction list, %s: allowed = %v, want %v", action, got, !want)
		}
	}
}

func TestGlob(t *testing.T) {
	cases := []struct {
		pattern, s string
		fold, want bool
	}{
		{"*", "", false, true},
		{"a*b*c", "axxbyyc", false, true},
		{"a*b*c", "axxbyy", false, false},
		{"kms:*key*", "kms:ListKeys", true, true},
		{"ab?", "abc", false, true},
		{"ab?", "ab", false, false},
		{"a\x00*b", "a*b", false, true},
		{"a\x00*b", "axb", false, false},
		{"é?", "éü", false, true},
	}
	for _, tc := range cases {
		if got := glob(tc.pattern, tc.s, tc.fold); got != tc.want {
			t.Errorf("glob(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
// ("Including wildcards in resource ARNs"): wildcards work within segments,
// and a * that ends a segment can expand beyond the colon boundaries.
func TestGlobARN(t *testing.T) {
	cases := []struct {
		pattern, s string
		want       bool
	}{
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
		{"arn:aws:kms:*", keyA, true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
		{"arn:aws:kms:*:*:key/*", keyA, true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
		{"arn:aws:iam::*:user/bob", bob, true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
		{"arn:aws:iam::*:user/b?b", bob, true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
		{"arn:aws:secretsmanager:us-east-1:111122223333:sec*AbCdEf", secA, false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
		{"arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/*", secA, true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
		{"arn:aws:secretsmanager:us-east-1:111122223333:secret?prod/db-AbCdEf", secA, false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
		{"arn:aws:s3:::bucket/*/logs/*", "arn:aws:s3:::bucket/a/b/logs/c", true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
		{"arn:aws:kms:us-*-1:111122223333:key/*", keyA, true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
		{"arn:aws:kms:us-*:111122223333:key/*", "arn:aws:kms:us-east-1:x:111122223333:key/1", true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
		{"arn:aws:kms:u*1:111122223333:key/*", "arn:aws:kms:us:east-1:111122223333:key/1", false},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
		{"a\x00*", "a*", true},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
		{"a\x00*", "ab", false},
	}
	for _, tc := range cases {
		if got := globARN(tc.pattern, tc.s); got != tc.want {
			t.Errorf("globARN(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
}

func TestContext(t *testing.T) {
	c := NewContext()
	c.Set("AWS:SourceIp", "10.0.0.1")
	c.Set("aws:TagKeys", "a", "b")
	v, ok := c.Get("aws:sourceip")
	if diff := cmp.Diff([]string{"10.0.0.1"}, v); !ok || diff != "" {
		t.Errorf("Get(aws:sourceip) = %v, %v", v, ok)
	}
	if _, ok := c.Get("aws:username"); ok {
		t.Error("Get(aws:username) found a key that was never set")
	}
	if diff := cmp.Diff([]string{"AWS:SourceIp", "aws:TagKeys"}, c.Keys()); diff != "" {
		t.Errorf("Keys() (-want +got):\n%s", diff)
	}
	var nilCtx *Context
	if _, ok := nilCtx.Get("x"); ok {
		t.Error("nil context has a key")
	}
}
