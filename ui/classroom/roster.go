// Package classroom is the instructor's live view of a class: a roster
// grid of students × lessons with hints used, time on the current step and
// last activity, sortable and filterable, with a drill-down into one
// student's last check results and recent trail.
//
// It reads the class only through the loader functions it is given, so it
// never touches a student's sandbox.
package classroom

import (
	"sort"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/seclab-dev/seclab/lab/classroom"
	"github.com/seclab-dev/seclab/ui"
)

// Source is where the roster gets its data.
type Source struct {
	// Rows returns the class's current status.
	Rows func() ([]classroom.Row, error)
	// Detail returns one student's last check and recent trail.
	Detail func(st *classroom.Student) (*classroom.CheckRecord, []classroom.TrailLine, error)
	// Online reports whether a student has a session open (may be nil).
	Online func(id string) bool
	// Refresh is how often the roster reloads; zero means every 2 s.
	Refresh time.Duration
	// Now returns the current time; tests replace it.
	Now func() time.Time
}

// Keys are the roster's key bindings.
type Keys struct {
	Up, Down, Open, Back, Sort, Filter, Quit, Help key.Binding
}

// DefaultKeys returns the roster's bindings.
func DefaultKeys() Keys {
	return Keys{
		Up:     key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:   key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Open:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "student detail")),
		Back:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Sort:   key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort")),
		Filter: key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Quit:   key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Help:   key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
	}
}

// ShortHelp implements help.KeyMap.
func (k Keys) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.Open, k.Sort, k.Filter, k.Help, k.Quit}
}

// FullHelp implements help.KeyMap.
func (k Keys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.Open, k.Back}, {k.Sort, k.Filter, k.Help, k.Quit}}
}

// sortOrders are the roster's orders, cycled by the sort key.
var sortOrders = []string{"name", "progress", "hints", "time on step", "last activity"}

// Model is the roster screen.
type Model struct {
	src      Source
	keys     Keys
	styles   ui.Styles
	help     help.Model
	rows     []classroom.Row
	err      error
	cursor   int
	order    int
	filter   string
	typing   bool
	showHelp bool
	detail   *detail
	w, h     int
}

type detail struct {
	row   classroom.Row
	check *classroom.CheckRecord
	trail []classroom.TrailLine
	err   error
}

type rowsMsg struct {
	rows []classroom.Row
	err  error
}

type detailMsg detail

type tickMsg struct{}

// New returns the roster for src.
func New(src Source) Model {
	if src.Now == nil {
		src.Now = time.Now
	}
	if src.Refresh == 0 {
		src.Refresh = 2 * time.Second
	}
	m := Model{src: src, keys: DefaultKeys(), styles: ui.NewStyles(true), help: help.New(), w: 80, h: 24}
	m.help.Styles = m.styles.Help
	return m
}

// Init loads the roster and asks for the background colour.
func (m Model) Init() tea.Cmd { return tea.Batch(m.load(), tea.RequestBackgroundColor) }

func (m Model) load() tea.Cmd {
	return func() tea.Msg {
		rows, err := m.src.Rows()
		return rowsMsg{rows, err}
	}
}

func (m Model) tick() tea.Cmd {
	return tea.Tick(m.src.Refresh, func(time.Time) tea.Msg { return tickMsg{} })
}

// Update handles keys, resizes and reloads.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.BackgroundColorMsg:
		m.styles = ui.NewStyles(msg.IsDark())
		m.help.Styles = m.styles.Help
	case tea.WindowSizeMsg:
		m.w, m.h = max(msg.Width, 1), max(msg.Height, 1)
	case rowsMsg:
		m.rows, m.err = msg.rows, msg.err
		m.cursor = min(m.cursor, max(len(m.visible())-1, 0))
		return m, m.tick()
	case tickMsg:
		return m, m.load()
	case detailMsg:
		d := detail(msg)
		m.detail = &d
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	return m, nil
}

func (m Model) key(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if m.typing {
		switch msg.String() {
		case "enter", "esc":
			m.typing = false
		case "backspace":
			if r := []rune(m.filter); len(r) > 0 {
				m.filter = string(r[:len(r)-1])
			}
		default:
			if msg.Text != "" {
				m.filter += msg.Text
			}
		}
		m.cursor = 0
		return m, nil
	}
	switch {
	case key.Matches(msg, m.keys.Quit):
		return m, tea.Quit
	case key.Matches(msg, m.keys.Help):
		m.showHelp = !m.showHelp
	case key.Matches(msg, m.keys.Back):
		m.detail, m.showHelp = nil, false
	case m.detail != nil:
	case key.Matches(msg, m.keys.Up):
		m.cursor = max(m.cursor-1, 0)
	case key.Matches(msg, m.keys.Down):
		m.cursor = min(m.cursor+1, max(len(m.visible())-1, 0))
	case key.Matches(msg, m.keys.Sort):
		m.order = (m.order + 1) % len(sortOrders)
	case key.Matches(msg, m.keys.Filter):
		m.typing, m.filter = true, ""
	case key.Matches(msg, m.keys.Open):
		if rows := m.visible(); m.cursor < len(rows) && m.src.Detail != nil {
			row := rows[m.cursor]
			return m, func() tea.Msg {
				c, t, err := m.src.Detail(row.Student)
				return detailMsg{row: row, check: c, trail: t, err: err}
			}
		}
	}
	return m, nil
}

// visible returns the rows that pass the filter, in the current order.
func (m Model) visible() []classroom.Row {
	var out []classroom.Row
	f := strings.ToLower(m.filter)
	for _, r := range m.rows {
		if f == "" || strings.Contains(strings.ToLower(r.Student.Name), f) || strings.Contains(strings.ToLower(r.Current), f) {
			out = append(out, r)
		}
	}
	now := m.src.Now()
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		switch sortOrders[m.order] {
		case "progress":
			return a.Passed > b.Passed
		case "hints":
			return a.Hints > b.Hints
		case "time on step":
			return onStep(a, now) > onStep(b, now)
		case "last activity":
			return a.LastActivity.After(b.LastActivity)
		}
		return a.Student.Name < b.Student.Name
	})
	return out
}

func onStep(r classroom.Row, now time.Time) time.Duration {
	if r.Current == "" || r.OnStepSince.IsZero() {
		return 0
	}
	return now.Sub(r.OnStepSince)
}

// View renders the roster, the help or a student's detail.
func (m Model) View() tea.View {
	var body string
	switch {
	case m.showHelp:
		body = m.styles.Title.Render("Keys") + "\n\n" + m.help.FullHelpView(m.keys.FullHelp())
	case m.detail != nil:
		body = m.detailView()
	default:
		body = m.rosterView()
	}
	footer := m.styles.Status.Render(m.help.ShortHelpView(m.keys.ShortHelp()))
	v := tea.NewView(fit(body, m.w, m.h-1) + "\n" + fit(footer, m.w, 1))
	v.AltScreen = true
	v.WindowTitle = "seclab classroom"
	return v
}
