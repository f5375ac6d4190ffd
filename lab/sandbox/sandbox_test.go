package sandbox

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

// start runs a fresh in-memory sandbox for one test.
func start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := New(opts...)
	if err := s.Start(); err != nil {
		t.Fatalf("start sandbox: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close sandbox: %v", err)
		}
	})
	return s
}

// apiError returns the AWS error code and message of err.
func apiError(t testing.TB, err error) (string, string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want an AWS API error, got %v", err)
	}
	return ae.ErrorCode(), ae.ErrorMessage()
}

func TestGetCallerIdentityLearner(t *testing.T) {
	s := start(t)
	out, err := sts.NewFromConfig(s.Config("learner")).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := aws.ToString(out.Arn), "arn:aws:iam::111122223333:user/learner"; got != want {
		t.Errorf("Arn = %q, want %q", got, want)
	}
	if got := aws.ToString(out.Account); got != "111122223333" {
		t.Errorf("Account = %q", got)
	}
	out2, err := sts.NewFromConfig(s.Config("learner@444455556666")).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(out2.Arn); got != "arn:aws:iam::444455556666:user/learner" {
		t.Errorf("other account Arn = %q", got)
	}
}

func TestBobDeniedThenAllowed(t *testing.T) {
	s := start(t)
	ctx := context.Background()
	admin := iam.NewFromConfig(s.Config("learner"))
	if _, err := admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")}); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("bob")}); err != nil {
		t.Fatal(err)
	}
	bob := iam.NewFromConfig(s.Config("bob"))
	_, err := bob.ListUsers(ctx, &iam.ListUsersInput{})
	code, msg := apiError(t, err)
	want := "User: arn:aws:iam::111122223333:user/bob is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::111122223333:user/ because no identity-based policy allows the iam:ListUsers action"
	if code != "AccessDenied" || msg != want {
		t.Errorf("ListUsers as bob = %s: %s\nwant AccessDenied: %s", code, msg, want)
	}
	if _, err := admin.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("bob"),
		PolicyArn: aws.String("arn:aws:iam::aws:policy/IAMReadOnlyAccess")}); err != nil {
		t.Fatal(err)
	}
	out, err := bob.ListUsers(ctx, &iam.ListUsersInput{})
	if err != nil {
		t.Fatalf("ListUsers after IAMReadOnlyAccess: %v", err)
	}
	if len(out.Users) != 2 {
		t.Errorf("ListUsers returned %d users, want 2 (bob, learner)", len(out.Users))
	}
}

func TestPersonaWithoutKey(t *testing.T) {
	s := start(t)
	_, err := sts.NewFromConfig(s.Config("ghost")).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err == nil || !strings.Contains(err.Error(), `sandbox persona "ghost": no active access key for IAM user ghost in account 111122223333`) {
		t.Errorf("err = %v", err)
	}
	makeUser(t, s, "ghost")
	if _, err := sts.NewFromConfig(s.Config("ghost")).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{}); err != nil {
		t.Errorf("after the key exists: %v", err)
	}
}

func TestStartRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "10.0.0.1:4566", ":4566", "example.com:80", "nonsense"} {
		if err := New(WithAddr(addr)).Start(); err == nil {
			t.Errorf("Start with %q succeeded", addr)
		}
	}
	for _, addr := range []string{"127.0.0.1:0", "localhost:0", "[::1]:0", "127.1.2.3:0"} {
		if err := CheckLoopback(addr); err != nil {
			t.Errorf("CheckLoopback(%q) = %v", addr, err)
		}
	}
}
