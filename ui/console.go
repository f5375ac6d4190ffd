package ui

import (
	"context"
	"strings"
	"time"

	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
)

// consolePane is where the learner types AWS CLI commands. Without a lab it
// says what the console will do once connected.
type consolePane struct {
	lab      Lab
	identity string
	input    lineInput
	out      viewport.Model
	log      []string // rendered transcript lines
	history  []string
	histPos  int // len(history) when not browsing
	draft    string
	running  bool
	width    int
	height   int
	styles   Styles
	plain    bool
}

// consoleDoneMsg carries a finished console line.
type consoleDoneMsg struct {
	line   string
	result ConsoleResult
}

// consoleTimeout bounds one console command.
const consoleTimeout = 60 * time.Second

func newConsole(st Styles, plain bool) consolePane {
	c := consolePane{input: lineInput{prompt: "> ", placeholder: "aws sts get-caller-identity"}, out: viewport.New(), styles: st, plain: plain}
	return c
}

// SetLab connects the console to a lab.
func (c *consolePane) SetLab(lab Lab) {
	c.lab = lab
	if lab != nil {
		c.identity = lab.Identity()
	}
	c.refresh()
}

// SetSize sets the inner size.
func (c *consolePane) SetSize(w, h int) {
	c.width, c.height = w, h
	c.out.SetWidth(max(0, w))
	c.out.SetHeight(max(0, h-1))
	c.refresh()
}

// Title is the pane's title.
func (c *consolePane) Title() string {
	if c.lab == nil {
		return "Console · not connected"
	}
	return "Console · you are: " + c.identity
}

func (c *consolePane) refresh() {
	if c.lab == nil {
		c.out.SetContent(wrap(c.styles.Dim.Render(
			"AWS CLI commands you type here (aws kms list-keys, as bob, …) run against the lab, "+
				"and their output appears here. This session has no lab connected, so the console is "+
				"read-only: follow the lesson and the steps."), max(1, c.width)))
		return
	}
	c.out.SetContent(strings.Join(c.log, "\n"))
	c.out.GotoBottom()
}

// Update handles keys while the console has focus. It returns whether the
// key was used.
func (c consolePane) Update(msg tea.Msg) (consolePane, tea.Cmd, bool) {
	switch msg := msg.(type) {
	case consoleDoneMsg:
		c.running = false
		if msg.result.Identity != "" {
			c.identity = msg.result.Identity
		}
		out := strings.TrimRight(msg.result.Output, "\n")
		if out != "" {
			c.log = append(c.log, strings.Split(wrap(out, max(1, c.width)), "\n")...)
		}
		if msg.result.Err != nil {
			c.log = append(c.log, strings.Split(wrap(c.styles.Failed.Render(msg.result.Err.Error()), max(1, c.width)), "\n")...)
		}
		c.trimLog()
		c.refresh()
		return c, nil, true
	case tea.MouseWheelMsg:
		var cmd tea.Cmd
		c.out, cmd = c.out.Update(msg)
		return c, cmd, true
	}
	if c.lab == nil {
		return c, nil, false
	}
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		if c.input.Update(msg) {
			return c, nil, true
		}
		return c, nil, false
	}
	switch km.String() {
	case "enter":
		line := strings.TrimSpace(c.input.Value())
		if line == "" || c.running {
			return c, nil, true
		}
		if len(c.history) == 0 || c.history[len(c.history)-1] != line {
			c.history = append(c.history, line)
		}
		c.histPos = len(c.history)
		c.input.SetValue("")
		c.log = append(c.log, c.styles.Prompt.Render("> ")+line)
		c.running = true
		c.refresh()
		lab := c.lab
		return c, func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), consoleTimeout)
			defer cancel()
			return consoleDoneMsg{line: line, result: lab.Exec(ctx, line)}
		}, true
	case "up":
		if c.histPos > 0 {
			if c.histPos == len(c.history) {
				c.draft = c.input.Value()
			}
			c.histPos--
			c.input.SetValue(c.history[c.histPos])
		}
		return c, nil, true
	case "down":
		if c.histPos < len(c.history) {
			c.histPos++
			if c.histPos == len(c.history) {
				c.input.SetValue(c.draft)
			} else {
				c.input.SetValue(c.history[c.histPos])
			}
		}
		return c, nil, true
	case "pgup":
		c.out.PageUp()
		return c, nil, true
	case "pgdown":
		c.out.PageDown()
		return c, nil, true
	}
	return c, nil, c.input.Update(msg)
}

// trimLog keeps the transcript bounded.
func (c *consolePane) trimLog() {
	const maxLines = 2000
	if len(c.log) > maxLines {
		c.log = append([]string(nil), c.log[len(c.log)-maxLines:]...)
	}
}

// View renders the transcript and the prompt.
func (c consolePane) View(focused bool) string {
	if c.lab == nil {
		return c.out.View()
	}
	c.input.focused = focused && !c.running
	prompt := c.input.View(c.styles, c.width)
	if c.running {
		prompt = padRight(c.styles.Dim.Render("running…"), c.width)
	}
	if c.height <= 1 {
		return prompt
	}
	return c.out.View() + "\n" + prompt
}
