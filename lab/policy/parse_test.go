package policy

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParse(t *testing.T) {
	doc := `{
  "Version": "2012-10-17",
  "Id": "key-default-1",
  "Statement": [{
    "Sid": "Enable IAM User Permissions",
    "Effect": "Allow",
    "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "444455556666"], "Service": "secretsmanager.amazonaws.com"},
    "Action": "kms:*",
    "Resource": "*",
    "Condition": {"StringEquals": {"kms:CallerAccount": ["111122223333", 444455556666]}, "Bool": {"aws:SecureTransport": true}}
  }]
}`
	p, err := Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	st := p.Statements[0]
	got := struct {
		Version, ID, Sid, Effect string
		Principal                Principal
		Action, Resource         []string
		Conditions               [][]string
		Line, Column             int
	}{p.Version, p.ID, st.Sid, st.Effect, *st.Principal, st.Action, st.Resource, nil, st.Line, st.Column}
	for _, c := range st.Conditions {
		got.Conditions = append(got.Conditions, append([]string{c.Operator, c.Key}, c.Values...))
	}
	want := got
	want.Version, want.ID, want.Sid, want.Effect = "2012-10-17", "key-default-1", "Enable IAM User Permissions", "Allow"
	want.Principal = Principal{AWS: []string{"arn:aws:iam::111122223333:root", "444455556666"}, Service: []string{"secretsmanager.amazonaws.com"}}
	want.Action, want.Resource = []string{"kms:*"}, []string{"*"}
	want.Conditions = [][]string{{"StringEquals", "kms:CallerAccount", "111122223333", "444455556666"}, {"Bool", "aws:SecureTransport", "true"}}
	want.Line, want.Column = 4, 17
	if diff := cmp.Diff(want, got, cmpopts.IgnoreUnexported(Principal{})); diff != "" {
		t.Errorf("Parse() mismatch (-want +got):\n%s", diff)
	}
	if string(p.Raw) != doc {
		t.Error("Raw is not the original document")
	}
}

// Parse errors carry the position and the element, in the spirit of IAM's
// MalformedPolicyDocument messages (aws-semantics.md §4.8).
func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, doc    string
		line, column int
		element, msg string
	}{
		{"not JSON", "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n}", 4, 1, "", "invalid JSON"},
		{"trailing comma", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",}]}`, 1, 56, "", "invalid JSON"},
		{"not an object", `[]`, 1, 1, "", "must be a JSON object"},
		{"bad version", `{"Version":"2012-10-18","Statement":[]}`, 1, 12, "Version", "failed legacy parsing"},
		{"no statement", `{"Version":"2012-10-17"}`, 1, 1, "Statement", "no Statement"},
		{"unknown element", `{"Version":"2012-10-17","Statment":[]}`, 1, 25, "Statment", "unknown policy element"},
		{"effect case", "{\"Statement\":[{\n \"Effect\": \"allow\"}]}", 2, 12, "Statement[0].Effect", `"Allow" or "Deny"`},
		{"missing effect", `{"Statement":{"Action":"kms:*","Resource":"*"}}`, 1, 14, "Statement[0].Effect", "no Effect"},
		{"action without vendor", `{"Statement":[{"Effect":"Allow","Action":"Decrypt","Resource":"*"}]}`, 1, 42, "Statement[0].Action", "prefaced by a vendor"},
		{"action with two colons", `{"Statement":[{"Effect":"Allow","Action":["kms:a:b"],"Resource":"*"}]}`, 1, 43, "Statement[0].Action", "only one colon"},
		{"Action and NotAction", `{"Statement":[{"Effect":"Allow","Action":"kms:*","NotAction":"iam:*","Resource":"*"}]}`, 1, 50, "Statement[0].NotAction", "both Action and NotAction"},
		{"bad principal string", `{"Statement":[{"Effect":"Allow","Principal":"arn:aws:iam::111122223333:root","Action":"kms:*"}]}`, 1, 45, "Statement[0].Principal", `must be "*"`},
		{"bad principal type", `{"Statement":[{"Effect":"Allow","Principal":{"User":"bob"},"Action":"kms:*"}]}`, 1, 46, "Statement[0].Principal.User", "unknown principal type"},
		{"unknown operator", `{"Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*","Condition":{"StringEqual":{"a:b":"c"}}}]}`, 1, 78, "Statement[0].Condition.StringEqual", "invalid condition type"},
		{"Null with IfExists", `{"Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*","Condition":{"NullIfExists":{"a:b":"true"}}}]}`, 1, 78, "Statement[0].Condition.NullIfExists", "IfExists"},
		{"condition value object", `{"Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*","Condition":{"Bool":{"a:b":{}}}}]}`, 1, 92, "Statement[0].Condition.Bool.a:b", "string, number or boolean"},
		{"duplicate key", `{"Statement":[],"Statement":[]}`, 1, 17, "Statement", "duplicate element"},
		{"character out of range", "{\"Statement\":[{\"Sid\":\"caf\u0101\"}]}", 1, 26, "", "U+0101"},
		{"deep nesting", strings.Repeat("[", 100), 1, 65, "", "nested too deeply"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.doc))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse() error = %v, want *SyntaxError", err)
			}
			got := []any{se.Line, se.Column, se.Element}
			if diff := cmp.Diff([]any{tc.line, tc.column, tc.element}, got); diff != "" {
				t.Errorf("position/element (-want +got):\n%s\nerror: %v", diff, err)
			}
			if se.Code == "" {
				t.Errorf("error %v has no code", err)
			}
			if !strings.Contains(se.Msg, tc.msg) {
				t.Errorf("message %q does not contain %q", se.Msg, tc.msg)
			}
		})
	}
}

