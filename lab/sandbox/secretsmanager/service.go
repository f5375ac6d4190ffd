// Package secretsmanager emulates AWS Secrets Manager inside the sandbox:
// secrets, their versions and staging labels, resource policies, tags,
// deletion with a recovery window, and envelope encryption of every secret
// value through the sandbox's KMS, as the caller.
//
// It decides no access itself: every operation describes what it needs to
// the sandbox's Authorizer (svc.Env.Authz), and KMS decides on the data keys.
// It never imports another service: the KMS it needs is the small KMS
// interface below, which package sandbox wires to *kms.Service. Secret values
// never leave this package except in GetSecretValue/BatchGetSecretValue
// responses: not in errors, logs, the trail or the store (which holds only
// the encrypted data key and the AES-256-GCM ciphertext).
package secretsmanager

import (
	"fmt"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// ServiceName is the SigV4 signing name and IAM action prefix.
const ServiceName = "secretsmanager"

// defaultKeyAlias is the AWS managed key used when a secret names no key.
const defaultKeyAlias = "alias/aws/secretsmanager"

// KMS is what Secrets Manager needs from the sandbox's KMS. Each method runs
// as the caller of parent, with via becoming kms:ViaService, is authorized by
// KMS and records its own trail event. Errors are *svc.Error values with KMS
// codes (AccessDeniedException, DisabledException, NotFoundException, …).
type KMS interface {
	// GenerateDataKeyFor returns a fresh AES-256 data key under keyID (key
	// ID, key ARN, alias name or alias ARN), its encrypted blob and the ARN
	// of the key that encrypted it. Named by its alias, aws/secretsmanager
	// is created on first use.
	GenerateDataKeyFor(parent *svc.Request, via, keyID string, encCtx map[string]string) (plaintext, blob []byte, keyARN string, err error)
	// DecryptFor decrypts a blob GenerateDataKeyFor returned.
	DecryptFor(parent *svc.Request, via string, blob []byte, encCtx map[string]string) ([]byte, string, error)
	// ResolveKeyFor returns the ARN of keyID; it creates the AWS managed key
	// aws/secretsmanager on first use.
	ResolveKeyFor(parent *svc.Request, via, keyID string) (keyARN string, err error)
}

// Service is the Secrets Manager emulator. It is safe for concurrent use:
// all state lives in the sandbox store.
type Service struct {
	env  svc.Env
	keys KMS
	ops  map[string]func(*svc.Request) (any, error)
}

// New builds the service on env, encrypting through keys.
func New(env svc.Env, keys KMS) *Service {
	s := &Service{env: env, keys: keys}
	s.ops = map[string]func(*svc.Request) (any, error){
		"CreateSecret":             s.createSecret,
		"GetSecretValue":           s.getSecretValue,
		"BatchGetSecretValue":      s.batchGetSecretValue,
		"PutSecretValue":           s.putSecretValue,
		"UpdateSecret":             s.updateSecret,
		"UpdateSecretVersionStage": s.updateSecretVersionStage,
		"DescribeSecret":           s.describeSecret,
		"ListSecrets":              s.listSecrets,
		"ListSecretVersionIds":     s.listSecretVersionIDs,
		"DeleteSecret":             s.deleteSecret,
		"RestoreSecret":            s.restoreSecret,
		"PutResourcePolicy":        s.putResourcePolicy,
		"GetResourcePolicy":        s.getResourcePolicy,
		"DeleteResourcePolicy":     s.deleteResourcePolicy,
		"ValidateResourcePolicy":   s.validateResourcePolicy,
		"TagResource":              s.tagResource,
		"UntagResource":            s.untagResource,
		"GetRandomPassword":        s.getRandomPassword,
		"RotateSecret":             s.rotateSecret,
		"CancelRotateSecret":       s.cancelRotateSecret,
	}
	return s
}

// Name is the service's signing name, "secretsmanager".
func (s *Service) Name() string { return ServiceName }

// Protocol is awsJson1.1.
func (s *Service) Protocol() svc.Protocol { return svc.JSON }

// Handle runs one Secrets Manager operation.
func (s *Service) Handle(r *svc.Request) (any, error) {
	op, ok := s.ops[r.Operation]
	if !ok {
		return nil, svc.ErrUnknownOperation
	}
	return op(r)
}

// Operations lists the operations the service implements, in alphabetical
// order (for help and completion).
func (s *Service) Operations() []string {
	out := make([]string, 0, len(s.ops))
	for name := range s.ops {
		out = append(out, name)
	}
	sortStrings(out)
	return out
}

// via is the kms:ViaService value for calls made on the caller's behalf.
func (s *Service) via(r *svc.Request) string {
	region := r.Region
	if region == "" {
		region = s.env.Region
	}
	return "secretsmanager." + region + ".amazonaws.com"
}

func (s *Service) region(r *svc.Request) string {
	if r.Region != "" {
		return r.Region
	}
	return s.env.Region
}

// Errors with AWS's codes and messages (aws-semantics.md §6.1).

func errNotFound() error {
	return &svc.Error{Status: 400, Code: "ResourceNotFoundException", Message: "Secrets Manager can't find the specified secret."}
}

func errMarkedForDeletion() error {
	return &svc.Error{Status: 400, Code: "InvalidRequestException", Message: "You can't perform this operation on the secret because it was marked for deletion."}
}

func errInvalidParameter(format string, args ...any) error {
	return &svc.Error{Status: 400, Code: "InvalidParameterException", Message: fmt.Sprintf(format, args...)}
}

func errInvalidRequest(format string, args ...any) error {
	return &svc.Error{Status: 400, Code: "InvalidRequestException", Message: fmt.Sprintf(format, args...)}
}

// errValidation is the generic constraint error AWS's front door sends for
// modeled constraints ("1 validation error detected: …").
func errValidation(format string, args ...any) error {
	return &svc.Error{Status: 400, Code: "ValidationException", Message: fmt.Sprintf(format, args...)}
}

func errRequired(member string) error {
	return errValidation("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member)
}

func errMaxLength(member string, max int) error {
	return errValidation("1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", member, max)
}

func errLength(member string, min, max int) error {
	return errValidation("1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have length between %d and %d", member, min, max)
}
