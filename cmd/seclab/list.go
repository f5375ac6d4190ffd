package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/seclab-dev/seclab/lab/progress"
	"github.com/seclab-dev/seclab/lessons"
)

// This file holds `seclab list`: the lessons with progress, as a table or
// JSON. It needs no terminal.

// listEntry is one lesson in `seclab list --json`.
type listEntry struct {
	Number  int      `json:"number"`
	ID      string   `json:"id"`
	Title   string   `json:"title"`
	Summary string   `json:"summary"`
	Minutes int      `json:"minutes"`
	Targets []string `json:"targets"`
	Steps   int      `json:"steps"`
	Passed  int      `json:"passed"`
	// Status is "not started", "in progress" or "done".
	Status string `json:"status"`
}

func init() {
	register(func(g *globals) *cobra.Command {
		var asJSON bool
		cmd := &cobra.Command{
			Use:   "list",
			Short: "List the lessons with your progress (works without a terminal)",
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error {
				pack, err := g.lessonPack()
				if err != nil {
					return err
				}
				prog, err := g.progress()
				if err != nil {
					return err
				}
				for _, w := range prog.Warnings {
					fmt.Fprintln(cmd.ErrOrStderr(), "seclab:", w)
				}
				entries := listEntries(pack, prog)
				if asJSON {
					return writeListJSON(cmd.OutOrStdout(), entries)
				}
				return writeListTable(cmd.OutOrStdout(), entries)
			},
		}
		cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
		return cmd
	})
}

// listEntries summarises each lesson's progress.
func listEntries(pack *lessons.Pack, prog *progress.Progress) []listEntry {
	out := make([]listEntry, 0, len(pack.Lessons))
	for _, l := range pack.Lessons {
		passed := prog.Passed(l)
		status := "not started"
		switch {
		case passed == len(l.Steps) && passed > 0:
			status = "done"
		case passed > 0 || len(prog.Lesson(l.ID).Steps) > 0:
			status = "in progress"
		}
		out = append(out, listEntry{
			Number: l.Number, ID: l.ID, Title: l.Title, Summary: l.Summary, Minutes: l.Minutes,
			Targets: l.Targets, Steps: len(l.Steps), Passed: passed, Status: status,
		})
	}
	return out
}

func writeListJSON(w io.Writer, entries []listEntry) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(entries)
}

func writeListTable(w io.Writer, entries []listEntry) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tLESSON\tSTEPS\tMIN\tPROGRESS")
	done, total := 0, 0
	for _, e := range entries {
		fmt.Fprintf(tw, "%d\t%s\t%d/%d\t%d\t%s\n", e.Number, e.Title, e.Passed, e.Steps, e.Minutes, e.Status)
		done += e.Passed
		total += e.Steps
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n%d of %d steps done. Open a lesson with: seclab lesson %s\n", done, total, nextLesson(entries))
	return err
}

// nextLesson is the number of the first lesson not done.
func nextLesson(entries []listEntry) string {
	for _, e := range entries {
		if e.Status != "done" {
			return fmt.Sprint(e.Number)
		}
	}
	if len(entries) > 0 {
		return fmt.Sprint(entries[0].Number)
	}
	return "N"
}
