package main

import (
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestPolicyScripts runs the `seclab policy …` scripts.
func TestPolicyScripts(t *testing.T) {
	testscript.Run(t, scriptParams(t, "policy_*.txtar"))
}
