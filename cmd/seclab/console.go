package main

import (
	"bufio"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/seclab-dev/seclab/lab/console"
)

func init() { register(newConsoleCmd) }

// newConsoleCmd is `seclab console N`: the lab console without the
// terminal UI, one command per input line — for screen readers, scripts
// and classrooms that pipe commands in.
func newConsoleCmd(g *globals) *cobra.Command {
	var check bool
	cmd := &cobra.Command{
		Use:   "console N|ID",
		Short: "Run lab console commands for a lesson, one per line of standard input",
		Long: `Open a lesson's lab (its sandbox, personas and workspace) and run console
commands read from standard input, one per line: aws …, as PERSONA, whoami,
time N aws …, history, help. Output goes to standard output and errors to
standard error, as the AWS CLI prints them. Empty lines and lines starting
with # are skipped. With --check, the current step's checks run after the
last command. The exit status is 1 if any command failed.`,
		Example: "  echo 'aws sts get-caller-identity' | seclab console 1\n  seclab console 2 --check < commands.txt",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pack, err := g.lessonPack()
			if err != nil {
				return err
			}
			l, err := pack.Find(args[0])
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			dir, err := g.stateDir()
			if err != nil {
				return err
			}
			prog, err := g.progress()
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			env, err := openLab(ctx, g, l, dir, prog)
			if err != nil {
				return err
			}
			defer env.Close()
			s := env.session
			cur := s.Current()
			if err := s.StartStep(ctx, cur); err != nil && len(l.Steps) > 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "seclab: step %d could not be set up: %v\n", cur+1, err)
			}
			failed := false
			sc := bufio.NewScanner(cmd.InOrStdin())
			sc.Buffer(make([]byte, 64<<10), 1<<20)
			for sc.Scan() {
				line := strings.TrimSpace(sc.Text())
				if line == "" || strings.HasPrefix(line, "#") {
					continue
				}
				out, err := s.Exec(ctx, line)
				fmt.Fprint(cmd.OutOrStdout(), out)
				if err != nil {
					failed = true
					fmt.Fprintln(cmd.ErrOrStderr(), err.Error())
				}
			}
			if err := sc.Err(); err != nil {
				return fmt.Errorf("read commands: %w", err)
			}
			if check && len(l.Steps) > 0 {
				res := s.CheckStep(ctx)
				fmt.Fprintf(cmd.OutOrStdout(), "step %d (%s): %s\n", res.Step+1, res.StepID, res.Outcome)
				for _, c := range res.Checks {
					fmt.Fprintf(cmd.OutOrStdout(), "  %s %s", c.Outcome, c.Name)
					if c.Message != "" {
						fmt.Fprintf(cmd.OutOrStdout(), ": %s", c.Message)
					}
					fmt.Fprintln(cmd.OutOrStdout())
				}
				if res.Err != "" {
					fmt.Fprintln(cmd.OutOrStdout(), "  "+res.Err)
				}
			}
			if err := prog.Save(); err != nil {
				return fmt.Errorf("save progress: %w", err)
			}
			if failed {
				return &exitError{code: 1, err: errors.New("")}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&check, "check", false, "run the current step's checks after the commands")
	_ = console.Learner
	return cmd
}
