package check

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/seclab-dev/seclab/lab/console"
	"github.com/seclab-dev/seclab/lab/target"
	"github.com/seclab-dev/seclab/lessons"
)

// propagatingEnv answers NoSuchEntity until the call count reaches passAt
// (an IAM change propagating), then succeeds; code replaces NoSuchEntity
// when set.
type propagatingEnv struct {
	calls  atomic.Int32
	passAt int32
	code   string
	window time.Duration
}

func (e *propagatingEnv) Run(ctx context.Context, persona, line string) console.Result {
	n := e.calls.Add(1)
	if e.passAt > 0 && n >= e.passAt {
		return console.Result{Data: map[string]any{}}
	}
	code := "NoSuchEntity"
	if e.code != "" {
		code = e.code
	}
	return console.Result{Err: &console.Error{Code: code, Message: "An error occurred (" + code + ")", Transient: code == "ThrottlingException"}}
}
func (e *propagatingEnv) Expand(s string) (string, error) { return s, nil }
func (e *propagatingEnv) ReadFile(string) ([]byte, error) { return nil, nil }
func (e *propagatingEnv) RetryFailuresFor() time.Duration { return e.window }
func (e *propagatingEnv) Trail(context.Context) ([]target.Event, bool, error) {
	return nil, false, nil
}

func TestRetryFailures(t *testing.T) {
	c := lessons.Check{Name: "role exists", Run: "aws iam get-role --role-name x", Expect: lessons.Expect{OK: true}}
	tests := []struct {
		name        string
		env         *propagatingEnv
		want        Outcome
		wantCalls   int32
		minAttempts bool
	}{
		{"passes after propagation", &propagatingEnv{passAt: 3, window: 10 * time.Second}, Pass, 3, false},
		{"no retry without a window", &propagatingEnv{passAt: 3}, Fail, 1, false},
		{"throttling is an error at once", &propagatingEnv{code: "ThrottlingException", window: 10 * time.Second}, Error, 1, false},
		{"still failing after the window", &propagatingEnv{window: 1200 * time.Millisecond}, Fail, 2, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Run(context.Background(), tt.env, []lessons.Check{c}, Options{})
			if diff := cmp.Diff(tt.want, got[0].Outcome); diff != "" {
				t.Errorf("outcome (-want +got):\n%s", diff)
			}
			if n := tt.env.calls.Load(); n != tt.wantCalls && !(tt.minAttempts && n >= tt.wantCalls) {
				t.Errorf("%d calls, want %d", n, tt.wantCalls)
			}
		})
	}
}
