package ui

// Layout thresholds (DESIGN.md §1): side-by-side panes from wideWidth
// columns, stacked below; below minWidth×minHeight only a notice fits.
const (
	wideWidth = 100
	minWidth  = 20
	minHeight = 5
)

// rect is a pane's outer size; zero means hidden.
type rect struct{ w, h int }

// layout is where the lesson screen's panes go.
type layout struct {
	stacked bool
	lesson  rect
	steps   rect
	console rect // in stacked mode the console and trail share this slot
	trail   rect
}

// computeLayout splits a width×height screen (status line excluded by the
// caller) between the panes.
func computeLayout(width, height int) layout {
	if width >= wideWidth {
		bottom := clamp(height/3, 6, 12)
		if height < 16 {
			bottom = 0
		}
		top := height - bottom
		lw := width * 3 / 5
		l := layout{
			lesson: rect{lw, top},
			steps:  rect{width - lw, top},
		}
		if bottom > 0 {
			l.console = rect{lw, bottom}
			l.trail = rect{width - lw, bottom}
		}
		return l
	}
	l := layout{stacked: true}
	switch {
	case height < 9:
		l.lesson = rect{width, height}
	case height < 14:
		l.steps = rect{width, height * 2 / 5}
		l.lesson = rect{width, height - l.steps.h}
	default:
		l.steps = rect{width, height * 3 / 10}
		l.console = rect{width, max(5, height/4)}
		l.lesson = rect{width, height - l.steps.h - l.console.h}
	}
	return l
}

func clamp(v, lo, hi int) int { return max(lo, min(v, hi)) }

// inner returns the content size of a pane of size r.
func inner(r rect, plain bool) (int, int) {
	if plain {
		return max(0, r.w), max(0, r.h-1)
	}
	return max(0, r.w-4), max(0, r.h-2)
}
