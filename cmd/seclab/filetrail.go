package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/seclab-dev/seclab/lab/sandbox"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
	"github.com/seclab-dev/seclab/lab/sandbox/trailsource"
	"github.com/seclab-dev/seclab/lab/target"
)

// fileTrail is the trail of a `seclab sandbox` running in another process,
// read from its state folder: what trail checks need when the course runs
// against that sandbox as if it were AWS (--as-aws --sandbox-state DIR).
// Real AWS has no such trail.
type fileTrail struct {
	path string

	mu     sync.Mutex
	offset int64
	subs   map[chan target.Event]bool
	stop   chan struct{}
	done   chan struct{}
}

// trailPoll is how often the file is read for new events; flushWait is
// how long Sync lets the sandbox flush (it flushes 5 ms after a call).
const (
	trailPoll = 100 * time.Millisecond
	flushWait = 30 * time.Millisecond
)

// newFileTrail follows the trail file of the sandbox state folder dir.
func newFileTrail(dir string) (*fileTrail, error) {
	path := filepath.Join(dir, sandbox.TrailFile)
	if _, err := os.Stat(filepath.Join(dir, sandbox.EndpointFile)); err != nil {
		if _, err2 := os.Stat(path); err2 != nil {
			return nil, errors.New("--sandbox-state " + dir + ": no seclab sandbox state there (start one with `seclab sandbox --state " + dir + "`)")
		}
	}
	t := &fileTrail{path: path, subs: map[chan target.Event]bool{}}
	if st, err := os.Stat(path); err == nil {
		t.offset = st.Size() // subscribers see events from now on
	}
	return t, nil
}

// Subscribe delivers events appended to the file from now on.
func (t *fileTrail) Subscribe() (<-chan target.Event, func()) {
	ch := make(chan target.Event, 256)
	t.mu.Lock()
	t.subs[ch] = true
	if t.stop == nil {
		t.stop, t.done = make(chan struct{}), make(chan struct{})
		go t.poll(t.stop, t.done)
	}
	t.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			t.mu.Lock()
			delete(t.subs, ch)
			var stop, done chan struct{}
			if len(t.subs) == 0 && t.stop != nil {
				stop, done = t.stop, t.done
				t.stop, t.done = nil, nil
			}
			t.mu.Unlock()
			if stop != nil {
				close(stop)
				<-done
			}
			close(ch)
		})
	}
}

func (t *fileTrail) poll(stop, done chan struct{}) {
	defer close(done)
	tick := time.NewTicker(trailPoll)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
			t.readNew()
		}
	}
}

// readNew reads complete lines after the offset and hands them out.
func (t *fileTrail) readNew() {
	t.mu.Lock()
	defer t.mu.Unlock()
	f, err := os.Open(t.path)
	if err != nil {
		return
	}
	defer f.Close()
	if _, err := f.Seek(t.offset, io.SeekStart); err != nil {
		return
	}
	r := bufio.NewReader(f)
	for {
		line, err := r.ReadBytes('\n')
		if err != nil {
			return // a partial line waits for the next read
		}
		t.offset += int64(len(line))
		var e svc.Event
		if json.Unmarshal(line, &e) != nil {
			continue
		}
		ev := trailsource.Event(e)
		for ch := range t.subs {
			select {
			case ch <- ev:
			default:
			}
		}
	}
}

// Sync waits for the sandbox to flush, then delivers everything written.
func (t *fileTrail) Sync(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(flushWait):
	}
	t.readNew()
	return nil
}

// Since reads the recorded events at or after at.
func (t *fileTrail) Since(ctx context.Context, at time.Time) ([]target.Event, error) {
	var out []target.Event
	err := sandbox.ReadTrail(ctx, t.path, false, func(e svc.Event) error {
		if !e.Time.Before(at) {
			out = append(out, trailsource.Event(e))
		}
		return nil
	})
	return out, err
}
