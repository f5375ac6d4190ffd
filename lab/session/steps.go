package session

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/seclab-dev/seclab/lab/check"
	"github.com/seclab-dev/seclab/lab/progress"
	"github.com/seclab-dev/seclab/lessons"
)

// StepResult is the outcome of checking one step.
type StepResult struct {
	// Step is the index into Lesson().Steps; StepID its ID.
	Step    int            `json:"step"`
	StepID  string         `json:"id"`
	Outcome check.Outcome  `json:"outcome"`
	Checks  []check.Result `json:"checks"`
	// Err is set when the step could not be checked at all (its setup
	// failed): the outcome is then ERROR.
	Err     string        `json:"error,omitempty"`
	At      time.Time     `json:"at"`
	Elapsed time.Duration `json:"elapsed_ns"`
}

// ErrNoStep is returned for a step index out of range.
var ErrNoStep = errors.New("no such step")

// Current is the index of the current step.
func (s *Session) Current() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.current
}

// CurrentStep is the current step, or nil for a lesson without steps.
func (s *Session) CurrentStep() *lessons.Step {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.currentStepLocked()
}

func (s *Session) step(i int) (*lessons.Step, error) {
	if i < 0 || i >= len(s.lesson.Steps) {
		return nil, fmt.Errorf("step %d of lesson %s: %w", i+1, s.lesson.ID, ErrNoStep)
	}
	return &s.lesson.Steps[i], nil
}

