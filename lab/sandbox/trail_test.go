package sandbox

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

func TestTrailDropsForSlowSubscribers(t *testing.T) {
	dir := t.TempDir()
	tr, err := openTrail(dir, isReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	slow, cancelSlow := tr.Subscribe()
	defer cancelSlow()
	done := make(chan struct{})
	go func() {
		for i := 0; i < subscriberBuffer+100; i++ {
			tr.Record(&svc.Event{Action: "iam:ListUsers", RequestID: "r"})
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Record blocked on a subscriber that does not read")
	}
	if n := len(slow); n != subscriberBuffer {
		t.Errorf("slow subscriber holds %d events, want %d", n, subscriberBuffer)
	}
	e := <-slow
	if !e.ReadOnly {
		t.Error("iam:ListUsers not marked read-only")
	}
	if err := tr.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := <-slow; !ok {
		t.Error("channel closed while events were buffered")
	}
	b, err := os.ReadFile(filepath.Join(dir, TrailFile))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), "\n"); n != subscriberBuffer+100 {
		t.Errorf("trail file has %d lines, want %d", n, subscriberBuffer+100)
	}
}

func TestReadTrailSkipsTornLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), TrailFile)
	data := `{"action":"iam:CreateUser","requestId":"1"}` + "\n" + "not json\n" + `{"action":"iam:DeleteUser","requestId":"2"}` + "\n" + `{"action":"iam:Tor`
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	var got []string
	err := ReadTrail(context.Background(), path, false, func(e svc.Event) error {
		got = append(got, e.Action)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"iam:CreateUser", "iam:DeleteUser"}, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}

	// Following sees events appended later, then stops with its context.
	ctx, cancel := context.WithCancel(context.Background())
	seen := make(chan string, 10)
	go ReadTrail(ctx, path, true, func(e svc.Event) error {
		seen <- e.Action
		return nil
	})
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("\n" + `{"action":"kms:Encrypt"}` + "\n")
	f.Close()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case a := <-seen:
			if a == "kms:Encrypt" {
				cancel()
				return
			}
		case <-deadline:
			cancel()
			t.Fatal("follow did not see the appended event")
		}
	}
}
