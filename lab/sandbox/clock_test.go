package sandbox

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"7d", 7 * 24 * time.Hour, true},
		{"36h", 36 * time.Hour, true},
		{"1d12h", 36 * time.Hour, true},
		{"90m", 90 * time.Minute, true},
		{"30d", 30 * 24 * time.Hour, true},
		{"", 0, false},
		{"d", 0, false},
		{"7x", 0, false},
		{"-1h", 0, false},
		{"999999d", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

func TestVirtualClockAdvancesAndPersists(t *testing.T) {
	base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	dir := t.TempDir()
	s := start(t, WithStateDir(dir), WithClock(fixedClock{base}))
	if err := s.Advance(-time.Hour); err == nil {
		t.Error("the clock moved backwards")
	}
	if err := s.Advance(7 * 24 * time.Hour); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(base.Add(7*24*time.Hour), s.Now()); diff != "" {
		t.Errorf("Now (-want +got):\n%s", diff)
	}
	s.Close()
	got, err := AdvanceClock(t.Context(), dir, time.Hour)
	if err != nil {
		t.Fatalf("advance a stopped sandbox: %v", err)
	}
	if d := got.Sub(time.Now()); d < 7*24*time.Hour {
		t.Errorf("offset after reopen = %s", d)
	}
}

func TestAdvanceClockThroughRunningSandbox(t *testing.T) {
	dir := t.TempDir()
	s := start(t, WithStateDir(dir))
	if err := s.WriteProfiles(); err != nil {
		t.Fatal(err)
	}
	before := s.Now()
	got, err := AdvanceClock(t.Context(), dir, 48*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if d := got.Sub(before); d < 48*time.Hour || d > 49*time.Hour {
		t.Errorf("advanced by %s", d)
	}
	if d := s.Now().Sub(before); d < 48*time.Hour {
		t.Errorf("running sandbox advanced by %s", d)
	}
}

func TestAdvanceClockWithStaleEndpoint(t *testing.T) {
	dir := t.TempDir()
	s := New(WithStateDir(dir))
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteProfiles(); err != nil {
		t.Fatal(err)
	}
	s.Close() // leaves the endpoint file behind, as kill -9 would
	if _, err := ReadEndpoint(dir); err != nil {
		t.Fatalf("endpoint file: %v", err)
	}
	if _, err := AdvanceClock(t.Context(), dir, time.Hour); err != nil {
		t.Errorf("advance with a stale endpoint file: %v", err)
	}
}
