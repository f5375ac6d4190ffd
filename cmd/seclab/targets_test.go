package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/google/go-cmp/cmp"

	"github.com/seclab-dev/seclab/lab/cleanup"
	"github.com/seclab-dev/seclab/lab/ledger"
	"github.com/seclab-dev/seclab/lab/sandbox"
)

// asAWS is a sandbox started apart from the seclab under test, which
// treats it as a real account (--as-aws), as CI does.
type asAWS struct {
	sb       *sandbox.Server
	dir      string
	stateDir string
	env      []string
}

func startAsAWS(t *testing.T) *asAWS {
	t.Helper()
	dir := t.TempDir()
	sb := sandbox.New(sandbox.WithStateDir(dir))
	if err := sb.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	if err := sb.WriteProfiles(); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	return &asAWS{sb: sb, dir: dir, stateDir: filepath.Join(home, "state"), env: append(os.Environ(),
		"AWS_CONFIG_FILE="+filepath.Join(dir, sandbox.CLIConfigFile),
		"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, sandbox.CLICredentialsFile),
		"AWS_EC2_METADATA_DISABLED=true", "HOME="+home, "XDG_STATE_HOME="+filepath.Join(home, "xdg"),
		"AWS_PROFILE=", allowedAccountsEnv+"=")}
}

// args are the global flags that point seclab at the sandbox as AWS.
func (a *asAWS) args(more ...string) []string {
	return append(more, "--target", a.sb.URL, "--as-aws", "--sandbox-state", a.dir, "--profile", "learner",
		"--state-dir", a.stateDir, "--yes")
}

// seclab runs the seclab binary (the test binary, see TestMain).
func (a *asAWS) seclab(t *testing.T, stdin io.Reader, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("seclab", args...)
	cmd.Env, cmd.Stdin = a.env, stdin
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// seedLearnersOwn creates what the learner had before seclab: some of it
// named like seclab's, none of it tagged or in the ledger.
func seedLearnersOwn(t *testing.T, cfg aws.Config) {
	t.Helper()
	ctx := context.Background()
	k, sm, im := kms.NewFromConfig(cfg), secretsmanager.NewFromConfig(cfg), iam.NewFromConfig(cfg)
	key, err := k.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("the learner's own")})
	if err != nil {
		t.Fatal(err)
	}
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}`
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:DescribeKey","Resource":"*"}]}`
	for _, err := range []error{
		func() error {
			_, err := k.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/seclab-000000-keep"), TargetKeyId: key.KeyMetadata.KeyId})
			return err
		}(),
		func() error {
			_, err := sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("seclab-000000/keep"), SecretString: aws.String("mine")})
			return err
		}(),
		func() error {
			_, err := im.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("seclab-000000-keep"), AssumeRolePolicyDocument: aws.String(trust)})
			return err
		}(),
		func() error {
			_, err := im.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("dev")})
			return err
		}(),
		func() error {
			_, err := im.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("seclab-000000-keep"), PolicyDocument: aws.String(doc)})
			return err
		}(),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
}

