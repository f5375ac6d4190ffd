package sandbox

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
)

// TestLargeAWSManagedPolicies checks that AWS managed policies beyond the
// customer managed size quota (ReadOnlyAccess is over 100 KB) grant what
// they say: a user holding one may list, and is denied a write with AWS's
// message rather than by a parse failure.
func TestLargeAWSManagedPolicies(t *testing.T) {
	s := start(t)
	ctx := context.Background()
	for name, arn := range map[string]string{
		"ReadOnlyAccess": "arn:aws:iam::aws:policy/ReadOnlyAccess",
		"SecurityAudit":  "arn:aws:iam::aws:policy/SecurityAudit",
		"ViewOnlyAccess": "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
	} {
		t.Run(name, func(t *testing.T) {
			user := "u-" + name
			makeUser(t, s, user, arn)
			cfg := s.Config(user)
			if _, err := kms.NewFromConfig(cfg).ListKeys(ctx, &kms.ListKeysInput{}); err != nil {
				t.Errorf("kms:ListKeys: %v", err)
			}
			c := iam.NewFromConfig(cfg)
			if _, err := c.ListUsers(ctx, &iam.ListUsersInput{}); err != nil {
				t.Errorf("iam:ListUsers: %v", err)
			}
			_, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("mallory")})
			code, msg := apiError(t, err)
			want := "User: arn:aws:iam::111122223333:user/" + user + " is not authorized to perform: iam:CreateUser" +
				" on resource: arn:aws:iam::111122223333:user/mallory because no identity-based policy allows the iam:CreateUser action"
			if code != "AccessDenied" || msg != want {
				t.Errorf("iam:CreateUser = %s: %s\nwant AccessDenied: %s", code, msg, want)
			}
		})
	}
}

// TestLargeManagedSessionPolicy checks AssumeRole's PolicyArns naming an
// AWS managed policy beyond the inline session quota, alone and with an
// inline session policy: the session may do what either allows and what
// the role allows, nothing else.
func TestLargeManagedSessionPolicy(t *testing.T) {
	s := start(t)
	ctx := context.Background()
	roleARN := makeRole(t, s, "learner", "admin", trust("arn:aws:iam::111122223333:root"),
		"arn:aws:iam::aws:policy/AdministratorAccess")
	inline := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateUser","Resource":"*"}]}`
	cases := []struct {
		name          string
		inline        *string
		createAllowed bool
	}{
		{"managed only", nil, false},
		{"managed and inline", aws.String(inline), true},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, err := sts.NewFromConfig(s.Config("learner")).AssumeRole(ctx, &sts.AssumeRoleInput{
				RoleArn: aws.String(roleARN), RoleSessionName: aws.String("ro"), Policy: tc.inline,
				PolicyArns: []ststypes.PolicyDescriptorType{{Arn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")}}})
			if err != nil {
				t.Fatal(err)
			}
			c := iam.NewFromConfig(s.ConfigWith(aws.Credentials{AccessKeyID: aws.ToString(out.Credentials.AccessKeyId),
				SecretAccessKey: aws.ToString(out.Credentials.SecretAccessKey), SessionToken: aws.ToString(out.Credentials.SessionToken)}))
			if _, err := c.ListUsers(ctx, &iam.ListUsersInput{}); err != nil {
				t.Errorf("iam:ListUsers: %v", err)
			}
			_, err = c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(fmt.Sprintf("new%d", i))})
			if tc.createAllowed {
				if err != nil {
					t.Errorf("iam:CreateUser: %v", err)
				}
				return
			}
			code, msg := apiError(t, err)
			want := "User: arn:aws:sts::111122223333:assumed-role/admin/ro is not authorized to perform: iam:CreateUser" +
				fmt.Sprintf(" on resource: arn:aws:iam::111122223333:user/new%d because no session policy allows the iam:CreateUser action", i)
			if code != "AccessDenied" || msg != want {
				t.Errorf("iam:CreateUser = %s: %s\nwant AccessDenied: %s", code, msg, want)
			}
		})
	}
}

// TestDeletedSessionPolicy checks a session whose only managed session
// policy was deleted: it may do nothing, and is told so in AWS's words.
func TestDeletedSessionPolicy(t *testing.T) {
	s := start(t)
	ctx := context.Background()
	admin := iam.NewFromConfig(s.Config("learner"))
	roleARN := makeRole(t, s, "learner", "admin", trust("arn:aws:iam::111122223333:root"),
		"arn:aws:iam::aws:policy/AdministratorAccess")
	pol, err := admin.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("lister"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}`)})
	if err != nil {
		t.Fatal(err)
	}
	out, err := sts.NewFromConfig(s.Config("learner")).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn: aws.String(roleARN), RoleSessionName: aws.String("s1"),
		PolicyArns: []ststypes.PolicyDescriptorType{{Arn: pol.Policy.Arn}}})
	if err != nil {
		t.Fatal(err)
	}
	c := iam.NewFromConfig(s.ConfigWith(aws.Credentials{AccessKeyID: aws.ToString(out.Credentials.AccessKeyId),
		SecretAccessKey: aws.ToString(out.Credentials.SecretAccessKey), SessionToken: aws.ToString(out.Credentials.SessionToken)}))
	if _, err := c.ListUsers(ctx, &iam.ListUsersInput{}); err != nil {
		t.Fatalf("iam:ListUsers under the session policy: %v", err)
	}
	if _, err := admin.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: pol.Policy.Arn}); err != nil {
		t.Fatal(err)
	}
	_, err = c.ListUsers(ctx, &iam.ListUsersInput{})
	code, msg := apiError(t, err)
	want := "User: arn:aws:sts::111122223333:assumed-role/admin/s1 is not authorized to perform: iam:ListUsers" +
		" on resource: arn:aws:iam::111122223333:user/ because no session policy allows the iam:ListUsers action"
	if code != "AccessDenied" || msg != want {
		t.Errorf("after DeletePolicy, iam:ListUsers = %s: %s\nwant AccessDenied: %s", code, msg, want)
	}
}
