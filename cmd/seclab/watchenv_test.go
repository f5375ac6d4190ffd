package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/google/go-cmp/cmp"

	"github.com/seclab-dev/seclab/lab/check"
	"github.com/seclab-dev/seclab/lab/sandbox"
	"github.com/seclab-dev/seclab/lab/session"
	"github.com/seclab-dev/seclab/lessons"
	"github.com/seclab-dev/seclab/ui"
)

// parseExports reads the `export NAME=VALUE` lines of `seclab sandbox env`.
func parseExports(t *testing.T, s string) map[string]string {
	t.Helper()
	out := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), "export ")
		if !ok {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("bad export line %q", sc.Text())
		}
		out[k] = v
	}
	return out
}

// TestSecondTerminalPassesStep is the lab runtime's second-terminal
// workflow without tmux: lesson 1 open as the terminal UI opens it, the
// exports `seclab sandbox env` prints, a separate SDK client built from
// them alone, and watch mode passing the step after that client's calls.
func TestSecondTerminalPassesStep(t *testing.T) {
	pack, err := lessons.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	l, err := pack.Find("1")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	g := &globals{Target: "sandbox", StateDir: dir}
	ctx := context.Background()
	prog, err := g.progress()
	if err != nil {
		t.Fatal(err)
	}
	env, err := openLabWith(ctx, g, l, dir, prog, skipProgress)
	if err != nil {
		t.Fatal(err)
	}
	lab := newUILab(env)
	closed := false
	defer func() {
		if !closed {
			lab.Close()
		}
	}()
	if err := lab.Prepare(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if rep := lab.Check(ctx, 0); rep.Status() == ui.CheckPass {
		t.Fatalf("step passes before anything was done: %+v", rep)
	}
	updates, cancel := env.session.Subscribe()
	defer cancel()
	env.session.Watch(50 * time.Millisecond)

	// The second terminal: `eval "$(seclab sandbox env)"`.
	var stderr bytes.Buffer
	ep, err := envEndpoint(&stderr, g, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := "using the sandbox of lesson 1 (welcome)"; !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr = %q, want it to say %q", stderr.String(), want)
	}
	learner, ok := ep.Persona("learner")
	if !ok {
		t.Fatalf("no learner persona in %+v", ep.Personas)
	}
	if _, ok := ep.Persona("alice"); !ok {
		t.Errorf("the lesson's persona alice is not published: %+v", ep.Personas)
	}
	exports := parseExports(t, sandbox.EnvLines(ep, learner))
	cfg := aws.Config{Region: exports["AWS_REGION"], BaseEndpoint: aws.String(exports["AWS_ENDPOINT_URL"]),
		Credentials: credentials.NewStaticCredentialsProvider(exports["AWS_ACCESS_KEY_ID"], exports["AWS_SECRET_ACCESS_KEY"], "")}
	id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := secretsmanager.NewFromConfig(cfg).CreateSecret(ctx, &secretsmanager.CreateSecretInput{
		Name: aws.String("seclab/welcome/note"), SecretString: id.Account}); err != nil {
		t.Fatal(err)
	}

	// Watch mode re-checks after the other terminal's write and passes.
	// The check's GetSecretValue and the Decrypt Secrets Manager made for
	// it are marked as the check's; the other terminal's calls are not.
	want := map[string]bool{"learner secretsmanager:GetSecretValue": true, "learner kms:Decrypt": true}
	checkCalls := map[string]bool{}
	deadline := time.After(20 * time.Second)
	for passed := false; !passed || len(checkCalls) < len(want); {
		select {
		case u, ok := <-updates:
			if !ok {
				t.Fatal("updates closed")
			}
			switch {
			case u.Kind == session.UpdateTrail && u.Event.Source == check.SourceCheck:
				checkCalls[u.Event.PrincipalName+" "+u.Event.Action] = true
			case u.Kind == session.UpdateChecked:
				if u.Result.Outcome == check.Pass {
					passed = true
				}
			}
		case <-deadline:
			t.Fatalf("watch mode never passed the step, or its calls were not seen (%v)", checkCalls)
		}
	}
	select {
	case <-lab.Changes():
	default:
		t.Error("the terminal UI was not told of the other terminal's write")
	}
	if rep := lab.Check(ctx, 0); rep.Status() != ui.CheckPass {
		t.Errorf("the UI's check after the write = %+v", rep)
	}
	if diff := cmp.Diff(want, checkCalls); diff != "" {
		t.Errorf("calls marked as the checks' own (-want +got):\n%s", diff)
	}
	// The trail pane gets them marked too, to dim them.
	uiMarked := map[string]bool{}
	for end := time.Now().Add(5 * time.Second); len(uiMarked) < len(want) && time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		for _, e := range lab.Trail(0) {
			if e.Source == check.SourceCheck {
				uiMarked[e.Principal+" "+e.Action] = true
			}
		}
	}
	if diff := cmp.Diff(want, uiMarked); diff != "" {
		t.Errorf("trail pane events marked as the checks' own (-want +got):\n%s", diff)
	}

	// A user the other terminal gives an access key becomes a profile.
	iamc := iam.NewFromConfig(cfg)
	if _, err := iamc.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("carol")}); err != nil {
		t.Fatal(err)
	}
	if _, err := iamc.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("carol")}); err != nil {
		t.Fatal(err)
	}
	for end := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		ep, err := envEndpoint(io.Discard, g, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := ep.Persona("carol"); ok {
			break
		}
		if time.Now().After(end) {
			t.Fatalf("carol never became a profile: %+v", ep.Personas)
		}
	}

	// Closing the lesson withdraws the endpoint.
	closed = true
	if err := lab.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(session.SandboxDir(dir, l.ID), sandbox.EndpointFile)); !os.IsNotExist(err) {
		t.Errorf("endpoint file after close: %v", err)
	}
	if _, err := envEndpoint(&stderr, g, "", 0); err == nil || !strings.Contains(err.Error(), "no sandbox is running") {
		t.Errorf("env after close: %v", err)
	}
}
