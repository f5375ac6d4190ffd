package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/spf13/pflag"

	"github.com/seclab-dev/seclab/lab/ledger"
	"github.com/seclab-dev/seclab/lab/target"
	"github.com/seclab-dev/seclab/lessons"
)

// This file is the gate in front of a real account: which account and
// principal the credentials are, what the lessons will create and cost,
// the allow-list, and the learner's typed confirmation (DESIGN.md §6).

// realFlags are the global flags of real-account targets.
type realFlags struct {
	// AsAWS treats an endpoint URL as a real account: preflight, role
	// personas, seclab-<run> names, tags and the ledger (CI runs the
	// course this way against `seclab sandbox`).
	AsAWS bool
	// Yes confirms the account without asking.
	Yes bool
	// ReadOnly refuses every console call that may change state.
	ReadOnly bool
	// AllowAccounts is the allow-list (--allow-account, repeatable).
	AllowAccounts []string
	// SandboxState is the state folder of the `seclab sandbox` an
	// --as-aws URL points at: its trail serves the trail checks.
	SandboxState string
}

// confirmed remembers, per target and profile, the account this process
// has confirmed: several lessons open on it ask once.
var confirmed struct {
	sync.Mutex
	accounts map[string]string
}

// allowedAccountsEnv lists allowed account IDs, separated by commas or
// spaces.
const allowedAccountsEnv = "SECLAB_ALLOWED_ACCOUNTS"

// allowedAccountsFile in the state folder lists allowed account IDs, one
// a line ("#" starts a comment).
const allowedAccountsFile = "allowed-accounts"

func addRealFlags(pf *pflag.FlagSet, r *realFlags) {
	pf.BoolVar(&r.AsAWS, "as-aws", false, "treat the --target URL as a real AWS account (roles for personas, tags, ledger, confirmation)")
	pf.BoolVar(&r.Yes, "yes", false, "confirm the AWS account without asking")
	pf.BoolVar(&r.ReadOnly, "readonly", false, "refuse every console command that may change state (checks still run)")
	pf.StringVar(&r.SandboxState, "sandbox-state", "", "with --as-aws against `seclab sandbox`: its state `DIR`, whose trail the trail checks read")
	pf.StringArrayVar(&r.AllowAccounts, "allow-account", nil, "only use this AWS account `ID` (repeatable; also "+allowedAccountsEnv+")")
}

// isRealTarget reports whether the flags name a real account (aws, or a
// URL with --as-aws).
func (g *globals) isRealTarget() bool {
	kind, err := targetKind(g.Target)
	return err == nil && (kind == target.AWS || kind == target.Endpoint && g.Real.AsAWS)
}

