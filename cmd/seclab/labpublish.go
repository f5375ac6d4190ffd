package main

import (
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/seclab-dev/seclab/lab/sandbox"
)

// A lesson's embedded sandbox publishes itself the way `seclab sandbox`
// does — endpoint, personas and an AWS CLI config under its state dir
// (<state-dir>/lessons/<id>/sandbox) — so `seclab sandbox env` in another
// terminal finds it while the lesson is open.

// publisher keeps a lesson sandbox's published files current: it rewrites
// them after IAM changes (new or deleted access keys change the personas)
// and removes the endpoint file on stop.
type publisher struct {
	sb      *sandbox.Server
	started time.Time
	mu      sync.Mutex // one rewrite at a time
	cancel  func()
	done    chan struct{}
}

// publish writes sb's files now and keeps them current until stop.
func publish(sb *sandbox.Server) (*publisher, error) {
	p := &publisher{sb: sb, started: time.Now(), done: make(chan struct{})}
	if err := p.refresh(); err != nil {
		sb.RemoveEndpoint()
		return nil, err
	}
	events, cancel := sb.Subscribe()
	p.cancel = cancel
	go func() {
		defer close(p.done)
		for e := range events {
			if e.Service == "iam" && !e.ReadOnly && e.ErrorCode == "" {
				// A failed rewrite leaves the previous files, still
				// valid for every persona they list; the TUI has no
				// place to report it, and the next change retries.
				_ = p.refresh()
			}
		}
	}()
	return p, nil
}

// refresh rewrites the files. The endpoint file's modification time stays
// the sandbox's start time: `seclab sandbox env` picks the most recently
// started lesson sandbox by it.
func (p *publisher) refresh() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.sb.WriteProfiles(); err != nil {
		return err
	}
	return os.Chtimes(filepath.Join(p.sb.Dir(), sandbox.EndpointFile), p.started, p.started)
}

// stop stops refreshing and removes the endpoint file, so nothing finds
// the sandbox once it closes. It is idempotent.
func (p *publisher) stop() {
	if p.cancel == nil {
		return
	}
	p.cancel()
	<-p.done
	p.cancel = nil
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sb.RemoveEndpoint()
}
