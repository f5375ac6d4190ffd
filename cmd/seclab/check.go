package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/seclab-dev/seclab/lab/check"
	"github.com/seclab-dev/seclab/lab/progress"
	"github.com/seclab-dev/seclab/lessons"
)

func init() { register(newCheckCmd) }

// checkReport is `seclab check --json`.
type checkReport struct {
	Outcome check.Outcome  `json:"outcome"`
	Solve   bool           `json:"solve"`
	Target  string         `json:"target"`
	Lessons []lessonReport `json:"lessons"`
	Elapsed time.Duration  `json:"elapsed_ns"`
}

type lessonReport struct {
	Number  int           `json:"number"`
	ID      string        `json:"id"`
	Title   string        `json:"title"`
	Outcome check.Outcome `json:"outcome"`
	// Error is why the lesson could not be checked at all.
	Error string       `json:"error,omitempty"`
	Steps []stepReport `json:"steps"`
}

type stepReport struct {
	Number  int            `json:"number"`
	ID      string         `json:"id"`
	Title   string         `json:"title"`
	Outcome check.Outcome  `json:"outcome"`
	Error   string         `json:"error,omitempty"`
	Checks  []check.Result `json:"checks"`
	// Before are the checks' results before the solution (--solve).
	Before []check.Result `json:"before,omitempty"`
	// AuthoringErrors list what the self-test found wrong with the step
	// itself (--solve): checks that pass before the solution runs.
	AuthoringErrors []string `json:"authoring_errors,omitempty"`
}

func newCheckCmd(g *globals) *cobra.Command {
	var all, solve, asJSON bool
	cmd := &cobra.Command{
		Use:   "check [N|ID ...] [--all]",
		Short: "Run lessons' checks without the terminal UI (grading, CI)",
		Long: `Run the checks of every step of the named lessons (or --all) and report
PASS, FAIL or ERROR per check. The exit status is 0 only when every checked
step passes.

With --solve, run the authoring self-test instead: for each step, its setup,
its checks (each must FAIL), its solution, and its checks again (each must
PASS). The self-test works in a fresh temporary state folder unless
--state-dir is given, so it never touches the learner's progress.

Exit status: 0 when every checked step passes, 1 when one fails or could
not be checked, 2 for a usage error.`,
		Example: "  seclab check 3\n  seclab check --all --json\n  seclab check --all --solve",
		RunE: func(cmd *cobra.Command, args []string) error {
			if all == (len(args) > 0) {
				return &exitError{code: 2, err: fmt.Errorf("name the lessons to check (seclab check 3 5) or pass --all, not both")}
			}
			pack, err := g.lessonPack()
			if err != nil {
				return err
			}
			chosen := pack.Lessons
			if !all {
				chosen = nil
				for _, a := range args {
					l, err := pack.Find(a)
					if err != nil {
						return &exitError{code: 2, err: err}
					}
					chosen = append(chosen, l)
				}
			}
			if all && g.isRealTarget() {
				chosen = realLessons(cmd.ErrOrStderr(), chosen)
			}
			if err := preflightLessons(cmd.Context(), g, chosen); err != nil {
				return err
			}
			rep, err := runChecks(cmd.Context(), g, chosen, solve)
			if err != nil {
				return err
			}
			remindCleanup(cmd.ErrOrStderr(), g)
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				if err := enc.Encode(rep); err != nil {
					return err
				}
			} else {
				printReport(cmd.OutOrStdout(), rep)
			}
			if rep.Outcome != check.Pass {
				return &exitError{code: 1, err: fmt.Errorf("")}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "check every lesson of the pack")
	cmd.Flags().BoolVar(&solve, "solve", false, "run the authoring self-test: checks must fail before each solution and pass after")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON report")
	return cmd
}

// runChecks checks the lessons, several at once (each has its own
// sandbox), and reports them in order.
func runChecks(ctx context.Context, g *globals, chosen []*lessons.Lesson, solve bool) (*checkReport, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	start := time.Now()
	stateDir := g.StateDir
	if solve && stateDir == "" {
		tmp, err := os.MkdirTemp("", "seclab-selftest-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(tmp)
		stateDir = tmp
	}
	if stateDir == "" {
		var err error
		if stateDir, err = g.stateDir(); err != nil {
			return nil, err
		}
	}
	prog, err := progress.Load(stateDir)
	if err != nil {
		return nil, err
	}
	rep := &checkReport{Solve: solve, Target: g.Target, Lessons: make([]lessonReport, len(chosen))}
	if rep.Target == "" {
		rep.Target = "sandbox"
	}
	sem := make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))
	if g.isRealTarget() {
		// One account, one trail: lessons one at a time, so that no
		// lesson's trail checks see another's calls.
		sem = make(chan struct{}, 1)
	}
	var wg sync.WaitGroup
	for i, l := range chosen {
		wg.Add(1)
		go func(i int, l *lessons.Lesson) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			rep.Lessons[i] = checkLesson(ctx, g, l, stateDir, prog, solve)
		}(i, l)
	}
	wg.Wait()
	if solve {
		// nothing to save
	} else if err := prog.Save(); err != nil {
		fmt.Fprintf(os.Stderr, "seclab: could not save progress: %v\n", err)
	}
	rep.Outcome = check.Pass
	for _, l := range rep.Lessons {
		rep.Outcome = worse(rep.Outcome, l.Outcome)
	}
	if len(chosen) == 0 {
		rep.Outcome = check.Error
	}
	rep.Elapsed = time.Since(start)
	return rep, nil
}

