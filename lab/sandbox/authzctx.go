package sandbox

import (
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/seclab-dev/seclab/lab/policy"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// ctxMemo remembers the last request context built for each caller, so a
// burst of identical calls (a script encrypting in a loop, a paginating
// SDK) builds it once per second rather than once per call. A context is
// reused only when every input it was built from is equal: the caller's
// identity and key, source IP, region, Via, the action's service, the
// virtual clock's second, IAM's generation (principal tags) and the
// service's condition keys. Contexts are never changed once built, and
// lab/policy allows concurrent evaluations to read one.
type ctxMemo struct {
	mu sync.Mutex
	m  map[string]*ctxEntry
}

// ctxMemoMax bounds the callers remembered; the memo starts over beyond it.
const ctxMemoMax = 1024

type ctxEntry struct {
	key ctxKey
	svc map[string][]string // the service's condition keys, copied
	ctx *policy.Context
}

// ctxKey is everything but the service's keys that goes into a context.
type ctxKey struct {
	typ                                         svc.CallerType
	account, arn, principalARN, userID, name    string
	accessKeyID, sourceIP, region, via, service string
	temporary                                   bool
	second                                      int64
	iamGen                                      uint64
}

func contextKey(r *svc.Request, a svc.AuthzRequest, iamGen uint64) ctxKey {
	c := r.Caller
	service, _, _ := strings.Cut(a.Action, ":")
	return ctxKey{
		typ: c.Type, account: c.Account, arn: c.ARN, principalARN: c.PrincipalARN, userID: c.UserID, name: c.Name,
		accessKeyID: c.AccessKeyID, sourceIP: c.SourceIP, region: r.Region, via: r.Via, service: service,
		temporary: !c.Expires.IsZero(), second: r.Now.Unix(), iamGen: iamGen,
	}
}

// get returns the remembered context for k and the service keys, or nil.
func (m *ctxMemo) get(k ctxKey, keys map[string][]string) *policy.Context {
	m.mu.Lock()
	e := m.m[k.arn]
	m.mu.Unlock()
	if e == nil || e.key != k || !maps.EqualFunc(e.svc, keys, slices.Equal[[]string]) {
		return nil
	}
	return e.ctx
}

// put remembers ctx, built from k and keys, as the caller's latest.
func (m *ctxMemo) put(k ctxKey, keys map[string][]string, ctx *policy.Context) {
	e := &ctxEntry{key: k, svc: make(map[string][]string, len(keys)), ctx: ctx}
	for name, vals := range keys {
		e.svc[name] = slices.Clone(vals)
	}
	m.mu.Lock()
	if m.m == nil || len(m.m) >= ctxMemoMax {
		m.m = map[string]*ctxEntry{}
	}
	m.m[k.arn] = e
	m.mu.Unlock()
}
