package ui

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// TestConsoleTakesTyping: with a lab the console has focus from the
// start, and every printable key, the step keys among them, types there.
func TestConsoleTakesTyping(t *testing.T) {
	m, lab := openWithFakeLab(t)
	prog := m.(Model).opts.Progress
	l := m.(Model).lesson.l
	line := "aws sts get-caller-identity h c s q t r ? [ ] > g G b f"
	// > (the key that focuses the console) is not typed on an empty line.
	m = drive(t, m, press(">"))
	m = drive(t, m, typed(line)...)
	ls := m.(Model).lesson
	if got := ls.console.input.Value(); got != line {
		t.Errorf("console line = %q, want %q", got, line)
	}
	if ls.focus != focusConsole || ls.vp.YOffset() != 0 || m.(Model).quitting || m.(Model).showHelp {
		t.Errorf("typing acted on the screen: focus %v, lesson offset %d, quitting %v, help %v",
			ls.focus, ls.vp.YOffset(), m.(Model).quitting, m.(Model).showHelp)
	}
	if n := prog.Step(l.ID, l.Steps[0].ID).HintsRevealed; n != 0 {
		t.Errorf("typing h revealed %d hints", n)
	}
	if out := shot(t, m); !strings.Contains(out, "esc step keys") || !strings.Contains(out, "ctrl+c quit") {
		t.Errorf("the help line does not say how to leave the console:\n%s", out)
	}
	m = drive(t, m, press("enter"))
	if len(lab.execs) != 1 || lab.execs[0] != line {
		t.Errorf("execs = %q", lab.execs)
	}
	// esc leaves the console; the single-letter keys then act.
	m = drive(t, m, press("esc"), press("h"))
	if n := prog.Step(l.ID, l.Steps[0].ID).HintsRevealed; n != 1 {
		t.Errorf("h after esc revealed %d hints, want 1", n)
	}
	if f := m.(Model).lesson.focus; f != focusSteps {
		t.Errorf("focus after h = %v, want the steps", f)
	}
}

// TestLessonPagesFromAnyFocus: pgup/pgdn move the lesson pane whatever
// has focus, and leave the console line alone.
func TestLessonPagesFromAnyFocus(t *testing.T) {
	pack := testPack(t)
	l, _ := pack.Find("2")
	m := drive(t, start(t, Options{Pack: pack, Progress: memProgress(t), Open: l,
		OpenLab: func(_ ctxT, _ lessonT) (Lab, error) { return &fakeLab{}, nil }}), size(100, 30))
	m = drive(t, m, typed("aws")...)
	for _, f := range []focus{focusConsole, focusSteps, focusTrail, focusLesson} {
		mm := m.(Model)
		mm.lesson.focus = f
		mm.lesson.vp.GotoTop()
		var next tea.Model = mm
		next = drive(t, next, press("pgdown"))
		ls := next.(Model).lesson
		if ls.vp.YOffset() == 0 {
			t.Errorf("focus %v: pgdn did not page the lesson", f)
		}
		next = drive(t, next, tea.KeyPressMsg{Code: tea.KeyPgUp})
		if ls := next.(Model).lesson; ls.vp.YOffset() != 0 {
			t.Errorf("focus %v: pgup left the lesson at %d", f, ls.vp.YOffset())
		}
		if got := next.(Model).lesson.console.input.Value(); got != "aws" {
			t.Errorf("focus %v: console line = %q", f, got)
		}
	}
}

// TestFoundationModeFocus: without a lab the lesson has focus and space
// pages it, as before.
func TestFoundationModeFocus(t *testing.T) {
	pack := testPack(t)
	l, _ := pack.Find("2")
	m := drive(t, start(t, Options{Pack: pack, Progress: memProgress(t), Open: l}), size(100, 30))
	if f := m.(Model).lesson.focus; f != focusLesson {
		t.Fatalf("focus without a lab = %v, want the lesson", f)
	}
	m = drive(t, m, press(" "))
	if m.(Model).lesson.vp.YOffset() == 0 {
		t.Error("space did not page the lesson")
	}
	if out := shot(t, m); !strings.Contains(out, "Console · not connected") {
		t.Errorf("screen:\n%s", out)
	}
}

// TestConsoleWhileLabStarts: typing before the lab is up is kept; enter
// says the lab is starting. A lab that fails hands focus to the lesson.
func TestConsoleWhileLabStarts(t *testing.T) {
	pack := testPack(t)
	l, _ := pack.Find("1")
	open := func(_ ctxT, _ lessonT) (Lab, error) { return nil, errors.New("no sandbox") }
	// New without Init: the lab has not answered yet.
	var m tea.Model = New(Options{Pack: pack, Progress: memProgress(t), Open: l, OpenLab: open})
	m = drive(t, m, size(120, 40))
	m = drive(t, m, typed("aws sts")...)
	m = drive(t, m, press("enter"))
	out := shot(t, m)
	for _, want := range []string{"Console · starting the lab…", "The lab is still starting", "> aws sts"} {
		if !strings.Contains(out, want) {
			t.Errorf("screen lacks %q:\n%s", want, out)
		}
	}
	m = drive(t, m, labOpenedMsg{lesson: m.(Model).lesson.l, err: errors.New("no sandbox")})
	if f := m.(Model).lesson.focus; f != focusLesson {
		t.Errorf("focus after the lab failed = %v, want the lesson", f)
	}
	if out := shot(t, m); !strings.Contains(out, "Console · not connected") {
		t.Errorf("screen after the lab failed:\n%s", out)
	}
}

// TestSmallWindowMovesFocusOffHiddenConsole: a window too short for the
// console gives focus to the lesson.
func TestSmallWindowMovesFocusOffHiddenConsole(t *testing.T) {
	pack := testPack(t)
	l, _ := pack.Find("1")
	m := drive(t, start(t, Options{Pack: pack, Progress: memProgress(t), Open: l,
		OpenLab: func(_ ctxT, _ lessonT) (Lab, error) { return &fakeLab{}, nil }}), size(80, 12))
	if f := m.(Model).lesson.focus; f != focusLesson {
		t.Errorf("focus = %v, want the lesson", f)
	}
}