// worse combines outcomes: ERROR over FAIL over PASS.
func worse(a, b check.Outcome) check.Outcome {
	rank := map[check.Outcome]int{check.Pass: 0, check.Fail: 1, check.Error: 2}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

func checkLesson(ctx context.Context, g *globals, l *lessons.Lesson, stateDir string, prog *progress.Progress, solve bool) lessonReport {
	lr := lessonReport{Number: l.Number, ID: l.ID, Title: l.Title, Outcome: check.Pass}
	mode := deferProgress
	if solve {
		mode = skipProgress // the self-test is about the lesson, not the learner
	}
	env, err := openLabWith(ctx, g, l, stateDir, prog, mode)
	if err != nil {
		lr.Outcome, lr.Error = check.Error, err.Error()
		return lr
	}
	defer env.Close()
	s := env.session
	for i, st := range l.Steps {
		sr := stepReport{Number: st.Number, ID: st.ID, Title: st.Title}
		if !solve {
			res := s.CheckStepAt(ctx, i)
			sr.Outcome, sr.Checks, sr.Error = res.Outcome, res.Checks, res.Err
		} else {
			sr = selfTestStep(ctx, env, i, sr)
		}
		lr.Steps = append(lr.Steps, sr)
		lr.Outcome = worse(lr.Outcome, sr.Outcome)
		if solve && sr.Outcome == check.Error && sr.Error != "" {
			break // later steps build on this one
		}
	}
	return lr
}

// selfTestStep runs setup, checks (must FAIL), solution, checks (must PASS).
func selfTestStep(ctx context.Context, env *labEnv, i int, sr stepReport) stepReport {
	s := env.session
	if err := s.StartStep(ctx, i); err != nil {
		sr.Outcome, sr.Error = check.Error, err.Error()
		return sr
	}
	before := s.CheckStepAt(ctx, i)
	sr.Before = before.Checks
	if before.Err != "" {
		sr.Outcome, sr.Error = check.Error, before.Err
		return sr
	}
	for _, c := range before.Checks {
		switch c.Outcome {
		case check.Pass:
			sr.AuthoringErrors = append(sr.AuthoringErrors, fmt.Sprintf("check %q passes before the solution runs", c.Name))
		case check.Error:
			sr.AuthoringErrors = append(sr.AuthoringErrors, fmt.Sprintf("check %q is an ERROR before the solution runs: %s", c.Name, c.Message))
		}
	}
	if err := s.ApplySolution(ctx, i); err != nil {
		sr.Outcome, sr.Error = check.Error, err.Error()
		return sr
	}
	after := s.CheckStepAt(ctx, i)
	sr.Checks, sr.Outcome, sr.Error = after.Checks, after.Outcome, after.Err
	if len(sr.AuthoringErrors) > 0 && sr.Outcome == check.Pass {
		sr.Outcome = check.Fail
	}
	return sr
}

func printReport(w io.Writer, rep *checkReport) {
	marks := map[check.Outcome]string{check.Pass: "PASS ", check.Fail: "FAIL ", check.Error: "ERROR"}
	for _, l := range rep.Lessons {
		fmt.Fprintf(w, "%s lesson %d: %s (%s)\n", marks[l.Outcome], l.Number, l.Title, l.ID)
		if l.Error != "" {
			fmt.Fprintf(w, "      %s\n", indent(l.Error, "      "))
		}
		for _, st := range l.Steps {
			fmt.Fprintf(w, "  %s step %d: %s\n", marks[st.Outcome], st.Number, st.Title)
			if st.Error != "" {
				fmt.Fprintf(w, "        %s\n", indent(st.Error, "        "))
			}
			for _, a := range st.AuthoringErrors {
				fmt.Fprintf(w, "        authoring error: %s\n", a)
			}
			for _, c := range st.Checks {
				if c.Outcome == check.Pass {
					continue
				}
				fmt.Fprintf(w, "    %s %s: %s\n", marks[c.Outcome], c.Name, indent(c.Message, "          "))
				if c.Detail != "" {
					fmt.Fprintf(w, "          %s\n", indent(c.Detail, "          "))
				}
			}
		}
	}
	steps, passed := 0, 0
	for _, l := range rep.Lessons {
		for _, st := range l.Steps {
			steps++
			if st.Outcome == check.Pass {
				passed++
			}
		}
	}
	what := "checked"
	if rep.Solve {
		what = "self-tested"
	}
	fmt.Fprintf(w, "%s: %d of %d steps passed in %d lessons %s in %s\n", rep.Outcome, passed, steps, len(rep.Lessons), what, rep.Elapsed.Round(time.Millisecond))
}

func indent(s, pad string) string { return strings.ReplaceAll(s, "\n", "\n"+pad) }
