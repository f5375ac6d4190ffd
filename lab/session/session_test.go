package session

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/seclab-dev/seclab/lab/check"
	"github.com/seclab-dev/seclab/lab/sandbox"
	"github.com/seclab-dev/seclab/lab/sandbox/trailsource"
	"github.com/seclab-dev/seclab/lab/target"
	"github.com/seclab-dev/seclab/lessons"
)

func startSandbox(t testing.TB, dir string) *sandbox.Server {
	t.Helper()
	s := sandbox.New(sandbox.WithStateDir(dir))
	if err := s.Start(); err != nil {
		t.Fatalf("start sandbox: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func sandboxTarget(s *sandbox.Server) target.Target {
	return target.Target{Kind: target.Sandbox, Endpoint: s.URL, Learner: s.Config("learner"),
		WithCredentials: s.ConfigWith, Trail: trailsource.New(s)}
}

func demoLesson(t testing.TB) *lessons.Lesson {
	t.Helper()
	pack, err := lessons.LoadDir("testdata/pack")
	if err != nil {
		t.Fatal(err)
	}
	return pack.Lessons[0]
}

func openDemo(t testing.TB) (*Session, string) {
	t.Helper()
	state := t.TempDir()
	l := demoLesson(t)
	sb := startSandbox(t, SandboxDir(state, l.ID))
	s, err := Open(context.Background(), Options{Lesson: l, Target: sandboxTarget(sb), StateDir: state, CheckTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, state
}

func outcomes(r StepResult) []check.Outcome {
	var out []check.Outcome
	for _, c := range r.Checks {
		out = append(out, c.Outcome)
	}
	return out
}

func TestSelfTestOfDemoLesson(t *testing.T) {
	s, state := openDemo(t)
	ctx := context.Background()
	if s.Vars()["persona.bob.arn"] != "arn:aws:iam::111122223333:user/bob" || s.Vars()["account"] != "111122223333" {
		t.Fatalf("vars = %v", s.Vars())
	}
	for i := range s.Lesson().Steps {
		if err := s.StartStep(ctx, i); err != nil {
			t.Fatalf("step %d setup: %v", i+1, err)
		}
		before := s.CheckStepAt(ctx, i)
		for _, c := range before.Checks {
			if c.Outcome != check.Fail {
				t.Errorf("step %d before the solution: %s = %s (%s), want FAIL", i+1, c.Name, c.Outcome, c.Message)
			}
		}
		if err := s.ApplySolution(ctx, i); err != nil {
			t.Fatalf("step %d solution: %v", i+1, err)
		}
		after := s.CheckStepAt(ctx, i)
		if after.Outcome != check.Pass {
			t.Errorf("step %d after the solution: %s %+v", i+1, after.Outcome, after.Checks)
		}
	}
	if got := s.Progress().Passed(s.Lesson()); got != 3 {
		t.Errorf("passed steps = %d, want 3", got)
	}
	// The fail message is expanded.
	s2, _ := openDemoAt(t, t.TempDir())
	r := s2.CheckStepAt(ctx, 0)
	if len(r.Checks) != 1 || r.Checks[0].Message != "There is no key with the alias alias/seclab-demo yet." {
		t.Errorf("fail message = %+v", r.Checks)
	}
	info, err := os.Stat(filepath.Join(LessonDir(state, "demo"), "personas.json"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("personas.json: %v %v", info, err)
	}
}

func openDemoAt(t testing.TB, state string) (*Session, *sandbox.Server) {
	t.Helper()
	l := demoLesson(t)
	sb := startSandbox(t, SandboxDir(state, l.ID))
	s, err := Open(context.Background(), Options{Lesson: l, Target: sandboxTarget(sb), StateDir: state})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, sb
}

func TestReopenKeepsPersonasAndWork(t *testing.T) {
	state := t.TempDir()
	l := demoLesson(t)
	ctx := context.Background()
	sb := sandbox.New(sandbox.WithStateDir(SandboxDir(state, l.ID)))
	if err := sb.Start(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, Options{Lesson: l, Target: sandboxTarget(sb), StateDir: state})
	if err != nil {
		t.Fatal(err)
	}
	key := s.Vars()["persona.bob.arn"]
	if err := os.WriteFile(filepath.Join(s.Workspace(), "policy.json"), []byte("edited"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := s.Exec(ctx, "as bob"); err != nil || out != "" {
		t.Fatal(out, err)
	}
	if out, err := s.Exec(ctx, "aws sts get-caller-identity --query Arn --output text"); err != nil || out != "arn:aws:iam::111122223333:user/bob\n" {
		t.Fatalf("as bob: %q %v", out, err)
	}
	s.Close()
	sb.Close()

	sb = startSandbox(t, SandboxDir(state, l.ID))
	s, err = Open(ctx, Options{Lesson: l, Target: sandboxTarget(sb), StateDir: state})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Vars()["persona.bob.arn"] != key {
		t.Errorf("bob changed: %q", s.Vars()["persona.bob.arn"])
	}
	b, _ := os.ReadFile(filepath.Join(s.Workspace(), "policy.json"))
	if string(b) != "edited" {
		t.Errorf("the learner's edit was overwritten: %q", b)
	}
	if err := os.Remove(filepath.Join(s.Workspace(), "policy.json")); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, Options{Lesson: l, Target: sandboxTarget(sb), StateDir: state})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := os.Stat(filepath.Join(s.Workspace(), "policy.json")); !os.IsNotExist(err) {
		t.Errorf("a starter file the learner deleted came back: %v", err)
	}
	if out, err := s.Exec(ctx, "aws sts get-caller-identity --profile bob --query Arn --output text"); err != nil || !strings.Contains(out, "user/bob") {
		t.Fatalf("bob after reopen: %q %v", out, err)
	}
	hist := s.Console().History().Lines()
	if len(hist) < 3 {
		t.Errorf("history = %q", hist)
	}
}

func TestHintsAndSolution(t *testing.T) {
	s, _ := openDemo(t)
	ctx := context.Background()
	if err := s.StartStep(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Solution(true); err != ErrSolutionLocked {
		t.Fatalf("solution before hints: %v", err)
	}
	h, total, err := s.RevealHint()
	if err != nil || total != 2 || len(h) != 1 {
		t.Fatalf("RevealHint = %q %d %v", h, total, err)
	}
	h, _, _ = s.RevealHint()
	h, _, _ = s.RevealHint() // capped
	if len(h) != 2 || h[1] != "The alias is `alias/seclab-demo`." {
		t.Fatalf("hints = %q", h)
	}
	if _, err := s.Solution(false); err != ErrSolutionLocked {
		t.Fatalf("solution without confirmation: %v", err)
	}
	sol, err := s.Solution(true)
	if err != nil || len(sol) != 2 || sol[0].Command != "aws kms create-key --description demo" {
		t.Fatalf("solution = %+v %v", sol, err)
	}
	if !s.Progress().Step("demo", "key").SolutionShown {
		t.Error("showing the solution was not recorded")
	}
}

func TestSetupErrorIsCheckerError(t *testing.T) {
	s, _ := openDemo(t)
	// Step 2's setup needs step 1's key: without it the setup fails, and
	// the step is an ERROR, not the learner's failure.
	r := s.CheckStepAt(context.Background(), 1)
	if r.Outcome != check.Error || !strings.Contains(r.Err, "NotFoundException") {
		t.Fatalf("result = %+v", r)
	}
}

func TestWatchRechecksAfterConsoleWrites(t *testing.T) {
	s, _ := openDemo(t)
	ctx := context.Background()
	if err := s.StartStep(ctx, 0); err != nil {
		t.Fatal(err)
	}
	updates, cancel := s.Subscribe()
	defer cancel()
	s.Watch(20 * time.Millisecond)
	out, err := s.Exec(ctx, "aws kms create-key --query KeyMetadata.KeyId --output text")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Exec(ctx, "aws kms create-alias --alias-name alias/seclab-demo --target-key-id "+strings.TrimSpace(out)); err != nil {
		t.Fatal(err)
	}
	deadline := time.After(10 * time.Second)
	sawTrail := false
	for {
		select {
		case u := <-updates:
			if u.Kind == UpdateTrail {
				sawTrail = true
			}
			if u.Kind == UpdateChecked && u.Result.Outcome == check.Pass {
				if !sawTrail {
					t.Error("no trail update before the check")
				}
				return
			}
		case <-deadline:
			t.Fatal("watch mode did not re-check the step")
		}
	}
}

func TestResetRemovesLessonState(t *testing.T) {
	state := t.TempDir()
	for _, d := range []string{WorkspaceDir(state, "demo"), SandboxDir(state, "demo")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := Reset(state, "demo"); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{WorkspaceDir(state, "demo"), LessonDir(state, "demo")} {
		if _, err := os.Stat(d); !os.IsNotExist(err) {
			t.Errorf("%s still exists", d)
		}
	}
}

var _ = aws.String

func TestCheckerErrorsAgainstSandbox(t *testing.T) {
	state := t.TempDir()
	l := demoLesson(t)
	ctx := context.Background()
	sb := startSandbox(t, SandboxDir(state, l.ID))
	tg := sandboxTarget(sb)
	tg.Trail = nil // a target without a trail, like a real account
	s, err := Open(ctx, Options{Lesson: l, Target: tg, StateDir: state, CheckTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := 0; i < 2; i++ {
		if err := s.StartStep(ctx, i); err != nil {
			t.Fatal(err)
		}
		if err := s.ApplySolution(ctx, i); err != nil {
			t.Fatal(err)
		}
	}
	r := s.CheckStepAt(ctx, 1)
	if got := outcomes(r); len(got) != 2 || got[0] != check.Pass || got[1] != check.Error {
		t.Fatalf("outcomes = %v (%+v)", got, r.Checks)
	}
	if !strings.Contains(r.Checks[1].Message, "trail checks need the sandbox target") {
		t.Errorf("trail check message = %q", r.Checks[1].Message)
	}
	if r := s.CheckStepAt(ctx, 0); r.Outcome != check.Pass {
		t.Fatalf("step 1 = %+v", r)
	}
	sb.Close() // the endpoint goes away: checks cannot decide
	r = s.CheckStepAt(ctx, 0)
	if r.Outcome != check.Error || len(r.Checks) != 1 || r.Checks[0].Outcome != check.Error {
		t.Fatalf("after close: %+v", r)
	}
	if st := s.Progress().Step("demo", "key"); st.Status != "passed" {
		t.Errorf("a checker error took the learner's pass away: %+v", st)
	}
}

func TestSetupCallsDoNotSatisfyTrailChecks(t *testing.T) {
	src := "---\nid: setup-trail\ntitle: Setup and trail\nsummary: s\nminutes: 1\ntargets: [sandbox]\n---\n\n# Setup and trail\n\n" +
		"## Step 1: Read the secret\n\nRead it.\n\n```seclab-step\nid: read\nsetup:\n" +
		"  - run: aws secretsmanager create-secret --name {{run}}/s --secret-string x\n    ignore_errors: [ResourceExistsException]\n" +
		"  - run: aws secretsmanager get-secret-value --secret-id {{run}}/s\n" +
		"checks:\n  - name: you read the secret\n    trail: {action: \"secretsmanager:GetSecretValue\", as: learner, outcome: ok}\n    fail: Read the secret.\n" +
		"hints:\n  - get-secret-value\nsolution:\n  - run: aws secretsmanager get-secret-value --secret-id {{run}}/s\n```\n"
	l, probs := lessons.Parse("lesson.md", []byte(src))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	l.Number = 1
	state := t.TempDir()
	sb := startSandbox(t, SandboxDir(state, l.ID))
	ctx := context.Background()
	s, err := Open(ctx, Options{Lesson: l, Target: sandboxTarget(sb), StateDir: state})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.StartStep(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if r := s.CheckStepAt(ctx, 0); r.Outcome != check.Fail {
		t.Fatalf("before: the setup's GetSecretValue counted: %+v", r)
	}
	if _, err := s.Exec(ctx, "aws secretsmanager get-secret-value --secret-id seclab/s"); err != nil {
		t.Fatal(err)
	}
	if r := s.CheckStepAt(ctx, 0); r.Outcome != check.Pass {
		t.Fatalf("after: %+v", r)
	}
}

func TestRestartStepForgetsEarlierCalls(t *testing.T) {
	s, _ := openDemo(t)
	ctx := context.Background()
	if err := s.StartStep(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.ApplySolution(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.StartStep(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if err := s.ApplySolution(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if r := s.CheckStepAt(ctx, 1); r.Outcome != check.Pass {
		t.Fatalf("before restart: %+v", r)
	}
	if err := s.RestartStep(ctx, 1); err != nil {
		t.Fatal(err)
	}
	r := s.CheckStepAt(ctx, 1)
	if got := outcomes(r); len(got) != 2 || got[0] != check.Pass || got[1] != check.Fail {
		t.Fatalf("after restart: %v %+v", got, r.Checks)
	}
}