func TestSyntaxErrorString(t *testing.T) {
	e := &SyntaxError{Line: 4, Column: 7, Element: "Statement[0].Effect", Msg: "bad"}
	if got, want := e.Error(), "line 4, column 7: Statement[0].Effect: bad"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html
func TestParseKind(t *testing.T) {
	cases := []struct {
		name string
		kind Kind
		doc  string
		msg  string // "" = valid
	}{
		{"identity with principal", Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}]}`, "should not specify a principal"},
		{"identity without resource", Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*"}]}`, "must contain resources"},
		{"identity without action", Managed, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*"}]}`, "must contain actions"},
		{"resource policy without principal", Resource, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:*","Resource":"*"}]}`, "must name a Principal"},
		{"key policy without resource is accepted", KeyPolicy, `{"Version":"2012-10-17","Statement":[{"Sid":"no resource here","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"kms:*"}]}`, ""},
		{"trust policy with resource", Trust, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole","Resource":"*"}]}`, "prohibited field Resource"},
		{"trust policy", Trust, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`, ""},
		{"IAM Sid with a space", Managed, `{"Version":"2012-10-17","Statement":[{"Sid":"read it","Effect":"Allow","Action":"kms:*","Resource":"*"}]}`, "alpha-numeric"},
		{"duplicate Sids", Identity, `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"kms:*","Resource":"*"},{"Sid":"A","Effect":"Deny","Action":"iam:*","Resource":"*"}]}`, "must be unique"},
		{"managed policy over 6144 characters", Managed, bigPolicy(6200), "PolicySize: 6144"},
		{"managed policy under 6144 characters", Managed, bigPolicy(6000), ""},
		{"AWS managed policies have no size quota", AWSManaged, bigPolicy(20000), ""},
		{"AWS managed policies have no principal", AWSManaged, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}]}`, "should not specify a principal"},
		{"whitespace is not counted", Managed, bigPolicy(6000)[:1] + strings.Repeat(" \n", 500) + bigPolicy(6000)[1:], ""},
		{"key policy over 32 KB", KeyPolicy, bigKeyPolicy(33000), "PolicySize: 32768"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseKind([]byte(tc.doc), tc.kind)
			switch {
			case tc.msg == "" && err != nil:
				t.Errorf("ParseKind() = %v, want no error", err)
			case tc.msg != "" && (err == nil || !strings.Contains(err.Error(), tc.msg)):
				t.Errorf("ParseKind() = %v, want an error containing %q", err, tc.msg)
			case err != nil:
				var se *SyntaxError
				if !errors.As(err, &se) || se.Code == "" {
					t.Errorf("ParseKind() error %v is not a *SyntaxError with a code", err)
				}
			}
		})
	}
}

// bigPolicy returns a managed policy of about n non-whitespace characters.
func bigPolicy(n int) string {
	head := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":["`
	tail := `"]}]}`
	return head + "arn:aws:kms:us-east-1:111122223333:key/" + strings.Repeat("a", n-len(head)-len(tail)-39) + tail
}

func bigKeyPolicy(n int) string {
	head := `{"Version":"2012-10-17","Statement":[{"Sid":"`
	tail := `","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"kms:*","Resource":"*"}]}`
	return head + strings.Repeat("x", n-len(head)-len(tail)) + tail
}
