package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/seclab-dev/seclab/lab/progress"
	"github.com/seclab-dev/seclab/lessons"
)

// homePane is the lesson list: progress per lesson, "/" to filter, enter
// to open.
type homePane struct {
	pack     *lessons.Pack
	prog     *progress.Progress
	keys     HomeKeys
	filter   lineInput
	editing  bool // the filter input has focus
	visible  []*lessons.Lesson
	cursor   int
	offset   int
	width    int
	height   int
	styles   Styles
	plain    bool
	showHelp bool
}

// openLessonMsg asks the root model to open a lesson.
type openLessonMsg struct{ lesson *lessons.Lesson }

func newHome(pack *lessons.Pack, prog *progress.Progress, st Styles, plain bool) homePane {
	in := lineInput{prompt: "/ ", placeholder: "type to filter by number, title or summary"}
	h := homePane{pack: pack, prog: prog, keys: DefaultHomeKeys(), filter: in, styles: st, plain: plain}
	h.applyFilter()
	return h
}

// SetSize sets the pane's size.
func (h *homePane) SetSize(w, ht int) {
	h.width, h.height = w, ht
	h.scroll()
}

func (h *homePane) applyFilter() {
	q := strings.ToLower(strings.TrimSpace(h.filter.Value()))
	h.visible = h.visible[:0]
	for _, l := range h.pack.Lessons {
		hay := strings.ToLower(fmt.Sprintf("%d %s %s %s", l.Number, l.ID, l.Title, l.Summary))
		if q == "" || strings.Contains(hay, q) {
			h.visible = append(h.visible, l)
		}
	}
	h.cursor = min(h.cursor, max(0, len(h.visible)-1))
	h.scroll()
}

// listHeight is the number of rows for lessons.
func (h *homePane) listHeight() int {
	n := h.height - 2 // header + blank line
	if h.editing || h.filter.Value() != "" {
		n--
	}
	return max(1, n)
}

func (h *homePane) scroll() {
	lh := h.listHeight()
	if h.cursor < h.offset {
		h.offset = h.cursor
	}
	if h.cursor >= h.offset+lh {
		h.offset = h.cursor - lh + 1
	}
	h.offset = max(0, min(h.offset, len(h.visible)-1))
}

// Update handles keys for the home screen.
func (h homePane) Update(msg tea.Msg) (homePane, tea.Cmd) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		if h.editing && h.filter.Update(msg) {
			h.applyFilter()
		}
		return h, nil
	}
	if h.editing {
		switch km.String() {
		case "esc":
			h.editing = false
			h.filter.Blur()
			h.filter.SetValue("")
			h.applyFilter()
			return h, nil
		case "enter":
			h.editing = false
			h.filter.Blur()
			h.scroll()
			return h, nil
		case "up", "down":
		default:
			if h.filter.Update(msg) {
				h.applyFilter()
			}
			return h, nil
		}
	}
	switch {
	case key.Matches(km, h.keys.Up):
		if h.cursor > 0 {
			h.cursor--
		}
	case key.Matches(km, h.keys.Down):
		if h.cursor < len(h.visible)-1 {
			h.cursor++
		}
	case key.Matches(km, h.keys.Filter):
		h.editing = true
		h.filter.Focus()
		return h, nil
	case key.Matches(km, h.keys.ClearFilter):
		h.filter.SetValue("")
		h.applyFilter()
	case key.Matches(km, h.keys.Open):
		if h.cursor < len(h.visible) {
			l := h.visible[h.cursor]
			return h, func() tea.Msg { return openLessonMsg{lesson: l} }
		}
	}
	h.scroll()
	return h, nil
}

// View renders the lesson list.
func (h homePane) View() string {
	st := h.styles
	done, total := 0, 0
	for _, l := range h.pack.Lessons {
		done += h.prog.Passed(l)
		total += len(l.Steps)
	}
	head := st.Title.Render("seclab") + st.Dim.Render(fmt.Sprintf(" · %d lessons · %d of %d steps done", len(h.pack.Lessons), done, total))
	lines := []string{head, ""}
	if h.editing || h.filter.Value() != "" {
		lines = append(lines, h.filter.View(st, h.width))
	}
	if len(h.visible) == 0 {
		lines = append(lines, st.Dim.Render("No lesson matches the filter. esc clears it."))
	}
	titleW := 0
	for _, l := range h.visible {
		titleW = max(titleW, len([]rune(l.Title)))
	}
	titleW = min(titleW, max(10, h.width/2))
	end := min(len(h.visible), h.offset+h.listHeight())
	for i := h.offset; i < end; i++ {
		l := h.visible[i]
		passed := h.prog.Passed(l)
		mark := "○"
		switch {
		case passed == len(l.Steps) && passed > 0:
			mark = "✓"
		case passed > 0:
			mark = "●"
		}
		if h.plain {
			mark = map[string]string{"○": "not started", "●": "in progress", "✓": "done"}[mark]
		}
		row := fmt.Sprintf("%2d  %-*s  %d/%d steps  %3d min  %s", l.Number, titleW, truncRunes(l.Title, titleW),
			passed, len(l.Steps), l.Minutes, mark)
		if h.width > len([]rune(row))+10 {
			row += "  " + st.Dim.Render(l.Summary)
		}
		if i == h.cursor {
			cursor := "> "
			lines = append(lines, st.Selected.Render(padRight(cursor+row, max(0, h.width-1))))
		} else {
			lines = append(lines, "  "+row)
		}
	}
	return strings.Join(fit(strings.Join(lines, "\n"), h.width, h.height), "\n")
}

// truncRunes shortens s to n runes, marking the cut with "…".
func truncRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	if n <= 1 {
		return string(r[:max(0, n)])
	}
	return string(r[:n-1]) + "…"
}
