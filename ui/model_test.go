package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/google/go-cmp/cmp"

	"github.com/seclab-dev/seclab/lab/progress"
)

func TestNoPanicAtAnySize(t *testing.T) {
	pack := testPack(t)
	l, _ := pack.Find("2")
	sizes := [][2]int{{1, 1}, {0, 0}, {20, 5}, {19, 4}, {60, 20}, {99, 30}, {100, 30}, {100, 15}, {300, 100}, {2, 50}, {200, 2}}
	for _, sz := range sizes {
		for _, open := range []bool{false, true} {
			for _, plain := range []bool{false, true} {
				opts := Options{Pack: pack, Progress: memProgress(t), Accessible: plain}
				if open {
					opts.Open = l
				}
				m := drive(t, start(t, opts), size(sz[0], sz[1]))
				m = drive(t, m, keys("tab", "tab", "tab", "h", "s", "?", "?", "down", "pgdown", "[", "]")...)
				out := shot(t, m)
				if sz[0] > 0 && sz[1] > 0 {
					lines := strings.Split(out, "\n")
					if len(lines) != sz[1] {
						t.Errorf("%dx%d open=%v plain=%v: %d lines", sz[0], sz[1], open, plain, len(lines))
					}
					for i, line := range lines {
						if w := len([]rune(line)); w > sz[0] && !strings.ContainsAny(line, "─│") {
							t.Errorf("%dx%d: line %d is %d wide", sz[0], sz[1], i, w)
						}
					}
				}
			}
		}
	}
}

func TestSmallWindowNotice(t *testing.T) {
	m := drive(t, start(t, Options{Pack: testPack(t)}), size(19, 5))
	if got := shot(t, m); !strings.Contains(got, "seclab needs") {
		t.Errorf("19x5 screen:\n%s", got)
	}
}

func TestHomeFilterAndOpen(t *testing.T) {
	m := drive(t, start(t, Options{Pack: testPack(t), Progress: memProgress(t)}), size(100, 30))
	m = drive(t, m, append(keys("/"), typed("lock")...)...)
	out := shot(t, m)
	if strings.Contains(out, "First steps") || !strings.Contains(out, "Lock it down") {
		t.Fatalf("filter did not narrow the list:\n%s", out)
	}
	m = drive(t, m, press("enter"), press("enter"))
	if got := shot(t, m); !strings.Contains(got, "Lesson 2 · Lock it down") {
		t.Fatalf("enter did not open lesson 2:\n%s", got)
	}
	m = drive(t, m, press("esc"))
	if got := shot(t, m); !strings.Contains(got, "2 lessons") {
		t.Fatalf("esc did not return home:\n%s", got)
	}
	// Clearing the filter brings every lesson back.
	m = drive(t, m, press("esc"))
	if got := shot(t, m); !strings.Contains(got, "First steps") {
		t.Fatalf("esc did not clear the filter:\n%s", got)
	}
}

func TestHomeFilterNoMatch(t *testing.T) {
	m := drive(t, start(t, Options{Pack: testPack(t)}), size(80, 24))
	m = drive(t, m, append(keys("/"), typed("zzz")...)...)
	m = drive(t, m, press("enter"), press("enter"))
	if got := shot(t, m); !strings.Contains(got, "No lesson matches") {
		t.Fatalf("no-match message missing:\n%s", got)
	}
}

func TestResumesAtFirstUnfinishedStep(t *testing.T) {
	pack := testPack(t)
	l, _ := pack.Find("2")
	prog := memProgress(t)
	prog.MarkStep(l.ID, "alice-secret", progress.StatusPassed)
	prog.MarkStep(l.ID, "bob-reads", progress.StatusPassed)
	m := drive(t, start(t, Options{Pack: pack, Progress: prog, Open: l}), size(120, 40))
	out := shot(t, m)
	for _, want := range []string{"Lesson 2 · step 3 of 3", "Step 3 · Apply a secure key policy", "✓ 2 Prove bob"} {
		if !strings.Contains(out, want) {
			t.Errorf("screen lacks %q:\n%s", want, out)
		}
	}
	// The lesson pane opens at the current step's section, and [ moves it
	// back to step 2's (in a pane small enough to scroll that far).
	m = drive(t, start(t, Options{Pack: pack, Progress: prog, Open: l}), size(80, 24))
	out = shot(t, m)
	off3 := m.(Model).lesson.vp.YOffset()
	if off3 == 0 || !strings.Contains(out, "## Step 3: Apply a secure key policy") {
		t.Errorf("lesson pane not scrolled to step 3 (offset %d):\n%s", off3, out)
	}
	m = drive(t, m, press("["))
	if off2 := m.(Model).lesson.vp.YOffset(); off2 >= off3 {
		t.Errorf("[ left the lesson at offset %d (step 3 at %d)", off2, off3)
	}
	if line := strings.Split(shot(t, m), "\n")[1]; !strings.Contains(line, "## Step 2: Prove bob can read it") {
		t.Errorf("after [, the lesson pane starts with %q", line)
	}
}

