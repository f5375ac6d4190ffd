package sandbox

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/google/go-cmp/cmp"
)

const listUsersPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}`

func TestIAMErrors(t *testing.T) {
	s := start(t)
	ctx := context.Background()
	c := iam.NewFromConfig(s.Config("learner"))
	makeUser(t, s, "bob")
	tests := []struct {
		name string
		call func() error
		code string
		msg  string
	}{
		{"malformed JSON", func() error {
			_, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("p"), PolicyDocument: aws.String(`{"Version":`)})
			return err
		}, "MalformedPolicyDocument", "Syntax errors in policy."},
		{"principal in identity policy", func() error {
			_, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("p"),
				PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}`)})
			return err
		}, "MalformedPolicyDocument", "Policy document should not specify a principal."},
		{"no resource", func() error {
			_, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("p"),
				PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]}`)})
			return err
		}, "MalformedPolicyDocument", "Policy statement must contain resources."},
		{"trust policy not JSON", func() error {
			_, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String("nope")})
			return err
		}, "MalformedPolicyDocument", "This policy contains invalid Json"},
		{"user exists", func() error {
			_, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("Bob")})
			return err
		}, "EntityAlreadyExists", "User with name Bob already exists."},
		{"no such user", func() error {
			_, err := c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("nobody")})
			return err
		}, "NoSuchEntity", "The user with name nobody cannot be found."},
		{"no such inline policy", func() error {
			_, err := c.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("none")})
			return err
		}, "NoSuchEntity", "The user policy with name none cannot be found."},
		{"attach missing policy", func() error {
			_, err := c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("bob"), PolicyArn: aws.String("arn:aws:iam::aws:policy/Nope")})
			return err
		}, "NoSuchEntity", "Policy arn:aws:iam::aws:policy/Nope does not exist or is not attachable."},
		{"bad policy ARN", func() error {
			_, err := c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("bob"), PolicyArn: aws.String("nope")})
			return err
		}, "ValidationError", "Invalid ARN:  Could not be parsed!"},
		{"bad user name", func() error {
			_, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("a b")})
			return err
		}, "ValidationError", `1 validation error detected: Value 'a b' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`},
		{"third access key", func() error {
			c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("bob")})
			_, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("bob")})
			return err
		}, "LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2"},
		{"delete user with keys", func() error {
			_, err := c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("bob")})
			return err
		}, "DeleteConflict", "Cannot delete entity, must remove referenced objects first."},
		{"inline size", func() error {
			doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[` + strings.Repeat(`"iam:ListUsers",`, 140) + `"iam:ListUsers"],"Resource":"*"}]}`
			_, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("big"), PolicyDocument: aws.String(doc)})
			return err
		}, "LimitExceeded", "Maximum policy size of 2048 bytes exceeded for user bob"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if err == nil {
				t.Fatalf("want %s, got success", tt.code)
			}
			code, msg := apiError(t, err)
			if code != tt.code || msg != tt.msg {
				t.Errorf("got %s: %s\nwant %s: %s", code, msg, tt.code, tt.msg)
			}
		})
	}
}

func TestManagedPolicyVersions(t *testing.T) {
	s := start(t)
	ctx := context.Background()
	c := iam.NewFromConfig(s.Config("learner"))
	out, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("ListUsers"), PolicyDocument: aws.String(listUsersPolicy)})
	if err != nil {
		t.Fatal(err)
	}
	arn := out.Policy.Arn
	if got := aws.ToString(arn); got != "arn:aws:iam::111122223333:policy/ListUsers" || !strings.HasPrefix(aws.ToString(out.Policy.PolicyId), "ANPA") {
		t.Errorf("policy %s %s", got, aws.ToString(out.Policy.PolicyId))
	}
	for i := 2; i <= 5; i++ {
		if _, err := c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: arn, PolicyDocument: aws.String(listUsersPolicy), SetAsDefault: i == 3}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: arn, PolicyDocument: aws.String(listUsersPolicy)})
	if code, msg := apiError(t, err); code != "LimitExceeded" ||
		msg != "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version." {
		t.Errorf("sixth version = %s: %s", code, msg)
	}
	_, err = c.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v3")})
	if code, msg := apiError(t, err); code != "DeleteConflict" || msg != "Cannot delete the default version of a policy." {
		t.Errorf("delete default = %s: %s", code, msg)
	}
	v, err := c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v3")})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := url.QueryUnescape(aws.ToString(v.PolicyVersion.Document))
	if err != nil || doc != listUsersPolicy || !v.PolicyVersion.IsDefaultVersion {
		t.Errorf("GetPolicyVersion document %q (default %v, %v)", aws.ToString(v.PolicyVersion.Document), v.PolicyVersion.IsDefaultVersion, err)
	}
	if !strings.Contains(aws.ToString(v.PolicyVersion.Document), "%7B%22Version%22") {
		t.Errorf("document is not URL-encoded: %s", aws.ToString(v.PolicyVersion.Document))
	}
	list, err := c.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: arn})
	if err != nil || len(list.Versions) != 5 {
		t.Fatalf("ListPolicyVersions: %d versions, %v", len(list.Versions), err)
	}
	_, err = c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: arn})
	if code, _ := apiError(t, err); code != "DeleteConflict" {
		t.Errorf("DeletePolicy with versions = %s", code)
	}
}

