package sandbox

import "strings"

// isReadOnly reports whether an action changes nothing (watch mode
// re-runs checks only after writes). Reads are the Get/List/Describe
// families, the simulator, and KMS's cryptographic operations, which use
// a key without changing it.
func isReadOnly(action string) bool {
	_, op, ok := strings.Cut(action, ":")
	if !ok {
		return false
	}
	for _, p := range []string{"Get", "List", "Describe", "Simulate", "BatchGet"} {
		if strings.HasPrefix(op, p) {
			return op != "GetSessionToken"
		}
	}
	switch op {
	case "Encrypt", "Decrypt", "ReEncrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext",
		"GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext", "GenerateRandom",
		"Sign", "Verify", "GenerateMac", "VerifyMac", "DeriveSharedSecret", "ValidateResourcePolicy":
		return true
	}
	return false
}
