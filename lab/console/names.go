package console

import (
	"regexp"
	"sort"
	"strings"
)

// The AWS CLI derives command and flag names from the API model's
// CamelCase names with three rewrites: a trailing run of capitals followed
// by "s" ("ListMFADevices" → "list-mfa-devices") is split off first, then a
// word boundary is inserted before every capitalised word and after every
// lower-case letter or digit that is followed by a capital.
var (
	pluralCaps = regexp.MustCompile(`[A-Z]{2,}s$`)
	firstCap   = regexp.MustCompile(`(.)([A-Z][a-z]+)`)
	endCap     = regexp.MustCompile(`([a-z0-9])([A-Z])`)
)

// Kebab converts an API name (operation or member) to the AWS CLI's
// spelling: "GenerateDataKeyPair" → "generate-data-key-pair",
// "KmsKeyId" → "kms-key-id".
func Kebab(name string) string {
	if strings.Contains(name, "-") {
		return name
	}
	if m := pluralCaps.FindString(name); m != "" {
		name = name[:len(name)-len(m)] + "-" + strings.ToLower(m)
	}
	s := firstCap.ReplaceAllString(name, "${1}-${2}")
	return strings.ToLower(endCap.ReplaceAllString(s, "${1}-${2}"))
}

// closeMatches returns the candidates most similar to word, best first,
// with the similarity measure and cut-off the AWS CLI uses for its "maybe
// you meant" suggestions (Python difflib's ratio, at least 0.8). Up to
// three are returned.
func closeMatches(word string, candidates []string) []string {
	return closeMatchesCutoff(word, candidates, 0.8)
}

// closeMatchesCutoff is closeMatches with another similarity cut-off.
func closeMatchesCutoff(word string, candidates []string, cutoff float64) []string {
	type scored struct {
		s     string
		ratio float64
	}
	var out []scored
	for _, c := range candidates {
		if r := ratio(word, c); r >= cutoff {
			out = append(out, scored{c, r})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ratio > out[j].ratio })
	var names []string
	for i := 0; i < len(out) && i < 3; i++ {
		names = append(names, out[i].s)
	}
	return names
}

// ratio is 2·M/T where M counts the characters in the matching blocks
// found by repeatedly taking the longest common substring (the
// Ratcliff/Obershelp measure) and T is the total length.
func ratio(a, b string) float64 {
	if len(a)+len(b) == 0 {
		return 1
	}
	return 2 * float64(matching(a, b)) / float64(len(a)+len(b))
}

func matching(a, b string) int {
	if a == "" || b == "" {
		return 0
	}
	bi, ai, n := 0, 0, 0
	for i := 0; i < len(a); i++ {
		for j := 0; j < len(b); j++ {
			k := 0
			for i+k < len(a) && j+k < len(b) && a[i+k] == b[j+k] {
				k++
			}
			if k > n {
				ai, bi, n = i, j, k
			}
		}
	}
	if n == 0 {
		return 0
	}
	return n + matching(a[:ai], b[:bi]) + matching(a[ai+n:], b[bi+n:])
}
