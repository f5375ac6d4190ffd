package cleanup

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/seclab-dev/seclab/lab/ledger"
)

// scanIAM finds seclab's roles, users and customer managed policies.
func scanIAM(ctx context.Context, c *iam.Client, ix *ledgerIndex, add func(Resource, []ledger.Entry)) error {
	tagged := func(tags []iamtypes.Tag, run string) (bool, string) {
		v, ok := iamTag(tags, TagRun)
		lesson, _ := iamTag(tags, TagLesson)
		return ok && v == run, lesson
	}
	roles := iam.NewListRolesPaginator(c, &iam.ListRolesInput{})
	for roles.HasMorePages() {
		page, err := roles.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list IAM roles: %w", err)
		}
		for _, role := range page.Roles {
			name := aws.ToString(role.RoleName)
			run, ok := SeclabName(name)
			if !ok {
				continue
			}
			// ListRoles does not return tags on AWS; ListRoleTags does.
			tags, err := c.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: role.RoleName})
			if err != nil && !isGone(err) {
				return fmt.Errorf("list tags of role %s: %w", name, err)
			}
			r := Resource{Type: ledger.TypeRole, Name: name, ARN: aws.ToString(role.Arn), Run: run}
			if tags != nil {
				r.Tagged, r.Lesson = tagged(tags.Tags, run)
			}
			add(r, ix.find(ledger.TypeRole, name, r.ARN))
		}
	}
	users := iam.NewListUsersPaginator(c, &iam.ListUsersInput{})
	for users.HasMorePages() {
		page, err := users.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list IAM users: %w", err)
		}
		for _, u := range page.Users {
			name := aws.ToString(u.UserName)
			run, ok := SeclabName(name)
			if !ok {
				continue
			}
			tags, err := c.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: u.UserName})
			if err != nil && !isGone(err) {
				return fmt.Errorf("list tags of user %s: %w", name, err)
			}
			r := Resource{Type: ledger.TypeUser, Name: name, ARN: aws.ToString(u.Arn), Run: run}
			if tags != nil {
				r.Tagged, r.Lesson = tagged(tags.Tags, run)
			}
			add(r, ix.find(ledger.TypeUser, name, r.ARN))
		}
	}
	policies := iam.NewListPoliciesPaginator(c, &iam.ListPoliciesInput{Scope: iamtypes.PolicyScopeTypeLocal})
	for policies.HasMorePages() {
		page, err := policies.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list IAM policies: %w", err)
		}
		for _, pol := range page.Policies {
			name := aws.ToString(pol.PolicyName)
			run, ok := SeclabName(name)
			if !ok {
				continue
			}
			r := Resource{Type: ledger.TypePolicy, Name: name, ARN: aws.ToString(pol.Arn), Run: run}
			// An endpoint without ListPolicyTags leaves the policy to the
			// ledger.
			if tags, err := c.ListPolicyTags(ctx, &iam.ListPolicyTagsInput{PolicyArn: pol.Arn}); err == nil {
				r.Tagged, r.Lesson = tagged(tags.Tags, run)
			}
			add(r, ix.find(ledger.TypePolicy, name, r.ARN))
		}
	}
	return nil
}
