package classroom

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/seclab-dev/seclab/lab/classroom"
)

var now = time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)

func row(name string, passed, hints int, active time.Duration) classroom.Row {
	return classroom.Row{
		Student: &classroom.Student{ID: name + "-id", Name: name, Fingerprint: "SHA256:" + name},
		Lessons: []classroom.LessonStatus{{Number: 1, ID: "welcome", Passed: passed, Total: 2, Started: passed > 0}},
		Passed:  passed, Total: 2, Hints: hints, LastActivity: now.Add(-active),
		Current: "1.2 Become alice", OnStepSince: now.Add(-active),
	}
}

func testModel(rows []classroom.Row) Model {
	m := New(Source{
		Rows: func() ([]classroom.Row, error) { return rows, nil },
		Detail: func(st *classroom.Student) (*classroom.CheckRecord, []classroom.TrailLine, error) {
			return &classroom.CheckRecord{Lesson: "welcome", Step: "become-alice", At: now,
					Results: []classroom.CheckResult{{Name: "alice wrote it herself", Outcome: "FAIL", Message: "no CreateSecret as alice"}}},
				[]classroom.TrailLine{{Time: now, Principal: "alice", Action: "secretsmanager:CreateSecret", Decision: "Allowed"}}, nil
		},
		Now: func() time.Time { return now },
	})
	up, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	up, _ = up.Update(rowsMsg{rows: rows})
	return up.(Model)
}

func press(t *testing.T, m Model, keys ...string) Model {
	t.Helper()
	for _, k := range keys {
		msg := tea.KeyPressMsg{Code: []rune(k)[0], Text: k}
		switch k {
		case "enter":
			msg = tea.KeyPressMsg{Code: tea.KeyEnter}
		case "esc":
			msg = tea.KeyPressMsg{Code: tea.KeyEscape}
		case "down":
			msg = tea.KeyPressMsg{Code: tea.KeyDown}
		}
		up, cmd := m.Update(msg)
		m = up.(Model)
		if cmd != nil {
			if out := cmd(); out != nil {
				if _, ok := out.(detailMsg); ok {
					up, _ = m.Update(out)
					m = up.(Model)
				}
			}
		}
	}
	return m
}

func screen(m Model) string { return ansi.Strip(m.View().Content) }

func TestRosterEmptyStateSaysHowStudentsJoin(t *testing.T) {
	s := screen(testModel(nil))
	if !strings.Contains(s, "No students yet") || !strings.Contains(s, "join CODE") {
		t.Errorf("empty roster:\n%s", s)
	}
}

func TestRosterSortsFiltersAndDrillsDown(t *testing.T) {
	m := testModel([]classroom.Row{row("cy", 0, 3, time.Hour), row("ada", 2, 0, time.Minute), row("bo", 1, 1, 10*time.Minute)})
	order := func(m Model) string {
		var names []string
		for _, r := range m.visible() {
			names = append(names, r.Student.Name)
		}
		return strings.Join(names, ",")
	}
	if got := order(m); got != "ada,bo,cy" {
		t.Errorf("by name: %s", got)
	}
	m = press(t, m, "s")
	if got := order(m); got != "ada,bo,cy" || !strings.Contains(screen(m), "sorted by progress") {
		t.Errorf("by progress: %s", got)
	}
	m = press(t, m, "s")
	if got := order(m); got != "cy,bo,ada" {
		t.Errorf("by hints: %s", got)
	}
	m = press(t, m, "s", "s")
	if got := order(m); got != "ada,bo,cy" {
		t.Errorf("by last activity: %s", got)
	}
	m = press(t, m, "/", "b", "o", "enter")
	if got := order(m); got != "bo" {
		t.Errorf("filter bo: %s", got)
	}
	m = press(t, m, "enter")
	s := screen(m)
	for _, want := range []string{"bo · 1/2 steps", "alice wrote it herself", "no CreateSecret as alice", "secretsmanager:CreateSecret"} {
		if !strings.Contains(s, want) {
			t.Errorf("detail lacks %q:\n%s", want, s)
		}
	}
	m = press(t, m, "esc")
	if !strings.Contains(screen(m), "Class · 3 students") {
		t.Errorf("esc did not go back:\n%s", screen(m))
	}
}

func TestRosterSurvivesTinyWindows(t *testing.T) {
	m := testModel([]classroom.Row{row("ada", 1, 0, time.Minute)})
	for _, sz := range [][2]int{{1, 1}, {20, 5}, {0, 0}} {
		up, _ := m.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		m = up.(Model)
		_ = m.View()
		m = press(t, m, "enter", "esc", "?")
		_ = m.View()
	}
}