func TestHintsAndSolutionGate(t *testing.T) {
	pack := testPack(t)
	l, _ := pack.Find("1")
	prog := memProgress(t)
	m := drive(t, start(t, Options{Pack: pack, Progress: prog, Open: l}), size(120, 40))

	steps := []struct {
		key  string
		want string
	}{
		{"s", "The solution opens once the step passes or you have seen every hint (0 of 2; press h)."},
		{"h", "1. The service is `sts`."},
		{"h", "Hints 2/2 (h)"},
		{"h", "No more hints for this step."},
		{"s", "Show the solution? y/n"},
		{"y", "> aws sts get-caller-identity"},
	}
	for _, st := range steps {
		m = drive(t, m, press(st.key))
		if got := shot(t, m); !strings.Contains(got, st.want) {
			t.Fatalf("after %q, screen lacks %q:\n%s", st.key, st.want, got)
		}
	}
	got := prog.Step(l.ID, "whoami")
	if got.HintsRevealed != 2 || !got.SolutionShown {
		t.Errorf("progress = %+v", got)
	}
}

func TestSolutionDeclined(t *testing.T) {
	pack := testPack(t)
	l, _ := pack.Find("1")
	prog := memProgress(t)
	prog.MarkStep(l.ID, "whoami", progress.StatusPassed)
	m := drive(t, start(t, Options{Pack: pack, Progress: prog, Open: l}), size(120, 40), press("["), press("s"), press("n"))
	if got := shot(t, m); strings.Contains(got, "> aws sts") || strings.Contains(got, "y/n") {
		t.Fatalf("declined solution is shown:\n%s", got)
	}
	if prog.Step(l.ID, "whoami").SolutionShown {
		t.Error("declined solution recorded as shown")
	}
}

func TestCheckWithoutLab(t *testing.T) {
	pack := testPack(t)
	l, _ := pack.Find("1")
	m := drive(t, start(t, Options{Pack: pack, Progress: memProgress(t), Open: l}), size(120, 40), press("c"))
	if got := shot(t, m); !strings.Contains(got, "checks run in the lab, and this session has no lab connected") {
		t.Fatalf("no explanation for c without a lab:\n%s", got)
	}
}

func TestFocusCycle(t *testing.T) {
	pack := testPack(t)
	l, _ := pack.Find("1")
	var got []focus
	var m tea.Model = New(Options{Pack: pack, Progress: memProgress(t), Open: l})
	m = drive(t, m, size(120, 40))
	for range 5 {
		m = drive(t, m, press("tab"))
		got = append(got, m.(Model).lesson.focus)
	}
	if diff := cmp.Diff([]focus{focusSteps, focusConsole, focusTrail, focusLesson, focusSteps}, got); diff != "" {
		t.Errorf("focus order (-want +got):\n%s", diff)
	}
}

func TestScrollAndRewrap(t *testing.T) {
	pack := testPack(t)
	l, _ := pack.Find("2")
	m := drive(t, start(t, Options{Pack: pack, Progress: memProgress(t), Open: l}), size(80, 24))
	before := shot(t, m)
	m = drive(t, m, press("pgdown"))
	after := shot(t, m)
	if before == after || strings.Contains(after, "· 0%") {
		t.Fatalf("pgdown did not scroll the lesson:\n%s", after)
	}
	m = drive(t, m, size(130, 40))
	ls := m.(Model).lesson
	if ls.have.width != 130*3/5-4 {
		t.Errorf("lesson rendered at width %d after resize, want %d", ls.have.width, 130*3/5-4)
	}
	if ls.vp.YOffset() == 0 {
		t.Error("resize lost the reading position")
	}
}

func TestLightBackgroundRerenders(t *testing.T) {
	pack := testPack(t)
	l, _ := pack.Find("1")
	m := drive(t, start(t, Options{Pack: pack, Progress: memProgress(t), Open: l}), size(100, 30))
	m = drive(t, m, tea.BackgroundColorMsg{Color: lightColor{}})
	if got := m.(Model).lesson.have.style; got != "light" {
		t.Errorf("style after a light background = %q", got)
	}
}

type lightColor struct{}

func (lightColor) RGBA() (r, g, b, a uint32) { return 0xffff, 0xffff, 0xffff, 0xffff }

func TestQuit(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		m := New(Options{Pack: testPack(t)})
		_, cmd := m.Update(press(k))
		if cmd == nil {
			t.Fatalf("%s: no command", k)
		}
		if _, ok := cmd().(tea.QuitMsg); !ok {
			t.Errorf("%s did not quit", k)
		}
	}
}

