package main

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/seclab-dev/seclab/lab/check"
	"github.com/seclab-dev/seclab/lab/console"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
	"github.com/seclab-dev/seclab/lab/session"
	"github.com/seclab-dev/seclab/lessons"
	"github.com/seclab-dev/seclab/ui"
)

// This file hands the lab runtime to the terminal UI: a lab session on
// the lesson's target, seen through the UI's Lab interface.

func init() {
	labHook = func(g *globals) (ui.OpenLab, error) {
		if _, err := targetKind(g.Target); err != nil {
			return nil, err
		}
		dir, err := g.stateDir()
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context, l *lessons.Lesson) (ui.Lab, error) {
			prog, err := g.progress()
			if err != nil {
				return nil, err
			}
			env, err := openLabWith(ctx, g, l, dir, prog, skipProgress)
			if err != nil {
				return nil, err
			}
			return newUILab(env), nil
		}, nil
	}
}

// uiLab adapts a lab session to ui.Lab.
type uiLab struct {
	env     *labEnv
	s       *session.Session
	changes chan struct{}
	cancel  func()
	done    chan struct{}

	mu    sync.Mutex
	trail []ui.TrailEvent
	seq   int64
}

// maxUITrail bounds the events kept for the trail pane.
const maxUITrail = 5000

func newUILab(env *labEnv) *uiLab {
	lab := &uiLab{env: env, s: env.session, changes: make(chan struct{}, 1), done: make(chan struct{})}
	if env.sb == nil {
		close(lab.done)
		lab.cancel = func() {}
		return lab
	}
	events, cancel := env.sb.Subscribe()
	lab.cancel = cancel
	go func() {
		defer close(lab.done)
		for e := range events {
			lab.add(e)
		}
	}()
	return lab
}

func (l *uiLab) add(e svc.Event) {
	l.mu.Lock()
	l.seq++
	l.trail = append(l.trail, uiTrailEvent(l.seq, e))
	if len(l.trail) > maxUITrail {
		l.trail = append([]ui.TrailEvent(nil), l.trail[len(l.trail)-maxUITrail/2:]...)
	}
	l.mu.Unlock()
	// Only state changes signal: the UI re-runs the checks on a signal,
	// and the checks' own calls (marked, and reads or a Decrypt that
	// changes nothing anyway) must not set off another round.
	if e.Source != check.SourceCheck && !e.ReadOnly && !check.IsReadOnlyAction(e.Action) {
		select {
		case l.changes <- struct{}{}:
		default:
		}
	}
}

func uiTrailEvent(seq int64, e svc.Event) ui.TrailEvent {
	te := ui.TrailEvent{Seq: seq, Time: e.Time, Principal: e.PrincipalName, Action: e.Action, Via: e.Via, Source: e.Source}
	if len(e.Resources) > 0 {
		te.Resource = e.Resources[0]
	}
	switch {
	case strings.HasSuffix(e.Decision, "Denied"):
		te.Decision = "DENY"
	case e.ErrorCode != "":
		te.Decision = "ERROR"
	default:
		te.Decision = "ALLOW"
	}
	switch {
	case len(e.Statements) > 0 && e.Layer != "":
		te.Reason = fmt.Sprintf("%s policy %s", e.Layer, strings.Join(e.Statements, ", "))
	case e.Decision == "ImplicitlyDenied":
		te.Reason = "no policy allows it"
	case e.ErrorCode != "":
		te.Reason = e.ErrorCode
	}
	te.Explain = func() string {
		if x := e.ExplanationJSON(); len(x) > 0 {
			return explanationText(x)
		}
		return ""
	}
	return te
}

// Identity is "persona@account (target)".
func (l *uiLab) Identity() string {
	return fmt.Sprintf("%s@%s (%s)", l.s.Console().Persona(), l.s.Vars()["account"], l.s.Target().Kind)
}

// Prepare runs step i's setup.
func (l *uiLab) Prepare(ctx context.Context, step int) error { return l.s.StartStep(ctx, step) }

// Exec runs a console line.
func (l *uiLab) Exec(ctx context.Context, line string) ui.ConsoleResult {
	out, err := l.s.Exec(ctx, line)
	return ui.ConsoleResult{Output: out, Err: err, Identity: l.Identity()}
}

// Check runs step i's checks.
func (l *uiLab) Check(ctx context.Context, step int) ui.CheckReport {
	res := l.s.CheckStepAt(ctx, step)
	rep := ui.CheckReport{Step: step, At: res.At}
	if res.Err != "" {
		rep.Results = append(rep.Results, ui.CheckResult{Name: "step setup", Status: ui.CheckError, Message: res.Err})
	}
	for _, c := range res.Checks {
		r := ui.CheckResult{Name: c.Name, Message: c.Message}
		switch c.Outcome {
		case check.Pass:
			r.Status = ui.CheckPass
		case check.Fail:
			r.Status = ui.CheckFail
		default:
			r.Status = ui.CheckError
		}
		rep.Results = append(rep.Results, r)
	}
	return rep
}

// Trail returns the events after seq.
func (l *uiLab) Trail(after int64) []ui.TrailEvent {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []ui.TrailEvent
	for _, e := range l.trail {
		if e.Seq > after {
			out = append(out, e)
		}
	}
	return out
}

// Changes is signalled after calls that may change state, from anywhere.
func (l *uiLab) Changes() <-chan struct{} { return l.changes }

// Close closes the lab.
func (l *uiLab) Close() error {
	l.cancel()
	<-l.done
	return l.env.Close()
}

var _ ui.Lab = (*uiLab)(nil)
var _ = console.Learner
