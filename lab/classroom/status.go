package classroom

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/seclab-dev/seclab/lab/progress"
	"github.com/seclab-dev/seclab/lab/session"
	"github.com/seclab-dev/seclab/lessons"
)

// LessonStatus is one student's standing in one lesson.
type LessonStatus struct {
	Number  int    `json:"number"`
	ID      string `json:"id"`
	Passed  int    `json:"passed"`
	Total   int    `json:"total"`
	Hints   int    `json:"hints"`
	Started bool   `json:"started"`
}

// Row is one student's line in the roster.
type Row struct {
	Student *Student       `json:"student"`
	Lessons []LessonStatus `json:"lessons"`
	Passed  int            `json:"passed"`
	Total   int            `json:"total"`
	Hints   int            `json:"hints"`
	// Current is where the student is working: the lesson and step of
	// their latest activity that has not passed yet ("" when idle).
	Current string `json:"current,omitempty"`
	// OnStepSince is when the student started on Current.
	OnStepSince  time.Time `json:"onStepSince,omitzero"`
	LastActivity time.Time `json:"lastActivity,omitzero"`
	// Warning says why a student's progress could not be read.
	Warning string `json:"warning,omitempty"`
}

// Status reads every student's progress and summarises it against pack.
func (c *Class) Status(pack *lessons.Pack) ([]Row, error) {
	students, err := c.Students()
	if err != nil {
		return nil, err
	}
	rows := make([]Row, 0, len(students))
	for _, st := range students {
		rows = append(rows, StudentRow(st, pack))
	}
	return rows, nil
}

// StudentRow summarises one student's progress.
func StudentRow(st *Student, pack *lessons.Pack) Row {
	row := Row{Student: st}
	prog, err := progress.Load(st.Dir)
	if err != nil {
		row.Warning = err.Error()
		prog, _ = progress.Load("")
	}
	for _, w := range prog.Warnings {
		row.Warning = w
	}
	var latest time.Time
	for _, l := range pack.Lessons {
		lp := prog.Lesson(l.ID)
		ls := LessonStatus{Number: l.Number, ID: l.ID, Total: len(l.Steps), Started: !lp.Started.IsZero()}
		for _, s := range l.Steps {
			sp := prog.Step(l.ID, s.ID)
			if sp.Status == progress.StatusPassed {
				ls.Passed++
			}
			ls.Hints += sp.HintsRevealed
		}
		row.Lessons = append(row.Lessons, ls)
		row.Passed += ls.Passed
		row.Total += ls.Total
		row.Hints += ls.Hints
		if lp.Updated.After(row.LastActivity) {
			row.LastActivity = lp.Updated
		}
		if !lp.Started.IsZero() && lp.Updated.After(latest) && ls.Passed < ls.Total {
			latest = lp.Updated
			i := prog.Resume(l)
			if i < len(l.Steps) {
				row.Current = fmt.Sprintf("%d.%d %s", l.Number, i+1, l.Steps[i].Title)
				row.OnStepSince = lp.Started
				for _, s := range l.Steps[:i] {
					if at := prog.Step(l.ID, s.ID).PassedAt; at.After(row.OnStepSince) {
						row.OnStepSince = at
					}
				}
			}
		}
	}
	return row
}

// CheckRecord is the last check of a step, as the student saw it.
type CheckRecord struct {
	Lesson  string        `json:"lesson"`
	Step    string        `json:"step"`
	At      time.Time     `json:"at"`
	Results []CheckResult `json:"results"`
}

// CheckResult is one named condition of a check.
type CheckResult struct {
	Name    string `json:"name"`
	Outcome string `json:"outcome"` // PASS, FAIL, ERROR
	Message string `json:"message,omitempty"`
}

const lastCheckFile = "last-check.json"

// RecordCheck keeps a student's latest check result for the instructor's
// drill-down.
func RecordCheck(st *Student, rec CheckRecord) error {
	b, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(st.Dir, lastCheckFile), b)
}

// LastCheck returns a student's latest recorded check (nil if none).
func LastCheck(st *Student) (*CheckRecord, error) {
	b, err := os.ReadFile(filepath.Join(st.Dir, lastCheckFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var rec CheckRecord
	if err := json.Unmarshal(b, &rec); err != nil {
		return nil, fmt.Errorf("last check of %s is damaged: %w", st.Name, err)
	}
	return &rec, nil
}

// TrailLine is one call from a student's sandbox trail, as the drill-down
// shows it.
type TrailLine struct {
	Time      time.Time `json:"time"`
	Principal string    `json:"principalName"`
	Action    string    `json:"action"`
	Decision  string    `json:"decision,omitempty"`
	ErrorCode string    `json:"errorCode,omitempty"`
	Via       string    `json:"via,omitempty"`
}

// RecentTrail returns up to n of the student's most recent sandbox calls
// across their lessons, oldest first. The trail never holds secret values.
func RecentTrail(st *Student, n int) ([]TrailLine, error) {
	files, err := filepath.Glob(filepath.Join(session.SandboxDir(st.Dir, "*"), "trail.jsonl"))
	if err != nil {
		return nil, err
	}
	var all []TrailLine
	for _, f := range files {
		lines, err := readTrail(f)
		if err != nil {
			return nil, err
		}
		all = append(all, lines...)
	}
	sortTrail(all)
	if len(all) > n {
		all = all[len(all)-n:]
	}
	return all, nil
}

func readTrail(path string) ([]TrailLine, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []TrailLine
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 4<<20)
	for sc.Scan() {
		var l TrailLine
		if json.Unmarshal(sc.Bytes(), &l) == nil && l.Action != "" {
			out = append(out, l)
		}
	}
	return out, sc.Err()
}
