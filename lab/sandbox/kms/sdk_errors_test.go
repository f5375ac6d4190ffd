package kms_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// TestSDKErrors checks error codes and messages as the SDK parses them.
func TestSDKErrors(t *testing.T) {
	l := newLab(t)
	c := l.kms("learner")
	ctx := l.ctx
	id, _ := l.createKey(nil)
	signKey, signARN := l.createKey(&kms.CreateKeyInput{KeySpec: types.KeySpecEccNistP384, KeyUsage: types.KeyUsageTypeSignVerify})
	hmacKey, _ := l.createKey(&kms.CreateKeyInput{KeySpec: types.KeySpecHmac224, KeyUsage: types.KeyUsageTypeGenerateVerifyMac})
	if _, err := c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/taken"), TargetKeyId: &id}); err != nil {
		t.Fatal(err)
	}
	missing := "0b9e2c1d-1111-4222-8333-944455556666"
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"missing key", func() error {
			_, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(missing)})
			return err
		}, "NotFoundException: Key 'arn:aws:kms:us-east-1:111122223333:key/" + missing + "' does not exist"},
		{"malformed key id", func() error {
			_, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("fake-key-id")})
			return err
		}, "NotFoundException: Invalid keyId 'fake-key-id'"},
		{"missing alias", func() error {
			_, err := c.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String("alias/none"), Plaintext: []byte("x")})
			return err
		}, "NotFoundException: Alias arn:aws:kms:us-east-1:111122223333:alias/none is not found."},
		{"key usage", func() error {
			_, err := c.Encrypt(ctx, &kms.EncryptInput{KeyId: &signKey, Plaintext: []byte("x")})
			return err
		}, "InvalidKeyUsageException: " + signARN + " key usage is SIGN_VERIFY which is not valid for Encrypt."},
		{"mac algorithm", func() error {
			_, err := c.GenerateMac(ctx, &kms.GenerateMacInput{KeyId: &hmacKey, Message: []byte("m"), MacAlgorithm: types.MacAlgorithmSpecHmacSha256})
			return err
		}, "InvalidKeyUsageException: Algorithm HMAC_SHA_256 is incompatible with key spec HMAC_224."},
		{"plaintext too long", func() error {
			_, err := c.Encrypt(ctx, &kms.EncryptInput{KeyId: &id, Plaintext: make([]byte, 4097)})
			return err
		}, "ValidationException: 1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096"},
		{"usage required", func() error {
			_, err := c.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: types.KeySpecRsa2048})
			return err
		}, "ValidationException: You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys."},
		{"incompatible usage", func() error {
			_, err := c.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: types.KeySpecHmac256, KeyUsage: types.KeyUsageTypeEncryptDecrypt})
			return err
		}, "ValidationException: KeyUsage ENCRYPT_DECRYPT is not compatible with KeySpec HMAC_256"},
		{"alias prefix", func() error {
			_, err := c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("demo"), TargetKeyId: &id})
			return err
		}, `ValidationException: Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html`},
		{"alias exists", func() error {
			_, err := c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/taken"), TargetKeyId: &id})
			return err
		}, "AlreadyExistsException: An alias with the name arn:aws:kms:us-east-1:111122223333:alias/taken already exists"},
		{"garbage ciphertext", func() error {
			_, err := c.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: []byte("garbage")})
			return err
		}, "InvalidCiphertextException: "},
		{"digest length", func() error {
			_, err := c.Sign(ctx, &kms.SignInput{KeyId: &signKey, Message: make([]byte, 32), MessageType: types.MessageTypeDigest,
				SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha384})
			return err
		}, "ValidationException: Digest is invalid length for algorithm ECDSA_SHA_384."},
		{"malformed policy", func() error {
			_, err := c.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: &id, Policy: aws.String(`{"Version":"2012-10-17"}`)})
			return err
		}, "MalformedPolicyDocumentException: line 1, column 1: Statement: the policy has no Statement element"},
		{"data key size", func() error {
			_, err := c.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: &id})
			return err
		}, "ValidationException: Please specify either number of bytes or key spec."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { expectError(t, tt.name, tt.call(), tt.want) })
	}

	// Rotations and retirable grants list through the SDK as well.
	if _, err := c.RotateKeyOnDemand(ctx, &kms.RotateKeyOnDemandInput{KeyId: &id}); err != nil {
		t.Fatal(err)
	}
	rot, err := c.ListKeyRotations(ctx, &kms.ListKeyRotationsInput{KeyId: &id})
	if err != nil || len(rot.Rotations) != 1 || rot.Rotations[0].RotationType != types.RotationTypeOnDemand {
		t.Fatalf("ListKeyRotations = %+v, %v", rot, err)
	}
	retiring := "arn:aws:iam::111122223333:user/learner"
	if _, err := c.CreateGrant(ctx, &kms.CreateGrantInput{KeyId: &id, GranteePrincipal: &retiring, RetiringPrincipal: &retiring,
		Operations: []types.GrantOperation{types.GrantOperationDecrypt}}); err != nil {
		t.Fatal(err)
	}
	rg, err := c.ListRetirableGrants(ctx, &kms.ListRetirableGrantsInput{RetiringPrincipal: &retiring})
	if err != nil || len(rg.Grants) != 1 {
		t.Fatalf("ListRetirableGrants = %+v, %v", rg, err)
	}
}
