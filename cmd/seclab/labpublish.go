package main

import (
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/seclab-dev/seclab/lab/sandbox"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// A lesson's embedded sandbox publishes itself the way `seclab sandbox`
// does — endpoint, personas and an AWS CLI config under its state dir
// (<state-dir>/lessons/<id>/sandbox) — so `seclab sandbox env` in another
// terminal finds it while the lesson is open.

// publisher keeps a lesson sandbox's published files current: it writes
// them once the lesson's personas exist (publish), rewrites them when
// access keys change the personas, and removes the endpoint file on stop.
type publisher struct {
	sb      *sandbox.Server
	started time.Time
	cancel  func()
	done    chan struct{}

	mu        sync.Mutex // one write at a time; guards the fields below
	published bool
	personas  []sandbox.Persona // as last written
}

// newPublisher follows sb's IAM changes; nothing is written before
// publish.
func newPublisher(sb *sandbox.Server) *publisher {
	p := &publisher{sb: sb, started: time.Now(), done: make(chan struct{})}
	events, cancel := sb.Subscribe()
	p.cancel = cancel
	go func() {
		defer close(p.done)
		for e := range events {
			if changesPersonas(e) {
				// A failed rewrite leaves the previous files, still
				// valid for every persona they list; the TUI has no
				// place to report it, and the next change retries.
				_ = p.refresh(false)
			}
		}
	}()
	return p
}

// changesPersonas reports whether e may add or remove a persona (an IAM
// user with an active access key).
func changesPersonas(e svc.Event) bool {
	if e.ErrorCode != "" {
		return false
	}
	switch e.Action {
	case "iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:UpdateAccessKey", "iam:DeleteUser":
		return true
	}
	return false
}

// publish writes the files now (the personas exist) and keeps them
// current from then on.
func (p *publisher) publish() error { return p.refresh(true) }

// refresh rewrites the files when first publishing or when the personas
// changed since the last write. The endpoint file's modification time
// stays the sandbox's start time: `seclab sandbox env` picks the most
// recently started lesson sandbox by it.
func (p *publisher) refresh(first bool) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if first {
		p.published = true
	}
	if !p.published {
		return nil
	}
	ps, err := p.sb.Personas()
	if err != nil {
		return err
	}
	if !first && slices.Equal(ps, p.personas) {
		return nil
	}
	if err := p.sb.WriteProfiles(); err != nil {
		return err
	}
	p.personas = ps
	return os.Chtimes(filepath.Join(p.sb.Dir(), sandbox.EndpointFile), p.started, p.started)
}

// stop stops following changes and removes the endpoint file, so nothing
// finds the sandbox once it closes. It is idempotent.
func (p *publisher) stop() {
	if p.cancel == nil {
		return
	}
	p.cancel()
	<-p.done
	p.cancel = nil
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.published {
		p.sb.RemoveEndpoint()
	}
	p.published = false
}