func TestGroupsBoundariesAndAttachments(t *testing.T) {
	s := start(t)
	ctx := context.Background()
	c := iam.NewFromConfig(s.Config("learner"))
	makeUser(t, s, "dave")
	if _, err := c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("readers")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("readers"), PolicyName: aws.String("list"), PolicyDocument: aws.String(listUsersPolicy)}); err != nil {
		t.Fatal(err)
	}
	dave := iam.NewFromConfig(s.Config("dave"))
	if _, err := dave.ListUsers(ctx, &iam.ListUsersInput{}); err == nil {
		t.Fatal("dave could list users before joining the group")
	}
	if _, err := c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("readers"), UserName: aws.String("dave")}); err != nil {
		t.Fatal(err)
	}
	if _, err := dave.ListUsers(ctx, &iam.ListUsersInput{}); err != nil {
		t.Errorf("ListUsers through the group's policy: %v", err)
	}

	// AdministratorAccess limited by an IAMReadOnlyAccess boundary.
	if _, err := c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("dave"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("dave"),
		PermissionsBoundary: aws.String("arn:aws:iam::aws:policy/IAMReadOnlyAccess")}); err != nil {
		t.Fatal(err)
	}
	_, err := dave.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("eve")})
	want := "User: arn:aws:iam::111122223333:user/dave is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::111122223333:user/eve because no permissions boundary allows the iam:CreateUser action"
	if code, msg := apiError(t, err); code != "AccessDenied" || msg != want {
		t.Errorf("CreateUser under boundary = %s: %s\nwant %s", code, msg, want)
	}

	att, err := c.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("dave")})
	if err != nil {
		t.Fatal(err)
	}
	wantAtt := []types.AttachedPolicy{{PolicyName: aws.String("AdministratorAccess"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")}}
	if diff := cmp.Diff(wantAtt, att.AttachedPolicies, cmp.AllowUnexported(types.AttachedPolicy{})); diff != "" {
		t.Errorf("attached (-want +got):\n%s", diff)
	}
	u, err := c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("dave")})
	if err != nil || u.User.PermissionsBoundary == nil || aws.ToString(u.User.PermissionsBoundary.PermissionsBoundaryArn) != "arn:aws:iam::aws:policy/IAMReadOnlyAccess" {
		t.Errorf("GetUser boundary: %+v %v", u, err)
	}

	details, err := c.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range details.UserDetailList {
		names = append(names, aws.ToString(d.UserName))
	}
	if diff := cmp.Diff([]string{"dave", "learner"}, names); diff != "" || len(details.GroupDetailList) != 1 || len(details.Policies) != 2 {
		t.Errorf("details users %v, %d groups, %d policies", names, len(details.GroupDetailList), len(details.Policies))
	}

	sim, err := c.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{
		PolicySourceArn: aws.String("arn:aws:iam::111122223333:user/dave"), ActionNames: []string{"iam:ListUsers", "iam:CreateUser"}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range sim.EvaluationResults {
		got = append(got, aws.ToString(r.EvalActionName)+"="+string(r.EvalDecision))
	}
	if diff := cmp.Diff([]string{"iam:ListUsers=allowed", "iam:CreateUser=implicitDeny"}, got); diff != "" {
		t.Errorf("simulation (-want +got):\n%s", diff)
	}
}

func TestGetRoleDeniedMessageNamesRole(t *testing.T) {
	s := start(t)
	makeUser(t, s, "matt")
	makeRole(t, s, "learner", "publisher", trust("arn:aws:iam::111122223333:root"))
	_, err := iam.NewFromConfig(s.Config("matt")).GetRole(context.Background(), &iam.GetRoleInput{RoleName: aws.String("publisher")})
	want := "User: arn:aws:iam::111122223333:user/matt is not authorized to perform: iam:GetRole on resource: role publisher because no identity-based policy allows the iam:GetRole action"
	if code, msg := apiError(t, err); code != "AccessDenied" || msg != want {
		t.Errorf("got %s: %s\nwant %s", code, msg, want)
	}
}
