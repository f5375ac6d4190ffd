package kms

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha512"
	"crypto/x509"
	"encoding/asn1"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	k1ecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
)

// TestSignaturesVerifyOutsideKMS signs with KMS and verifies with Go's
// crypto against the DER public key GetPublicKey returns.
func TestSignaturesVerifyOutsideKMS(t *testing.T) {
	h := newHarness(t)
	msg := []byte("sign me, please")
	tests := []struct {
		spec, alg string
		hash      crypto.Hash
	}{
		{"RSA_2048", "RSASSA_PSS_SHA_256", crypto.SHA256},
		{"RSA_2048", "RSASSA_PKCS1_V1_5_SHA_512", crypto.SHA512},
		{"RSA_2048", "RSASSA_PSS_SHA_384", crypto.SHA384},
		{"ECC_NIST_P256", "ECDSA_SHA_256", crypto.SHA256},
		{"ECC_NIST_P384", "ECDSA_SHA_384", crypto.SHA384},
		{"ECC_NIST_P521", "ECDSA_SHA_512", crypto.SHA512},
		{"ECC_SECG_P256K1", "ECDSA_SHA_256", crypto.SHA256},
	}
	keys := map[string]string{}
	for _, tt := range tests {
		t.Run(tt.spec+"/"+tt.alg, func(t *testing.T) {
			id, ok := keys[tt.spec]
			if !ok {
				id, _ = h.createKey(map[string]any{"KeySpec": tt.spec, "KeyUsage": "SIGN_VERIFY"})
				keys[tt.spec] = id
			}
			out := h.must("Sign", map[string]any{"KeyId": id, "Message": msg, "SigningAlgorithm": tt.alg})
			sig := b64(out, "Signature")
			if out["SigningAlgorithm"] != tt.alg {
				t.Errorf("Sign = %v", out)
			}
			der := b64(h.must("GetPublicKey", map[string]any{"KeyId": id}), "PublicKey")
			d := tt.hash.New()
			d.Write(msg)
			digest := d.Sum(nil)
			if !verifyOutside(t, tt.spec, tt.alg, der, tt.hash, digest, sig) {
				t.Fatal("Go's crypto does not verify the KMS signature")
			}
			v := h.must("Verify", map[string]any{"KeyId": id, "Message": msg, "Signature": sig, "SigningAlgorithm": tt.alg})
			if v["SignatureValid"] != true {
				t.Errorf("Verify = %v", v)
			}
			// DIGEST messages sign the same digest.
			ds := b64(h.must("Sign", map[string]any{"KeyId": id, "Message": digest, "MessageType": "DIGEST", "SigningAlgorithm": tt.alg}), "Signature")
			if !verifyOutside(t, tt.spec, tt.alg, der, tt.hash, digest, ds) {
				t.Error("DIGEST signature does not verify")
			}
			bad := append([]byte(nil), msg...)
			bad[0] ^= 1
			h.fails("Verify", map[string]any{"KeyId": id, "Message": bad, "Signature": sig, "SigningAlgorithm": tt.alg},
				"KMSInvalidSignatureException", "")
		})
	}
}

func verifyOutside(t *testing.T, spec, alg string, der []byte, h crypto.Hash, digest, sig []byte) bool {
	t.Helper()
	if spec == "ECC_SECG_P256K1" {
		var spki subjectPublicKeyInfo
		if _, err := asn1.Unmarshal(der, &spki); err != nil || !spki.Algorithm.Parameters.Equal(oidSecp256k1) {
			t.Fatalf("secp256k1 SubjectPublicKeyInfo: %v %v", err, spki.Algorithm)
		}
		pub, err := secp256k1.ParsePubKey(spki.PublicKey.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		s, err := k1ecdsa.ParseDERSignature(sig)
		return err == nil && s.Verify(digest, pub)
	}
	pub, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		t.Fatalf("public key is not DER SubjectPublicKeyInfo: %v", err)
	}
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if alg[:10] == "RSASSA_PSS" {
			return rsa.VerifyPSS(k, h, digest, sig, &rsa.PSSOptions{SaltLength: h.Size()}) == nil
		}
		return rsa.VerifyPKCS1v15(k, h, digest, sig) == nil
	case *ecdsa.PublicKey:
		return ecdsa.VerifyASN1(k, digest, sig)
	}
	t.Fatalf("unexpected public key %T", pub)
	return false
}

