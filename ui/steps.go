package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"charm.land/bubbles/v2/viewport"

	"github.com/seclab-dev/seclab/lab/progress"
	"github.com/seclab-dev/seclab/lessons"
)

// stepsPane lists a lesson's steps with their status and shows the
// selected step's task, its last check, its hints and, when earned, its
// solution.
type stepsPane struct {
	lesson  *lessons.Lesson
	prog    *progress.Progress
	sel     int // the step shown in detail
	reports map[int]CheckReport
	// confirm is set while asking whether to show the solution;
	// confirmReset while asking whether to reset the selected step.
	confirm      bool
	confirmReset bool
	// solutions holds the steps whose solution is shown.
	solutions map[int]bool
	checking  bool
	vp        viewport.Model
	width     int
	height    int
	styles    Styles
	plain     bool
	expand    func(string) string
}

func newSteps(l *lessons.Lesson, prog *progress.Progress, st Styles, plain bool) stepsPane {
	s := stepsPane{
		lesson: l, prog: prog, reports: map[int]CheckReport{}, solutions: map[int]bool{},
		vp: viewport.New(), styles: st, plain: plain, expand: func(s string) string { return s },
	}
	s.sel = s.current()
	if s.sel >= len(l.Steps) {
		s.sel = max(0, len(l.Steps)-1)
	}
	for i, step := range l.Steps {
		if prog.Step(l.ID, step.ID).SolutionShown {
			s.solutions[i] = true
		}
	}
	return s
}

// current is the first step that has not passed (len(Steps) when done).
func (s *stepsPane) current() int { return s.prog.Resume(s.lesson) }

// SetSize sets the pane's inner size.
func (s *stepsPane) SetSize(w, h int) {
	s.width, s.height = w, h
	s.vp.SetWidth(max(0, w))
	s.vp.SetHeight(max(0, h))
	s.refresh()
}

// refresh rebuilds the pane's content, keeping the scroll position.
func (s *stepsPane) refresh() {
	y := s.vp.YOffset()
	s.vp.SetContent(s.content())
	s.vp.SetYOffset(y)
}

// icon returns the status mark of step i.
func (s *stepsPane) icon(i int) string {
	st := s.styles
	rec := s.prog.Step(s.lesson.ID, s.lesson.Steps[i].ID)
	cur := s.current()
	var word, mark string
	var style = st.Open
	switch {
	case rec.Status == progress.StatusPassed:
		word, mark, style = "passed", "✓", st.Passed
	case rec.Status == progress.StatusError:
		word, mark, style = "checker error", "!", st.Errored
	case i == cur:
		word, mark, style = "current", "●", st.Current
	default:
		word, mark = "open", "○"
	}
	if s.plain {
		return "[" + word + "]"
	}
	return style.Render(mark)
}

