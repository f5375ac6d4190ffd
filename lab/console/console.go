// Package console runs AWS CLI–style command lines against any AWS
// endpoint through aws-sdk-go-v2: `aws kms encrypt --key-id alias/demo
// --plaintext aGVsbG8=` is parsed generically, by reflection over the SDK
// clients' operations and input types, into an SDK call, and its result is
// printed as the AWS CLI v2 prints it (json, text or table, with --query).
//
// The console knows nothing about where its aws.Config comes from: the
// lab session hands it one per persona, so the same commands run against
// the sandbox, an AWS-compatible endpoint or a real account. It never
// imports the sandbox or any UI package.
package console

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// Learner is the name of the learner's own identity.
const Learner = "learner"

// Configs gives the SDK configuration for a persona ("learner", "alice").
type Configs interface {
	Config(ctx context.Context, persona string) (aws.Config, error)
}

// ConfigsFunc adapts a function to Configs.
type ConfigsFunc func(ctx context.Context, persona string) (aws.Config, error)

// Config calls f.
func (f ConfigsFunc) Config(ctx context.Context, persona string) (aws.Config, error) {
	return f(ctx, persona)
}

// Options configure a Console.
type Options struct {
	// Configs supplies credentials and endpoints per persona. Required.
	Configs Configs
	// Personas lists the personas `as` accepts besides learner.
	Personas []string
	// Workspace is the folder file:// paths are relative to.
	Workspace string
	// HistoryFile persists the command history ("" keeps it in memory).
	HistoryFile string
	// Width is the terminal width tables must fit (default 80).
	Width int
	// Endpoint is shown in connection errors ("http://127.0.0.1:4566").
	Endpoint string
	// OnCall, if set, is told about every AWS call of a command line
	// given to Exec (watch mode re-runs checks after them); calls made
	// through Run directly (checks, setup) are not reported.
	OnCall func(Result)
	// Intercept, if set, sees every SDK call before it is made (Run, Exec
	// and Call alike): it may change the input (add tags), refuse the call
	// by returning an error (read-only mode), and get the result through
	// the returned function (nil when it needs none).
	Intercept func(ctx context.Context, persona string, inv *Invocation) (after func(data any, err error), err error)
}

// Console runs command lines. It is safe for concurrent use.
type Console struct {
	opts    Options
	mu      sync.Mutex
	persona string
	clients map[clientKey]any
	history *History
}

type clientKey struct{ service, persona, region string }

// New returns a console acting as the learner.
func New(opts Options) *Console {
	if opts.Width <= 0 {
		opts.Width = 80
	}
	return &Console{opts: opts, persona: Learner, clients: map[clientKey]any{}, history: OpenHistory(opts.HistoryFile)}
}

// Persona is the identity commands run as.
func (c *Console) Persona() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.persona
}

// SetPersona switches identity, as the `as` builtin does.
func (c *Console) SetPersona(name string) error {
	if !c.knowsPersona(name) {
		return fmt.Errorf("unknown persona %q: this lesson has %s", name, strings.Join(c.personaNames(), ", "))
	}
	c.mu.Lock()
	c.persona = name
	c.mu.Unlock()
	return nil
}

// SetWidth sets the width tables are fitted to.
func (c *Console) SetWidth(w int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if w > 0 {
		c.opts.Width = w
	}
}

func (c *Console) width() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.opts.Width
}

func (c *Console) personaNames() []string {
	return append([]string{Learner}, c.opts.Personas...)
}

func (c *Console) knowsPersona(name string) bool {
	for _, p := range c.personaNames() {
		if p == name {
			return true
		}
	}
	return false
}

// History is the console's command history.
func (c *Console) History() *History { return c.history }

// ResolvePath maps a path typed by the learner (file://NAME, `edit NAME`)
// to a file: relative paths are inside the workspace, ~ is the home
// folder.
func (c *Console) ResolvePath(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, strings.TrimPrefix(p, "~"))
		}
	}
	if filepath.IsAbs(p) || c.opts.Workspace == "" {
		return filepath.Clean(p)
	}
	return filepath.Join(c.opts.Workspace, filepath.FromSlash(p))
}

