package ui

import (
	"fmt"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

// The golden screens use the lessons package's test pack and no colour, so
// they change only when the UI does. Rewrite them with -update.
func TestGoldenScreens(t *testing.T) {
	pack := testPack(t)
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("home_%dx%d", sz[0], sz[1]), func(t *testing.T) {
			m := drive(t, start(t, Options{Pack: pack, Progress: memProgress(t)}), size(sz[0], sz[1]))
			golden.RequireEqual(t, shot(t, m))
		})
		t.Run(fmt.Sprintf("lesson_%dx%d", sz[0], sz[1]), func(t *testing.T) {
			prog := memProgress(t)
			prog.MarkStep("lock-it-down", "alice-secret", "passed")
			l, _ := pack.Find("2")
			m := drive(t, start(t, Options{Pack: pack, Progress: prog, Open: l}), size(sz[0], sz[1]))
			golden.RequireEqual(t, shot(t, m))
		})
	}
	t.Run("accessible_80x24", func(t *testing.T) {
		l, _ := pack.Find("1")
		m := drive(t, start(t, Options{Pack: pack, Progress: memProgress(t), Open: l, Accessible: true}), size(80, 24))
		golden.RequireEqual(t, shot(t, m))
	})
	t.Run("lab_console_100x30", func(t *testing.T) {
		// A lesson with a lab opens with the console focused; a long
		// command in the steps pane wraps at spaces.
		l, _ := pack.Find("2")
		lab := &fakeLab{}
		m := drive(t, start(t, Options{Pack: pack, Progress: memProgress(t), Open: l,
			OpenLab: func(_ ctxT, _ lessonT) (Lab, error) { return lab, nil }}), size(100, 30))
		m = drive(t, m, typed("aws sts get-caller-identity")...)
		m = drive(t, m, press("enter"))
		golden.RequireEqual(t, shot(t, m))
	})
	t.Run("help_80x24", func(t *testing.T) {
		l, _ := pack.Find("1")
		m := drive(t, start(t, Options{Pack: pack, Progress: memProgress(t), Open: l}), size(80, 24), press("?"))
		golden.RequireEqual(t, shot(t, m))
	})
}
