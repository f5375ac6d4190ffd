package secretsmanager

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

func TestAuthorizationBeforeExistence(t *testing.T) {
	h := newHarness(t)
	arn := h.must("alice", "CreateSecret", m{"Name": "seclab/db", "SecretString": "v"})["ARN"].(string)
	h.authz.deny["bob secretsmanager:GetSecretValue"] = true
	tests := []struct {
		id, want string
	}{
		{"seclab/db", "on resource: seclab/db because"},
		{arn, "on resource: " + arn + " because"},
		{"does-not-exist", "on resource: does-not-exist because"},
	}
	for _, tc := range tests {
		_, err := h.call("bob", "GetSecretValue", m{"SecretId": tc.id})
		ae, ok := err.(*svc.Error)
		if !ok || ae.Code != "AccessDeniedException" || !strings.Contains(ae.Message, tc.want) {
			t.Errorf("GetSecretValue(%s) = %v, want AccessDenied naming %q", tc.id, err, tc.want)
		}
	}
	if len(h.kms.calls) != 1 { // GenerateDataKey at create; no Decrypt for bob
		t.Errorf("KMS was called for a denied read: %v", h.kms.ops())
	}
}

func TestAuthorizationRequest(t *testing.T) {
	h := newHarness(t)
	h.must("alice", "CreateSecret", m{"Name": "s", "SecretString": "v", "Description": "d", "KmsKeyId": "alias/aws/secretsmanager",
		"Tags": []m{{"Key": "env", "Value": "prod"}}})
	create := h.authz.seen[0]
	want := svc.AuthzRequest{
		Action: "secretsmanager:CreateSecret", Resource: create.Resource, ResourcePolicyName: "secret policy", ResourceInMessage: "s",
		Context: map[string][]string{
			"secretsmanager:Name": {"s"}, "secretsmanager:Description": {"d"}, "secretsmanager:KmsKeyId": {"alias/aws/secretsmanager"},
			"aws:RequestTag/env": {"prod"}, "aws:TagKeys": {"env"},
		},
	}
	if d := cmp.Diff(want, create); d != "" {
		t.Errorf("CreateSecret authorization (-want +got):\n%s", d)
	}
	if !strings.HasPrefix(create.Resource, "arn:aws:secretsmanager:us-east-1:111122223333:secret:s-") {
		t.Errorf("CreateSecret resource %s", create.Resource)
	}
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`
	h.must("alice", "PutResourcePolicy", m{"SecretId": "s", "ResourcePolicy": policy})
	h.must("bob", "GetSecretValue", m{"SecretId": "s", "VersionStage": "AWSCURRENT"})
	got := h.authz.last()
	want = svc.AuthzRequest{
		Action: "secretsmanager:GetSecretValue", Resource: create.Resource, ResourceAccount: "111122223333", ResourcePolicy: policy, ResourcePolicyName: "secret policy",
		ResourceInMessage: "s",
		Context: map[string][]string{
			"secretsmanager:SecretId": {create.Resource}, "secretsmanager:Name": {"s"}, "secretsmanager:VersionStage": {"AWSCURRENT"},
			"secretsmanager:ResourceTag/env": {"prod"}, "aws:ResourceTag/env": {"prod"},
			"secretsmanager:KmsKeyArn": {got.Context["secretsmanager:KmsKeyArn"][0]},
		},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("GetSecretValue authorization (-want +got):\n%s", d)
	}
	for _, op := range []string{"ListSecrets", "GetRandomPassword"} {
		h.must("bob", op, m{})
		if q := h.authz.last(); q.Resource != "*" || q.Action != "secretsmanager:"+op {
			t.Errorf("%s authorized as %+v", op, q)
		}
	}
}

func TestTrailEvents(t *testing.T) {
	h := newHarness(t)
	h.must("alice", "CreateSecret", m{"Name": "s", "SecretString": "v"})
	h.must("alice", "CreateSecret", m{"Name": "t", "SecretString": "w"})
	h.authz.deny["alice secretsmanager:GetSecretValue"] = true
	out := h.must("alice", "BatchGetSecretValue", m{"SecretIdList": []string{"s", "t"}})
	if n := len(out["Errors"].([]any)); n != 2 {
		t.Fatalf("BatchGetSecretValue errors = %v", out["Errors"])
	}
	delete(h.authz.deny, "alice secretsmanager:GetSecretValue")
	out = h.must("alice", "BatchGetSecretValue", m{"SecretIdList": []string{"s", "t", "u"}})
	var got []string
	for _, v := range out["SecretValues"].([]any) {
		got = append(got, v.(map[string]any)["SecretString"].(string))
	}
	if d := cmp.Diff([]string{"v", "w"}, got); d != "" {
		t.Errorf("values (-want +got):\n%s", d)
	}
	errs := out["Errors"].([]any)
	if len(errs) != 1 || errs[0].(map[string]any)["ErrorCode"] != "ResourceNotFoundException" {
		t.Errorf("errors = %v", errs)
	}
	var ops []string
	for _, e := range h.trail.events {
		ops = append(ops, e.Operation+" "+e.Decision+" "+e.ErrorCode)
	}
	want := []string{
		"GetSecretValue ImplicitlyDenied AccessDeniedException", "GetSecretValue ImplicitlyDenied AccessDeniedException",
		"GetSecretValue Allowed ", "GetSecretValue Allowed ", "GetSecretValue Allowed ResourceNotFoundException",
	}
	if d := cmp.Diff(want, ops); d != "" {
		t.Errorf("per-secret trail events (-want +got):\n%s", d)
	}
	if _, err := h.call("alice", "BatchGetSecretValue", m{}); !strings.HasPrefix(code(err), "InvalidParameterException") {
		t.Errorf("neither list nor filters: %s", code(err))
	}
}

func TestResourcePolicies(t *testing.T) {
	h := newHarness(t)
	h.must("alice", "CreateSecret", m{"Name": "s"})
	public := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`
	scoped := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}}}`
	if _, err := h.call("alice", "PutResourcePolicy", m{"SecretId": "s", "ResourcePolicy": public, "BlockPublicPolicy": true}); !strings.HasPrefix(code(err), "PublicPolicyException") {
		t.Errorf("blocked public policy: %s", code(err))
	}
	if _, err := h.call("alice", "PutResourcePolicy", m{"SecretId": "s", "ResourcePolicy": "{nope"}); !strings.HasPrefix(code(err), "MalformedPolicyDocumentException") {
		t.Errorf("malformed: %s", code(err))
	}
	h.must("alice", "PutResourcePolicy", m{"SecretId": "s", "ResourcePolicy": scoped, "BlockPublicPolicy": true})
	if got := h.must("alice", "GetResourcePolicy", m{"SecretId": "s"})["ResourcePolicy"]; got != scoped {
		t.Errorf("GetResourcePolicy = %v", got)
	}
	h.must("alice", "PutResourcePolicy", m{"SecretId": "s", "ResourcePolicy": public})
	h.must("alice", "DeleteResourcePolicy", m{"SecretId": "s"})
	if got := h.must("alice", "GetResourcePolicy", m{"SecretId": "s"}); got["ResourcePolicy"] != nil {
		t.Errorf("after delete: %v", got)
	}

	for _, tc := range []struct {
		policy string
		pass   bool
		check  string
	}{
		{scoped, true, ""},
		{public, false, "BROAD_ACCESS"},
		{`[]`, false, "SYNTAX_ERROR"},
		{`{"Statement":[{"Effect":"Maybe"}]}`, false, "SYNTAX_ERROR"},
	} {
		out := h.must("alice", "ValidateResourcePolicy", m{"ResourcePolicy": tc.policy})
		errs := out["ValidationErrors"].([]any)
		if out["PolicyValidationPassed"] != tc.pass || (!tc.pass && errs[0].(map[string]any)["CheckName"] != tc.check) {
			t.Errorf("ValidateResourcePolicy(%s) = %v", tc.policy, out)
		}
	}
}

func TestGetRandomPassword(t *testing.T) {
	h := newHarness(t)
	pw := h.must("alice", "GetRandomPassword", m{})["RandomPassword"].(string)
	if len(pw) != 32 || strings.Contains(pw, " ") {
		t.Errorf("default password %q", pw)
	}
	for range 20 {
		pw = h.must("alice", "GetRandomPassword", m{"PasswordLength": 4, "ExcludeCharacters": "abc"})["RandomPassword"].(string)
		classes := []string{lowerChars, upperChars, digitChars, punctChars}
		for _, c := range classes {
			if !strings.ContainsAny(pw, c) {
				t.Fatalf("%q lacks a character of %q", pw, c)
			}
		}
		if strings.ContainsAny(pw, "abc") {
			t.Fatalf("%q has an excluded character", pw)
		}
	}
	pw = h.must("alice", "GetRandomPassword", m{"PasswordLength": 50, "ExcludePunctuation": true, "ExcludeUppercase": true, "ExcludeNumbers": true, "IncludeSpace": true})["RandomPassword"].(string)
	if strings.Trim(pw, lowerChars+" ") != "" || !strings.Contains(pw, " ") {
		t.Errorf("lowercase and space only: %q", pw)
	}
	for _, in := range []m{{"PasswordLength": 0}, {"PasswordLength": 4097}} {
		if _, err := h.call("alice", "GetRandomPassword", in); !strings.HasPrefix(code(err), "ValidationException") {
			t.Errorf("%v: %s", in, code(err))
		}
	}
	if _, err := h.call("alice", "GetRandomPassword", m{"ExcludeLowercase": true, "ExcludeUppercase": true, "ExcludeNumbers": true, "ExcludePunctuation": true}); !strings.HasPrefix(code(err), "InvalidParameterException") {
		t.Errorf("nothing left: %s", code(err))
	}
}

func TestRotation(t *testing.T) {
	h := newHarness(t)
	h.must("alice", "CreateSecret", m{"Name": "s", "SecretString": "v"})
	_, err := h.call("alice", "RotateSecret", m{"SecretId": "s"})
	if code(err) != "InvalidRequestException: No Lambda rotation function ARN is associated with this secret." {
		t.Errorf("no lambda: %s", code(err))
	}
	_, err = h.call("alice", "RotateSecret", m{"SecretId": "s", "RotationLambdaARN": "arn:aws:lambda:us-east-1:111122223333:function:rot"})
	if !strings.HasPrefix(code(err), "AccessDeniedException: Secrets Manager cannot invoke the specified Lambda function.") {
		t.Errorf("with lambda: %s", code(err))
	}
	out := h.must("alice", "CancelRotateSecret", m{"SecretId": "s"})
	if out["Name"] != "s" {
		t.Errorf("CancelRotateSecret = %v", out)
	}
	if _, err := h.call("alice", "RotateSecret", m{"SecretId": "nope"}); code(err) != code(errNotFound()) {
		t.Errorf("missing secret: %s", code(err))
	}
}

func TestUnknownOperationAndBadBody(t *testing.T) {
	h := newHarness(t)
	if _, err := h.call("alice", "MakeCoffee", m{}); !errors.Is(err, svc.ErrUnknownOperation) {
		t.Errorf("unknown op: %s", code(err))
	}
	r := &svc.Request{Operation: "CreateSecret", Body: []byte("{not json"), Caller: svc.Caller{Account: "111122223333"}}
	if _, err := h.s.Handle(r); !strings.HasPrefix(code(err), "SerializationException") {
		t.Errorf("bad body: %s", code(err))
	}
}

func TestNamesArePerAccount(t *testing.T) {
	h := newHarness(t)
	mine := h.must("alice", "CreateSecret", m{"Name": "s", "SecretString": "mine"})["ARN"].(string)
	h.account = "444455556666"
	theirs := h.must("eve", "CreateSecret", m{"Name": "s", "SecretString": "theirs"})["ARN"].(string)
	if !strings.Contains(theirs, ":444455556666:secret:s-") {
		t.Errorf("other account's ARN %s", theirs)
	}
	if n := len(h.must("eve", "ListSecrets", m{})["SecretList"].([]any)); n != 1 {
		t.Errorf("the other account lists %d secrets", n)
	}
	// By full ARN the other account reaches alice's secret; the Authorizer
	// learns whose it is (the resource policy and KMS then decide).
	h.must("eve", "DescribeSecret", m{"SecretId": mine})
	if q := h.authz.last(); q.ResourceAccount != "111122223333" || q.Resource != mine {
		t.Errorf("cross-account request %+v", q)
	}
	h.account = "111122223333"
	if got := h.must("alice", "GetSecretValue", m{"SecretId": "s"})["SecretString"]; got != "mine" {
		t.Errorf("alice reads %v", got)
	}
}

func TestBatchGetWithFiltersNeedsListSecrets(t *testing.T) {
	h := newHarness(t)
	h.must("alice", "CreateSecret", m{"Name": "app/a", "SecretString": "1"})
	h.must("alice", "CreateSecret", m{"Name": "app/b", "SecretString": "2"})
	h.must("alice", "CreateSecret", m{"Name": "other", "SecretString": "3"})
	out := h.must("alice", "BatchGetSecretValue", m{"Filters": []m{{"Key": "name", "Values": []string{"app/"}}}})
	if n := len(out["SecretValues"].([]any)); n != 2 {
		t.Errorf("filtered batch read %d secrets, want 2", n)
	}
	h.authz.deny["alice secretsmanager:ListSecrets"] = true
	_, err := h.call("alice", "BatchGetSecretValue", m{"Filters": []m{{"Key": "name", "Values": []string{"app/"}}}})
	if !strings.Contains(code(err), "secretsmanager:ListSecrets") {
		t.Errorf("without ListSecrets: %s", code(err))
	}
	if _, err := h.call("alice", "BatchGetSecretValue", m{"SecretIdList": []string{"app/a"}}); err != nil {
		t.Errorf("by id list without ListSecrets: %v", err)
	}
}