func inventory(t *testing.T, cfg aws.Config) cleanup.Inventory {
	t.Helper()
	inv, err := cleanup.TakeInventory(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

// TestCourseAsAWSThenCleanup runs the course's self-test against a
// sandbox treated as AWS, then cleanup, and wants the account exactly as
// it was, the learner's own resources included.
func TestCourseAsAWSThenCleanup(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole course")
	}
	a := startAsAWS(t)
	learner := a.sb.Config("learner")
	seedLearnersOwn(t, learner)
	before := inventory(t, learner)

	out, err := a.seclab(t, nil, a.args("check", "--all", "--solve")...)
	if err != nil {
		t.Fatalf("seclab check --all --solve --as-aws: %v\n%s", err, out)
	}
	if !strings.Contains(out, "PASS: ") || !strings.Contains(out, "Confirmed with --yes") {
		t.Fatalf("unexpected report:\n%s", out)
	}
	during := inventory(t, learner)
	for _, r := range during.Roles {
		if strings.HasPrefix(r, "seclab-") && r != "seclab-000000-keep" && !strings.HasSuffix(r, "-alice") && !strings.HasSuffix(r, "-app") {
			t.Errorf("unexpected role %s", r)
		}
	}
	if cmp.Equal(before, during) {
		t.Fatal("the course created nothing")
	}
	entries, bad, err := ledger.Load(ledger.Path(a.stateDir))
	if err != nil || bad != 0 || len(entries) == 0 {
		t.Fatalf("ledger: %d entries, %d bad, %v", len(entries), bad, err)
	}

	out, err = a.seclab(t, nil, a.args("cleanup", "--dry-run")...)
	if err != nil {
		t.Fatalf("cleanup --dry-run: %v\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		// Everything but customer managed policies (the sandbox has no
		// ListPolicyTags) carries the seclab tags.
		if !strings.Contains(line, "tagged") && !strings.Contains(line, "iam:policy") {
			t.Errorf("not tagged: %s", line)
		}
		if strings.Contains(line, "000000") {
			t.Errorf("cleanup plans to touch the learner's own resource: %s", line)
		}
	}
	if !cmp.Equal(during, inventory(t, learner)) {
		t.Error("--dry-run changed the account")
	}
	out, err = a.seclab(t, nil, a.args("cleanup")...)
	if err != nil {
		t.Fatalf("cleanup: %v\n%s", err, out)
	}
	if diff := cmp.Diff(before, inventory(t, learner)); diff != "" {
		t.Errorf("account after cleanup differs from before (-before +after):\n%s", diff)
	}
	out, err = a.seclab(t, nil, a.args("cleanup")...)
	if err != nil || !strings.Contains(out, "Nothing to clean up") {
		t.Errorf("second cleanup: %v\n%s", err, out)
	}
}

// TestKilledMidLessonThenCleanup kills seclab (SIGKILL) while a lesson's
// console has created resources, then cleans up from the ledger and tags.
func TestKilledMidLessonThenCleanup(t *testing.T) {
	a := startAsAWS(t)
	learner := a.sb.Config("learner")
	seedLearnersOwn(t, learner)
	before := inventory(t, learner)

	cmd := exec.Command("seclab", a.args("console", "1")...)
	cmd.Env = a.env
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	// The persona role is created when the lesson opens; its ledger
	// intent gives the run ID.
	run := waitLedger(t, a.stateDir, func(es []ledger.Entry) (string, bool) {
		for _, e := range es {
			if e.Type == ledger.TypeRole && e.State == ledger.StateCreated {
				return e.Run, true
			}
		}
		return "", false
	})
	fmt.Fprintf(stdin, "aws kms create-key --description half-done\n")
	fmt.Fprintf(stdin, "aws secretsmanager create-secret --name seclab-%s/killed/db --secret-string x\n", run)
	waitLedger(t, a.stateDir, func(es []ledger.Entry) (string, bool) {
		n := 0
		for _, e := range es {
			if e.State == ledger.StateCreated && (e.Type == ledger.TypeKey || e.Type == ledger.TypeSecret) {
				n++
			}
		}
		return "", n == 2
	})
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if cmp.Equal(before, inventory(t, learner)) {
		t.Fatalf("the lesson created nothing before it was killed:\n%s", out.String())
	}
	res, err := a.seclab(t, nil, a.args("cleanup")...)
	if err != nil {
		t.Fatalf("cleanup: %v\n%s", err, res)
	}
	if diff := cmp.Diff(before, inventory(t, learner)); diff != "" {
		t.Errorf("account after cleanup differs from before (-before +after):\n%s\ncleanup said:\n%s", diff, res)
	}
}

// waitLedger polls the ledger until done says so, for up to 20 s.
func waitLedger(t *testing.T, stateDir string, done func([]ledger.Entry) (string, bool)) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		es, _, err := ledger.Load(ledger.Path(stateDir))
		if err == nil {
			if v, ok := done(es); ok {
				return v
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	b, _ := os.ReadFile(ledger.Path(stateDir))
	sc := bufio.NewScanner(bytes.NewReader(b))
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	t.Fatalf("the ledger never reached the expected state:\n%s", strings.Join(lines, "\n"))
	return ""
}
