package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/spf13/cobra"

	"github.com/seclab-dev/seclab/lab/cleanup"
	"github.com/seclab-dev/seclab/lab/ledger"
	"github.com/seclab-dev/seclab/lessons"
)

func init() { register(newCleanupCmd) }

func newCleanupCmd(g *globals) *cobra.Command {
	var lesson string
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "cleanup [--lesson N|ID] [--dry-run]",
		Short: "Remove everything seclab created in a real account",
		Long: `Remove what seclab created in the account of --target aws (or an endpoint
--as-aws): everything in the local ledger, and everything the account holds
that is tagged seclab:run, as long as it is also named as seclab names things
(seclab-<run>-…). Deletes in dependency order: aliases, KMS keys (scheduled
for deletion after 7 days, the shortest wait), secrets (deleted at once,
without a recovery window), roles, users, customer managed policies.
Running it again is harmless: what is already gone counts as done.`,
		Example: "  seclab cleanup --target aws --profile lab --dry-run\n  seclab cleanup --target aws --profile lab --lesson 3",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !g.isRealTarget() {
				return &exitError{code: 2, err: fmt.Errorf("cleanup works on a real account: pass --target aws --profile NAME (or an endpoint URL with --as-aws); the sandbox resets with `seclab reset`")}
			}
			f := cleanup.Filter{}
			if lesson != "" {
				pack, err := g.lessonPack()
				if err != nil {
					return err
				}
				l, err := pack.Find(lesson)
				if err != nil {
					return &exitError{code: 2, err: err}
				}
				f.Lesson = l.ID
			}
			ctx := cmd.Context()
			cfg, err := realConfig(ctx, g)
			if err != nil {
				return err
			}
			dir, err := g.stateDir()
			if err != nil {
				return err
			}
			return runCleanup(ctx, cmd.OutOrStdout(), cfg, ledger.Path(dir), f, dryRun)
		},
	}
	cmd.Flags().StringVar(&lesson, "lesson", "", "only what lesson `N` (number or ID) created")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "list what would be deleted, delete nothing")
	return cmd
}

// runCleanup plans from the ledger at path and the account, prints the
// plan and, unless dryRun, carries it out.
func runCleanup(ctx context.Context, out io.Writer, cfg aws.Config, path string, f cleanup.Filter, dryRun bool) error {
	entries, bad, err := ledger.Load(path)
	if err != nil {
		return err
	}
	if bad > 0 {
		fmt.Fprintf(os.Stderr, "seclab: skipped %d damaged line(s) of the ledger %s; the tag scan still finds those resources\n", bad, path)
	}
	plan, err := cleanup.Scan(ctx, cfg, entries, f)
	if err != nil {
		return fmt.Errorf("cleanup: %w", err)
	}
	if len(plan.Resources) == 0 {
		fmt.Fprintln(out, "Nothing to clean up: the account holds nothing of seclab's.")
		if !dryRun && len(plan.Settled) > 0 {
			return settle(path, plan)
		}
		return nil
	}
	if dryRun {
		fmt.Fprintf(out, "Would delete %d resource(s):\n", len(plan.Resources))
		for _, r := range plan.Resources {
			fmt.Fprintf(out, "  %s%s\n", r.Label(), why(r))
		}
		return nil
	}
	led, err := ledger.Open(path)
	if err != nil {
		return err
	}
	defer led.Close()
	failed := 0
	cleanup.Execute(ctx, cfg, plan, led, func(r cleanup.Result) {
		switch {
		case r.Err != nil:
			failed++
			fmt.Fprintf(out, "FAILED  %s: %v\n", r.Resource.Label(), r.Err)
		case r.Gone:
			fmt.Fprintf(out, "gone    %s\n", r.Resource.Label())
		case r.Resource.Type == ledger.TypeKey:
			fmt.Fprintf(out, "deleted %s (scheduled for deletion in %d days)\n", r.Resource.Label(), cleanup.KeyDeletionDays)
		default:
			fmt.Fprintf(out, "deleted %s\n", r.Resource.Label())
		}
	})
	if failed > 0 {
		return fmt.Errorf("cleanup: %d of %d resource(s) could not be deleted; run seclab cleanup again, or delete them in the console", failed, len(plan.Resources))
	}
	fmt.Fprintf(out, "Cleaned up %d resource(s).\n", len(plan.Resources))
	return nil
}

func settle(path string, plan *cleanup.Plan) error {
	led, err := ledger.Open(path)
	if err != nil {
		return err
	}
	defer led.Close()
	cleanup.Execute(context.Background(), aws.Config{}, &cleanup.Plan{Settled: plan.Settled}, led, nil)
	return nil
}

// why says what makes a resource seclab's.
func why(r cleanup.Resource) string {
	var reasons []string
	if r.InLedger {
		reasons = append(reasons, "in the ledger")
	}
	if r.Tagged {
		reasons = append(reasons, "tagged")
	}
	s := " (" + strings.Join(reasons, ", ")
	if r.Lesson != "" {
		s += ", lesson " + r.Lesson
	}
	return s + ")"
}

// offerCleanup is remindCleanup for a learner at a terminal (leaving the
// terminal UI): it asks whether to clean up now, and does on "y".
func offerCleanup(ctx context.Context, in io.Reader, out io.Writer, g *globals, tty bool) {
	if remindCleanup(out, g) == 0 || !tty {
		return
	}
	fmt.Fprint(out, "Clean up now? [y/N] ")
	line, _ := bufio.NewReader(in).ReadString('\n')
	if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
		return
	}
	cfg, err := realConfig(ctx, g)
	if err == nil {
		var dir string
		if dir, err = g.stateDir(); err == nil {
			err = runCleanup(ctx, out, cfg, ledger.Path(dir), cleanup.Filter{}, false)
		}
	}
	if err != nil {
		fmt.Fprintln(out, "seclab:", err)
	}
}

// remindCleanup says, when seclab leaves a real account, how much of what
// it created the ledger still knows about, and how to remove it. It reads
// only the ledger: leaving must not wait on AWS.
// It returns the number of live entries.
func remindCleanup(w io.Writer, g *globals) int {
	if !g.isRealTarget() {
		return 0
	}
	dir, err := g.stateDir()
	if err != nil {
		return 0
	}
	entries, _, err := ledger.Load(ledger.Path(dir))
	if err != nil {
		return 0
	}
	live := 0
	for _, e := range entries {
		if e.Live() && cleanup.Deletable(e.Type) {
			live++
		}
	}
	if live == 0 {
		return 0
	}
	how := "seclab cleanup --target " + g.Target
	if g.Real.AsAWS {
		how += " --as-aws"
	}
	if g.Profile != "" {
		how += " --profile " + g.Profile
	}
	if g.StateDir != "" {
		how += " --state-dir " + g.StateDir
	}
	fmt.Fprintf(w, "seclab: %d resource(s) seclab created may still exist in the account (KMS keys cost $1 a month, secrets $0.40);\n"+
		"seclab: see them with `%s --dry-run`, remove them with `%s`\n", live, how, how)
	return live
}

// tuiLessons are the lessons the terminal UI may open: the one named, or
// every lesson that runs on AWS.
func tuiLessons(pack *lessons.Pack, l *lessons.Lesson) []*lessons.Lesson {
	if l != nil {
		return []*lessons.Lesson{l}
	}
	return realLessons(io.Discard, pack.Lessons)
}
