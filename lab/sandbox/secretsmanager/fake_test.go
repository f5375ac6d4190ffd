package secretsmanager

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// memStore is an in-memory svc.Store: Update works on a copy and commits it
// only when fn succeeds.
type memStore struct {
	mu   sync.RWMutex
	data map[string]map[string][]byte
}

func newMemStore() *memStore { return &memStore{data: map[string]map[string][]byte{}} }

type memTx struct {
	data map[string]map[string][]byte
	ro   bool
}

func (s *memStore) View(fn func(svc.Tx) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return fn(&memTx{data: s.data, ro: true})
}

func (s *memStore) Update(fn func(svc.Tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cp := map[string]map[string][]byte{}
	for b, m := range s.data {
		cp[b] = map[string][]byte{}
		for k, v := range m {
			cp[b][k] = v
		}
	}
	if err := fn(&memTx{data: cp}); err != nil {
		return err
	}
	s.data = cp
	return nil
}

func (t *memTx) Get(bucket, key string) []byte { return t.data[bucket][key] }

func (t *memTx) Put(bucket, key string, value []byte) error {
	if t.ro {
		return fmt.Errorf("read-only transaction")
	}
	if t.data[bucket] == nil {
		t.data[bucket] = map[string][]byte{}
	}
	t.data[bucket][key] = append([]byte(nil), value...)
	return nil
}

func (t *memTx) Delete(bucket, key string) error {
	if t.ro {
		return fmt.Errorf("read-only transaction")
	}
	delete(t.data[bucket], key)
	return nil
}

func (t *memTx) ForEach(bucket string, fn func(string, []byte) error) error {
	keys := make([]string, 0, len(t.data[bucket]))
	for k := range t.data[bucket] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := fn(k, t.data[bucket][k]); err != nil {
			return err
		}
	}
	return nil
}

// contains reports whether any stored value contains needle.
func (s *memStore) contains(needle []byte) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, m := range s.data {
		for k, v := range m {
			if bytes.Contains(v, needle) || strings.Contains(k, string(needle)) {
				return true
			}
		}
	}
	return false
}

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// fakeAuthz allows everything except the (caller name, action) pairs in
// deny, and records every question.
type fakeAuthz struct {
	mu   sync.Mutex
	deny map[string]bool // "bob secretsmanager:GetSecretValue"
	seen []svc.AuthzRequest
}

func (a *fakeAuthz) Authorize(r *svc.Request, q svc.AuthzRequest) error {
	a.mu.Lock()
	a.seen = append(a.seen, q)
	denied := a.deny[r.Caller.Name+" "+q.Action]
	a.mu.Unlock()
	if r.Event != nil {
		r.Event.Decision = "Allowed"
	}
	if !denied {
		return nil
	}
	if r.Event != nil {
		r.Event.Decision = "ImplicitlyDenied"
	}
	res := q.Resource
	if q.ResourceInMessage != "" {
		res = q.ResourceInMessage
	}
	return &svc.Error{Status: 400, Code: "AccessDeniedException", Message: fmt.Sprintf(
		"User: %s is not authorized to perform: %s on resource: %s because no identity-based policy allows the %s action",
		r.Caller.ARN, q.Action, res, q.Action)}
}

func (a *fakeAuthz) last() svc.AuthzRequest {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.seen[len(a.seen)-1]
}

type fakeTrail struct {
	mu     sync.Mutex
	events []svc.Event
}

func (t *fakeTrail) Record(e *svc.Event) { t.mu.Lock(); t.events = append(t.events, *e); t.mu.Unlock() }

// fakeKMS is a small symmetric KMS: data keys wrapped with AES-GCM under a
// per-key secret, encryption context bound as AAD.
type fakeKMS struct {
	mu       sync.Mutex
	keys     map[string]*fakeKey // by ARN
	aliases  map[string]string   // alias name → ARN
	denied   map[string]bool     // caller names KMS refuses
	calls    []kmsCall
	region   string
	account  string
	nextKeyN int
}

type fakeKey struct {
	arn      string
	material []byte
	disabled bool
}

type kmsCall struct {
	Op, Caller, Via, Key string
	Context              map[string]string
}

func newFakeKMS() *fakeKMS {
	return &fakeKMS{keys: map[string]*fakeKey{}, aliases: map[string]string{}, denied: map[string]bool{},
		region: "us-east-1", account: "111122223333"}
}

func (k *fakeKMS) createKey(alias string) string {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.nextKeyN++
	arn := fmt.Sprintf("arn:aws:kms:%s:%s:key/%08d-0000-4000-8000-000000000000", k.region, k.account, k.nextKeyN)
	m := make([]byte, 32)
	_, _ = rand.Read(m)
	k.keys[arn] = &fakeKey{arn: arn, material: m}
	if alias != "" {
		k.aliases[alias] = arn
	}
	return arn
}

func (k *fakeKMS) find(id string) (*fakeKey, error) {
	if strings.HasPrefix(id, "alias/") {
		arn, ok := k.aliases[id]
		if !ok {
			return nil, &svc.Error{Status: 400, Code: "NotFoundException", Message: fmt.Sprintf("Alias arn:aws:kms:%s:%s:%s is not found.", k.region, k.account, id)}
		}
		id = arn
	}
	for arn, key := range k.keys {
		if arn == id || strings.HasSuffix(arn, "/"+id) {
			return key, nil
		}
	}
	return nil, &svc.Error{Status: 400, Code: "NotFoundException", Message: fmt.Sprintf("Key '%s' does not exist", id)}
}