func TestLabPluggedIn(t *testing.T) {
	pack := testPack(t)
	l, _ := pack.Find("1")
	lab := &fakeLab{checks: map[int][]CheckResult{
		0: {{Name: "you asked who you are", Status: CheckPass}},
		1: {{Name: "a key described \"demo\" exists", Status: CheckFail, Message: "There is no key yet."},
			{Name: "the key is enabled", Status: CheckError, Message: "throttled"}},
	}}
	prog := memProgress(t)
	m := drive(t, start(t, Options{Pack: pack, Progress: prog, Open: l, OpenLab: func(_ ctxT, _ lessonT) (Lab, error) { return lab, nil }}), size(120, 40))
	m = drive(t, m, typed("aws kms list-keys")...)
	m = drive(t, m, press("enter"))
	out := shot(t, m)
	for _, want := range []string{
		"Console · you are: learner@111122223333 (sandbox)",
		`> aws kms list-keys`, `{"Keys": []}`,
		"learner  kms:ListKeys  ALLOW",
		"Step 1 passed. On to step 2.",
		"Step 2 · Create a key",
		"✓ 1 Who am I?",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("screen lacks %q", want)
		}
	}
	if t.Failed() {
		t.Fatalf("screen:\n%s", out)
	}
	// Watch mode checked step 2 after a failing command too.
	m = drive(t, m, typed("aws kms fail")...)
	m = drive(t, m, press("enter"), press("up"))
	out = shot(t, m)
	for _, want := range []string{"AccessDeniedException", "✗ a key described \"demo\" exists", "There is no key yet.", "! the key is enabled", "> aws kms fail"} {
		if !strings.Contains(out, want) {
			t.Errorf("screen lacks %q:\n%s", want, out)
		}
	}
	if got := prog.Step(l.ID, "create-key").Status; got != progress.StatusError {
		t.Errorf("step 2 status = %q, want error", got)
	}
	// esc leaves the console; t focuses the trail; enter explains an event.
	m = drive(t, m, press("esc"), press("t"), press("enter"))
	if out := shot(t, m); !strings.Contains(out, "identity policy AdministratorAccess allows") {
		t.Errorf("trail explanation missing:\n%s", out)
	}
	m = drive(t, m, press("q"))
	if !lab.closed {
		t.Error("quitting did not close the lab")
	}
	if diff := cmp.Diff([]string{"aws kms list-keys", "aws kms fail"}, lab.execs); diff != "" {
		t.Error(diff)
	}
}

func TestLabFailsToStart(t *testing.T) {
	pack := testPack(t)
	l, _ := pack.Find("1")
	m := drive(t, start(t, Options{Pack: pack, Open: l, OpenLab: func(_ ctxT, _ lessonT) (Lab, error) {
		return nil, fmt.Errorf("sandbox: listen: address in use")
	}}), size(120, 40), press("c"))
	if out := shot(t, m); !strings.Contains(out, "the lab did not start: sandbox: listen: address in use") {
		t.Errorf("screen:\n%s", out)
	}
}

func TestCheckReportStatus(t *testing.T) {
	tests := []struct {
		in   []CheckStatus
		want CheckStatus
	}{
		{nil, CheckError},
		{[]CheckStatus{CheckPass, CheckPass}, CheckPass},
		{[]CheckStatus{CheckPass, CheckFail}, CheckFail},
		{[]CheckStatus{CheckFail, CheckError}, CheckError},
	}
	for _, tt := range tests {
		var r CheckReport
		for _, s := range tt.in {
			r.Results = append(r.Results, CheckResult{Status: s})
		}
		if got := r.Status(); got != tt.want {
			t.Errorf("Status(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestResetStep(t *testing.T) {
	pack := testPack(t)
	l, _ := pack.Find("1")
	prog := memProgress(t)
	prog.MarkStep(l.ID, "whoami", progress.StatusPassed)
	lab := &fakeLab{}
	m := drive(t, start(t, Options{Pack: pack, Progress: prog, Open: l,
		OpenLab: func(_ ctxT, _ lessonT) (Lab, error) { return lab, nil }}), size(120, 40))
	m = drive(t, m, press("esc"), press("["), press("r"))
	if out := shot(t, m); !strings.Contains(out, "Reset step 1? Its progress is forgotten") {
		t.Fatalf("no confirmation:\n%s", out)
	}
	m = drive(t, m, press("n"))
	if prog.Step(l.ID, "whoami").Status != progress.StatusPassed {
		t.Fatal("declining reset the step")
	}
	m = drive(t, m, press("r"), press("y"))
	if got := prog.Step(l.ID, "whoami").Status; got != progress.StatusOpen {
		t.Errorf("after reset: %q", got)
	}
	if diff := cmp.Diff([]int{0}, lab.restarts); diff != "" {
		t.Errorf("restarts (-want +got):\n%s", diff)
	}
	if out := shot(t, m); !strings.Contains(out, "Step 1 starts over.") || !strings.Contains(out, "● 1 Who am I?") {
		t.Errorf("screen after reset:\n%s", out)
	}
}
