package main

import (
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestSecretsManagerScripts runs the Secrets Manager scripts: the real AWS
// CLI against `seclab sandbox` (skipped without it), including the source
// notes' scenario. Beyond the standard commands, scripts have
//
//	capture VAR    set $VAR to the last command's trimmed stdout
func TestSecretsManagerScripts(t *testing.T) {
	if testing.Short() {
		t.Skip("the AWS CLI scripts take tens of seconds; skipped with -short")
	}
	p := scriptParams(t, "secretsmanager_*.txtar")
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
