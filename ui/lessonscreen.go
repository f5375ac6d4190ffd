package ui

import (
	"context"
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/seclab-dev/seclab/lab/progress"
	"github.com/seclab-dev/seclab/lessons"
)

// checkTimeout bounds one step check.
const checkTimeout = 30 * time.Second

// Messages of the lesson screen.
type (
	labOpenedMsg struct {
		lesson *lessons.Lesson
		lab    Lab
		err    error
	}
	checkDoneMsg struct {
		lesson *lessons.Lesson
		step   int
		report CheckReport
	}
	preparedMsg struct {
		step int
		err  error
	}
	restartedMsg struct {
		step int
		err  error
	}
	labChangedMsg struct{ lab Lab }
	savedMsg      struct{ err error }
)

// saveCmd writes progress in a command.
func saveCmd(p *progress.Progress) tea.Cmd {
	return func() tea.Msg { return savedMsg{err: p.Save()} }
}

// watchCmd waits for the next lab change (watch mode).
func watchCmd(lab Lab) tea.Cmd {
	ch := lab.Changes()
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		if _, ok := <-ch; !ok {
			return nil
		}
		return labChangedMsg{lab: lab}
	}
}

func checkCmd(lab Lab, l *lessons.Lesson, step int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
		defer cancel()
		r := lab.Check(ctx, step)
		if r.At.IsZero() {
			r.At = time.Now()
		}
		return checkDoneMsg{lesson: l, step: step, report: r}
	}
}

func prepareCmd(lab Lab, step int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
		defer cancel()
		return preparedMsg{step: step, err: lab.Prepare(ctx, step)}
	}
}

// runCheck starts checking the current step, or queues one more check if
// a check is already running.
func (m *Model) runCheck() tea.Cmd {
	ls := m.lesson
	cur := ls.steps.current()
	if ls.lab == nil || cur >= len(ls.l.Steps) {
		return nil
	}
	if ls.checking {
		ls.pendingCheck = true
		return nil
	}
	ls.checking, ls.steps.checking = true, true
	ls.steps.refresh()
	return checkCmd(ls.lab, ls.l, cur)
}

func (m Model) updateLesson(msg tea.Msg) (tea.Model, tea.Cmd) {
	ls := m.lesson
	prog := m.opts.Progress
	switch msg := msg.(type) {
	case labOpenedMsg:
		if msg.lesson != ls.l {
			if msg.lab != nil {
				lab := msg.lab
				return m, func() tea.Msg { _ = lab.Close(); return nil }
			}
			return m, nil
		}
		ls.console.waiting = false
		if msg.err != nil {
			ls.labErr = msg.err
			ls.console.refresh()
			if ls.focus == focusConsole {
				ls.focus = focusLesson
			}
			m.status = "lab not started: " + msg.err.Error()
			return m, nil
		}
		ls.lab = msg.lab
		ls.console.SetLab(msg.lab)
		ls.trail.lab = msg.lab
		ls.trail.refresh()
		ls.steps.expand = labExpander(msg.lab)
		ls.steps.refresh()
		cmds := []tea.Cmd{watchCmd(msg.lab), ls.trail.fetch()}
		if cur := ls.steps.current(); cur < len(ls.l.Steps) {
			cmds = append(cmds, prepareCmd(msg.lab, cur))
		}
		return m, tea.Batch(cmds...)
	case restartedMsg:
		if msg.err != nil {
			m.status = fmt.Sprintf("step %d could not restart (not your fault): %v", msg.step+1, msg.err)
		} else {
			m.status = fmt.Sprintf("Step %d starts over.", msg.step+1)
		}
		return m, nil
	case preparedMsg:
		if msg.err != nil {
			m.status = fmt.Sprintf("step %d setup failed (not your fault): %v", msg.step+1, msg.err)
		}
		return m, nil
	case checkDoneMsg:
		if msg.lesson != ls.l {
			return m, nil
		}
		ls.checking, ls.steps.checking = false, false
		ls.steps.reports[msg.step] = msg.report
		st := ls.l.Steps[msg.step]
		before := ls.steps.current()
		switch msg.report.Status() {
		case CheckPass:
			prog.MarkStep(ls.l.ID, st.ID, progress.StatusPassed)
		case CheckFail:
			prog.MarkStep(ls.l.ID, st.ID, progress.StatusFailed)
		default:
			prog.MarkStep(ls.l.ID, st.ID, progress.StatusError)
		}
		cmds := []tea.Cmd{saveCmd(prog)}
		if after := ls.steps.current(); after != before {
			if ls.steps.sel == before && after < len(ls.l.Steps) {
				ls.steps.sel = after
			}
			if after < len(ls.l.Steps) {
				m.status = fmt.Sprintf("Step %d passed. On to step %d.", before+1, after+1)
				cmds = append(cmds, prepareCmd(ls.lab, after))
			} else {
				m.status = "Every step passed: lesson complete."
			}
		}
		ls.steps.refresh()
		if ls.pendingCheck {
			ls.pendingCheck = false
			cmds = append(cmds, m.runCheck())
		}
		return m, tea.Batch(cmds...)
	case labChangedMsg:
		if msg.lab != ls.lab {
			return m, nil
		}
		return m, tea.Batch(ls.trail.fetch(), m.runCheck(), watchCmd(ls.lab))
	case trailMsg:
		ls.trail.add(msg.events)
		return m, nil
	case editDoneMsg:
		var cmd tea.Cmd
		ls.console, cmd, _ = ls.console.Update(msg)
		return m, tea.Batch(cmd, m.runCheck())
	case consoleDoneMsg:
		var cmd tea.Cmd
		ls.console, cmd, _ = ls.console.Update(msg)
		return m, tea.Batch(cmd, ls.trail.fetch(), m.runCheck())
	case tea.MouseWheelMsg:
		switch ls.focus {
		case focusSteps:
			ls.steps.vp, _ = ls.steps.vp.Update(msg)
		case focusConsole:
			ls.console, _, _ = ls.console.Update(msg)
		default:
			ls.vp, _ = ls.vp.Update(msg)
		}
		return m, nil
	case tea.PasteMsg:
		if ls.focus == focusConsole {
			var cmd tea.Cmd
			ls.console, cmd, _ = ls.console.Update(msg)
			return m, cmd
		}
		return m, nil
	case tea.KeyPressMsg:
		return m.lessonKey(msg)
	}
	return m, nil
}

