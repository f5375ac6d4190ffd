package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// trailPane lists sandbox API calls as they happen; enter opens the
// selected event's explanation.
type trailPane struct {
	lab       Lab
	events    []TrailEvent
	last      int64
	sel       int
	explain   bool
	follow    bool // keep the newest event selected
	vp        viewport.Model
	width     int
	height    int
	styles    Styles
	plain     bool
	maxEvents int
}

// trailMsg delivers new trail events.
type trailMsg struct{ events []TrailEvent }

func newTrail(st Styles, plain bool) trailPane {
	return trailPane{vp: viewport.New(), styles: st, plain: plain, follow: true, maxEvents: 1000}
}

// SetSize sets the inner size.
func (t *trailPane) SetSize(w, h int) {
	t.width, t.height = w, h
	t.vp.SetWidth(max(0, w))
	t.vp.SetHeight(max(0, h))
	t.refresh()
}

// Title is the pane's title.
func (t *trailPane) Title() string {
	if t.explain && t.sel < len(t.events) {
		return "Trail · " + t.events[t.sel].Action + " · esc to go back"
	}
	return "Trail"
}

// fetch returns a command that reads new events from the lab.
func (t *trailPane) fetch() tea.Cmd {
	if t.lab == nil {
		return nil
	}
	lab, after := t.lab, t.last
	return func() tea.Msg { return trailMsg{events: lab.Trail(after)} }
}

func (t *trailPane) add(evs []TrailEvent) {
	for _, e := range evs {
		if e.Seq > t.last {
			t.events = append(t.events, e)
			t.last = e.Seq
		}
	}
	if n := len(t.events) - t.maxEvents; n > 0 {
		t.events = append([]TrailEvent(nil), t.events[n:]...)
		t.sel = max(0, t.sel-n)
	}
	if t.follow && len(t.events) > 0 {
		t.sel = len(t.events) - 1
	}
	t.refresh()
}

// Trail line layouts, richest first: narrower panes drop the time, then
// the principal, then the calling service, but never cut the action, as
// AWS action names are only useful whole.
const (
	trailFull = iota
	trailNoTime
	trailNoPrincipal
	trailActionOnly
)

// line renders one event in the richest layout that fits the pane.
func (t *trailPane) line(e TrailEvent) string { return t.lineAt(e, t.fit(e)) }

// fit returns the richest layout in which e fits the pane.
func (t *trailPane) fit(e TrailEvent) int {
	w := max(1, t.width)
	for lay := trailFull; lay < trailActionOnly; lay++ {
		if ansi.StringWidth(ansi.Strip(t.columns(e, lay))) <= w {
			return lay
		}
	}
	return trailActionOnly
}

// sourceCheck is TrailEvent.Source for a check's own call.
const sourceCheck = "check"

// columns renders e's columns in layout lay, without the reason. A
// check's own call shows its principal as "bob (check)".
func (t *trailPane) columns(e TrailEvent, lay int) string {
	st := t.styles
	if e.Source == sourceCheck {
		e.Principal += " (check)"
	}
	dec := e.Decision
	switch dec {
	case "ALLOW":
		dec = st.Passed.Render(dec)
	case "DENY":
		dec = st.Failed.Render(dec)
	default:
		dec = st.Errored.Render(dec)
	}
	via := ""
	if e.Via != "" {
		via = " via " + e.Via
	}
	switch lay {
	case trailFull:
		return fmt.Sprintf("%s %-8s %s%s  %s", e.Time.Format("15:04:05"), e.Principal, e.Action, via, dec)
	case trailNoTime:
		return fmt.Sprintf("%s %s %s%s", dec, e.Principal, e.Action, via)
	case trailNoPrincipal:
		return fmt.Sprintf("%s %s%s", dec, e.Action, via)
	}
	return fmt.Sprintf("%s %s", dec, e.Action)
}

// lineAt renders e in layout lay, with the reason when there is one. A
// check's own call is dimmed, and marked "(check)" where the layout has
// no principal.
func (t *trailPane) lineAt(e TrailEvent, lay int) string {
	s := t.columns(e, lay)
	if e.Source == sourceCheck && lay >= trailNoPrincipal {
		s += " (check)"
	}
	if e.Reason != "" {
		s += "  " + t.styles.Dim.Render("("+e.Reason+")")
	}
	if e.Source == sourceCheck {
		s = t.styles.Dim.Render(ansi.Strip(s))
	}
	return s
}

func (t *trailPane) refresh() {
	w := max(1, t.width)
	if t.lab == nil {
		t.vp.SetContent(wrap(t.styles.Dim.Render(
			"Every API call the lab's sandbox receives appears here as it happens: who called, "+
				"which action, allowed or denied, and the policy statement that decided it. "+
				"No lab is connected in this session."), w))
		return
	}
	if t.explain && t.sel < len(t.events) {
		e := t.events[t.sel]
		body := e.ExplanationText()
		if body == "" {
			body = e.Reason
		}
		t.vp.SetContent(wrap(t.line(e)+"\n\n"+body, w))
		return
	}
	if len(t.events) == 0 {
		t.vp.SetContent(t.styles.Dim.Render("No calls yet."))
		return
	}
	// One layout for every line, so the columns line up.
	lay := trailFull
	for _, e := range t.events {
		lay = max(lay, t.fit(e))
	}
	lines := make([]string, len(t.events))
	for i, e := range t.events {
		l := padRight(t.lineAt(e, lay), w)
		if i == t.sel {
			if t.plain {
				l = "> " + l
			} else {
				l = t.styles.Selected.Render(l)
			}
		}
		lines[i] = l
	}
	t.vp.SetContent(strings.Join(lines, "\n"))
	if t.sel < t.vp.YOffset() {
		t.vp.SetYOffset(t.sel)
	} else if t.sel >= t.vp.YOffset()+t.height {
		t.vp.SetYOffset(t.sel - t.height + 1)
	}
}

// Update handles keys while the trail has focus; it reports whether the
// key was used.
func (t trailPane) Update(km tea.KeyPressMsg) (trailPane, bool) {
	switch km.String() {
	case "up", "k":
		if t.explain {
			t.vp.ScrollUp(1)
			return t, true
		}
		if t.sel > 0 {
			t.sel--
			t.follow = false
		}
	case "down", "j":
		if t.explain {
			t.vp.ScrollDown(1)
			return t, true
		}
		if t.sel < len(t.events)-1 {
			t.sel++
		}
		t.follow = t.sel == len(t.events)-1
	case "enter":
		if len(t.events) == 0 {
			return t, false
		}
		t.explain = true
	case "esc":
		if !t.explain {
			return t, false
		}
		t.explain = false
	default:
		return t, false
	}
	t.refresh()
	return t, true
}

// View renders the pane.
func (t trailPane) View() string { return t.vp.View() }
