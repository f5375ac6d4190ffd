package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/seclab-dev/seclab/lab/sandbox"
	"github.com/spf13/cobra"
)

func init() {
	register(newSandboxCmd)
}

// sandboxDir is the sandbox's state dir: --state, else --state-dir/sandbox,
// else $XDG_STATE_HOME/seclab/sandbox (~/.local/state/seclab/sandbox).
func sandboxDir(g *globals, flag string) (string, error) {
	if flag != "" {
		return filepath.Abs(flag)
	}
	if g.StateDir != "" {
		return filepath.Abs(filepath.Join(g.StateDir, "sandbox"))
	}
	base := os.Getenv("XDG_STATE_HOME")
	if base == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find the state dir: %w (set --state-dir or XDG_STATE_HOME)", err)
		}
		base = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(base, "seclab", "sandbox"), nil
}

func newSandboxCmd(g *globals) *cobra.Command {
	var addr, state string
	var reset bool
	var seed uint64
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Run the built-in AWS sandbox in the foreground for the AWS CLI and SDKs",
		Long: `Run the sandbox alone, on loopback, until Ctrl+C.

It prints the endpoint and the exports another terminal needs, and writes an
AWS CLI config with one profile per persona under the state dir.
State (IAM users, keys, secrets, the trail) survives restarts; --reset wipes it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := sandboxDir(g, state)
			if err != nil {
				return err
			}
			if err := sandbox.CheckLoopback(addr); err != nil {
				return err
			}
			if reset {
				if err := resetSandbox(dir); err != nil {
					return err
				}
			}
			return runSandbox(cmd.Context(), cmd.OutOrStdout(), dir, addr, seed)
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:4566", "listen `address` (loopback only)")
	f.StringVar(&state, "state", "", "keep the sandbox's state in `DIR`")
	f.BoolVar(&reset, "reset", false, "wipe the sandbox's state before starting")
	f.Uint64Var(&seed, "seed", 0, "deterministic IDs and keys from this `seed` (tests)")
	cmd.AddCommand(newSandboxEnvCmd(g), newSandboxClockCmd(g))
	return cmd
}

// resetSandbox wipes the state dir, refusing while a sandbox runs on it.
func resetSandbox(dir string) error {
	if ep, err := sandbox.ReadEndpoint(dir); err == nil && reachable(ep.URL) {
		return fmt.Errorf("a sandbox is running at %s with state dir %s: stop it before --reset", ep.URL, dir)
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reset %s: %w", dir, err)
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("reset %s: %w", dir, err)
		}
	}
	return nil
}

func reachable(url string) bool {
	host := strings.TrimPrefix(url, "http://")
	c, err := net.DialTimeout("tcp", host, 500*time.Millisecond)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

func runSandbox(ctx context.Context, out io.Writer, dir, addr string, seed uint64) error {
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	s := sandbox.New(sandbox.WithStateDir(dir), sandbox.WithAddr(addr), sandbox.WithSeed(seed))
	if err := s.Start(); err != nil {
		return err
	}
	events, cancel := s.Subscribe()
	defer cancel()
	if err := s.WriteProfiles(); err != nil {
		s.Close()
		return err
	}
	ep, err := sandbox.ReadEndpoint(dir)
	if err != nil {
		s.Close()
		return err
	}
	learner, _ := ep.Persona("learner")
	fmt.Fprintf(out, "seclab sandbox listening on %s (state: %s)\n\n", s.URL, dir)
	fmt.Fprintf(out, "# Use the AWS CLI as learner from another terminal:\n%s\n", sandbox.EnvLines(ep, learner))
	fmt.Fprintf(out, "# Or use a profile per persona (seclab sandbox env --profile NAME prints the exports):\n")
	fmt.Fprintf(out, "export AWS_CONFIG_FILE=%s AWS_SHARED_CREDENTIALS_FILE=%s AWS_PROFILE=learner\n\n",
		filepath.Join(dir, sandbox.CLIConfigFile), filepath.Join(dir, sandbox.CLICredentialsFile))
	fmt.Fprintf(out, "Press Ctrl+C to stop.\n")
	for {
		select {
		case <-ctx.Done():
			s.RemoveEndpoint()
			if err := s.Close(); err != nil {
				return err
			}
			fmt.Fprintln(out, "seclab sandbox stopped")
			return nil
		case e, ok := <-events:
			if !ok {
				return nil
			}
			// New or removed access keys change the personas.
			if e.Service == "iam" && !e.ReadOnly && e.ErrorCode == "" {
				if err := s.WriteProfiles(); err != nil {
					fmt.Fprintln(os.Stderr, "seclab: update profiles:", err)
				}
			}
		}
	}
}

func newSandboxEnvCmd(g *globals) *cobra.Command {
	var state, profile string
	var wait time.Duration
	cmd := &cobra.Command{
		Use:   "env",
		Short: "Print the exports that point the AWS CLI at the running sandbox",
		Long: `Print the shell exports that point the AWS CLI and SDKs at a running sandbox
as a persona (learner unless --profile is given):

  eval "$(seclab sandbox env)"
  eval "$(seclab sandbox env --profile bob)"

Without --state it uses the sandbox started by ` + "`seclab sandbox`" + ` if that runs,
else the most recently started sandbox of a lesson open in ` + "`seclab lesson N`" + `
(it says which on stderr).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ep, err := envEndpoint(cmd.ErrOrStderr(), g, state, wait)
			if err != nil {
				return err
			}
			p, ok := ep.Persona(profile)
			if !ok {
				var names []string
				for _, p := range ep.Personas {
					names = append(names, p.Profile)
				}
				return fmt.Errorf("no persona %q with an access key (personas: %s)", profile, strings.Join(names, ", "))
			}
			fmt.Fprint(cmd.OutOrStdout(), sandbox.EnvLines(ep, p))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&state, "state", "", "the sandbox's state `DIR`")
	f.StringVar(&profile, "profile", "learner", "persona to print credentials for")
	f.DurationVar(&wait, "wait", 0, "wait up to this long for the sandbox to start")
	return cmd
}

