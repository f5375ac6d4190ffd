package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/google/go-cmp/cmp"
)

func TestTrailLine(t *testing.T) {
	e := TrailEvent{Time: time.Date(2026, 12, 4, 12, 1, 7, 0, time.UTC), Principal: "alice",
		Action: "kms:GenerateDataKey", Via: "secretsmanager", Decision: "ALLOW", Reason: `key policy "Alice uses"`}
	tests := []struct {
		width int
		want  string
	}{
		{90, `12:01:07 alice    kms:GenerateDataKey via secretsmanager  ALLOW  (key policy "Alice uses")`},
		{60, `ALLOW alice kms:GenerateDataKey via secretsmanager  (key policy "Alice uses")`},
		{45, `ALLOW kms:GenerateDataKey via secretsmanager  (key policy "Alice uses")`},
		{40, `ALLOW kms:GenerateDataKey  (key policy "Alice uses")`},
		{20, `ALLOW kms:GenerateDataKey  (key policy "Alice uses")`},
	}
	for _, tt := range tests {
		tp := newTrail(NewStyles(true), false)
		tp.SetSize(tt.width, 5)
		if diff := cmp.Diff(tt.want, ansi.Strip(tp.line(e))); diff != "" {
			t.Errorf("width %d (-want +got):\n%s", tt.width, diff)
		}
	}
}

// TestTrailColumnsLineUp: every line uses the layout the widest event
// needs, and no action is cut.
func TestTrailColumnsLineUp(t *testing.T) {
	at := time.Date(2026, 12, 4, 12, 1, 7, 0, time.UTC)
	tp := newTrail(NewStyles(true), false)
	tp.lab = &fakeLab{}
	tp.SetSize(46, 5)
	tp.add([]TrailEvent{
		{Seq: 1, Time: at, Principal: "learner", Action: "kms:ListKeys", Decision: "ALLOW"},
		{Seq: 2, Time: at, Principal: "learner", Action: "secretsmanager:GetSecretValue", Decision: "ALLOW"},
	})
	var got []string
	for _, l := range strings.Split(ansi.Strip(tp.View()), "\n") {
		got = append(got, strings.TrimRight(l, " "))
	}
	want := []string{"ALLOW learner kms:ListKeys", "ALLOW learner secretsmanager:GetSecretValue", "", "", ""}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
