package kms

import (
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// The methods in this file are KMS as other sandbox services see it: a
// service that encrypts on the caller's behalf (Secrets Manager) declares a
// small interface with these methods on its own side, and package sandbox
// wires *Service into it.
//
// Each call runs as the caller of parent, with Via (for example
// "secretsmanager.us-east-1.amazonaws.com") becoming kms:ViaService. Each is
// authorized like the public operation it stands for and records its own
// trail event, derived with parent.Sub. Errors are *svc.Error values with
// KMS's codes and messages (AccessDeniedException, DisabledException,
// KMSInvalidStateException, NotFoundException, InvalidCiphertextException,
// …); the calling service decides how to surface them.

// GenerateDataKeyFor runs kms:GenerateDataKey with KeySpec AES_256 for the
// caller of parent, on keyID (key ID, key ARN, alias name or alias ARN) and
// encryption context encCtx. It returns the plaintext data key, its
// ciphertext blob and the ARN of the key that encrypted it.
func (s *Service) GenerateDataKeyFor(parent *svc.Request, via, keyID string, encCtx map[string]string) (plaintext, blob []byte, keyARN string, err error) {
	sub := parent.Sub(ServiceName, "GenerateDataKey", via)
	defer s.record(sub, &err)
	if err = s.ensureManagedFor(sub, keyID); err != nil {
		return nil, nil, "", err
	}
	out, err := s.generateDataKey(sub, &dataKeyInput{KeyID: keyID, KeySpec: "AES_256", EncryptionContext: encCtx}, true)
	if err != nil {
		return nil, nil, "", err
	}
	return out.Plaintext, out.CiphertextBlob, out.KeyID, nil
}

// DecryptFor runs kms:Decrypt for the caller of parent on a symmetric
// ciphertext blob (one GenerateDataKeyFor returned) with encryption context
// encCtx. The key is the one the blob names; it returns the plaintext and
// that key's ARN.
func (s *Service) DecryptFor(parent *svc.Request, via string, blob []byte, encCtx map[string]string) (plaintext []byte, keyARN string, err error) {
	sub := parent.Sub(ServiceName, "Decrypt", via)
	defer s.record(sub, &err)
	out, err := s.decrypt(sub, &decryptInput{CiphertextBlob: blob, EncryptionContext: encCtx})
	if err != nil {
		return nil, "", err
	}
	return out.Plaintext, out.KeyID, nil
}

// ResolveKeyFor runs kms:DescribeKey for the caller of parent and returns
// the key's ARN. When keyID is "alias/aws/secretsmanager" (or its alias ARN)
// and that AWS managed key does not exist yet, it is created first, with
// AWS's fixed key policy for it, as AWS does on first use.
func (s *Service) ResolveKeyFor(parent *svc.Request, via, keyID string) (keyARN string, err error) {
	sub := parent.Sub(ServiceName, "DescribeKey", via)
	defer s.record(sub, &err)
	k, err := s.describe(sub, keyID)
	if err != nil {
		return "", err
	}
	return k.arn, nil
}

// record writes the trail event of a call made on another service's behalf.
func (s *Service) record(sub *svc.Request, errp *error) {
	sub.Event.ReadOnly = isReadOnly(sub.Operation)
	if s.env.Trail != nil {
		s.env.Trail.Record(sub.Event.Finish(*errp))
	}
}
