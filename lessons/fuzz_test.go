package lessons

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary text to the lesson parser: it must never panic,
// and every problem it reports must name the file and a line inside it.
func FuzzParse(f *testing.F) {
	f.Add([]byte(minimal))
	f.Add([]byte("---\n---\n"))
	f.Add([]byte("---\nid: [\n---\n## Step 1: x\n```seclab-step\n: :\n```\n"))
	seeds, _ := filepath.Glob("testdata/*/*/lesson.md")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		l, probs := Parse("x/lesson.md", data)
		if l == nil {
			t.Fatal("Parse returned a nil lesson")
		}
		lines := strings.Count(string(data), "\n") + 2
		for _, p := range probs {
			if p.File != "x/lesson.md" || p.Line < 0 || p.Line > lines {
				t.Fatalf("problem outside the file (%d lines): %+v", lines, p)
			}
		}
		if len(probs) == 0 {
			lintLesson(l) // a valid lesson must also lint without panicking
			if len(l.Steps) == 0 || l.ID == "" {
				t.Fatalf("no problems but an incomplete lesson: %+v", l)
			}
		}
	})
}