// StartStep makes step i current and runs its setup once (a completed
// setup is remembered until the lesson is reset). The step counts as
// started when its setup is done: its trail checks look at calls from
// then on, so the setup's own calls never satisfy them. A failed setup is
// the checker's fault, never the learner's: the step then checks as ERROR.
func (s *Session) StartStep(ctx context.Context, i int) error {
	st, err := s.step(i)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.current = i
	done := s.rt.SetupDone[st.ID]
	s.mu.Unlock()
	if !done && len(st.Setup) > 0 {
		if err := s.runActions(ctx, st, st.Setup); err != nil {
			return fmt.Errorf("set up %w", err)
		}
	}
	var pos int64
	if s.trailLog != nil {
		pos = s.trailLog.position(ctx)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	changed := false
	if !done && len(st.Setup) > 0 {
		s.rt.SetupDone[st.ID], changed = true, true
	}
	if _, ok := s.rt.StepStarted[st.ID]; !ok {
		s.rt.StepStarted[st.ID], changed = time.Now(), true
		if s.trailLog != nil {
			s.marks[st.ID] = pos
		}
	}
	if !changed {
		return nil
	}
	if err := s.saveState(); err != nil {
		return fmt.Errorf("save lesson state: %w", err)
	}
	return nil
}

// RestartStep starts step i over: its setup runs again (setups are
// idempotent) and its trail checks only see calls from now on.
func (s *Session) RestartStep(ctx context.Context, i int) error {
	st, err := s.step(i)
	if err != nil {
		return err
	}
	s.mu.Lock()
	delete(s.rt.StepStarted, st.ID)
	delete(s.rt.SetupDone, st.ID)
	delete(s.marks, st.ID)
	s.mu.Unlock()
	return s.StartStep(ctx, i)
}

// CheckStep runs the current step's checks and records the outcome.
func (s *Session) CheckStep(ctx context.Context) StepResult {
	return s.CheckStepAt(ctx, s.Current())
}

// CheckStepAt runs step i's checks (which must be the current step for
// its trail checks to look at the right time) and records the outcome in
// progress. A step whose setup has not run yet is set up first.
func (s *Session) CheckStepAt(ctx context.Context, i int) StepResult {
	start := time.Now()
	st, err := s.step(i)
	if err != nil {
		return StepResult{Step: i, Outcome: check.Error, Err: err.Error(), At: start}
	}
	res := StepResult{Step: i, StepID: st.ID, At: start}
	if s.Current() != i {
		if err := s.StartStep(ctx, i); err != nil {
			res.Outcome, res.Err = check.Error, err.Error()
			s.record(st, res)
			return res
		}
	} else if err := s.StartStep(ctx, i); err != nil {
		res.Outcome, res.Err = check.Error, err.Error()
		s.record(st, res)
		return res
	}
	res.Checks = check.Run(ctx, s, st.Checks, check.Options{Timeout: s.opts.CheckTimeout})
	res.Outcome = check.Summary(res.Checks)
	res.Elapsed = time.Since(start)
	s.record(st, res)
	return res
}

// record stores a step result in progress and tells subscribers.
func (s *Session) record(st *lessons.Step, res StepResult) {
	status := progress.StatusError
	switch res.Outcome {
	case check.Pass:
		status = progress.StatusPassed
	case check.Fail:
		status = progress.StatusFailed
	}
	if !s.opts.SkipProgress {
		s.progress.MarkStep(s.lesson.ID, st.ID, status)
		if !s.opts.DeferSave {
			_ = s.progress.Save() // progress is best effort; a full disk must not break a check
		}
	}
	s.updates.publish(Update{Kind: UpdateChecked, Result: &res})
}

// Hints returns the hints of the current step revealed so far.
func (s *Session) Hints() []string {
	st := s.CurrentStep()
	if st == nil {
		return nil
	}
	n := s.progress.Step(s.lesson.ID, st.ID).HintsRevealed
	return expandAll(s, st.Hints[:min(n, len(st.Hints))])
}

// RevealHint reveals the current step's next hint and returns every hint
// revealed so far and the number of hints the step has.
func (s *Session) RevealHint() (revealed []string, total int, err error) {
	st := s.CurrentStep()
	if st == nil {
		return nil, 0, ErrNoStep
	}
	s.progress.RevealHint(s.lesson.ID, st.ID, len(st.Hints))
	if !s.opts.SkipProgress {
		if err := s.progress.Save(); err != nil {
			return nil, 0, err
		}
	}
	return s.Hints(), len(st.Hints), nil
}

func expandAll(s *Session, in []string) []string {
	out := make([]string, len(in))
	for i, h := range in {
		x, err := s.Expand(h)
		if err != nil {
			x = h
		}
		out[i] = x
	}
	return out
}

// ErrSolutionLocked is returned by Solution while the step has not passed
// and not every hint has been seen (or the learner did not confirm).
var ErrSolutionLocked = errors.New("the solution opens once the step passes, or after every hint has been revealed and you confirm")

// SolutionStep is one action of a solution, expanded for display.
type SolutionStep struct {
	// As is the persona a command runs as ("" for learner).
	As string `json:"as,omitempty"`
	// Command is the console line of a run action.
	Command string `json:"command,omitempty"`
	// File and Content describe a write action.
	File    string `json:"file,omitempty"`
	Content string `json:"content,omitempty"`
}

// Solution returns the current step's solution: allowed after the step
// passed, or after every hint was revealed and confirm is true. Showing it
// is recorded in progress.
func (s *Session) Solution(confirm bool) ([]SolutionStep, error) {
	st := s.CurrentStep()
	if st == nil {
		return nil, ErrNoStep
	}
	p := s.progress.Step(s.lesson.ID, st.ID)
	if p.Status != progress.StatusPassed && !(confirm && p.HintsRevealed >= len(st.Hints)) {
		return nil, ErrSolutionLocked
	}
	var out []SolutionStep
	for _, a := range st.Solution {
		switch {
		case a.Run != "":
			cmd, _ := lessons.Expand(a.Run, s.Vars())
			out = append(out, SolutionStep{As: a.As, Command: cmd})
		case a.Write != "":
			file, _ := lessons.Expand(a.Write, s.Vars())
			body := a.Content
			if a.From != "" {
				if b, err := readFS(s.lesson.Solutions, a.From); err == nil {
					body = string(b)
				}
			} else {
				body, _ = lessons.Expand(body, s.Vars())
			}
			out = append(out, SolutionStep{File: file, Content: body})
		}
	}
	s.progress.ShowSolution(s.lesson.ID, st.ID)
	if !s.opts.SkipProgress {
		_ = s.progress.Save()
	}
	return out, nil
}

// ApplySolution runs step i's solution actions (seclab check --solve).
func (s *Session) ApplySolution(ctx context.Context, i int) error {
	st, err := s.step(i)
	if err != nil {
		return err
	}
	if err := s.runActions(ctx, st, st.Solution); err != nil {
		return fmt.Errorf("solve %w", err)
	}
	return nil
}
