package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWorkspaceFile checks that `edit FILE` only reaches files inside the
// lesson's workspace, whatever the name or the links in the way.
func TestWorkspaceFile(t *testing.T) {
	root := t.TempDir()
	ws := filepath.Join(root, "workspace")
	outside := filepath.Join(root, "outside")
	for _, d := range []string{ws, outside, filepath.Join(ws, "sub")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{filepath.Join(ws, "policy.json"), filepath.Join(outside, "secret.txt")} {
		if err := os.WriteFile(f, []byte("{}"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{
		"out-file":  filepath.Join(outside, "secret.txt"),
		"out-dir":   outside,
		"dangling":  filepath.Join(outside, "new.txt"),
		"in-file":   "policy.json",
		"rel-out":   "../outside/secret.txt",
		"dangle-in": "sub/later.json",
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(ws, name)); err != nil {
			t.Skipf("symbolic links unavailable: %v", err)
		}
	}
	tests := []struct {
		name string
		ok   bool
	}{
		{"policy.json", true},
		{"new.json", true},
		{"sub/new.json", true},
		{"sub/../policy.json", true},
		{filepath.Join(ws, "policy.json"), true},
		{"in-file", true},
		{"dangle-in", true},
		{"../../etc/passwd", false},
		{"../outside/secret.txt", false},
		{"/etc/passwd", false},
		{filepath.Join(outside, "secret.txt"), false},
		{".", false},
		{"", false},
		{"out-file", false},
		{"out-dir/secret.txt", false},
		{"out-dir/new.txt", false},
		{"dangling", false},
		{"rel-out", false},
	}
	for _, tc := range tests {
		path := tc.name
		if !filepath.IsAbs(path) {
			path = filepath.Join(ws, filepath.FromSlash(path))
		}
		got, err := workspaceFile(ws, path, tc.name)
		if tc.ok && (err != nil || got != path) {
			t.Errorf("%q: got %q, %v; want %q", tc.name, got, err, path)
		}
		if !tc.ok && err == nil {
			t.Errorf("%q: got %q, want an error", tc.name, got)
		}
	}
	if _, err := workspaceFile("", filepath.Join(ws, "x"), "x"); err == nil {
		t.Error("no workspace: want an error")
	}
}
