package ui

import (
	"context"
	"time"

	"github.com/seclab-dev/seclab/lessons"
)

// Lab is the lab runtime as the lesson screen sees it: it runs console
// lines and checks, and reports the sandbox trail. The screen works without
// one (OpenLab nil): it then shows the lesson and its steps and says where
// console output and trail events would appear.
//
// Methods are called from tea.Cmd goroutines, never from Update or View,
// so they may block; they must be safe for concurrent use.
type Lab interface {
	// Identity names who console commands run as, e.g.
	// "learner@111122223333 (sandbox)"; shown in the console's title.
	Identity() string
	// Prepare runs the setup of step index i (0-based) before it is shown.
	Prepare(ctx context.Context, step int) error
	// Exec runs one console line ("aws kms list-keys", "as bob", …).
	Exec(ctx context.Context, line string) ConsoleResult
	// Check runs the checks of step index i.
	Check(ctx context.Context, step int) CheckReport
	// Trail returns trail events with a sequence number greater than after.
	Trail(after int64) []TrailEvent
	// Changes is signalled after every change of lab state (a sandbox
	// write, a new trail event), for watch mode. It may return nil.
	Changes() <-chan struct{}
	// Close releases the lab.
	Close() error
}

// Completer is implemented by labs whose console completes the word under
// the cursor (builtins, services, operations, flags, personas, files).
// The console pane then completes on tab.
type Completer interface {
	// Complete returns the words that can replace the word ending at byte
	// offset cursor of line, sorted; none when nothing fits.
	Complete(line string, cursor int) []string
}

// FileEditor is implemented by labs with a workspace. The console's
// `edit FILE` then opens the file in $VISUAL or $EDITOR (vi by default),
// suspending the TUI while the editor runs.
type FileEditor interface {
	// WorkspaceFile returns the absolute path of a workspace file (which
	// need not exist yet), or an error for a name outside the workspace.
	WorkspaceFile(name string) (string, error)
}

// StepRestarter is implemented by labs that can start a step over: its
// trail checks forget earlier calls and its setup runs again. The `r` key
// uses it after the learner confirms.
type StepRestarter interface {
	RestartStep(ctx context.Context, step int) error
}

// OpenLab starts the lab for a lesson. It runs in a tea.Cmd.
type OpenLab func(ctx context.Context, l *lessons.Lesson) (Lab, error)

// ConsoleResult is the outcome of one console line.
type ConsoleResult struct {
	// Output is what the command printed (JSON, text or a table).
	Output string
	// Err is the error the learner sees (an AWS error code and message),
	// or nil.
	Err error
	// Identity is the identity after the line ran ("as bob" changes it).
	Identity string
}

// CheckStatus is the result of one check.
type CheckStatus int

// Check results (docs/lesson-format.md, "Checks").
const (
	CheckPass  CheckStatus = iota // the condition holds
	CheckFail                     // the learner has something to do
	CheckError                    // the checker could not decide
)

// CheckResult is one named condition of a step, as checked.
type CheckResult struct {
	Name   string
	Status CheckStatus
	// Message is the check's fail text (CheckFail) or what went wrong
	// (CheckError).
	Message string
}

// CheckReport is the result of checking one step.
type CheckReport struct {
	Step    int
	Results []CheckResult
	At      time.Time
}

// Status sums a report up: error if any check errored, else fail if any
// failed, else pass. An empty report is an error.
func (r CheckReport) Status() CheckStatus {
	if len(r.Results) == 0 {
		return CheckError
	}
	st := CheckPass
	for _, c := range r.Results {
		if c.Status == CheckError {
			return CheckError
		}
		if c.Status == CheckFail {
			st = CheckFail
		}
	}
	return st
}

// TrailEvent is one sandbox API call.
type TrailEvent struct {
	Seq       int64
	Time      time.Time
	Principal string // e.g. "alice"
	Action    string // e.g. "kms:Decrypt"
	Via       string // calling service for forward-access calls, or ""
	Resource  string
	Decision  string // ALLOW, DENY, ERROR
	// Reason is one line on what decided it, e.g. `key policy "Alice uses"`.
	Reason string
	// Explanation is the full evaluation path, shown on enter.
	Explanation string
	// Explain, when set and Explanation is empty, builds the explanation
	// on demand: most calls are never explained, so the lab need not pay
	// for it on every call.
	Explain func() string
	// Source is "check" for a step check's own call (shown dimmed and
	// marked, as it is not the learner's), else "".
	Source string
}

// ExplanationText returns the event's explanation, building it if needed
// ("" when there is none).
func (e TrailEvent) ExplanationText() string {
	if e.Explanation == "" && e.Explain != nil {
		return e.Explain()
	}
	return e.Explanation
}
