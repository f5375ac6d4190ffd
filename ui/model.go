// Package ui is seclab's terminal interface: one Bubble Tea root model with
// a home screen (the lesson list) and a lesson screen (lesson, steps,
// console and trail panes). It talks to the lab runtime only through the
// small Lab interface and works without one.
//
// Nothing here blocks the update loop: glamour rendering, lab calls and
// progress writes run in tea.Cmds that report back with messages.
package ui

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/seclab-dev/seclab/lab/progress"
	"github.com/seclab-dev/seclab/lessons"
)

// Options configure the TUI.
type Options struct {
	Pack *lessons.Pack
	// Progress is read and updated; it is saved after every change.
	Progress *progress.Progress
	// Open, when set, opens this lesson instead of the home screen.
	Open *lessons.Lesson
	// OpenLab starts the lab for a lesson; nil runs without a lab.
	OpenLab OpenLab
	// Accessible selects plain linear output: no boxes, words for icons.
	Accessible bool
}

type screen int

const (
	screenHome screen = iota
	screenLesson
)

type focus int

const (
	focusLesson focus = iota
	focusSteps
	focusConsole
	focusTrail
	focusCount
)

// Model is the root model.
type Model struct {
	opts     Options
	styles   Styles
	hkeys    HomeKeys
	keys     LessonKeys
	help     help.Model
	screen   screen
	width    int
	height   int
	showHelp bool
	status   string
	cache    *renderCache
	home     homePane
	lesson   *lessonState
	quitting bool
}

// lessonState is the open lesson's screen.
type lessonState struct {
	l       *lessons.Lesson
	vp      viewport.Model
	want    renderKey // the rendering the pane needs
	have    renderKey // the rendering the pane shows
	steps   stepsPane
	console consolePane
	trail   trailPane
	focus   focus
	lab     Lab
	labErr  error
	// pendingCheck asks for another check when the running one ends.
	pendingCheck bool
	checking     bool
}

// New returns the root model.
func New(opts Options) Model {
	if opts.Progress == nil {
		opts.Progress, _ = progress.Load("") // never saved: Save is skipped without a folder
	}
	if opts.Pack == nil {
		opts.Pack = &lessons.Pack{}
	}
	m := Model{
		opts:  opts,
		hkeys: DefaultHomeKeys(),
		keys:  DefaultLessonKeys(),
		help:  help.New(),
		cache: newRenderCache(),
	}
	m.setStyles(true)
	m.home = newHome(opts.Pack, opts.Progress, m.styles, opts.Accessible)
	if opts.Open != nil {
		m.openLesson(opts.Open)
	}
	return m
}

func (m *Model) setStyles(dark bool) {
	m.styles = NewStyles(dark)
	if m.opts.Accessible {
		m.styles.Glamour = "notty"
	}
	m.help.Styles = m.styles.Help
	m.home.styles = m.styles
	if ls := m.lesson; ls != nil {
		ls.steps.styles, ls.console.styles, ls.trail.styles = m.styles, m.styles, m.styles
		ls.steps.refresh()
		ls.console.refresh()
		ls.trail.refresh()
	}
}

// WithStatus returns the model with a message in its status line, e.g. a
// warning from loading progress.
func (m Model) WithStatus(msg string) Model {
	m.status = msg
	return m
}

// Init asks the terminal for its background colour.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor}
	if m.lesson != nil {
		cmds = append(cmds, m.startLab())
	}
	return tea.Batch(cmds...)
}

// Update routes a message: global keys, then size and colour broadcasts,
// then the active screen.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.resize()
		return m, m.renderIfNeeded()
	case tea.BackgroundColorMsg:
		if !m.opts.Accessible {
			m.setStyles(msg.IsDark())
			m.resize()
		}
		return m, m.renderIfNeeded()
	case renderedMsg:
		m.applyRendered(msg)
		return m, nil
	case openLessonMsg:
		m.openLesson(msg.lesson)
		m.resize()
		return m, tea.Batch(m.renderIfNeeded(), m.startLab())
	case savedMsg:
		if msg.err != nil {
			m.status = "could not save progress: " + msg.err.Error()
		}
		return m, nil
	case tea.KeyPressMsg:
		if msg.String() == "ctrl+c" {
			return m.quit()
		}
	}
	if m.screen == screenLesson && m.lesson != nil {
		return m.updateLesson(msg)
	}
	return m.updateHome(msg)
}

func (m Model) quit() (tea.Model, tea.Cmd) {
	m.quitting = true
	if m.lesson != nil && m.lesson.lab != nil {
		lab := m.lesson.lab
		return m, tea.Sequence(func() tea.Msg { _ = lab.Close(); return nil }, tea.Quit)
	}
	return m, tea.Quit
}

