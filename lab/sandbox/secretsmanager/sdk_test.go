package secretsmanager_test

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/google/go-cmp/cmp"
)

var arnRE = regexp.MustCompile(`^arn:aws:secretsmanager:us-east-1:111122223333:secret:app/db-[A-Za-z0-9]{6}$`)

func TestSDKSecretLifecycle(t *testing.T) {
	l := newLab(t)
	c := l.sm("learner")
	created, err := c.CreateSecret(l.ctx, &sm.CreateSecretInput{
		Name: aws.String("app/db"), SecretString: aws.String(`{"password":"p1"}`), Description: aws.String("database"),
		Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}},
	})
	if err != nil {
		t.Fatalf("CreateSecret: %v", err)
	}
	arn := aws.ToString(created.ARN)
	if !arnRE.MatchString(arn) {
		t.Errorf("ARN %s", arn)
	}
	got, err := c.GetSecretValue(l.ctx, &sm.GetSecretValueInput{SecretId: aws.String("app/db")})
	if err != nil {
		t.Fatalf("GetSecretValue: %v", err)
	}
	if aws.ToString(got.SecretString) != `{"password":"p1"}` || aws.ToString(got.VersionId) != aws.ToString(created.VersionId) ||
		!slices.Equal(got.VersionStages, []string{"AWSCURRENT"}) || got.CreatedDate == nil {
		t.Errorf("GetSecretValue = %+v", got)
	}

	put, err := c.PutSecretValue(l.ctx, &sm.PutSecretValueInput{SecretId: aws.String(arn), SecretBinary: []byte{1, 2, 3}})
	if err != nil {
		t.Fatalf("PutSecretValue: %v", err)
	}
	prev, err := c.GetSecretValue(l.ctx, &sm.GetSecretValueInput{SecretId: aws.String("app/db"), VersionStage: aws.String("AWSPREVIOUS")})
	if err != nil || aws.ToString(prev.SecretString) != `{"password":"p1"}` {
		t.Errorf("AWSPREVIOUS = %v, %v", prev, err)
	}
	cur, err := c.GetSecretValue(l.ctx, &sm.GetSecretValueInput{SecretId: aws.String("app/db"), VersionId: put.VersionId})
	if err != nil || !bytes.Equal(cur.SecretBinary, []byte{1, 2, 3}) || cur.SecretString != nil {
		t.Errorf("binary version = %v, %v", cur, err)
	}

	upd, err := c.UpdateSecret(l.ctx, &sm.UpdateSecretInput{SecretId: aws.String("app/db"), SecretString: aws.String("p3"), Description: aws.String("db, v3")})
	if err != nil {
		t.Fatalf("UpdateSecret: %v", err)
	}
	if _, err := c.UpdateSecretVersionStage(l.ctx, &sm.UpdateSecretVersionStageInput{SecretId: aws.String("app/db"), VersionStage: aws.String("AWSCURRENT"),
		MoveToVersionId: created.VersionId, RemoveFromVersionId: upd.VersionId}); err != nil {
		t.Fatalf("UpdateSecretVersionStage: %v", err)
	}
	desc, err := c.DescribeSecret(l.ctx, &sm.DescribeSecretInput{SecretId: aws.String("app/db")})
	if err != nil {
		t.Fatalf("DescribeSecret: %v", err)
	}
	wantStages := map[string][]string{aws.ToString(created.VersionId): {"AWSCURRENT"}, aws.ToString(upd.VersionId): {"AWSPREVIOUS"}}
	if d := cmp.Diff(wantStages, desc.VersionIdsToStages); d != "" {
		t.Errorf("VersionIdsToStages (-want +got):\n%s", d)
	}
	if aws.ToString(desc.Description) != "db, v3" || desc.KmsKeyId != nil || desc.CreatedDate == nil || desc.LastChangedDate == nil ||
		desc.LastAccessedDate == nil || len(desc.Tags) != 1 {
		t.Errorf("DescribeSecret = %+v", desc)
	}
	versions, err := c.ListSecretVersionIds(l.ctx, &sm.ListSecretVersionIdsInput{SecretId: aws.String("app/db"), IncludeDeprecated: aws.Bool(true)})
	if err != nil || len(versions.Versions) != 3 || aws.ToString(versions.ARN) != arn {
		t.Errorf("ListSecretVersionIds = %+v, %v", versions, err)
	}

	list, err := c.ListSecrets(l.ctx, &sm.ListSecretsInput{Filters: []types.Filter{{Key: types.FilterNameStringTypeTagValue, Values: []string{"prod"}}}})
	if err != nil || len(list.SecretList) != 1 || aws.ToString(list.SecretList[0].Name) != "app/db" || len(list.SecretList[0].SecretVersionsToStages) != 2 {
		t.Errorf("ListSecrets = %+v, %v", list, err)
	}
	if _, err := c.TagResource(l.ctx, &sm.TagResourceInput{SecretId: aws.String("app/db"), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("a")}}}); err != nil {
		t.Fatalf("TagResource: %v", err)
	}
	if _, err := c.UntagResource(l.ctx, &sm.UntagResourceInput{SecretId: aws.String("app/db"), TagKeys: []string{"env"}}); err != nil {
		t.Fatalf("UntagResource: %v", err)
	}
	if desc, _ := c.DescribeSecret(l.ctx, &sm.DescribeSecretInput{SecretId: aws.String("app/db")}); len(desc.Tags) != 1 || aws.ToString(desc.Tags[0].Key) != "team" {
		t.Errorf("tags after tag/untag: %+v", desc.Tags)
	}

	batch, err := c.BatchGetSecretValue(l.ctx, &sm.BatchGetSecretValueInput{SecretIdList: []string{"app/db", "missing"}})
	if err != nil || len(batch.SecretValues) != 1 || len(batch.Errors) != 1 || aws.ToString(batch.Errors[0].ErrorCode) != "ResourceNotFoundException" {
		t.Errorf("BatchGetSecretValue = %+v, %v", batch, err)
	}

	del, err := c.DeleteSecret(l.ctx, &sm.DeleteSecretInput{SecretId: aws.String("app/db"), RecoveryWindowInDays: aws.Int64(7)})
	if err != nil || del.DeletionDate == nil {
		t.Fatalf("DeleteSecret = %+v, %v", del, err)
	}
	_, err = c.GetSecretValue(l.ctx, &sm.GetSecretValueInput{SecretId: aws.String("app/db")})
	if got := apiError(err); got != "InvalidRequestException: You can't perform this operation on the secret because it was marked for deletion." {
		t.Errorf("read while scheduled: %s", got)
	}
	if _, err := c.RestoreSecret(l.ctx, &sm.RestoreSecretInput{SecretId: aws.String("app/db")}); err != nil {
		t.Fatalf("RestoreSecret: %v", err)
	}
	if _, err := c.GetSecretValue(l.ctx, &sm.GetSecretValueInput{SecretId: aws.String("app/db")}); err != nil {
		t.Errorf("read after restore: %v", err)
	}
	if _, err := c.DeleteSecret(l.ctx, &sm.DeleteSecretInput{SecretId: aws.String("app/db"), RecoveryWindowInDays: aws.Int64(7)}); err != nil {
		t.Fatal(err)
	}
	if err := l.srv.Advance(7*24*time.Hour + time.Minute); err != nil {
		t.Fatal(err)
	}
	_, err = c.DescribeSecret(l.ctx, &sm.DescribeSecretInput{SecretId: aws.String("app/db")})
	if got := apiError(err); got != "ResourceNotFoundException: Secrets Manager can't find the specified secret." {
		t.Errorf("after the recovery window: %s", got)
	}
}

