package ui

import "testing"

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
