// Package trailsource adapts the sandbox's call trail to the lab's
// target.TrailSource, so lab sessions see sandbox calls without importing
// the sandbox. cmd/seclab uses it for lesson sandboxes; tests use it too.
package trailsource

import (
	"context"
	"path/filepath"
	"sync"
	"time"

	"github.com/seclab-dev/seclab/lab/sandbox"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
	"github.com/seclab-dev/seclab/lab/target"
)

// Source adapts the sandbox's trail to the lab's TrailSource. Each
// subscription has one goroutine that converts events; Sync drains them.
type Source struct {
	s    *sandbox.Server
	mu   sync.Mutex
	subs map[*trailSub]bool
}

type trailSub struct {
	in   <-chan svc.Event
	out  chan target.Event
	sync chan chan struct{}
	done chan struct{}
}

// New adapts s's trail.
func New(s *sandbox.Server) *Source {
	return &Source{s: s, subs: map[*trailSub]bool{}}
}

// Event converts a sandbox trail event to the lab's.
func Event(e svc.Event) target.Event {
	return target.Event{Time: e.Time, Principal: e.Principal, PrincipalName: e.PrincipalName, Action: e.Action,
		Via: e.Via, Decision: e.Decision, ErrorCode: e.ErrorCode, ReadOnly: e.ReadOnly, Resources: e.Resources,
		Source: e.Source}
}

// Subscribe forwards the sandbox's events, converted.
func (t *Source) Subscribe() (<-chan target.Event, func()) {
	in, cancel := t.s.Subscribe()
	sub := &trailSub{in: in, out: make(chan target.Event, 256), sync: make(chan chan struct{}), done: make(chan struct{})}
	t.mu.Lock()
	t.subs[sub] = true
	t.mu.Unlock()
	go sub.run()
	return sub.out, func() {
		t.mu.Lock()
		delete(t.subs, sub)
		t.mu.Unlock()
		cancel()
		<-sub.done
	}
}

func (sub *trailSub) forward(e svc.Event) {
	select {
	case sub.out <- Event(e):
	default: // a slow reader loses events, as the sandbox's own subscribers do
	}
}

func (sub *trailSub) run() {
	defer close(sub.done)
	defer close(sub.out)
	for {
		select {
		case e, ok := <-sub.in:
			if !ok {
				return
			}
			sub.forward(e)
		case reply := <-sub.sync:
			for drained := false; !drained; {
				select {
				case e, ok := <-sub.in:
					if !ok {
						close(reply)
						return
					}
					sub.forward(e)
				default:
					drained = true
				}
			}
			close(reply)
		}
	}
}

// Sync waits until every subscription has forwarded what the sandbox has
// recorded so far (the sandbox hands events to subscribers before it
// answers the call).
func (t *Source) Sync(ctx context.Context) error {
	t.mu.Lock()
	subs := make([]*trailSub, 0, len(t.subs))
	for s := range t.subs {
		subs = append(subs, s)
	}
	t.mu.Unlock()
	for _, sub := range subs {
		reply := make(chan struct{})
		select {
		case sub.sync <- reply:
		case <-sub.done:
			continue
		case <-ctx.Done():
			return ctx.Err()
		}
		select {
		case <-reply:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// Since reads the recorded trail from the sandbox's trail file.
func (t *Source) Since(ctx context.Context, at time.Time) ([]target.Event, error) {
	var out []target.Event
	err := sandbox.ReadTrail(ctx, filepath.Join(t.s.Dir(), sandbox.TrailFile), false, func(e svc.Event) error {
		if !e.Time.Before(at) {
			out = append(out, Event(e))
		}
		return nil
	})
	return out, err
}

var _ target.TrailSource = (*Source)(nil)