func (s *stepsPane) content() string {
	st := s.styles
	w := max(1, s.width)
	var b strings.Builder
	for i, step := range s.lesson.Steps {
		line := fmt.Sprintf("%s %d %s", s.icon(i), step.Number, step.Title)
		if i == s.sel && !s.plain {
			line = st.Selected.Render(padRight(line, w))
		} else if i == s.sel {
			line = "> " + line
		}
		b.WriteString(truncLine(line, w) + "\n")
	}
	if len(s.lesson.Steps) == 0 {
		return st.Dim.Render("This lesson has no steps.")
	}
	if s.plain {
		b.WriteString("\n")
	} else {
		b.WriteString(st.Dim.Render(strings.Repeat("─", w)) + "\n")
	}
	step := s.lesson.Steps[s.sel]
	if s.current() >= len(s.lesson.Steps) {
		b.WriteString(wrap(st.Passed.Render("Lesson complete: every step passed."), w) + "\n\n")
	}
	b.WriteString(wrap(st.Title.Render(fmt.Sprintf("Step %d · %s", step.Number, step.Title)), w) + "\n")
	b.WriteString(wrap(plainMarkdown(s.expand(step.Task), w, func(s string) string { return st.Accent.Render(s) }), w) + "\n")

	if s.checking {
		b.WriteString("\n" + st.Dim.Render("Checking…") + "\n")
	} else if r, ok := s.reports[s.sel]; ok {
		b.WriteString("\n" + st.Title.Render("Last check") + st.Dim.Render(" "+r.At.Format("15:04:05")) + "\n")
		for _, c := range r.Results {
			var mark string
			switch c.Status {
			case CheckPass:
				mark = pick(s.plain, "[pass]", st.Passed.Render("✓"))
			case CheckFail:
				mark = pick(s.plain, "[fail]", st.Failed.Render("✗"))
			default:
				mark = pick(s.plain, "[error]", st.Errored.Render("!"))
			}
			b.WriteString(hang(mark+" ", c.Name, w) + "\n")
			if c.Status != CheckPass && c.Message != "" {
				b.WriteString(hang("  ", st.Dim.Render(s.expand(c.Message)), w) + "\n")
			}
		}
	}

	rec := s.prog.Step(s.lesson.ID, step.ID)
	shown := min(rec.HintsRevealed, len(step.Hints))
	b.WriteString("\n" + st.Title.Render("Hints") + st.Dim.Render(fmt.Sprintf(" %d/%d (h)", shown, len(step.Hints))) + "\n")
	for i := range shown {
		b.WriteString(hangWords(fmt.Sprintf("%d. ", i+1), s.expand(step.Hints[i]), w) + "\n")
	}
	switch {
	case s.solutions[s.sel]:
		b.WriteString("\n" + st.Title.Render("Solution") + "\n")
		for _, a := range step.Solution {
			b.WriteString(wrapCode(describeAction(a, s.expand), w) + "\n")
		}
	case s.confirm:
		b.WriteString("\n" + wrap(st.Accent.Render("Show the solution? y/n"), w) + "\n")
	case s.confirmReset:
		b.WriteString("\n" + wrap(st.Accent.Render(fmt.Sprintf("Reset step %d? Its progress is forgotten and its setup runs again. y/n", step.Number)), w) + "\n")
	default:
		b.WriteString("\n" + wrap(st.Dim.Render("Solution (s): after the step passes or every hint is seen."), w) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// hang wraps text to width with prefix on the first line and the
// continuation lines indented to match it.
func hang(prefix, text string, width int) string {
	pw := ansi.StringWidth(prefix)
	if width-pw < 8 {
		return wrap(prefix+text, width)
	}
	lines := strings.Split(wrap(text, width-pw), "\n")
	pad := strings.Repeat(" ", pw)
	for i := range lines {
		if i == 0 {
			lines[i] = prefix + lines[i]
		} else {
			lines[i] = pad + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}

// hangWords is hang for plain text that may hold commands: it breaks
// only at spaces, never inside a word.
func hangWords(prefix, text string, width int) string {
	pw := ansi.StringWidth(prefix)
	if width-pw < 8 {
		return wrapWords(prefix+text, width, "")
	}
	lines := strings.Split(wrapWords(text, width-pw, ""), "\n")
	pad := strings.Repeat(" ", pw)
	for i := range lines {
		if i == 0 {
			lines[i] = prefix + lines[i]
		} else {
			lines[i] = pad + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}

// solutionAvailable reports whether the selected step's solution may be shown.
func (s *stepsPane) solutionAvailable() bool {
	step := s.lesson.Steps[s.sel]
	rec := s.prog.Step(s.lesson.ID, step.ID)
	return rec.Status == progress.StatusPassed || rec.HintsRevealed >= len(step.Hints)
}

// describeAction renders an action as the learner would type or do it.
func describeAction(a lessons.Action, expand func(string) string) string {
	prefix := "> "
	if a.As != "" && a.As != "learner" {
		prefix = "> as " + a.As + "\n> "
	}
	switch {
	case a.Run != "":
		return prefix + expand(a.Run)
	case a.From != "":
		return fmt.Sprintf("write %s (the lesson's solutions/%s)", expand(a.Write), expand(a.From))
	default:
		return fmt.Sprintf("write %s:\n%s", expand(a.Write), expand(a.Content))
	}
}

func pick(plain bool, p, fancy string) string {
	if plain {
		return p
	}
	return fancy
}

// truncLine cuts a line to width cells.
func truncLine(s string, w int) string {
	return padRight(s, w)
}

// View renders the pane's visible part.
func (s stepsPane) View() string { return s.vp.View() }
