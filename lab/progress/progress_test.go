package progress

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/seclab-dev/seclab/lessons"
)

var t0 = time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)

func newAt(t *testing.T, dir string) *Progress {
	t.Helper()
	p, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	p.Now = func() time.Time { return t0 }
	return p
}

func testLesson() *lessons.Lesson {
	return &lessons.Lesson{ID: "demo", Steps: []lessons.Step{{ID: "a"}, {ID: "b"}, {ID: "c"}}}
}

func TestRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "seclab")
	p := newAt(t, dir)
	p.MarkStep("demo", "a", StatusFailed)
	p.MarkStep("demo", "a", StatusPassed)
	p.MarkStep("demo", "b", StatusError)
	if got := p.RevealHint("demo", "b", 2); got != 1 {
		t.Errorf("RevealHint = %d, want 1", got)
	}
	p.ShowSolution("demo", "b")
	if err := p.Save(); err != nil {
		t.Fatal(err)
	}
	q := newAt(t, dir)
	want := Lesson{
		Started: t0, Updated: t0,
		Steps: map[string]*Step{
			"a": {Status: StatusPassed, Attempts: 2, FirstChecked: t0, LastChecked: t0, PassedAt: t0},
			"b": {Status: StatusError, HintsRevealed: 1, SolutionShown: true, FirstChecked: t0, LastChecked: t0},
		},
	}
	if diff := cmp.Diff(want, q.Lesson("demo")); diff != "" {
		t.Errorf("reloaded progress (-want +got):\n%s", diff)
	}
	if len(q.Warnings) != 0 {
		t.Errorf("warnings: %v", q.Warnings)
	}
	st, err := os.Stat(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v, want 0600", st.Mode().Perm())
	}
	dst, _ := os.Stat(dir)
	if dst.Mode().Perm() != 0o700 {
		t.Errorf("folder mode %v, want 0700", dst.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("folder holds %d entries, want only %s (no temporary files left)", len(entries), FileName)
	}
}

func TestMemoryOnly(t *testing.T) {
	p := newAt(t, "")
	p.MarkStep("demo", "a", StatusPassed)
	if err := p.Save(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(FileName); err == nil {
		t.Fatal("memory-only progress wrote a file")
	}
	if p.Step("demo", "a").Status != StatusPassed {
		t.Error("memory-only progress lost a step")
	}
}

func TestMissingFileIsEmpty(t *testing.T) {
	p := newAt(t, t.TempDir())
	if got := p.Step("demo", "a"); got.Status != StatusOpen {
		t.Errorf("Step = %+v, want open", got)
	}
	if got := p.Lesson("nope"); len(got.Steps) != 0 {
		t.Errorf("Lesson = %+v, want empty", got)
	}
}

func TestCorruptFileIsSetAside(t *testing.T) {
	for name, content := range map[string]string{
		"not json":        "{{{",
		"wrong version":   `{"version": 99, "lessons": {}}`,
		"unknown field":   `{"version": 1, "lessons": {}, "extra": 1}`,
		"bad status":      `{"version": 1, "lessons": {"x": {"steps": {"a": {"status": "great"}}}}}`,
		"null lesson":     `{"version": 1, "lessons": {"x": null}}`,
		"trailing data":   `{"version": 1, "lessons": {}} {}`,
		"truncated write": `{"version": 1, "lessons": {"x": {"steps": {"a": {"sta`,
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, FileName)
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			p := newAt(t, dir)
			if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "started with fresh progress") {
				t.Fatalf("warnings = %q", p.Warnings)
			}
			backups, _ := filepath.Glob(path + ".corrupt-*")
			if len(backups) != 1 {
				t.Fatalf("backups = %v", backups)
			}
			if b, _ := os.ReadFile(backups[0]); string(b) != content {
				t.Errorf("backup holds %q, want the original", b)
			}
			p.MarkStep("demo", "a", StatusPassed)
			if err := p.Save(); err != nil {
				t.Fatal(err)
			}
			if q := newAt(t, dir); q.Step("demo", "a").Status != StatusPassed || len(q.Warnings) != 0 {
				t.Errorf("after saving fresh progress: %+v, %v", q.Step("demo", "a"), q.Warnings)
			}
		})
	}
}

