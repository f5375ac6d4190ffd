package kms

import (
	"fmt"
	"strings"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// Every KMS client error is HTTP 400 (aws-semantics §6.1). Messages follow
// the recorded AWS responses cited in aws-semantics §3.3, §3.6 and §6.1.

func kmsErr(code, format string, args ...any) *svc.Error {
	return svc.Errorf(400, code, format, args...)
}

func errValidation(format string, args ...any) *svc.Error {
	return kmsErr("ValidationException", format, args...)
}

// errConstraint is the model-validation message AWS's front end produces,
// e.g. "1 validation error detected: Value at 'plaintext' failed to satisfy
// constraint: Member must have length less than or equal to 4096".
func errConstraint(field, constraint string) *svc.Error {
	return errValidation("1 validation error detected: Value at '%s' failed to satisfy constraint: %s", field, constraint)
}

func errNull(field string) *svc.Error {
	return errValidation("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", field)
}

func errEnum(field, value string, allowed []string) *svc.Error {
	return errValidation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]",
		value, field, strings.Join(allowed, ", "))
}

func errKeyNotFound(arn string) *svc.Error {
	return kmsErr("NotFoundException", "Key '%s' does not exist", arn)
}

func errInvalidKeyID(id string) *svc.Error {
	return kmsErr("NotFoundException", "Invalid keyId '%s'", id)
}

func errAliasNotFound(aliasARN string) *svc.Error {
	return kmsErr("NotFoundException", "Alias %s is not found.", aliasARN)
}

func errDisabled(arn string) *svc.Error { return kmsErr("DisabledException", "%s is disabled.", arn) }

func errPendingDeletion(arn string) *svc.Error {
	return kmsErr("KMSInvalidStateException", "%s is pending deletion.", arn)
}

func errNotPendingDeletion(arn string) *svc.Error {
	return kmsErr("KMSInvalidStateException", "%s is not pending deletion.", arn)
}

// errInvalidCiphertext carries an empty message, as real KMS sends it for
// corrupted blobs and for a wrong or missing encryption context.
func errInvalidCiphertext() *svc.Error {
	return &svc.Error{Status: 400, Code: "InvalidCiphertextException", Message: ""}
}

func errIncorrectKey() *svc.Error {
	return kmsErr("IncorrectKeyException", "The key ID in the request does not identify a CMK that can perform this operation.")
}

func errKeyUsage(arn, usage, op string) *svc.Error {
	return kmsErr("InvalidKeyUsageException", "%s key usage is %s which is not valid for %s.", arn, usage, op)
}

// errAlgorithm is the InvalidKeyUsageException for an algorithm the key
// spec does not support. AWS's text for MAC algorithms is recorded
// ("Algorithm HMAC_SHA_256 is incompatible with key spec HMAC_224."); the
// same pattern is used for encryption and signing algorithms (UNCONFIRMED).
func errAlgorithm(alg, spec string) *svc.Error {
	return kmsErr("InvalidKeyUsageException", "Algorithm %s is incompatible with key spec %s.", alg, spec)
}

func errUnsupported(format string, args ...any) *svc.Error {
	return kmsErr("UnsupportedOperationException", format, args...)
}

func errMalformedPolicy(msg string) *svc.Error {
	return kmsErr("MalformedPolicyDocumentException", "%s", msg)
}

// errLockout is AWS's refusal of a key policy that would lock the caller
// out (aws-semantics §1.3).
func errLockout() *svc.Error {
	return errMalformedPolicy("The new key policy will not allow you to update the key policy in the future.")
}

func errInternal(what string, err error) error {
	return fmt.Errorf("kms: %s: %w", what, err)
}
