// Package progress records how far a learner got: per lesson and per step,
// the status, the number of check attempts, the hints revealed and when
// things happened. It lives in one JSON file under the state folder,
// written atomically and readable only by its owner.
//
// The package never decides whether a step passed; the check runner tells
// it. A damaged file is set aside and replaced, never a reason to crash.
package progress

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/seclab-dev/seclab/lessons"
)

// FileName is the name of the progress file inside the state folder.
const FileName = "progress.json"

// formatVersion is the version of the file format this package writes.
const formatVersion = 1

// Status is the state of one step.
type Status string

// Step statuses. A step nobody has checked yet has StatusOpen.
const (
	StatusOpen   Status = "open"
	StatusFailed Status = "failed" // the last check found something missing
	StatusError  Status = "error"  // the checker could not decide (not the learner's fault)
	StatusPassed Status = "passed"
)

// Step is the progress of one step.
type Step struct {
	Status Status `json:"status"`
	// Attempts counts the check runs that passed or failed.
	Attempts int `json:"attempts,omitempty"`
	// HintsRevealed is how many of the step's hints the learner has seen.
	HintsRevealed int  `json:"hints_revealed,omitempty"`
	SolutionShown bool `json:"solution_shown,omitempty"`
	// FirstChecked, LastChecked and PassedAt are zero until they happen.
	FirstChecked time.Time `json:"first_checked,omitzero"`
	LastChecked  time.Time `json:"last_checked,omitzero"`
	PassedAt     time.Time `json:"passed_at,omitzero"`
}

// Lesson is the progress of one lesson, keyed by step ID.
type Lesson struct {
	Steps   map[string]*Step `json:"steps"`
	Started time.Time        `json:"started,omitzero"`
	Updated time.Time        `json:"updated,omitzero"`
}

// file is the JSON document on disk.
type file struct {
	Version int                `json:"version"`
	Lessons map[string]*Lesson `json:"lessons"`
}

// Progress is the learner's progress over all lessons, keyed by lesson ID.
// It is safe for concurrent use. Changes stay in memory until Save.
type Progress struct {
	mu      sync.Mutex
	dir     string
	lessons map[string]*Lesson
	// Warnings are things the learner should be told about loading, such as
	// a damaged file that was set aside.
	Warnings []string
	// Now returns the current time; tests replace it.
	Now func() time.Time
}

// DefaultDir returns the default state folder: $XDG_STATE_HOME/seclab, or
// ~/.local/state/seclab when XDG_STATE_HOME is unset.
func DefaultDir() (string, error) {
	if d := os.Getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "seclab"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find the state folder: %w (set XDG_STATE_HOME or pass --state-dir)", err)
	}
	return filepath.Join(home, ".local", "state", "seclab"), nil
}

// Load reads the progress file in dir. A missing file is an empty
// progress. An empty dir gives progress kept only in memory: Save does
// nothing. A file that cannot be parsed is renamed to
// progress.json.corrupt-<time>, progress starts afresh, and Warnings says so.
func Load(dir string) (*Progress, error) {
	p := &Progress{dir: dir, lessons: map[string]*Lesson{}, Now: time.Now}
	if dir == "" {
		return p, nil
	}
	path := filepath.Join(dir, FileName)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return p, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read progress: %w", err)
	}
	f, perr := decode(data)
	if perr != nil {
		backup := fmt.Sprintf("%s.corrupt-%s", path, p.Now().UTC().Format("20060102T150405Z"))
		if err := os.Rename(path, backup); err != nil {
			return nil, fmt.Errorf("progress file %s is damaged (%v) and could not be set aside: %w", path, perr, err)
		}
		p.Warnings = append(p.Warnings, fmt.Sprintf(
			"progress file was damaged (%v); kept it as %s and started with fresh progress", perr, backup))
		return p, nil
	}
	p.lessons = f.Lessons
	return p, nil
}

// Dir returns the state folder the progress is saved in.
func (p *Progress) Dir() string { return p.dir }

