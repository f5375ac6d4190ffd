package policy

import (
	"net/netip"
	"sort"
	"strings"
	"sync/atomic"
)

// Context holds request context keys ("aws:SourceIp", "kms:ViaService", ...).
// Keys are case-insensitive, as in AWS; every key may carry several values
// (multivalued keys such as aws:TagKeys). A nil *Context is an empty context.
// Nothing is derived automatically: a key is present only if it was Set.
// A Context may be read by concurrent evaluations but not changed during
// them.
type Context struct {
	entries []centry       // in insertion order
	index   map[string]int // lowercased key -> entry, for large contexts
}

type centry struct {
	lower  string
	name   string
	values []string
	// addrs holds the values of an IP-address key (aws:SourceIp, ...)
	// parsed once at Set, so that IpAddress conditions do not parse them
	// on every evaluation; nil for other keys.
	addrs []parsedAddr
}

// parsedAddr is a context value parsed as an IP address; ok is false when
// it is not one.
type parsedAddr struct {
	a  netip.Addr
	ok bool
}

// parseAddr parses a context value the way IpAddress conditions read it.
func parseAddr(v string) parsedAddr {
	a, err := netip.ParseAddr(strings.TrimSpace(v))
	if err != nil {
		return parsedAddr{}
	}
	return parsedAddr{a: a.WithZone(""), ok: true}
}

// ipKeys are the lowercased global condition keys of type IPAddress.
var ipKeys = func() map[string]bool {
	m := map[string]bool{}
	for k, t := range globalKeys {
		if t == "IPAddress" {
			m[strings.ToLower(k)] = true
		}
	}
	return m
}()

func newEntry(lower, name string, values []string) centry {
	e := centry{lower: lower, name: name, values: values}
	if ipKeys[lower] {
		e.addrs = make([]parsedAddr, len(values))
		for i, v := range values {
			e.addrs[i] = parseAddr(v)
		}
	}
	return e
}

// addr returns the parsed form of value i, or nil when the key's values
// are not parsed ahead.
func (e *centry) addr(i int) *parsedAddr {
	if e == nil || i >= len(e.addrs) {
		return nil
	}
	return &e.addrs[i]
}

// indexAbove is the size from which lookups go through a map; below it a
// linear scan is faster than hashing the key.
const indexAbove = 16

// NewContext returns an empty context.
func NewContext() *Context {
	return &Context{entries: make([]centry, 0, 12)}
}

// Set sets key to values, replacing earlier values. Set with no values
// makes the key present but empty (ForAllValues and Null treat an empty key
// as absent, as AWS does).
func (c *Context) Set(key string, values ...string) {
	lk := strings.ToLower(key)
	vals := append([]string(nil), values...)
	if i := c.find(lk); i >= 0 {
		c.entries[i] = newEntry(lk, c.entries[i].name, vals)
		return
	}
	c.entries = append(c.entries, newEntry(lk, key, vals))
	if len(c.entries) > indexAbove {
		if c.index == nil {
			c.index = make(map[string]int, 2*indexAbove)
			for i, e := range c.entries {
				c.index[e.lower] = i
			}
		}
		c.index[lk] = len(c.entries) - 1
	}
}

// Get returns the values of key, matched case-insensitively.
func (c *Context) Get(key string) ([]string, bool) {
	return c.lookup(strings.ToLower(key))
}

// Keys returns the keys as first set, sorted.
func (c *Context) Keys() []string {
	if c == nil {
		return nil
	}
	out := make([]string, 0, len(c.entries))
	for _, e := range c.entries {
		out = append(out, e.name)
	}
	sort.Strings(out)
	return out
}

// Clone returns an independent copy of c (nil for nil): Set on either
// context does not affect the other. It copies the entries directly, so a
// caller that keeps one base context and clones it per request pays one
// allocation (two for contexts above the indexed size).
func (c *Context) Clone() *Context {
	if c == nil {
		return nil
	}
	n := &Context{entries: make([]centry, len(c.entries), max(len(c.entries)+4, 12))}
	// Entries are copied as they are: Set never changes a value slice in
	// place, it replaces it, so the copies may share them.
	copy(n.entries, c.entries)
	if c.index != nil {
		n.index = make(map[string]int, len(c.index))
		for k, v := range c.index {
			n.index[k] = v
		}
	}
	return n
}

func (c *Context) find(lower string) int {
	if c == nil {
		return -1
	}
	if c.index != nil {
		if i, ok := c.index[lower]; ok {
			return i
		}
		return -1
	}
	n := len(lower)
	if n == 0 {
		for i := range c.entries {
			if c.entries[i].lower == "" {
				return i
			}
		}
		return -1
	}
	last := lower[n-1]
	for i := range c.entries {
		// Comparing the length and the last byte first rejects most keys
		// of the same length ("aws:sourceip", "aws:username") without a
		// full comparison.
		if k := c.entries[i].lower; len(k) == n && k[n-1] == last && k == lower {
			return i
		}
	}
	return -1
}

// entry finds an already lowercased key; nil when absent.
func (c *Context) entry(lower string) *centry {
	i := c.find(lower)
	if i < 0 {
		return nil
	}
	return &c.entries[i]
}

// entryAt is entry with a remembered position: it tries the slot where
// the key was last found before scanning, and updates the slot when the
// key has moved. slot may be nil.
func (c *Context) entryAt(lower string, slot *atomic.Int32) *centry {
	if c == nil {
		return nil
	}
	if slot == nil || c.index != nil {
		return c.entry(lower)
	}
	if h := int(slot.Load()); h < len(c.entries) && c.entries[h].lower == lower {
		return &c.entries[h]
	}
	i := c.find(lower)
	if i < 0 {
		return nil
	}
	slot.Store(int32(i))
	return &c.entries[i]
}

// lookup finds an already lowercased key without allocating.
func (c *Context) lookup(lower string) ([]string, bool) {
	i := c.find(lower)
	if i < 0 {
		return nil, false
	}
	return c.entries[i].values, true
}
