package kms

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	_ "crypto/sha256" // hashes for signing algorithms
	_ "crypto/sha512"
	"encoding/base64"
	"strings"

	k1ecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

type signInput struct {
	KeyID            string   `json:"KeyId"`
	Message          []byte   `json:"Message"`
	MessageType      string   `json:"MessageType"`
	GrantTokens      []string `json:"GrantTokens"`
	SigningAlgorithm string   `json:"SigningAlgorithm"`
	Signature        []byte   `json:"Signature"` // Verify only
	DryRun           bool     `json:"DryRun"`
}

type signOutput struct {
	KeyID            string `json:"KeyId"`
	Signature        []byte `json:"Signature"`
	SigningAlgorithm string `json:"SigningAlgorithm"`
}

// AppendJSON appends o as encoding/json would encode it (svc.JSONAppender):
// Sign is a hot operation.
func (o signOutput) AppendJSON(b []byte) []byte {
	b = append(b, `{"KeyId":`...)
	b = appendJSONString(b, o.KeyID)
	b = append(b, `,"Signature":"`...)
	b = base64.StdEncoding.AppendEncode(b, o.Signature)
	b = append(b, `","SigningAlgorithm":`...)
	b = appendJSONString(b, o.SigningAlgorithm)
	return append(b, '}')
}

type verifyOutput struct {
	KeyID            string `json:"KeyId"`
	SignatureValid   bool   `json:"SignatureValid"`
	SigningAlgorithm string `json:"SigningAlgorithm"`
}

// signingHash is the digest algorithm of a KMS signing algorithm.
func signingHash(alg string) crypto.Hash {
	switch {
	case strings.HasSuffix(alg, "_384"):
		return crypto.SHA384
	case strings.HasSuffix(alg, "_512"):
		return crypto.SHA512
	}
	return crypto.SHA256
}

// prepareSign validates a Sign or Verify request and authorizes it. It
// returns the key and the digest to sign or verify.
func (s *Service) prepareSign(r *svc.Request, in *signInput, op string) (target, []byte, error) {
	if in.Message == nil {
		return target{}, nil, errNull("message")
	}
	if len(in.Message) == 0 {
		return target{}, nil, errConstraint("message", "Member must have length greater than or equal to 1")
	}
	if len(in.Message) > 4096 {
		return target{}, nil, errConstraint("message", "Member must have length less than or equal to 4096")
	}
	msgType := in.MessageType
	if msgType == "" {
		msgType = "RAW"
	}
	if msgType != "RAW" && msgType != "DIGEST" {
		return target{}, nil, errEnum("messageType", msgType, []string{"RAW", "DIGEST"})
	}
	if in.SigningAlgorithm == "" {
		return target{}, nil, errNull("signingAlgorithm")
	}
	if !contains(allSigningAlgorithms, in.SigningAlgorithm) {
		return target{}, nil, errEnum("signingAlgorithm", in.SigningAlgorithm, allSigningAlgorithms)
	}
	if op == "Verify" && in.Signature == nil {
		return target{}, nil, errNull("signature")
	}
	if err := checkGrantTokens(in.GrantTokens); err != nil {
		return target{}, nil, err
	}
	t, err := s.resolve(r, in.KeyID)
	if err != nil {
		return target{}, nil, err
	}
	extra := map[string][]string{"kms:SigningAlgorithm": {in.SigningAlgorithm}, "kms:MessageType": {msgType}}
	if err := s.authorize(r, t, authz{action: "kms:" + op, grantOp: op, grantTokens: in.GrantTokens, extra: extra}); err != nil {
		return target{}, nil, err
	}
	if err := checkUsable(t.rec, t.arn); err != nil {
		return target{}, nil, err
	}
	if err := checkUsage(t, usageSign, op); err != nil {
		return target{}, nil, err
	}
	if !contains(specs[t.rec.Spec].signing, in.SigningAlgorithm) {
		return target{}, nil, errAlgorithm(in.SigningAlgorithm, t.rec.Spec)
	}
	h := signingHash(in.SigningAlgorithm)
	if msgType == "DIGEST" {
		if len(in.Message) != h.Size() {
			return target{}, nil, errValidation("Digest is invalid length for algorithm %s.", in.SigningAlgorithm)
		}
		return t, in.Message, nil
	}
	d := h.New()
	d.Write(in.Message)
	return t, d.Sum(nil), nil
}

