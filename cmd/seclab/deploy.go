package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cfn "github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/smithy-go"
	"github.com/spf13/cobra"

	"github.com/seclab-dev/seclab/lab/sandbox"
	"github.com/seclab-dev/seclab/lab/sandbox/cloudformation/template"
)

func init() {
	register(newDeployCmd)
}

type deployOptions struct {
	stack        string
	overrides    []string
	capabilities []string
	state        string
	noExecute    bool
}

func newDeployCmd(g *globals) *cobra.Command {
	var o deployOptions
	cmd := &cobra.Command{
		Use:   "deploy TEMPLATE [--parameter-overrides KEY=VALUE …]",
		Short: "Deploy a CloudFormation or SAM template to the sandbox, like aws cloudformation deploy",
		Long: `Deploy a CloudFormation template (YAML or JSON, SAM templates included) the
way "aws cloudformation deploy" does: create a change set, wait for it, execute
it and wait for the stack, then print the stack's events and outputs.

Where the calls go:
  - AWS_ENDPOINT_URL set (e.g. after eval "$(seclab sandbox env)"), or
    --target URL: that endpoint, with the usual AWS credentials;
  - otherwise the sandbox running on the state dir, as learner;
  - and if none is running, a sandbox started for the command on that state
    dir, so what you deploy is there the next time the sandbox runs.`,
		Example: `  seclab deploy template.yaml --stack-name notes --capabilities CAPABILITY_IAM \
    --parameter-overrides MySecret=super_secret_string KmsCmkId=`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			// Like the AWS CLI, --parameter-overrides and --capabilities
			// take several words: pflag hands the second and later ones
			// over as arguments.
			for _, a := range args[1:] {
				switch {
				case strings.HasPrefix(a, "CAPABILITY_"):
					o.capabilities = append(o.capabilities, a)
				case strings.Contains(a, "="):
					o.overrides = append(o.overrides, a)
				default:
					return fmt.Errorf("unexpected argument %q: deploy takes one TEMPLATE, KEY=VALUE parameter overrides and CAPABILITY_… names", a)
				}
			}
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			cfg, where, done, err := deployTarget(ctx, g, o.state)
			if err != nil {
				return err
			}
			defer done()
			return runDeploy(ctx, cmd.OutOrStdout(), cfn.NewFromConfig(cfg), where, args[0], o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.stack, "stack-name", "", "the stack's `NAME` (default: the template file's name)")
	f.StringArrayVar(&o.overrides, "parameter-overrides", nil, "parameter values as `KEY=VALUE` words, as many as needed")
	f.StringSliceVar(&o.capabilities, "capabilities", nil, "capabilities to acknowledge, as many as needed: CAPABILITY_IAM, CAPABILITY_NAMED_IAM, CAPABILITY_AUTO_EXPAND")
	f.StringVar(&o.state, "state", "", "the sandbox's state `DIR` (default: as seclab sandbox)")
	f.BoolVar(&o.noExecute, "no-execute-changeset", false, "create the change set and show it, but do not execute it")
	return cmd
}

// deployTarget picks where deploy's calls go and returns the SDK config,
// a description for the user, and a function that releases what it started.
func deployTarget(ctx context.Context, g *globals, state string) (aws.Config, string, func(), error) {
	nothing := func() {}
	opts := []func(*config.LoadOptions) error{}
	if g.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(g.Profile))
	}
	if g.Region != "" {
		opts = append(opts, config.WithRegion(g.Region))
	}
	switch {
	case g.Target == "aws":
		return aws.Config{}, "", nothing, errors.New("seclab deploy works against the sandbox or an endpoint URL; for a real account use aws cloudformation deploy")
	case strings.HasPrefix(g.Target, "http://") || strings.HasPrefix(g.Target, "https://"):
		cfg, err := config.LoadDefaultConfig(ctx, opts...)
		if err != nil {
			return aws.Config{}, "", nothing, fmt.Errorf("load AWS configuration: %w", err)
		}
		cfg.BaseEndpoint = aws.String(g.Target)
		return cfg, g.Target, nothing, nil
	case g.Target != "sandbox" && g.Target != "":
		return aws.Config{}, "", nothing, fmt.Errorf("unknown --target %q: use sandbox or an endpoint URL", g.Target)
	case os.Getenv("AWS_ENDPOINT_URL") != "":
		cfg, err := config.LoadDefaultConfig(ctx, opts...)
		if err != nil {
			return aws.Config{}, "", nothing, fmt.Errorf("load AWS configuration: %w", err)
		}
		return cfg, os.Getenv("AWS_ENDPOINT_URL"), nothing, nil
	}
	dir, err := sandboxDir(g, state)
	if err != nil {
		return aws.Config{}, "", nothing, err
	}
	if ep, err := sandbox.ReadEndpoint(dir); err == nil && reachable(ep.URL) {
		p, ok := ep.Persona("learner")
		if !ok {
			return aws.Config{}, "", nothing, fmt.Errorf("the sandbox at %s has no learner access key", ep.URL)
		}
		cfg := aws.Config{
			Region:       ep.Region,
			Credentials:  credentials.NewStaticCredentialsProvider(p.AccessKeyID, p.SecretAccessKey, ""),
			BaseEndpoint: aws.String(ep.URL),
		}
		return cfg, "the sandbox at " + ep.URL, nothing, nil
	}
	s := sandbox.New(sandbox.WithStateDir(dir))
	if err := s.Start(); err != nil {
		return aws.Config{}, "", nothing, fmt.Errorf("start the sandbox: %w", err)
	}
	return s.Config("learner"), "the sandbox in " + dir, func() { s.Close() }, nil
}

