package main

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/seclab-dev/seclab/lab/sandbox"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
	"github.com/spf13/cobra"
)

func init() {
	register(newTrailCmd)
}

func newTrailCmd(g *globals) *cobra.Command {
	var state string
	var asJSON, follow bool
	cmd := &cobra.Command{
		Use:   "trail",
		Short: "Print the sandbox's API call trail",
		Long: `Print every API call the sandbox recorded: time, principal, action, resource,
decision and the statements that decided it. --follow keeps printing calls as
they happen (also while the sandbox runs in another process).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := sandboxDir(g, state)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			return sandbox.ReadTrail(cmd.Context(), filepath.Join(dir, sandbox.TrailFile), follow, func(e svc.Event) error {
				if asJSON {
					b, err := json.Marshal(e)
					if err != nil {
						return err
					}
					_, err = fmt.Fprintf(out, "%s\n", b)
					return err
				}
				return printEvent(out, e)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&state, "state", "", "the sandbox's state `DIR`")
	f.BoolVar(&asJSON, "json", false, "print events as JSON lines")
	f.BoolVarP(&follow, "follow", "f", false, "keep printing new events until interrupted")
	return cmd
}

// printEvent writes one line: time, who, action, outcome, why.
func printEvent(w io.Writer, e svc.Event) error {
	who := e.PrincipalName
	if who == "" {
		who = "(unauthenticated)"
	}
	if e.Source == "check" {
		who += " (check)" // a lesson check's own call, not the learner's
	}
	action := e.Action
	if e.Via != "" {
		action += " via " + strings.SplitN(e.Via, ".", 2)[0]
	}
	outcome := "OK"
	switch {
	case e.Decision == "ExplicitlyDenied":
		outcome = "DENY (explicit)"
	case e.Decision == "ImplicitlyDenied":
		outcome = "DENY"
	case e.ErrorCode != "":
		outcome = "ERROR " + e.ErrorCode
	case e.Decision == "Allowed":
		outcome = "ALLOW"
	}
	line := fmt.Sprintf("%s %-16s %-40s %s", e.Time.Format("15:04:05"), who, action, outcome)
	if len(e.Statements) > 0 {
		line += " (" + strings.Join(e.Statements, ", ") + ")"
	}
	if len(e.Resources) > 0 {
		line += " " + strings.Join(e.Resources, " ")
	}
	_, err := fmt.Fprintln(w, line)
	return err
}