func TestPassedIsSticky(t *testing.T) {
	p := newAt(t, t.TempDir())
	p.MarkStep("demo", "a", StatusPassed)
	p.MarkStep("demo", "a", StatusFailed)
	p.MarkStep("demo", "a", StatusError)
	if got := p.Step("demo", "a"); got.Status != StatusPassed || got.Attempts != 2 {
		t.Errorf("Step = %+v, want passed with 2 attempts", got)
	}
	p.MarkStep("demo", "b", StatusPassed)
	p.ResetStep("demo", "a")
	if got := p.Step("demo", "a"); got.Status != StatusOpen || got.Attempts != 0 {
		t.Errorf("after ResetStep: %+v", got)
	}
	if got := p.Step("demo", "b"); got.Status != StatusPassed {
		t.Errorf("ResetStep touched another step: %+v", got)
	}
	p.ResetStep("nope", "a") // unknown lesson: nothing to do
	p.Reset("demo")
	if got := p.Step("demo", "b"); got.Status != StatusOpen {
		t.Errorf("after Reset: %+v", got)
	}
}

func TestResumeAndPassed(t *testing.T) {
	p := newAt(t, t.TempDir())
	l := testLesson()
	tests := []struct {
		mark       []string
		wantResume int
		wantPassed int
	}{
		{nil, 0, 0},
		{[]string{"a"}, 1, 1},
		{[]string{"c"}, 1, 2}, // c passed out of order: b still open
		{[]string{"b"}, 3, 3},
	}
	for _, tt := range tests {
		for _, s := range tt.mark {
			p.MarkStep("demo", s, StatusPassed)
		}
		if got := p.Resume(l); got != tt.wantResume {
			t.Errorf("after %v: Resume = %d, want %d", tt.mark, got, tt.wantResume)
		}
		if got := p.Passed(l); got != tt.wantPassed {
			t.Errorf("after %v: Passed = %d, want %d", tt.mark, got, tt.wantPassed)
		}
	}
	p.ResetAll()
	if got := p.Resume(l); got != 0 {
		t.Errorf("after ResetAll: Resume = %d", got)
	}
}

func TestRevealHintCaps(t *testing.T) {
	p := newAt(t, t.TempDir())
	var got []int
	for range 4 {
		got = append(got, p.RevealHint("demo", "a", 2))
	}
	if diff := cmp.Diff([]int{1, 2, 2, 2}, got); diff != "" {
		t.Error(diff)
	}
}

func TestDefaultDir(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", "/x/state")
	if d, _ := DefaultDir(); d != "/x/state/seclab" {
		t.Errorf("DefaultDir = %q", d)
	}
	t.Setenv("XDG_STATE_HOME", "relative/ignored")
	t.Setenv("HOME", "/home/me")
	if d, _ := DefaultDir(); d != "/home/me/.local/state/seclab" {
		t.Errorf("DefaultDir = %q", d)
	}
}

func TestConcurrentUse(t *testing.T) {
	p := newAt(t, t.TempDir())
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 50 {
				p.MarkStep("demo", "a", StatusFailed)
				p.RevealHint("demo", "b", 3)
				_ = p.Lesson("demo")
				_ = p.Resume(testLesson())
				if i == 0 {
					if err := p.Save(); err != nil {
						t.Error(err)
					}
				}
			}
		})
	}
	wg.Wait()
	if got := p.Step("demo", "a").Attempts; got != 400 {
		t.Errorf("attempts = %d, want 400", got)
	}
}

func TestUnwritableFolder(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(filepath.Join(blocker, "sub")); err == nil || !strings.HasPrefix(err.Error(), "read progress: ") {
		t.Errorf("Load from a path under a file: %v", err)
	}
	p := newAt(t, dir)
	p.dir = filepath.Join(blocker, "sub")
	if err := p.Save(); err == nil || !strings.HasPrefix(err.Error(), "save progress: ") {
		t.Errorf("Save into a path under a file: %v", err)
	}
}
