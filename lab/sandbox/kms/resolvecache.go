package kms

import "sync"

// resolveCache remembers what KeyIds resolved to while the store's
// generation (svc.Generational) stays the same, so the hot operations
// need no read transaction to find their key. Only successful lookups are
// remembered; whether a key's deletion date has passed is checked on every
// use, as it depends on the clock.
type resolveCache struct {
	mu  sync.RWMutex
	gen uint64
	m   map[resolveKey]target
}

type resolveKey struct{ account, region, res string }

const resolveCacheMax = 4096

func (c *resolveCache) get(gen uint64, k resolveKey) (target, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.gen != gen || c.m == nil {
		return target{}, false
	}
	t, ok := c.m[k]
	return t, ok
}

// put remembers t, found under generation gen (read before the lookup).
func (c *resolveCache) put(gen uint64, k resolveKey, t target) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case gen < c.gen:
		return // found under an older generation: possibly stale
	case gen > c.gen || c.m == nil || len(c.m) >= resolveCacheMax:
		c.gen, c.m = gen, map[resolveKey]target{}
	}
	c.m[k] = t
}
