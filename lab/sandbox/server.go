// Package sandbox is seclab's AWS emulator: one loopback HTTP server that
// speaks AWS's JSON 1.1 and Query protocols, verifies SigV4 on every
// request, resolves the caller, authorizes each operation through
// lab/policy, records every call in the trail and keeps state in bbolt.
//
// It is shaped like httptest.Server: New, Start, URL, Config, Close. The
// emulated services live in subpackages and meet this package only
// through the svc contract; wire.go builds them. Nothing here listens on
// anything but loopback, and nothing bypasses authentication.
package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/seclab-dev/seclab/lab/sandbox/iam"
	"github.com/seclab-dev/seclab/lab/sandbox/sts"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// Server is a running sandbox.
type Server struct {
	// URL is the endpoint, http://127.0.0.1:PORT, set by Start.
	URL string

	opts     options
	dir      string
	tempDir  bool
	store    *store
	clock    *virtualClock
	trail    *trail
	sealer   *sealer
	env      svc.Env
	services map[string]svc.Service // by signing name
	targets  map[string]svc.Service // JSON target prefix → service
	iam      *iam.Service
	sts      *sts.Service
	authz    *authorizer

	// onPanic, when set (fuzz tests), sees a service's panic before it
	// becomes an InternalFailure.
	onPanic func(any)

	ln      net.Listener
	http    *http.Server
	started bool

	// fresh are accepted connections that have not sent a request yet:
	// Shutdown would wait 5 s for each before treating it as idle.
	freshMu sync.Mutex
	fresh   map[net.Conn]bool

	httpOnce   sync.Once
	httpClient *awshttp.BuildableClient

	closeOnce sync.Once
	closeErr  error
}

// New returns an unstarted sandbox configured by opts.
func New(opts ...Option) *Server {
	o := options{region: DefaultRegion, addr: "127.0.0.1:0", maxBody: 1 << 20}
	for _, f := range opts {
		f(&o)
	}
	if o.clock == nil {
		o.clock = wallClock{}
	}
	return &Server{opts: o, services: map[string]svc.Service{}, targets: map[string]svc.Service{}}
}

// Start opens the state, builds the services and begins serving on
// loopback.
func (s *Server) Start() error {
	if s.started {
		return errors.New("sandbox already started")
	}
	if err := CheckLoopback(s.opts.addr); err != nil {
		return err
	}
	if err := s.open(); err != nil {
		s.cleanup()
		return err
	}
	ln, err := net.Listen("tcp", s.opts.addr)
	if err != nil {
		s.cleanup()
		return fmt.Errorf("listen on %s: %w", s.opts.addr, err)
	}
	s.ln = ln
	s.URL = "http://" + ln.Addr().String()
	s.http = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		// Longer than SDK clients keep idle connections (90 s), so the
		// server never closes a connection a client is about to reuse.
		IdleTimeout:    5 * time.Minute,
		MaxHeaderBytes: 64 << 10,
		ConnState:      s.trackFresh,
	}
	s.started = true
	go s.http.Serve(ln)
	return nil
}

func (s *Server) open() error {
	s.dir = s.opts.stateDir
	if s.dir == "" {
		d, err := os.MkdirTemp("", "seclab-sandbox-")
		if err != nil {
			return fmt.Errorf("create temporary state dir: %w", err)
		}
		s.dir, s.tempDir = d, true
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return fmt.Errorf("create state dir: %w", err)
	}
	if err := os.Chmod(s.dir, 0o700); err != nil {
		return fmt.Errorf("state dir permissions: %w", err)
	}
	st, err := openStore(s.dir)
	if err != nil {
		return err
	}
	s.store = st
	s.clock = &virtualClock{base: s.opts.clock}
	if err := s.clock.load(st); err != nil {
		return err
	}
	rnd := newRand(s.opts.seed)
	key, err := loadMasterKey(s.dir, rnd)
	if err != nil {
		return err
	}
	if s.sealer, err = newSealer(key); err != nil {
		return err
	}
	if s.trail, err = openTrail(s.dir, isReadOnly); err != nil {
		return err
	}
	s.authz = newAuthorizer(s)
	s.env = svc.Env{
		Store: st, Clock: s.clock, Authz: s.authz, Trail: s.trail, Sealer: s.sealer,
		Rand: rnd, Region: s.opts.region, Dispatch: dispatcher{s},
	}
	return s.wire(s.env)
}

// Register adds a service. Built-in services are registered by wire.go;
// Register lets tests add their own before Start.
func (s *Server) Register(v svc.Service) {
	s.services[v.Name()] = v
	if v.Protocol() == svc.JSON {
		s.targets[jsonTargetPrefix(v.Name())] = v
	}
}

// Dir is the state directory.
func (s *Server) Dir() string { return s.dir }

// Region is the sandbox's region.
func (s *Server) Region() string { return s.opts.region }

// Env is the environment the services were built with (for tests of
// services that need the sandbox's store or clock).
func (s *Server) Env() svc.Env { return s.env }

// Now is the sandbox's virtual time.
func (s *Server) Now() time.Time { return s.clock.Now() }

// Advance moves the sandbox's clock forward by d (key deletion windows,
// session expiry). The offset is persisted.
func (s *Server) Advance(d time.Duration) error { return s.clock.advance(s.store, d) }

// Subscribe returns the live trail: every event recorded from now on, and
// a function that stops the subscription. A subscriber that falls behind
// loses events rather than slowing the sandbox.
func (s *Server) Subscribe() (<-chan svc.Event, func()) { return s.trail.Subscribe() }

// Trail is the recorder services and front end write to.
func (s *Server) Trail() svc.Trail { return s.trail }

// Close stops accepting requests, waits for in-flight ones, and closes the
// state. It is idempotent.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		if s.http != nil {
			s.closeFresh()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			if err := s.http.Shutdown(ctx); err != nil {
				s.closeErr = fmt.Errorf("drain requests: %w", err)
			}
			cancel()
		}
		s.cleanup()
	})
	return s.closeErr
}

// trackFresh remembers connections between accept and their first
// request.
func (s *Server) trackFresh(c net.Conn, st http.ConnState) {
	s.freshMu.Lock()
	defer s.freshMu.Unlock()
	if st == http.StateNew {
		if s.fresh == nil {
			s.fresh = map[net.Conn]bool{}
		}
		s.fresh[c] = true
		return
	}
	delete(s.fresh, c)
}

// closeFresh closes connections that never sent a request (a client
// opened them ahead of need), so closing does not wait on them; requests
// in flight are on active connections and drain normally.
func (s *Server) closeFresh() {
	s.freshMu.Lock()
	defer s.freshMu.Unlock()
	for c := range s.fresh {
		c.Close()
	}
	s.fresh = nil
}

func (s *Server) cleanup() {
	if s.trail != nil {
		s.trail.Close()
	}
	if s.store != nil {
		if err := s.store.Close(); err != nil && s.closeErr == nil {
			s.closeErr = fmt.Errorf("close store: %w", err)
		}
	}
	if s.tempDir {
		os.RemoveAll(s.dir)
	}
}

// CheckLoopback refuses listen addresses that are not on loopback.
func CheckLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("invalid address %q: want host:port, e.g. 127.0.0.1:4566", addr)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("refusing to listen on %q: the sandbox listens on loopback only (use 127.0.0.1:PORT)", addr)
	}
	return nil
}
