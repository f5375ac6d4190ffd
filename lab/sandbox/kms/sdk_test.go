package kms_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/google/go-cmp/cmp"
)

func TestSDKKeyLifecycle(t *testing.T) {
	l := newLab(t)
	c := l.kms("learner")
	ctx := l.ctx
	out, err := c.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("demo"),
		Tags: []types.Tag{{TagKey: aws.String("team"), TagValue: aws.String("blue")}}})
	if err != nil {
		t.Fatal(err)
	}
	md := out.KeyMetadata
	if md.KeySpec != types.KeySpecSymmetricDefault || md.KeyUsage != types.KeyUsageTypeEncryptDecrypt || md.KeyState != types.KeyStateEnabled ||
		md.KeyManager != types.KeyManagerTypeCustomer || md.Origin != types.OriginTypeAwsKms || aws.ToString(md.AWSAccountId) != "111122223333" ||
		time.Since(aws.ToTime(md.CreationDate)) > time.Minute {
		t.Errorf("CreateKey metadata = %+v", md)
	}
	id, arn := aws.ToString(md.KeyId), aws.ToString(md.Arn)

	if _, err := c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/demo"), TargetKeyId: &id}); err != nil {
		t.Fatal(err)
	}
	d, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/demo")})
	if err != nil || aws.ToString(d.KeyMetadata.Arn) != arn {
		t.Fatalf("DescribeKey alias = %v, %v", d, err)
	}
	keys, err := c.ListKeys(ctx, &kms.ListKeysInput{})
	if err != nil || len(keys.Keys) != 1 || aws.ToString(keys.Keys[0].KeyArn) != arn {
		t.Fatalf("ListKeys = %+v, %v", keys, err)
	}
	if _, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: &arn}); err != nil {
		t.Fatalf("DescribeKey by ARN: %v", err)
	}
	aliases, err := c.ListAliases(ctx, &kms.ListAliasesInput{KeyId: &id})
	if err != nil || len(aliases.Aliases) != 1 || aws.ToString(aliases.Aliases[0].AliasName) != "alias/demo" || aliases.Aliases[0].CreationDate == nil {
		t.Fatalf("ListAliases = %+v, %v", aliases, err)
	}
	other, otherARN := l.createKey(nil)
	if _, err := c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/moving"), TargetKeyId: &id}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateAlias(ctx, &kms.UpdateAliasInput{AliasName: aws.String("alias/moving"), TargetKeyId: &other}); err != nil {
		t.Fatal(err)
	}
	if d, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/moving")}); err != nil || aws.ToString(d.KeyMetadata.Arn) != otherARN {
		t.Fatalf("alias after UpdateAlias = %v, %v", d, err)
	}
	if _, err := c.DeleteAlias(ctx, &kms.DeleteAliasInput{AliasName: aws.String("alias/moving")}); err != nil {
		t.Fatal(err)
	}
	tags, err := c.ListResourceTags(ctx, &kms.ListResourceTagsInput{KeyId: &id})
	if err != nil || len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].TagValue) != "blue" {
		t.Fatalf("ListResourceTags = %+v, %v", tags, err)
	}
	if _, err := c.TagResource(ctx, &kms.TagResourceInput{KeyId: &id, Tags: []types.Tag{{TagKey: aws.String("env"), TagValue: aws.String("dev")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UntagResource(ctx, &kms.UntagResourceInput{KeyId: &id, TagKeys: []string{"team"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateKeyDescription(ctx, &kms.UpdateKeyDescriptionInput{KeyId: &id, Description: aws.String("new")}); err != nil {
		t.Fatal(err)
	}

	if _, err := c.DisableKey(ctx, &kms.DisableKeyInput{KeyId: &id}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Encrypt(ctx, &kms.EncryptInput{KeyId: &id, Plaintext: []byte("x")})
	expectError(t, "Encrypt on a disabled key", err, "DisabledException: "+arn+" is disabled.")
	if _, err := c.EnableKey(ctx, &kms.EnableKeyInput{KeyId: &id}); err != nil {
		t.Fatal(err)
	}

	if _, err := c.EnableKeyRotation(ctx, &kms.EnableKeyRotationInput{KeyId: &id}); err != nil {
		t.Fatal(err)
	}
	rs, err := c.GetKeyRotationStatus(ctx, &kms.GetKeyRotationStatusInput{KeyId: &id})
	if err != nil || !rs.KeyRotationEnabled || aws.ToInt32(rs.RotationPeriodInDays) != 365 || rs.NextRotationDate == nil {
		t.Fatalf("GetKeyRotationStatus = %+v, %v", rs, err)
	}
	old, err := c.Encrypt(ctx, &kms.EncryptInput{KeyId: &id, Plaintext: []byte("before rotation")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.RotateKeyOnDemand(ctx, &kms.RotateKeyOnDemandInput{KeyId: &id}); err != nil {
		t.Fatal(err)
	}
	dec, err := c.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: old.CiphertextBlob})
	if err != nil || string(dec.Plaintext) != "before rotation" {
		t.Fatalf("Decrypt after rotation = %v, %v", dec, err)
	}
	if _, err := c.DisableKeyRotation(ctx, &kms.DisableKeyRotationInput{KeyId: &id}); err != nil {
		t.Fatal(err)
	}

	sched, err := c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: &id, PendingWindowInDays: aws.Int32(7)})
	if err != nil || sched.KeyState != types.KeyStatePendingDeletion || aws.ToInt32(sched.PendingWindowInDays) != 7 {
		t.Fatalf("ScheduleKeyDeletion = %+v, %v", sched, err)
	}
	_, err = c.Encrypt(ctx, &kms.EncryptInput{KeyId: &id, Plaintext: []byte("x")})
	expectError(t, "Encrypt pending deletion", err, "KMSInvalidStateException: "+arn+" is pending deletion.")
	if _, err := c.CancelKeyDeletion(ctx, &kms.CancelKeyDeletionInput{KeyId: &id}); err != nil {
		t.Fatal(err)
	}
	_, err = c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: &id, PendingWindowInDays: aws.Int32(31)})
	expectError(t, "ScheduleKeyDeletion 31 days", err, "ValidationException: PendingWindowInDays must be between 7 and 30")

	// The sandbox clock moves the key from pending deletion to deleted.
	if _, err := c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: &id}); err != nil {
		t.Fatal(err)
	}
	if err := l.srv.Advance(31 * 24 * time.Hour); err != nil {
		t.Fatal(err)
	}
	_, err = c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: &id})
	expectError(t, "DescribeKey after deletion", err, "NotFoundException: Key '"+arn+"' does not exist")
	_, err = c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/demo")})
	expectError(t, "alias of a deleted key", err, "NotFoundException: Alias arn:aws:kms:us-east-1:111122223333:alias/demo is not found.")
}