func (m Model) updateHome(msg tea.Msg) (tea.Model, tea.Cmd) {
	if km, ok := msg.(tea.KeyPressMsg); ok && !m.home.editing {
		switch {
		case key.Matches(km, m.hkeys.Quit):
			return m.quit()
		case key.Matches(km, m.hkeys.Help):
			m.showHelp = !m.showHelp
			return m, nil
		case m.showHelp && km.String() == "esc":
			m.showHelp = false
			return m, nil
		}
	}
	var cmd tea.Cmd
	m.home, cmd = m.home.Update(msg)
	return m, cmd
}

// openLesson switches to the lesson screen for l.
func (m *Model) openLesson(l *lessons.Lesson) {
	plain := m.opts.Accessible
	ls := &lessonState{
		l:       l,
		vp:      viewport.New(),
		steps:   newSteps(l, m.opts.Progress, m.styles, plain),
		console: newConsole(m.styles, plain),
		trail:   newTrail(m.styles, plain),
	}
	if m.opts.OpenLab != nil {
		// Learners come to type commands: the console has focus, and
		// takes typing while the lab starts.
		ls.console.waiting = true
		ls.console.refresh()
		ls.focus = focusConsole
	}
	m.lesson = ls
	m.screen = screenLesson
	m.showHelp = false
	m.status = ""
}

// startLab opens the lab for the current lesson in a command.
func (m Model) startLab() tea.Cmd {
	if m.opts.OpenLab == nil || m.lesson == nil {
		return nil
	}
	open, l := m.opts.OpenLab, m.lesson.l
	return func() tea.Msg {
		lab, err := open(context.Background(), l)
		return labOpenedMsg{lesson: l, lab: lab, err: err}
	}
}

// resize lays the panes out for the current size.
func (m *Model) resize() {
	m.help.SetWidth(m.width)
	m.home.SetSize(m.width, max(0, m.height-1))
	ls := m.lesson
	if ls == nil {
		return
	}
	lay := computeLayout(m.width, max(0, m.height-1))
	plain := m.opts.Accessible
	w, h := inner(lay.lesson, plain)
	ls.vp.SetWidth(w)
	ls.vp.SetHeight(h)
	ls.want = renderKey{lesson: ls.l.Dir + "/" + ls.l.ID, width: w, style: m.styles.Glamour}
	if ls.have.width == 0 && w > 0 {
		// Until the first rendering arrives, show the Markdown as plain text.
		ls.vp.SetContent(wrap(ls.l.Body, w))
	}
	if lay.console.h == 0 && (ls.focus == focusConsole || ls.focus == focusTrail) {
		ls.focus = focusLesson // too small to show the console
	}
	sw, sh := inner(lay.steps, plain)
	ls.steps.SetSize(sw, sh)
	cw, ch := inner(lay.console, plain)
	ls.console.SetSize(cw, ch)
	tw, th := inner(lay.trail, plain)
	if lay.stacked {
		tw, th = cw, ch
	}
	ls.trail.SetSize(tw, th)
}

// renderIfNeeded starts rendering the open lesson at the pane's width, or
// applies a cached rendering at once.
func (m *Model) renderIfNeeded() tea.Cmd {
	ls := m.lesson
	if ls == nil || ls.want.width <= 0 || ls.want == ls.have {
		return nil
	}
	if s, ok := m.cache.get(ls.want); ok {
		m.applyRendered(renderedMsg{key: ls.want, content: s})
		return nil
	}
	return renderCmd(m.cache, ls.l, ls.want)
}

// applyRendered shows a rendering if it is the one the pane needs, keeping
// the reader's place by scroll fraction.
func (m *Model) applyRendered(msg renderedMsg) {
	ls := m.lesson
	if ls == nil || msg.key != ls.want {
		return
	}
	frac := 0.0
	if total := ls.vp.TotalLineCount(); total > 0 {
		frac = float64(ls.vp.YOffset()) / float64(total)
	}
	first := ls.have.width == 0
	ls.vp.SetContent(msg.content)
	ls.vp.SetYOffset(int(frac * float64(ls.vp.TotalLineCount())))
	ls.have = msg.key
	// A resumed lesson opens at the current step's section, unless the
	// learner has already scrolled.
	if cur := ls.steps.current(); first && frac == 0 && cur > 0 && cur < len(ls.l.Steps) {
		m.scrollToStep(cur)
	}
}

// scrollToStep scrolls the lesson pane to step i's heading, if the
// rendered lesson shows it.
func (m *Model) scrollToStep(i int) {
	ls := m.lesson
	st := ls.l.Steps[i]
	want := fmt.Sprintf("Step %d", st.Number)
	for n, line := range strings.Split(ls.vp.GetContent(), "\n") {
		plain := strings.TrimSpace(ansi.Strip(line))
		plain = strings.TrimLeft(plain, "# ")
		if strings.HasPrefix(plain, want) && strings.Contains(plain, st.Title) {
			ls.vp.SetYOffset(n)
			return
		}
	}
}