// realConfig loads the SDK configuration of a real-account target. An
// explicit profile is required: seclab never falls back to whatever
// credentials happen to be in the environment for an account.
func realConfig(ctx context.Context, g *globals) (aws.Config, error) {
	profile := g.Profile
	if profile == "" {
		profile = os.Getenv("AWS_PROFILE")
	}
	what := "--target aws"
	if g.Target != target.AWS {
		what = "--as-aws"
	}
	if profile == "" {
		return aws.Config{}, fmt.Errorf("%s needs --profile (or AWS_PROFILE): seclab never falls back to default credentials for a real account", what)
	}
	opts := []func(*config.LoadOptions) error{config.WithSharedConfigProfile(profile)}
	if g.Region != "" {
		opts = append(opts, config.WithRegion(g.Region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS profile %s: %w", profile, err)
	}
	if cfg.Region == "" {
		return aws.Config{}, fmt.Errorf("AWS profile %s has no region: pass --region or set region in the profile", profile)
	}
	if g.Target != target.AWS {
		cfg.BaseEndpoint = aws.String(g.Target)
	}
	return cfg, nil
}

// realTarget is the target of a real account (or an endpoint as one),
// after the preflight for lessons ls. It also opens the ledger.
func realTarget(ctx context.Context, g *globals, ls ...*lessons.Lesson) (target.Target, error) {
	cfg, err := realConfig(ctx, g)
	if err != nil {
		return target.Target{}, err
	}
	if err := preflightOnce(ctx, g, cfg, os.Stdin, os.Stderr, isTerminal(), ls); err != nil {
		return target.Target{}, err
	}
	t := target.Target{Kind: target.AWS, Learner: cfg, WithCredentials: withCredentials(cfg)}
	if g.Target != target.AWS {
		t.Endpoint = g.Target
		if g.Real.SandboxState != "" {
			tr, err := newFileTrail(g.Real.SandboxState)
			if err != nil {
				return target.Target{}, err
			}
			t.Trail = tr
		}
	}
	return t, nil
}

// ledgerPath is the ledger of the learner's state folder: never the
// temporary folder `seclab check --solve` works in, since cleanup must
// still find what the self-test created.
func ledgerPath(g *globals, stateDir string) string {
	if dir, err := g.stateDir(); err == nil {
		return ledger.Path(dir)
	}
	return ledger.Path(stateDir)
}

// preflightOnce runs the preflight unless this process already confirmed
// the account; concurrent lessons (seclab check --all) wait for the first.
func preflightOnce(ctx context.Context, g *globals, cfg aws.Config, in io.Reader, out io.Writer, tty bool, ls []*lessons.Lesson) error {
	confirmed.Lock()
	defer confirmed.Unlock()
	key := g.Target + "|" + g.Profile + "|" + os.Getenv("AWS_PROFILE")
	if confirmed.accounts[key] != "" {
		return nil
	}
	account, err := preflight(ctx, g, cfg, in, out, tty, ls)
	if err != nil {
		return err
	}
	if confirmed.accounts == nil {
		confirmed.accounts = map[string]string{}
	}
	confirmed.accounts[key] = account
	return nil
}

// errDeclined is the answer to a confirmation that was not the account ID.
var errDeclined = errors.New("not confirmed: nothing was created")

// preflight shows who and where the credentials are, what the lessons
// create and cost, checks the allow-list and asks for the account ID. It
// returns the confirmed account.
func preflight(ctx context.Context, g *globals, cfg aws.Config, in io.Reader, out io.Writer, tty bool, ls []*lessons.Lesson) (string, error) {
	who, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", fmt.Errorf("preflight: who are these credentials? %w", err)
	}
	account, principal := aws.ToString(who.Account), aws.ToString(who.Arn)
	allowed, err := allowList(g)
	if err != nil {
		return "", err
	}
	if len(allowed) > 0 && !slices.Contains(allowed, account) {
		return "", fmt.Errorf("AWS account %s (%s) is not on the allow-list (%s): seclab will not use it", account, principal, strings.Join(allowed, ", "))
	}
	where := "AWS"
	if g.Target != target.AWS {
		where = g.Target + " (as AWS)"
	}
	fmt.Fprintf(out, "seclab is about to create resources in a real account:\n\n")
	fmt.Fprintf(out, "  target:    %s\n  account:   %s\n  principal: %s\n  region:    %s\n\n", where, account, principal, cfg.Region)
	printPlan(out, ls)
	if g.Real.Yes {
		fmt.Fprintf(out, "Confirmed with --yes.\n\n")
		return account, nil
	}
	if !tty {
		return "", fmt.Errorf("refusing to use AWS account %s without confirmation: there is no terminal to ask on; run in a terminal, or pass --yes to confirm", account)
	}
	fmt.Fprintf(out, "Type the account ID (%s) to continue, anything else to stop: ", account)
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("AWS account %s %w", account, errDeclined)
	}
	if strings.TrimSpace(line) != account {
		return "", fmt.Errorf("AWS account %s %w", account, errDeclined)
	}
	fmt.Fprintln(out)
	return account, nil
}

// allowList merges --allow-account, SECLAB_ALLOWED_ACCOUNTS and the state
// folder's allowed-accounts file. Every entry must be a 12-digit ID.
func allowList(g *globals) ([]string, error) {
	var ids []string
	ids = append(ids, g.Real.AllowAccounts...)
	ids = append(ids, strings.FieldsFunc(os.Getenv(allowedAccountsEnv), func(r rune) bool { return r == ',' || r == ' ' })...)
	if dir, err := g.stateDir(); err == nil {
		b, err := os.ReadFile(filepath.Join(dir, allowedAccountsFile))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("read the allow-list: %w", err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			line, _, _ = strings.Cut(line, "#")
			if line = strings.TrimSpace(line); line != "" {
				ids = append(ids, line)
			}
		}
	}
	for _, id := range ids {
		if len(id) != 12 || strings.Trim(id, "0123456789") != "" {
			return nil, fmt.Errorf("allow-list entry %q is not a 12-digit AWS account ID", id)
		}
	}
	return ids, nil
}

