package kms

import (
	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

type dataKeyInput struct {
	KeyID             string            `json:"KeyId"`
	EncryptionContext map[string]string `json:"EncryptionContext"`
	NumberOfBytes     *int              `json:"NumberOfBytes"`
	KeySpec           string            `json:"KeySpec"`
	GrantTokens       []string          `json:"GrantTokens"`
	DryRun            bool              `json:"DryRun"`
}

type dataKeyOutput struct {
	CiphertextBlob []byte `json:"CiphertextBlob"`
	Plaintext      []byte `json:"Plaintext,omitempty"`
	KeyID          string `json:"KeyId"`
}

func (s *Service) generateDataKeyOp(r *svc.Request) (any, error) {
	var in dataKeyInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	return s.generateDataKey(r, &in, true)
}

func (s *Service) generateDataKeyWithoutPlaintextOp(r *svc.Request) (any, error) {
	var in dataKeyInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	return s.generateDataKey(r, &in, false)
}

// generateDataKey is GenerateDataKey (withPlaintext) or
// GenerateDataKeyWithoutPlaintext.
func (s *Service) generateDataKey(r *svc.Request, in *dataKeyInput, withPlaintext bool) (*dataKeyOutput, error) {
	op := "GenerateDataKey"
	if !withPlaintext {
		op = "GenerateDataKeyWithoutPlaintext"
	}
	n, err := dataKeySize(in)
	if err != nil {
		return nil, err
	}
	if err := checkGrantTokens(in.GrantTokens); err != nil {
		return nil, err
	}
	t, err := s.resolve(r, in.KeyID)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(r, t, authz{action: "kms:" + op, grantOp: op, encCtx: in.EncryptionContext,
		grantTokens: in.GrantTokens}); err != nil {
		return nil, err
	}
	if err := checkSymmetric(t, op); err != nil {
		return nil, err
	}
	if in.DryRun {
		return nil, errDryRun()
	}
	pt := make([]byte, n)
	if err := s.random(pt); err != nil {
		return nil, errInternal("data key", err)
	}
	ct, err := s.encryptUnder(r, t, op, pt, in.EncryptionContext, algSymmetric)
	if err != nil {
		return nil, err
	}
	out := &dataKeyOutput{CiphertextBlob: ct, KeyID: t.arn}
	if withPlaintext {
		out.Plaintext = pt
	}
	return out, nil
}

func dataKeySize(in *dataKeyInput) (int, error) {
	switch {
	case in.NumberOfBytes == nil && in.KeySpec == "", in.NumberOfBytes != nil && in.KeySpec != "":
		return 0, errValidation("Please specify either number of bytes or key spec.")
	case in.NumberOfBytes != nil:
		if n := *in.NumberOfBytes; n < 1 || n > 1024 {
			return 0, errConstraint("numberOfBytes", boundMessage(n, 1, 1024))
		}
		return *in.NumberOfBytes, nil
	case in.KeySpec == "AES_256":
		return 32, nil
	case in.KeySpec == "AES_128":
		return 16, nil
	}
	return 0, errEnum("keySpec", in.KeySpec, []string{"AES_256", "AES_128"})
}

func boundMessage(n, lo, hi int) string {
	if n < lo {
		return "Member must have value greater than or equal to " + itoa(lo)
	}
	return "Member must have value less than or equal to " + itoa(hi)
}

// checkSymmetric refuses data-key operations on keys that are not
// symmetric encryption keys (the message is UNCONFIRMED).
func checkSymmetric(t target, op string) error {
	if err := checkUsable(t.rec, t.arn); err != nil {
		return err
	}
	if err := checkUsage(t, usageEncrypt, op); err != nil {
		return err
	}
	if t.rec.Spec != specSymmetric {
		return kmsErr("InvalidKeyUsageException", "%s key spec is %s which is not valid for %s.", t.arn, t.rec.Spec, op)
	}
	return nil
}

type dataKeyPairInput struct {
	KeyID             string            `json:"KeyId"`
	EncryptionContext map[string]string `json:"EncryptionContext"`
	KeyPairSpec       string            `json:"KeyPairSpec"`
	GrantTokens       []string          `json:"GrantTokens"`
	DryRun            bool              `json:"DryRun"`
}

type dataKeyPairOutput struct {
	PrivateKeyCiphertextBlob []byte `json:"PrivateKeyCiphertextBlob"`
	PrivateKeyPlaintext      []byte `json:"PrivateKeyPlaintext,omitempty"`
	PublicKey                []byte `json:"PublicKey"`
	KeyID                    string `json:"KeyId"`
	KeyPairSpec              string `json:"KeyPairSpec"`
}

func (s *Service) generateDataKeyPairOp(r *svc.Request) (any, error) {
	return s.generateDataKeyPair(r, true)
}

func (s *Service) generateDataKeyPairWithoutPlaintextOp(r *svc.Request) (any, error) {
	return s.generateDataKeyPair(r, false)
}

func (s *Service) generateDataKeyPair(r *svc.Request, withPlaintext bool) (any, error) {
	op := "GenerateDataKeyPair"
	if !withPlaintext {
		op = "GenerateDataKeyPairWithoutPlaintext"
	}
	var in dataKeyPairInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if in.KeyPairSpec == "" {
		return nil, errNull("keyPairSpec")
	}
	if !contains(allKeyPairSpecs, in.KeyPairSpec) {
		return nil, errEnum("keyPairSpec", in.KeyPairSpec, allKeyPairSpecs)
	}
	if _, ok := specs[in.KeyPairSpec]; !ok {
		return nil, errUnsupported("The sandbox does not emulate KeyPairSpec %s.", in.KeyPairSpec)
	}
	if err := checkGrantTokens(in.GrantTokens); err != nil {
		return nil, err
	}
	t, err := s.resolve(r, in.KeyID)
	if err != nil {
		return nil, err
	}
	extra := map[string][]string{"kms:DataKeyPairSpec": {in.KeyPairSpec}}
	if err := s.authorize(r, t, authz{action: "kms:" + op, grantOp: op, encCtx: in.EncryptionContext,
		grantTokens: in.GrantTokens, extra: extra}); err != nil {
		return nil, err
	}
	if err := checkSymmetric(t, op); err != nil {
		return nil, err
	}
	if in.DryRun {
		return nil, errDryRun()
	}
	raw, err := s.newMaterial(in.KeyPairSpec)
	if err != nil {
		return nil, errInternal("generate key pair", err)
	}
	m, err := parseMaterial(in.KeyPairSpec, raw)
	if err != nil {
		return nil, errInternal("parse key pair", err)
	}
	private := raw
	if in.KeyPairSpec == "ECC_SECG_P256K1" {
		private = marshalK1PKCS8(secp256k1.PrivKeyFromBytes(raw))
	}
	ct, err := s.encryptUnder(r, t, op, private, in.EncryptionContext, algSymmetric)
	if err != nil {
		return nil, err
	}
	out := &dataKeyPairOutput{PrivateKeyCiphertextBlob: ct, PublicKey: m.spki, KeyID: t.arn, KeyPairSpec: in.KeyPairSpec}
	if withPlaintext {
		out.PrivateKeyPlaintext = private
	}
	return out, nil
}

type generateRandomInput struct {
	NumberOfBytes    *int   `json:"NumberOfBytes"`
	CustomKeyStoreID string `json:"CustomKeyStoreId"`
}

type generateRandomOutput struct {
	Plaintext []byte `json:"Plaintext"`
}

func (s *Service) generateRandomOp(r *svc.Request) (any, error) {
	var in generateRandomInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if err := s.authorizeAll(r, "kms:GenerateRandom", nil); err != nil {
		return nil, err
	}
	if in.NumberOfBytes == nil {
		return nil, errValidation("Please specify number of bytes.") // UNCONFIRMED wording
	}
	if n := *in.NumberOfBytes; n < 1 || n > 1024 {
		return nil, errConstraint("numberOfBytes", boundMessage(n, 1, 1024))
	}
	if in.CustomKeyStoreID != "" {
		return nil, errUnsupported("The sandbox does not emulate custom key stores.")
	}
	b := make([]byte, *in.NumberOfBytes)
	if err := s.random(b); err != nil {
		return nil, errInternal("random", err)
	}
	return generateRandomOutput{b}, nil
}