func (k *fakeKMS) use(r *svc.Request, op, via, id string, ctx map[string]string) (*fakeKey, error) {
	k.calls = append(k.calls, kmsCall{Op: op, Caller: r.Caller.Name, Via: via, Key: id, Context: ctx})
	key, err := k.find(id)
	if err != nil {
		return nil, err
	}
	if k.denied[r.Caller.Name] {
		return nil, &svc.Error{Status: 400, Code: "AccessDeniedException", Message: "User: " + r.Caller.ARN + " is not authorized to perform: kms:" + op + " on resource: " + key.arn + " because no resource-based policy allows the kms:" + op + " action"}
	}
	if key.disabled && op != "DescribeKey" {
		return nil, &svc.Error{Status: 400, Code: "DisabledException", Message: key.arn + " is disabled."}
	}
	return key, nil
}

func ctxAAD(ctx map[string]string) []byte {
	b, _ := json.Marshal(ctx) // map keys sort: canonical enough for a fake
	return b
}

func (k *fakeKMS) GenerateDataKeyFor(r *svc.Request, via, keyID string, ctx map[string]string) ([]byte, []byte, string, error) {
	k.ensureDefault(keyID)
	k.mu.Lock()
	defer k.mu.Unlock()
	key, err := k.use(r, "GenerateDataKey", via, keyID, ctx)
	if err != nil {
		return nil, nil, "", err
	}
	dk := make([]byte, 32)
	_, _ = rand.Read(dk)
	gcm := fakeGCM(key.material)
	nonce := make([]byte, gcm.NonceSize())
	_, _ = rand.Read(nonce)
	blob := append([]byte(key.arn+"|"), nonce...)
	blob = gcm.Seal(blob, nonce, dk, ctxAAD(ctx))
	return dk, blob, key.arn, nil
}

func (k *fakeKMS) DecryptFor(r *svc.Request, via string, blob []byte, ctx map[string]string) ([]byte, string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	arn, rest, ok := bytes.Cut(blob, []byte("|"))
	if !ok {
		return nil, "", &svc.Error{Status: 400, Code: "InvalidCiphertextException"}
	}
	key, err := k.use(r, "Decrypt", via, string(arn), ctx)
	if err != nil {
		return nil, "", err
	}
	gcm := fakeGCM(key.material)
	pt, err := gcm.Open(nil, rest[:gcm.NonceSize()], rest[gcm.NonceSize():], ctxAAD(ctx))
	if err != nil {
		return nil, "", &svc.Error{Status: 400, Code: "InvalidCiphertextException"}
	}
	return pt, key.arn, nil
}

// ensureDefault creates aws/secretsmanager on first use, as KMS does.
func (k *fakeKMS) ensureDefault(keyID string) {
	k.mu.Lock()
	_, ok := k.aliases[defaultKeyAlias]
	k.mu.Unlock()
	if keyID == defaultKeyAlias && !ok {
		k.createKey(defaultKeyAlias)
	}
}

func (k *fakeKMS) ResolveKeyFor(r *svc.Request, via, keyID string) (string, error) {
	k.ensureDefault(keyID)
	k.mu.Lock()
	defer k.mu.Unlock()
	key, err := k.use(r, "DescribeKey", via, keyID, nil)
	if err != nil {
		return "", err
	}
	return key.arn, nil
}

func (k *fakeKMS) ops() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	var out []string
	for _, c := range k.calls {
		out = append(out, c.Op)
	}
	return out
}

func (k *fakeKMS) reset() { k.mu.Lock(); k.calls = nil; k.mu.Unlock() }

func fakeGCM(key []byte) cipher.AEAD {
	b, _ := aes.NewCipher(key)
	g, _ := cipher.NewGCM(b)
	return g
}

// harness is one Secrets Manager over fakes.
type harness struct {
	t     *testing.T
	s     *Service
	store *memStore
	clock *fakeClock
	authz *fakeAuthz
	kms   *fakeKMS
	trail *fakeTrail
	// account is the caller's account for the next calls.
	account string
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{t: t, store: newMemStore(), clock: &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)},
		authz: &fakeAuthz{deny: map[string]bool{}}, kms: newFakeKMS(), trail: &fakeTrail{}, account: "111122223333"}
	h.s = New(svc.Env{Store: h.store, Clock: h.clock, Authz: h.authz, Trail: h.trail, Rand: rand.Reader, Region: "us-east-1"}, h.kms)
	return h
}

// call runs op as persona with input marshalled to JSON and decodes the
// output into a generic map.
func (h *harness) call(persona, op string, input any) (map[string]any, error) {
	h.t.Helper()
	body, err := json.Marshal(input)
	if err != nil {
		h.t.Fatal(err)
	}
	r := &svc.Request{ID: "req", Service: ServiceName, Operation: op, Region: "us-east-1", Now: h.clock.Now(), Body: body,
		Caller: svc.Caller{Type: svc.CallerUser, Account: h.account, Name: persona,
			ARN: "arn:aws:iam::" + h.account + ":user/" + persona, PrincipalARN: "arn:aws:iam::" + h.account + ":user/" + persona}}
	r.Event = svc.NewEvent(r)
	out, err := h.s.Handle(r)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(out)
	if err != nil {
		h.t.Fatalf("%s: marshal output: %v", op, err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		h.t.Fatalf("%s: output %s is not an object: %v", op, b, err)
	}
	return m, nil
}

// must is call that fails the test on error.
func (h *harness) must(persona, op string, input any) map[string]any {
	h.t.Helper()
	out, err := h.call(persona, op, input)
	if err != nil {
		h.t.Fatalf("%s: %v", op, err)
	}
	return out
}

// code returns "Code: Message" of an *svc.Error, or "" for nil.
func code(err error) string {
	if err == nil {
		return ""
	}
	if ae, ok := err.(*svc.Error); ok {
		return ae.Code + ": " + ae.Message
	}
	return "non-AWS error: " + err.Error()
}

type m = map[string]any
