package ui

import (
	"strings"
	"unicode"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// lineInput is a one-line text editor for the home filter and the console
// prompt: printable keys insert, backspace/delete/ctrl+w/ctrl+u remove,
// arrows/home/end/ctrl+a/ctrl+e move, paste inserts one line (pastedLine).
type lineInput struct {
	prompt      string
	placeholder string
	value       []rune
	pos         int
	focused     bool
}

// Value returns the line.
func (in *lineInput) Value() string { return string(in.value) }

// SetValue replaces the line and puts the cursor at its end.
func (in *lineInput) SetValue(s string) {
	in.value = []rune(s)
	in.pos = len(in.value)
}

// Focus shows the cursor.
func (in *lineInput) Focus() { in.focused = true }

// Blur hides the cursor.
func (in *lineInput) Blur() { in.focused = false }

// Update edits the line; it reports whether msg changed the value.
func (in *lineInput) Update(msg tea.Msg) bool {
	switch msg := msg.(type) {
	case tea.PasteMsg:
		in.insert([]rune(pastedLine(msg.Content)))
		return true
	case tea.KeyPressMsg:
		switch msg.String() {
		case "left", "ctrl+b":
			in.pos = max(0, in.pos-1)
		case "right", "ctrl+f":
			in.pos = min(len(in.value), in.pos+1)
		case "home", "ctrl+a":
			in.pos = 0
		case "end", "ctrl+e":
			in.pos = len(in.value)
		case "backspace", "ctrl+h":
			if in.pos > 0 {
				in.value = append(in.value[:in.pos-1], in.value[in.pos:]...)
				in.pos--
				return true
			}
		case "delete", "ctrl+d":
			if in.pos < len(in.value) {
				in.value = append(in.value[:in.pos], in.value[in.pos+1:]...)
				return true
			}
		case "ctrl+u":
			in.value = in.value[in.pos:]
			in.pos = 0
			return true
		case "ctrl+k":
			in.value = in.value[:in.pos]
			return true
		case "ctrl+w":
			i := in.pos
			for i > 0 && unicode.IsSpace(in.value[i-1]) {
				i--
			}
			for i > 0 && !unicode.IsSpace(in.value[i-1]) {
				i--
			}
			in.value = append(in.value[:i], in.value[in.pos:]...)
			in.pos = i
			return true
		default:
			if msg.Text != "" && msg.Mod&^tea.ModShift == 0 {
				in.insert([]rune(msg.Text))
				return true
			}
		}
	}
	return false
}

func (in *lineInput) insert(r []rune) {
	clean := make([]rune, 0, len(r))
	for _, c := range r {
		if unicode.IsPrint(c) {
			clean = append(clean, c)
		}
	}
	v := make([]rune, 0, len(in.value)+len(clean))
	v = append(v, in.value[:in.pos]...)
	v = append(v, clean...)
	v = append(v, in.value[in.pos:]...)
	in.value = v
	in.pos += len(clean)
}

// View renders the prompt and the line, scrolled so the cursor shows,
// within width cells. The cursor is drawn as a reversed cell when focused.
func (in *lineInput) View(st Styles, width int) string {
	p := st.Prompt.Render(in.prompt)
	avail := width - ansi.StringWidth(in.prompt)
	if avail <= 1 {
		return padRight(p, width)
	}
	if len(in.value) == 0 && !in.focused {
		return padRight(p+st.Dim.Render(in.placeholder), width)
	}
	start := 0
	if in.pos >= avail {
		start = in.pos - avail + 1
	}
	vis := in.value[start:]
	if len(vis) > avail {
		vis = vis[:avail]
	}
	c := in.pos - start
	var b strings.Builder
	b.WriteString(string(vis[:min(c, len(vis))]))
	if in.focused {
		cur := " "
		if c < len(vis) {
			cur = string(vis[c])
		}
		b.WriteString(ansi.SGR(ansi.AttrReverse) + cur + ansi.SGR(ansi.AttrNoReverse))
		if c+1 < len(vis) {
			b.WriteString(string(vis[c+1:]))
		}
	} else if c < len(vis) {
		b.WriteString(string(vis[c:]))
	}
	if len(in.value) == 0 && in.focused && in.placeholder != "" {
		b.WriteString(st.Dim.Render(ansi.Truncate(in.placeholder, max(0, avail-1), "…")))
	}
	return padRight(p+b.String(), width)
}

// pastedLine is the line a paste inserts: its first line, joined with the
// indented lines that follow it, as the steps pane wraps a long command
// (wrapCode), so a command copied from there pastes whole.
func pastedLine(s string) string {
	// Terminals paste line ends as CR, LF or both.
	lines := strings.Split(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n"), "\n")
	out := strings.TrimRight(lines[0], " \t\r")
	for _, l := range lines[1:] {
		if l == "" || (l[0] != ' ' && l[0] != '\t') {
			break
		}
		out += " " + strings.TrimSpace(l)
	}
	return out
}