// Lesson returns a copy of the progress of the lesson with the given ID
// (empty when the learner never started it).
func (p *Progress) Lesson(id string) Lesson {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := Lesson{Steps: map[string]*Step{}}
	if l := p.lessons[id]; l != nil {
		out.Started, out.Updated = l.Started, l.Updated
		for k, s := range l.Steps {
			c := *s
			out.Steps[k] = &c
		}
	}
	return out
}

// Step returns a copy of one step's progress; StatusOpen when unknown.
func (p *Progress) Step(lessonID, stepID string) Step {
	p.mu.Lock()
	defer p.mu.Unlock()
	if l := p.lessons[lessonID]; l != nil {
		if s := l.Steps[stepID]; s != nil {
			return *s
		}
	}
	return Step{Status: StatusOpen}
}

// step returns the step record, creating it. p.mu must be held.
func (p *Progress) step(lessonID, stepID string, now time.Time) (*Lesson, *Step) {
	l := p.lessons[lessonID]
	if l == nil {
		l = &Lesson{Steps: map[string]*Step{}, Started: now}
		p.lessons[lessonID] = l
	}
	if l.Steps == nil {
		l.Steps = map[string]*Step{}
	}
	s := l.Steps[stepID]
	if s == nil {
		s = &Step{Status: StatusOpen}
		l.Steps[stepID] = s
	}
	l.Updated = now
	return l, s
}

// MarkStep records the result of checking a step. A passed step stays
// passed (watch mode re-runs checks; a later failure does not take the
// learner's progress away) until Reset. Passed and failed results count as
// attempts; a checker error does not.
func (p *Progress) MarkStep(lessonID, stepID string, status Status) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.Now()
	_, s := p.step(lessonID, stepID, now)
	if status == StatusPassed || status == StatusFailed {
		s.Attempts++
	}
	if s.FirstChecked.IsZero() {
		s.FirstChecked = now
	}
	s.LastChecked = now
	if s.Status == StatusPassed {
		return
	}
	s.Status = status
	if status == StatusPassed {
		s.PassedAt = now
	}
}

// RevealHint records that the learner revealed one more hint of a step
// with total hints, and returns how many are now revealed (at most total).
func (p *Progress) RevealHint(lessonID, stepID string, total int) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, s := p.step(lessonID, stepID, p.Now())
	if s.HintsRevealed < total {
		s.HintsRevealed++
	}
	return s.HintsRevealed
}

// ShowSolution records that the learner was shown a step's solution.
func (p *Progress) ShowSolution(lessonID, stepID string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, s := p.step(lessonID, stepID, p.Now())
	s.SolutionShown = true
}

// Reset forgets the progress of one lesson.
func (p *Progress) Reset(lessonID string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.lessons, lessonID)
}

// ResetStep forgets the progress of one step (a passed step becomes open
// again).
func (p *Progress) ResetStep(lessonID, stepID string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if l := p.lessons[lessonID]; l != nil {
		delete(l.Steps, stepID)
		l.Updated = p.Now()
	}
}

// ResetAll forgets all progress.
func (p *Progress) ResetAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.lessons = map[string]*Lesson{}
}

// Passed returns how many of l's steps have passed.
func (p *Progress) Passed(l *lessons.Lesson) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	rec := p.lessons[l.ID]
	if rec == nil {
		return 0
	}
	n := 0
	for _, st := range l.Steps {
		if s := rec.Steps[st.ID]; s != nil && s.Status == StatusPassed {
			n++
		}
	}
	return n
}

// Resume returns the index into l.Steps of the first step that has not
// passed, or len(l.Steps) when every step has.
func (p *Progress) Resume(l *lessons.Lesson) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	rec := p.lessons[l.ID]
	for i, st := range l.Steps {
		if rec == nil {
			return i
		}
		if s := rec.Steps[st.ID]; s == nil || s.Status != StatusPassed {
			return i
		}
	}
	return len(l.Steps)
}