func TestSignErrors(t *testing.T) {
	h := newHarness(t)
	id, arn := h.createKey(map[string]any{"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"})
	sym, symARN := h.createKey(nil)
	tests := []struct {
		name string
		in   map[string]any
		code string
		msg  string
	}{
		{"wrong algorithm", map[string]any{"KeyId": id, "Message": []byte("m"), "SigningAlgorithm": "ECDSA_SHA_384"},
			"InvalidKeyUsageException", "Algorithm ECDSA_SHA_384 is incompatible with key spec ECC_NIST_P256."},
		{"no algorithm", map[string]any{"KeyId": id, "Message": []byte("m")}, "ValidationException", "*"},
		{"raw too long", map[string]any{"KeyId": id, "Message": make([]byte, 4097), "SigningAlgorithm": "ECDSA_SHA_256"}, "ValidationException", "*"},
		{"digest length", map[string]any{"KeyId": id, "Message": make([]byte, 31), "MessageType": "DIGEST", "SigningAlgorithm": "ECDSA_SHA_256"},
			"ValidationException", "Digest is invalid length for algorithm ECDSA_SHA_256."},
		{"symmetric key", map[string]any{"KeyId": sym, "Message": []byte("m"), "SigningAlgorithm": "ECDSA_SHA_256"},
			"InvalidKeyUsageException", symARN + " key usage is ENCRYPT_DECRYPT which is not valid for Sign."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { h.fails("Sign", tt.in, tt.code, tt.msg) })
	}
	h.must("DisableKey", map[string]any{"KeyId": id})
	h.fails("Sign", map[string]any{"KeyId": id, "Message": []byte("m"), "SigningAlgorithm": "ECDSA_SHA_256"}, "DisabledException", arn+" is disabled.")
	h.fails("GetPublicKey", map[string]any{"KeyId": sym}, "UnsupportedOperationException", "*")
}

func TestMac(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		spec, alg string
		size      int
	}{{"HMAC_224", "HMAC_SHA_224", 28}, {"HMAC_256", "HMAC_SHA_256", 32}, {"HMAC_384", "HMAC_SHA_384", 48}, {"HMAC_512", "HMAC_SHA_512", 64}}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			id, arn := h.createKey(map[string]any{"KeySpec": tt.spec, "KeyUsage": "GENERATE_VERIFY_MAC"})
			out := h.must("GenerateMac", map[string]any{"KeyId": id, "Message": []byte("hello"), "MacAlgorithm": tt.alg})
			mac := b64(out, "Mac")
			if len(mac) != tt.size || out["KeyId"] != arn || out["MacAlgorithm"] != tt.alg {
				t.Fatalf("GenerateMac = %v", out)
			}
			v := h.must("VerifyMac", map[string]any{"KeyId": id, "Message": []byte("hello"), "MacAlgorithm": tt.alg, "Mac": mac})
			if v["MacValid"] != true {
				t.Errorf("VerifyMac = %v", v)
			}
			mac[0] ^= 1
			h.fails("VerifyMac", map[string]any{"KeyId": id, "Message": []byte("hello"), "MacAlgorithm": tt.alg, "Mac": mac}, "KMSInvalidMacException", "")
		})
	}
	id, _ := h.createKey(map[string]any{"KeySpec": "HMAC_224", "KeyUsage": "GENERATE_VERIFY_MAC"})
	h.fails("GenerateMac", map[string]any{"KeyId": id, "Message": []byte("m"), "MacAlgorithm": "HMAC_SHA_256"},
		"InvalidKeyUsageException", "Algorithm HMAC_SHA_256 is incompatible with key spec HMAC_224.")
}

func TestMacMatchesStandardHMAC(t *testing.T) {
	// The MAC is standard HMAC over the key's material.
	h := newHarness(t)
	id, _ := h.createKey(map[string]any{"KeySpec": "HMAC_512", "KeyUsage": "GENERATE_VERIFY_MAC"})
	mac := b64(h.must("GenerateMac", map[string]any{"KeyId": id, "Message": []byte("m"), "MacAlgorithm": "HMAC_SHA_512"}), "Mac")
	t1, err := h.svc.resolve(h.request("GenerateMac", nil), id)
	if err != nil {
		t.Fatal(err)
	}
	m, err := h.svc.material(t1.rec, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := hmac.New(sha512.New, m.mac)
	want.Write([]byte("m"))
	if !hmac.Equal(mac, want.Sum(nil)) {
		t.Error("MAC differs from HMAC-SHA-512")
	}
}
