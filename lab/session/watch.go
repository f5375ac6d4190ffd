package session

import (
	"context"
	"io/fs"
	"sync"
	"time"

	"github.com/seclab-dev/seclab/lab/check"
	"github.com/seclab-dev/seclab/lab/console"
	"github.com/seclab-dev/seclab/lab/target"
)

// UpdateKind says what an Update carries.
type UpdateKind int

// Kinds of update.
const (
	// UpdateTrail carries a trail event (Event).
	UpdateTrail UpdateKind = iota + 1
	// UpdateChecking says watch mode started re-checking the step.
	UpdateChecking
	// UpdateChecked carries a step result (Result).
	UpdateChecked
)

// Update is something the UI may want to show.
type Update struct {
	Kind   UpdateKind
	Event  *target.Event
	Result *StepResult
}

// updateBuffer is how far a subscriber may fall behind before updates are
// dropped for it.
const updateBuffer = 256

type updates struct {
	mu     sync.Mutex
	subs   map[int]chan Update
	next   int
	closed bool
}

// Subscribe delivers trail events and check results until cancel. A slow
// reader loses updates rather than stalling the session.
func (s *Session) Subscribe() (<-chan Update, func()) {
	u := &s.updates
	u.mu.Lock()
	defer u.mu.Unlock()
	ch := make(chan Update, updateBuffer)
	if u.closed {
		close(ch)
		return ch, func() {}
	}
	if u.subs == nil {
		u.subs = map[int]chan Update{}
	}
	id := u.next
	u.next++
	u.subs[id] = ch
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			u.mu.Lock()
			defer u.mu.Unlock()
			if c, ok := u.subs[id]; ok {
				delete(u.subs, id)
				close(c)
			}
		})
	}
}

func (u *updates) publish(up Update) {
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, ch := range u.subs {
		select {
		case ch <- up:
		default:
		}
	}
}

func (u *updates) closeAll() {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.closed = true
	for id, ch := range u.subs {
		close(ch)
		delete(u.subs, id)
	}
}

// watcher re-runs the current step's checks, debounced.
type watcher struct {
	mu       sync.Mutex
	on       bool
	debounce time.Duration
	timer    *time.Timer
	ctx      context.Context
	cancel   context.CancelFunc
	running  sync.Mutex // one check run at a time
}

// DefaultDebounce is how long watch mode waits after the last trigger.
const DefaultDebounce = 150 * time.Millisecond

// Watch turns watch mode on: after every console AWS call and every
// state-changing trail event (from anywhere, e.g. the AWS CLI in another
// terminal), the current step's checks re-run once things are quiet for
// debounce (DefaultDebounce when zero). Results arrive as UpdateChecked.
// Stop it with StopWatch or Close.
func (s *Session) Watch(debounce time.Duration) {
	if debounce <= 0 {
		debounce = DefaultDebounce
	}
	w := &s.watch
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.on {
		w.debounce = debounce
		return
	}
	w.on, w.debounce = true, debounce
	w.ctx, w.cancel = context.WithCancel(context.Background())
}

// StopWatch turns watch mode off.
func (s *Session) StopWatch() { s.watch.stop() }

func (w *watcher) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.on {
		return
	}
	w.on = false
	if w.timer != nil {
		w.timer.Stop()
	}
	w.cancel()
}

// trigger schedules a re-check.
func (s *Session) trigger() {
	w := &s.watch
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.on {
		return
	}
	if w.timer != nil {
		w.timer.Stop()
	}
	ctx := w.ctx
	w.timer = time.AfterFunc(w.debounce, func() {
		if ctx.Err() != nil {
			return
		}
		w.running.Lock()
		defer w.running.Unlock()
		s.updates.publish(Update{Kind: UpdateChecking})
		s.CheckStep(ctx)
	})
}

// onConsoleCall is told about every AWS call of the console.
func (s *Session) onConsoleCall(r console.Result) {
	s.trigger()
}

// onTrailEvent is told about every trail event.
func (s *Session) onTrailEvent(e target.Event) {
	ev := e
	s.updates.publish(Update{Kind: UpdateTrail, Event: &ev})
	// A check's own calls, and calls that change nothing (a Decrypt is a
	// "write" to IAM but alters no state), must not re-trigger the checks.
	if e.Source != check.SourceCheck && !e.ReadOnly && !check.IsReadOnlyAction(e.Action) {
		s.trigger()
	}
}

func readFS(fsys fs.FS, name string) ([]byte, error) {
	if fsys == nil {
		return nil, fs.ErrNotExist
	}
	return fs.ReadFile(fsys, name)
}
