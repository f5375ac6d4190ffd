package kms

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestEncryptDecryptRoundTrip(t *testing.T) {
	h := newHarness(t)
	id, arn := h.createKey(nil)
	h.must("CreateAlias", map[string]any{"AliasName": "alias/demo", "TargetKeyId": id})
	for _, keyID := range []string{id, arn, "alias/demo", "arn:aws:kms:us-east-1:111122223333:alias/demo"} {
		t.Run(keyID, func(t *testing.T) {
			ctx := map[string]string{"purpose": "test"}
			out := h.must("Encrypt", map[string]any{"KeyId": keyID, "Plaintext": []byte("secret"), "EncryptionContext": ctx})
			if out["KeyId"] != arn || out["EncryptionAlgorithm"] != "SYMMETRIC_DEFAULT" {
				t.Errorf("Encrypt = %v", out)
			}
			blob := b64(out, "CiphertextBlob")
			// KeyId is optional for symmetric ciphertext.
			dec := h.must("Decrypt", map[string]any{"CiphertextBlob": blob, "EncryptionContext": ctx})
			if got := b64(dec, "Plaintext"); string(got) != "secret" || dec["KeyId"] != arn || dec["EncryptionAlgorithm"] != "SYMMETRIC_DEFAULT" {
				t.Errorf("Decrypt = %v (%q)", dec, got)
			}
			h.must("Decrypt", map[string]any{"CiphertextBlob": blob, "EncryptionContext": ctx, "KeyId": keyID})
		})
	}
}

func TestDecryptFailures(t *testing.T) {
	h := newHarness(t)
	id, _ := h.createKey(nil)
	other, _ := h.createKey(nil)
	ctx := map[string]string{"ab": "c"}
	blob := b64(h.must("Encrypt", map[string]any{"KeyId": id, "Plaintext": []byte("data"), "EncryptionContext": ctx}), "CiphertextBlob")

	tampered := bytes.Clone(blob)
	tampered[len(tampered)-1] ^= 1
	version := bytes.Clone(blob)
	version[20] ^= 1 // key version byte of the header

	tests := []struct {
		name string
		in   map[string]any
		code string
		msg  string
	}{
		{"tampered ciphertext", map[string]any{"CiphertextBlob": tampered, "EncryptionContext": ctx}, "InvalidCiphertextException", ""},
		{"tampered version", map[string]any{"CiphertextBlob": version, "EncryptionContext": ctx}, "InvalidCiphertextException", ""},
		{"shifted context", map[string]any{"CiphertextBlob": blob, "EncryptionContext": map[string]string{"a": "bc"}}, "InvalidCiphertextException", ""},
		{"missing context", map[string]any{"CiphertextBlob": blob}, "InvalidCiphertextException", ""},
		{"context case", map[string]any{"CiphertextBlob": blob, "EncryptionContext": map[string]string{"ab": "C"}}, "InvalidCiphertextException", ""},
		{"extra context", map[string]any{"CiphertextBlob": blob, "EncryptionContext": map[string]string{"ab": "c", "x": ""}}, "InvalidCiphertextException", ""},
		{"wrong key", map[string]any{"CiphertextBlob": blob, "EncryptionContext": ctx, "KeyId": other}, "IncorrectKeyException",
			"The key ID in the request does not identify a CMK that can perform this operation."},
		{"garbage", map[string]any{"CiphertextBlob": []byte("not a blob")}, "InvalidCiphertextException", ""},
		{"empty", map[string]any{"CiphertextBlob": []byte{}}, "ValidationException", "*"},
		{"too long", map[string]any{"CiphertextBlob": make([]byte, 6145)}, "ValidationException", "*"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { h.fails("Decrypt", tt.in, tt.code, tt.msg) })
	}
}

func TestEncryptLimits(t *testing.T) {
	h := newHarness(t)
	id, _ := h.createKey(nil)
	h.fails("Encrypt", map[string]any{"KeyId": id, "Plaintext": make([]byte, 4097)}, "ValidationException",
		"1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096")
	h.must("Encrypt", map[string]any{"KeyId": id, "Plaintext": make([]byte, 4096)})
	h.fails("Encrypt", map[string]any{"KeyId": id}, "ValidationException", "*")
	h.fails("Encrypt", map[string]any{"KeyId": id, "Plaintext": []byte("x"), "EncryptionAlgorithm": "RSAES_OAEP_SHA_1"},
		"InvalidKeyUsageException", "Algorithm RSAES_OAEP_SHA_1 is incompatible with key spec SYMMETRIC_DEFAULT.")
	signKey, signARN := h.createKey(map[string]any{"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"})
	h.fails("Encrypt", map[string]any{"KeyId": signKey, "Plaintext": []byte("x")}, "InvalidKeyUsageException",
		signARN+" key usage is SIGN_VERIFY which is not valid for Encrypt.")
}

