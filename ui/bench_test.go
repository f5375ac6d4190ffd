package ui

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/seclab-dev/seclab/lessons"
)

// largestBuiltin returns the built-in lesson with the most Markdown.
func largestBuiltin(b *testing.B) (*lessons.Pack, *lessons.Lesson) {
	b.Helper()
	p, err := lessons.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	big := p.Lessons[0]
	for _, l := range p.Lessons {
		if len(l.Body) > len(big.Body) {
			big = l
		}
	}
	return p, big
}

// BenchmarkRenderLesson measures glamour rendering of the largest built-in
// lesson at the lesson pane's width in a 100-column terminal (uncached).
func BenchmarkRenderLesson(b *testing.B) {
	_, l := largestBuiltin(b)
	b.ReportAllocs()
	for b.Loop() {
		_ = renderMarkdown(l.Body, 56, "dark")
	}
}

// BenchmarkFirstFrame measures what happens before the lesson screen's
// first complete frame: building the model, laying out 100×30, rendering
// the lesson (no cache) and drawing the view.
func BenchmarkFirstFrame(b *testing.B) {
	pack, l := largestBuiltin(b)
	prog := memProgress(b)
	b.ReportAllocs()
	for b.Loop() {
		m := New(Options{Pack: pack, Progress: prog, Open: l})
		next, cmd := m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
		next, _ = next.Update(cmd())
		if next.(Model).lesson.have.width == 0 {
			b.Fatal("lesson not rendered")
		}
		_ = next.View()
	}
}

// BenchmarkKeypressRedraw measures one scroll keypress and the redraw that
// follows on an open lesson screen.
func BenchmarkKeypressRedraw(b *testing.B) {
	pack, l := largestBuiltin(b)
	var m tea.Model = New(Options{Pack: pack, Progress: memProgress(b), Open: l})
	m, cmd := m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m, _ = m.Update(cmd())
	down := tea.KeyPressMsg{Code: tea.KeyDown}
	up := tea.KeyPressMsg{Code: tea.KeyUp}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		k := down
		if i%40 >= 20 {
			k = up
		}
		i++
		m, _ = m.Update(k)
		_ = m.View()
	}
}
