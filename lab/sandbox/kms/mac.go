package kms

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"hash"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

type macInput struct {
	Message      []byte   `json:"Message"`
	KeyID        string   `json:"KeyId"`
	MacAlgorithm string   `json:"MacAlgorithm"`
	Mac          []byte   `json:"Mac"` // VerifyMac only
	GrantTokens  []string `json:"GrantTokens"`
	DryRun       bool     `json:"DryRun"`
}

type generateMacOutput struct {
	Mac          []byte `json:"Mac"`
	MacAlgorithm string `json:"MacAlgorithm"`
	KeyID        string `json:"KeyId"`
}

type verifyMacOutput struct {
	KeyID        string `json:"KeyId"`
	MacValid     bool   `json:"MacValid"`
	MacAlgorithm string `json:"MacAlgorithm"`
}

func macHash(alg string) func() hash.Hash {
	switch alg {
	case "HMAC_SHA_224":
		return sha256.New224
	case "HMAC_SHA_384":
		return sha512.New384
	case "HMAC_SHA_512":
		return sha512.New
	}
	return sha256.New
}

// computeMac validates and authorizes a GenerateMac or VerifyMac request
// and returns the key and the MAC of the message.
func (s *Service) computeMac(r *svc.Request, in *macInput, op string) (target, []byte, error) {
	switch {
	case in.Message == nil:
		return target{}, nil, errNull("message")
	case len(in.Message) == 0:
		return target{}, nil, errConstraint("message", "Member must have length greater than or equal to 1")
	case len(in.Message) > 4096:
		return target{}, nil, errConstraint("message", "Member must have length less than or equal to 4096")
	case in.MacAlgorithm == "":
		return target{}, nil, errNull("macAlgorithm")
	case !contains(allMACAlgorithms, in.MacAlgorithm):
		return target{}, nil, errEnum("macAlgorithm", in.MacAlgorithm, allMACAlgorithms)
	case op == "VerifyMac" && in.Mac == nil:
		return target{}, nil, errNull("mac")
	}
	if err := checkGrantTokens(in.GrantTokens); err != nil {
		return target{}, nil, err
	}
	t, err := s.resolve(r, in.KeyID)
	if err != nil {
		return target{}, nil, err
	}
	extra := map[string][]string{"kms:MacAlgorithm": {in.MacAlgorithm}}
	if err := s.authorize(r, t, authz{action: "kms:" + op, grantOp: op, grantTokens: in.GrantTokens, extra: extra}); err != nil {
		return target{}, nil, err
	}
	if err := checkUsable(t.rec, t.arn); err != nil {
		return target{}, nil, err
	}
	if err := checkUsage(t, usageMAC, op); err != nil {
		return target{}, nil, err
	}
	if !contains(specs[t.rec.Spec].mac, in.MacAlgorithm) {
		return target{}, nil, errAlgorithm(in.MacAlgorithm, t.rec.Spec)
	}
	if in.DryRun {
		return target{}, nil, errDryRun()
	}
	m, err := s.material(t.rec, len(t.rec.Versions)-1)
	if err != nil {
		return target{}, nil, err
	}
	h := hmac.New(macHash(in.MacAlgorithm), m.mac)
	h.Write(in.Message)
	return t, h.Sum(nil), nil
}

func (s *Service) generateMacOp(r *svc.Request) (any, error) {
	var in macInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	t, mac, err := s.computeMac(r, &in, "GenerateMac")
	if err != nil {
		return nil, err
	}
	return generateMacOutput{Mac: mac, MacAlgorithm: in.MacAlgorithm, KeyID: t.arn}, nil
}

func (s *Service) verifyMacOp(r *svc.Request) (any, error) {
	var in macInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	t, mac, err := s.computeMac(r, &in, "VerifyMac")
	if err != nil {
		return nil, err
	}
	if !hmac.Equal(mac, in.Mac) {
		// KMS answers a MAC that does not verify with this error rather
		// than MacValid=false (the message is UNCONFIRMED).
		return nil, kmsErr("KMSInvalidMacException", "")
	}
	return verifyMacOutput{KeyID: t.arn, MacValid: true, MacAlgorithm: in.MacAlgorithm}, nil
}
