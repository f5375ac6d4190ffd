package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/seclab-dev/seclab/lab/policy"
	"github.com/spf13/cobra"
)

// This file holds `seclab policy …`: evaluate JSON-lines cases, validate a
// policy document, and explain one request.

func init() {
	register(func(g *globals) *cobra.Command {
		cmd := &cobra.Command{
			Use:   "policy",
			Short: "Evaluate, validate and explain IAM policies",
		}
		cmd.AddCommand(newPolicyEvalCmd())
		return cmd
	})
}

// openInput opens a file, or stdin for "-".
func openInput(cmd *cobra.Command, name string) (io.ReadCloser, error) {
	if name == "-" {
		return io.NopCloser(cmd.InOrStdin()), nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	return f, nil
}

func newPolicyEvalCmd() *cobra.Command {
	var cases string
	cmd := &cobra.Command{
		Use:   "eval --cases FILE|-",
		Short: "Evaluate JSON-lines authorization cases, one result line per case",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cases == "" {
				return fmt.Errorf("--cases FILE (or - for stdin) is required")
			}
			in, err := openInput(cmd, cases)
			if err != nil {
				return err
			}
			defer in.Close()
			return evalCases(in, cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringVar(&cases, "cases", "", "read cases from `FILE` (- for stdin)")
	return cmd
}

// evalCases evaluates each non-blank line and writes its result line,
// flushing after every line so that a pipe sees results as they come.
func evalCases(r io.Reader, w io.Writer) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		if err := enc.Encode(policy.EvalCaseLine(line)); err != nil {
			return fmt.Errorf("write result: %w", err)
		}
		if err := bw.Flush(); err != nil {
			return fmt.Errorf("write result: %w", err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read cases: %w", err)
	}
	return nil
}
