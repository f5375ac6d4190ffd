package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"

	"github.com/seclab-dev/seclab/lessons"
	"github.com/seclab-dev/seclab/ui"
)

// This file holds the TUI commands: `seclab` (the home screen) and
// `seclab lesson N|ID`.

// labHook, when set by the lab runtime's file, returns the function that
// starts the lab for a lesson in the TUI. Without it the TUI runs without
// a console, checks or trail.
var labHook func(g *globals) (ui.OpenLab, error)

func init() {
	rootHook = func(g *globals, root *cobra.Command) {
		root.Long = "seclab teaches AWS Secrets Manager, AWS KMS and IAM policies in the terminal:\n" +
			"lessons beside guided steps, real API calls against a built-in sandbox or a real account.\n\n" +
			"Run without a command to open the home screen (the lesson list)."
		root.RunE = func(cmd *cobra.Command, _ []string) error {
			return runTUI(g, nil)
		}
	}
	register(func(g *globals) *cobra.Command {
		return &cobra.Command{
			Use:   "lesson N|ID",
			Short: "Open a lesson in the terminal UI, resuming at its first unfinished step",
			Example: "  seclab lesson 3\n" +
				"  seclab lesson secure-key-policy\n" +
				"  seclab --lessons ./my-pack lesson 1",
			Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				pack, err := g.lessonPack()
				if err != nil {
					return err
				}
				l, err := pack.Find(args[0])
				if err != nil {
					return err
				}
				return runTUI(g, l)
			},
		}
	})
}

// runTUI runs the terminal UI on the home screen, or on lesson l.
func runTUI(g *globals, l *lessons.Lesson) error {
	pack, err := g.lessonPack()
	if err != nil {
		return err
	}
	if !isTerminal() {
		return errNoTTY
	}
	prog, err := g.progress()
	if err != nil {
		return err
	}
	opts := ui.Options{Pack: pack, Progress: prog, Open: l, Accessible: g.Accessible}
	if labHook != nil {
		if opts.OpenLab, err = labHook(g); err != nil {
			return err
		}
	}
	// A real account is confirmed before the terminal UI takes the terminal.
	if err := preflightLessons(context.Background(), g, tuiLessons(pack, l)); err != nil {
		return err
	}
	m := ui.New(opts)
	if len(prog.Warnings) > 0 {
		m = m.WithStatus(strings.Join(prog.Warnings, "; "))
	}
	if _, err := tea.NewProgram(m).Run(); err != nil {
		return fmt.Errorf("terminal UI: %w", err)
	}
	for _, w := range prog.Warnings {
		fmt.Fprintln(os.Stderr, "seclab:", w)
	}
	offerCleanup(context.Background(), os.Stdin, os.Stderr, g, isTerminal())
	return nil
}
