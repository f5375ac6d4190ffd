package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestLabelBareFences(t *testing.T) {
	tests := []struct{ in, want string }{
		{"```\naws kms list-keys\n```", "```text\naws kms list-keys\n```"},
		{"```json\n{}\n```\n```\nx\n```", "```json\n{}\n```\n```text\nx\n```"},
		{"````\n```\n````", "````text\n```\n````"},
		{"~~~\n```\n~~~", "~~~text\n```\n~~~"},
		{"    ```\nindented code", "    ```\nindented code"},
		{"text ``` inline", "text ``` inline"},
	}
	for _, tt := range tests {
		if got := labelBareFences(tt.in); got != tt.want {
			t.Errorf("labelBareFences(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestLessonCodeWrapsAtSpaces: the lesson pane's code blocks wrap at
// spaces with a hanging indent, at every width, in lists too.
func TestLessonCodeWrapsAtSpaces(t *testing.T) {
	cmd := "aws secretsmanager create-secret --name seclab/app/db-password --kms-key-id alias/seclab-app --secret-string first-password"
	md := "Run:\n\n```\n" + cmd + "\n```\n\n1. Then:\n\n   ```bash\n   " + cmd + "\n   ```\n"
	for _, w := range []int{30, 46, 66, 90} {
		out := ansi.Strip(renderMarkdown(md, w, "notty"))
		words := map[string]int{}
		for _, f := range strings.Fields(out) {
			words[f]++
		}
		for _, f := range strings.Fields(cmd) {
			if w >= 40 && words[f] < 2 { // narrower, the longest words are cut
				t.Errorf("width %d: %q is not whole in both blocks:\n%s", w, f, out)
			}
		}
		for _, l := range strings.Split(out, "\n") {
			if ansi.StringWidth(l) > w {
				t.Errorf("width %d: line over width: %q", w, l)
			}
		}
	}
	got := wrapFencedCode("x\n```\naws kms create-key --description demo\n```\n~~~\n  ```\n~~~", 24)
	want := "x\n```\naws kms create-key\n    --description demo\n```\n~~~\n  ```\n~~~"
	if got != want {
		t.Errorf("wrapFencedCode = %q, want %q", got, want)
	}
}
