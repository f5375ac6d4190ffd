package ui

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/seclab-dev/seclab/lab/progress"
	"github.com/seclab-dev/seclab/lessons"
)

// testPack is the lessons package's test pack, so that edits to the
// built-in course never change these tests.
func testPack(t testing.TB) *lessons.Pack {
	t.Helper()
	p, err := lessons.LoadDir("../lessons/testdata/good")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func memProgress(t testing.TB) *progress.Progress {
	t.Helper()
	p, err := progress.Load("")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// start builds the root model and runs its Init commands, as the
// program does before the first message.
func start(t testing.TB, opts Options) tea.Model {
	t.Helper()
	m := New(opts)
	return runCmds(t, m, m.Init(), 0)
}

// drive feeds msgs to m one by one and runs the commands they return
// (synchronously, like the program would), feeding their messages back.
func drive(t testing.TB, m tea.Model, msgs ...tea.Msg) tea.Model {
	t.Helper()
	for _, msg := range msgs {
		var cmd tea.Cmd
		m, cmd = m.Update(msg)
		m = runCmds(t, m, cmd, 0)
	}
	return m
}

func runCmds(t testing.TB, m tea.Model, cmd tea.Cmd, depth int) tea.Model {
	t.Helper()
	if cmd == nil || depth > 20 {
		return m
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(2 * time.Second):
		return m // a command that waits for an event that never comes (watch mode)
	}
	switch msg := msg.(type) {
	case nil:
		return m
	case tea.BatchMsg:
		for _, c := range msg {
			m = runCmds(t, m, c, depth+1)
		}
		return m
	}
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)) {
		for i := range v.Len() { // tea.Sequence
			m = runCmds(t, m, v.Index(i).Interface().(tea.Cmd), depth+1)
		}
		return m
	}
	if reflect.TypeOf(msg).PkgPath() == "charm.land/bubbletea/v2" {
		return m // terminal requests (background colour, quit, sequences)
	}
	var next tea.Cmd
	m, next = m.Update(msg)
	return runCmds(t, m, next, depth+1)
}

// screen returns what the terminal would show with no colour support.
func shot(t testing.TB, m tea.Model) string {
	t.Helper()
	var b bytes.Buffer
	w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.NoTTY}
	if _, err := w.WriteString(m.View().Content); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func press(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "ctrl+u":
		return tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

func keys(s ...string) []tea.Msg {
	out := make([]tea.Msg, len(s))
	for i, k := range s {
		out[i] = press(k)
	}
	return out
}

func typed(s string) []tea.Msg {
	var out []tea.Msg
	for _, r := range s {
		out = append(out, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return out
}

func size(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

// fakeLab is a scripted lab: console lines echo, checks return what the
// test sets, and every Exec adds a trail event.
type fakeLab struct {
	mu       sync.Mutex
	execs    []string
	checks   map[int][]CheckResult
	events   []TrailEvent
	closed   bool
	prepErr  error
	restarts []int
}

func (f *fakeLab) Identity() string { return "learner@111122223333 (sandbox)" }

func (f *fakeLab) Prepare(ctx context.Context, step int) error { return f.prepErr }

func (f *fakeLab) Exec(ctx context.Context, line string) ConsoleResult {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.execs = append(f.execs, line)
	f.events = append(f.events, TrailEvent{
		Seq: int64(len(f.events) + 1), Time: time.Date(2026, 12, 4, 12, 1, 7, 0, time.UTC),
		Principal: "learner", Action: "kms:ListKeys", Decision: "ALLOW", Reason: "AdministratorAccess",
		Explanation: "identity policy AdministratorAccess allows kms:*",
	})
	if strings.Contains(line, "fail") {
		return ConsoleResult{Err: errors.New("AccessDeniedException: User: arn:aws:iam::111122223333:user/learner is not authorized")}
	}
	return ConsoleResult{Output: `{"Keys": []}`}
}

func (f *fakeLab) Check(ctx context.Context, step int) CheckReport {
	f.mu.Lock()
	defer f.mu.Unlock()
	return CheckReport{Step: step, Results: f.checks[step], At: time.Date(2026, 12, 4, 12, 2, 0, 0, time.UTC)}
}

func (f *fakeLab) Trail(after int64) []TrailEvent {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []TrailEvent
	for _, e := range f.events {
		if e.Seq > after {
			out = append(out, e)
		}
	}
	return out
}

func (f *fakeLab) Changes() <-chan struct{} { return nil }

func (f *fakeLab) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed = true
	return nil
}

func (f *fakeLab) Expand(s string) string { return strings.ReplaceAll(s, "{{run}}", "seclab") }

type (
	ctxT    = context.Context
	lessonT = *lessons.Lesson
)

// Complete completes the first word and kms subcommands.
func (f *fakeLab) Complete(line string, cursor int) []string {
	switch line[:cursor] {
	case "aws km":
		return []string{"kms"}
	case "aws kms list-":
		return []string{"list-aliases", "list-grants", "list-keys"}
	}
	return nil
}

// WorkspaceFile refuses names outside the workspace.
func (f *fakeLab) WorkspaceFile(name string) (string, error) {
	if strings.Contains(name, "..") {
		return "", errors.New("not in the workspace")
	}
	return "/tmp/workspace/" + name, nil
}

// RestartStep records the restart.
func (f *fakeLab) RestartStep(ctx context.Context, step int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.restarts = append(f.restarts, step)
	return nil
}
