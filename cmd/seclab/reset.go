package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/seclab-dev/seclab/lab/session"
	"github.com/seclab-dev/seclab/lessons"
)

func init() { register(newResetCmd) }

func newResetCmd(g *globals) *cobra.Command {
	var all, yes bool
	cmd := &cobra.Command{
		Use:   "reset [N|ID] [--all]",
		Short: "Reset a lesson's progress, workspace files and sandbox state",
		Long: `Reset a lesson (or --all): forget its progress, delete its workspace
folder (your edited files) and its sandbox state (keys, secrets, users,
trail). Asks for confirmation unless --yes; without a terminal, --yes is
required. Resources in a real AWS account are not touched: use
"seclab cleanup --target aws" for those.`,
		Example: "  seclab reset 3\n  seclab reset --all --yes",
		RunE: func(cmd *cobra.Command, args []string) error {
			if all == (len(args) == 1) || len(args) > 1 {
				return &exitError{code: 2, err: errors.New("name one lesson to reset (seclab reset 3) or pass --all")}
			}
			pack, err := g.lessonPack()
			if err != nil {
				return err
			}
			chosen := pack.Lessons
			what := "every lesson"
			if !all {
				l, err := pack.Find(args[0])
				if err != nil {
					return &exitError{code: 2, err: err}
				}
				chosen = []*lessons.Lesson{l}
				what = fmt.Sprintf("lesson %d (%s)", l.Number, l.Title)
			}
			if !yes {
				if !isTerminal() {
					return &exitError{code: 2, err: fmt.Errorf("refusing to reset %s without confirmation: there is no terminal to ask; pass --yes", what)}
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Reset %s: progress, workspace files and sandbox state? [y/N] ", what)
				answer, _ := bufio.NewReader(os.Stdin).ReadString('\n')
				if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
					fmt.Fprintln(cmd.OutOrStdout(), "Nothing was reset.")
					return nil
				}
			}
			dir, err := g.stateDir()
			if err != nil {
				return err
			}
			prog, err := g.progress()
			if err != nil {
				return err
			}
			for _, l := range chosen {
				if err := session.Reset(dir, l.ID); err != nil {
					return err
				}
				prog.Reset(l.ID)
			}
			if err := prog.Save(); err != nil {
				return fmt.Errorf("save progress: %w", err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Reset %s.\n", what)
			return nil
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "reset every lesson")
	cmd.Flags().BoolVar(&yes, "yes", false, "do not ask for confirmation")
	return cmd
}
