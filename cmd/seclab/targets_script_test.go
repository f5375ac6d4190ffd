package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/seclab-dev/seclab/lab/sandbox"
)

// TestTargetScripts runs the real-account scripts (preflight, cleanup,
// doctor) against `seclab sandbox` treated as AWS. Beyond the standard
// commands, scripts have
//
//	asaws DIR   wait for the sandbox with state DIR, then set $URL to its
//	            endpoint and point AWS_CONFIG_FILE and
//	            AWS_SHARED_CREDENTIALS_FILE at its profiles
func TestTargetScripts(t *testing.T) {
	for _, pattern := range []string{"preflight_*.txtar", "cleanup_*.txtar", "doctor_*.txtar"} {
		t.Run(strings.TrimSuffix(pattern, "_*.txtar"), func(t *testing.T) {
			p := scriptParams(t, pattern)
			p.Cmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){"asaws": asawsCmd}
			testscript.Run(t, p)
		})
	}
}

func asawsCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: asaws DIR")
	}
	dir := ts.MkAbs(args[0])
	deadline := time.Now().Add(20 * time.Second)
	for {
		b, err := os.ReadFile(filepath.Join(dir, sandbox.EndpointFile))
		if url := strings.TrimSpace(string(b)); err == nil && url != "" {
			if _, err := os.Stat(filepath.Join(dir, sandbox.CLICredentialsFile)); err == nil {
				ts.Setenv("URL", url)
				break
			}
		}
		if time.Now().After(deadline) {
			ts.Fatalf("no sandbox started in %s", dir)
		}
		time.Sleep(50 * time.Millisecond)
	}
	ts.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, sandbox.CLIConfigFile))
	ts.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, sandbox.CLICredentialsFile))
}
