package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/seclab-dev/seclab/lab/check"
	"github.com/seclab-dev/seclab/lessons"
)

// TestCourseSelfTest runs the built-in course's authoring self-test the way
// CI does, `seclab check --all --solve --json` on a fresh state folder, and
// demands what docs/lesson-format.md does: every step of every lesson
// passes after its solution, and each of its checks FAILed (not passed,
// not an ERROR) before it.
func TestCourseSelfTest(t *testing.T) {
	if testing.Short() {
		t.Skip("the whole course: skipped with -short")
	}
	tmp := t.TempDir()
	t.Setenv("HOME", filepath.Join(tmp, "home"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(tmp, "xdg-state"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	stateDir := filepath.Join(tmp, "state")

	rep, stderr, err := runCheckCommand(t, "check", "--all", "--solve", "--json", "--state-dir", stateDir)
	var ee *exitError
	switch {
	case errors.As(err, &ee):
		t.Errorf("seclab check --all --solve exited with status %d %v (stderr: %s)", ee.code, ee.err, stderr)
	case err != nil:
		t.Errorf("seclab check --all --solve: %v (stderr: %s)", err, stderr)
	}
	pack, perr := lessons.Builtin()
	if perr != nil {
		t.Fatalf("the built-in course: %v", perr)
	}
	if !rep.Solve || rep.Target != "sandbox" {
		t.Errorf("report: solve=%v target=%q, want solve=true target=sandbox", rep.Solve, rep.Target)
	}
	if len(rep.Lessons) != len(pack.Lessons) {
		t.Fatalf("the report has %d lessons, the course %d", len(rep.Lessons), len(pack.Lessons))
	}
	steps := 0
	for i, l := range pack.Lessons {
		lr := rep.Lessons[i]
		if lr.ID != l.ID || lr.Error != "" {
			t.Errorf("lesson %d (%s): report is for %q, error %q", l.Number, l.ID, lr.ID, lr.Error)
			continue
		}
		if len(lr.Steps) != len(l.Steps) {
			t.Errorf("lesson %d (%s): %d of %d steps were self-tested", l.Number, l.ID, len(lr.Steps), len(l.Steps))
		}
		for j, sr := range lr.Steps {
			steps++
			verifyStep(t, l, l.Steps[j], sr)
		}
	}
	if rep.Outcome != check.Pass {
		t.Errorf("the self-test's outcome is %s", rep.Outcome)
	}
	if want := pack.Steps(); steps != want {
		t.Errorf("%d steps were self-tested, the course has %d", steps, want)
	}
	t.Logf("%d lessons, %d steps self-tested in %s", len(rep.Lessons), steps, rep.Elapsed)
}

// verifyStep checks one step's self-test: each check failed before the
// solution and passed after it.
func verifyStep(t *testing.T, l *lessons.Lesson, st lessons.Step, sr stepReport) {
	t.Helper()
	where := l.File() + ": step " + st.ID
	if sr.ID != st.ID {
		t.Errorf("%s: the report names step %q", where, sr.ID)
		return
	}
	if sr.Outcome != check.Pass || sr.Error != "" || len(sr.AuthoringErrors) > 0 {
		t.Errorf("%s: %s %s %q", where, sr.Outcome, sr.Error, sr.AuthoringErrors)
	}
	var names []string
	for _, c := range st.Checks {
		names = append(names, c.Name)
	}
	if len(sr.Before) != len(names) || len(sr.Checks) != len(names) {
		t.Errorf("%s: %d checks, %d results before the solution, %d after", where, len(names), len(sr.Before), len(sr.Checks))
		return
	}
	outcomes := func(rs []check.Result, want check.Outcome) (got, wanted []string) {
		for i, r := range rs {
			got = append(got, r.Name+": "+string(r.Outcome))
			wanted = append(wanted, names[i]+": "+string(want))
		}
		return got, wanted
	}
	got, want := outcomes(sr.Before, check.Fail)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s: before the solution every check must FAIL (-want +got):\n%s", where, diff)
		for _, r := range sr.Before {
			if r.Outcome != check.Fail {
				t.Logf("  %s: %s %s", r.Name, r.Message, r.Detail)
			}
		}
	}
	got, want = outcomes(sr.Checks, check.Pass)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s: after the solution every check must PASS (-want +got):\n%s", where, diff)
		for _, r := range sr.Checks {
			if r.Outcome != check.Pass {
				t.Logf("  %s: %s %s", r.Name, r.Message, r.Detail)
			}
		}
	}
}

// runCheckCommand runs the seclab command line in process and decodes its
// JSON report.
func runCheckCommand(t *testing.T, args ...string) (*checkReport, string, error) {
	t.Helper()
	root, _ := newRoot()
	var stdout, stderr bytes.Buffer
	root.SetOut(&stdout)
	root.SetErr(&stderr)
	root.SetIn(bytes.NewReader(nil))
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	var rep checkReport
	if derr := json.Unmarshal(stdout.Bytes(), &rep); derr != nil {
		t.Fatalf("seclab %v printed no JSON report (%v; err %v):\n%s\nstderr: %s", args, derr, err, stdout.String(), stderr.String())
	}
	if _, serr := os.Stat(filepath.Join(os.Getenv("XDG_STATE_HOME"), "seclab")); serr == nil {
		t.Errorf("the self-test wrote into the default state folder")
	}
	return &rep, stderr.String(), err
}