func TestRSAEncryption(t *testing.T) {
	h := newHarness(t)
	id, arn := h.createKey(map[string]any{"KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT"})
	pub := h.must("GetPublicKey", map[string]any{"KeyId": id})
	if diff := cmp.Diff([]any{"RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"}, pub["EncryptionAlgorithms"]); diff != "" {
		t.Errorf("EncryptionAlgorithms (-want +got):\n%s", diff)
	}
	key, err := x509.ParsePKIXPublicKey(b64(pub, "PublicKey"))
	if err != nil {
		t.Fatalf("public key is not DER SubjectPublicKeyInfo: %v", err)
	}
	for _, tt := range []struct {
		alg string
		max int
	}{{"RSAES_OAEP_SHA_1", 214}, {"RSAES_OAEP_SHA_256", 190}} {
		t.Run(tt.alg, func(t *testing.T) {
			h.fails("Encrypt", map[string]any{"KeyId": id, "Plaintext": make([]byte, tt.max+1), "EncryptionAlgorithm": tt.alg},
				"ValidationException", "Algorithm "+tt.alg+" and key spec RSA_2048 cannot encrypt data larger than "+itoa(tt.max)+" bytes.")
			out := h.must("Encrypt", map[string]any{"KeyId": id, "Plaintext": bytes.Repeat([]byte("a"), tt.max), "EncryptionAlgorithm": tt.alg})
			dec := h.must("Decrypt", map[string]any{"KeyId": id, "CiphertextBlob": b64(out, "CiphertextBlob"), "EncryptionAlgorithm": tt.alg})
			if len(b64(dec, "Plaintext")) != tt.max || dec["KeyId"] != arn {
				t.Errorf("Decrypt = %v", dec)
			}
		})
	}
	// Ciphertext made outside KMS with the public key decrypts inside.
	ct, err := rsa.EncryptOAEP(sha256.New(), rand.Reader, key.(*rsa.PublicKey), []byte("outside"), nil)
	if err != nil {
		t.Fatal(err)
	}
	dec := h.must("Decrypt", map[string]any{"KeyId": id, "CiphertextBlob": ct, "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"})
	if string(b64(dec, "Plaintext")) != "outside" {
		t.Errorf("Decrypt of external ciphertext = %q", b64(dec, "Plaintext"))
	}
	// Asymmetric ciphertext needs its KeyId.
	h.fails("Decrypt", map[string]any{"CiphertextBlob": ct, "EncryptionAlgorithm": "RSAES_OAEP_SHA_256"}, "InvalidCiphertextException", "")
}

func TestRotationKeepsOldCiphertext(t *testing.T) {
	h := newHarness(t)
	id, arn := h.createKey(nil)
	old := b64(h.must("Encrypt", map[string]any{"KeyId": id, "Plaintext": []byte("v1")}), "CiphertextBlob")
	if got := h.must("RotateKeyOnDemand", map[string]any{"KeyId": id}); got["KeyId"] != arn {
		t.Errorf("RotateKeyOnDemand = %v", got)
	}
	fresh := b64(h.must("Encrypt", map[string]any{"KeyId": id, "Plaintext": []byte("v2")}), "CiphertextBlob")
	if parsed, _ := parseBlob(fresh); parsed.Version != 1 {
		t.Errorf("new ciphertext version = %d, want 1", parsed.Version)
	}
	for want, blob := range map[string][]byte{"v1": old, "v2": fresh} {
		if got := b64(h.must("Decrypt", map[string]any{"CiphertextBlob": blob}), "Plaintext"); string(got) != want {
			t.Errorf("Decrypt = %q, want %q", got, want)
		}
	}
	rot := h.must("ListKeyRotations", map[string]any{"KeyId": id})["Rotations"].([]any)
	if len(rot) != 1 || rot[0].(map[string]any)["RotationType"] != "ON_DEMAND" {
		t.Errorf("ListKeyRotations = %v", rot)
	}

	// Automatic rotation follows the sandbox clock.
	h.must("EnableKeyRotation", map[string]any{"KeyId": id, "RotationPeriodInDays": 90})
	st := h.must("GetKeyRotationStatus", map[string]any{"KeyId": id})
	if st["KeyRotationEnabled"] != true || st["RotationPeriodInDays"] != float64(90) {
		t.Errorf("GetKeyRotationStatus = %v", st)
	}
	h.clock.advance(91 * 24 * time.Hour)
	blob := b64(h.must("Encrypt", map[string]any{"KeyId": id, "Plaintext": []byte("v3")}), "CiphertextBlob")
	if parsed, _ := parseBlob(blob); parsed.Version != 2 {
		t.Errorf("ciphertext version after automatic rotation = %d, want 2", parsed.Version)
	}
	h.must("DisableKeyRotation", map[string]any{"KeyId": id})
	h.fails("EnableKeyRotation", map[string]any{"KeyId": id, "RotationPeriodInDays": 10}, "ValidationException", "*")
	asym, _ := h.createKey(map[string]any{"KeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC"})
	h.fails("RotateKeyOnDemand", map[string]any{"KeyId": asym}, "UnsupportedOperationException", "*")
}

