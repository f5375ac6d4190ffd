package kms

import (
	"encoding/base64"
	"encoding/hex"
	"maps"
	"strings"
	"time"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// grantOperations is the GrantOperation enum (aws-semantics §3.8).
var grantOperations = []string{
	"Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo",
	"Sign", "Verify", "GetPublicKey", "CreateGrant", "RetireGrant", "DescribeKey", "GenerateDataKeyPair",
	"GenerateDataKeyPairWithoutPlaintext", "GenerateMac", "VerifyMac", "DeriveSharedSecret",
}

type grantConstraints struct {
	EncryptionContextSubset map[string]string `json:"EncryptionContextSubset,omitempty"`
	EncryptionContextEquals map[string]string `json:"EncryptionContextEquals,omitempty"`
}

// grantRecord is one grant as stored in bucketGrants and listed by
// ListGrants.
type grantRecord struct {
	KeyID             string            `json:"KeyId"` // key ARN
	GrantID           string            `json:"GrantId"`
	Name              string            `json:"Name,omitempty"`
	CreationDate      epoch             `json:"CreationDate"`
	GranteePrincipal  string            `json:"GranteePrincipal"`
	RetiringPrincipal string            `json:"RetiringPrincipal,omitempty"`
	IssuingAccount    string            `json:"IssuingAccount"`
	Operations        []string          `json:"Operations"`
	Constraints       *grantConstraints `json:"Constraints,omitempty"`
}

// UnmarshalJSON reads CreationDate back from its stored epoch form.
func (e *epoch) UnmarshalJSON(b []byte) error {
	var f float64
	if err := decodeJSON(b, &f); err != nil {
		return err
	}
	*e = epoch(time.UnixMilli(int64(f*1000 + 0.5)).UTC())
	return nil
}

func (e epoch) unix() int64 { return time.Time(e).UnixMilli() }

// A grant token names its key and grant: "sgt1." + base64url(key UUID
// bytes ‖ grant ID bytes).
const grantTokenPrefix = "sgt1."

func grantToken(keyID, grantID string) string {
	b, _ := appendUUID(nil, keyID)
	g, _ := hex.DecodeString(grantID)
	return grantTokenPrefix + base64.RawURLEncoding.EncodeToString(append(b, g...))
}

// checkTokens validates grant tokens. Grants here take effect at once, so a
// valid token adds nothing beyond what the stored grant allows.
func checkTokens(tokens []string) error {
	for _, t := range tokens {
		if _, ok := decodeToken(t); !ok {
			return kmsErr("InvalidGrantTokenException", "The grant token is not valid.") // UNCONFIRMED wording
		}
	}
	return nil
}

// decodeToken returns the key UUID and grant ID bytes a token carries.
func decodeToken(t string) ([]byte, bool) {
	if !strings.HasPrefix(t, grantTokenPrefix) {
		return nil, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(t[len(grantTokenPrefix):])
	if err != nil || len(raw) != 16+32 {
		return nil, false
	}
	return raw, true
}

func grantKey(keyID, grantID string) string { return keyID + "/" + grantID }

// grantAllowing returns a grant on key t that lets r's caller perform op
// with encryption context encCtx, or nil.
func (s *Service) grantAllowing(r *svc.Request, t target, op string, encCtx map[string]string, tokens []string) (*grantRecord, error) {
	if err := checkTokens(tokens); err != nil {
		return nil, err
	}
	var found *grantRecord
	err := s.env.Store.View(func(tx svc.Tx) error {
		return tx.ForEach(bucketGrants, func(k string, raw []byte) error {
			if found != nil || !strings.HasPrefix(k, t.rec.ID+"/") {
				return nil
			}
			var g grantRecord
			if err := decodeJSON(raw, &g); err != nil {
				return err
			}
			if isCaller(r, g.GranteePrincipal) && contains(g.Operations, op) && g.Constraints.allow(encCtx) {
				found = &g
			}
			return nil
		})
	})
	if err != nil {
		return nil, errInternal("read grants", err)
	}
	return found, nil
}

// allow reports whether encCtx satisfies the grant constraints c.
func (c *grantConstraints) allow(encCtx map[string]string) bool {
	if c == nil {
		return true
	}
	if c.EncryptionContextEquals != nil && !maps.Equal(c.EncryptionContextEquals, encCtx) {
		return false
	}
	for k, v := range c.EncryptionContextSubset {
		if got, ok := encCtx[k]; !ok || got != v {
			return false
		}
	}
	return true
}

// isCaller reports whether principal names r's caller (its ARN, or the
// role of a role session).
func isCaller(r *svc.Request, principal string) bool {
	return principal != "" && (principal == r.Caller.ARN || principal == r.Caller.PrincipalARN)
}

func deleteGrantsOf(tx svc.Tx, keyID string) {
	var ks []string
	_ = tx.ForEach(bucketGrants, func(k string, _ []byte) error {
		if strings.HasPrefix(k, keyID+"/") {
			ks = append(ks, k)
		}
		return nil
	})
	for _, k := range ks {
		_ = tx.Delete(bucketGrants, k)
	}
}
