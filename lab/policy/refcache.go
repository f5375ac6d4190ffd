package policy

// A statement's cache (stmtCache.refs) remembers the decisive-statement
// list last built for decisions whose first decisive statement is that
// statement. Evaluations that repeat a decision (the usual case: the same
// caller doing the same thing) return the remembered slice instead of
// allocating a new one. A cached list is returned only when every entry
// equals what would be built, so a cache shared by copies of a Statement is
// still correct.

type refEntry struct {
	refs []StatementRef
}

// statementRefs returns the StatementRefs of hits. The slice may be shared
// with other decisions (Decision.Statements documents it as read-only); its
// capacity equals its length, so appending to it copies.
func statementRefs(hits *hitList) []StatementRef {
	cache := hits.at(0).st.cache
	if cache != nil {
		if c := cache.refs.Load(); c != nil && sameRefs(c.refs, hits) {
			return c.refs
		}
	}
	out := make([]StatementRef, hits.n)
	for i := range out {
		h := hits.at(i)
		out[i] = StatementRef{Policy: h.named.Name, Sid: h.st.Sid, Index: h.st.Index, Effect: h.st.Effect}
	}
	if cache != nil {
		cache.refs.Store(&refEntry{refs: out})
	}
	return out
}

func sameRefs(refs []StatementRef, hits *hitList) bool {
	if len(refs) != hits.n {
		return false
	}
	for i := range refs {
		h, r := hits.at(i), &refs[i]
		if r.Index != h.st.Index || r.Policy != h.named.Name || r.Sid != h.st.Sid || r.Effect != h.st.Effect {
			return false
		}
	}
	return true
}
