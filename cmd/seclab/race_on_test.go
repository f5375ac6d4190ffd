//go:build race

package main

// raceEnabled reports whether the race detector is on: load tests scale
// down under it, since it slows every goroutine several times over.
const raceEnabled = true
