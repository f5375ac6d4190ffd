package secretsmanager_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/google/go-cmp/cmp"
)

// secureKeyPolicy names alice as the key's administrator and only user; it
// has no "Enable IAM User Permissions" statement, so IAM policies alone no
// longer grant the key (aws-semantics.md §1.3).
const secureKeyPolicy = `{
  "Version": "2012-10-17",
  "Id": "secure-kms-key-policy",
  "Statement": [
    {
      "Sid": "Allow key administration by alice",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"},
      "Action": ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*",
                 "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource",
                 "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"],
      "Resource": "*"
    },
    {
      "Sid": "Allow alice to use the key through Secrets Manager",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"},
      "Action": ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
      "Resource": "*",
      "Condition": {"StringEquals": {"kms:ViaService": "secretsmanager.us-east-1.amazonaws.com", "kms:CallerAccount": "111122223333"}}
    }
  ]
}`

// TestSourceNotesScenario is the course's central story: why another IAM
// user can read alice's secret, and the key policy that stops it.
func TestSourceNotesScenario(t *testing.T) {
	l := newLab(t)
	l.persona("alice", "AdministratorAccess")
	l.persona("bob", "AdministratorAccess")
	alice, bob := l.sm("alice"), l.sm("bob")
	read := func(c *sm.Client, id string) error {
		_, err := c.GetSecretValue(l.ctx, &sm.GetSecretValueInput{SecretId: aws.String(id)})
		return err
	}

	// 1. alice stores a secret under her customer managed key, which has the
	//    default key policy (the account delegates to IAM).
	key, err := l.kms("alice").CreateKey(l.ctx, &kms.CreateKeyInput{Description: aws.String("alice's key")})
	if err != nil {
		t.Fatalf("alice CreateKey: %v", err)
	}
	keyARN := aws.ToString(key.KeyMetadata.Arn)
	if _, err := l.kms("alice").CreateAlias(l.ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/alice"), TargetKeyId: key.KeyMetadata.KeyId}); err != nil {
		t.Fatalf("alice CreateAlias: %v", err)
	}
	if _, err := alice.CreateSecret(l.ctx, &sm.CreateSecretInput{Name: aws.String("seclab/db"), SecretString: aws.String("s3cr3t"), KmsKeyId: aws.String("alias/alice")}); err != nil {
		t.Fatalf("alice CreateSecret: %v", err)
	}
	l.trail()

	// 2. bob, with AdministratorAccess, can read it: the key policy lets IAM
	//    decide, and AdministratorAccess allows kms:Decrypt.
	if err := read(bob, "seclab/db"); err != nil {
		t.Fatalf("bob (AdministratorAccess) read: %v", err)
	}
	want := []string{"bob kms:Decrypt Allowed via secretsmanager", "bob secretsmanager:GetSecretValue Allowed"}
	if d := cmp.Diff(want, summaries(l.trail())); d != "" {
		t.Errorf("trail of bob's read (-want +got):\n%s", d)
	}

	// 3. bob with only SecretsManagerReadWrite may call GetSecretValue but
	//    not kms:Decrypt.
	l.detach("bob", "AdministratorAccess")
	l.attach("bob", "SecretsManagerReadWrite")
	l.trail()
	if got := apiError(read(bob, "seclab/db")); got != "AccessDeniedException: Access to KMS is not allowed" {
		t.Errorf("bob (SecretsManagerReadWrite) read: %s", got)
	}
	want = []string{"bob kms:Decrypt ImplicitlyDenied via secretsmanager AccessDeniedException", "bob secretsmanager:GetSecretValue Allowed AccessDeniedException"}
	if d := cmp.Diff(want, summaries(l.trail())); d != "" {
		t.Errorf("trail of the KMS denial (-want +got):\n%s", d)
	}

	// 4. Under aws/secretsmanager the same bob reads: that key's policy
	//    allows every principal of the account through Secrets Manager.
	if _, err := alice.CreateSecret(l.ctx, &sm.CreateSecretInput{Name: aws.String("seclab/default"), SecretString: aws.String("x")}); err != nil {
		t.Fatalf("alice CreateSecret with aws/secretsmanager: %v", err)
	}
	if err := read(bob, "seclab/default"); err != nil {
		t.Errorf("bob (SecretsManagerReadWrite) read under aws/secretsmanager: %v", err)
	}

	// 5. A key policy that names only alice: bob, even with
	//    AdministratorAccess, is denied; alice still reads.
	l.detach("bob", "SecretsManagerReadWrite")
	l.attach("bob", "AdministratorAccess")
	if _, err := l.kms("alice").PutKeyPolicy(l.ctx, &kms.PutKeyPolicyInput{KeyId: key.KeyMetadata.KeyId, PolicyName: aws.String("default"), Policy: aws.String(secureKeyPolicy)}); err != nil {
		t.Fatalf("alice PutKeyPolicy: %v", err)
	}
	l.trail()
	if got := apiError(read(bob, "seclab/db")); got != "AccessDeniedException: Access to KMS is not allowed" {
		t.Errorf("bob (AdministratorAccess) after the secure key policy: %s", got)
	}
	events := l.trail()
	if d := cmp.Diff([]string{"bob kms:Decrypt ImplicitlyDenied via secretsmanager AccessDeniedException", "bob secretsmanager:GetSecretValue Allowed AccessDeniedException"}, summaries(events)); d != "" {
		t.Errorf("trail of bob's denial (-want +got):\n%s", d)
	}
	if len(events) > 0 && (!strings.Contains(events[0].ErrorMessage, "no resource-based policy allows") || !contains(events[0].Resources, keyARN)) {
		t.Errorf("the KMS denial does not say the key policy is why: %+v", events[0])
	}
	if err := read(alice, "seclab/db"); err != nil {
		t.Errorf("alice after the secure key policy: %v", err)
	}
	if d := cmp.Diff([]string{"alice kms:Decrypt Allowed via secretsmanager", "alice secretsmanager:GetSecretValue Allowed"}, summaries(l.trail())); d != "" {
		t.Errorf("trail of alice's read (-want +got):\n%s", d)
	}
	for _, e := range l.events {
		if strings.Contains(e.ErrorMessage, "s3cr3t") || strings.Contains(string(e.Explanation), "s3cr3t") {
			t.Errorf("the secret value is in the trail: %+v", e)
		}
	}
}

func summaries(events []svcEvent) []string {
	var out []string
	for _, e := range events {
		out = append(out, summary(e))
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
