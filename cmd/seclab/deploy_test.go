package main

import (
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestCloudFormationScripts runs the CloudFormation scripts: seclab deploy,
// and the real AWS CLI's `aws cloudformation deploy` against `seclab
// sandbox` (skipped when the CLI is missing). Beyond the standard commands,
// scripts have
//
//	capture VAR    set $VAR to the last command's trimmed stdout
func TestCloudFormationScripts(t *testing.T) {
	p := scriptParams(t, "cloudformation_*.txtar")
	p.Cmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"capture": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) != 1 {
				ts.Fatalf("usage: capture VAR")
			}
			ts.Setenv(args[0], strings.TrimSpace(ts.ReadFile("stdout")))
		},
	}
	testscript.Run(t, p)
}

func TestDefaultStackName(t *testing.T) {
	tests := map[string]string{
		"template.yaml":          "template",
		"dir/my_stack.v2.json":   "my-stack-v2",
		"2024-notes.yaml":        "stack-2024-notes",
		"___.yaml":               "stack",
		"notes-plain.yaml":       "notes-plain",
		"/abs/path/Lesson 9.yml": "Lesson-9",
	}
	for in, want := range tests {
		if got := defaultStackName(in); got != want {
			t.Errorf("defaultStackName(%q) = %q, want %q", in, got, want)
		}
	}
}
