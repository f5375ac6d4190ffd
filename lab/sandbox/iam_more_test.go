package sandbox

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/google/go-cmp/cmp"
)

func TestInactiveKeyIsRejected(t *testing.T) {
	s := start(t)
	ctx := context.Background()
	c := iam.NewFromConfig(s.Config("learner"))
	if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("kim")}); err != nil {
		t.Fatal(err)
	}
	key, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("kim")})
	if err != nil {
		t.Fatal(err)
	}
	kim := sts.NewFromConfig(s.ConfigWith(aws.Credentials{AccessKeyID: aws.ToString(key.AccessKey.AccessKeyId),
		SecretAccessKey: aws.ToString(key.AccessKey.SecretAccessKey)}))
	if _, err := kim.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("kim"),
		AccessKeyId: key.AccessKey.AccessKeyId, Status: types.StatusTypeInactive}); err != nil {
		t.Fatal(err)
	}
	_, err = kim.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if code, _ := apiError(t, err); code != "InvalidClientTokenId" {
		t.Errorf("inactive key = %s, want InvalidClientTokenId", code)
	}
	keys, err := c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("kim")})
	if err != nil || len(keys.AccessKeyMetadata) != 1 || keys.AccessKeyMetadata[0].Status != types.StatusTypeInactive {
		t.Fatalf("ListAccessKeys = %+v, %v", keys, err)
	}
	if _, err := c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("kim"), AccessKeyId: key.AccessKey.AccessKeyId}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("kim")}); err != nil {
		t.Errorf("DeleteUser after its key is gone: %v", err)
	}
}

func TestRoleTagsPoliciesAndEntities(t *testing.T) {
	s := start(t)
	ctx := context.Background()
	c := iam.NewFromConfig(s.Config("learner"))
	makeRole(t, s, "learner", "app", trust("arn:aws:iam::111122223333:root"))
	if _, err := c.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String("app"), Tags: []types.Tag{
		{Key: aws.String("team"), Value: aws.String("blue")}, {Key: aws.String("env"), Value: aws.String("dev")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UntagRole(ctx, &iam.UntagRoleInput{RoleName: aws.String("app"), TagKeys: []string{"env"}}); err != nil {
		t.Fatal(err)
	}
	tags, err := c.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: aws.String("app")})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]types.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}, tags.Tags, cmp.AllowUnexported(types.Tag{})); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}

	pol, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("AppRead"), Path: aws.String("/apps/"), PolicyDocument: aws.String(listUsersPolicy)})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(pol.Policy.Arn); got != "arn:aws:iam::111122223333:policy/apps/AppRead" {
		t.Errorf("policy ARN %s", got)
	}
	if _, err := c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: pol.Policy.Arn}); err != nil {
		t.Fatal(err)
	}
	ents, err := c.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: pol.Policy.Arn})
	if err != nil || len(ents.PolicyRoles) != 1 || aws.ToString(ents.PolicyRoles[0].RoleName) != "app" {
		t.Errorf("ListEntitiesForPolicy = %+v, %v", ents, err)
	}
	got, err := c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: pol.Policy.Arn})
	if err != nil || aws.ToInt32(got.Policy.AttachmentCount) != 1 {
		t.Errorf("GetPolicy attachment count: %+v, %v", got, err)
	}
	_, err = c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: pol.Policy.Arn})
	if code, msg := apiError(t, err); code != "DeleteConflict" || msg != "Cannot delete a policy attached to entities." {
		t.Errorf("DeletePolicy while attached = %s: %s", code, msg)
	}
	local, err := c.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal})
	if err != nil || len(local.Policies) != 1 {
		t.Errorf("ListPolicies Local = %d, %v", len(local.Policies), err)
	}
	attached, err := c.ListPolicies(ctx, &iam.ListPoliciesInput{OnlyAttached: true})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range attached.Policies {
		names = append(names, aws.ToString(p.PolicyName))
	}
	if diff := cmp.Diff([]string{"AdministratorAccess", "AppRead"}, names); diff != "" {
		t.Errorf("attached policies (-want +got):\n%s", diff)
	}
	_, err = c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("app")})
	if code, _ := apiError(t, err); code != "DeleteConflict" {
		t.Errorf("DeleteRole with an attached policy = %s", code)
	}
}

func TestTagsOnlyWhenPresent(t *testing.T) {
	s := start(t)
	creds := learnerCreds(t, s)
	_, body := rawCall(t, s, "iam", formHeaders, "Action=CreateUser&Version=2010-05-08&UserName=plain", creds, time.Now(), nil)
	if strings.Contains(body, "<Tags") {
		t.Errorf("CreateUser without tags returned a Tags element:\n%s", body)
	}
	_, body = rawCall(t, s, "iam", formHeaders,
		"Action=CreateUser&Version=2010-05-08&UserName=tagged&Tags.member.1.Key=team&Tags.member.1.Value=blue", creds, time.Now(), nil)
	if !strings.Contains(body, "<Tags><member><Key>team</Key><Value>blue</Value></member></Tags>") {
		t.Errorf("CreateUser with a tag:\n%s", body)
	}
}
