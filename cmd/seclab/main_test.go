package main

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets scripts run the seclab binary as "seclab".
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"seclab": main})
}

// TestScripts runs the command scripts in testdata/script.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("XDG_STATE_HOME", env.WorkDir+"/state")
			env.Setenv("HOME", env.WorkDir+"/home")
			env.Setenv("AWS_EC2_METADATA_DISABLED", "true")
			if p := os.Getenv("PATH"); p != "" {
				env.Setenv("PATH", p)
			}
			return nil
		},
	})
}
