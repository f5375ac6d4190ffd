package cleanup

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/seclab-dev/seclab/lab/ledger"
)

// KeyDeletionDays is the waiting period cleanup schedules KMS keys for
// deletion with: the shortest KMS allows.
const KeyDeletionDays = 7

// Result is what happened to one resource.
type Result struct {
	Resource Resource
	// Gone is set when the resource had already disappeared.
	Gone bool
	Err  error
}

// Execute deletes the plan's resources in order and marks them, and the
// settled entries, deleted in led (nil records nothing). It carries on
// after a failure and reports every resource's result; report, if set,
// is told about each one as it finishes.
func Execute(ctx context.Context, cfg aws.Config, p *Plan, led *ledger.Ledger, report func(Result)) []Result {
	k, sm, im := kms.NewFromConfig(cfg), secretsmanager.NewFromConfig(cfg), iam.NewFromConfig(cfg)
	var results []Result
	for _, r := range p.Resources {
		var err error
		switch r.Type {
		case ledger.TypeAlias:
			_, err = k.DeleteAlias(ctx, &kms.DeleteAliasInput{AliasName: aws.String(r.Name)})
		case ledger.TypeKey:
			_, err = k.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(r.ID), PendingWindowInDays: aws.Int32(KeyDeletionDays)})
		case ledger.TypeSecret:
			err = deleteSecret(ctx, sm, r)
		case ledger.TypeRole:
			err = deleteRole(ctx, im, r.Name)
		case ledger.TypeUser:
			err = deleteUser(ctx, im, r.Name)
		case ledger.TypePolicy:
			err = deletePolicy(ctx, im, r.ARN)
		default:
			err = fmt.Errorf("cleanup does not know how to delete a %s", r.Type)
		}
		res := Result{Resource: r, Gone: isGone(err)}
		if err != nil && !res.Gone {
			res.Err = fmt.Errorf("delete %s: %w", r.Label(), err)
		}
		if res.Err == nil && led != nil {
			for _, id := range r.ledgerIDs {
				if werr := led.Deleted(ledger.Entry{ID: id, Run: r.Run, Lesson: r.Lesson, Type: r.Type, Name: r.Name, ARN: r.ARN, ResourceID: r.ID}); werr != nil {
					res.Err = werr
				}
			}
		}
		results = append(results, res)
		if report != nil {
			report(res)
		}
	}
	if led != nil {
		for _, e := range p.Settled {
			_ = led.Deleted(e) // best effort: the next scan settles it again
		}
	}
	return results
}

// deleteSecret removes a secret at once, without a recovery window.
func deleteSecret(ctx context.Context, c *secretsmanager.Client, r Resource) error {
	in := &secretsmanager.DeleteSecretInput{SecretId: aws.String(r.ARN), ForceDeleteWithoutRecovery: aws.Bool(true)}
	if r.ARN == "" {
		in.SecretId = aws.String(r.Name)
	}
	_, err := c.DeleteSecret(ctx, in)
	if err != nil && r.Pending && isCode(err, "InvalidRequestException") {
		// Already scheduled with a recovery window: restore it, then
		// delete it for good.
		if _, rerr := c.RestoreSecret(ctx, &secretsmanager.RestoreSecretInput{SecretId: in.SecretId}); rerr != nil {
			return rerr
		}
		_, err = c.DeleteSecret(ctx, in)
	}
	return err
}

// deleteRole detaches managed policies, deletes inline policies and the
// permissions boundary, then deletes the role. (seclab creates no
// instance profiles; a role the learner added to one fails with
// DeleteConflict and is reported.)
func deleteRole(ctx context.Context, c *iam.Client, name string) error {
	role := aws.String(name)
	att := iam.NewListAttachedRolePoliciesPaginator(c, &iam.ListAttachedRolePoliciesInput{RoleName: role})
	for att.HasMorePages() {
		page, err := att.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, p := range page.AttachedPolicies {
			if _, err := c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: role, PolicyArn: p.PolicyArn}); err != nil && !isGone(err) {
				return err
			}
		}
	}
	inl := iam.NewListRolePoliciesPaginator(c, &iam.ListRolePoliciesInput{RoleName: role})
	for inl.HasMorePages() {
		page, err := inl.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, p := range page.PolicyNames {
			if _, err := c.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: role, PolicyName: aws.String(p)}); err != nil && !isGone(err) {
				return err
			}
		}
	}
	if _, err := c.DeleteRolePermissionsBoundary(ctx, &iam.DeleteRolePermissionsBoundaryInput{RoleName: role}); err != nil && !isGone(err) {
		return err
	}
	_, err := c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: role})
	return err
}