func TestReEncrypt(t *testing.T) {
	h := newHarness(t)
	src, srcARN := h.createKey(nil)
	dst, dstARN := h.createKey(nil)
	blob := b64(h.must("Encrypt", map[string]any{"KeyId": src, "Plaintext": []byte("move me"), "EncryptionContext": map[string]string{"a": "1"}}), "CiphertextBlob")
	out := h.must("ReEncrypt", map[string]any{"CiphertextBlob": blob, "SourceEncryptionContext": map[string]string{"a": "1"},
		"DestinationKeyId": dst, "DestinationEncryptionContext": map[string]string{"b": "2"}})
	if out["SourceKeyId"] != srcARN || out["KeyId"] != dstARN {
		t.Errorf("ReEncrypt = %v", out)
	}
	dec := h.must("Decrypt", map[string]any{"CiphertextBlob": b64(out, "CiphertextBlob"), "EncryptionContext": map[string]string{"b": "2"}})
	if string(b64(dec, "Plaintext")) != "move me" || dec["KeyId"] != dstARN {
		t.Errorf("Decrypt after ReEncrypt = %v", dec)
	}
	actions := map[string]bool{}
	for _, a := range h.authz.asked {
		actions[a.Action] = true
	}
	if !actions["kms:ReEncryptFrom"] || !actions["kms:ReEncryptTo"] {
		t.Errorf("ReEncrypt authorized %v, want kms:ReEncryptFrom and kms:ReEncryptTo", actions)
	}
}

func TestDataKeys(t *testing.T) {
	h := newHarness(t)
	id, arn := h.createKey(nil)
	ctx := map[string]string{"SecretARN": "arn:x"}
	out := h.must("GenerateDataKey", map[string]any{"KeyId": id, "KeySpec": "AES_256", "EncryptionContext": ctx})
	pt := b64(out, "Plaintext")
	if len(pt) != 32 || out["KeyId"] != arn {
		t.Fatalf("GenerateDataKey = %v", out)
	}
	dec := h.must("Decrypt", map[string]any{"CiphertextBlob": b64(out, "CiphertextBlob"), "EncryptionContext": ctx})
	if !bytes.Equal(b64(dec, "Plaintext"), pt) {
		t.Error("Decrypt of the data key differs from its plaintext")
	}
	wo := h.must("GenerateDataKeyWithoutPlaintext", map[string]any{"KeyId": id, "NumberOfBytes": 64})
	if _, ok := wo["Plaintext"]; ok {
		t.Errorf("GenerateDataKeyWithoutPlaintext returned a plaintext: %v", wo)
	}
	if got := b64(h.must("Decrypt", map[string]any{"CiphertextBlob": b64(wo, "CiphertextBlob")}), "Plaintext"); len(got) != 64 {
		t.Errorf("data key length = %d, want 64", len(got))
	}
	h.fails("GenerateDataKey", map[string]any{"KeyId": id}, "ValidationException", "Please specify either number of bytes or key spec.")
	h.fails("GenerateDataKey", map[string]any{"KeyId": id, "NumberOfBytes": 1025}, "ValidationException", "*")

	for _, spec := range []string{"RSA_2048", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_SECG_P256K1"} {
		t.Run(spec, func(t *testing.T) {
			pair := h.must("GenerateDataKeyPair", map[string]any{"KeyId": id, "KeyPairSpec": spec})
			priv := b64(pair, "PrivateKeyPlaintext")
			if pair["KeyPairSpec"] != spec || len(b64(pair, "PublicKey")) == 0 {
				t.Fatalf("GenerateDataKeyPair = %v", pair)
			}
			if spec != "ECC_SECG_P256K1" {
				if _, err := x509.ParsePKCS8PrivateKey(priv); err != nil {
					t.Errorf("private key is not PKCS #8: %v", err)
				}
				if _, err := x509.ParsePKIXPublicKey(b64(pair, "PublicKey")); err != nil {
					t.Errorf("public key is not SubjectPublicKeyInfo: %v", err)
				}
			}
			got := b64(h.must("Decrypt", map[string]any{"CiphertextBlob": b64(pair, "PrivateKeyCiphertextBlob")}), "Plaintext")
			if !bytes.Equal(got, priv) {
				t.Error("decrypted private key differs")
			}
		})
	}
	wop := h.must("GenerateDataKeyPairWithoutPlaintext", map[string]any{"KeyId": id, "KeyPairSpec": "ECC_NIST_P521"})
	if _, ok := wop["PrivateKeyPlaintext"]; ok {
		t.Error("GenerateDataKeyPairWithoutPlaintext returned the private key")
	}
	rsaKey, _ := h.createKey(map[string]any{"KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT"})
	h.fails("GenerateDataKey", map[string]any{"KeyId": rsaKey, "KeySpec": "AES_256"}, "InvalidKeyUsageException", "*")
}

