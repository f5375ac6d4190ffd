package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/seclab-dev/seclab/lab/sandbox"
	"github.com/seclab-dev/seclab/lab/session"
)

// startPublished starts a sandbox in dir with its files written and the
// endpoint file dated at.
func startPublished(t testing.TB, dir string, at time.Time) *sandbox.Server {
	t.Helper()
	sb := sandbox.New(sandbox.WithStateDir(dir))
	if err := sb.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	if err := sb.WriteProfiles(); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(filepath.Join(dir, sandbox.EndpointFile), at, at); err != nil {
		t.Fatal(err)
	}
	return sb
}

func TestFindRunningSandbox(t *testing.T) {
	state := t.TempDir()
	standalone := filepath.Join(state, "sandbox")
	now := time.Now()
	// A crashed lesson sandbox: its files remain, nothing answers.
	stale := startPublished(t, session.SandboxDir(state, "stale"), now)
	endpointFile := filepath.Join(stale.Dir(), sandbox.EndpointFile)
	b, err := os.ReadFile(endpointFile)
	if err != nil {
		t.Fatal(err)
	}
	stale.Close()
	if err := os.WriteFile(endpointFile, b, 0o600); err != nil { // as if it crashed
		t.Fatal(err)
	}

	if _, err := findRunningSandbox(standalone, state); !errors.Is(err, errNoSandbox) {
		t.Fatalf("with only a stale file: %v, want errNoSandbox", err)
	}
	older := startPublished(t, session.SandboxDir(state, "older"), now.Add(-2*time.Minute))
	newer := startPublished(t, session.SandboxDir(state, "newer"), now.Add(-time.Minute))
	type pick struct{ URL, Lesson string }
	got := func() pick {
		t.Helper()
		f, err := findRunningSandbox(standalone, state)
		if err != nil {
			t.Fatal(err)
		}
		return pick{f.Endpoint.URL, f.Lesson}
	}
	if diff := cmp.Diff(pick{newer.URL, "newer"}, got()); diff != "" {
		t.Errorf("lesson sandboxes (-want +got):\n%s", diff)
	}
	newer.Close()
	newer.RemoveEndpoint()
	if diff := cmp.Diff(pick{older.URL, "older"}, got()); diff != "" {
		t.Errorf("after the newer closed (-want +got):\n%s", diff)
	}
	alone := startPublished(t, standalone, now.Add(-time.Hour))
	if diff := cmp.Diff(pick{alone.URL, ""}, got()); diff != "" {
		t.Errorf("with the standalone sandbox (-want +got):\n%s", diff)
	}
}

func TestFindSandboxWaits(t *testing.T) {
	state := t.TempDir()
	start := time.Now()
	_, err := findSandbox(filepath.Join(state, "sandbox"), state, 300*time.Millisecond)
	if !errors.Is(err, errNoSandbox) {
		t.Fatalf("err = %v, want errNoSandbox", err)
	}
	if waited := time.Since(start); waited < 300*time.Millisecond {
		t.Errorf("gave up after %s, before --wait", waited)
	}
}

// BenchmarkFindRunningSandbox is `seclab sandbox env`'s search with no
// standalone sandbox, eight lessons' stale files and one running lesson.
func BenchmarkFindRunningSandbox(b *testing.B) {
	state := b.TempDir()
	now := time.Now()
	for i := range 8 {
		dir := session.SandboxDir(state, fmt.Sprintf("stale%d", i))
		if err := os.MkdirAll(dir, 0o700); err != nil {
			b.Fatal(err)
		}
		// A port nothing listens on: the connection is refused at once.
		os.WriteFile(filepath.Join(dir, sandbox.EndpointFile), []byte("http://127.0.0.1:1\n"), 0o600)
		os.WriteFile(filepath.Join(dir, sandbox.PersonasFile), []byte(`{"url":"http://127.0.0.1:1","region":"us-east-1"}`), 0o600)
		os.Chtimes(filepath.Join(dir, sandbox.EndpointFile), now, now)
	}
	startPublished(b, session.SandboxDir(state, "open"), now.Add(-time.Minute))
	standalone := filepath.Join(state, "sandbox")
	b.ResetTimer()
	for b.Loop() {
		if f, err := findRunningSandbox(standalone, state); err != nil || f.Lesson != "open" {
			b.Fatalf("found %+v, %v", f, err)
		}
	}
}
