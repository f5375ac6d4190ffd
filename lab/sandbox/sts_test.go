package sandbox

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

func trust(principal string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + principal + `"},"Action":"sts:AssumeRole"}]}`
}

// makeUser creates an IAM user with an access key in the learner account.
func makeUser(t testing.TB, s *Server, name string, managed ...string) {
	t.Helper()
	ctx := context.Background()
	admin := iam.NewFromConfig(s.Config("learner"))
	if _, err := admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
	for _, m := range managed {
		if _, err := admin.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String(name), PolicyArn: aws.String(m)}); err != nil {
			t.Fatal(err)
		}
	}
}

func makeRole(t *testing.T, s *Server, persona, name, trustDoc string, managed ...string) string {
	t.Helper()
	ctx := context.Background()
	c := iam.NewFromConfig(s.Config(persona))
	out, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trustDoc)})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range managed {
		if _, err := c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(name), PolicyArn: aws.String(m)}); err != nil {
			t.Fatal(err)
		}
	}
	return aws.ToString(out.Role.Arn)
}

func TestAssumeRoleTrust(t *testing.T) {
	s := start(t)
	ctx := context.Background()
	makeUser(t, s, "alice")
	makeUser(t, s, "bob")
	roleARN := makeRole(t, s, "learner", "reader", trust("arn:aws:iam::111122223333:user/alice"),
		"arn:aws:iam::aws:policy/IAMReadOnlyAccess")

	// The trust policy names alice: she may assume it without any identity policy.
	out, err := sts.NewFromConfig(s.Config("alice")).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn: aws.String(roleARN), RoleSessionName: aws.String("alice-session")})
	if err != nil {
		t.Fatalf("alice AssumeRole: %v", err)
	}
	if got, want := aws.ToString(out.AssumedRoleUser.Arn), "arn:aws:sts::111122223333:assumed-role/reader/alice-session"; got != want {
		t.Errorf("AssumedRoleUser.Arn = %q, want %q", got, want)
	}
	if !strings.HasPrefix(aws.ToString(out.Credentials.AccessKeyId), "ASIA") ||
		!strings.HasPrefix(aws.ToString(out.AssumedRoleUser.AssumedRoleId), "AROA") ||
		!strings.HasSuffix(aws.ToString(out.AssumedRoleUser.AssumedRoleId), ":alice-session") {
		t.Errorf("credentials %s, role id %s", aws.ToString(out.Credentials.AccessKeyId), aws.ToString(out.AssumedRoleUser.AssumedRoleId))
	}
	sess := s.ConfigWith(aws.Credentials{AccessKeyID: aws.ToString(out.Credentials.AccessKeyId),
		SecretAccessKey: aws.ToString(out.Credentials.SecretAccessKey), SessionToken: aws.ToString(out.Credentials.SessionToken)})
	id, err := sts.NewFromConfig(sess).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(id.Arn) != aws.ToString(out.AssumedRoleUser.Arn) {
		t.Errorf("session identity %s", aws.ToString(id.Arn))
	}
	// The session has the role's permissions.
	if _, err := iam.NewFromConfig(sess).ListUsers(ctx, &iam.ListUsersInput{}); err != nil {
		t.Errorf("ListUsers as role session: %v", err)
	}
	if _, err := iam.NewFromConfig(sess).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("x")}); err == nil {
		t.Errorf("role session could CreateUser with IAMReadOnlyAccess")
	} else if code, msg := apiError(t, err); code != "AccessDenied" ||
		!strings.HasPrefix(msg, "User: arn:aws:sts::111122223333:assumed-role/reader/alice-session is not authorized to perform: iam:CreateUser") {
		t.Errorf("CreateUser as session = %s: %s", code, msg)
	}

	// bob is not in the trust policy.
	_, err = sts.NewFromConfig(s.Config("bob")).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn: aws.String(roleARN), RoleSessionName: aws.String("bob")})
	code, msg := apiError(t, err)
	if code != "AccessDenied" || !strings.HasPrefix(msg, "User: arn:aws:iam::111122223333:user/bob is not authorized to perform: sts:AssumeRole on resource: "+roleARN) {
		t.Errorf("bob AssumeRole = %s: %s", code, msg)
	}

	// Expiry follows the sandbox clock.
	if err := s.Advance(2 * time.Hour); err != nil {
		t.Fatal(err)
	}
	_, err = sts.NewFromConfig(sess).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if code, msg := apiError(t, err); code != "ExpiredToken" || msg != "The security token included in the request is expired" {
		t.Errorf("expired session = %s: %s", code, msg)
	}
}

func TestAssumeRoleAccountTrustNeedsIdentityPolicy(t *testing.T) {
	s := start(t)
	ctx := context.Background()
	makeUser(t, s, "carol")
	roleARN := makeRole(t, s, "learner", "ops", trust("arn:aws:iam::111122223333:root"))
	in := &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("carol")}
	if _, err := sts.NewFromConfig(s.Config("carol")).AssumeRole(ctx, in); err == nil {
		t.Fatal("carol assumed a role trusted to the account without an identity policy allowing it")
	}
	// learner has AdministratorAccess, which allows sts:AssumeRole.
	if _, err := sts.NewFromConfig(s.Config("learner")).AssumeRole(ctx, in); err != nil {
		t.Errorf("learner AssumeRole: %v", err)
	}
}

