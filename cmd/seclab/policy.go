package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

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
		cmd.AddCommand(newPolicyEvalCmd(), newPolicyValidateCmd(), newPolicyExplainCmd())
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

func newPolicyValidateCmd() *cobra.Command {
	var kind string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "validate FILE",
		Short: "Check a policy document; exit status 1 if any finding is an ERROR",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			k, ok := policy.ParseKindName(kind)
			if !ok {
				return fmt.Errorf("unknown --type %q (use identity, managed, aws-managed, resource, key, trust, scp, rcp or session)", kind)
			}
			doc, err := readDoc(cmd, args[0])
			if err != nil {
				return err
			}
			findings := policy.Validate(doc, k)
			out := cmd.OutOrStdout()
			if asJSON {
				if findings == nil {
					findings = []policy.Finding{}
				}
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(findings); err != nil {
					return fmt.Errorf("write findings: %w", err)
				}
			} else {
				for _, f := range findings {
					fmt.Fprintf(out, "%s:%s\n", args[0], f)
				}
				if len(findings) == 0 {
					fmt.Fprintf(out, "%s: no findings\n", args[0])
				}
			}
			for _, f := range findings {
				if f.Severity == policy.SeverityError {
					return &exitError{code: 1, err: errors.New("")}
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&kind, "type", "identity", "policy type: identity, managed, aws-managed, resource, key, trust, scp, rcp or session")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the findings as JSON")
	return cmd
}

func readDoc(cmd *cobra.Command, name string) ([]byte, error) {
	f, err := openInput(cmd, name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return b, nil
}

// explainFlags are the request and policies given on the command line.
type explainFlags struct {
	caseFile, principal, action, resource, resourceAccount string
	identity, boundaries, context                          []string
	resourcePolicy, sessionPolicy                          string
	asJSON                                                 bool
}

func newPolicyExplainCmd() *cobra.Command {
	var f explainFlags
	cmd := &cobra.Command{
		Use:   "explain (--case FILE|- | --principal ARN --action ACTION [--resource ARN] [policies…])",
		Short: "Evaluate one request and print the evaluation path step by step",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			in, err := f.input(cmd)
			if err != nil {
				return err
			}
			x := policy.Explain(in)
			out := cmd.OutOrStdout()
			if f.asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				if err := enc.Encode(x); err != nil {
					return fmt.Errorf("write explanation: %w", err)
				}
				return nil
			}
			_, err = io.WriteString(out, x.String())
			return err
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.caseFile, "case", "", "read the request from a case `FILE` in the JSON-lines case format (- for stdin; the first case is used)")
	fl.StringVar(&f.principal, "principal", "", "caller `ARN` (user, assumed-role session, role, account root or service principal)")
	fl.StringVar(&f.action, "action", "", "action, e.g. kms:Decrypt")
	fl.StringVar(&f.resource, "resource", "*", "resource `ARN`")
	fl.StringVar(&f.resourceAccount, "resource-account", "", "account that owns the resource (default: taken from the resource ARN)")
	fl.StringArrayVar(&f.identity, "identity-policy", nil, "identity-based policy `FILE` (repeatable)")
	fl.StringVar(&f.resourcePolicy, "resource-policy", "", "resource-based policy `FILE` (key policy, secret policy or trust policy)")
	fl.StringArrayVar(&f.boundaries, "boundary", nil, "permissions boundary policy `FILE`")
	fl.StringVar(&f.sessionPolicy, "session-policy", "", "session policy `FILE`")
	fl.StringArrayVar(&f.context, "context", nil, "request context key `k=v` (repeat a key for several values)")
	fl.BoolVar(&f.asJSON, "json", false, "print the explanation as JSON")
	return cmd
}

func (f *explainFlags) input(cmd *cobra.Command) (*policy.Input, error) {
	if f.caseFile != "" {
		b, err := readDoc(cmd, f.caseFile)
		if err != nil {
			return nil, err
		}
		for _, line := range bytes.Split(b, []byte("\n")) {
			if line = bytes.TrimSpace(line); len(line) == 0 {
				continue
			}
			c, err := policy.DecodeCase(line)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f.caseFile, err)
			}
			return &c.Input, nil
		}
		return nil, fmt.Errorf("%s: no case found", f.caseFile)
	}
	if f.principal == "" || f.action == "" {
		return nil, fmt.Errorf("give --case FILE, or --principal and --action")
	}
	in := &policy.Input{Request: policy.Request{Principal: f.principal, Action: f.action, Resource: f.resource, ResourceAccount: f.resourceAccount}}
	if in.Request.ResourceAccount == "" {
		if parts := strings.SplitN(f.resource, ":", 6); len(parts) == 6 {
			in.Request.ResourceAccount = parts[4]
		}
	}
	load := func(name string, k policy.Kind) (policy.Named, error) {
		doc, err := readDoc(cmd, name)
		if err != nil {
			return policy.Named{}, err
		}
		p, err := policy.ParseKind(doc, k)
		if err != nil {
			return policy.Named{}, fmt.Errorf("%s: %w", name, err)
		}
		return policy.Named{Name: strings.TrimSuffix(filepath.Base(name), filepath.Ext(name)), Policy: p}, nil
	}
	for _, name := range f.identity {
		n, err := load(name, policy.Managed)
		if err != nil {
			return nil, err
		}
		in.Identity = append(in.Identity, n)
	}
	for _, name := range f.boundaries {
		n, err := load(name, policy.Managed)
		if err != nil {
			return nil, err
		}
		in.Boundaries = append(in.Boundaries, n)
	}
	if f.resourcePolicy != "" {
		k := policy.Resource
		switch {
		case strings.Contains(f.resource, ":kms:"):
			k = policy.KeyPolicy
		case strings.HasPrefix(strings.ToLower(f.action), "sts:assumerole"):
			k = policy.Trust
		}
		n, err := load(f.resourcePolicy, k)
		if err != nil {
			return nil, err
		}
		in.Resource = &n
	}
	if f.sessionPolicy != "" {
		n, err := load(f.sessionPolicy, policy.Session)
		if err != nil {
			return nil, err
		}
		in.Session = &n
	}
	if len(f.context) > 0 {
		ctx := policy.NewContext()
		vals := map[string][]string{}
		var order []string
		for _, kv := range f.context {
			k, v, ok := strings.Cut(kv, "=")
			if !ok || k == "" {
				return nil, fmt.Errorf("--context %q: use key=value", kv)
			}
			if _, seen := vals[k]; !seen {
				order = append(order, k)
			}
			vals[k] = append(vals[k], v)
		}
		for _, k := range order {
			ctx.Set(k, vals[k]...)
		}
		in.Request.Context = ctx
	}
	return in, nil
}
