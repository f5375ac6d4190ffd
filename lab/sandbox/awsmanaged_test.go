package sandbox

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
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
