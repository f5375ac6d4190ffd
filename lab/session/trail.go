package session

import (
	"context"
	"sync"
	"time"

	"github.com/seclab-dev/seclab/lab/target"
)

// maxTrailLog bounds the events a session keeps in memory.
const maxTrailLog = 20000

// trailLog collects the target's trail from the moment the session opens,
// so trail checks see calls made from the console, from checks and from
// other programs using the same sandbox.
type trailLog struct {
	src     target.TrailSource
	started time.Time
	cancel  func()
	done    chan struct{}
	onEvent func(target.Event)

	mu       sync.Mutex
	events   []target.Event
	lastRecv time.Time
	lastCall time.Time
}

func startTrailLog(src target.TrailSource, onEvent func(target.Event)) *trailLog {
	ch, cancel := src.Subscribe()
	t := &trailLog{src: src, started: time.Now(), cancel: cancel, done: make(chan struct{}), onEvent: onEvent}
	go func() {
		defer close(t.done)
		for e := range ch {
			t.mu.Lock()
			t.events = append(t.events, e)
			if len(t.events) > maxTrailLog {
				t.events = append([]target.Event(nil), t.events[len(t.events)-maxTrailLog/2:]...)
			}
			t.lastRecv = time.Now()
			t.mu.Unlock()
			if t.onEvent != nil {
				t.onEvent(e)
			}
		}
	}()
	return t
}

func (t *trailLog) close() {
	t.cancel()
	<-t.done
}

// called notes that a call just returned: its events are on their way.
func (t *trailLog) called() {
	t.mu.Lock()
	t.lastCall = time.Now()
	t.mu.Unlock()
}

// settle waits, after a recent call, until the feed has been quiet for a
// moment: the target records a call's events before it answers, but they
// reach this log through the feed a moment later.
func (t *trailLog) settle(ctx context.Context) {
	const quiet, limit = 2 * time.Millisecond, 50 * time.Millisecond
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		t.mu.Lock()
		recent := time.Since(t.lastCall) < limit
		calm := time.Since(t.lastRecv) >= quiet && !t.lastRecv.Before(t.lastCall)
		t.mu.Unlock()
		if !recent || calm {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(quiet / 2):
		}
	}
}

// since returns the events at or after at: from the target's record for
// the time before this log started, then the collected ones.
func (t *trailLog) since(ctx context.Context, at time.Time) []target.Event {
	t.settle(ctx)
	var out []target.Event
	if at.Before(t.started) {
		if old, err := t.src.Since(ctx, at); err == nil {
			for _, e := range old {
				if e.Time.Before(t.started) {
					out = append(out, e)
				}
			}
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, e := range t.events {
		if !e.Time.Before(at) {
			out = append(out, e)
		}
	}
	return out
}
