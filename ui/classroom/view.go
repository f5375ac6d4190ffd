package classroom

import (
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/seclab-dev/seclab/lab/classroom"
)

// rosterView draws the grid: one line per student, one cell per lesson.
func (m Model) rosterView() string {
	s := m.styles
	var b strings.Builder
	rows := m.visible()
	title := fmt.Sprintf("Class · %d students · sorted by %s", len(m.rows), sortOrders[m.order])
	if m.filter != "" || m.typing {
		title += fmt.Sprintf(" · filter: %s", m.filter)
		if m.typing {
			title += "▏"
		}
	}
	b.WriteString(s.Title.Render(title) + "\n")
	if m.err != nil {
		b.WriteString(s.Failed.Render("Cannot read the class: "+m.err.Error()) + "\n")
	}
	if len(m.rows) == 0 {
		b.WriteString("\n" + s.Dim.Render("No students yet. They appear here as soon as they connect:\n"+
			"  roster:    add their public keys to students.keys in the class folder\n"+
			"  join code: they run  ssh -p PORT NAME@HOST join CODE  once") + "\n")
		return b.String()
	}
	if len(rows) == 0 {
		b.WriteString("\n" + s.Dim.Render("No student matches the filter.") + "\n")
		return b.String()
	}
	lessonsN := len(rows[0].Lessons)
	head := fmt.Sprintf("  %-16s %-5s", "student", "")
	for i := 0; i < lessonsN; i++ {
		head += fmt.Sprintf(" %-3d", rows[0].Lessons[i].Number)
	}
	head += fmt.Sprintf("  %-5s %-5s %-8s %-8s %s", "done", "hints", "on step", "active", "working on")
	b.WriteString(s.Dim.Render(head) + "\n")
	now := m.src.Now()
	for i, r := range rows {
		mark := "  "
		if m.src.Online != nil && m.src.Online(r.Student.ID) {
			mark = s.Passed.Render("● ")
		}
		line := fmt.Sprintf("%-16s %-5s", clip(r.Student.Name, 16), "")
		for _, l := range r.Lessons {
			line += " " + m.cell(l)
		}
		line += fmt.Sprintf("  %-5s %-5d %-8s %-8s %s", fmt.Sprintf("%d/%d", r.Passed, r.Total), r.Hints,
			since(onStep(r, now)), ago(r.LastActivity, now), r.Current)
		if r.Warning != "" {
			line += "  " + s.Errored.Render("! "+r.Warning)
		}
		if i == m.cursor {
			line = s.Selected.Render(line)
		}
		b.WriteString(mark + line + "\n")
	}
	return b.String()
}

// cell is a lesson's three-character cell: ✓✓ done, n/m partial, ·· untouched.
func (m Model) cell(l classroom.LessonStatus) string {
	switch {
	case l.Total > 0 && l.Passed == l.Total:
		return m.styles.Passed.Render(" ✓ ")
	case l.Passed > 0 || l.Started:
		return m.styles.Current.Render(fmt.Sprintf("%d/%d", l.Passed, l.Total))
	}
	return m.styles.Dim.Render(" · ")
}

// detailView is one student's last check and recent calls.
func (m Model) detailView() string {
	s, d := m.styles, m.detail
	var b strings.Builder
	b.WriteString(s.Title.Render(fmt.Sprintf("%s · %d/%d steps · %d hints", d.row.Student.Name, d.row.Passed, d.row.Total, d.row.Hints)) + "\n")
	b.WriteString(s.Dim.Render("key "+d.row.Student.Fingerprint) + "\n\n")
	if d.err != nil {
		b.WriteString(s.Errored.Render("! "+d.err.Error()) + "\n")
	}
	b.WriteString(s.Title.Render("Last check") + "\n")
	if d.check == nil {
		b.WriteString(s.Dim.Render("  No check has run yet.") + "\n")
	} else {
		b.WriteString(s.Dim.Render(fmt.Sprintf("  %s / %s at %s", d.check.Lesson, d.check.Step, d.check.At.Local().Format("15:04:05"))) + "\n")
		for _, r := range d.check.Results {
			icon := s.Passed.Render("✓")
			switch r.Outcome {
			case "FAIL":
				icon = s.Failed.Render("✗")
			case "ERROR":
				icon = s.Errored.Render("!")
			}
			line := fmt.Sprintf("  %s %s", icon, r.Name)
			if r.Outcome != "PASS" && r.Message != "" {
				line += s.Dim.Render("  " + r.Message)
			}
			b.WriteString(line + "\n")
		}
	}
	b.WriteString("\n" + s.Title.Render("Recent calls") + "\n")
	if len(d.trail) == 0 {
		b.WriteString(s.Dim.Render("  No sandbox calls yet.") + "\n")
	}
	for _, t := range d.trail {
		outcome := t.Decision
		if t.ErrorCode != "" {
			outcome = t.ErrorCode
		}
		via := ""
		if t.Via != "" {
			via = " via " + strings.SplitN(t.Via, ".", 2)[0]
		}
		b.WriteString(fmt.Sprintf("  %s %-10s %s%s  %s\n", t.Time.Local().Format("15:04:05"), clip(t.Principal, 10), t.Action, via, outcome))
	}
	return b.String()
}

// fit clips s to w columns and h lines, padding nothing.
func fit(s string, w, h int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > h {
		lines = lines[:max(h, 0)]
	}
	for i, l := range lines {
		if lipgloss.Width(l) > w {
			lines[i] = ansi.Truncate(l, w, "…")
		}
	}
	return strings.Join(lines, "\n")
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

func since(d time.Duration) string {
	if d <= 0 {
		return "-"
	}
	return d.Round(time.Minute).String()
}

func ago(t, now time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d.Hours()))
	}
	return t.Local().Format("Jan 2")
}
