package secretsmanager_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/rogpeppe/go-internal/testscript"
	"github.com/seclab-dev/seclab/lab/sandbox"
)

// TestAWSCLIScripts runs cmd/seclab/testdata/script/secretsmanager_*.txtar
// with the real AWS CLI against a fresh sandbox per script. Scripts skip
// themselves when aws is not installed. Commands the scripts get besides
// testscript's own:
//
//	persona NAME [POLICY...]  IAM user NAME with a key, AWS managed policies attached, and a CLI profile
//	attach USER POLICY / detach USER POLICY
//	capture VAR               set $VAR to the last command's trimmed stdout
//	advance DURATION          move the sandbox's virtual clock (e.g. 7d, 1h)
//	trail                     print the trail events since the last trail, one per line
//
// $SANDBOX is the endpoint; the learner profile is the default.
func TestAWSCLIScripts(t *testing.T) {
	files, err := filepath.Glob("../../../cmd/seclab/testdata/script/secretsmanager_*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts found: %v", err)
	}
	if testing.Short() {
		t.Skip("the AWS CLI scripts take tens of seconds; skipped with -short")
	}
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("the aws CLI is not installed")
	}
	testscript.Run(t, testscript.Params{
		Files: files,
		Setup: func(env *testscript.Env) error {
			l := newLab(env.T().(testing.TB))
			env.Values["lab"] = l
			creds, err := l.srv.Config("learner").Credentials.Retrieve(context.Background())
			if err != nil {
				return err
			}
			dir := env.WorkDir
			env.Setenv("SANDBOX", l.srv.URL)
			env.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, ".aws-credentials"))
			env.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, ".aws-config"))
			env.Setenv("AWS_DEFAULT_REGION", l.srv.Region())
			env.Setenv("AWS_PAGER", "")
			env.Setenv("AWS_MAX_ATTEMPTS", "1")
			env.Setenv("HOME", dir)
			if err := os.WriteFile(filepath.Join(dir, ".aws-config"), []byte("[default]\nregion = "+l.srv.Region()+"\n"), 0o600); err != nil {
				return err
			}
			return appendProfile(dir, "default", creds.AccessKeyID, creds.SecretAccessKey)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"persona": cmdPersona,
			"attach":  func(ts *testscript.TestScript, neg bool, args []string) { cmdPolicy(ts, true, args) },
			"detach":  func(ts *testscript.TestScript, neg bool, args []string) { cmdPolicy(ts, false, args) },
			"capture": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 1 {
					ts.Fatalf("usage: capture VAR")
				}
				ts.Setenv(args[0], strings.TrimSpace(ts.ReadFile("stdout")))
			},
			"advance": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 1 {
					ts.Fatalf("usage: advance DURATION")
				}
				d, err := sandbox.ParseDuration(args[0])
				ts.Check(err)
				ts.Check(labOf(ts).srv.Advance(d))
			},
			"trail": func(ts *testscript.TestScript, neg bool, args []string) {
				time.Sleep(10 * time.Millisecond)
				for _, e := range labOf(ts).trail() {
					fmt.Fprintln(ts.Stdout(), summary(e))
				}
			},
		},
	})
}

func labOf(ts *testscript.TestScript) *lab { return ts.Value("lab").(*lab) }

func cmdPersona(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 1 {
		ts.Fatalf("usage: persona NAME [POLICY...]")
	}
	l := labOf(ts)
	c := iam.NewFromConfig(l.srv.Config("learner"))
	ctx := context.Background()
	_, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(args[0])})
	ts.Check(err)
	key, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(args[0])})
	ts.Check(err)
	for _, p := range args[1:] {
		_, err := c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String(args[0]), PolicyArn: aws.String("arn:aws:iam::aws:policy/" + p)})
		ts.Check(err)
	}
	ts.Check(appendProfile(ts.Getenv("WORK"), args[0], aws.ToString(key.AccessKey.AccessKeyId), aws.ToString(key.AccessKey.SecretAccessKey)))
}

func cmdPolicy(ts *testscript.TestScript, attach bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: attach|detach USER POLICY")
	}
	c := iam.NewFromConfig(labOf(ts).srv.Config("learner"))
	arn := aws.String("arn:aws:iam::aws:policy/" + args[1])
	var err error
	if attach {
		_, err = c.AttachUserPolicy(context.Background(), &iam.AttachUserPolicyInput{UserName: aws.String(args[0]), PolicyArn: arn})
	} else {
		_, err = c.DetachUserPolicy(context.Background(), &iam.DetachUserPolicyInput{UserName: aws.String(args[0]), PolicyArn: arn})
	}
	ts.Check(err)
}

func appendProfile(dir, name, id, secret string) error {
	f, err := os.OpenFile(filepath.Join(dir, ".aws-credentials"), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = fmt.Fprintf(f, "[%s]\naws_access_key_id = %s\naws_secret_access_key = %s\n", name, id, secret)
	return err
}
