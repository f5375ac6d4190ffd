package cleanup

import (
	"context"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// Inventory is what an account holds of the kinds seclab creates, as
// sorted names: IAM users, roles and customer managed policies, KMS keys
// not pending deletion, aliases, and secrets not scheduled for deletion.
// Comparing inventories before a run and after its cleanup shows that the
// account is as it was.
type Inventory struct {
	Users, Roles, Policies, Keys, Aliases, Secrets []string
}

// TakeInventory lists the account.
func TakeInventory(ctx context.Context, cfg aws.Config) (Inventory, error) {
	var inv Inventory
	ic, kc, sc := iam.NewFromConfig(cfg), kms.NewFromConfig(cfg), secretsmanager.NewFromConfig(cfg)
	for p := iam.NewListUsersPaginator(ic, &iam.ListUsersInput{}); p.HasMorePages(); {
		page, err := p.NextPage(ctx)
		if err != nil {
			return inv, fmt.Errorf("inventory: %w", err)
		}
		for _, u := range page.Users {
			inv.Users = append(inv.Users, aws.ToString(u.UserName))
		}
	}
	for p := iam.NewListRolesPaginator(ic, &iam.ListRolesInput{}); p.HasMorePages(); {
		page, err := p.NextPage(ctx)
		if err != nil {
			return inv, fmt.Errorf("inventory: %w", err)
		}
		for _, r := range page.Roles {
			inv.Roles = append(inv.Roles, aws.ToString(r.RoleName))
		}
	}
	for p := iam.NewListPoliciesPaginator(ic, &iam.ListPoliciesInput{Scope: iamtypes.PolicyScopeTypeLocal}); p.HasMorePages(); {
		page, err := p.NextPage(ctx)
		if err != nil {
			return inv, fmt.Errorf("inventory: %w", err)
		}
		for _, pol := range page.Policies {
			inv.Policies = append(inv.Policies, aws.ToString(pol.PolicyName))
		}
	}
	for p := kms.NewListKeysPaginator(kc, &kms.ListKeysInput{}); p.HasMorePages(); {
		page, err := p.NextPage(ctx)
		if err != nil {
			return inv, fmt.Errorf("inventory: %w", err)
		}
		for _, k := range page.Keys {
			d, err := kc.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: k.KeyId})
			if err != nil {
				return inv, fmt.Errorf("inventory: %w", err)
			}
			if d.KeyMetadata.KeyState != kmstypes.KeyStatePendingDeletion {
				inv.Keys = append(inv.Keys, aws.ToString(k.KeyId))
			}
		}
	}
	for p := kms.NewListAliasesPaginator(kc, &kms.ListAliasesInput{}); p.HasMorePages(); {
		page, err := p.NextPage(ctx)
		if err != nil {
			return inv, fmt.Errorf("inventory: %w", err)
		}
		for _, a := range page.Aliases {
			inv.Aliases = append(inv.Aliases, aws.ToString(a.AliasName))
		}
	}
	for p := secretsmanager.NewListSecretsPaginator(sc, &secretsmanager.ListSecretsInput{}); p.HasMorePages(); {
		page, err := p.NextPage(ctx)
		if err != nil {
			return inv, fmt.Errorf("inventory: %w", err)
		}
		for _, s := range page.SecretList {
			inv.Secrets = append(inv.Secrets, aws.ToString(s.Name))
		}
	}
	for _, l := range [][]string{inv.Users, inv.Roles, inv.Policies, inv.Keys, inv.Aliases, inv.Secrets} {
		sort.Strings(l)
	}
	return inv, nil
}