func TestGenerateRandom(t *testing.T) {
	h := newHarness(t)
	out := h.must("GenerateRandom", map[string]any{"NumberOfBytes": 40})
	if len(b64(out, "Plaintext")) != 40 {
		t.Errorf("GenerateRandom = %v", out)
	}
	h.fails("GenerateRandom", map[string]any{"NumberOfBytes": 1025}, "ValidationException",
		"1 validation error detected: Value at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024")
	if last := h.authz.asked[len(h.authz.asked)-1]; last.Resource != "*" || last.Action != "kms:GenerateRandom" {
		t.Errorf("GenerateRandom authorized %+v", last)
	}
}

func TestEncryptionContextConditionKeys(t *testing.T) {
	h := newHarness(t)
	id, arn := h.createKey(nil)
	h.must("Encrypt", map[string]any{"KeyId": id, "Plaintext": []byte("x"), "EncryptionContext": map[string]string{"b": "2", "a": "1"}})
	a := h.authz.asked[len(h.authz.asked)-1]
	want := map[string][]string{
		"kms:EncryptionContext:a": {"1"}, "kms:EncryptionContext:b": {"2"}, "kms:EncryptionContextKeys": {"a", "b"},
		"kms:EncryptionAlgorithm": {"SYMMETRIC_DEFAULT"}, "kms:KeySpec": {"SYMMETRIC_DEFAULT"},
		"kms:KeyUsage": {"ENCRYPT_DECRYPT"}, "kms:KeyOrigin": {"AWS_KMS"}, "kms:MultiRegion": {"false"},
	}
	if diff := cmp.Diff(want, a.Context); diff != "" {
		t.Errorf("condition keys (-want +got):\n%s", diff)
	}
	if a.Resource != arn || a.ResourcePolicyName != "key policy" || !strings.Contains(a.ResourcePolicy, "key-default-1") {
		t.Errorf("authorization request = %+v", a)
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestNoncesDifferWhenRandomnessRepeats: a seeded sandbox restarted on its
// state replays its randomness; different messages must still get
// different GCM nonces under one key.
func TestNoncesDifferWhenRandomnessRepeats(t *testing.T) {
	h := newHarness(t)
	id, _ := h.createKey(nil)
	h.svc.env.Rand = zeroReader{}
	nonces := map[string]string{}
	for _, msg := range []string{"one", "two", "three"} {
		blob := b64(h.must("Encrypt", map[string]any{"KeyId": id, "Plaintext": []byte(msg)}), "CiphertextBlob")
		p, err := parseBlob(blob)
		if err != nil {
			t.Fatal(err)
		}
		if other, dup := nonces[string(p.Nonce)]; dup {
			t.Fatalf("%q and %q share a nonce", other, msg)
		}
		nonces[string(p.Nonce)] = msg
		if got := b64(h.must("Decrypt", map[string]any{"CiphertextBlob": blob}), "Plaintext"); string(got) != msg {
			t.Errorf("Decrypt = %q, want %q", got, msg)
		}
	}
}