var nonStackChars = regexp.MustCompile(`[^-a-zA-Z0-9]+`)

// defaultStackName derives a stack name from the template's file name.
func defaultStackName(path string) string {
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	name := strings.Trim(nonStackChars.ReplaceAllString(base, "-"), "-")
	if name == "" || !(name[0] >= 'a' && name[0] <= 'z' || name[0] >= 'A' && name[0] <= 'Z') {
		name = "stack-" + name
	}
	return strings.TrimSuffix(name, "-")
}

func parseOverrides(args []string) (map[string]string, error) {
	out := map[string]string{}
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("--parameter-overrides %q: want KEY=VALUE", a)
		}
		out[k] = v
	}
	return out, nil
}

func runDeploy(ctx context.Context, out io.Writer, c *cfn.Client, where, path string, o deployOptions) error {
	body, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read template: %w", err)
	}
	name := o.stack
	if name == "" {
		name = defaultStackName(path)
	}
	overrides, err := parseOverrides(o.overrides)
	if err != nil {
		return err
	}
	exists := false
	if d, err := c.DescribeStacks(ctx, &cfn.DescribeStacksInput{StackName: aws.String(name)}); err == nil {
		exists = len(d.Stacks) == 1 && d.Stacks[0].StackStatus != cfntypes.StackStatusReviewInProgress
	} else if !strings.Contains(apiMessage(err), "does not exist") {
		return fmt.Errorf("look up stack %s: %w", name, err)
	}
	params := mergeParameters(out, body, overrides, exists)
	typ := cfntypes.ChangeSetTypeCreate
	if exists {
		typ = cfntypes.ChangeSetTypeUpdate
	}
	var caps []cfntypes.Capability
	for _, cp := range o.capabilities {
		caps = append(caps, cfntypes.Capability(cp))
	}
	fmt.Fprintf(out, "Deploying %s to stack %s on %s\n\nWaiting for changeset to be created..\n", path, name, where)
	cs, err := c.CreateChangeSet(ctx, &cfn.CreateChangeSetInput{
		StackName: aws.String(name), ChangeSetName: aws.String(fmt.Sprintf("seclab-deploy-%d", time.Now().UnixNano())),
		ChangeSetType: typ, TemplateBody: aws.String(string(body)), Parameters: params, Capabilities: caps,
		Description: aws.String("Created by seclab deploy at " + time.Now().UTC().Format(time.RFC3339)),
	})
	if err != nil {
		switch msg := apiMessage(err); {
		case strings.Contains(msg, "Requires capabilities"):
			return fmt.Errorf("create change set: %w (acknowledge with --capabilities)", err)
		case strings.Contains(msg, "ROLLBACK_COMPLETE state"):
			return fmt.Errorf("create change set: %w (a stack whose creation rolled back can only be deleted: aws cloudformation delete-stack --stack-name %s, then deploy again)", err, name)
		}
		return fmt.Errorf("create change set: %w", err)
	}
	waitCS := cfn.NewChangeSetCreateCompleteWaiter(c, func(o *cfn.ChangeSetCreateCompleteWaiterOptions) { o.MinDelay = time.Second })
	desc, err := waitCS.WaitForOutput(ctx, &cfn.DescribeChangeSetInput{ChangeSetName: cs.Id, StackName: aws.String(name)}, 10*time.Minute)
	if err != nil {
		d, derr := c.DescribeChangeSet(ctx, &cfn.DescribeChangeSetInput{ChangeSetName: cs.Id, StackName: aws.String(name)})
		if derr == nil && strings.Contains(aws.ToString(d.StatusReason), "didn't contain changes") {
			fmt.Fprintf(out, "\nNo changes to deploy. Stack %s is up to date\n", name)
			return nil
		}
		if derr == nil {
			return fmt.Errorf("change set %s: %s: %s", name, d.Status, aws.ToString(d.StatusReason))
		}
		return fmt.Errorf("wait for the change set: %w", err)
	}
	for _, ch := range desc.Changes {
		rc := ch.ResourceChange
		fmt.Fprintf(out, "  %-7s %-32s %s\n", rc.Action, aws.ToString(rc.LogicalResourceId), aws.ToString(rc.ResourceType))
	}
	if o.noExecute {
		fmt.Fprintf(out, "\nChange set created: %s\n", aws.ToString(cs.Id))
		return nil
	}
	seen := map[string]bool{}
	if ev, err := c.DescribeStackEvents(ctx, &cfn.DescribeStackEventsInput{StackName: cs.StackId}); err == nil {
		for _, e := range ev.StackEvents {
			seen[aws.ToString(e.EventId)] = true
		}
	}
	if _, err := c.ExecuteChangeSet(ctx, &cfn.ExecuteChangeSetInput{ChangeSetName: cs.Id, StackName: aws.String(name)}); err != nil {
		return fmt.Errorf("execute change set: %w", err)
	}
	fmt.Fprintf(out, "\nWaiting for stack create/update to complete\n")
	var waitErr error
	if typ == cfntypes.ChangeSetTypeCreate {
		waitErr = cfn.NewStackCreateCompleteWaiter(c, func(o *cfn.StackCreateCompleteWaiterOptions) { o.MinDelay = time.Second }).
			Wait(ctx, &cfn.DescribeStacksInput{StackName: cs.StackId}, 30*time.Minute)
	} else {
		waitErr = cfn.NewStackUpdateCompleteWaiter(c, func(o *cfn.StackUpdateCompleteWaiterOptions) { o.MinDelay = time.Second }).
			Wait(ctx, &cfn.DescribeStacksInput{StackName: cs.StackId}, 30*time.Minute)
	}
	printEvents(ctx, out, c, aws.ToString(cs.StackId), seen)
	if waitErr != nil {
		return &exitError{code: 1, err: fmt.Errorf("failed to create/update the stack %s; the events above say why", name)}
	}
	fmt.Fprintf(out, "\nSuccessfully created/updated stack - %s\n", name)
	d, err := c.DescribeStacks(ctx, &cfn.DescribeStacksInput{StackName: cs.StackId})
	if err == nil && len(d.Stacks) == 1 && len(d.Stacks[0].Outputs) > 0 {
		fmt.Fprintln(out, "\nOutputs:")
		for _, op := range d.Stacks[0].Outputs {
			fmt.Fprintf(out, "  %s = %s\n", aws.ToString(op.OutputKey), aws.ToString(op.OutputValue))
		}
	}
	return nil
}

