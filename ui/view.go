package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// View draws the active screen. Accessible mode keeps the normal screen
// buffer so output stays in the terminal's history for screen readers.
func (m Model) View() tea.View {
	var v tea.View
	if m.quitting {
		return v
	}
	v.SetContent(m.render())
	v.AltScreen = !m.opts.Accessible
	v.WindowTitle = "seclab"
	if m.lesson != nil && m.screen == screenLesson {
		v.WindowTitle = fmt.Sprintf("seclab · lesson %d · %s", m.lesson.l.Number, m.lesson.l.Title)
	}
	return v
}

// render returns the screen as text: exactly height lines of width cells.
func (m Model) render() string {
	w, h := m.width, m.height
	if w <= 0 || h <= 0 {
		return ""
	}
	if w < minWidth || h < minHeight {
		return strings.Join(fit(wrap(fmt.Sprintf("seclab needs at least %d×%d; this window is %d×%d.", minWidth, minHeight, w, h), w), w, h), "\n")
	}
	var body string
	var km help.KeyMap = m.hkeys
	if m.screen == screenLesson && m.lesson != nil {
		km = m.keys
		if m.lesson.focus == focusConsole && m.lesson.console.live() {
			km = consoleHelp{m.keys}
		}
	}
	if m.showHelp {
		body = box(m.styles, m.opts.Accessible, "Keys · ? or esc to close", m.help.FullHelpView(km.FullHelp()), w, h-1, true)
	} else if m.screen == screenLesson && m.lesson != nil {
		body = m.lessonView()
	} else {
		body = m.home.View()
	}
	return strings.Join(fit(body, w, h-1), "\n") + "\n" + m.statusLine(km)
}

// statusLine is the bottom line: a message or where the learner is, and
// the key help generated from the key map.
func (m Model) statusLine(km help.KeyMap) string {
	w := m.width
	left := m.status
	if left == "" && m.screen == screenLesson && m.lesson != nil {
		ls := m.lesson
		cur := ls.steps.current()
		if cur >= len(ls.l.Steps) {
			left = fmt.Sprintf("Lesson %d · complete", ls.l.Number)
		} else {
			left = fmt.Sprintf("Lesson %d · step %d of %d", ls.l.Number, cur+1, len(ls.l.Steps))
		}
	}
	hv := m.help
	hv.SetWidth(max(0, w-ansi.StringWidth(left)-3))
	right := hv.ShortHelpView(km.ShortHelp())
	if m.status != "" {
		right = ""
	}
	line := m.styles.Status.Render(left)
	if m.status == "" && (right == "" || ansi.StringWidth(left)+ansi.StringWidth(right)+1 > w) {
		right = m.help.ShortHelpView([]key.Binding{m.keys.Help}) // too narrow: at least say where help is
	}
	if right != "" {
		gap := w - ansi.StringWidth(left) - ansi.StringWidth(right)
		if gap >= 1 {
			line += strings.Repeat(" ", gap) + right
		}
	}
	return padRight(line, w)
}

// lessonView lays out the lesson screen's panes.
func (m Model) lessonView() string {
	ls := m.lesson
	st := m.styles
	plain := m.opts.Accessible
	lay := computeLayout(m.width, max(0, m.height-1))
	l := ls.l

	lessonTitle := fmt.Sprintf("Lesson %d · %s", l.Number, l.Title)
	if ls.vp.TotalLineCount() > ls.vp.Height() {
		lessonTitle += fmt.Sprintf(" · %d%%", int(ls.vp.ScrollPercent()*100))
	}
	lessonBox := box(st, plain, lessonTitle, ls.vp.View(), lay.lesson.w, lay.lesson.h, ls.focus == focusLesson)
	stepsBox := box(st, plain, fmt.Sprintf("Steps · %d/%d passed", m.opts.Progress.Passed(l), len(l.Steps)),
		ls.steps.View(), lay.steps.w, lay.steps.h, ls.focus == focusSteps)
	consoleBox := box(st, plain, ls.console.Title(), ls.console.View(ls.focus == focusConsole),
		lay.console.w, lay.console.h, ls.focus == focusConsole)

	var rows []string
	if !lay.stacked {
		rows = append(rows, joinH(lessonBox, stepsBox))
		if lay.console.h > 0 {
			trailBox := box(st, plain, ls.trail.Title(), ls.trail.View(), lay.trail.w, lay.trail.h, ls.focus == focusTrail)
			rows = append(rows, joinH(consoleBox, trailBox))
		}
		return strings.Join(rows, "\n")
	}
	for _, b := range []string{lessonBox, stepsBox} {
		if b != "" {
			rows = append(rows, b)
		}
	}
	if lay.console.h > 0 {
		if ls.focus == focusTrail {
			rows = append(rows, box(st, plain, ls.trail.Title()+" · tab for the console", ls.trail.View(), lay.console.w, lay.console.h, true))
		} else {
			rows = append(rows, consoleBox)
		}
	}
	return strings.Join(rows, "\n")
}
