package secretsmanager_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// TestSDKCrossAccount reads a secret of 111122223333 from 444455556666: it
// takes the secret policy, the other account's identity policy and a
// customer managed key whose policy trusts that account; aws/secretsmanager
// can never be used across accounts.
func TestSDKCrossAccount(t *testing.T) {
	l := newLab(t)
	owner, other := l.sm("learner"), l.sm("learner@444455556666")
	keyPolicy := `{"Version":"2012-10-17","Statement":[
	  {"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
	  {"Sid":"Allow the other account to decrypt","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"kms:Decrypt","Resource":"*"}]}`
	key, err := l.kms("learner").CreateKey(l.ctx, &kms.CreateKeyInput{Policy: aws.String(keyPolicy)})
	if err != nil {
		t.Fatalf("CreateKey: %v", err)
	}
	secretPolicy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`
	var arns []string
	for _, in := range []*sm.CreateSecretInput{
		{Name: aws.String("shared/cmk"), SecretString: aws.String("cmk value"), KmsKeyId: key.KeyMetadata.Arn},
		{Name: aws.String("shared/default"), SecretString: aws.String("default value")},
	} {
		out, err := owner.CreateSecret(l.ctx, in)
		if err != nil {
			t.Fatalf("CreateSecret: %v", err)
		}
		arns = append(arns, aws.ToString(out.ARN))
		if _, err := owner.PutResourcePolicy(l.ctx, &sm.PutResourcePolicyInput{SecretId: out.ARN, ResourcePolicy: aws.String(secretPolicy)}); err != nil {
			t.Fatalf("PutResourcePolicy: %v", err)
		}
	}
	got, err := other.GetSecretValue(l.ctx, &sm.GetSecretValueInput{SecretId: aws.String(arns[0])})
	if err != nil || aws.ToString(got.SecretString) != "cmk value" {
		t.Errorf("cross-account read under a customer managed key: %v, %s", got, apiError(err))
	}
	_, err = other.GetSecretValue(l.ctx, &sm.GetSecretValueInput{SecretId: aws.String(arns[1])})
	if got := apiError(err); got != "AccessDeniedException: Access to KMS is not allowed" {
		t.Errorf("cross-account read under aws/secretsmanager: %s", got)
	}
	// By name, the other account looks in its own account.
	_, err = other.GetSecretValue(l.ctx, &sm.GetSecretValueInput{SecretId: aws.String("shared/cmk")})
	if got := apiError(err); got != "ResourceNotFoundException: Secrets Manager can't find the specified secret." {
		t.Errorf("by name from the other account: %s", got)
	}
}