func TestSDKCryptography(t *testing.T) {
	l := newLab(t)
	c := l.kms("learner")
	ctx := l.ctx
	id, arn := l.createKey(nil)
	other, _ := l.createKey(nil)
	encCtx := map[string]string{"ab": "c"}
	enc, err := c.Encrypt(ctx, &kms.EncryptInput{KeyId: &id, Plaintext: []byte("hello"), EncryptionContext: encCtx})
	if err != nil || aws.ToString(enc.KeyId) != arn || enc.EncryptionAlgorithm != types.EncryptionAlgorithmSpecSymmetricDefault {
		t.Fatalf("Encrypt = %+v, %v", enc, err)
	}
	dec, err := c.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: encCtx})
	if err != nil || string(dec.Plaintext) != "hello" || aws.ToString(dec.KeyId) != arn {
		t.Fatalf("Decrypt = %+v, %v", dec, err)
	}
	tampered := bytes.Clone(enc.CiphertextBlob)
	tampered[len(tampered)/2] ^= 0x40
	_, err = c.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: tampered, EncryptionContext: encCtx})
	expectError(t, "tampered ciphertext", err, "InvalidCiphertextException: ")
	_, err = c.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: map[string]string{"a": "bc"}})
	expectError(t, "changed encryption context", err, "InvalidCiphertextException: ")
	_, err = c.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: encCtx, KeyId: &other})
	expectError(t, "wrong key", err, "IncorrectKeyException: The key ID in the request does not identify a CMK that can perform this operation.")

	re, err := c.ReEncrypt(ctx, &kms.ReEncryptInput{CiphertextBlob: enc.CiphertextBlob, SourceEncryptionContext: encCtx, DestinationKeyId: &other})
	if err != nil || aws.ToString(re.SourceKeyId) != arn {
		t.Fatalf("ReEncrypt = %+v, %v", re, err)
	}
	dk, err := c.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: &id, KeySpec: types.DataKeySpecAes256})
	if err != nil || len(dk.Plaintext) != 32 {
		t.Fatalf("GenerateDataKey = %+v, %v", dk, err)
	}
	if _, err := c.GenerateDataKeyWithoutPlaintext(ctx, &kms.GenerateDataKeyWithoutPlaintextInput{KeyId: &id, NumberOfBytes: aws.Int32(16)}); err != nil {
		t.Fatal(err)
	}
	pair, err := c.GenerateDataKeyPair(ctx, &kms.GenerateDataKeyPairInput{KeyId: &id, KeyPairSpec: types.DataKeyPairSpecEccNistP256})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := x509.ParsePKIXPublicKey(pair.PublicKey); err != nil {
		t.Errorf("data key pair public key: %v", err)
	}
	if _, err := c.GenerateDataKeyPairWithoutPlaintext(ctx, &kms.GenerateDataKeyPairWithoutPlaintextInput{KeyId: &id, KeyPairSpec: types.DataKeyPairSpecEccNistP384}); err != nil {
		t.Fatal(err)
	}
	rnd, err := c.GenerateRandom(ctx, &kms.GenerateRandomInput{NumberOfBytes: aws.Int32(24)})
	if err != nil || len(rnd.Plaintext) != 24 {
		t.Fatalf("GenerateRandom = %+v, %v", rnd, err)
	}

	mac, _ := l.createKey(&kms.CreateKeyInput{KeySpec: types.KeySpecHmac256, KeyUsage: types.KeyUsageTypeGenerateVerifyMac})
	m, err := c.GenerateMac(ctx, &kms.GenerateMacInput{KeyId: &mac, Message: []byte("m"), MacAlgorithm: types.MacAlgorithmSpecHmacSha256})
	if err != nil {
		t.Fatal(err)
	}
	vm, err := c.VerifyMac(ctx, &kms.VerifyMacInput{KeyId: &mac, Message: []byte("m"), Mac: m.Mac, MacAlgorithm: types.MacAlgorithmSpecHmacSha256})
	if err != nil || !vm.MacValid {
		t.Fatalf("VerifyMac = %+v, %v", vm, err)
	}

	rsaKey, _ := l.createKey(&kms.CreateKeyInput{KeySpec: types.KeySpecRsa3072, KeyUsage: types.KeyUsageTypeEncryptDecrypt})
	_, err = c.Encrypt(ctx, &kms.EncryptInput{KeyId: &rsaKey, Plaintext: make([]byte, 319), EncryptionAlgorithm: types.EncryptionAlgorithmSpecRsaesOaepSha256})
	expectError(t, "RSA limit", err, "ValidationException: Algorithm RSAES_OAEP_SHA_256 and key spec RSA_3072 cannot encrypt data larger than 318 bytes.")
	renc, err := c.Encrypt(ctx, &kms.EncryptInput{KeyId: &rsaKey, Plaintext: []byte("rsa"), EncryptionAlgorithm: types.EncryptionAlgorithmSpecRsaesOaepSha1})
	if err != nil {
		t.Fatal(err)
	}
	rdec, err := c.Decrypt(ctx, &kms.DecryptInput{KeyId: &rsaKey, CiphertextBlob: renc.CiphertextBlob, EncryptionAlgorithm: types.EncryptionAlgorithmSpecRsaesOaepSha1})
	if err != nil || string(rdec.Plaintext) != "rsa" {
		t.Fatalf("RSA Decrypt = %+v, %v", rdec, err)
	}
}

