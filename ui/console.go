package ui

import (
	"context"
	"os"
	"os/exec"
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
	// waiting is set while the lab starts: the learner can already type.
	waiting bool
	width   int
	height  int
	styles  Styles
	plain   bool
}

// consoleDoneMsg carries a finished console line.
type consoleDoneMsg struct {
	line   string
	result ConsoleResult
}

// editDoneMsg reports that the editor started by `edit FILE` exited.
type editDoneMsg struct {
	name string
	err  error
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

// live reports whether the console takes typing: a lab is connected or
// starting.
func (c *consolePane) live() bool { return c.lab != nil || c.waiting }

// Title is the pane's title.
func (c *consolePane) Title() string {
	if c.lab == nil && c.waiting {
		return "Console · starting the lab…"
	}
	if c.lab == nil {
		return "Console · not connected"
	}
	return "Console · you are: " + c.identity
}

func (c *consolePane) refresh() {
	if c.lab == nil && !c.waiting {
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
	case editDoneMsg:
		if msg.err != nil {
			c.say(c.styles.Failed.Render("edit " + msg.name + ": " + msg.err.Error()))
		} else {
			c.say(c.styles.Dim.Render("saved " + msg.name))
		}
		c.refresh()
		return c, nil, true
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
	if !c.live() {
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
		if c.lab == nil {
			c.say(c.styles.Dim.Render("The lab is still starting; press enter again in a moment."))
			c.refresh()
			return c, nil, true
		}
		if len(c.history) == 0 || c.history[len(c.history)-1] != line {
			c.history = append(c.history, line)
		}
		c.histPos = len(c.history)
		c.input.SetValue("")
		c.log = append(c.log, c.styles.Prompt.Render("> ")+line)
		if cmd, ok := c.edit(line); ok {
			c.refresh()
			return c, cmd, true
		}
		c.running = true
		c.refresh()
		lab := c.lab
		return c, func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), consoleTimeout)
			defer cancel()
			return consoleDoneMsg{line: line, result: lab.Exec(ctx, line)}
		}, true
	case "tab":
		return c, nil, c.lab != nil && c.complete()
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
	if !c.live() {
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

// say appends a wrapped message to the transcript.
func (c *consolePane) say(msg string) {
	c.log = append(c.log, strings.Split(wrap(msg, max(1, c.width)), "\n")...)
	c.trimLog()
}

// edit handles `edit FILE`: with a lab that has a workspace it returns the
// command that runs the editor; otherwise the line goes to the lab, which
// explains the command.
func (c *consolePane) edit(line string) (tea.Cmd, bool) {
	words := strings.Fields(line)
	fe, ok := c.lab.(FileEditor)
	if !ok || len(words) == 0 || words[0] != "edit" {
		return nil, false
	}
	if len(words) != 2 {
		c.say(c.styles.Failed.Render("usage: edit FILE (a file in the lesson's workspace)"))
		return nil, true
	}
	name := words[1]
	path, err := fe.WorkspaceFile(name)
	if err != nil {
		c.say(c.styles.Failed.Render("edit " + name + ": " + err.Error()))
		return nil, true
	}
	editor := strings.Fields(os.Getenv("VISUAL"))
	if len(editor) == 0 {
		editor = strings.Fields(os.Getenv("EDITOR"))
	}
	if len(editor) == 0 {
		editor = []string{"vi"}
	}
	cmd := exec.Command(editor[0], append(editor[1:], path)...)
	return tea.ExecProcess(cmd, func(err error) tea.Msg { return editDoneMsg{name: name, err: err} }), true
}

// complete completes the word before the cursor through the lab. It
// reports whether tab was used (false: the input is empty, so tab moves
// focus instead).
func (c *consolePane) complete() bool {
	comp, ok := c.lab.(Completer)
	if !ok || len(c.input.value) == 0 {
		return false
	}
	head := string(c.input.value[:c.input.pos])
	cands := comp.Complete(c.input.Value(), len(head))
	if len(cands) == 0 {
		return true
	}
	start := strings.LastIndexAny(head, " \t") + 1
	partial := head[start:]
	repl := cands[0]
	if len(cands) > 1 {
		repl = commonPrefix(cands)
		c.say(c.styles.Dim.Render(strings.Join(cands, "  ")))
		c.refresh()
	} else {
		repl += " "
	}
	if len(repl) < len(partial) {
		return true
	}
	c.input.insert([]rune(repl[len(partial):]))
	return true
}

func commonPrefix(words []string) string {
	p := words[0]
	for _, w := range words[1:] {
		for !strings.HasPrefix(w, p) {
			p = p[:len(p)-1]
		}
	}
	return p
}
