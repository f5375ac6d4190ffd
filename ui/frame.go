package ui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// fit cuts or pads every line of s to exactly width cells and the result
// to exactly height lines.
func fit(s string, width, height int) []string {
	if width <= 0 || height <= 0 {
		return nil
	}
	lines := strings.Split(s, "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	out := make([]string, height)
	for i := range out {
		var l string
		if i < len(lines) {
			l = lines[i]
		}
		out[i] = padRight(l, width)
	}
	return out
}

// padRight truncates or pads one line to width cells.
func padRight(line string, width int) string {
	w := ansi.StringWidth(line)
	if w > width {
		return ansi.Truncate(line, width, "")
	}
	return line + strings.Repeat(" ", width-w)
}

// box draws content in a width×height frame whose top edge carries title:
//
//	┌ Title ─────┐
//	│ content    │
//	└────────────┘
//
// In plain mode (accessible) it draws no frame: the title on its own line,
// then the content.
func box(st Styles, plain bool, title, content string, width, height int, focused bool) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	if plain {
		t := title
		if focused {
			t += " (focused)"
		}
		lines := append([]string{padRight(st.Title.Render(t), width)}, fit(content, width, height-1)...)
		return strings.Join(lines[:height], "\n")
	}
	bs, ts := st.Border, st.Title
	if focused {
		bs, ts = st.BorderFocused, st.TitleFocused
	}
	if width < 2 || height < 2 {
		return strings.Join(fit(content, width, height), "\n")
	}
	inner := width - 2
	var top string
	if inner >= 3 && title != "" {
		t := ansi.Truncate(title, inner-2, "…")
		top = bs.Render("┌") + " " + ts.Render(t) + " " + bs.Render(strings.Repeat("─", max(0, inner-2-ansi.StringWidth(t)))+"┐")
	} else {
		top = bs.Render("┌" + strings.Repeat("─", inner) + "┐")
	}
	rows := []string{top}
	side := bs.Render("│")
	for _, l := range fit(content, max(0, inner-2), height-2) {
		rows = append(rows, side+" "+l+" "+side)
	}
	if inner < 2 {
		for i := 1; i < len(rows); i++ {
			rows[i] = side + strings.Repeat(" ", inner) + side
		}
	}
	rows = append(rows, bs.Render("└"+strings.Repeat("─", inner)+"┘"))
	return strings.Join(rows, "\n")
}

// joinH places blocks side by side; each must have the same height.
func joinH(blocks ...string) string {
	return lipgloss.JoinHorizontal(lipgloss.Top, blocks...)
}

// wrap word-wraps plain or styled text to width.
func wrap(s string, width int) string {
	if width <= 0 {
		return ""
	}
	return ansi.Wrap(s, width, "")
}
