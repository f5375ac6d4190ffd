package policy

import (
	"sort"
	"strings"
)

// Context holds request context keys ("aws:SourceIp", "kms:ViaService", ...).
// Keys are case-insensitive, as in AWS; every key may carry several values
// (multivalued keys such as aws:TagKeys). A nil *Context is an empty context.
// Nothing is derived automatically: a key is present only if it was Set.
type Context struct {
	m     map[string][]string // lowercased key -> values
	names map[string]string   // lowercased key -> key as first set
}

// NewContext returns an empty context.
func NewContext() *Context {
	return &Context{m: make(map[string][]string, 8), names: make(map[string]string, 8)}
}

// Set sets key to values, replacing earlier values. Set with no values
// makes the key present but empty (ForAllValues and Null treat an empty key
// as absent, as AWS does).
func (c *Context) Set(key string, values ...string) {
	if c.m == nil {
		c.m = make(map[string][]string, 8)
		c.names = make(map[string]string, 8)
	}
	lk := strings.ToLower(key)
	c.m[lk] = append([]string(nil), values...)
	if _, ok := c.names[lk]; !ok {
		c.names[lk] = key
	}
}

// Get returns the values of key, matched case-insensitively.
func (c *Context) Get(key string) ([]string, bool) {
	if c == nil || c.m == nil {
		return nil, false
	}
	v, ok := c.m[strings.ToLower(key)]
	return v, ok
}

// Keys returns the keys as first set, sorted.
func (c *Context) Keys() []string {
	if c == nil {
		return nil
	}
	out := make([]string, 0, len(c.names))
	for _, n := range c.names {
		out = append(out, n)
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
	for k, v := range c.m {
		n.m[k] = append([]string(nil), v...)
		n.names[k] = c.names[k]
	}
	return n
}

// lookup finds an already lowercased key without allocating.
func (c *Context) lookup(lower string) ([]string, bool) {
	if c == nil || c.m == nil {
		return nil, false
	}
	v, ok := c.m[lower]
	return v, ok
}
