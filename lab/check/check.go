// Package check decides whether a lesson step is done: it runs the step's
// checks — read-only console commands with expectations, trail queries and
// workspace policy files — concurrently, each with a time limit, and
// reports PASS, FAIL (the learner's to fix, with the author's message) or
// ERROR (the checker could not decide: a timeout, throttling, a refused
// connection, a broken check; never blamed on the learner).
//
// The package reaches AWS only through an Env (the lab session), so it
// runs unchanged against the sandbox, an endpoint or a real account.
package check

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/seclab-dev/seclab/lab/console"
	"github.com/seclab-dev/seclab/lab/target"
	"github.com/seclab-dev/seclab/lessons"
)

// Outcome is a check's verdict.
type Outcome string

// Outcomes.
const (
	Pass  Outcome = "PASS"
	Fail  Outcome = "FAIL"
	Error Outcome = "ERROR"
)

// DefaultTimeout is how long one check may take.
const DefaultTimeout = 10 * time.Second

// Result is one check's verdict.
type Result struct {
	// Name is the check's name as the author wrote it.
	Name    string  `json:"name"`
	Outcome Outcome `json:"outcome"`
	// Message is the author's fail text (templates expanded) for FAIL, the
	// reason for ERROR, empty for PASS.
	Message string `json:"message,omitempty"`
	// Detail is what the checker observed ("got \"Disabled\"", the CLI's
	// error text, the policy findings).
	Detail  string        `json:"detail,omitempty"`
	Elapsed time.Duration `json:"elapsed_ns"`
}

// Env is what checks need from a lab session.
type Env interface {
	// Run runs an `aws …` command line as persona.
	Run(ctx context.Context, persona, line string) console.Result
	// Expand replaces {{VAR}} templates; an unknown variable is an error.
	Expand(s string) (string, error)
	// ReadFile reads a file of the learner's workspace.
	ReadFile(name string) ([]byte, error)
	// Trail returns the target's trail events since the current step
	// started; ok is false when the target has no trail.
	Trail(ctx context.Context) (events []target.Event, ok bool, err error)
}

// Options tune a run.
type Options struct {
	// Timeout limits each check (DefaultTimeout when zero).
	Timeout time.Duration
}

// Run runs checks concurrently and returns their results in order.
func Run(ctx context.Context, env Env, checks []lessons.Check, opts Options) []Result {
	out := make([]Result, len(checks))
	var wg sync.WaitGroup
	for i := range checks {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			out[i] = oneWithRetry(ctx, env, checks[i], opts)
		}(i)
	}
	wg.Wait()
	return out
}

// One runs a single check. It never panics: a checker fault becomes ERROR.
func One(ctx context.Context, env Env, c lessons.Check, opts Options) (res Result) {
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(WithSource(ctx), timeout)
	defer cancel()
	start := time.Now()
	res = Result{Name: c.Name}
	defer func() {
		if r := recover(); r != nil {
			res = Result{Name: c.Name, Outcome: Error, Message: fmt.Sprintf("the checker failed: %v", r)}
		}
		res.Elapsed = time.Since(start)
		if res.Outcome == Fail {
			msg, err := env.Expand(c.Fail)
			if err != nil {
				msg = c.Fail
			}
			res.Message = msg
		}
		if res.Outcome != Pass && ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			res.Outcome, res.Message = Error, fmt.Sprintf("the check timed out after %s", timeout)
		}
	}()
	switch {
	case c.Run != "":
		res.Outcome, res.Detail = runCheck(ctx, env, c)
	case c.Trail != nil:
		res.Outcome, res.Detail = trailCheck(ctx, env, c.Trail)
	case c.File != "":
		res.Outcome, res.Detail = fileCheck(env, c)
	default:
		res.Outcome, res.Detail = Error, "the check has neither run, trail nor file"
	}
	if res.Outcome == Error {
		res.Message, res.Detail = res.Detail, ""
	}
	return res
}

// Summary folds results into one outcome: ERROR if any check could not be
// decided, else FAIL if any failed, else PASS. No checks is ERROR.
func Summary(results []Result) Outcome {
	if len(results) == 0 {
		return Error
	}
	out := Pass
	for _, r := range results {
		switch r.Outcome {
		case Error:
			return Error
		case Fail:
			out = Fail
		}
	}
	return out
}
