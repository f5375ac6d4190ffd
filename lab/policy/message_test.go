package policy

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// AccessDenied texts as AWS returns them (aws-semantics.md §6.3;
// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).
func TestDeniedMessage(t *testing.T) {
	admin := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	cases := []struct {
		name string
		in   func(t *testing.T) *Input
		want string
	}{
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).
		{"no identity-based policy", func(t *testing.T) *Input {
			return &Input{Request: req(sess, "secretsmanager:DescribeSecret", secA)}
		}, "User: " + sess + " is not authorized to perform: secretsmanager:DescribeSecret on resource: " + secA + " because no identity-based policy allows the secretsmanager:DescribeSecret action"},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).
		{"actions without a resource leave out on resource", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "secretsmanager:ListSecrets", "*")}
		}, "User: " + bob + " is not authorized to perform: secretsmanager:ListSecrets because no identity-based policy allows the secretsmanager:ListSecrets action"},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).
		{"KMS: key policy neither names the caller nor delegates", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "kms:DescribeKey", keyA), Identity: []Named{named(t, "admin", Managed, admin)},
				Resource: namedPtr(t, "key policy", KeyPolicy, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"`+alice+`"},"Action":"kms:*","Resource":"*"}]}`)}
		}, "User: " + bob + " is not authorized to perform: kms:DescribeKey on resource: " + keyA + " because no resource-based policy allows the kms:DescribeKey action"},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).
		{"KMS: key policy delegates but IAM does not allow", func(t *testing.T) *Input {
			return &Input{Request: req(sess, "kms:Decrypt", keyA), Resource: namedPtr(t, "key policy", KeyPolicy, defaultKeyPolicy)}
		}, "User: " + sess + " is not authorized to perform: kms:Decrypt on resource: " + keyA + " because no identity-based policy allows the kms:Decrypt action"},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).
		{"explicit deny in an identity-based policy", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "iam:CreateUser", "arn:aws:iam::111122223333:user/new"), Identity: []Named{
				named(t, "deny", Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:*","Resource":"*"}]}`)}}
		}, "User: " + bob + " is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::111122223333:user/new with an explicit deny in an identity-based policy"},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).
		{"explicit deny in a resource-based policy", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "secretsmanager:GetSecretValue", secA), Identity: []Named{named(t, "admin", Managed, admin)},
				Resource: namedPtr(t, "secret policy", Resource, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"*","Resource":"*"}]}`)}
		}, "User: " + bob + " is not authorized to perform: secretsmanager:GetSecretValue on resource: " + secA + " with an explicit deny in a resource-based policy"},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).
		{"permissions boundary", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "kms:ListKeys", "*"), Identity: []Named{named(t, "admin", Managed, admin)},
				Boundaries: []Named{named(t, "b", Managed, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"}]}`)}}
		}, "User: " + bob + " is not authorized to perform: kms:ListKeys because no permissions boundary allows the kms:ListKeys action"},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).
		{"service control policy", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "kms:ListKeys", "*"), Identity: []Named{named(t, "admin", Managed, admin)},
				SCPs: []Level{{Org: "r-root", Policies: []Named{named(t, "deny", SCP, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"kms:*","Resource":"*"}]}`)}}}}
		}, "User: " + bob + " is not authorized to perform: kms:ListKeys with an explicit deny in a service control policy"},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).
		{"role trust policy", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "sts:AssumeRole", role),
				Resource: namedPtr(t, "trust", Trust, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)}
		}, "User: " + bob + " is not authorized to perform: sts:AssumeRole on resource: " + role + " because no role trust policy allows the sts:AssumeRole action"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in(t)
			if diff := cmp.Diff(tc.want, DeniedMessage(in, Evaluate(in))); diff != "" {
				t.Errorf("DeniedMessage() (-want +got):\n%s", diff)
			}
		})
	}
	in := &Input{Request: req(bob, "iam:GetUser", "arn:aws:iam::111122223333:user/alice")}
	want := "User: " + bob + " is not authorized to perform: iam:GetUser on resource: user alice because no identity-based policy allows the iam:GetUser action"
	if got := DeniedMessageAs(in, Evaluate(in), "user alice"); got != want {
		t.Errorf("DeniedMessageAs() = %q, want %q", got, want)
	}
	in = &Input{Request: req(root, "kms:ListKeys", "*")}
	if msg := DeniedMessage(in, Evaluate(in)); msg != "" {
		t.Errorf("DeniedMessage() for an allowed request = %q, want \"\"", msg)
	}
}

// The trail stores explanations as JSON and the TUI reads them back.
func TestExplanationJSONRoundTrip(t *testing.T) {
	in := &Input{Request: Request{Principal: bob, Action: "kms:Decrypt", Resource: keyA}, Resource: namedPtr(t, "key policy", KeyPolicy, defaultKeyPolicy)}
	x := Explain(in)
	b, err := json.Marshal(x)
	if err != nil {
		t.Fatal(err)
	}
	var back Explanation
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("unmarshal: %v\n%s", err, b)
	}
	if diff := cmp.Diff(x.String(), back.String()); diff != "" {
		t.Errorf("String() after a JSON round trip (-want +got):\n%s", diff)
	}
	var r Result
	if err := r.UnmarshalText([]byte("Maybe")); err == nil {
		t.Error("UnmarshalText accepted an unknown decision")
	}
}

func TestExplain(t *testing.T) {
	in := &Input{Request: Request{Principal: bob, Action: "kms:Decrypt", Resource: keyA, Context: ctx("aws:SourceIp", "198.51.100.7")},
		Identity: []Named{named(t, "bob-inline", Identity, `{"Version":"2012-10-17","Statement":[{"Sid":"Office","Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}]}`)},
		Resource: namedPtr(t, "key policy", KeyPolicy, defaultKeyPolicy)}
	x := Explain(in)
	if x.Decision.Result != ImplicitlyDenied || x.Decision.Layer != LayerIdentity {
		t.Fatalf("decision = %+v", x.Decision)
	}
	var id *StatementTrace
	for i := range x.Policies {
		if x.Policies[i].Name == "bob-inline" {
			id = &x.Policies[i].Statements[0]
		}
	}
	if id == nil || id.Applies || !id.Action.Match || !id.Resource.Match || len(id.Conditions) != 1 || id.Conditions[0].Result {
		t.Fatalf("identity trace = %+v", id)
	}
	text := x.String()
	for _, want := range []string{
		"Decision: ImplicitlyDenied (layer: identity)",
		"because no identity-based policy allows the kms:Decrypt action",
		"allows the caller's account, which delegates",
		"request value [198.51.100.7] does not satisfy IpAddress aws:SourceIp [203.0.113.0/24]",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("String() lacks %q:\n%s", want, text)
		}
	}
}
