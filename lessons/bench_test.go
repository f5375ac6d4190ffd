package lessons

import "testing"

// BenchmarkLoadBuiltin measures parsing the whole built-in course, the
// fixed cost of every seclab command that needs lessons.
func BenchmarkLoadBuiltin(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(course); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLintBuiltin measures `seclab lessons lint` on the built-in course.
func BenchmarkLintBuiltin(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = LintBuiltin()
	}
}
