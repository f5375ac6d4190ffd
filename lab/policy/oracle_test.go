package policy

import (
	"bufio"
	"bytes"
	"os"
	"testing"
)

// TestOracleSample replays committed samples of generated cases whose
// "expected" field holds the oracle's decision:
//
//   - testdata/oracle-sample.jsonl: gen.mjs --seed 42 --n 400 from the shared
//     policy-oracle tool;
//   - testdata/oracle-wide-sample.jsonl: a wider generator (NotAction,
//     NotResource, every operator family, set operators, Null, session
//     policies, two SCP levels, RCPs, star and service principals), seed 4.
//
// Cases the oracle marks as touching a known difference from the AWS
// documentation are left out. The oracle is not needed to run this test.
func TestOracleSample(t *testing.T) {
	for _, f := range []string{"testdata/oracle-sample.jsonl", "testdata/oracle-wide-sample.jsonl"} {
		t.Run(f, func(t *testing.T) { replayOracleSample(t, f) })
	}
}

func replayOracleSample(t *testing.T, file string) {
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		n++
		c, err := DecodeCase(line)
		if err != nil {
			t.Fatalf("case %d: %v", n, err)
		}
		if c.Expected == "" {
			t.Fatalf("case %s has no expected decision", c.ID)
		}
		if got := Evaluate(&c.Input).Result.String(); got != c.Expected {
			t.Errorf("case %s: got %s, oracle says %s\n%s", c.ID, got, c.Expected, Explain(&c.Input))
		}
	}
	if n < 200 {
		t.Fatalf("only %d cases in the sample", n)
	}
}

// Where the oracle and the AWS documentation disagree, the documentation
// wins; these cases pin the documented behaviour (policy-oracle README,
// "Known differences").
func TestDocumentedDifferencesFromOracle(t *testing.T) {
	smAll := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:*","Resource":"*"}]}`
	runEvalCases(t, []evalCase{
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html:
		// a session is excluded from Deny+NotPrincipal only by its own session ARN.
		{"NotPrincipal listing the role does not exclude its sessions", func(t *testing.T) *Input {
			return &Input{Request: req(sess, "secretsmanager:GetSecretValue", secA), Identity: []Named{named(t, "sm", Managed, smAll)},
				Resource: namedPtr(t, "secret policy", Resource, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":["`+role+`","arn:aws:iam::111122223333:root"]},"Action":"*","Resource":"*"}]}`)}
		}, ExplicitlyDenied, LayerResource},
		{"NotPrincipal listing the session ARN excludes it", func(t *testing.T) *Input {
			return &Input{Request: req(sess, "secretsmanager:GetSecretValue", secA), Identity: []Named{named(t, "sm", Managed, smAll)},
				Resource: namedPtr(t, "secret policy", Resource, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":["`+sess+`","`+role+`","arn:aws:iam::111122223333:root"]},"Action":"*","Resource":"*"}]}`)}
		}, Allowed, LayerIdentity},
		{"NotPrincipal listing the account does not exclude its users", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "secretsmanager:GetSecretValue", secA), Identity: []Named{named(t, "sm", Managed, smAll)},
				Resource: namedPtr(t, "secret policy", Resource, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"*","Resource":"*"}]}`)}
		}, ExplicitlyDenied, LayerResource},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html:
		// a * that ends a segment expands beyond colons. The oracle does not
		// match such short patterns in RCPs (it does in identity policies).
		{"RCP deny with a short ARN pattern", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "secretsmanager:GetSecretValue", secA), Identity: []Named{named(t, "sm", Managed, smAll)},
				RCPs: []Level{{Org: "r-root", Policies: []Named{named(t, "rcp", RCP, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"secretsmanager:*","Resource":"arn:aws:secretsmanager:*"}]}`)}}}}
		}, ExplicitlyDenied, LayerRCP},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
		{"root user without any policy", func(t *testing.T) *Input {
			return &Input{Request: req(root, "iam:CreateUser", "arn:aws:iam::111122223333:user/new")}
		}, Allowed, LayerIdentity},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
		{"resource grant to the session ARN passes the session policy", func(t *testing.T) *Input {
			return &Input{Request: req(sess, "secretsmanager:GetSecretValue", secA),
				Session:  namedPtr(t, "session", Session, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}`),
				Resource: namedPtr(t, "secret policy", Resource, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"`+sess+`"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`)}
		}, Allowed, LayerResource},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date
		{"epoch dates are seconds", func(t *testing.T) *Input {
			return &Input{Request: Request{Principal: bob, Action: "secretsmanager:ListSecrets", Resource: "*", Context: ctx("aws:CurrentTime", "2026-03-01T10:00:00Z")},
				Identity: []Named{named(t, "p", Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:ListSecrets","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"1767225600"}}}]}`)}}
		}, Allowed, LayerIdentity},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress
		{"bare IP address is a /32 and excludes IPv6 callers", func(t *testing.T) *Input {
			return &Input{Request: Request{Principal: bob, Action: "secretsmanager:ListSecrets", Resource: "*", Context: ctx("aws:SourceIp", "2001:db8::7")},
				Identity: []Named{named(t, "p", Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:ListSecrets","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"198.51.100.7"}}}]}`)}}
		}, ExplicitlyDenied, LayerIdentity},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
		{"variables are literal text in 2008-10-17", func(t *testing.T) *Input {
			return &Input{Request: Request{Principal: bob, Action: "iam:GetUser", Resource: bob, Context: ctx("aws:username", "bob")},
				Identity: []Named{named(t, "p", Identity, `{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::111122223333:user/${aws:username}"}]}`)}}
		}, ImplicitlyDenied, LayerIdentity},
	})
}
