package sandbox

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// TrailFile is the name of the trail's JSON-lines file in the state dir.
const TrailFile = "trail.jsonl"

// subscriberBuffer is how many events a slow subscriber may fall behind
// before further events are dropped for it.
const subscriberBuffer = 256

// trail records every call: appended to trail.jsonl (flushed promptly by a
// background writer, so `seclab trail --follow` in another process sees
// calls as they happen) and fanned out to in-process subscribers. A slow
// subscriber loses events; it never stalls a call.
type trail struct {
	readOnly func(action string) bool

	mu     sync.Mutex
	f      *os.File
	w      *bufio.Writer
	subs   map[int]chan svc.Event
	nextID int
	closed bool

	kick chan struct{}
	done chan struct{}
}

var _ svc.Trail = (*trail)(nil)

// linePool recycles the buffers events are encoded into.
var linePool = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

func openTrail(dir string, readOnly func(string) bool) (*trail, error) {
	f, err := os.OpenFile(filepath.Join(dir, TrailFile), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open trail: %w", err)
	}
	t := &trail{
		readOnly: readOnly,
		f:        f, w: bufio.NewWriterSize(f, 64<<10),
		subs: map[int]chan svc.Event{},
		kick: make(chan struct{}, 1), done: make(chan struct{}),
	}
	go t.flusher()
	return t, nil
}

// Record appends e to the trail. It sets e.ReadOnly from the action, and
// the explanation of a denied call (built now, so the file has it).
func (t *trail) Record(e *svc.Event) {
	if e == nil {
		return
	}
	e.ReadOnly = t.readOnly(e.Action)
	if e.Decision != "" && e.Decision != "Allowed" && len(e.Explanation) == 0 {
		// Denials keep their explanation in the file, for `seclab trail`
		// and for readers in other processes; allowed calls carry only the
		// Explainer, which in-process subscribers may call.
		e.Explanation = e.ExplanationJSON()
	}
	bp := linePool.Get().(*[]byte)
	line := append(appendEvent((*bp)[:0], e), '\n')
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return
	}
	t.w.Write(line)
	for _, ch := range t.subs {
		select {
		case ch <- *e:
		default: // slow subscriber: drop rather than stall the call
		}
	}
	t.mu.Unlock()
	*bp = line
	linePool.Put(bp)
	select {
	case t.kick <- struct{}{}:
	default:
	}
}

// flusher writes buffered events out shortly after they arrive, batching
// bursts into one write.
func (t *trail) flusher() {
	defer close(t.done)
	for range t.kick {
		time.Sleep(5 * time.Millisecond)
		t.mu.Lock()
		t.w.Flush()
		closed := t.closed
		t.mu.Unlock()
		if closed {
			return
		}
	}
}

// Subscribe returns a channel of events recorded from now on and a cancel
// function that closes it.
func (t *trail) Subscribe() (<-chan svc.Event, func()) {
	ch := make(chan svc.Event, subscriberBuffer)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		close(ch)
		return ch, func() {}
	}
	id := t.nextID
	t.nextID++
	t.subs[id] = ch
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			t.mu.Lock()
			defer t.mu.Unlock()
			if c, ok := t.subs[id]; ok {
				delete(t.subs, id)
				close(c)
			}
		})
	}
}

func (t *trail) Close() error {
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return nil
	}
	t.closed = true
	for id, ch := range t.subs {
		delete(t.subs, id)
		close(ch)
	}
	err := t.w.Flush()
	t.mu.Unlock()
	close(t.kick)
	<-t.done
	if cerr := t.f.Close(); err == nil {
		err = cerr
	}
	return err
}