func (s *Service) signOp(r *svc.Request) (any, error) {
	var in signInput
	if err := decodeHot(r, &in); err != nil {
		return nil, err
	}
	t, digest, err := s.prepareSign(r, &in, "Sign")
	if err != nil {
		return nil, err
	}
	if in.DryRun {
		return nil, errDryRun()
	}
	m, err := s.material(t.rec, len(t.rec.Versions)-1)
	if err != nil {
		return nil, err
	}
	// Signatures draw on the system's randomness: since Go 1.26 the
	// standard library ignores caller-supplied readers here.
	h := signingHash(in.SigningAlgorithm)
	var sig []byte
	switch {
	case strings.HasPrefix(in.SigningAlgorithm, "RSASSA_PSS"):
		sig, err = rsa.SignPSS(rand.Reader, m.rsa, h, digest, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
	case strings.HasPrefix(in.SigningAlgorithm, "RSASSA_PKCS1"):
		sig, err = rsa.SignPKCS1v15(rand.Reader, m.rsa, h, digest)
	case m.k1 != nil:
		sig = k1ecdsa.Sign(m.k1, digest).Serialize()
	default:
		sig, err = ecdsa.SignASN1(rand.Reader, m.ec, digest)
	}
	if err != nil {
		return nil, errInternal("sign", err)
	}
	return signOutput{KeyID: t.arn, Signature: sig, SigningAlgorithm: in.SigningAlgorithm}, nil
}

// errInvalidSignature is Verify's answer to a signature that does not
// verify (KMS sends no SignatureValid=false; the message is UNCONFIRMED).
func errInvalidSignature() *svc.Error {
	return kmsErr("KMSInvalidSignatureException", "")
}

func (s *Service) verifyOp(r *svc.Request) (any, error) {
	var in signInput
	if err := decodeHot(r, &in); err != nil {
		return nil, err
	}
	t, digest, err := s.prepareSign(r, &in, "Verify")
	if err != nil {
		return nil, err
	}
	if in.DryRun {
		return nil, errDryRun()
	}
	m, err := s.material(t.rec, len(t.rec.Versions)-1)
	if err != nil {
		return nil, err
	}
	h := signingHash(in.SigningAlgorithm)
	var ok bool
	switch {
	case strings.HasPrefix(in.SigningAlgorithm, "RSASSA_PSS"):
		ok = rsa.VerifyPSS(&m.rsa.PublicKey, h, digest, in.Signature, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto}) == nil
	case strings.HasPrefix(in.SigningAlgorithm, "RSASSA_PKCS1"):
		ok = rsa.VerifyPKCS1v15(&m.rsa.PublicKey, h, digest, in.Signature) == nil
	case m.k1 != nil:
		sig, perr := k1ecdsa.ParseDERSignature(in.Signature)
		ok = perr == nil && sig.Verify(digest, m.k1.PubKey())
	default:
		ok = ecdsa.VerifyASN1(&m.ec.PublicKey, digest, in.Signature)
	}
	if !ok {
		return nil, errInvalidSignature()
	}
	return verifyOutput{KeyID: t.arn, SignatureValid: true, SigningAlgorithm: in.SigningAlgorithm}, nil
}

type publicKeyOutput struct {
	KeyID                 string   `json:"KeyId"`
	PublicKey             []byte   `json:"PublicKey"`
	CustomerMasterKeySpec string   `json:"CustomerMasterKeySpec"`
	KeySpec               string   `json:"KeySpec"`
	KeyUsage              string   `json:"KeyUsage"`
	EncryptionAlgorithms  []string `json:"EncryptionAlgorithms,omitempty"`
	SigningAlgorithms     []string `json:"SigningAlgorithms,omitempty"`
}

func (s *Service) getPublicKeyOp(r *svc.Request) (any, error) {
	var in keyIDInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if err := checkGrantTokens(in.GrantTokens); err != nil {
		return nil, err
	}
	t, err := s.resolve(r, in.KeyID)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(r, t, authz{action: "kms:GetPublicKey", grantOp: "GetPublicKey", grantTokens: in.GrantTokens}); err != nil {
		return nil, err
	}
	if err := checkUsable(t.rec, t.arn); err != nil {
		return nil, err
	}
	if t.rec.Spec == specSymmetric || specs[t.rec.Spec].macBytes > 0 {
		// UNCONFIRMED wording.
		return nil, errUnsupported("%s is a %s key; only asymmetric KMS keys have a public key.", t.arn, t.rec.Spec)
	}
	m, err := s.material(t.rec, len(t.rec.Versions)-1)
	if err != nil {
		return nil, err
	}
	enc, sign, _ := algorithmsFor(t.rec.Spec, t.rec.Usage)
	return publicKeyOutput{KeyID: t.arn, PublicKey: m.spki, CustomerMasterKeySpec: t.rec.Spec, KeySpec: t.rec.Spec,
		KeyUsage: t.rec.Usage, EncryptionAlgorithms: enc, SigningAlgorithms: sign}, nil
}
