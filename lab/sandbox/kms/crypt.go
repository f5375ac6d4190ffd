package kms

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"hash"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// This file holds the cryptography shared by Encrypt, Decrypt, ReEncrypt
// and the data-key operations; the handlers are in encrypt.go.

// sealSymmetric encrypts plaintext under the current version of symmetric
// key k, binding encCtx.
func (s *Service) sealSymmetric(k *keyRecord, plaintext []byte, encCtx map[string]string) ([]byte, error) {
	v := len(k.Versions) - 1
	m, err := s.material(k, v)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, blobHeaderLen+blobNonceLen+len(plaintext)+blobTagLen)
	if out, err = appendBlobHeader(out, k.ID, uint32(v)); err != nil {
		return nil, errInternal("blob header", err)
	}
	var buf [256]byte
	aad := appendContext(append(buf[:0], out...), encCtx)
	nonce, err := s.nonce(m, aad, plaintext)
	if err != nil {
		return nil, err
	}
	out = append(out, nonce[:]...)
	return m.aead.Seal(out, nonce[:], plaintext, aad), nil
}

// nonce derives a GCM nonce from fresh randomness, the additional data and
// the plaintext (a synthetic IV). Randomness from a seeded sandbox replays
// after a restart; mixing in the message keeps two different messages from
// ever sharing a nonce under one key.
func (s *Service) nonce(m *material, aad, plaintext []byte) ([blobNonceLen]byte, error) {
	var n [blobNonceLen]byte
	var seed [16]byte
	if err := s.random(seed[:]); err != nil {
		return n, errInternal("nonce", err)
	}
	mac := hmac.New(sha256.New, m.nonceKey)
	mac.Write(seed[:])
	mac.Write(aad)
	mac.Write(plaintext)
	var sum [sha256.Size]byte
	copy(n[:], mac.Sum(sum[:0]))
	return n, nil
}

// openSymmetric decrypts a parsed blob with key k. Any failure, a wrong
// encryption context included, is InvalidCiphertextException.
func (s *Service) openSymmetric(k *keyRecord, b blob, encCtx map[string]string) ([]byte, error) {
	if int(b.Version) >= len(k.Versions) {
		return nil, errInvalidCiphertext()
	}
	m, err := s.material(k, int(b.Version))
	if err != nil {
		return nil, err
	}
	var buf [256]byte
	aad := appendContext(append(buf[:0], b.Header...), encCtx)
	pt, err := m.aead.Open(nil, b.Nonce, b.Ciphertext, aad)
	if err != nil {
		return nil, errInvalidCiphertext()
	}
	return pt, nil
}

func oaepHash(alg string) hash.Hash {
	if alg == algOAEPSHA1 {
		return sha1.New()
	}
	return sha256.New()
}

// encryptRSA encrypts with RSA-OAEP under AWS's per-spec plaintext limits.
func (s *Service) encryptRSA(k *keyRecord, plaintext []byte, alg string) ([]byte, error) {
	m, err := s.material(k, len(k.Versions)-1)
	if err != nil {
		return nil, err
	}
	bits := specs[k.Spec].rsaBits
	if max := rsaMaxPlaintext(bits, alg); len(plaintext) > max {
		return nil, errValidation("Algorithm %s and key spec %s cannot encrypt data larger than %d bytes.", alg, k.Spec, max)
	}
	ct, err := rsa.EncryptOAEP(oaepHash(alg), rand.Reader, &m.rsa.PublicKey, plaintext, nil)
	if err != nil {
		return nil, errInternal("rsa encrypt", err)
	}
	return ct, nil
}

func (s *Service) decryptRSA(k *keyRecord, ct []byte, alg string) ([]byte, error) {
	m, err := s.material(k, len(k.Versions)-1)
	if err != nil {
		return nil, err
	}
	pt, err := rsa.DecryptOAEP(oaepHash(alg), rand.Reader, m.rsa, ct, nil)
	if err != nil {
		return nil, errInvalidCiphertext()
	}
	return pt, nil
}

// encryptionAlgorithm checks that key t can serve encryption operation op
// now and validates alg (default SYMMETRIC_DEFAULT) for it.
func encryptionAlgorithm(t target, alg, op string) (string, error) {
	if err := checkUsable(t.rec, t.arn); err != nil {
		return "", err
	}
	if err := checkUsage(t, usageEncrypt, op); err != nil {
		return "", err
	}
	if alg == "" {
		alg = algSymmetric
	}
	if !contains(allEncryptionAlgorithms, alg) {
		return "", errEnum("encryptionAlgorithm", alg, allEncryptionAlgorithms)
	}
	if !contains(specs[t.rec.Spec].encryption, alg) {
		return "", errAlgorithm(alg, t.rec.Spec)
	}
	return alg, nil
}

// checkEncryptionContext rejects an encryption context with an asymmetric
// key: AWS supports encryption context only with symmetric encryption keys
// (the exact error text is UNCONFIRMED).
func checkEncryptionContext(t target, encCtx map[string]string) error {
	if len(encCtx) > 0 && t.rec.Spec != specSymmetric {
		return errValidation("EncryptionContext is not supported with asymmetric KMS keys.")
	}
	return nil
}

// encryptUnder encrypts plaintext with key t for operation op, after the
// caller was authorized.
func (s *Service) encryptUnder(r *svc.Request, t target, op string, plaintext []byte, encCtx map[string]string, alg string) ([]byte, error) {
	if err := checkUsable(t.rec, t.arn); err != nil {
		return nil, err
	}
	t, err := s.rotateIfDue(r, t)
	if err != nil {
		return nil, err
	}
	if err := checkUsage(t, usageEncrypt, op); err != nil {
		return nil, err
	}
	if err := checkEncryptionContext(t, encCtx); err != nil {
		return nil, err
	}
	if alg == algSymmetric {
		return s.sealSymmetric(t.rec, plaintext, encCtx)
	}
	return s.encryptRSA(t.rec, plaintext, alg)
}
