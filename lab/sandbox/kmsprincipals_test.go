package sandbox

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/google/go-cmp/cmp"
)

// keyPolicyNaming is a key policy that keeps the account's access (so the
// lockout check passes) and grants kms:Decrypt to principal, a JSON value
// for the Principal element.
func keyPolicyNaming(principal string) string {
	return `{"Version":"2012-10-17","Statement":[` +
		`{"Sid":"root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},` +
		`{"Sid":"use","Effect":"Allow","Principal":` + principal + `,"Action":"kms:Decrypt","Resource":"*"}]}`
}

// TestKeyPolicyPrincipalsMustExist checks that CreateKey and PutKeyPolicy
// refuse key policies naming IAM users or roles that do not exist, and
// accept existing ones, account roots, account IDs and service principals.
func TestKeyPolicyPrincipalsMustExist(t *testing.T) {
	s := start(t)
	ctx := context.Background()
	makeUser(t, s, "alice")
	makeRole(t, s, "learner", "app", trust("arn:aws:iam::111122223333:root"))
	if _, err := iam.NewFromConfig(s.Config("learner")).CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("deep"),
		Path: aws.String("/team/"), AssumeRolePolicyDocument: aws.String(trust("arn:aws:iam::111122223333:root"))}); err != nil {
		t.Fatal(err)
	}
	c := kms.NewFromConfig(s.Config("learner"))
	key, err := c.CreateKey(ctx, &kms.CreateKeyInput{})
	if err != nil {
		t.Fatal(err)
	}
	const invalid = "MalformedPolicyDocumentException: Policy contains a statement with one or more invalid principals."
	cases := []struct {
		name, principal, want string
	}{
		{"existing user", `{"AWS":"arn:aws:iam::111122223333:user/alice"}`, ""},
		{"existing role", `{"AWS":"arn:aws:iam::111122223333:role/app"}`, ""},
		{"role with a path", `{"AWS":"arn:aws:iam::111122223333:role/team/deep"}`, ""},
		{"user of the other account", `{"AWS":"arn:aws:iam::444455556666:user/learner"}`, ""},
		{"account root", `{"AWS":"arn:aws:iam::444455556666:root"}`, ""},
		{"account ID", `{"AWS":"444455556666"}`, ""},
		{"service principal", `{"Service":"secretsmanager.amazonaws.com"}`, ""},
		{"missing user", `{"AWS":"arn:aws:iam::111122223333:user/nobody"}`, invalid},
		{"missing role", `{"AWS":"arn:aws:iam::111122223333:role/nobody"}`, invalid},
		{"one missing among existing", `{"AWS":["arn:aws:iam::111122223333:user/alice","arn:aws:iam::111122223333:user/ghost"]}`, invalid},
	}
	errText := func(err error) string {
		if err == nil {
			return ""
		}
		code, msg := apiError(t, err)
		return code + ": " + msg
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := keyPolicyNaming(tc.principal)
			_, err := c.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: key.KeyMetadata.KeyId, Policy: aws.String(doc)})
			if diff := cmp.Diff(tc.want, errText(err)); diff != "" {
				t.Errorf("PutKeyPolicy (-want +got):\n%s", diff)
			}
			_, err = c.CreateKey(ctx, &kms.CreateKeyInput{Policy: aws.String(doc)})
			if diff := cmp.Diff(tc.want, errText(err)); diff != "" {
				t.Errorf("CreateKey (-want +got):\n%s", diff)
			}
		})
	}
}
