package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/spf13/cobra"

	"github.com/seclab-dev/seclab/lab/cleanup"
	"github.com/seclab-dev/seclab/lab/ledger"
	"github.com/seclab-dev/seclab/lab/target"
)

func init() { register(newDoctorCmd) }

func newDoctorCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "doctor",
		Short: "Check seclab's health: state folder, ledger, target, leftovers in a real account",
		Long: `Check that the state folder is private, that the ledger of real-account
resources is readable, that the target answers, and, on a real account
(--target aws, or a URL with --as-aws), list what seclab created and has not
cleaned up yet. The exit status is 1 when something needs attention.`,
		Example: "  seclab doctor\n  seclab doctor --target aws --profile lab",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d := &doctor{out: cmd.OutOrStdout()}
			d.run(cmd.Context(), g)
			if d.problems > 0 {
				return &exitError{code: 1, err: fmt.Errorf("doctor: %d problem(s) found", d.problems)}
			}
			return nil
		},
	}
}

// doctor prints one line per check: ok, warn or FAIL.
type doctor struct {
	out      io.Writer
	problems int
}

func (d *doctor) ok(format string, a ...any) { fmt.Fprintf(d.out, "ok    "+format+"\n", a...) }
func (d *doctor) fail(format string, a ...any) {
	d.problems++
	fmt.Fprintf(d.out, "FAIL  "+format+"\n", a...)
}

func (d *doctor) run(ctx context.Context, g *globals) {
	dir, err := g.stateDir()
	if err != nil {
		d.fail("state folder: %v", err)
		return
	}
	d.checkStateDir(dir)
	path := ledger.Path(dir)
	entries, bad, err := ledger.Load(path)
	live := 0
	switch {
	case err != nil:
		d.fail("ledger %s: %v", path, err)
	default:
		for _, e := range entries {
			if e.Live() {
				live++
			}
		}
		if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 {
			d.fail("ledger %s has mode %04o: run chmod 600 %s", path, st.Mode().Perm(), path)
		}
		if bad > 0 {
			d.fail("ledger %s: %d damaged line(s) (a crash during a write); cleanup still finds their resources by tag", path, bad)
		} else {
			d.ok("ledger %s: %d record(s) of creates not cleaned up", path, live)
		}
	}
	kind, err := targetKind(g.Target)
	if err != nil {
		d.fail("target: %v", err)
		return
	}
	if kind == target.Sandbox {
		d.ok("target: the built-in sandbox (started with each lesson)")
		if live > 0 {
			fmt.Fprintf(d.out, "      the ledger names resources in a real account: run seclab doctor --target aws --profile NAME to list them\n")
		}
		return
	}
	var cfg aws.Config
	if g.isRealTarget() {
		cfg, err = realConfig(ctx, g)
	} else {
		var t target.Target
		t, err = endpointTarget(ctx, g)
		cfg = t.Learner
	}
	if err != nil {
		d.fail("target %s: %v", g.Target, err)
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	who, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		d.fail("target %s does not answer: %v", g.Target, err)
		return
	}
	d.ok("target %s answers: account %s, %s, region %s", g.Target, aws.ToString(who.Account), aws.ToString(who.Arn), cfg.Region)
	if !g.isRealTarget() {
		return
	}
	plan, err := cleanup.Scan(ctx, cfg, entries, cleanup.Filter{})
	if err != nil {
		d.fail("leftovers: %v", err)
		return
	}
	if len(plan.Resources) == 0 {
		d.ok("no leftovers: the account holds nothing of seclab's")
		return
	}
	d.fail("%d leftover resource(s) in account %s (remove them with seclab cleanup):", len(plan.Resources), aws.ToString(who.Account))
	for _, r := range plan.Resources {
		fmt.Fprintf(d.out, "      %s%s\n", r.Label(), why(r))
	}
}

// checkStateDir wants the state folder private to the learner: it holds
// persona credentials and the ledger.
func (d *doctor) checkStateDir(dir string) {
	st, err := os.Stat(dir)
	switch {
	case os.IsNotExist(err):
		d.ok("state folder %s: not created yet", dir)
	case err != nil:
		d.fail("state folder %s: %v", dir, err)
	case !st.IsDir():
		d.fail("state folder %s is not a folder", dir)
	case st.Mode().Perm()&0o077 != 0:
		d.fail("state folder %s has mode %04o; it holds credentials: run chmod 700 %s", dir, st.Mode().Perm(), dir)
	default:
		d.ok("state folder %s is private (%04o)", dir, st.Mode().Perm())
	}
}