func TestSDKErrors(t *testing.T) {
	l := newLab(t)
	c := l.sm("learner")
	if _, err := c.CreateSecret(l.ctx, &sm.CreateSecretInput{Name: aws.String("s"), SecretString: aws.String("v")}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"exists", func() error {
			_, err := c.CreateSecret(l.ctx, &sm.CreateSecretInput{Name: aws.String("s"), SecretString: aws.String("v")})
			return err
		}, "ResourceExistsException: The operation failed because the secret s already exists."},
		{"bad name", func() error {
			_, err := c.CreateSecret(l.ctx, &sm.CreateSecretInput{Name: aws.String("a b")})
			return err
		}, "ValidationException: Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!"},
		{"missing", func() error {
			_, err := c.GetSecretValue(l.ctx, &sm.GetSecretValueInput{SecretId: aws.String("nope")})
			return err
		}, "ResourceNotFoundException: Secrets Manager can't find the specified secret."},
		{"missing stage", func() error {
			_, err := c.GetSecretValue(l.ctx, &sm.GetSecretValueInput{SecretId: aws.String("s"), VersionStage: aws.String("AWSPREVIOUS")})
			return err
		}, "ResourceNotFoundException: Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS"},
		{"window", func() error {
			_, err := c.DeleteSecret(l.ctx, &sm.DeleteSecretInput{SecretId: aws.String("s"), RecoveryWindowInDays: aws.Int64(3)})
			return err
		}, "InvalidParameterException: The RecoveryWindowInDays value must be between 7 and 30 days (inclusive)."},
		{"rotation without lambda", func() error {
			_, err := c.RotateSecret(l.ctx, &sm.RotateSecretInput{SecretId: aws.String("s")})
			return err
		}, "InvalidRequestException: No Lambda rotation function ARN is associated with this secret."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, apiError(tc.call())); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestSDKPoliciesAndPasswords(t *testing.T) {
	l := newLab(t)
	c := l.sm("learner")
	if _, err := c.CreateSecret(l.ctx, &sm.CreateSecretInput{Name: aws.String("s"), SecretString: aws.String("v")}); err != nil {
		t.Fatal(err)
	}
	public := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`
	_, err := c.PutResourcePolicy(l.ctx, &sm.PutResourcePolicyInput{SecretId: aws.String("s"), ResourcePolicy: aws.String(public), BlockPublicPolicy: aws.Bool(true)})
	if !strings.HasPrefix(apiError(err), "PublicPolicyException: ") {
		t.Errorf("public policy: %s", apiError(err))
	}
	v, err := c.ValidateResourcePolicy(l.ctx, &sm.ValidateResourcePolicyInput{ResourcePolicy: aws.String(public)})
	if err != nil || v.PolicyValidationPassed || len(v.ValidationErrors) != 1 {
		t.Errorf("ValidateResourcePolicy = %+v, %v", v, err)
	}
	deny := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:user/learner"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`
	if _, err := c.PutResourcePolicy(l.ctx, &sm.PutResourcePolicyInput{SecretId: aws.String("s"), ResourcePolicy: aws.String(deny)}); err != nil {
		t.Fatalf("PutResourcePolicy: %v", err)
	}
	got, err := c.GetResourcePolicy(l.ctx, &sm.GetResourcePolicyInput{SecretId: aws.String("s")})
	if err != nil || aws.ToString(got.ResourcePolicy) != deny {
		t.Errorf("GetResourcePolicy = %+v, %v", got, err)
	}
	_, err = c.GetSecretValue(l.ctx, &sm.GetSecretValueInput{SecretId: aws.String("s")})
	if !strings.HasPrefix(apiError(err), "AccessDeniedException: User: arn:aws:iam::111122223333:user/learner is not authorized to perform: secretsmanager:GetSecretValue on resource: s ") {
		t.Errorf("denied by the secret policy: %s", apiError(err))
	}
	if _, err := c.DeleteResourcePolicy(l.ctx, &sm.DeleteResourcePolicyInput{SecretId: aws.String("s")}); err != nil {
		t.Fatalf("DeleteResourcePolicy: %v", err)
	}
	if _, err := c.GetSecretValue(l.ctx, &sm.GetSecretValueInput{SecretId: aws.String("s")}); err != nil {
		t.Errorf("after DeleteResourcePolicy: %v", err)
	}

	pw, err := c.GetRandomPassword(l.ctx, &sm.GetRandomPasswordInput{PasswordLength: aws.Int64(20), ExcludePunctuation: aws.Bool(true)})
	if err != nil || len(aws.ToString(pw.RandomPassword)) != 20 || strings.ContainsAny(aws.ToString(pw.RandomPassword), "!#$%") {
		t.Errorf("GetRandomPassword = %v, %v", pw, err)
	}
	if _, err := c.CancelRotateSecret(l.ctx, &sm.CancelRotateSecretInput{SecretId: aws.String("s")}); err != nil {
		t.Errorf("CancelRotateSecret: %v", err)
	}
}

func TestSDKCustomerKeyAndKeyChange(t *testing.T) {
	l := newLab(t)
	k := l.kms("learner")
	c := l.sm("learner")
	key1, err := k.CreateKey(l.ctx, &kms.CreateKeyInput{})
	if err != nil {
		t.Fatalf("CreateKey: %v", err)
	}
	key2, _ := k.CreateKey(l.ctx, &kms.CreateKeyInput{})
	if _, err := k.CreateAlias(l.ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/two"), TargetKeyId: key2.KeyMetadata.KeyId}); err != nil {
		t.Fatalf("CreateAlias: %v", err)
	}
	for _, id := range []string{aws.ToString(key1.KeyMetadata.KeyId), aws.ToString(key1.KeyMetadata.Arn), "alias/two"} {
		name := "s-" + strings.ReplaceAll(id, ":", "_")
		name = strings.NewReplacer("/", "_").Replace(name)
		if _, err := c.CreateSecret(l.ctx, &sm.CreateSecretInput{Name: aws.String(name), SecretString: aws.String("v"), KmsKeyId: aws.String(id)}); err != nil {
			t.Errorf("CreateSecret with key %s: %v", id, err)
		}
	}
	if _, err := c.CreateSecret(l.ctx, &sm.CreateSecretInput{Name: aws.String("s"), SecretString: aws.String("one"), KmsKeyId: key1.KeyMetadata.KeyId}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateSecret(l.ctx, &sm.UpdateSecretInput{SecretId: aws.String("s"), KmsKeyId: aws.String("alias/two"), SecretString: aws.String("two")}); err != nil {
		t.Fatalf("UpdateSecret key: %v", err)
	}
	l.trail()
	if _, err := c.GetSecretValue(l.ctx, &sm.GetSecretValueInput{SecretId: aws.String("s")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetSecretValue(l.ctx, &sm.GetSecretValueInput{SecretId: aws.String("s"), VersionStage: aws.String("AWSPREVIOUS")}); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, e := range l.trail() {
		if e.Action == "kms:Decrypt" {
			keys = append(keys, e.Resources...)
		}
	}
	want := []string{aws.ToString(key2.KeyMetadata.Arn), aws.ToString(key1.KeyMetadata.Arn)}
	if d := cmp.Diff(want, keys); d != "" {
		t.Errorf("keys that decrypted AWSCURRENT, AWSPREVIOUS (-want +got):\n%s", d)
	}

	if _, err := k.DisableKey(l.ctx, &kms.DisableKeyInput{KeyId: key2.KeyMetadata.KeyId}); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetSecretValue(l.ctx, &sm.GetSecretValueInput{SecretId: aws.String("s")})
	if !strings.HasPrefix(apiError(err), "DecryptionFailure: ") {
		t.Errorf("read under a disabled key: %s", apiError(err))
	}
	_, err = c.PutSecretValue(l.ctx, &sm.PutSecretValueInput{SecretId: aws.String("s"), SecretString: aws.String("three")})
	if !strings.HasPrefix(apiError(err), "EncryptionFailure: ") {
		t.Errorf("write under a disabled key: %s", apiError(err))
	}
}
