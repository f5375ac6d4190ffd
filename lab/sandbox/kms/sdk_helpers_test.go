package kms_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/smithy-go"
	"github.com/seclab-dev/seclab/lab/sandbox"
)

// sandboxLab is one sandbox per test with KMS clients per persona.
type sandboxLab struct {
	t   testing.TB
	srv *sandbox.Server
	ctx context.Context
}

func newLab(t testing.TB) *sandboxLab {
	t.Helper()
	srv := sandbox.New()
	if err := srv.Start(); err != nil {
		t.Fatalf("start sandbox: %v", err)
	}
	t.Cleanup(func() { srv.Close() })
	return &sandboxLab{t: t, srv: srv, ctx: context.Background()}
}

func (l *sandboxLab) kms(persona string) *kms.Client { return kms.NewFromConfig(l.srv.Config(persona)) }

// persona creates IAM user name with an access key and the AWS managed
// policies named.
func (l *sandboxLab) persona(name string, policies ...string) string {
	l.t.Helper()
	c := iam.NewFromConfig(l.srv.Config("learner"))
	out, err := c.CreateUser(l.ctx, &iam.CreateUserInput{UserName: aws.String(name)})
	if err != nil {
		l.t.Fatalf("create user %s: %v", name, err)
	}
	if _, err := c.CreateAccessKey(l.ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)}); err != nil {
		l.t.Fatalf("access key for %s: %v", name, err)
	}
	for _, p := range policies {
		if _, err := c.AttachUserPolicy(l.ctx, &iam.AttachUserPolicyInput{UserName: aws.String(name),
			PolicyArn: aws.String("arn:aws:iam::aws:policy/" + p)}); err != nil {
			l.t.Fatalf("attach %s to %s: %v", p, name, err)
		}
	}
	return aws.ToString(out.User.Arn)
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

// expectError fails the test unless err is the AWS error want ("Code: Message").
func expectError(t testing.TB, what string, err error, want string) {
	t.Helper()
	if got := apiError(err); got != want {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

// createKey creates a key as learner and returns its ID and ARN.
func (l *sandboxLab) createKey(in *kms.CreateKeyInput) (string, string) {
	l.t.Helper()
	if in == nil {
		in = &kms.CreateKeyInput{}
	}
	out, err := l.kms("learner").CreateKey(l.ctx, in)
	if err != nil {
		l.t.Fatalf("CreateKey: %v", err)
	}
	return aws.ToString(out.KeyMetadata.KeyId), aws.ToString(out.KeyMetadata.Arn)
}