// TestSDKSignaturesVerifyWithGoCrypto signs with RSA and ECDSA keys and
// verifies with Go's crypto against the DER public key from GetPublicKey.
func TestSDKSignaturesVerifyWithGoCrypto(t *testing.T) {
	l := newLab(t)
	c := l.kms("learner")
	msg := []byte("a message for the lab")
	tests := []struct {
		spec types.KeySpec
		alg  types.SigningAlgorithmSpec
		hash crypto.Hash
	}{
		{types.KeySpecRsa2048, types.SigningAlgorithmSpecRsassaPssSha256, crypto.SHA256},
		{types.KeySpecRsa2048, types.SigningAlgorithmSpecRsassaPkcs1V15Sha256, crypto.SHA256},
		{types.KeySpecEccNistP256, types.SigningAlgorithmSpecEcdsaSha256, crypto.SHA256},
		{types.KeySpecEccNistP521, types.SigningAlgorithmSpecEcdsaSha512, crypto.SHA512},
	}
	for _, tt := range tests {
		t.Run(string(tt.spec)+"/"+string(tt.alg), func(t *testing.T) {
			id, _ := l.createKey(&kms.CreateKeyInput{KeySpec: tt.spec, KeyUsage: types.KeyUsageTypeSignVerify})
			sig, err := c.Sign(l.ctx, &kms.SignInput{KeyId: &id, Message: msg, SigningAlgorithm: tt.alg})
			if err != nil {
				t.Fatal(err)
			}
			pk, err := c.GetPublicKey(l.ctx, &kms.GetPublicKeyInput{KeyId: &id})
			if err != nil || pk.KeySpec != tt.spec || pk.KeyUsage != types.KeyUsageTypeSignVerify {
				t.Fatalf("GetPublicKey = %+v, %v", pk, err)
			}
			pub, err := x509.ParsePKIXPublicKey(pk.PublicKey)
			if err != nil {
				t.Fatalf("public key is not DER SubjectPublicKeyInfo: %v", err)
			}
			var digest []byte
			if tt.hash == crypto.SHA256 {
				d := sha256.Sum256(msg)
				digest = d[:]
			} else {
				d := sha512.Sum512(msg)
				digest = d[:]
			}
			var ok bool
			switch k := pub.(type) {
			case *rsa.PublicKey:
				if tt.alg == types.SigningAlgorithmSpecRsassaPssSha256 {
					ok = rsa.VerifyPSS(k, tt.hash, digest, sig.Signature, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}) == nil
				} else {
					ok = rsa.VerifyPKCS1v15(k, tt.hash, digest, sig.Signature) == nil
				}
			case *ecdsa.PublicKey:
				ok = ecdsa.VerifyASN1(k, digest, sig.Signature)
			}
			if !ok {
				t.Fatal("Go's crypto rejects the KMS signature")
			}
			v, err := c.Verify(l.ctx, &kms.VerifyInput{KeyId: &id, Message: msg, Signature: sig.Signature, SigningAlgorithm: tt.alg})
			if err != nil || !v.SignatureValid {
				t.Fatalf("Verify = %+v, %v", v, err)
			}
			_, err = c.Verify(l.ctx, &kms.VerifyInput{KeyId: &id, Message: []byte("other"), Signature: sig.Signature, SigningAlgorithm: tt.alg})
			expectError(t, "Verify of another message", err, "KMSInvalidSignatureException: ")
		})
	}
}

