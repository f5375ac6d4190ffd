package policy

import (
	"sort"
	"strings"
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
		c.entries[i].values = vals
		return
	}
	c.entries = append(c.entries, centry{lower: lk, name: key, values: vals})
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

// Clone returns an independent copy of c (nil for nil).
func (c *Context) Clone() *Context {
	if c == nil {
		return nil
	}
	n := NewContext()
	for _, e := range c.entries {
		n.Set(e.name, e.values...)
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
	for i := range c.entries {
		if c.entries[i].lower == lower {
			return i
		}
	}
	return -1
}

// lookup finds an already lowercased key without allocating.
func (c *Context) lookup(lower string) ([]string, bool) {
	i := c.find(lower)
	if i < 0 {
		return nil, false
	}
	return c.entries[i].values, true
}
