package secretsmanager_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/smithy-go"
	"github.com/seclab-dev/seclab/lab/sandbox"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// lab is one sandbox per test, with SDK clients per persona and the trail
// as it is recorded.
type lab struct {
	t   testing.TB
	srv *sandbox.Server
	ctx context.Context

	events []svc.Event // every event trail has returned
	feed   <-chan svc.Event
}

func newLab(t testing.TB) *lab {
	t.Helper()
	srv := sandbox.New()
	if err := srv.Start(); err != nil {
		t.Fatalf("start sandbox: %v", err)
	}
	t.Cleanup(func() { srv.Close() })
	feed, stop := srv.Subscribe()
	t.Cleanup(stop)
	return &lab{t: t, srv: srv, ctx: context.Background(), feed: feed}
}

func (l *lab) sm(persona string) *secretsmanager.Client {
	return secretsmanager.NewFromConfig(l.srv.Config(persona))
}

func (l *lab) kms(persona string) *kms.Client { return kms.NewFromConfig(l.srv.Config(persona)) }

// persona creates IAM user name with an access key and the AWS managed
// policies named, as the learner.
func (l *lab) persona(name string, policies ...string) {
	l.t.Helper()
	c := iam.NewFromConfig(l.srv.Config("learner"))
	if _, err := c.CreateUser(l.ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
		l.t.Fatalf("create user %s: %v", name, err)
	}
	if _, err := c.CreateAccessKey(l.ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)}); err != nil {
		l.t.Fatalf("access key for %s: %v", name, err)
	}
	for _, p := range policies {
		l.attach(name, p)
	}
}

func (l *lab) attach(user, policy string) {
	l.t.Helper()
	c := iam.NewFromConfig(l.srv.Config("learner"))
	if _, err := c.AttachUserPolicy(l.ctx, &iam.AttachUserPolicyInput{UserName: aws.String(user), PolicyArn: aws.String("arn:aws:iam::aws:policy/" + policy)}); err != nil {
		l.t.Fatalf("attach %s to %s: %v", policy, user, err)
	}
}

func (l *lab) detach(user, policy string) {
	l.t.Helper()
	c := iam.NewFromConfig(l.srv.Config("learner"))
	if _, err := c.DetachUserPolicy(l.ctx, &iam.DetachUserPolicyInput{UserName: aws.String(user), PolicyArn: aws.String("arn:aws:iam::aws:policy/" + policy)}); err != nil {
		l.t.Fatalf("detach %s from %s: %v", policy, user, err)
	}
}

// trail returns the events recorded since the last call.
func (l *lab) trail() []svc.Event {
	var out []svc.Event
	for {
		select {
		case e := <-l.feed:
			out = append(out, e)
		default:
			l.events = append(l.events, out...)
			return out
		}
	}
}

// apiError returns "Code: Message" of an AWS error ("" for nil).
func apiError(err error) string {
	if err == nil {
		return ""
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode() + ": " + ae.ErrorMessage()
	}
	return "not an AWS error: " + err.Error()
}

// summary is one trail event in a line a test can compare.
func summary(e svc.Event) string {
	s := e.PrincipalName + " " + e.Action + " " + e.Decision
	if e.Via != "" {
		s += " via " + strings.SplitN(e.Via, ".", 2)[0]
	}
	if e.ErrorCode != "" {
		s += " " + e.ErrorCode
	}
	return s
}

type svcEvent = svc.Event
