package kms

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/json"
	"errors"
	"maps"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// A small fake svc.Env for testing the service without the sandbox: an
// in-memory store, a settable clock, an AES-GCM sealer, a recording trail
// and an authorizer driven by a test function.

type memStore struct {
	mu      sync.RWMutex
	buckets map[string]map[string][]byte
}

type memTx struct {
	b        map[string]map[string][]byte
	writable bool
}

func (s *memStore) View(fn func(svc.Tx) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return fn(&memTx{b: s.buckets})
}

func (s *memStore) Update(fn func(svc.Tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	work := map[string]map[string][]byte{}
	for name, b := range s.buckets {
		work[name] = maps.Clone(b)
	}
	if err := fn(&memTx{b: work, writable: true}); err != nil {
		return err
	}
	s.buckets = work
	return nil
}

func (t *memTx) Get(bucket, key string) []byte { return t.b[bucket][key] }

func (t *memTx) Put(bucket, key string, v []byte) error {
	if !t.writable {
		return errors.New("read-only transaction")
	}
	if t.b[bucket] == nil {
		t.b[bucket] = map[string][]byte{}
	}
	t.b[bucket][key] = bytes.Clone(v)
	return nil
}

func (t *memTx) Delete(bucket, key string) error {
	if !t.writable {
		return errors.New("read-only transaction")
	}
	delete(t.b[bucket], key)
	return nil
}

func (t *memTx) ForEach(bucket string, fn func(string, []byte) error) error {
	keys := slices.Sorted(maps.Keys(t.b[bucket]))
	for _, k := range keys {
		if err := fn(k, t.b[bucket][k]); err != nil {
			return err
		}
	}
	return nil
}

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

type gcmSealer struct{ aead cipher.AEAD }

func newSealer() *gcmSealer {
	b, _ := aes.NewCipher(make([]byte, 32))
	a, _ := cipher.NewGCM(b)
	return &gcmSealer{a}
}

func (g *gcmSealer) Seal(pt, label []byte) ([]byte, error) {
	nonce := make([]byte, 12)
	return g.aead.Seal(nonce, nonce, pt, label), nil
}

func (g *gcmSealer) Open(sealed, label []byte) ([]byte, error) {
	if len(sealed) < 12 {
		return nil, errors.New("short")
	}
	return g.aead.Open(nil, sealed[:12], sealed[12:], label)
}

type memTrail struct {
	mu     sync.Mutex
	events []svc.Event
}

func (t *memTrail) Record(e *svc.Event) {
	t.mu.Lock()
	t.events = append(t.events, *e)
	t.mu.Unlock()
}

// fakeAuthz answers with decide, or allows everything when decide is nil.
// It records every question it was asked.
type fakeAuthz struct {
	mu     sync.Mutex
	decide func(r *svc.Request, a svc.AuthzRequest) error
	asked  []svc.AuthzRequest
}

func (f *fakeAuthz) Authorize(r *svc.Request, a svc.AuthzRequest) error {
	f.mu.Lock()
	f.asked = append(f.asked, a)
	decide := f.decide
	f.mu.Unlock()
	var err error
	if decide != nil {
		err = decide(r, a)
	}
	if r.Event != nil {
		if err != nil {
			r.Event.Decision = "ImplicitlyDenied"
		} else {
			r.Event.Decision = "Allowed"
		}
	}
	return err
}

func denied(r *svc.Request, action, resource string) error {
	return svc.Errorf(400, "AccessDeniedException", "User: %s is not authorized to perform: %s on resource: %s because no resource-based policy allows the %s action",
		r.Caller.ARN, action, resource, action)
}

type harness struct {
	t     *testing.T
	svc   *Service
	clock *fakeClock
	authz *fakeAuthz
	trail *memTrail
	store *memStore
	who   svc.Caller
}

const testAccount = "111122223333"

func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{
		t:     t,
		clock: &fakeClock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)},
		authz: &fakeAuthz{},
		trail: &memTrail{},
		store: &memStore{buckets: map[string]map[string][]byte{}},
		who: svc.Caller{Type: svc.CallerUser, Account: testAccount, Name: "learner",
			ARN: "arn:aws:iam::" + testAccount + ":user/learner", PrincipalARN: "arn:aws:iam::" + testAccount + ":user/learner"},
	}
	h.svc = New(svc.Env{Store: h.store, Clock: h.clock, Authz: h.authz, Trail: h.trail, Sealer: newSealer(),
		Rand: rand.NewChaCha8([32]byte{1}), Region: "us-east-1"})
	return h
}

// as returns a copy of h whose calls come from IAM user name.
func (h *harness) as(name string) *harness {
	c := *h
	arn := "arn:aws:iam::" + testAccount + ":user/" + name
	c.who = svc.Caller{Type: svc.CallerUser, Account: testAccount, Name: name, ARN: arn, PrincipalARN: arn}
	return &c
}

func (h *harness) request(op string, in any) *svc.Request {
	body, err := json.Marshal(in)
	if err != nil {
		h.t.Fatalf("marshal %s input: %v", op, err)
	}
	r := &svc.Request{ID: "req-1", Service: ServiceName, Operation: op, Region: "us-east-1", Caller: h.who,
		Now: h.clock.Now(), Body: body}
	r.Event = svc.NewEvent(r)
	return r
}

// call runs op with input in (marshalled as the SDK would) and decodes the
// response into a generic map. It returns the *svc.Error of a failure.
func (h *harness) call(op string, in any) (map[string]any, *svc.Error) {
	h.t.Helper()
	out, err := h.svc.Handle(h.request(op, in))
	if err != nil {
		var ae *svc.Error
		if !errors.As(err, &ae) {
			h.t.Fatalf("%s: non-AWS error %v", op, err)
		}
		return nil, ae
	}
	b, merr := json.Marshal(out)
	if merr != nil {
		h.t.Fatalf("%s: marshal output: %v", op, merr)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		h.t.Fatalf("%s: output is not a JSON object: %s", op, b)
	}
	return m, nil
}

// must is call that fails the test on an error.
func (h *harness) must(op string, in any) map[string]any {
	h.t.Helper()
	m, err := h.call(op, in)
	if err != nil {
		h.t.Fatalf("%s: %v", op, err)
	}
	return m
}

// fails is call that expects the error code (and message, if not "*").
func (h *harness) fails(op string, in any, code, msg string) {
	h.t.Helper()
	_, err := h.call(op, in)
	if err == nil {
		h.t.Fatalf("%s succeeded, want %s", op, code)
	}
	if err.Code != code || (msg != "*" && err.Message != msg) || err.Status != 400 {
		h.t.Fatalf("%s error = %d %s %q, want 400 %s %q", op, err.Status, err.Code, err.Message, code, msg)
	}
}

// createKey creates a key and returns its ID and ARN.
func (h *harness) createKey(in map[string]any) (string, string) {
	h.t.Helper()
	m := h.must("CreateKey", in)
	md := m["KeyMetadata"].(map[string]any)
	return md["KeyId"].(string), md["Arn"].(string)
}

func b64(m map[string]any, field string) []byte {
	s, _ := m[field].(string)
	var b []byte
	_ = json.Unmarshal([]byte(`"`+s+`"`), &b)
	return b
}
