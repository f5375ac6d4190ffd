package check

import (
	"context"
	"time"

	"github.com/seclab-dev/seclab/lessons"
)

// Retrier is an Env on an eventually consistent target (real AWS, where
// IAM changes take seconds to propagate): a check that FAILs is run again,
// with backoff, for up to RetryFailuresFor before FAIL is reported. PASS
// and ERROR are reported at once.
type Retrier interface {
	RetryFailuresFor() time.Duration
}

// oneWithRetry is One, retried while it fails on a Retrier env.
func oneWithRetry(ctx context.Context, env Env, c lessons.Check, opts Options) Result {
	res := One(ctx, env, c, opts)
	r, ok := env.(Retrier)
	if !ok || res.Outcome != Fail {
		return res
	}
	window := r.RetryFailuresFor()
	if window <= 0 {
		return res
	}
	deadline := time.Now().Add(window)
	delay := 500 * time.Millisecond
	for res.Outcome == Fail && time.Now().Add(delay).Before(deadline) {
		select {
		case <-ctx.Done():
			return res
		case <-time.After(delay):
		}
		elapsed := res.Elapsed
		res = One(ctx, env, c, opts)
		res.Elapsed += elapsed + delay
		delay = min(delay*2, 4*time.Second)
	}
	return res
}
