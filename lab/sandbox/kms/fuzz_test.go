package kms

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// FuzzParseBlob feeds arbitrary bytes to the ciphertext parser: it must
// never panic, and a blob it accepts must round-trip its header.
func FuzzParseBlob(f *testing.F) {
	hdr, _ := appendBlobHeader(nil, "1234abcd-12ab-34cd-56ef-1234567890ab", 3)
	f.Add(append(hdr, make([]byte, blobNonceLen+blobTagLen+5)...))
	f.Add([]byte{})
	f.Add([]byte{blobVersion})
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := parseBlob(b)
		if err != nil {
			return
		}
		again, err := appendBlobHeader(nil, p.KeyID, p.Version)
		if err != nil {
			t.Fatalf("parsed key id %q does not re-encode: %v", p.KeyID, err)
		}
		if !bytes.Equal(again, b[:blobHeaderLen]) || len(p.Nonce) != blobNonceLen || len(p.Ciphertext) < blobTagLen {
			t.Fatalf("blob %x parsed inconsistently: %+v", b, p)
		}
	})
}

// FuzzContextEncoding checks that the encryption context encoding is
// injective: it decodes back to the same context, and two contexts built
// from the same strings split differently never share an encoding.
func FuzzContextEncoding(f *testing.F) {
	f.Add("ab", "c", "a", "bc")
	f.Add("", "", "k", "")
	f.Add("x\x00\x00\x00\x01", "y", "x", "\x00\x00\x00\x01y")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		m1 := map[string]string{k1: v1}
		m2 := map[string]string{k2: v2, k1 + "!": v1}
		for _, m := range []map[string]string{m1, m2} {
			got, err := parseContext(appendContext(nil, m))
			if err != nil || !maps.Equal(got, m) {
				t.Fatalf("context %q round-trips to %q, %v", m, got, err)
			}
		}
		e1, e2 := appendContext(nil, m1), appendContext(nil, m2)
		if bytes.Equal(e1, e2) != maps.Equal(m1, m2) {
			t.Fatalf("contexts %q and %q: encodings equal=%v", m1, m2, bytes.Equal(e1, e2))
		}
		other := map[string]string{k1 + v1[:len(v1)/2]: v1[len(v1)/2:]}
		if !maps.Equal(other, m1) && bytes.Equal(appendContext(nil, other), e1) {
			t.Fatalf("contexts %q and %q share an encoding", other, m1)
		}
	})
}

// FuzzParseContext feeds arbitrary bytes to the context decoder: no panic,
// and whatever it accepts re-encodes to the same bytes.
func FuzzParseContext(f *testing.F) {
	f.Add(appendContext(nil, map[string]string{"a": "b", "c": "d"}))
	f.Add([]byte{0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := parseContext(b)
		if err != nil {
			return
		}
		if again := appendContext(nil, m); !bytes.Equal(again, b) {
			t.Fatalf("%x decodes to %q, which encodes to %x", b, m, again)
		}
	})
}

// FuzzFastDecode checks the hot operations' fast input reader against
// encoding/json: whenever the fast reader accepts a body, encoding/json
// must decode it to exactly the same value.
func FuzzFastDecode(f *testing.F) {
	f.Add([]byte(`{"KeyId":"alias/x","Plaintext":"aGk=","EncryptionContext":{"a":"b"},"GrantTokens":["t"],"DryRun":false}`))
	f.Add([]byte(`{"CiphertextBlob":"AAEC","EncryptionContext":null,"KeyId":"k","EncryptionAlgorithm":"SYMMETRIC_DEFAULT"}`))
	f.Add([]byte(`{"KeyId":"k","Message":"","MessageType":"RAW","SigningAlgorithm":"ECDSA_SHA_256","Signature":null}`))
	f.Add([]byte(` { } `))
	// Blobs whose bytes only the base64 decoder checks.
	f.Add([]byte("{\"Plaintext\":\"aG\nk=\"}"))
	f.Add([]byte("{\"Plaintext\":\"aG\rk=\"}"))
	f.Add([]byte(`{"Plaintext":"a\/k="}`))
	f.Add([]byte(`{"Plaintext":"aGk\u003d"}`))
	f.Add([]byte("{\"CiphertextBlob\":\"aGk\xc3\xa9\"}"))
	f.Fuzz(func(t *testing.T, body []byte) {
		checkFast(t, body, &encryptInput{}, &encryptInput{})
		checkFast(t, body, &decryptInput{}, &decryptInput{})
		checkFast(t, body, &signInput{}, &signInput{})
	})
}

func checkFast[T any, P interface {
	*T
	fieldReader
}](t *testing.T, body []byte, fast, slow P) {
	t.Helper()
	if !decodeFast(body, fast.field) {
		return
	}
	if err := json.Unmarshal(body, slow); err != nil {
		t.Fatalf("fast reader accepted %q, encoding/json did not: %v", body, err)
	}
	if diff := cmp.Diff(slow, fast, cmp.AllowUnexported()); diff != "" {
		t.Fatalf("fast reader disagrees with encoding/json on %q (-json +fast):\n%s", body, diff)
	}
}

// FuzzHandle sends arbitrary bodies to every operation of a service with
// a few keys: no input may panic or produce anything but an AWS error.
func FuzzHandle(f *testing.F) {
	h := newHarness(&testing.T{})
	id, _ := h.createKey(map[string]any{})
	h.must("CreateAlias", map[string]any{"AliasName": "alias/f", "TargetKeyId": id})
	h.createKey(map[string]any{"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"})
	h.createKey(map[string]any{"KeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC"})
	ops := slices.Sorted(maps.Keys(h.svc.handlers))
	f.Add(uint8(0), []byte(`{"KeyId":"alias/f","Plaintext":"aGk="}`))
	f.Add(uint8(3), []byte(`{"KeyId":"`+id+`","GranteePrincipal":"x","Operations":["Decrypt"],"Constraints":{}}`))
	f.Add(uint8(9), []byte(`{"CiphertextBlob":"AQ==","KeyId":"alias/f"}`))
	f.Add(uint8(20), []byte(`{"KeyId":"alias/f","Policy":"{\"Statement\":[]}"}`))
	f.Fuzz(func(t *testing.T, op uint8, body []byte) {
		name := ops[int(op)%len(ops)]
		r := h.request(name, nil)
		r.Body = body
		_, err := h.svc.Handle(r)
		if err != nil {
			var ae *svc.Error
			if !errors.As(err, &ae) {
				t.Fatalf("%s(%q): non-AWS error %v", name, body, err)
			}
		}
	})
}