// labExpander expands templates through the lab when it offers that.
func labExpander(lab Lab) func(string) string {
	if e, ok := lab.(interface{ Expand(string) string }); ok {
		return e.Expand
	}
	return func(s string) string { return s }
}

func (m Model) lessonKey(km tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	ls := m.lesson
	k := m.keys
	prog := m.opts.Progress

	// The lesson and the console's output page from anywhere.
	switch {
	case key.Matches(km, k.LessonUp):
		ls.vp.PageUp()
		return m, nil
	case key.Matches(km, k.LessonDown):
		ls.vp.PageDown()
		return m, nil
	case key.Matches(km, k.OutputUp):
		ls.console.out.PageUp()
		return m, nil
	case key.Matches(km, k.OutputDown):
		ls.console.out.PageDown()
		return m, nil
	}
	if ls.steps.confirmReset {
		ls.steps.confirmReset = false
		ls.steps.refresh()
		if key.Matches(km, k.Confirm) {
			return m, m.resetStep()
		}
		return m, nil
	}
	if ls.steps.confirm {
		ls.steps.confirm = false
		if key.Matches(km, k.Confirm) {
			st := ls.l.Steps[ls.steps.sel]
			ls.steps.solutions[ls.steps.sel] = true
			prog.ShowSolution(ls.l.ID, st.ID)
			ls.steps.refresh()
			ls.steps.vp.GotoBottom()
			return m, saveCmd(prog)
		}
		ls.steps.refresh()
		return m, nil
	}
	if ls.focus == focusConsole && ls.console.live() {
		switch {
		case key.Matches(km, k.FocusNext) && ls.console.input.Value() != "":
			var cmd tea.Cmd
			var used bool
			if ls.console, cmd, used = ls.console.Update(km); used {
				return m, cmd
			}
		case key.Matches(km, k.FocusNext), key.Matches(km, k.FocusPrev):
		case key.Matches(km, k.Console) && ls.console.input.Value() == "":
			// Already in the console: no command starts with > or :, so
			// the key that moves here is not typed.
			return m, nil
		case km.String() == "esc":
			ls.focus = focusLesson
			return m, nil
		default:
			var cmd tea.Cmd
			ls.console, cmd, _ = ls.console.Update(km)
			return m, cmd
		}
	}
	if ls.focus == focusTrail && (km.String() == "esc" || km.String() == "enter") {
		var used bool
		if ls.trail, used = ls.trail.Update(km); used {
			return m, nil
		}
	}
	m.status = ""
	switch {
	case key.Matches(km, k.Quit):
		return m.quit()
	case key.Matches(km, k.Help):
		m.showHelp = !m.showHelp
	case m.showHelp && key.Matches(km, k.Back):
		m.showHelp = false
	case key.Matches(km, k.Back):
		m.screen = screenHome
		m.home.applyFilter()
		if ls.lab != nil {
			lab := ls.lab
			m.lesson = nil
			return m, func() tea.Msg { _ = lab.Close(); return nil }
		}
		m.lesson = nil
	case key.Matches(km, k.FocusNext):
		ls.focus = m.nextFocus(1)
	case key.Matches(km, k.FocusPrev):
		ls.focus = m.nextFocus(-1)
	case key.Matches(km, k.Console):
		ls.focus = focusConsole
	case key.Matches(km, k.Trail):
		ls.focus = focusTrail
	case key.Matches(km, k.PrevStep):
		if ls.steps.sel > 0 {
			ls.steps.sel--
			ls.steps.refresh()
			m.scrollToStep(ls.steps.sel)
		}
	case key.Matches(km, k.NextStep):
		if ls.steps.sel < len(ls.l.Steps)-1 {
			ls.steps.sel++
			ls.steps.refresh()
			m.scrollToStep(ls.steps.sel)
		}
	case key.Matches(km, k.Hint):
		return m, m.revealHint()
	case key.Matches(km, k.Solution):
		m.askSolution()
	case key.Matches(km, k.Reset):
		if len(ls.l.Steps) > 0 {
			ls.steps.confirmReset = true
			ls.focus = focusSteps
			ls.steps.refresh()
			ls.steps.vp.GotoBottom()
		}
	case key.Matches(km, k.Check):
		if ls.lab == nil {
			m.status = m.noLabReason("checks run in the lab")
			return m, nil
		}
		return m, m.runCheck()
	default:
		m.scroll(km)
	}
	return m, nil
}
