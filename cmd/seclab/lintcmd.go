package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/seclab-dev/seclab/lab/check"
	"github.com/seclab-dev/seclab/lessons"
)

// This file holds `seclab lessons lint [DIR]`.

func init() {
	register(func(g *globals) *cobra.Command {
		cmd := &cobra.Command{
			Use:   "lessons",
			Short: "Work with lesson packs",
		}
		cmd.AddCommand(&cobra.Command{
			Use:   "lint [DIR]",
			Short: "Validate a lesson pack and print every problem (default: the --lessons pack or the built-in course)",
			Long: "lint checks a lesson pack against docs/lesson-format.md without running it: front matter,\n" +
				"step blocks, checks, template variables, personas and referenced files, and the console\n" +
				"commands of setup, checks and solutions (they must parse; checks must be read-only). It\n" +
				"prints every problem as FILE:LINE: message and exits 1 when there is any.",
			Args: cobra.MaximumNArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				dir := g.LessonsDir
				if len(args) == 1 {
					dir = args[0]
				}
				var probs lessons.Problems
				name := "the built-in course"
				if dir == "" {
					probs = lessons.LintBuiltin()
				} else {
					var err error
					if probs, err = lessons.LintDir(dir); err != nil {
						return err
					}
					name = dir
				}
				probs = append(probs, runtimeProblems(dir)...)
				probs.Sort()
				out := cmd.OutOrStdout()
				for _, p := range probs {
					fmt.Fprintln(out, p)
				}
				if len(probs) > 0 {
					return &exitError{code: 1, err: fmt.Errorf("%s: %d problem%s", name, len(probs), plural(len(probs)))}
				}
				pack, err := loadForSummary(dir)
				if err != nil {
					return err
				}
				fmt.Fprintf(out, "%s: ok (%d lessons, %d steps)\n", name, len(pack.Lessons), pack.Steps())
				return nil
			},
		})
		return cmd
	})
}

// runtimeProblems are the problems the lab runtime would meet in a pack
// that loads: console commands it cannot parse and checks that write.
// A pack that does not load has its structural problems reported alone.
func runtimeProblems(dir string) lessons.Problems {
	pack, err := loadForSummary(dir)
	if err != nil {
		return nil
	}
	var probs lessons.Problems
	for _, l := range pack.Lessons {
		for _, p := range check.Lint(l) {
			// The AWS CLI's usage errors span lines ("maybe you meant:");
			// one problem stays one line.
			p.Msg = strings.Join(strings.Fields(p.Msg), " ")
			probs = append(probs, p)
		}
	}
	return probs
}

func loadForSummary(dir string) (*lessons.Pack, error) {
	if dir == "" {
		return lessons.Builtin()
	}
	return lessons.LoadDir(dir)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
