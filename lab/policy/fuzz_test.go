package policy

import (
	"errors"
	"testing"
)

var fuzzSeeds = []string{
	defaultKeyPolicy,
	allowAll,
	`{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":{"AWS":["111122223333"]},"NotAction":"iam:*","NotResource":["arn:aws:iam::*:user/${aws:username}"],"Condition":{"ForAnyValue:StringLikeIfExists":{"aws:TagKeys":["a*","${*}"]},"IpAddress":{"aws:SourceIp":["10.0.0.0/8","::1"]},"DateLessThan":{"aws:CurrentTime":"1893456000"},"Null":{"x:y":"true"}}}}`,
	`{"Statement":[{"Effect":"Allow","Principal":"*","Action":["sts:AssumeRole"],"Condition":{"NumericLessThan":{"n:m":1e3},"Bool":{"b:c":true}}}]}`,
	"{\"Statement\":[{\"Sid\":\"\\u00e9\\ud83d\\ude00\",\"Effect\":\"Allow\"}]}",
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"${a, 'b'}${$}${?}","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/${aws:username}"}}}]}`,
	`[`, `{"a":`, `{"Statement":[[[[]]]]}`,
}

// FuzzParse checks that parsing and validation never panic and that every
// parse error is a *SyntaxError with a position.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		p, err := Parse(doc)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Line < 1 || se.Column < 1 {
				t.Fatalf("Parse error %v is not a positioned *SyntaxError", err)
			}
		}
		for k := Identity; k <= AWSManaged; k++ {
			_, _ = ParseKind(doc, k)
			for _, f := range Validate(doc, k) {
				if f.Line < 1 || f.Column < 1 || f.Code == "" {
					t.Fatalf("finding without position or code: %+v", f)
				}
			}
		}
		if p == nil {
			return
		}
		n := Named{Name: "fuzz", Policy: p}
		in := &Input{Request: Request{Principal: sess, Action: "kms:Decrypt", Resource: keyA, Context: ctx("aws:SourceIp", "10.1.2.3", "aws:TagKeys", "a")},
			Identity: []Named{n}, Resource: &n, Boundaries: []Named{n}, Session: &n,
			SCPs: []Level{{Org: "r", Policies: []Named{n}}}, RCPs: []Level{{Org: "r", Policies: []Named{n}}}}
		d := Evaluate(in)
		_ = DeniedMessage(in, d)
		_ = Explain(in).String()
	})
}

// FuzzEvaluate checks that evaluation never panics on odd requests.
func FuzzEvaluate(f *testing.F) {
	f.Add(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"arn:aws:kms:*:${aws:PrincipalAccount}:key/*","Condition":{"StringLike":{"k:v":"a*b?c"}}}]}`, bob, "kms:Decrypt", keyA, "111122223333", "k:v", "axxbyc")
	f.Add(defaultKeyPolicy, root, "KMS:ScheduleKeyDeletion", keyA, "", "aws:PrincipalAccount", "111122223333")
	f.Add(allowAll, "kms.amazonaws.com", "sts:AssumeRole", "arn:aws:iam::1:role/x", "2", "", "")
	f.Add(`{"Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":"x"},"Action":"*","Resource":"*"}]}`, "arn:", ":", "", "", "", "")
	f.Fuzz(func(t *testing.T, doc, principal, action, resource, resAcct, key, val string) {
		p, err := Parse([]byte(doc))
		if err != nil {
			return
		}
		n := Named{Name: "fuzz", Policy: p}
		c := NewContext()
		c.Set(key, val, val+val)
		in := &Input{Request: Request{Principal: principal, Action: action, Resource: resource, ResourceAccount: resAcct, Context: c},
			Identity: []Named{n}, Resource: &n, Boundaries: []Named{n}, Session: &n, SCPs: []Level{{Org: "r", Policies: []Named{n}}}}
		d := Evaluate(in)
		if d.Result < ImplicitlyDenied || d.Result > ExplicitlyDenied {
			t.Fatalf("result out of range: %v", d.Result)
		}
		_ = DeniedMessage(in, d)
		_ = Explain(in).String()
	})
}

// FuzzDecodeCase checks that the JSON-lines case reader never panics.
func FuzzDecodeCase(f *testing.F) {
	f.Add([]byte(`{"id":"c1","request":{"principal":"` + bob + `","action":"kms:Decrypt","resource":{"resource":"` + keyA + `","accountId":"111122223333"},"context":{"aws:TagKeys":["a","b"],"n":1,"b":true}},"identityPolicies":[` + allowAll + `],"resourcePolicy":` + defaultKeyPolicy + `,"serviceControlPolicies":[{"orgIdentifier":"r-root","policies":[` + allowAll + `]}]}`))
	f.Add([]byte(`{"id":7,"request":{"principal":"x","action":"y","resource":"*"}}`))
	f.Add([]byte(`{"id":null}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		r := EvalCaseLine(line)
		if r.Error == "" && r.Decision == "" {
			t.Fatalf("result has neither decision nor error: %+v", r)
		}
	})
}
