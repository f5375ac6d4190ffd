package kms

import (
	"testing"
)

// BenchmarkHandle measures the service alone (fake environment: the
// authorizer allows, the store is in memory): input decoding, key lookup,
// cryptography and the response encoding.
func BenchmarkHandle(b *testing.B) {
	h := newHarness(&testing.T{})
	id, _ := h.createKey(nil)
	signKey, _ := h.createKey(map[string]any{"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"})
	ctx := map[string]string{"app": "kmsbench"}
	blob := b64(h.must("Encrypt", map[string]any{"KeyId": id, "Plaintext": make([]byte, 1024), "EncryptionContext": ctx}), "CiphertextBlob")
	for _, bc := range []struct {
		op string
		in any
	}{
		{"Encrypt", map[string]any{"KeyId": id, "Plaintext": make([]byte, 1024), "EncryptionContext": ctx}},
		{"Decrypt", map[string]any{"CiphertextBlob": blob, "EncryptionContext": ctx}},
		{"Sign", map[string]any{"KeyId": signKey, "Message": []byte("benchmark message"), "SigningAlgorithm": "ECDSA_SHA_256"}},
	} {
		b.Run(bc.op, func(b *testing.B) {
			r := h.request(bc.op, bc.in)
			body := r.Body
			b.ReportAllocs()
			for b.Loop() {
				r.Body = body
				r.Event.Resources = r.Event.Resources[:0]
				out, err := h.svc.Handle(r)
				if err != nil {
					b.Fatal(err)
				}
				if m, ok := out.(interface{ MarshalJSON() ([]byte, error) }); ok {
					if _, err := m.MarshalJSON(); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
