package main

import (
	"io"
	"testing"
)

// BenchmarkListCommand measures `seclab list` in process: flag parsing,
// the built-in course (parsed once per process, as in the real binary,
// where BenchmarkLoadBuiltin in package lessons measures that parse),
// progress loading and the table.
func BenchmarkListCommand(b *testing.B) {
	b.Setenv("XDG_STATE_HOME", b.TempDir())
	b.ReportAllocs()
	for b.Loop() {
		root, _ := newRoot()
		root.SetArgs([]string{"list"})
		root.SetOut(io.Discard)
		if err := root.Execute(); err != nil {
			b.Fatal(err)
		}
	}
}
