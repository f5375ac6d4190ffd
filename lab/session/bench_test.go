package session

import (
	"context"
	"testing"

	"github.com/seclab-dev/seclab/lab/check"
	"github.com/seclab-dev/seclab/lab/console"
)

// BenchmarkConsoleRoundTrip is one learner command through the whole
// console: split, parse into the SDK input, SigV4-signed call to the
// sandbox, output tree, JSON formatting.
func BenchmarkConsoleRoundTrip(b *testing.B) {
	s, _ := openDemo(b)
	ctx := context.Background()
	key, err := s.Exec(ctx, "aws kms create-key --query KeyMetadata.KeyId --output text")
	if err != nil {
		b.Fatal(err)
	}
	line := "aws kms encrypt --key-id " + key[:len(key)-1] + " --plaintext aGVsbG8gc2VjbGFi"
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Exec(ctx, line); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkConsoleDescribeKeyTable adds the table formatter.
func BenchmarkConsoleDescribeKeyTable(b *testing.B) {
	s, _ := openDemo(b)
	ctx := context.Background()
	key, err := s.Exec(ctx, "aws kms create-key --query KeyMetadata.KeyId --output text")
	if err != nil {
		b.Fatal(err)
	}
	line := "aws kms describe-key --key-id " + key[:len(key)-1] + " --output table"
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Exec(ctx, line); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParse is the console's parsing alone (no call).
func BenchmarkParse(b *testing.B) {
	line := `aws kms create-key --description "alice's key" --key-spec RSA_2048 --key-usage ENCRYPT_DECRYPT --tags TagKey=team,TagValue=red TagKey=env,TagValue=dev --output text --query KeyMetadata.Arn`
	for i := 0; i < b.N; i++ {
		words, err := console.Split(line)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := console.Parse(words, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckStep is one step's checks (a run check with a query and a
// trail check) after the step passed, with progress saved (fsync) after
// each check as in the TUI-less default.
func BenchmarkCheckStep(b *testing.B) { benchCheckStep(b, false) }

// BenchmarkCheckStepDeferSave is the same with progress saved by the
// caller (as seclab check does): the checks' own cost.
func BenchmarkCheckStepDeferSave(b *testing.B) { benchCheckStep(b, true) }

func benchCheckStep(b *testing.B, deferSave bool) {
	state := b.TempDir()
	l := demoLesson(b)
	sb := startSandbox(b, SandboxDir(state, l.ID))
	s, err := Open(context.Background(), Options{Lesson: l, Target: sandboxTarget(sb), StateDir: state, DeferSave: deferSave})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if err := s.StartStep(ctx, i); err != nil {
			b.Fatal(err)
		}
		if err := s.ApplySolution(ctx, i); err != nil {
			b.Fatal(err)
		}
	}
	if r := s.CheckStepAt(ctx, 1); r.Outcome != check.Pass {
		b.Fatalf("step 2 = %+v", r)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := s.CheckStepAt(ctx, 1); r.Outcome != check.Pass {
			b.Fatalf("step 2 = %+v", r)
		}
	}
}

// BenchmarkCheckRunOnly is a single run check with a query.
func BenchmarkCheckRunOnly(b *testing.B) {
	s, _ := openDemo(b)
	ctx := context.Background()
	if err := s.StartStep(ctx, 0); err != nil {
		b.Fatal(err)
	}
	if err := s.ApplySolution(ctx, 0); err != nil {
		b.Fatal(err)
	}
	c := s.Lesson().Steps[0].Checks[0]
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := check.One(ctx, s, c, check.Options{}); r.Outcome != check.Pass {
			b.Fatalf("check = %+v", r)
		}
	}
}
