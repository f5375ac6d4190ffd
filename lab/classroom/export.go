package classroom

import (
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/seclab-dev/seclab/lab/progress"
	"github.com/seclab-dev/seclab/lessons"
)

// Record is one student's result on one step: the unit of every export.
type Record struct {
	Student       string    `json:"student"`
	StudentID     string    `json:"studentId"`
	Lesson        int       `json:"lesson"`
	LessonID      string    `json:"lessonId"`
	Step          int       `json:"step"`
	StepID        string    `json:"stepId"`
	StepTitle     string    `json:"stepTitle"`
	Outcome       string    `json:"outcome"` // open, failed, error, passed
	Attempts      int       `json:"attempts"`
	HintsUsed     int       `json:"hintsUsed"`
	SolutionShown bool      `json:"solutionShown"`
	FirstChecked  time.Time `json:"firstChecked,omitzero"`
	LastChecked   time.Time `json:"lastChecked,omitzero"`
	PassedAt      time.Time `json:"passedAt,omitzero"`
}

// Records lists every student × lesson × step of pack, in roster order.
func (c *Class) Records(pack *lessons.Pack) ([]Record, error) {
	students, err := c.Students()
	if err != nil {
		return nil, err
	}
	var out []Record
	for _, st := range students {
		prog, err := progress.Load(st.Dir)
		if err != nil {
			return nil, fmt.Errorf("progress of %s: %w", st.Name, err)
		}
		out = append(out, StudentRecords(st, prog, pack)...)
	}
	return out, nil
}

// StudentRecords lists one student's records.
func StudentRecords(st *Student, prog *progress.Progress, pack *lessons.Pack) []Record {
	var out []Record
	for _, l := range pack.Lessons {
		for _, s := range l.Steps {
			sp := prog.Step(l.ID, s.ID)
			out = append(out, Record{
				Student: st.Name, StudentID: st.ID, Lesson: l.Number, LessonID: l.ID,
				Step: s.Number, StepID: s.ID, StepTitle: s.Title, Outcome: string(sp.Status),
				Attempts: sp.Attempts, HintsUsed: sp.HintsRevealed, SolutionShown: sp.SolutionShown,
				FirstChecked: sp.FirstChecked, LastChecked: sp.LastChecked, PassedAt: sp.PassedAt,
			})
		}
	}
	return out
}

// Formats are the export formats.
var Formats = []string{"csv", "json", "junit"}

// Export writes records in format (csv, json or junit).
func Export(w io.Writer, format string, recs []Record) error {
	switch format {
	case "csv":
		return exportCSV(w, recs)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if recs == nil {
			recs = []Record{}
		}
		return enc.Encode(recs)
	case "junit":
		return exportJUnit(w, recs)
	}
	return fmt.Errorf("unknown export format %q: use csv, json or junit", format)
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func exportCSV(w io.Writer, recs []Record) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"student", "student_id", "lesson", "lesson_id", "step", "step_id", "step_title", "outcome",
		"attempts", "hints_used", "solution_shown", "first_checked", "last_checked", "passed_at"})
	for _, r := range recs {
		cw.Write([]string{r.Student, r.StudentID, strconv.Itoa(r.Lesson), r.LessonID, strconv.Itoa(r.Step), r.StepID,
			r.StepTitle, r.Outcome, strconv.Itoa(r.Attempts), strconv.Itoa(r.HintsUsed),
			strconv.FormatBool(r.SolutionShown), stamp(r.FirstChecked), stamp(r.LastChecked), stamp(r.PassedAt)})
	}
	cw.Flush()
	return cw.Error()
}

type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Class   string    `xml:"classname,attr"`
	Name    string    `xml:"name,attr"`
	Failure *junitMsg `xml:"failure,omitempty"`
	Error   *junitMsg `xml:"error,omitempty"`
	Skipped *junitMsg `xml:"skipped,omitempty"`
}

type junitMsg struct {
	Message string `xml:"message,attr"`
}

// exportJUnit writes one test suite per student and one test case per
// step: passed steps pass, failed steps fail, checker errors are errors
// and untried steps are skipped.
func exportJUnit(w io.Writer, recs []Record) error {
	var doc junitSuites
	index := map[string]int{}
	for _, r := range recs {
		i, ok := index[r.StudentID]
		if !ok {
			i = len(doc.Suites)
			index[r.StudentID] = i
			doc.Suites = append(doc.Suites, junitSuite{Name: r.Student})
		}
		s := &doc.Suites[i]
		c := junitCase{Class: fmt.Sprintf("lesson%02d.%s", r.Lesson, r.LessonID), Name: fmt.Sprintf("%d %s", r.Step, r.StepID)}
		detail := fmt.Sprintf("attempts %d, hints %d", r.Attempts, r.HintsUsed)
		switch r.Outcome {
		case string(progress.StatusPassed):
		case string(progress.StatusFailed):
			c.Failure = &junitMsg{Message: "last check failed; " + detail}
			s.Failures++
		case string(progress.StatusError):
			c.Error = &junitMsg{Message: "the checker could not decide; " + detail}
			s.Errors++
		default:
			c.Skipped = &junitMsg{Message: "not attempted"}
			s.Skipped++
		}
		s.Tests++
		s.Cases = append(s.Cases, c)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
