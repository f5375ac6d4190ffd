package policy

// glob matches s against pattern, where * matches any run of characters
// (including : and /) and ? exactly one character. A patEscape byte makes
// the following pattern byte literal. With fold, ASCII letters compare
// case-insensitively; the pattern must then already be lower case.
func glob(pattern, s string, fold bool) bool {
	p, i := 0, 0
	starP, starI := -1, 0
	for i < len(s) {
		if p < len(pattern) {
			c := pattern[p]
			switch c {
			case '*':
				starP, starI = p, i
				p++
				continue
			case '?':
				p++
				i = nextRune(s, i)
				continue
			case patEscape:
				if p+1 < len(pattern) {
					if pattern[p+1] == s[i] {
						p += 2
						i++
						continue
					}
				}
			default:
				d := s[i]
				if fold && d >= 'A' && d <= 'Z' {
					d += 'a' - 'A'
				}
				if c == d {
					p++
					i++
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		starI++
		i = starI
		p = starP + 1
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// nextRune returns the index after the UTF-8 sequence starting at i, so
// that ? matches one character rather than one byte.
func nextRune(s string, i int) int {
	i++
	for i < len(s) && s[i]&0xC0 == 0x80 {
		i++
	}
	return i
}

// hasWildcard reports whether s contains * or ?.
func hasWildcard(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '*' || s[i] == '?' {
			return true
		}
	}
	return false
}

// equalFoldASCII compares ASCII case-insensitively without allocating;
// lower must already be lower case.
func equalFoldLower(lower, s string) bool {
	if len(lower) != len(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		d := s[i]
		if d >= 'A' && d <= 'Z' {
			d += 'a' - 'A'
		}
		if lower[i] != d {
			return false
		}
	}
	return true
}
