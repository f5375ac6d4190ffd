package ui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// TestEndToEnd runs the real program: open a lesson from the home screen,
// scroll it, open and close the help, quit.
func TestEndToEnd(t *testing.T) {
	pack := testPack(t)
	tm := teatest.NewTestModel(t, New(Options{Pack: pack, Progress: memProgress(t)}),
		teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.NoTTY)))

	// waitFor waits until everything in want has been drawn since the last
	// wait. The renderer sends only changed cells, so each wait names text
	// that the preceding action must (re)draw.
	waitFor := func(want ...string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
			for _, w := range want {
				if !bytes.Contains(b, []byte(w)) {
					return false
				}
			}
			return true
		}, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	}
	waitFor("2 lessons", "First steps")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyDown})
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitFor("Lesson 2 · Lock it down", "Alice stores a database password")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyPgDown})
	tm.Send(tea.KeyPressMsg{Code: tea.KeyPgDown})
	waitFor("Read more")
	tm.Type("?")
	waitFor("Keys · ? or esc to close")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape})
	waitFor("Steps · 0/3 passed")
	tm.Type("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))

	final, ok := tm.FinalModel(t).(Model)
	if !ok {
		t.Fatalf("final model is %T", tm.FinalModel(t))
	}
	if final.lesson == nil || final.lesson.l.ID != "lock-it-down" {
		t.Fatal("the lesson was not open at the end")
	}
	if final.lesson.vp.YOffset() == 0 {
		t.Error("the lesson pane did not scroll")
	}
	if v := final.View(); strings.TrimSpace(v.Content) != "" {
		t.Error("the final view is not empty: the terminal would keep a stale frame")
	}
}
