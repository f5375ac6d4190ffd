package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/seclab-dev/seclab/lab/policy"
)

// This file turns a trail event's explanation, which the sandbox records
// as JSON, into the text the trail pane shows.

// explanationText renders an explanation for people. JSON that does not
// decode as a policy.Explanation (written by another version, say) is
// still shown readably, as indented "key: value" lines, never as raw JSON.
func explanationText(raw json.RawMessage) string {
	var x policy.Explanation
	err := json.Unmarshal(raw, &x)
	if err == nil {
		return x.String()
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return "(the explanation could not be read: " + err.Error() + ")"
	}
	var b strings.Builder
	writeValue(&b, v, 0)
	return strings.TrimRight(b.String(), "\n")
}

// writeValue writes a decoded JSON value as an indented outline.
func writeValue(b *strings.Builder, v any, depth int) {
	pad := strings.Repeat("  ", depth)
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if s, ok := scalar(v[k]); ok {
				fmt.Fprintf(b, "%s%s: %s\n", pad, k, s)
				continue
			}
			fmt.Fprintf(b, "%s%s:\n", pad, k)
			writeValue(b, v[k], depth+1)
		}
	case []any:
		for _, e := range v {
			if s, ok := scalar(e); ok {
				fmt.Fprintf(b, "%s- %s\n", pad, s)
				continue
			}
			fmt.Fprintf(b, "%s-\n", pad)
			writeValue(b, e, depth+1)
		}
	default:
		s, _ := scalar(v)
		fmt.Fprintf(b, "%s%s\n", pad, s)
	}
}

// scalar formats a JSON scalar (and empty containers) on one line.
func scalar(v any) (string, bool) {
	switch v := v.(type) {
	case nil:
		return "null", true
	case string:
		return v, true
	case bool, float64:
		return fmt.Sprint(v), true
	case map[string]any:
		return "{}", len(v) == 0
	case []any:
		return "[]", len(v) == 0
	}
	return fmt.Sprint(v), true
}