// Result is the outcome of one AWS call.
type Result struct {
	Service   string // "kms"
	Operation string // "Decrypt"
	Persona   string
	// Data is the response as a JSON-like tree (before --query): what
	// `--output json` prints and what checks query.
	Data any
	// Output is the formatted output as the CLI prints it on stdout.
	Output string
	// Err is the failure, with the CLI's text; nil on success.
	Err *Error
	// Elapsed is the time the SDK call took.
	Elapsed time.Duration
}

// Exec runs one console line (an `aws …` command or a builtin) and returns
// what it prints. A failed command returns its output so far and an
// *Error whose text is what the AWS CLI prints on stderr.
func (c *Console) Exec(ctx context.Context, line string) (string, error) {
	line = strings.TrimSpace(line)
	if line == "" {
		return "", nil
	}
	c.history.Add(line)
	words, err := Split(line)
	if err != nil {
		return "", &Error{Status: ExitUsage, Message: "seclab: " + err.Error()}
	}
	switch words[0] {
	case "aws":
		r := c.Run(ctx, "", words)
		c.notify(r)
		if r.Err != nil {
			return r.Output, r.Err
		}
		return r.Output, nil
	case "as":
		if len(words) != 2 {
			return "", &Error{Status: ExitUsage, Message: "usage: as PERSONA (one of " + strings.Join(c.personaNames(), ", ") + ")"}
		}
		if err := c.SetPersona(words[1]); err != nil {
			return "", &Error{Status: ExitUsage, Message: err.Error()}
		}
		return "", nil
	case "whoami":
		return c.whoami(ctx)
	case "help":
		return Help(words[1:])
	case "history":
		return c.history.Format(), nil
	case "time":
		return c.timeCommand(ctx, words[1:])
	case "edit":
		return "", &Error{Status: ExitUsage, Message: "edit opens a workspace file in $EDITOR; it is available in the lab's console pane"}
	}
	msg := fmt.Sprintf("unknown command %q: commands start with aws, or are one of as, whoami, help, history, time, edit", words[0])
	if s := closeMatchesCutoff(words[0], builtins, 0.6); len(s) > 0 {
		msg += fmt.Sprintf(" (maybe you meant %s?)", s[0])
	}
	return "", &Error{Status: ExitUsage, Message: msg}
}

// Run runs the words of an `aws …` command as persona ("" for the
// console's current persona). It never panics on any input.
func (c *Console) Run(ctx context.Context, persona string, words []string) Result {
	res := Result{Persona: persona}
	if res.Persona == "" {
		res.Persona = c.Persona()
	}
	inv, err := Parse(words, c.ResolvePath)
	if err != nil {
		res.Err = cliError(nil, c.opts.Endpoint, err)
		return res
	}
	if inv.Help {
		out, _ := helpFor(inv.Service, inv.Op)
		res.Output = out
		return res
	}
	res.Service, res.Operation = inv.Service.Name, inv.Op.Name
	if inv.Profile != "" {
		if !c.knowsPersona(inv.Profile) {
			res.Err = &Error{Status: ExitFailure, Message: fmt.Sprintf("The config profile (%s) could not be found", inv.Profile)}
			return res
		}
		res.Persona = inv.Profile
	}
	data, elapsed, err := c.Call(ctx, res.Persona, inv)
	res.Elapsed = elapsed
	if err != nil {
		res.Err = cliError(inv.Op, c.opts.Endpoint, err)
	} else {
		res.Data = data
		out, ferr := Format(data, inv.Query, inv.Output, inv.Op.Name, c.width())
		if ferr != nil {
			res.Err = cliError(inv.Op, c.opts.Endpoint, ferr)
		}
		res.Output = out
	}
	return res
}

