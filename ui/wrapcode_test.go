package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/google/go-cmp/cmp"
)

func TestWrapCommand(t *testing.T) {
	tests := []struct {
		name  string
		line  string
		width int
		want  []string
	}{
		{"fits", "aws kms list-keys", 40, []string{"aws kms list-keys"}},
		{"flags stay with their values", "aws secretsmanager create-secret --name seclab/app/api-token --secret-string tok-8421", 34,
			[]string{"aws secretsmanager create-secret", "    --name seclab/app/api-token", "    --secret-string tok-8421"}},
		{"a lone flag", "aws kms create-key --description demo --multi-region --tags TagKey=a,TagValue=b", 30,
			[]string{"aws kms create-key", "    --description demo", "    --multi-region", "    --tags TagKey=a,TagValue=b"}},
		{"indented JSON keeps its indentation", `    "Action": "secretsmanager:GetSecretValue",`, 30,
			[]string{`    "Action":`, `        "secretsmanager:GetSec`, `        retValue",`}},
		{"a word wider than the line is cut", "aws kms decrypt --ciphertext-blob fileb://a-very-long-name.bin", 20,
			[]string{"aws kms decrypt", "    --ciphertext-blo", "    b", "    fileb://a-very-l", "    ong-name.bin"}},
		{"a quoted value stays whole", `aws kms create-key --description "seclab app secrets" --tags TagKey=a,TagValue=b`, 38,
			[]string{"aws kms create-key", `    --description "seclab app secrets"`, "    --tags TagKey=a,TagValue=b"}},
		{"a quoted value too long for a line", `aws kms create-key --description "a b c d e f g h i j k l m n o p"`, 24,
			[]string{"aws kms create-key", "    --description", "    \"a b c d e f g h i j", "    k l m n o p\""}},
		{"a flag and its quoted value on two lines", `aws kms create-key --description "seclab app secrets"`, 30,
			[]string{"aws kms create-key", "    --description", `    "seclab app secrets"`}},
		{"tiny width", "aws kms", 1, []string{"a", "w", "s", "k", "m", "s"}},
	}
	for _, tc := range tests {
		got := wrapCommand(tc.line, tc.width)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
		for _, l := range got {
			if w := ansi.StringWidth(l); w > tc.width {
				t.Errorf("%s: line %q is %d cells, over %d", tc.name, l, w, tc.width)
			}
		}
	}
}

func TestWrapWordsNeverSplitsAtHyphens(t *testing.T) {
	got := wrapWords("Run aws secretsmanager get-secret-value --secret-id seclab/app/api-token to read it.", 24, "")
	want := "Run aws secretsmanager\nget-secret-value\n--secret-id\nseclab/app/api-token to\nread it."
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// FuzzWrapCommand: any line wraps within the width, loses no words'
// characters, and never panics.
func FuzzWrapCommand(f *testing.F) {
	f.Add("aws secretsmanager create-secret --name x --secret-string y", 12)
	f.Add("  界界界 --x", 3)
	f.Fuzz(func(t *testing.T, line string, width int) {
		width = width%80 + 1
		if width < 1 {
			width += 80
		}
		line = strings.ReplaceAll(ansi.Strip(line), "\n", " ")
		got := wrapCommand(line, width)
		joined := strings.Join(strings.Fields(strings.Join(got, "")), "")
		if want := strings.Join(strings.Fields(line), ""); joined != want && ansi.StringWidth(line) > width {
			t.Errorf("wrap lost text: %q -> %q", line, got)
		}
	})
}

func TestPastedLine(t *testing.T) {
	wrapped := strings.Join(wrapCommand("aws secretsmanager create-secret --name seclab/app/api-token --secret-string tok-8421", 34), "\n")
	tests := []struct{ in, want string }{
		{"aws kms list-keys", "aws kms list-keys"},
		{"aws kms list-keys\n", "aws kms list-keys"},
		{wrapped, "aws secretsmanager create-secret --name seclab/app/api-token --secret-string tok-8421"},
		{"aws kms list-keys\r\n    --max-items 1\r\naws kms create-key", "aws kms list-keys --max-items 1"},
		{"first\nsecond", "first"},
		{"aws kms create-key\r    --description demo\rnext", "aws kms create-key --description demo"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := pastedLine(tc.in); got != tc.want {
			t.Errorf("pastedLine(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
