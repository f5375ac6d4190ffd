package main

import (
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// packParams adds $GOODPACK and $BADPACK, the lessons package's test packs,
// so that these scripts do not change when the built-in course does.
func packParams(t *testing.T, pattern string) testscript.Params {
	t.Helper()
	p := scriptParams(t, pattern)
	good, err := filepath.Abs("../../lessons/testdata/good")
	if err != nil {
		t.Fatal(err)
	}
	bad, err := filepath.Abs("../../lessons/testdata/bad")
	if err != nil {
		t.Fatal(err)
	}
	setup := p.Setup
	p.Setup = func(env *testscript.Env) error {
		if err := setup(env); err != nil {
			return err
		}
		env.Setenv("GOODPACK", good)
		env.Setenv("BADPACK", bad)
		return nil
	}
	return p
}

// TestListScripts runs the `seclab list` scripts.
func TestListScripts(t *testing.T) { testscript.Run(t, packParams(t, "list_*.txtar")) }

// TestLessonScripts runs the `seclab lesson` and home screen scripts
// (without a terminal: the TUI itself is tested in package ui).
func TestLessonScripts(t *testing.T) { testscript.Run(t, packParams(t, "lesson_*.txtar")) }

// TestLintScripts runs the `seclab lessons lint` scripts.
func TestLintScripts(t *testing.T) { testscript.Run(t, packParams(t, "lint_*.txtar")) }
