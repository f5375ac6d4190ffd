package kms

import (
	"strings"
	"time"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// The AWS managed key for Secrets Manager. AWS creates it the first time
// it is needed (a service's first use, or DescribeKey on its predefined
// alias), with a fixed key policy that nobody can change (aws-semantics §2).
const (
	smAlias       = "alias/aws/secretsmanager"
	smDescription = "Default key that protects my Secrets Manager data when no other key is defined"
)

// secretsManagerKeyPolicy is the key policy of aws/secretsmanager, as the
// Secrets Manager user guide prints it ("Key policy of the AWS managed
// key"), in KMS's stored layout.
func secretsManagerKeyPolicy(account, region string) string {
	return "{\n  \"Version\" : \"2012-10-17\",\n  \"Id\" : \"auto-secretsmanager-1\",\n  \"Statement\" : [ {\n" +
		"    \"Sid\" : \"Allow access through AWS Secrets Manager for all principals in the account that are authorized to use AWS Secrets Manager\",\n" +
		"    \"Effect\" : \"Allow\",\n    \"Principal\" : {\n      \"AWS\" : \"*\"\n    },\n" +
		"    \"Action\" : [ \"kms:Decrypt\", \"kms:ReEncrypt*\", \"kms:GenerateDataKey*\", \"kms:CreateGrant\", \"kms:DescribeKey\" ],\n" +
		"    \"Resource\" : \"*\",\n    \"Condition\" : {\n      \"StringEquals\" : {\n" +
		"        \"kms:ViaService\" : \"secretsmanager." + region + ".amazonaws.com\",\n" +
		"        \"kms:CallerAccount\" : \"" + account + "\"\n      }\n    }\n  }, {\n" +
		"    \"Sid\" : \"Allow direct access to key metadata to the account\",\n    \"Effect\" : \"Allow\",\n" +
		"    \"Principal\" : {\n      \"AWS\" : \"arn:aws:iam::" + account + ":root\"\n    },\n" +
		"    \"Action\" : [ \"kms:Describe*\", \"kms:Get*\", \"kms:List*\", \"kms:RevokeGrant\" ],\n" +
		"    \"Resource\" : \"*\"\n  } ]\n}"
}

// managedAliasIn reports whether keyID names alias/aws/secretsmanager of
// the caller's account and Region.
func (s *Service) managedAliasIn(r *svc.Request, keyID string) bool {
	if keyID == smAlias {
		return true
	}
	return keyID == aliasARN(s.region(r), r.Caller.Account, smAlias)
}

// ensureManagedFor creates aws/secretsmanager when keyID names it and it
// does not exist yet.
func (s *Service) ensureManagedFor(r *svc.Request, keyID string) error {
	if !s.managedAliasIn(r, keyID) {
		return nil
	}
	account, region := r.Caller.Account, s.region(r)
	var exists bool
	if err := s.env.Store.View(func(tx svc.Tx) error {
		a, err := getAlias(tx, account, region, smAlias)
		exists = a != nil
		return err
	}); err != nil {
		return errInternal("read alias", err)
	}
	if exists {
		return nil
	}
	id, err := s.newKeyID()
	if err != nil {
		return err
	}
	v, err := s.newVersion(id, specSymmetric, 0)
	if err != nil {
		return err
	}
	v.Created = r.Now
	rec := &keyRecord{
		ID: id, Account: account, Region: region, Description: smDescription, Created: r.Now,
		State: stateEnabled, Spec: specSymmetric, Usage: usageEncrypt, Origin: "AWS_KMS", Manager: "AWS",
		Policy: secretsManagerKeyPolicy(account, region), Aliases: []string{smAlias}, Versions: []keyVersion{v},
		// AWS managed keys rotate every year.
		Rotation: rotation{Enabled: true, PeriodDays: 365, Next: r.Now.Add(365 * 24 * time.Hour)},
	}
	err = s.env.Store.Update(func(tx svc.Tx) error {
		if a, err := getAlias(tx, account, region, smAlias); err != nil || a != nil {
			return err // created meanwhile
		}
		if err := putKey(tx, rec); err != nil {
			return err
		}
		return putAlias(tx, &aliasRecord{Name: smAlias, Account: account, Region: region, TargetKeyID: id, Created: r.Now, Updated: r.Now})
	})
	if err != nil {
		return errInternal("create aws/secretsmanager", err)
	}
	return nil
}

// isReservedAlias reports whether name is in the alias/aws/ namespace.
func isReservedAlias(name string) bool { return strings.HasPrefix(name, "alias/aws/") }
