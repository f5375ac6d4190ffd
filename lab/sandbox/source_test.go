package sandbox

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

func TestSourceHeaderMarksTrailEvent(t *testing.T) {
	s := start(t)
	events, cancel := s.Subscribe()
	defer cancel()
	creds := learnerCreds(t, s)
	tests := []struct {
		name, header, want string
	}{
		{"no header", "", ""},
		{"check", "check", "check"},
		{"unknown value is ignored", "learner", ""},
	}
	for _, tc := range tests {
		hdr := map[string]string{"Content-Type": formHeaders["Content-Type"]}
		if tc.header != "" {
			hdr[SourceHeader] = tc.header
		}
		if code, body := rawCall(t, s, "sts", hdr, stsBody, creds, time.Now().UTC(), nil); code != 200 {
			t.Fatalf("%s: status %d: %s", tc.name, code, body)
		}
		select {
		case e := <-events:
			if diff := cmp.Diff(tc.want, e.Source); diff != "" {
				t.Errorf("%s: Source (-want +got):\n%s", tc.name, diff)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: no trail event", tc.name)
		}
	}
	s.trail.Close()
	var got []string
	if err := ReadTrail(context.Background(), s.Dir()+"/"+TrailFile, false, func(e svc.Event) error {
		got = append(got, e.Source)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"", "check", ""}, got); diff != "" {
		t.Errorf("trail file sources (-want +got):\n%s", diff)
	}
}

func TestSubRequestKeepsSource(t *testing.T) {
	parent := &svc.Request{Service: "secretsmanager", Operation: "GetSecretValue"}
	parent.Event = svc.NewEvent(parent)
	parent.Event.Source = "check"
	sub := parent.Sub("kms", "Decrypt", "secretsmanager.us-east-1.amazonaws.com")
	if sub.Event.Source != "check" {
		t.Errorf("sub-request event Source = %q, want check", sub.Event.Source)
	}
}

func TestAppendEventEncodesSource(t *testing.T) {
	e := svc.Event{Action: "iam:GetUser", ReadOnly: true, Source: "check"}
	want, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(appendEvent(nil, &e))); diff != "" {
		t.Errorf("appendEvent (-encoding/json +got):\n%s", diff)
	}
}
