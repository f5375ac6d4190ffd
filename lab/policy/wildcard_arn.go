package policy

// globARN matches a resource ARN against a Resource pattern as the IAM
// User Guide describes it (Resource element, "Including wildcards in
// resource ARNs"): * and ? work within the colon-separated segments, and a
// * that is the last character of a segment (followed by ":" or the end of
// the pattern) can expand beyond the colon boundaries. ? never matches a
// colon. Matching is case-sensitive. It simulates the pattern as an NFA so
// that any combination of stars is matched correctly in O(len(s)·len(p)).
func globARN(pattern, s string) bool {
	m := len(pattern) + 1
	var bufA, bufB [4]uint64
	cur, next := bufA[:], bufB[:]
	if words := (m + 63) / 64; words > len(bufA) {
		cur, next = make([]uint64, words), make([]uint64, words)
	} else {
		cur, next = cur[:words], next[:words]
	}
	set := func(b []uint64, j int) { b[j>>6] |= 1 << (j & 63) }
	has := func(b []uint64, j int) bool { return b[j>>6]&(1<<(j&63)) != 0 }
	// closure adds the states reachable through stars matching nothing.
	closure := func(b []uint64) {
		for j := 0; j < len(pattern); j++ {
			if pattern[j] == '*' && has(b, j) {
				set(b, j+1)
			}
		}
	}
	set(cur, 0)
	closure(cur)
	for i := 0; i < len(s); i++ {
		ch := s[i]
		for w := range next {
			next[w] = 0
		}
		any := false
		for j := 0; j < len(pattern); j++ {
			if !has(cur, j) {
				continue
			}
			switch c := pattern[j]; c {
			case '*':
				if ch != ':' || j+1 == len(pattern) || pattern[j+1] == ':' {
					set(next, j)
					any = true
				}
			case '?':
				if ch != ':' {
					set(next, j+1)
					any = true
				}
			case patEscape:
				if j+1 < len(pattern) && pattern[j+1] == ch {
					set(next, j+2)
					any = true
				}
			default:
				if c == ch {
					set(next, j+1)
					any = true
				}
			}
		}
		if !any {
			return false
		}
		closure(next)
		cur, next = next, cur
	}
	return has(cur, len(pattern))
}
