package session

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/seclab-dev/seclab/lab/check"
	"github.com/seclab-dev/seclab/lab/target"
)

// TestWatchTriggers checks which trail events schedule a re-check: state
// changes by anyone but the checks themselves.
func TestWatchTriggers(t *testing.T) {
	tests := []struct {
		name string
		e    target.Event
		want bool
	}{
		{"a write from another terminal", target.Event{Action: "secretsmanager:CreateSecret", PrincipalName: "learner"}, true},
		{"a read", target.Event{Action: "secretsmanager:GetSecretValue", ReadOnly: true}, false},
		{"a Decrypt (changes nothing)", target.Event{Action: "kms:Decrypt"}, false},
		{"a check's own call", target.Event{Action: "secretsmanager:CreateSecret", Source: check.SourceCheck}, false},
	}
	for _, tc := range tests {
		s := &Session{}
		s.Watch(time.Hour) // never fires during the test
		updates, cancel := s.Subscribe()
		s.onTrailEvent(tc.e)
		s.watch.mu.Lock()
		got := s.watch.timer != nil
		s.watch.mu.Unlock()
		s.StopWatch()
		if got != tc.want {
			t.Errorf("%s: scheduled a re-check = %v, want %v", tc.name, got, tc.want)
		}
		// Every event reaches the UI, marked or not.
		u := <-updates
		if diff := cmp.Diff(tc.e, *u.Event); u.Kind != UpdateTrail || diff != "" {
			t.Errorf("%s: update kind %v, event (-want +got):\n%s", tc.name, u.Kind, diff)
		}
		cancel()
	}
}
