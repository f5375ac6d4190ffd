package policy

import (
	"os"
	"syscall"
	"testing"
	"time"
)

// cpuTime returns the process's user+system CPU time, so that decisions
// per CPU-second can be reported even on a busy shared machine where wall
// time overstates the cost.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportRates adds decisions/s (wall clock) and decisions/cpu-s metrics.
func reportRates(b *testing.B, cpuStart time.Duration) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "decisions/s")
	if cpu := cpuTime() - cpuStart; cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "decisions/cpu-s")
	}
}

// lessonInput is a lesson-sized request: a key policy with five statements
// and two identity policies with conditions (DESIGN.md: performance target).
func lessonInput(b *testing.B) *Input {
	keyPolicy := `{"Version":"2012-10-17","Id":"secure-kms-policy","Statement":[
 {"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["kms:Describe*","kms:Get*","kms:List*","kms:PutKeyPolicy"],"Resource":"*"},
 {"Sid":"Allow access for Key Administrators","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":["kms:Create*","kms:Describe*","kms:Enable*","kms:List*","kms:Put*","kms:Update*","kms:Revoke*","kms:Disable*","kms:Get*","kms:Delete*","kms:TagResource","kms:UntagResource","kms:ScheduleKeyDeletion","kms:CancelKeyDeletion"],"Resource":"*"},
 {"Sid":"Allow use of the key","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:user/bob","arn:aws:iam::111122223333:role/app-role"]},"Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*","kms:DescribeKey"],"Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"secretsmanager.us-east-1.amazonaws.com","kms:CallerAccount":"111122223333"}}},
 {"Sid":"Allow attachment of persistent resources","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":["kms:CreateGrant","kms:ListGrants","kms:RevokeGrant"],"Resource":"*","Condition":{"Bool":{"kms:GrantIsForAWSResource":"true"}}},
 {"Sid":"DenyEveryoneElse","Effect":"Deny","Principal":{"AWS":"*"},"Action":"kms:Decrypt","Resource":"*","Condition":{"ArnNotEquals":{"aws:PrincipalArn":["arn:aws:iam::111122223333:user/bob","arn:aws:iam::111122223333:role/app-role"]}}}]}`
	id1 := `{"Version":"2012-10-17","Statement":[
 {"Sid":"ReadSecrets","Effect":"Allow","Action":["secretsmanager:GetSecretValue","secretsmanager:DescribeSecret"],"Resource":"arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"payments"}}},
 {"Sid":"UseKeyViaSM","Effect":"Allow","Action":["kms:Decrypt","kms:DescribeKey"],"Resource":"arn:aws:kms:us-east-1:111122223333:key/*","Condition":{"StringEquals":{"kms:ViaService":"secretsmanager.us-east-1.amazonaws.com"}}}]}`
	id2 := `{"Version":"2012-10-17","Statement":[
 {"Sid":"OfficeOnly","Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:db8::/32"]},"Bool":{"aws:ViaAWSService":"false"}}},
 {"Sid":"RequireTLS","Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`
	in := &Input{
		Request: Request{Principal: bob, Action: "kms:Decrypt", Resource: keyA, Context: ctx(
			"aws:PrincipalArn", bob, "aws:PrincipalAccount", acct, "aws:SecureTransport", "true", "aws:SourceIp", "203.0.113.9",
			"aws:ViaAWSService", "true", "kms:ViaService", "secretsmanager.us-east-1.amazonaws.com", "kms:CallerAccount", acct,
			"aws:PrincipalTag/team", "payments", "aws:username", "bob")},
		Identity: []Named{named(b, "bob/inline:read", Identity, id1), named(b, "Guardrails", Managed, id2)},
		Resource: namedPtr(b, "key policy", KeyPolicy, keyPolicy),
	}
	if d := Evaluate(in); d.Result != Allowed {
		b.Fatalf("lesson input is not allowed: %+v\n%s", d, Explain(in))
	}
	return in
}

// BenchmarkEvaluateLesson measures the fast path on a lesson-sized input.
func BenchmarkEvaluateLesson(b *testing.B) {
	in := lessonInput(b)
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	for b.Loop() {
		Evaluate(in)
	}
	reportRates(b, start)
}

// BenchmarkEvaluateLessonDenied measures an implicit deny (every statement
// is evaluated) on the same policies.
func BenchmarkEvaluateLessonDenied(b *testing.B) {
	in := lessonInput(b)
	in.Request.Principal = alice
	in.Request.Action = "kms:Encrypt"
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	for b.Loop() {
		Evaluate(in)
	}
	reportRates(b, start)
}

// BenchmarkEvaluateLessonWithMessage adds the AccessDenied text, as the
// sandbox builds it for every denied call.
func BenchmarkEvaluateLessonWithMessage(b *testing.B) {
	in := lessonInput(b)
	in.Request.Principal = alice
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	for b.Loop() {
		d := Evaluate(in)
		_ = DeniedMessage(in, d)
	}
	reportRates(b, start)
}

// BenchmarkExplainLesson measures the full explanation, built on demand.
func BenchmarkExplainLesson(b *testing.B) {
	in := lessonInput(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		Explain(in)
	}
}

// BenchmarkParseKeyPolicy measures parsing a five-statement key policy.
func BenchmarkParseKeyPolicy(b *testing.B) {
	doc := lessonInput(b).Resource.Policy.Raw
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := ParseKind(doc, KeyPolicy); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvaluateReadOnlyAccess evaluates against AWS's ReadOnlyAccess
// (thousands of actions in a few statements), as embedded by the sandbox.
func BenchmarkEvaluateReadOnlyAccess(b *testing.B) {
	doc, err := os.ReadFile("../sandbox/iam/managed/ReadOnlyAccess.json")
	if err != nil {
		b.Skip("ReadOnlyAccess.json not available:", err)
	}
	p, err := Parse(doc)
	if err != nil {
		b.Fatal(err)
	}
	in := &Input{Request: Request{Principal: bob, Action: "secretsmanager:DescribeSecret", Resource: secA, Context: ctx("aws:SecureTransport", "true")},
		Identity: []Named{{Name: "ReadOnlyAccess", Policy: p}}}
	if d := Evaluate(in); d.Result != Allowed {
		b.Fatalf("ReadOnlyAccess does not allow DescribeSecret: %+v", d)
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	for b.Loop() {
		Evaluate(in)
	}
	reportRates(b, start)
}

// BenchmarkValidateKeyPolicy measures the Access Analyzer-style checks on
// the lesson's key policy (catalog look-ups of actions and condition keys).
func BenchmarkValidateKeyPolicy(b *testing.B) {
	doc := lessonInput(b).Resource.Policy.Raw
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		Validate(doc, KeyPolicy)
	}
}
