package kms

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
)

// paginate returns the page of items that starts at marker (an opaque
// position from a previous page) and holds at most limit items (default
// def, at most max), and the marker of the next page ("" when none).
func paginate[T any](items []T, limit *int, marker string, def, max int) ([]T, string, error) {
	n := def
	if limit != nil {
		n = *limit
		if n < 1 || n > max {
			return nil, "", errConstraint("limit", boundMessage(n, 1, max))
		}
	}
	start := 0
	if marker != "" {
		i, err := strconv.Atoi(marker)
		if err != nil || i < 0 || i > len(items) {
			return nil, "", kmsErr("InvalidMarkerException", "Invalid marker: %s", marker) // UNCONFIRMED wording
		}
		start = i
	}
	end := min(start+n, len(items))
	next := ""
	if end < len(items) {
		next = strconv.Itoa(end)
	}
	return items[start:end], next, nil
}

// nonNil turns a nil slice into an empty one, so lists marshal as [].
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func decodeJSON(raw []byte, v any) error { return json.Unmarshal(raw, v) }

func itoa(n int) string { return strconv.Itoa(n) }

func sortAliases(a []aliasListEntry) {
	slices.SortFunc(a, func(x, y aliasListEntry) int { return strings.Compare(x.AliasName, y.AliasName) })
}
