package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/seclab-dev/seclab/lessons"
)

// TestCourseRenders renders every lesson of the built-in course the way the
// lesson pane does (renderMarkdown, glamour) at 60, 80 and 120 columns in
// the glamour styles the UI picks, and at the pane widths a terminal of
// those sizes gives the lesson pane: no glamour error, no line wider than
// asked, and the title, every step and the closing sections on screen.
func TestCourseRenders(t *testing.T) {
	pack, err := lessons.Builtin()
	if err != nil {
		t.Fatalf("the built-in course: %v", err)
	}
	type run struct {
		width int
		style string
	}
	var runs []run
	for _, w := range []int{60, 80, 120} {
		runs = append(runs, run{w, "dark"}, run{w, "notty"})
		if pane, _ := inner(computeLayout(w, 40).lesson, false); pane != w {
			runs = append(runs, run{pane, "dark"})
		}
	}
	// The light style lays text out as the dark one does; only colours differ.
	runs = append(runs, run{80, "light"})
	for _, l := range pack.Lessons {
		want := []string{l.Title, "Recap", "Read more"}
		for _, st := range l.Steps {
			want = append(want, fmt.Sprintf("Step %d: %s", st.Number, st.Title))
		}
		for _, r := range runs {
			t.Run(fmt.Sprintf("%s/%d/%s", l.Dir, r.width, r.style), func(t *testing.T) {
				t.Parallel()
				out := renderMarkdown(l.Body, r.width, r.style)
				if strings.HasPrefix(out, "(could not render") {
					t.Fatalf("glamour failed: %s", strings.SplitN(out, "\n", 2)[0])
				}
				for i, line := range strings.Split(out, "\n") {
					if w := ansi.StringWidth(line); w > r.width {
						t.Errorf("line %d is %d columns wide, more than %d: %q", i+1, w, r.width, ansi.Strip(line))
					}
				}
				text := squash(ansi.Strip(out))
				for _, s := range want {
					if !strings.Contains(text, squash(plainInline(s))) {
						t.Errorf("the rendering lacks %q", s)
					}
				}
				if strings.Contains(text, "seclab-step") {
					t.Error("a seclab-step block shows in the lesson pane")
				}
			})
		}
	}
}

// squash collapses runs of white space, so that wrapped text compares equal
// to the source.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// plainInline drops the Markdown emphasis and code marks that glamour does
// not print.
func plainInline(s string) string { return strings.NewReplacer("`", "", "**", "", "*", "").Replace(s) }
