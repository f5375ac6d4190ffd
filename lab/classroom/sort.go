package classroom

import "sort"

// sortTrail orders trail lines by time, stably.
func sortTrail(l []TrailLine) {
	sort.SliceStable(l, func(i, j int) bool { return l[i].Time.Before(l[j].Time) })
}
