package ui

// This file holds what the lesson screen's keys do: focus, hints, the
// solution, resetting a step and scrolling.

import (
	"context"
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// noLabReason explains why a lab feature is unavailable.
func (m Model) noLabReason(what string) string {
	if err := m.lesson.labErr; err != nil {
		return fmt.Sprintf("%s, and the lab did not start: %v", what, err)
	}
	if m.opts.OpenLab == nil {
		return what + ", and this session has no lab connected"
	}
	return what + ", which is still starting"
}

// nextFocus moves focus among the panes the layout shows.
func (m Model) nextFocus(dir int) focus {
	ls := m.lesson
	lay := computeLayout(m.width, max(0, m.height-1))
	f := ls.focus
	for range focusCount {
		f = (f + focus(dir) + focusCount) % focusCount
		switch f {
		case focusLesson:
			if lay.lesson.h > 0 {
				return f
			}
		case focusSteps:
			if lay.steps.h > 0 {
				return f
			}
		case focusConsole, focusTrail:
			if lay.console.h > 0 {
				return f
			}
		}
	}
	return focusLesson
}

func (m *Model) revealHint() tea.Cmd {
	ls := m.lesson
	if len(ls.l.Steps) == 0 {
		return nil
	}
	st := ls.l.Steps[ls.steps.sel]
	prog := m.opts.Progress
	before := prog.Step(ls.l.ID, st.ID).HintsRevealed
	if before >= len(st.Hints) {
		m.status = "No more hints for this step."
		return nil
	}
	prog.RevealHint(ls.l.ID, st.ID, len(st.Hints))
	ls.focus = focusSteps
	ls.steps.refresh()
	ls.steps.vp.GotoBottom()
	return saveCmd(prog)
}

func (m *Model) askSolution() {
	ls := m.lesson
	if len(ls.l.Steps) == 0 {
		return
	}
	if ls.steps.solutions[ls.steps.sel] {
		ls.focus = focusSteps
		ls.steps.vp.GotoBottom()
		return
	}
	if !ls.steps.solutionAvailable() {
		st := ls.l.Steps[ls.steps.sel]
		seen := m.opts.Progress.Step(ls.l.ID, st.ID).HintsRevealed
		m.status = fmt.Sprintf("The solution opens once the step passes or you have seen every hint (%d of %d; press h).", seen, len(st.Hints))
		return
	}
	ls.steps.confirm = true
	ls.focus = focusSteps
	ls.steps.refresh()
	ls.steps.vp.GotoBottom()
}

// scroll moves the focused pane.
func (m *Model) scroll(km tea.KeyPressMsg) {
	ls := m.lesson
	k := m.keys
	if ls.focus == focusTrail {
		ls.trail, _ = ls.trail.Update(km)
		return
	}
	vp := &ls.vp
	if ls.focus == focusSteps {
		vp = &ls.steps.vp
	} else if ls.focus == focusConsole {
		vp = &ls.console.out
	}
	switch {
	case key.Matches(km, k.Up):
		vp.ScrollUp(1)
	case key.Matches(km, k.Down):
		vp.ScrollDown(1)
	case key.Matches(km, k.PageUp):
		vp.PageUp()
	case key.Matches(km, k.PageDown):
		vp.PageDown()
	case key.Matches(km, k.Top):
		vp.GotoTop()
	case key.Matches(km, k.Bottom):
		vp.GotoBottom()
	}
}

// resetStep forgets the selected step's progress and, with a lab that can,
// starts the step over.
func (m *Model) resetStep() tea.Cmd {
	ls := m.lesson
	i := ls.steps.sel
	prog := m.opts.Progress
	prog.ResetStep(ls.l.ID, ls.l.Steps[i].ID)
	delete(ls.steps.reports, i)
	delete(ls.steps.solutions, i)
	ls.steps.refresh()
	cmds := []tea.Cmd{saveCmd(prog)}
	m.status = fmt.Sprintf("Step %d reset.", i+1)
	if r, ok := ls.lab.(StepRestarter); ok {
		cmds = append(cmds, func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
			defer cancel()
			return restartedMsg{step: i, err: r.RestartStep(ctx, i)}
		})
	}
	return tea.Batch(cmds...)
}
