package sandbox

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/google/go-cmp/cmp"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// TestTrailExplanations checks where explanations go: every authorized
// event a subscriber receives can explain itself, and trail.jsonl keeps
// the explanation of denied calls only.
func TestTrailExplanations(t *testing.T) {
	dir := t.TempDir()
	s := start(t, WithStateDir(dir))
	ctx := context.Background()
	makeUser(t, s, "bob")
	events, cancel := s.Subscribe()
	defer cancel()
	if _, err := iam.NewFromConfig(s.Config("learner")).ListUsers(ctx, &iam.ListUsersInput{}); err != nil {
		t.Fatal(err)
	}
	if _, err := iam.NewFromConfig(s.Config("bob")).ListUsers(ctx, &iam.ListUsersInput{}); err == nil {
		t.Fatal("bob may list users without a policy")
	}
	type seen struct {
		Principal, Decision string
		Explains, InFile    bool
	}
	var got []seen
	for range 2 {
		e := <-events
		x := e.ExplanationJSON()
		if !json.Valid(x) || !strings.Contains(string(x), "iam:ListUsers") {
			t.Errorf("%s's explanation = %.200s", e.PrincipalName, x)
		}
		got = append(got, seen{Principal: e.PrincipalName, Decision: e.Decision, Explains: len(x) > 0})
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	i := 0
	err := ReadTrail(ctx, filepath.Join(dir, TrailFile), false, func(e svc.Event) error {
		if e.Action != "iam:ListUsers" {
			return nil
		}
		if i < len(got) {
			got[i].InFile = json.Valid(e.Explanation) && len(e.Explanation) > 0
		}
		i++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []seen{
		{Principal: "learner", Decision: "Allowed", Explains: true, InFile: false},
		{Principal: "bob", Decision: "ImplicitlyDenied", Explains: true, InFile: true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("explanations (-want +got):\n%s", diff)
	}
}
