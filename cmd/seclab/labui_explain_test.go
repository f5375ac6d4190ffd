package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/seclab-dev/seclab/lab/policy"
	"github.com/seclab-dev/seclab/lessons"
	"github.com/seclab-dev/seclab/ui"
)

func TestExplanationText(t *testing.T) {
	x := policy.Explain(&policy.Input{Request: policy.Request{
		Principal: "arn:aws:iam::111122223333:user/alice", Action: "secretsmanager:GetSecretValue",
		Resource: "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf",
	}})
	raw, err := json.Marshal(x)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		raw  string
		want string
	}{
		{"a policy explanation", string(raw), x.String()},
		{"JSON of another shape", `{"decision":{"decision":"Maybe"},"path":[{"layer":"identity","outcome":"none"}],"policies":[],"message":"no"}`,
			"decision:\n  decision: Maybe\nmessage: no\npath:\n  -\n    layer: identity\n    outcome: none\npolicies: []"},
		{"not JSON", `{"decision":`, "(the explanation could not be read: unexpected end of JSON input)"},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, explanationText(json.RawMessage(tc.raw))); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

// TestUILabSecretExplanation reads a secret in lesson 3's lab and checks
// that every trail event's explanation, the forward-access kms:Decrypt
// included, reaches the trail pane as text.
func TestUILabSecretExplanation(t *testing.T) {
	pack, err := lessons.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var l *lessons.Lesson
	for _, c := range pack.Lessons {
		if c.Number == 3 {
			l = c
		}
	}
	if l == nil {
		t.Fatal("no lesson 3")
	}
	dir := t.TempDir()
	open, err := labHook(&globals{Target: "sandbox", StateDir: filepath.Join(dir, "state")})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	lab, err := open(ctx, l)
	if err != nil {
		t.Fatal(err)
	}
	defer lab.Close()
	// The steps pane shows hints with the lab's template values.
	if got := lab.(interface{ Expand(string) string }).Expand("{{run}}/app {{key_id}}"); got != "seclab/app {{key_id}}" {
		t.Errorf("Expand = %q", got)
	}
	for _, line := range []string{
		"aws secretsmanager create-secret --name uitest --secret-string s3cret",
		"aws secretsmanager get-secret-value --secret-id uitest",
	} {
		if res := lab.Exec(ctx, line); res.Err != nil {
			t.Fatalf("%s: %v", line, res.Err)
		}
	}
	var got *ui.TrailEvent
	for deadline := time.Now().Add(5 * time.Second); got == nil && time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		for _, e := range lab.Trail(0) {
			if e.Action == "secretsmanager:GetSecretValue" {
				got = &e
			}
		}
	}
	if got == nil {
		t.Fatal("no GetSecretValue event")
	}
	for _, e := range lab.Trail(0) {
		if x := e.ExplanationText(); strings.HasPrefix(strings.TrimSpace(x), "{") {
			t.Errorf("%s: raw JSON explanation: %.80s", e.Action, x)
		}
	}
	if x := got.ExplanationText(); !strings.Contains(x, "GetSecretValue") {
		t.Errorf("GetSecretValue explanation does not name the action:\n%s", x)
	}
}
