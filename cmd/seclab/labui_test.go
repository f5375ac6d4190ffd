package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/seclab-dev/seclab/lessons"
	"github.com/seclab-dev/seclab/ui"
)

// TestUILab drives the TUI's view of the lab: console lines, identity,
// checks, and the trail pane's events with their decisions.
func TestUILab(t *testing.T) {
	dir := t.TempDir()
	pack := filepath.Join(dir, "pack", "01-demo")
	if err := os.MkdirAll(pack, 0o700); err != nil {
		t.Fatal(err)
	}
	lesson := "---\nid: demo\ntitle: UI lab test\nsummary: Create a key.\nminutes: 1\ntargets: [sandbox]\n" +
		"personas:\n  - name: bob\n    managed_policies: [IAMReadOnlyAccess]\n---\n\n# UI lab test\n\n## Step 1: Create a key\n\nCreate a key.\n\n" +
		"```seclab-step\nid: key\nchecks:\n  - name: a key exists\n    run: aws kms list-keys\n    expect: {query: \"length(Keys) > `0`\", equals: true}\n" +
		"    fail: Create a key.\nhints:\n  - aws kms create-key\nsolution:\n  - run: aws kms create-key\n```\n"
	if err := os.WriteFile(filepath.Join(pack, "lesson.md"), []byte(lesson), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := lessons.LoadDir(filepath.Join(dir, "pack"))
	if err != nil {
		t.Fatal(err)
	}
	g := &globals{Target: "sandbox", StateDir: filepath.Join(dir, "state")}
	open, err := labHook(g)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	lab, err := open(ctx, p.Lessons[0])
	if err != nil {
		t.Fatal(err)
	}
	defer lab.Close()
	if got := lab.Identity(); got != "learner@111122223333 (sandbox)" {
		t.Errorf("Identity = %q", got)
	}
	if err := lab.Prepare(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if rep := lab.Check(ctx, 0); rep.Status() != ui.CheckFail || rep.Results[0].Message != "Create a key." {
		t.Errorf("check before = %+v", rep)
	}
	res := lab.Exec(ctx, "aws kms create-key --query KeyMetadata.KeyState --output text")
	if res.Err != nil || res.Output != "Enabled\n" {
		t.Fatalf("Exec = %+v", res)
	}
	select {
	case <-lab.Changes():
	case <-time.After(5 * time.Second):
		t.Fatal("no change signalled after CreateKey")
	}
	if rep := lab.Check(ctx, 0); rep.Status() != ui.CheckPass {
		t.Errorf("check after = %+v", rep)
	}
	res = lab.Exec(ctx, "as bob")
	if res.Identity != "bob@111122223333 (sandbox)" {
		t.Errorf("identity after as bob = %q", res.Identity)
	}
	if res = lab.Exec(ctx, "aws kms list-keys"); res.Err == nil {
		t.Fatal("bob listed keys")
	}
	var events []ui.TrailEvent
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		events = lab.Trail(0)
		if len(events) > 0 && events[len(events)-1].Action == "kms:ListKeys" && events[len(events)-1].Principal == "bob" {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	last := events[len(events)-1]
	if last.Decision != "DENY" || last.Principal != "bob" || last.ExplanationText() == "" {
		t.Errorf("last trail event = %+v", last)
	}
	var create *ui.TrailEvent
	for i := range events {
		if events[i].Action == "kms:CreateKey" {
			create = &events[i]
		}
	}
	if create == nil || create.Decision != "ALLOW" || !strings.Contains(create.Reason, "AdministratorAccess") {
		t.Errorf("CreateKey event = %+v", create)
	}
	if more := lab.Trail(last.Seq); len(more) != 0 {
		t.Errorf("Trail(after last) = %d events", len(more))
	}
	fe := lab.(ui.FileEditor)
	if p, err := fe.WorkspaceFile("policy.json"); err != nil || !strings.HasSuffix(p, filepath.Join("workspace", "demo", "policy.json")) {
		t.Errorf("WorkspaceFile = %q, %v", p, err)
	}
	if got := lab.(ui.Completer).Complete("aws kms list-ke", 15); len(got) == 0 || got[len(got)-1] != "list-keys" {
		t.Errorf("Complete = %q", got)
	}
	if err := lab.(ui.StepRestarter).RestartStep(ctx, 0); err != nil {
		t.Error(err)
	}
}
