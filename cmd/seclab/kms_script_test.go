package main

import (
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestKMSScripts runs the KMS scripts: the real AWS CLI against `seclab
// sandbox`, with signatures checked by openssl (skipped when either tool
// is missing). Beyond the standard commands, scripts have
//
//	capture VAR    set $VAR to the last command's trimmed stdout
func TestKMSScripts(t *testing.T) {
	p := scriptParams(t, "kms_*.txtar")
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