// notify tells OnCall about a command the learner ran.
func (c *Console) notify(r Result) {
	if c.opts.OnCall != nil && r.Operation != "" {
		c.opts.OnCall(r)
	}
}

// Call makes the SDK call of a parsed invocation as persona and returns
// the response as a tree.
func (c *Console) Call(ctx context.Context, persona string, inv *Invocation) (data any, elapsed time.Duration, err error) {
	client, err := c.client(ctx, inv.Service, persona, inv.Region)
	if err != nil {
		return nil, 0, err
	}
	if c.opts.Intercept != nil {
		after, ierr := c.opts.Intercept(ctx, persona, inv)
		if ierr != nil {
			return nil, 0, ierr
		}
		if after != nil {
			defer func() { after(data, err) }()
		}
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the SDK failed on %s %s: %v", inv.Service.Name, inv.Op.CLIName, r)
		}
	}()
	return c.call(ctx, client, inv, inv.NoPaginate)
}

func (c *Console) client(ctx context.Context, s *Service, persona, region string) (any, error) {
	key := clientKey{s.Name, persona, region}
	c.mu.Lock()
	cl, ok := c.clients[key]
	c.mu.Unlock()
	if ok {
		return cl, nil
	}
	if c.opts.Configs == nil {
		return nil, errNoCredentials
	}
	cfg, err := c.opts.Configs.Config(ctx, persona)
	if err != nil {
		return nil, fmt.Errorf("credentials for %s: %w", persona, err)
	}
	if cfg.Credentials == nil {
		return nil, errNoCredentials
	}
	if region != "" {
		cfg.Region = region
	}
	cl = s.newClient(cfg)
	c.mu.Lock()
	c.clients[key] = cl
	c.mu.Unlock()
	return cl, nil
}

// ForgetClients drops cached clients, e.g. after a persona's credentials
// changed.
func (c *Console) ForgetClients() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.clients = map[clientKey]any{}
}

func (c *Console) whoami(ctx context.Context) (string, error) {
	persona := c.Persona()
	client, err := c.client(ctx, LookupService("sts"), persona, "")
	if err != nil {
		return "", cliError(nil, c.opts.Endpoint, err)
	}
	out, err := client.(*sts.Client).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", cliError(LookupService("sts").Operation("get-caller-identity"), c.opts.Endpoint, err)
	}
	return fmt.Sprintf("persona: %s\narn:     %s\naccount: %s\n", persona, aws.ToString(out.Arn), aws.ToString(out.Account)), nil
}

// timeCommand is `time N aws …`: run the command N times and report the
// median latency of the SDK calls.
func (c *Console) timeCommand(ctx context.Context, args []string) (string, error) {
	usage := &Error{Status: ExitUsage, Message: "usage: time N aws SERVICE OPERATION [flags] (N from 1 to 1000)"}
	if len(args) < 2 {
		return "", usage
	}
	n, err := strconv.Atoi(args[0])
	if err != nil || n < 1 || n > 1000 || args[1] != "aws" {
		return "", usage
	}
	var lat []time.Duration
	var last Result
	for i := 0; i < n; i++ {
		if err := ctx.Err(); err != nil {
			return "", &Error{Status: ExitFailure, Message: "interrupted", err: err}
		}
		last = c.Run(ctx, "", args[1:])
		c.notify(last)
		if last.Err != nil {
			return "", last.Err
		}
		lat = append(lat, last.Elapsed)
	}
	if last.Operation == "" { // help
		return last.Output, nil
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	med := lat[len(lat)/2]
	if len(lat)%2 == 0 {
		med = (lat[len(lat)/2-1] + lat[len(lat)/2]) / 2
	}
	return fmt.Sprintf("%s %s: %d runs, median %s (min %s, max %s)\n",
		last.Service, Kebab(last.Operation), n, fmtDur(med), fmtDur(lat[0]), fmtDur(lat[len(lat)-1])), nil
}

func fmtDur(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 2, 64) + " ms"
}

// ErrorCode returns the AWS error code of a failed command, or "".
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
