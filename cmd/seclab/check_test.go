package main

import (
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestLabScripts runs the lab runtime's scripts: seclab check (grading and
// the authoring self-test), seclab reset and seclab console, on small
// lesson packs inside the scripts.
func TestLabScripts(t *testing.T) {
	for _, pattern := range []string{"check_*.txtar", "reset_*.txtar", "console_*.txtar"} {
		t.Run(pattern, func(t *testing.T) { testscript.Run(t, scriptParams(t, pattern)) })
	}
}
