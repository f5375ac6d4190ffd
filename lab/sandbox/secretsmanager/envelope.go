package secretsmanager

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// validateVersionID is the SecretVersionId Secrets Manager puts in the
// encryption context when it only checks that the caller can use a key.
const validateVersionID = "RequestToValidateKeyAccess"

// encryptionContext is the context every data key of a version is bound to.
func encryptionContext(arn, versionID string) map[string]string {
	return map[string]string{"SecretARN": arn, "SecretVersionId": versionID}
}

// keyFor is the key id new versions of sec use.
func keyFor(sec *secret) string {
	if sec.KmsKeyID != "" {
		return sec.KmsKeyID
	}
	if sec.KeyARN != "" {
		return sec.KeyARN
	}
	return defaultKeyAlias
}

// seal encrypts value for version v of the secret with arn under keyID: a
// data key from KMS as the caller, AES-256-GCM locally, the plaintext data
// key dropped.
func (s *Service) seal(r *svc.Request, arn, keyID string, v *version, value []byte) error {
	// For alias/aws/secretsmanager, KMS creates the key on first use.
	dk, blob, keyARN, err := s.keys.GenerateDataKeyFor(r, s.via(r), keyID, encryptionContext(arn, v.ID))
	if err != nil {
		return kmsError(err, true)
	}
	defer clear(dk)
	// Nonces come from crypto/rand even in a seeded sandbox: a seeded
	// stream restarts with the process, and a repeated (key, nonce) pair
	// would break GCM. Ciphertexts are never shown, so nothing is lost.
	sealed, err := sealValue(nil, dk, value, aad(arn, v.ID))
	if err != nil {
		return fmt.Errorf("encrypt version %s: %w", v.ID, err)
	}
	v.KeyARN, v.DataKey, v.Sealed = keyARN, blob, sealed
	return nil
}

// open decrypts version v of the secret with arn: the data key through KMS
// as the caller, then the value locally.
func (s *Service) open(r *svc.Request, arn string, v *version) ([]byte, error) {
	dk, _, err := s.keys.DecryptFor(r, s.via(r), v.DataKey, encryptionContext(arn, v.ID))
	if err != nil {
		return nil, kmsError(err, false)
	}
	defer clear(dk)
	value, err := openValue(dk, v.Sealed, aad(arn, v.ID))
	if err != nil {
		return nil, decryptionFailure()
	}
	return value, nil
}

// checkKey makes the calls Secrets Manager makes when a secret's key is set
// without a value: GenerateDataKey and Decrypt with SecretVersionId
// RequestToValidateKeyAccess, results thrown away. It returns the key ARN.
func (s *Service) checkKey(r *svc.Request, arn, keyID string) (string, error) {
	if keyID == defaultKeyAlias {
		return s.resolveDefault(r)
	}
	ctx := encryptionContext(arn, validateVersionID)
	dk, blob, keyARN, err := s.keys.GenerateDataKeyFor(r, s.via(r), keyID, ctx)
	if err != nil {
		return "", kmsError(err, true)
	}
	clear(dk)
	dk, _, err = s.keys.DecryptFor(r, s.via(r), blob, ctx)
	if err != nil {
		return "", kmsError(err, false)
	}
	clear(dk)
	return keyARN, nil
}

func (s *Service) resolveDefault(r *svc.Request) (string, error) {
	arn, err := s.keys.ResolveKeyFor(r, s.via(r), defaultKeyAlias)
	if err != nil {
		return "", kmsError(err, true)
	}
	return arn, nil
}

// kmsError turns a KMS failure into what Secrets Manager answers.
//   - A KMS denial is AccessDeniedException "Access to KMS is not allowed"
//     (aws-semantics.md §6.1; raised on reads and on CreateSecret).
//   - A disabled key, a key pending deletion or an unusable key (asymmetric)
//     is EncryptionFailure on writes and DecryptionFailure on reads. The
//     codes are Secrets Manager's modeled ones for these cases (the model
//     documents EncryptionFailure as "Check that the KMS key is available,
//     enabled, and not in an invalid state"); their messages are the
//     model's descriptions. That AWS uses exactly these texts for a
//     disabled key is UNCONFIRMED.
//   - A key that does not exist is InvalidParameterException on writes
//     (reported against real AWS in boto/boto3#1533; the message text is
//     UNCONFIRMED) and DecryptionFailure on reads.
func kmsError(err error, encrypting bool) error {
	var ae *svc.Error
	if !errors.As(err, &ae) {
		return fmt.Errorf("kms: %w", err)
	}
	switch ae.Code {
	case "AccessDeniedException":
		return &svc.Error{Status: 400, Code: "AccessDeniedException", Message: "Access to KMS is not allowed"}
	case "NotFoundException":
		if encrypting {
			return errInvalidParameter("The KMS key you specified doesn't exist or isn't available: %s", ae.Message)
		}
		return decryptionFailure()
	}
	if encrypting {
		return &svc.Error{Status: 400, Code: "EncryptionFailure", Message: "Secrets Manager can't encrypt the protected secret text using the provided KMS key. Check that the KMS key is available, enabled, and not in an invalid state."}
	}
	return decryptionFailure()
}

func decryptionFailure() error {
	return &svc.Error{Status: 400, Code: "DecryptionFailure", Message: "Secrets Manager can't decrypt the protected secret text using the provided KMS key."}
}

// aad binds a ciphertext to its secret and version, length-prefixed so no
// two (arn, version) pairs encode alike.
func aad(arn, versionID string) []byte {
	var b bytes.Buffer
	for _, s := range []string{arn, versionID} {
		n := len(s)
		b.Write([]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
		b.WriteString(s)
	}
	return b.Bytes()
}

func sealValue(rand io.Reader, key, plaintext, ad []byte) ([]byte, error) {
	gcm, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, gcm.NonceSize(), gcm.NonceSize()+len(plaintext)+gcm.Overhead())
	if _, err := readFull(rand, nonce); err != nil {
		return nil, fmt.Errorf("nonce: %w", err)
	}
	return gcm.Seal(nonce, nonce, plaintext, ad), nil
}

func openValue(key, sealed, ad []byte) ([]byte, error) {
	gcm, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	if len(sealed) < gcm.NonceSize()+gcm.Overhead() {
		return nil, errors.New("sealed value too short")
	}
	n := gcm.NonceSize()
	return gcm.Open(nil, sealed[:n], sealed[n:], ad)
}

func newGCM(key []byte) (cipher.AEAD, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("data key is %d bytes, want 32", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// sameValue compares two secret values in constant time.
func sameValue(a, b []byte) bool { return subtle.ConstantTimeCompare(a, b) == 1 }