// deleteUser deletes the user's access keys, inline policies, managed
// policy attachments, group memberships, boundary and console password,
// then the user.
func deleteUser(ctx context.Context, c *iam.Client, name string) error {
	user := aws.String(name)
	keys, err := c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: user})
	if err != nil {
		return err
	}
	for _, k := range keys.AccessKeyMetadata {
		if _, err := c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: user, AccessKeyId: k.AccessKeyId}); err != nil && !isGone(err) {
			return err
		}
	}
	inl := iam.NewListUserPoliciesPaginator(c, &iam.ListUserPoliciesInput{UserName: user})
	for inl.HasMorePages() {
		page, err := inl.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, p := range page.PolicyNames {
			if _, err := c.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: user, PolicyName: aws.String(p)}); err != nil && !isGone(err) {
				return err
			}
		}
	}
	att := iam.NewListAttachedUserPoliciesPaginator(c, &iam.ListAttachedUserPoliciesInput{UserName: user})
	for att.HasMorePages() {
		page, err := att.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, p := range page.AttachedPolicies {
			if _, err := c.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: user, PolicyArn: p.PolicyArn}); err != nil && !isGone(err) {
				return err
			}
		}
	}
	groups, err := c.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: user})
	if err != nil {
		return err
	}
	for _, g := range groups.Groups {
		if _, err := c.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{UserName: user, GroupName: g.GroupName}); err != nil && !isGone(err) {
			return err
		}
	}
	if _, err := c.DeleteUserPermissionsBoundary(ctx, &iam.DeleteUserPermissionsBoundaryInput{UserName: user}); err != nil && !isGone(err) {
		return err
	}
	// A console password blocks DeleteUser. An endpoint without login
	// profiles (InvalidAction) has none to delete.
	if _, err := c.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: user}); err != nil && !isGone(err) && !isCode(err, "InvalidAction") {
		return err
	}
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: user})
	return err
}

// deletePolicy detaches the policy from every entity (the attachment is
// seclab's: the policy is), deletes its non-default versions, then it.
func deletePolicy(ctx context.Context, c *iam.Client, arn string) error {
	policy := aws.String(arn)
	ents, err := c.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: policy})
	if err != nil {
		return err
	}
	for _, u := range ents.PolicyUsers {
		if _, err := c.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: u.UserName, PolicyArn: policy}); err != nil && !isGone(err) {
			return err
		}
	}
	for _, r := range ents.PolicyRoles {
		if _, err := c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: r.RoleName, PolicyArn: policy}); err != nil && !isGone(err) {
			return err
		}
	}
	for _, g := range ents.PolicyGroups {
		if _, err := c.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: g.GroupName, PolicyArn: policy}); err != nil && !isGone(err) {
			return err
		}
	}
	versions, err := c.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: policy})
	if err != nil {
		return err
	}
	for _, v := range versions.Versions {
		if v.IsDefaultVersion {
			continue
		}
		if _, err := c.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: policy, VersionId: v.VersionId}); err != nil && !isGone(err) {
			return err
		}
	}
	_, err = c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: policy})
	return err
}

// isGone reports whether err says the resource does not exist: for
// cleanup, "already gone" is success.
func isGone(err error) bool {
	return isCode(err, "NoSuchEntity") || isCode(err, "NotFoundException") || isCode(err, "ResourceNotFoundException")
}

func isCode(err error, code string) bool {
	var api interface{ ErrorCode() string }
	return err != nil && errors.As(err, &api) && api.ErrorCode() == code
}
