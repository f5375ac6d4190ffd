package main

import (
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets scripts run the seclab binary as "seclab". Each command's
// script tests are a Test function below (or in the command's own test
// file) over its own testdata/script/<name>_*.txtar files.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"seclab": main})
}

// scriptParams runs the scripts matching pattern with a private HOME and
// state dir.
func scriptParams(t *testing.T, pattern string) testscript.Params {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "script", pattern))
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts match %s (%v)", pattern, err)
	}
	return testscript.Params{
		Files: files,
		Setup: func(env *testscript.Env) error {
			env.Setenv("XDG_STATE_HOME", env.WorkDir+"/state")
			env.Setenv("HOME", env.WorkDir+"/home")
			env.Setenv("AWS_EC2_METADATA_DISABLED", "true")
			return nil
		},
	}
}

// TestSandboxScripts runs `seclab sandbox` and `seclab trail` scripts,
// including the real AWS CLI against the sandbox (skipped without it).
func TestSandboxScripts(t *testing.T) {
	testscript.Run(t, scriptParams(t, "sandbox_*.txtar"))
}