func TestSDKPoliciesAndGrants(t *testing.T) {
	l := newLab(t)
	c := l.kms("learner")
	ctx := l.ctx
	id, _ := l.createKey(nil)
	p, err := c.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: &id, PolicyName: aws.String("default")})
	if err != nil || aws.ToString(p.PolicyName) != "default" {
		t.Fatalf("GetKeyPolicy = %+v, %v", p, err)
	}
	want := "{\n  \"Version\" : \"2012-10-17\",\n  \"Id\" : \"key-default-1\",\n  \"Statement\" : [ {\n    \"Sid\" : \"Enable IAM User Permissions\",\n    \"Effect\" : \"Allow\",\n    \"Principal\" : {\n      \"AWS\" : \"arn:aws:iam::111122223333:root\"\n    },\n    \"Action\" : \"kms:*\",\n    \"Resource\" : \"*\"\n  } ]\n}"
	if diff := cmp.Diff(want, aws.ToString(p.Policy)); diff != "" {
		t.Errorf("default key policy (-want +got):\n%s", diff)
	}
	names, err := c.ListKeyPolicies(ctx, &kms.ListKeyPoliciesInput{KeyId: &id})
	if err != nil || !cmp.Equal(names.PolicyNames, []string{"default"}) {
		t.Fatalf("ListKeyPolicies = %+v, %v", names, err)
	}

	bobARN := l.persona("bob")
	g, err := c.CreateGrant(ctx, &kms.CreateGrantInput{KeyId: &id, GranteePrincipal: &bobARN,
		Operations: []types.GrantOperation{types.GrantOperationEncrypt, types.GrantOperationDecrypt}})
	if err != nil {
		t.Fatal(err)
	}
	// bob has no IAM policy: only the grant lets him encrypt.
	bob := l.kms("bob")
	enc, err := bob.Encrypt(ctx, &kms.EncryptInput{KeyId: &id, Plaintext: []byte("via grant"), GrantTokens: []string{aws.ToString(g.GrantToken)}})
	if err != nil {
		t.Fatalf("Encrypt with a grant: %v", err)
	}
	if _, err := bob.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob}); err != nil {
		t.Fatalf("Decrypt with a grant: %v", err)
	}
	_, err = bob.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: &id, KeySpec: types.DataKeySpecAes256})
	if apiError(err) == "" {
		t.Error("the grant allowed an operation it does not list")
	}
	list, err := c.ListGrants(ctx, &kms.ListGrantsInput{KeyId: &id})
	if err != nil || len(list.Grants) != 1 || aws.ToString(list.Grants[0].GrantId) != aws.ToString(g.GrantId) {
		t.Fatalf("ListGrants = %+v, %v", list, err)
	}
	if _, err := c.RevokeGrant(ctx, &kms.RevokeGrantInput{KeyId: &id, GrantId: g.GrantId}); err != nil {
		t.Fatal(err)
	}
	_, err = bob.Encrypt(ctx, &kms.EncryptInput{KeyId: &id, Plaintext: []byte("x")})
	if apiError(err) == "" {
		t.Error("Encrypt succeeded after the grant was revoked")
	}
	g2, err := c.CreateGrant(ctx, &kms.CreateGrantInput{KeyId: &id, GranteePrincipal: &bobARN, RetiringPrincipal: aws.String("arn:aws:iam::111122223333:user/learner"),
		Operations: []types.GrantOperation{types.GrantOperationDescribeKey}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.RetireGrant(ctx, &kms.RetireGrantInput{GrantToken: g2.GrantToken}); err != nil {
		t.Fatal(err)
	}
}
