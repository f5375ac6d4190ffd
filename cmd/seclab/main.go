// Command seclab is an interactive terminal lab that teaches AWS Secrets
// Manager, AWS KMS and IAM policies against a built-in sandbox, LocalStack or
// a real AWS account.
//
// This file is the composition root: global flags and the command registry.
// Each command lives in its own file and registers itself in init.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

// globals holds the flags every command shares (DESIGN.md §2).
type globals struct {
	Target     string // sandbox | aws | URL
	Profile    string
	Region     string
	LessonsDir string
	StateDir   string
	Accessible bool
	// Real holds the real-account flags (preflight.go).
	Real realFlags
	// NoPublish keeps lesson sandboxes from publishing their endpoint for
	// `seclab sandbox env` (classroom students have no second terminal).
	NoPublish bool
}

// commands are the subcommand constructors, registered by each command's
// file in init.
var commands []func(g *globals) *cobra.Command

func register(c func(g *globals) *cobra.Command) { commands = append(commands, c) }

// rootHook lets the home-screen command (seclab with no arguments) install
// the root's RunE; set by the file that owns the TUI.
var rootHook func(g *globals, root *cobra.Command)

func newRoot() (*cobra.Command, *globals) {
	g := &globals{}
	root := &cobra.Command{
		Use:           "seclab",
		Short:         "An interactive terminal lab for AWS Secrets Manager, KMS and IAM policies",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	pf := root.PersistentFlags()
	pf.StringVar(&g.Target, "target", "sandbox", "where AWS calls go: sandbox, aws, or an endpoint URL")
	pf.StringVar(&g.Profile, "profile", "", "AWS profile (required with --target aws)")
	pf.StringVar(&g.Region, "region", "", "AWS region (default: the profile's, or us-east-1 in the sandbox)")
	pf.StringVar(&g.LessonsDir, "lessons", "", "load a custom lesson pack from `DIR` instead of the built-in course")
	pf.StringVar(&g.StateDir, "state-dir", "", "keep progress and lab state in `DIR` (default $XDG_STATE_HOME/seclab)")
	pf.BoolVar(&g.Accessible, "accessible", false, "plain linear output for screen readers: no boxes, no animation")
	addRealFlags(pf, &g.Real)
	for _, c := range commands {
		root.AddCommand(c(g))
	}
	if rootHook != nil {
		rootHook(g, root)
	}
	return root, g
}

// exitError carries a specific exit status out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func main() {
	root, _ := newRoot()
	if err := root.Execute(); err != nil {
		code := 1
		var ee *exitError
		if errors.As(err, &ee) {
			code = ee.code
		}
		if msg := err.Error(); msg != "" {
			fmt.Fprintln(os.Stderr, "seclab:", msg)
		}
		os.Exit(code)
	}
}