func TestAssumeRoleCrossAccount(t *testing.T) {
	s := start(t)
	ctx := context.Background()
	roleARN := makeRole(t, s, "learner@444455556666", "audit", trust("arn:aws:iam::111122223333:root"),
		"arn:aws:iam::aws:policy/IAMReadOnlyAccess")
	if !strings.HasPrefix(roleARN, "arn:aws:iam::444455556666:role/") {
		t.Fatalf("role ARN %s", roleARN)
	}
	out, err := sts.NewFromConfig(s.Config("learner")).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn: aws.String(roleARN), RoleSessionName: aws.String("x-acct"), DurationSeconds: aws.Int32(900)})
	if err != nil {
		t.Fatalf("cross-account AssumeRole: %v", err)
	}
	if got := aws.ToString(out.AssumedRoleUser.Arn); got != "arn:aws:sts::444455556666:assumed-role/audit/x-acct" {
		t.Errorf("Arn = %s", got)
	}
	// A role in the other account that does not trust 111122223333.
	closed := makeRole(t, s, "learner@444455556666", "closed", trust("arn:aws:iam::444455556666:root"))
	if _, err := sts.NewFromConfig(s.Config("learner")).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn: aws.String(closed), RoleSessionName: aws.String("nope")}); err == nil {
		t.Error("assumed a cross-account role whose trust policy does not name the caller's account")
	}
}

func TestAssumeRoleValidation(t *testing.T) {
	s := start(t)
	ctx := context.Background()
	roleARN := makeRole(t, s, "learner", "short", trust("arn:aws:iam::111122223333:root"))
	c := sts.NewFromConfig(s.Config("learner"))
	tests := []struct {
		name string
		in   sts.AssumeRoleInput
		code string
		msg  string
	}{
		{"bad session name", sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("Session1:2")}, "ValidationError",
			`1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`},
		{"duration above role max", sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("ok"), DurationSeconds: aws.Int32(7200)},
			"ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."},
		{"duration too short", sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("ok"), DurationSeconds: aws.Int32(899)},
			"ValidationError", "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"},
		{"bad role arn", sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::111122223333:user/x"), RoleSessionName: aws.String("ok")},
			"ValidationError", "arn:aws:iam::111122223333:user/x is invalid"},
		{"missing role", sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::111122223333:role/none"), RoleSessionName: aws.String("ok")},
			"AccessDenied", "User: arn:aws:iam::111122223333:user/learner is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111122223333:role/none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.AssumeRole(ctx, &tt.in)
			code, msg := apiError(t, err)
			if code != tt.code || msg != tt.msg {
				t.Errorf("got %s: %s\nwant %s: %s", code, msg, tt.code, tt.msg)
			}
		})
	}
}

func TestSessionPolicyLimitsRole(t *testing.T) {
	s := start(t)
	ctx := context.Background()
	roleARN := makeRole(t, s, "learner", "admin", trust("arn:aws:iam::111122223333:root"), "arn:aws:iam::aws:policy/AdministratorAccess")
	out, err := sts.NewFromConfig(s.Config("learner")).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn: aws.String(roleARN), RoleSessionName: aws.String("limited"),
		Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}`)})
	if err != nil {
		t.Fatal(err)
	}
	sess := iam.NewFromConfig(s.ConfigWith(aws.Credentials{AccessKeyID: aws.ToString(out.Credentials.AccessKeyId),
		SecretAccessKey: aws.ToString(out.Credentials.SecretAccessKey), SessionToken: aws.ToString(out.Credentials.SessionToken)}))
	if _, err := sess.ListUsers(ctx, &iam.ListUsersInput{}); err != nil {
		t.Errorf("ListUsers allowed by session policy: %v", err)
	}
	_, err = sess.ListRoles(ctx, &iam.ListRolesInput{})
	if code, msg := apiError(t, err); code != "AccessDenied" || !strings.Contains(msg, "because no session policy allows the iam:ListRoles action") {
		t.Errorf("ListRoles outside the session policy = %s: %s", code, msg)
	}
	// A session token without its access key's token is refused.
	bad := s.ConfigWith(aws.Credentials{AccessKeyID: aws.ToString(out.Credentials.AccessKeyId),
		SecretAccessKey: aws.ToString(out.Credentials.SecretAccessKey)})
	_, err = sts.NewFromConfig(bad).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if code, _ := apiError(t, err); code != "InvalidClientTokenId" {
		t.Errorf("session key without token = %s", code)
	}
}

func TestGetSessionToken(t *testing.T) {
	s := start(t)
	ctx := context.Background()
	out, err := sts.NewFromConfig(s.Config("learner")).GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(900)})
	if err != nil {
		t.Fatal(err)
	}
	cfg := s.ConfigWith(aws.Credentials{AccessKeyID: aws.ToString(out.Credentials.AccessKeyId),
		SecretAccessKey: aws.ToString(out.Credentials.SecretAccessKey), SessionToken: aws.ToString(out.Credentials.SessionToken)})
	id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(id.Arn) != "arn:aws:iam::111122223333:user/learner" {
		t.Errorf("identity %s", aws.ToString(id.Arn))
	}
	if _, err := iam.NewFromConfig(cfg).ListUsers(ctx, &iam.ListUsersInput{}); err != nil {
		t.Errorf("session token keeps the user's permissions: %v", err)
	}
}
