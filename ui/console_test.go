package ui

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

func openWithFakeLab(t *testing.T) (tea.Model, *fakeLab) {
	t.Helper()
	pack := testPack(t)
	l, _ := pack.Find("1")
	lab := &fakeLab{}
	m := drive(t, start(t, Options{Pack: pack, Progress: memProgress(t), Open: l,
		OpenLab: func(_ ctxT, _ lessonT) (Lab, error) { return lab, nil }}), size(120, 40))
	if f := m.(Model).lesson.focus; f != focusConsole {
		t.Fatalf("a lesson with a lab opened with focus %v, want the console", f)
	}
	return m, lab
}

func TestConsoleCompletion(t *testing.T) {
	m, _ := openWithFakeLab(t)
	m = drive(t, m, typed("aws km")...)
	m = drive(t, m, press("tab"))
	if got := m.(Model).lesson.console.input.Value(); got != "aws kms " {
		t.Fatalf("after tab: %q", got)
	}
	m = drive(t, m, typed("list-")...)
	m = drive(t, m, press("tab"))
	if got := m.(Model).lesson.console.input.Value(); got != "aws kms list-" {
		t.Errorf("ambiguous completion changed the line: %q", got)
	}
	if out := shot(t, m); !strings.Contains(out, "list-aliases  list-grants  list-keys") {
		t.Errorf("candidates not shown:\n%s", out)
	}
	if f := m.(Model).lesson.focus; f != focusConsole {
		t.Errorf("tab with text moved focus to %v", f)
	}
	// With an empty line, tab moves focus on.
	m = drive(t, m, press("ctrl+u"), press("tab"))
	if f := m.(Model).lesson.focus; f != focusTrail {
		t.Errorf("tab on an empty line: focus %v, want the trail", f)
	}
}

func TestConsoleEdit(t *testing.T) {
	m, lab := openWithFakeLab(t)
	m = drive(t, m, typed("edit ../x")...)
	m = drive(t, m, press("enter"))
	if out := shot(t, m); !strings.Contains(out, "edit ../x: not in the workspace") {
		t.Errorf("bad path not reported:\n%s", out)
	}
	m = drive(t, m, typed("edit policy.json")...)
	var cmd tea.Cmd
	m, cmd = m.Update(press("enter"))
	if cmd == nil {
		t.Fatal("edit returned no command")
	}
	m = drive(t, m, editDoneMsg{name: "policy.json"}, editDoneMsg{name: "p2.json", err: errors.New("exit status 1")})
	out := shot(t, m)
	for _, want := range []string{"saved policy.json", "edit p2.json: exit status 1"} {
		if !strings.Contains(out, want) {
			t.Errorf("screen lacks %q:\n%s", want, out)
		}
	}
	if len(lab.execs) != 0 {
		t.Errorf("edit lines reached the lab's Exec: %q", lab.execs)
	}
}
