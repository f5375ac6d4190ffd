package kms

import (
	"encoding/base64"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

type encryptInput struct {
	KeyID               string            `json:"KeyId"`
	Plaintext           []byte            `json:"Plaintext"`
	EncryptionContext   map[string]string `json:"EncryptionContext"`
	GrantTokens         []string          `json:"GrantTokens"`
	EncryptionAlgorithm string            `json:"EncryptionAlgorithm"`
	DryRun              bool              `json:"DryRun"`
}

// encryptOutput is written by hand: it is on the hot path.
type encryptOutput struct {
	CiphertextBlob      []byte
	KeyID               string
	EncryptionAlgorithm string
}

// MarshalJSON writes {"CiphertextBlob":…,"KeyId":…,"EncryptionAlgorithm":…}.
func (o *encryptOutput) MarshalJSON() ([]byte, error) {
	return o.AppendJSON(make([]byte, 0, 96+base64.StdEncoding.EncodedLen(len(o.CiphertextBlob))+len(o.KeyID))), nil
}

// AppendJSON appends the MarshalJSON document to b (svc.JSONAppender).
func (o *encryptOutput) AppendJSON(b []byte) []byte {
	b = append(b, `{"CiphertextBlob":"`...)
	b = base64.StdEncoding.AppendEncode(b, o.CiphertextBlob)
	b = append(b, `","KeyId":`...)
	b = appendJSONString(b, o.KeyID)
	b = append(b, `,"EncryptionAlgorithm":`...)
	b = appendJSONString(b, o.EncryptionAlgorithm)
	return append(b, '}')
}

func errDryRun() *svc.Error {
	return kmsErr("DryRunOperationException", "The request would have succeeded, but the DryRun option is set.")
}

// checkGrantTokens validates the GrantTokens parameter: at most 10, each
// one a token CreateGrant could have issued.
func checkGrantTokens(tokens []string) error {
	if len(tokens) > 10 {
		return errConstraint("grantTokens", "Member must have length less than or equal to 10")
	}
	return checkTokens(tokens)
}

func (s *Service) encryptOp(r *svc.Request) (any, error) {
	var in encryptInput
	if err := decodeHot(r, &in); err != nil {
		return nil, err
	}
	if in.Plaintext == nil {
		return nil, errNull("plaintext")
	}
	if len(in.Plaintext) == 0 {
		return nil, errConstraint("plaintext", "Member must have length greater than or equal to 1")
	}
	if len(in.Plaintext) > 4096 {
		return nil, errConstraint("plaintext", "Member must have length less than or equal to 4096")
	}
	if err := checkGrantTokens(in.GrantTokens); err != nil {
		return nil, err
	}
	t, err := s.resolve(r, in.KeyID)
	if err != nil {
		return nil, err
	}
	alg := in.EncryptionAlgorithm
	if alg == "" {
		alg = algSymmetric
	}
	if err := s.authorize(r, t, authz{action: "kms:Encrypt", grantOp: "Encrypt", encCtx: in.EncryptionContext,
		grantTokens: in.GrantTokens, encAlg: alg}); err != nil {
		return nil, err
	}
	if alg, err = encryptionAlgorithm(t, in.EncryptionAlgorithm, "Encrypt"); err != nil {
		return nil, err
	}
	if in.DryRun {
		return nil, errDryRun()
	}
	ct, err := s.encryptUnder(r, t, "Encrypt", in.Plaintext, in.EncryptionContext, alg)
	if err != nil {
		return nil, err
	}
	return &encryptOutput{CiphertextBlob: ct, KeyID: t.arn, EncryptionAlgorithm: alg}, nil
}

type decryptInput struct {
	CiphertextBlob      []byte            `json:"CiphertextBlob"`
	EncryptionContext   map[string]string `json:"EncryptionContext"`
	GrantTokens         []string          `json:"GrantTokens"`
	KeyID               string            `json:"KeyId"`
	EncryptionAlgorithm string            `json:"EncryptionAlgorithm"`
	DryRun              bool              `json:"DryRun"`
}

type decryptOutput struct {
	KeyID               string
	Plaintext           []byte
	EncryptionAlgorithm string
}

// MarshalJSON writes {"KeyId":…,"Plaintext":…,"EncryptionAlgorithm":…}.
func (o *decryptOutput) MarshalJSON() ([]byte, error) {
	return o.AppendJSON(make([]byte, 0, 96+base64.StdEncoding.EncodedLen(len(o.Plaintext))+len(o.KeyID))), nil
}

// AppendJSON appends the MarshalJSON document to b (svc.JSONAppender).
func (o *decryptOutput) AppendJSON(b []byte) []byte {
	b = append(b, `{"KeyId":`...)
	b = appendJSONString(b, o.KeyID)
	b = append(b, `,"Plaintext":"`...)
	b = base64.StdEncoding.AppendEncode(b, o.Plaintext)
	b = append(b, `","EncryptionAlgorithm":`...)
	b = appendJSONString(b, o.EncryptionAlgorithm)
	return append(b, '}')
}

func (s *Service) decryptOp(r *svc.Request) (any, error) {
	var in decryptInput
	if err := decodeHot(r, &in); err != nil {
		return nil, err
	}
	return s.decrypt(r, &in)
}

// decrypt is Decrypt. kms:Decrypt is authorized against the key the
// ciphertext names (aws-semantics §3.3), or the KeyId given for
// asymmetric ciphertext.
func (s *Service) decrypt(r *svc.Request, in *decryptInput) (*decryptOutput, error) {
	if err := checkCiphertext(in.CiphertextBlob); err != nil {
		return nil, err
	}
	if err := checkGrantTokens(in.GrantTokens); err != nil {
		return nil, err
	}
	pt, t, alg, err := s.openCiphertext(r, ciphertextRequest{
		keyID: in.KeyID, blob: in.CiphertextBlob, encCtx: in.EncryptionContext, alg: in.EncryptionAlgorithm,
		action: "kms:Decrypt", grantOp: "Decrypt", op: "Decrypt", tokens: in.GrantTokens, dryRun: in.DryRun,
	})
	if err != nil {
		return nil, err
	}
	return &decryptOutput{KeyID: t.arn, Plaintext: pt, EncryptionAlgorithm: alg}, nil
}

func checkCiphertext(b []byte) error {
	switch {
	case b == nil:
		return errNull("ciphertextBlob")
	case len(b) == 0:
		return errConstraint("ciphertextBlob", "Member must have length greater than or equal to 1")
	case len(b) > 6144:
		return errConstraint("ciphertextBlob", "Member must have length less than or equal to 6144")
	}
	return nil
}

type ciphertextRequest struct {
	keyID   string
	blob    []byte
	encCtx  map[string]string
	alg     string
	action  string // kms:Decrypt or kms:ReEncryptFrom
	grantOp string
	op      string // for usage errors
	tokens  []string
	dryRun  bool
}

// errCiphertextKey is AWS's AccessDeniedException for ciphertext whose key
// does not exist here (aws-semantics §6.1).
func errCiphertextKey() *svc.Error {
	return kmsErr("AccessDeniedException", "The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.")
}

// openCiphertext finds the key for c, authorizes c.action on it and
// decrypts.
func (s *Service) openCiphertext(r *svc.Request, c ciphertextRequest) ([]byte, target, string, error) {
	b, blobErr := parseBlob(c.blob)
	var t target
	var err error
	if c.keyID != "" {
		if t, err = s.resolve(r, c.keyID); err != nil {
			return nil, target{}, "", err
		}
		if t.rec.Spec == specSymmetric && blobErr == nil && b.KeyID != t.rec.ID {
			return nil, target{}, "", errIncorrectKey()
		}
	} else {
		if blobErr != nil {
			return nil, target{}, "", errInvalidCiphertext()
		}
		if t, err = s.keyOfBlob(r, b.KeyID); err != nil {
			return nil, target{}, "", err
		}
	}
	alg := c.alg
	if alg == "" {
		alg = algSymmetric
	}
	if err := s.authorize(r, t, authz{action: c.action, grantOp: c.grantOp, encCtx: c.encCtx,
		grantTokens: c.tokens, encAlg: alg}); err != nil {
		return nil, target{}, "", err
	}
	if alg, err = encryptionAlgorithm(t, c.alg, c.op); err != nil {
		return nil, target{}, "", err
	}
	if err := checkEncryptionContext(t, c.encCtx); err != nil {
		return nil, target{}, "", err
	}
	if c.dryRun {
		return nil, target{}, "", errDryRun()
	}
	var pt []byte
	if alg == algSymmetric {
		if blobErr != nil {
			return nil, target{}, "", errInvalidCiphertext()
		}
		pt, err = s.openSymmetric(t.rec, b, c.encCtx)
	} else {
		pt, err = s.decryptRSA(t.rec, c.blob, alg)
	}
	return pt, t, alg, err
}

// keyOfBlob finds the key a symmetric blob names, in any account.
func (s *Service) keyOfBlob(r *svc.Request, id string) (target, error) {
	var t target
	err := s.env.Store.View(func(tx svc.Tx) error {
		ck, err := s.getKey(tx, id)
		if err != nil {
			return err
		}
		if ck == nil || ck.rec.gone(r.Now) || ck.rec.Region != s.region(r) {
			return errCiphertextKey()
		}
		t = target{cachedKey: ck}
		return nil
	})
	return t, err
}

type reEncryptInput struct {
	CiphertextBlob                 []byte            `json:"CiphertextBlob"`
	SourceEncryptionContext        map[string]string `json:"SourceEncryptionContext"`
	SourceKeyID                    string            `json:"SourceKeyId"`
	DestinationKeyID               string            `json:"DestinationKeyId"`
	DestinationEncryptionContext   map[string]string `json:"DestinationEncryptionContext"`
	SourceEncryptionAlgorithm      string            `json:"SourceEncryptionAlgorithm"`
	DestinationEncryptionAlgorithm string            `json:"DestinationEncryptionAlgorithm"`
	GrantTokens                    []string          `json:"GrantTokens"`
	DryRun                         bool              `json:"DryRun"`
}

type reEncryptOutput struct {
	CiphertextBlob                 []byte `json:"CiphertextBlob"`
	SourceKeyID                    string `json:"SourceKeyId"`
	KeyID                          string `json:"KeyId"`
	SourceEncryptionAlgorithm      string `json:"SourceEncryptionAlgorithm"`
	DestinationEncryptionAlgorithm string `json:"DestinationEncryptionAlgorithm"`
}

func (s *Service) reEncryptOp(r *svc.Request) (any, error) {
	var in reEncryptInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if err := checkCiphertext(in.CiphertextBlob); err != nil {
		return nil, err
	}
	if err := checkGrantTokens(in.GrantTokens); err != nil {
		return nil, err
	}
	if in.DestinationKeyID == "" {
		return nil, errNull("destinationKeyId")
	}
	dst, err := s.resolve(r, in.DestinationKeyID)
	if err != nil {
		return nil, err
	}
	pt, src, srcAlg, err := s.openCiphertext(r, ciphertextRequest{
		keyID: in.SourceKeyID, blob: in.CiphertextBlob, encCtx: in.SourceEncryptionContext,
		alg: in.SourceEncryptionAlgorithm, action: "kms:ReEncryptFrom", grantOp: "ReEncryptFrom", op: "ReEncrypt",
		tokens: in.GrantTokens,
	})
	if err != nil {
		return nil, err
	}
	dstAlg := in.DestinationEncryptionAlgorithm
	if dstAlg == "" {
		dstAlg = algSymmetric
	}
	if err := s.authorize(r, dst, authz{action: "kms:ReEncryptTo", grantOp: "ReEncryptTo",
		encCtx: in.DestinationEncryptionContext, grantTokens: in.GrantTokens, encAlg: dstAlg}); err != nil {
		return nil, err
	}
	if dstAlg, err = encryptionAlgorithm(dst, in.DestinationEncryptionAlgorithm, "ReEncrypt"); err != nil {
		return nil, err
	}
	if in.DryRun {
		return nil, errDryRun()
	}
	ct, err := s.encryptUnder(r, dst, "ReEncrypt", pt, in.DestinationEncryptionContext, dstAlg)
	if err != nil {
		return nil, err
	}
	return &reEncryptOutput{CiphertextBlob: ct, SourceKeyID: src.arn, KeyID: dst.arn,
		SourceEncryptionAlgorithm: srcAlg, DestinationEncryptionAlgorithm: dstAlg}, nil
}
