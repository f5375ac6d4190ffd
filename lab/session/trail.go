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
// other programs using the same sandbox. One goroutine receives the feed;
// sync asks it to take in everything already delivered.
type trailLog struct {
	src     target.TrailSource
	started time.Time
	cancel  func()
	done    chan struct{}
	syncReq chan chan struct{}
	onEvent func(target.Event)

	mu     sync.Mutex
	events []target.Event
	// dropped counts events trimmed from the front of events, so that
	// positions stay valid.
	dropped int64
}

func startTrailLog(src target.TrailSource, onEvent func(target.Event)) *trailLog {
	ch, cancel := src.Subscribe()
	t := &trailLog{src: src, started: time.Now(), cancel: cancel, done: make(chan struct{}),
		syncReq: make(chan chan struct{}), onEvent: onEvent}
	go t.run(ch)
	return t
}

func (t *trailLog) run(ch <-chan target.Event) {
	defer close(t.done)
	for {
		select {
		case e, ok := <-ch:
			if !ok {
				return
			}
			t.add(e)
		case reply := <-t.syncReq:
			for drained := false; !drained; {
				select {
				case e, ok := <-ch:
					if !ok {
						close(reply)
						return
					}
					t.add(e)
				default:
					drained = true
				}
			}
			close(reply)
		}
	}
}

func (t *trailLog) add(e target.Event) {
	t.mu.Lock()
	t.events = append(t.events, e)
	if len(t.events) > maxTrailLog {
		cut := len(t.events) - maxTrailLog/2
		t.dropped += int64(cut)
		t.events = append([]target.Event(nil), t.events[cut:]...)
	}
	t.mu.Unlock()
	if t.onEvent != nil {
		t.onEvent(e)
	}
}

func (t *trailLog) close() {
	t.cancel()
	<-t.done
}

// sync makes sure every event the target recorded so far is in the log.
func (t *trailLog) sync(ctx context.Context) {
	if err := t.src.Sync(ctx); err != nil {
		return
	}
	reply := make(chan struct{})
	select {
	case t.syncReq <- reply:
	case <-t.done:
		return
	case <-ctx.Done():
		return
	}
	select {
	case <-reply:
	case <-ctx.Done():
	}
}

// since returns the events at or after at: from the target's record for
// the time before this log started, then the collected ones.
func (t *trailLog) since(ctx context.Context, at time.Time) []target.Event {
	t.sync(ctx)
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

// position is the log's current end, after taking in every event already
// recorded: events from then on belong to whatever starts now.
func (t *trailLog) position(ctx context.Context) int64 {
	t.sync(ctx)
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.dropped + int64(len(t.events))
}

// from returns the events recorded after position pos. Positions are
// exact where times are not: the sandbox's clock can be moved forward.
func (t *trailLog) from(ctx context.Context, pos int64) []target.Event {
	t.sync(ctx)
	t.mu.Lock()
	defer t.mu.Unlock()
	i := max(0, pos-t.dropped)
	if i > int64(len(t.events)) {
		return nil
	}
	return append([]target.Event(nil), t.events[i:]...)
}