// envEndpoint is the endpoint `seclab sandbox env` prints: the sandbox in
// --state, or the one findSandbox picks (named on stderr when it is a
// lesson's).
func envEndpoint(stderr io.Writer, g *globals, state string, wait time.Duration) (*sandbox.Endpoint, error) {
	if state != "" {
		dir, err := sandboxDir(g, state)
		if err != nil {
			return nil, err
		}
		deadline := time.Now().Add(wait)
		for {
			ep, err := sandbox.ReadEndpoint(dir)
			if err == nil || time.Now().After(deadline) {
				return ep, err
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	standalone, err := sandboxDir(g, "")
	if err != nil {
		return nil, err
	}
	stateDir, err := g.stateDir()
	if err != nil {
		return nil, err
	}
	found, err := findSandbox(standalone, stateDir, wait)
	if err != nil {
		return nil, err
	}
	if found.Lesson != "" {
		fmt.Fprintf(stderr, "seclab: using the sandbox of %s at %s (state: %s)\n", lessonName(g, found.Lesson), found.Endpoint.URL, found.Dir)
	}
	return found.Endpoint, nil
}

// lessonName is "lesson 1 (welcome)", or "lesson welcome" when the pack
// at hand does not have the ID (the UI may run another pack).
func lessonName(g *globals, id string) string {
	if pack, err := g.lessonPack(); err == nil {
		for _, l := range pack.Lessons {
			if l.ID == id {
				return fmt.Sprintf("lesson %d (%s)", l.Number, id)
			}
		}
	}
	return "lesson " + id
}

func newSandboxClockCmd(g *globals) *cobra.Command {
	var state string
	clock := &cobra.Command{
		Use:   "clock",
		Short: "Move the sandbox's clock (key deletion windows, secret recovery, session expiry)",
	}
	advance := &cobra.Command{
		Use:   "advance DURATION",
		Short: "Move the sandbox's clock forward, e.g. 7d, 36h, 1d12h",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := sandbox.ParseDuration(args[0])
			if err != nil {
				return err
			}
			dir, err := sandboxDir(g, state)
			if err != nil {
				return err
			}
			now, err := sandbox.AdvanceClock(cmd.Context(), dir, d)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "sandbox clock is now %s\n", now.Format(time.RFC3339))
			return nil
		},
	}
	advance.Flags().StringVar(&state, "state", "", "the sandbox's state `DIR`")
	clock.AddCommand(advance)
	return clock
}