// Prices (us-east-1, on-demand; https://aws.amazon.com/kms/pricing/ and
// https://aws.amazon.com/secrets-manager/pricing/): both prorate the
// monthly charge by the hour.
const (
	kmsKeyMonthly   = 1.00
	secretMonthly   = 0.40
	per10kRequests  = 0.03
	hoursPerMonth   = 730.0
	minBilledHours  = 1.0
	freeRequestNote = "KMS and Secrets Manager have free request tiers; the estimate ignores them"
)

// estimate is the cost of lessons' resources kept for their minutes.
type estimate struct {
	Keys, Secrets, Requests int
	Hours                   float64
	Dollars                 float64
}

func estimateCost(ls []*lessons.Lesson) estimate {
	var e estimate
	for _, l := range ls {
		hours := math.Max(minBilledHours, math.Ceil(float64(l.Minutes)/60))
		e.Keys += l.Cost.KMSKeys
		e.Secrets += l.Cost.Secrets
		e.Requests += l.Cost.Requests
		e.Hours += hours
		e.Dollars += float64(l.Cost.KMSKeys)*kmsKeyMonthly*hours/hoursPerMonth +
			float64(l.Cost.Secrets)*secretMonthly*hours/hoursPerMonth +
			float64(l.Cost.Requests)*per10kRequests/10000
	}
	return e
}

// printPlan says what the lessons create and what it costs.
func printPlan(out io.Writer, ls []*lessons.Lesson) {
	if len(ls) == 0 {
		return
	}
	fmt.Fprintf(out, "  lessons:\n")
	for _, l := range ls {
		fmt.Fprintf(out, "    %d. %s: %d KMS key(s), %d secret(s), ~%d requests", l.Number, l.Title, l.Cost.KMSKeys, l.Cost.Secrets, l.Cost.Requests)
		for _, p := range l.Personas {
			fmt.Fprintf(out, ", role seclab-<run>-%s", p.Name)
		}
		fmt.Fprintln(out)
	}
	e := estimateCost(ls)
	fmt.Fprintf(out, "\n  estimated cost: $%.4f (%d key(s) and %d secret(s) for about %.0f hour(s), %d requests; %s)\n",
		e.Dollars, e.Keys, e.Secrets, e.Hours, e.Requests, freeRequestNote)
	fmt.Fprintf(out, "  everything is named seclab-<run>-…, tagged seclab:run and seclab:lesson, and written to the ledger first;\n")
	fmt.Fprintf(out, "  `seclab cleanup` removes it (KMS keys are scheduled for deletion after 7 days, the shortest wait).\n\n")
}

// preflightLessons runs the preflight for lessons ls up front, so a
// command that opens several (seclab check --all) asks once with the
// whole plan. It does nothing on other targets.
func preflightLessons(ctx context.Context, g *globals, ls []*lessons.Lesson) error {
	if !g.isRealTarget() {
		return nil
	}
	cfg, err := realConfig(ctx, g)
	if err != nil {
		return err
	}
	return preflightOnce(ctx, g, cfg, os.Stdin, os.Stderr, isTerminal(), ls)
}

// realLessons keeps the lessons that run on AWS (what `--all` means on a
// real account) and says which it leaves out.
func realLessons(w io.Writer, ls []*lessons.Lesson) []*lessons.Lesson {
	var keep []*lessons.Lesson
	var skipped []string
	for _, l := range ls {
		if supports(l, target.AWS) {
			keep = append(keep, l)
		} else {
			skipped = append(skipped, fmt.Sprint(l.Number))
		}
	}
	if len(skipped) > 0 {
		fmt.Fprintf(w, "seclab: lessons %s run on the sandbox only; checking the %d that run on AWS\n", strings.Join(skipped, ", "), len(keep))
	}
	return keep
}
