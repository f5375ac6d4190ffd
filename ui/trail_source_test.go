package ui

import (
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/google/go-cmp/cmp"
)

// TestTrailMarksChecks: a check's own call is marked "(check)" in every
// layout and dimmed as a whole; the learner's calls are not.
func TestTrailMarksChecks(t *testing.T) {
	at := time.Date(2026, 12, 4, 12, 1, 7, 0, time.UTC)
	byCheck := TrailEvent{Time: at, Principal: "bob", Action: "secretsmanager:GetSecretValue", Decision: "DENY",
		Reason: "no policy allows it", Source: "check"}
	tests := []struct {
		width int
		want  string
	}{
		{90, "12:01:07 bob (check) secretsmanager:GetSecretValue  DENY  (no policy allows it)"},
		{50, "DENY bob (check) secretsmanager:GetSecretValue  (no policy allows it)"},
		{40, "DENY secretsmanager:GetSecretValue (check)  (no policy allows it)"},
	}
	st := NewStyles(true)
	for _, tt := range tests {
		tp := newTrail(st, false)
		tp.SetSize(tt.width, 5)
		line := tp.line(byCheck)
		if diff := cmp.Diff(tt.want, ansi.Strip(line)); diff != "" {
			t.Errorf("width %d (-want +got):\n%s", tt.width, diff)
		}
		if want := st.Dim.Render(tt.want); line != want {
			t.Errorf("width %d: the line is not dimmed as a whole: %q", tt.width, line)
		}
	}
	learner := byCheck
	learner.Source = ""
	tp := newTrail(st, false)
	tp.SetSize(90, 5)
	if got := ansi.Strip(tp.line(learner)); got != "12:01:07 bob      secretsmanager:GetSecretValue  DENY  (no policy allows it)" {
		t.Errorf("learner's call = %q", got)
	}
}
