package check

import (
	"fmt"
	"strings"

	"github.com/seclab-dev/seclab/lab/console"
	"github.com/seclab-dev/seclab/lab/policy"
)

// sideEffectFree are operations that IAM classes as writes but that change
// no state: cryptographic operations, simulations and validations. A check
// may use them (e.g. "bob's Decrypt is denied").
var sideEffectFree = map[string]bool{
	"kms:Decrypt": true, "kms:Encrypt": true, "kms:ReEncrypt": true, "kms:Sign": true, "kms:Verify": true,
	"kms:GenerateDataKey": true, "kms:GenerateDataKeyWithoutPlaintext": true, "kms:GenerateDataKeyPair": true,
	"kms:GenerateDataKeyPairWithoutPlaintext": true, "kms:GenerateMac": true, "kms:VerifyMac": true,
	"kms:GenerateRandom": true, "kms:DeriveSharedSecret": true,
	"sts:GetCallerIdentity": true, "sts:AssumeRole": true, "sts:GetSessionToken": true,
	"sts:DecodeAuthorizationMessage": true, "sts:GetAccessKeyInfo": true,
	"iam:SimulatePrincipalPolicy": true, "iam:SimulateCustomPolicy": true,
	"iam:GetContextKeysForPrincipalPolicy": true, "iam:GetContextKeysForCustomPolicy": true,
	"secretsmanager:GetRandomPassword": true, "secretsmanager:ValidateResourcePolicy": true,
	"secretsmanager:BatchGetSecretValue": true,
	"cloudformation:ValidateTemplate":    true, "cloudformation:EstimateTemplateCost": true,
}

// ReadOnlyCommand reports why an `aws …` command line may not be used in a
// check, or nil when it may: its operation must change nothing (IAM's List
// and Read access levels, or a side-effect-free operation). Templates in
// the line are fine; they do not affect the operation.
func ReadOnlyCommand(line string) error {
	words, err := console.Split(line)
	if err != nil {
		return fmt.Errorf("check command %q: %w", line, err)
	}
	if len(words) == 0 || words[0] != "aws" {
		return fmt.Errorf("check command %q: a check runs an aws command (aws SERVICE OPERATION …)", line)
	}
	s, o, err := console.Identify(words)
	if err != nil {
		return fmt.Errorf("check command %q: %v", line, err)
	}
	svc := s.Name
	action := svc + ":" + o.Name
	if IsReadOnlyAction(action) {
		return nil
	}
	return fmt.Errorf("check command %q: %s may change state; checks must be read-only (get-*, describe-*, list-*, decrypt, verify, simulate-*, …)", line, action)
}

// IsReadOnlyAction reports whether an action ("kms:DescribeKey") changes
// nothing.
func IsReadOnlyAction(action string) bool {
	if sideEffectFree[action] {
		return true
	}
	if len(policy.MatchActions(action)) > 0 {
		return policy.IsReadOnly(action)
	}
	// Services outside the policy catalog (cloudformation): the naming
	// convention.
	_, op, _ := strings.Cut(action, ":")
	for _, p := range []string{"Get", "List", "Describe", "Validate", "Estimate"} {
		if strings.HasPrefix(op, p) {
			return true
		}
	}
	return false
}
