package policy

import "strings"

// A statement's action set records which actions of the embedded catalog
// its Action or NotAction patterns match, one bit per catalog action. It is
// computed on the statement's first evaluation (parsing and validation do
// not pay for it) and kept in the statement's cache, so that the evaluator
// decides a catalog action (every kms, secretsmanager, iam and sts action
// seclab serves) with one bit test instead of matching each pattern.
// Actions outside the catalog still go through the compiled patterns.
// Matching is case-insensitive, so a bit computed for "kms:decrypt" holds
// for any spelling of the action.

// compileActionSet returns the bit set of catalog actions that any of the
// lowercased patterns matches (the NotAction inversion is applied by the
// evaluator, not here).
func compileActionSet(pats []pattern) []uint64 {
	c := loadCatalog()
	bits := make([]uint64, (len(c.names)+63)/64)
	set := func(id int32) { bits[id>>6] |= 1 << (id & 63) }
	for i := range pats {
		p := &pats[i]
		if p.kind == patAny {
			for id := range c.names {
				set(int32(id))
			}
			continue
		}
		if svc, _, ok := strings.Cut(p.s, ":"); ok && !hasWildcard(svc) {
			// Only the actions of the pattern's own service can match.
			for _, id := range c.svcIDs[svc] {
				if p.matchFold(c.names[id]) {
					set(id)
				}
			}
			continue
		}
		for id, name := range c.names {
			if p.matchFold(name) {
				set(int32(id))
			}
		}
	}
	return bits
}

// maxActionLen bounds the actions looked up in the catalog; longer names
// are not catalog actions.
const maxActionLen = 96

// catalogActionID returns the catalog number of action (case-insensitive),
// or -1 when the catalog does not list it. It does not allocate.
func catalogActionID(action string) int32 {
	if len(action) > maxActionLen {
		return -1
	}
	var buf [maxActionLen]byte
	b := buf[:len(action)]
	for i := 0; i < len(action); i++ {
		d := action[i]
		if d >= 'A' && d <= 'Z' {
			d += 'a' - 'A'
		}
		b[i] = d
	}
	if id, ok := loadCatalog().ids[string(b)]; ok {
		return id
	}
	return -1
}

// actionSet returns the statement's catalog action set, building it on
// first use. Concurrent first uses may both build it; either result is the
// same.
func (st *Statement) actionSet() []uint64 {
	if p := st.cache.actBits.Load(); p != nil {
		return *p
	}
	bits := compileActionSet(st.actions)
	st.cache.actBits.Store(&bits)
	return bits
}

// actionSetHas reports whether the set contains catalog action id.
func actionSetHas(bits []uint64, id int32) bool {
	return bits[id>>6]&(1<<(id&63)) != 0
}
