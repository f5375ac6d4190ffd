// Package kms emulates AWS Key Management Service inside the sandbox: keys
// and their material, aliases, key policies, grants, tags, rotation and real
// cryptography (AES-256-GCM, RSA-OAEP, RSA and ECDSA signatures, HMAC).
//
// It decodes its own awsJson1.1 inputs, describes each call to the sandbox's
// Authorizer (it never decides access itself) and keeps its state in the
// sandbox Store, with key material sealed at rest by the sandbox's Sealer.
// It must not import other sandbox services; services that need KMS call the
// exported *For methods through an interface of their own.
package kms

import (
	"io"
	"sync"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// ServiceName is the SigV4 signing name and IAM action prefix of KMS.
const ServiceName = "kms"

// Store buckets. Keys are by key ID, aliases by "ACCOUNT/REGION/alias/name",
// grants by "KEYID/GRANTID".
const (
	bucketKeys    = "kms/keys"
	bucketAliases = "kms/aliases"
	bucketGrants  = "kms/grants"
)

// Service is the KMS emulator. It is safe for concurrent use.
type Service struct {
	env      svc.Env
	handlers map[string]handler

	randMu sync.Mutex

	// principals, when set, vets the principals key policies name.
	principals Principals

	// cache holds parsed key records and decrypted key material so that
	// cryptographic calls neither re-parse records nor unseal material.
	cache keyCache
	// resolved remembers KeyId lookups while the store is unchanged.
	resolved resolveCache
}

type handler func(s *Service, r *svc.Request) (any, error)

// New builds the KMS service on env.
func New(env svc.Env) *Service {
	s := &Service{env: env}
	s.cache.init()
	s.handlers = map[string]handler{
		"CreateKey":                           (*Service).createKey,
		"DescribeKey":                         (*Service).describeKey,
		"ListKeys":                            (*Service).listKeys,
		"EnableKey":                           (*Service).enableKey,
		"DisableKey":                          (*Service).disableKey,
		"ScheduleKeyDeletion":                 (*Service).scheduleKeyDeletion,
		"CancelKeyDeletion":                   (*Service).cancelKeyDeletion,
		"UpdateKeyDescription":                (*Service).updateKeyDescription,
		"Encrypt":                             (*Service).encryptOp,
		"Decrypt":                             (*Service).decryptOp,
		"ReEncrypt":                           (*Service).reEncryptOp,
		"GenerateDataKey":                     (*Service).generateDataKeyOp,
		"GenerateDataKeyWithoutPlaintext":     (*Service).generateDataKeyWithoutPlaintextOp,
		"GenerateDataKeyPair":                 (*Service).generateDataKeyPairOp,
		"GenerateDataKeyPairWithoutPlaintext": (*Service).generateDataKeyPairWithoutPlaintextOp,
		"GenerateRandom":                      (*Service).generateRandomOp,
		"Sign":                                (*Service).signOp,
		"Verify":                              (*Service).verifyOp,
		"GetPublicKey":                        (*Service).getPublicKeyOp,
		"GenerateMac":                         (*Service).generateMacOp,
		"VerifyMac":                           (*Service).verifyMacOp,
		"GetKeyPolicy":                        (*Service).getKeyPolicy,
		"PutKeyPolicy":                        (*Service).putKeyPolicy,
		"ListKeyPolicies":                     (*Service).listKeyPolicies,
		"CreateAlias":                         (*Service).createAlias,
		"UpdateAlias":                         (*Service).updateAlias,
		"DeleteAlias":                         (*Service).deleteAlias,
		"ListAliases":                         (*Service).listAliases,
		"TagResource":                         (*Service).tagResource,
		"UntagResource":                       (*Service).untagResource,
		"ListResourceTags":                    (*Service).listResourceTags,
		"CreateGrant":                         (*Service).createGrant,
		"ListGrants":                          (*Service).listGrants,
		"ListRetirableGrants":                 (*Service).listRetirableGrants,
		"RetireGrant":                         (*Service).retireGrant,
		"RevokeGrant":                         (*Service).revokeGrant,
		"EnableKeyRotation":                   (*Service).enableKeyRotation,
		"DisableKeyRotation":                  (*Service).disableKeyRotation,
		"GetKeyRotationStatus":                (*Service).getKeyRotationStatus,
		"RotateKeyOnDemand":                   (*Service).rotateKeyOnDemand,
		"ListKeyRotations":                    (*Service).listKeyRotations,
	}
	return s
}

// Name is "kms".
func (s *Service) Name() string { return ServiceName }

// Protocol is awsJson1.1.
func (s *Service) Protocol() svc.Protocol { return svc.JSON }

// Handle runs one KMS operation.
func (s *Service) Handle(r *svc.Request) (any, error) {
	h, ok := s.handlers[r.Operation]
	if !ok {
		return nil, svc.ErrUnknownOperation
	}
	if r.Event != nil {
		r.Event.ReadOnly = isReadOnly(r.Operation)
	}
	return h(s, r)
}

// isReadOnly reports whether op changes no state (the trail's watch mode
// re-checks lessons only after writes).
func isReadOnly(op string) bool {
	switch op {
	case "DescribeKey", "ListKeys", "Encrypt", "Decrypt", "ReEncrypt", "GenerateDataKey",
		"GenerateDataKeyWithoutPlaintext", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
		"GenerateRandom", "Sign", "Verify", "GetPublicKey", "GenerateMac", "VerifyMac",
		"GetKeyPolicy", "ListKeyPolicies", "ListAliases", "ListResourceTags", "ListGrants",
		"ListRetirableGrants", "GetKeyRotationStatus", "ListKeyRotations":
		return true
	}
	return false
}

// random fills b from env.Rand, which may be a seeded stream that is not
// safe for concurrent use.
func (s *Service) random(b []byte) error {
	s.randMu.Lock()
	defer s.randMu.Unlock()
	_, err := io.ReadFull(s.env.Rand, b)
	return err
}
