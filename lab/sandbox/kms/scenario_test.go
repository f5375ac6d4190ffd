package kms_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
)

// TestSDKKeyPolicyScenario is lesson 8's story: under the default key
// policy any administrator can decrypt; a key policy that names only alice
// shuts bob out, and the lockout check refuses a policy that would lock
// its author out unless the check is bypassed.
func TestSDKKeyPolicyScenario(t *testing.T) {
	l := newLab(t)
	ctx := l.ctx
	aliceARN := l.persona("alice", "AdministratorAccess")
	bobARN := l.persona("bob", "AdministratorAccess")
	alice, bob := l.kms("alice"), l.kms("bob")

	key, err := alice.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("alice's key")})
	if err != nil {
		t.Fatal(err)
	}
	id, arn := aws.ToString(key.KeyMetadata.KeyId), aws.ToString(key.KeyMetadata.Arn)
	enc, err := alice.Encrypt(ctx, &kms.EncryptInput{KeyId: &id, Plaintext: []byte("db password")})
	if err != nil {
		t.Fatal(err)
	}
	// The default key policy delegates to IAM: bob's AdministratorAccess
	// is enough.
	if out, err := bob.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob}); err != nil || string(out.Plaintext) != "db password" {
		t.Fatalf("bob under the default key policy: %v", err)
	}

	onlyAlice := `{
  "Version": "2012-10-17",
  "Id": "alice-only",
  "Statement": [{
    "Sid": "Alice administers and uses the key",
    "Effect": "Allow",
    "Principal": {"AWS": "` + aliceARN + `"},
    "Action": "kms:*",
    "Resource": "*"
  }]
}`
	// bob may not write a policy that leaves him no way to update it.
	_, err = bob.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: &id, PolicyName: aws.String("default"), Policy: &onlyAlice})
	expectError(t, "lockout check", err,
		"MalformedPolicyDocumentException: The new key policy will not allow you to update the key policy in the future.")
	_, err = bob.CreateKey(ctx, &kms.CreateKeyInput{Policy: &onlyAlice})
	expectError(t, "lockout check on CreateKey", err,
		"MalformedPolicyDocumentException: The new key policy will not allow you to update the key policy in the future.")
	// alice may: the policy still lets her update it.
	if _, err := alice.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: &id, PolicyName: aws.String("default"), Policy: &onlyAlice}); err != nil {
		t.Fatalf("alice puts a policy naming herself: %v", err)
	}
	_, err = bob.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
	expectError(t, "bob after the fix", err, "AccessDeniedException: User: "+bobARN+
		" is not authorized to perform: kms:Decrypt on resource: "+arn+" because no resource-based policy allows the kms:Decrypt action")
	if out, err := alice.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob}); err != nil || string(out.Plaintext) != "db password" {
		t.Fatalf("alice after the fix: %v", err)
	}
	got, err := alice.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: &id})
	if err != nil || !strings.Contains(aws.ToString(got.Policy), "\"Id\" : \"alice-only\"") {
		t.Fatalf("GetKeyPolicy = %v, %v", aws.ToString(got.Policy), err)
	}

	// Bypassing the check lets a caller lock itself out, as AWS allows.
	onlyBob := strings.ReplaceAll(onlyAlice, aliceARN, bobARN)
	if _, err := alice.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: &id, Policy: &onlyBob, BypassPolicyLockoutSafetyCheck: true}); err != nil {
		t.Fatalf("bypassed lockout check: %v", err)
	}
	_, err = alice.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: &id, Policy: &onlyAlice})
	if !strings.HasPrefix(apiError(err), "AccessDeniedException: User: "+aliceARN+" is not authorized to perform: kms:PutKeyPolicy") {
		t.Errorf("alice after locking herself out: %v", apiError(err))
	}
}

// TestSDKManagedKeyPolicy checks aws/secretsmanager's fixed policy: DescribeKey
// on its alias creates it, and it cannot be used directly, only through
// Secrets Manager.
func TestSDKManagedKeyPolicy(t *testing.T) {
	l := newLab(t)
	c := l.kms("learner")
	d, err := c.DescribeKey(l.ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/aws/secretsmanager")})
	if err != nil {
		t.Fatal(err)
	}
	if d.KeyMetadata.KeyManager != "AWS" {
		t.Errorf("KeyManager = %v", d.KeyMetadata.KeyManager)
	}
	arn := aws.ToString(d.KeyMetadata.Arn)
	_, err = c.Encrypt(l.ctx, &kms.EncryptInput{KeyId: aws.String("alias/aws/secretsmanager"), Plaintext: []byte("x")})
	// Which policy type the message names is the evaluator's call; the
	// denial itself is what this test is about.
	if want := "AccessDeniedException: User: arn:aws:iam::111122223333:user/learner is not authorized to perform: kms:Encrypt on resource: " +
		arn + " because no "; !strings.HasPrefix(apiError(err), want) {
		t.Errorf("direct use of aws/secretsmanager: %v", apiError(err))
	}
	if _, err := c.GetKeyPolicy(l.ctx, &kms.GetKeyPolicyInput{KeyId: &arn}); err != nil {
		t.Errorf("GetKeyPolicy on aws/secretsmanager: %v", err)
	}
	_, err = c.PutKeyPolicy(l.ctx, &kms.PutKeyPolicyInput{KeyId: &arn, Policy: aws.String(`{"Statement":[]}`)})
	if !strings.HasPrefix(apiError(err), "AccessDeniedException:") {
		t.Errorf("PutKeyPolicy on aws/secretsmanager: %v", apiError(err))
	}
}
