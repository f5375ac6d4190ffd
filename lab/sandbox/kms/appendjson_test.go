package kms

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// TestAppendJSON checks that the hand-written response encoders produce
// what encoding/json produces for the same fields, and append to what the
// buffer already holds.
func TestAppendJSON(t *testing.T) {
	arn := "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	blob := []byte{0, 1, 2, 0xfe, 0xff, 'x'}
	type plainEncrypt struct {
		CiphertextBlob      []byte
		KeyId               string
		EncryptionAlgorithm string
	}
	type plainDecrypt struct {
		KeyId               string
		Plaintext           []byte
		EncryptionAlgorithm string
	}
	cases := []struct {
		name  string
		value svc.JSONAppender
		plain any
	}{
		{"encrypt", &encryptOutput{CiphertextBlob: blob, KeyID: arn, EncryptionAlgorithm: "SYMMETRIC_DEFAULT"},
			plainEncrypt{blob, arn, "SYMMETRIC_DEFAULT"}},
		{"encrypt, empty blob", &encryptOutput{CiphertextBlob: []byte{}, KeyID: arn, EncryptionAlgorithm: "RSAES_OAEP_SHA_256"},
			plainEncrypt{[]byte{}, arn, "RSAES_OAEP_SHA_256"}},
		{"decrypt", &decryptOutput{KeyID: arn, Plaintext: blob, EncryptionAlgorithm: "SYMMETRIC_DEFAULT"},
			plainDecrypt{arn, blob, "SYMMETRIC_DEFAULT"}},
		{"sign", signOutput{KeyID: arn, Signature: blob, SigningAlgorithm: "ECDSA_SHA_256"},
			signOutput{KeyID: arn, Signature: blob, SigningAlgorithm: "ECDSA_SHA_256"}},
		{"strings that need escaping", signOutput{KeyID: "a\"b\\c<d>&é\u2028\x01\xff", Signature: blob, SigningAlgorithm: "x\ny"},
			signOutput{KeyID: "a\"b\\c<d>&é\u2028\x01\xff", Signature: blob, SigningAlgorithm: "x\ny"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want, err := json.Marshal(tc.plain)
			if err != nil {
				t.Fatal(err)
			}
			got := tc.value.AppendJSON([]byte("prefix"))
			if diff := cmp.Diff("prefix"+string(want), string(got)); diff != "" {
				t.Errorf("AppendJSON (-encoding/json +got):\n%s", diff)
			}
			if m, ok := tc.value.(json.Marshaler); ok {
				b, err := m.MarshalJSON()
				if err != nil || string(b) != string(want) {
					t.Errorf("MarshalJSON = %s, %v; want %s", b, err, want)
				}
			}
		})
	}
}