// mergeParameters builds the change set's parameters as the AWS CLI does:
// overridden values, and UsePreviousValue for the rest when the stack
// exists (a new stack takes the template's defaults).
func mergeParameters(out io.Writer, body []byte, overrides map[string]string, exists bool) []cfntypes.Parameter {
	var declared []string
	if t, err := template.Parse(body); err == nil {
		declared = t.ParameterNames()
	} else {
		for k := range overrides {
			declared = append(declared, k) // the service will report the template's problem
		}
		slices.Sort(declared)
	}
	var params []cfntypes.Parameter
	for _, k := range declared {
		if v, ok := overrides[k]; ok {
			params = append(params, cfntypes.Parameter{ParameterKey: aws.String(k), ParameterValue: aws.String(v)})
		} else if exists {
			params = append(params, cfntypes.Parameter{ParameterKey: aws.String(k), UsePreviousValue: aws.Bool(true)})
		}
	}
	var unknown []string
	for k := range overrides {
		if !slices.Contains(declared, k) {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	for _, k := range unknown {
		fmt.Fprintf(out, "note: the template has no parameter %s; ignoring its override\n", k)
	}
	return params
}

// printEvents prints the stack's events not in seen, oldest first.
func printEvents(ctx context.Context, out io.Writer, c *cfn.Client, stackID string, seen map[string]bool) {
	ev, err := c.DescribeStackEvents(ctx, &cfn.DescribeStackEventsInput{StackName: aws.String(stackID)})
	if err != nil {
		fmt.Fprintf(out, "(could not read the stack's events: %v)\n", err)
		return
	}
	for _, e := range slices.Backward(ev.StackEvents) {
		if seen[aws.ToString(e.EventId)] {
			continue
		}
		line := fmt.Sprintf("  %-36s %-28s %s", e.ResourceStatus, aws.ToString(e.ResourceType), aws.ToString(e.LogicalResourceId))
		if r := aws.ToString(e.ResourceStatusReason); r != "" {
			line += "  " + r
		}
		fmt.Fprintln(out, line)
	}
}

func apiMessage(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorMessage()
	}
	return err.Error()
}
