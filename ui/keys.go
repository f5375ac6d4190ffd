package ui

import "charm.land/bubbles/v2/key"

// GlobalKeys work on every screen.
type GlobalKeys struct {
	Quit key.Binding
	Help key.Binding
}

// HomeKeys are the home screen's keys.
type HomeKeys struct {
	GlobalKeys
	Up, Down    key.Binding
	Open        key.Binding
	Filter      key.Binding
	ClearFilter key.Binding
}

// LessonKeys are the lesson screen's keys.
type LessonKeys struct {
	GlobalKeys
	Back             key.Binding
	FocusNext        key.Binding
	FocusPrev        key.Binding
	Up, Down         key.Binding
	PageUp, PageDown key.Binding
	// LessonUp and LessonDown page the lesson pane whatever has focus.
	LessonUp, LessonDown key.Binding
	// OutputUp and OutputDown page the console's output.
	OutputUp, OutputDown key.Binding
	Top, Bottom          key.Binding
	Hint                 key.Binding
	Solution             key.Binding
	Check                key.Binding
	Trail                key.Binding
	Reset                key.Binding
	Console              key.Binding
	Confirm, Cancel      key.Binding
	PrevStep, NextStep   key.Binding
}

// DefaultGlobalKeys returns the global bindings.
func DefaultGlobalKeys() GlobalKeys {
	return GlobalKeys{
		Quit: key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Help: key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
	}
}

// DefaultHomeKeys returns the home screen's bindings.
func DefaultHomeKeys() HomeKeys {
	return HomeKeys{
		GlobalKeys:  DefaultGlobalKeys(),
		Up:          key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:        key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Open:        key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open lesson")),
		Filter:      key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		ClearFilter: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
	}
}

// DefaultLessonKeys returns the lesson screen's bindings.
func DefaultLessonKeys() LessonKeys {
	return LessonKeys{
		GlobalKeys: DefaultGlobalKeys(),
		Back:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "lessons")),
		FocusNext:  key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "focus")),
		FocusPrev:  key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "focus back")),
		Up:         key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:       key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:     key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "page up")),
		PageDown:   key.NewBinding(key.WithKeys("space", "f"), key.WithHelp("space", "page down")),
		LessonUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "lesson up")),
		LessonDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "lesson down")),
		OutputUp:   key.NewBinding(key.WithKeys("shift+pgup", "ctrl+up"), key.WithHelp("shift+pgup", "output up")),
		OutputDown: key.NewBinding(key.WithKeys("shift+pgdown", "ctrl+down"), key.WithHelp("shift+pgdn", "output down")),
		Top:        key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "top")),
		Bottom:     key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "bottom")),
		Hint:       key.NewBinding(key.WithKeys("h"), key.WithHelp("h", "hint")),
		Solution:   key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "solution")),
		Check:      key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "check")),
		Trail:      key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "trail")),
		Reset:      key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reset step")),
		Console:    key.NewBinding(key.WithKeys(">", ":"), key.WithHelp(">", "console")),
		Confirm:    key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes")),
		Cancel:     key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n", "no")),
		PrevStep:   key.NewBinding(key.WithKeys("["), key.WithHelp("[", "previous step")),
		NextStep:   key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "next step")),
	}
}

// ShortHelp implements help.KeyMap.
func (k HomeKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Open, k.Filter, k.Help, k.Quit}
}

// FullHelp implements help.KeyMap.
func (k HomeKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.Open}, {k.Filter, k.ClearFilter}, {k.Help, k.Quit}}
}

// ShortHelp implements help.KeyMap.
func (k LessonKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Help, k.Console, k.Hint, k.Check, k.Trail, k.Solution, k.FocusNext, k.Quit}
}

// FullHelp implements help.KeyMap.
func (k LessonKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.LessonUp, k.LessonDown},
		{k.FocusNext, k.FocusPrev, k.Console, k.Trail, k.Back},
		{k.PrevStep, k.NextStep, k.Hint, k.Solution, k.Check, k.Reset},
		{k.Help, k.Quit},
	}
}

// consoleHelp is the help shown while the console input has focus:
// printable keys, h c s t r q ? among them, type into the command line
// there, so only these keys act on the screen; esc leaves the console
// for the step keys.
type consoleHelp struct{ k LessonKeys }

// ShortHelp implements help.KeyMap.
func (c consoleHelp) ShortHelp() []key.Binding {
	return []key.Binding{
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "run")),
		key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "step keys & help")),
		key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		key.NewBinding(key.WithKeys("pgup", "pgdown"), key.WithHelp("pgup/pgdn", "lesson")),
		key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "history")),
		key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "complete")),
	}
}

// FullHelp implements help.KeyMap.
func (c consoleHelp) FullHelp() [][]key.Binding {
	return [][]key.Binding{c.ShortHelp(), {c.k.LessonUp, c.k.LessonDown, c.k.OutputUp, c.k.OutputDown}}
}
