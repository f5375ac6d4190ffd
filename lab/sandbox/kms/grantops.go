package kms

import (
	"encoding/hex"
	"slices"
	"strings"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

type createGrantInput struct {
	KeyID             string            `json:"KeyId"`
	GranteePrincipal  string            `json:"GranteePrincipal"`
	RetiringPrincipal string            `json:"RetiringPrincipal"`
	Operations        []string          `json:"Operations"`
	Constraints       *grantConstraints `json:"Constraints"`
	GrantTokens       []string          `json:"GrantTokens"`
	Name              string            `json:"Name"`
	DryRun            bool              `json:"DryRun"`
}

type createGrantOutput struct {
	GrantToken string `json:"GrantToken"`
	GrantID    string `json:"GrantId"`
}

func (s *Service) createGrant(r *svc.Request) (any, error) {
	var in createGrantInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	switch {
	case in.GranteePrincipal == "":
		return nil, errNull("granteePrincipal")
	case in.Operations == nil:
		return nil, errNull("operations")
	case len(in.Name) > 256:
		return nil, errConstraint("name", "Member must have length less than or equal to 256")
	}
	for _, op := range in.Operations {
		if !contains(grantOperations, op) {
			return nil, errEnum("operations", op, grantOperations)
		}
	}
	if err := checkGrantTokens(in.GrantTokens); err != nil {
		return nil, err
	}
	t, err := s.resolve(r, in.KeyID)
	if err != nil {
		return nil, err
	}
	extra := map[string][]string{
		"kms:GrantOperations":       in.Operations,
		"kms:GranteePrincipal":      {in.GranteePrincipal},
		"kms:GrantIsForAWSResource": {boolString(r.Via != "")},
	}
	if in.RetiringPrincipal != "" {
		extra["kms:RetiringPrincipal"] = []string{in.RetiringPrincipal}
	}
	if c := in.Constraints; c != nil {
		if c.EncryptionContextEquals != nil {
			extra["kms:GrantConstraintType"] = append(extra["kms:GrantConstraintType"], "EncryptionContextEquals")
		}
		if c.EncryptionContextSubset != nil {
			extra["kms:GrantConstraintType"] = append(extra["kms:GrantConstraintType"], "EncryptionContextSubset")
		}
	}
	if err := s.authorize(r, t, authz{action: "kms:CreateGrant", grantOp: "CreateGrant", grantTokens: in.GrantTokens, extra: extra}); err != nil {
		return nil, err
	}
	if err := checkUsable(t.rec, t.arn); err != nil {
		return nil, err
	}
	if in.Constraints != nil && t.rec.Spec != specSymmetric {
		// UNCONFIRMED wording: constraints apply only to symmetric keys.
		return nil, errValidation("Grant constraints are not supported for asymmetric or HMAC KMS keys.")
	}
	if in.DryRun {
		return nil, errDryRun()
	}
	id := make([]byte, 32)
	if err := s.random(id); err != nil {
		return nil, errInternal("grant id", err)
	}
	g := &grantRecord{
		KeyID: t.arn, GrantID: hex.EncodeToString(id), Name: in.Name, CreationDate: epoch(r.Now),
		GranteePrincipal: in.GranteePrincipal, RetiringPrincipal: in.RetiringPrincipal,
		IssuingAccount: "arn:aws:iam::" + r.Caller.Account + ":root", Operations: in.Operations, Constraints: in.Constraints,
	}
	if err := s.env.Store.Update(func(tx svc.Tx) error {
		return svc.PutJSON(tx, bucketGrants, grantKey(t.rec.ID, g.GrantID), g)
	}); err != nil {
		return nil, errInternal("store grant", err)
	}
	return createGrantOutput{GrantToken: grantToken(t.rec.ID, g.GrantID), GrantID: g.GrantID}, nil
}

type listGrantsInput struct {
	KeyID             string `json:"KeyId"`
	GrantID           string `json:"GrantId"`
	GranteePrincipal  string `json:"GranteePrincipal"`
	RetiringPrincipal string `json:"RetiringPrincipal"`
	Limit             *int   `json:"Limit"`
	Marker            string `json:"Marker"`
}

type listGrantsOutput struct {
	Grants     []grantRecord `json:"Grants"`
	NextMarker string        `json:"NextMarker,omitempty"`
	Truncated  bool          `json:"Truncated"`
}

func (s *Service) listGrants(r *svc.Request) (any, error) {
	var in listGrantsInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	t, err := s.resolveAuthorized(r, in.KeyID, "kms:ListGrants")
	if err != nil {
		return nil, err
	}
	all, err := s.grants(func(k string, g *grantRecord) bool {
		return strings.HasPrefix(k, t.rec.ID+"/") && (in.GrantID == "" || g.GrantID == in.GrantID) &&
			(in.GranteePrincipal == "" || g.GranteePrincipal == in.GranteePrincipal)
	})
	if err != nil {
		return nil, err
	}
	page, next, err := paginate(all, in.Limit, in.Marker, 50, 100)
	if err != nil {
		return nil, err
	}
	return listGrantsOutput{Grants: nonNil(page), NextMarker: next, Truncated: next != ""}, nil
}

// listRetirableGrants lists the grants whose retiring principal is the
// given one. Its permission is IAM-only (resource "*").
func (s *Service) listRetirableGrants(r *svc.Request) (any, error) {
	var in listGrantsInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if in.RetiringPrincipal == "" {
		return nil, errNull("retiringPrincipal")
	}
	if err := s.authorizeAll(r, "kms:ListRetirableGrants", nil); err != nil {
		return nil, err
	}
	all, err := s.grants(func(_ string, g *grantRecord) bool { return g.RetiringPrincipal == in.RetiringPrincipal })
	if err != nil {
		return nil, err
	}
	page, next, err := paginate(all, in.Limit, in.Marker, 50, 100)
	if err != nil {
		return nil, err
	}
	return listGrantsOutput{Grants: nonNil(page), NextMarker: next, Truncated: next != ""}, nil
}

// grants returns the stored grants keep accepts, oldest first.
func (s *Service) grants(keep func(k string, g *grantRecord) bool) ([]grantRecord, error) {
	var all []grantRecord
	err := s.env.Store.View(func(tx svc.Tx) error {
		return tx.ForEach(bucketGrants, func(k string, raw []byte) error {
			var g grantRecord
			if err := decodeJSON(raw, &g); err != nil {
				return err
			}
			if keep(k, &g) {
				all = append(all, g)
			}
			return nil
		})
	})
	if err != nil {
		return nil, errInternal("read grants", err)
	}
	slices.SortStableFunc(all, func(a, b grantRecord) int {
		return int(a.CreationDate.unix() - b.CreationDate.unix())
	})
	return all, nil
}

type retireInput struct {
	GrantToken string `json:"GrantToken"`
	KeyID      string `json:"KeyId"`
	GrantID    string `json:"GrantId"`
	DryRun     bool   `json:"DryRun"`
}

func errGrantNotFound(id string) *svc.Error {
	return kmsErr("NotFoundException", "Grant ID %s not found", id) // UNCONFIRMED wording
}

// retireGrant deletes a grant given by token or by key and grant ID. The
// retiring principal may retire it, and so may the grantee when the grant
// allows RetireGrant; anyone else needs kms:RetireGrant on the key.
func (s *Service) retireGrant(r *svc.Request) (any, error) {
	var in retireInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	keyID, grantID := in.KeyID, in.GrantID
	if in.GrantToken != "" {
		if err := checkTokens([]string{in.GrantToken}); err != nil {
			return nil, err
		}
		raw, _ := decodeToken(in.GrantToken)
		keyID, grantID = formatUUID(raw[:16]), hex.EncodeToString(raw[16:])
	} else if keyID == "" || grantID == "" {
		return nil, errValidation("Either GrantToken or both KeyId and GrantId must be provided.") // UNCONFIRMED wording
	}
	t, err := s.resolve(r, keyID)
	if err != nil {
		return nil, err
	}
	g, err := s.grantByID(t.rec.ID, grantID)
	if err != nil {
		return nil, err
	}
	if !isCaller(r, g.RetiringPrincipal) && !(isCaller(r, g.GranteePrincipal) && contains(g.Operations, "RetireGrant")) {
		if err := s.authorize(r, t, authz{action: "kms:RetireGrant"}); err != nil {
			return nil, err
		}
	} else if r.Event != nil {
		r.Event.Resources = append(r.Event.Resources, t.arn)
		r.Event.Decision, r.Event.Layer, r.Event.Statements = "Allowed", "grant", []string{"grant:" + g.GrantID}
	}
	if in.DryRun {
		return nil, errDryRun()
	}
	return struct{}{}, s.deleteGrant(t.rec.ID, grantID)
}

func (s *Service) revokeGrant(r *svc.Request) (any, error) {
	var in retireInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if in.GrantID == "" {
		return nil, errNull("grantId")
	}
	t, err := s.resolveAuthorized(r, in.KeyID, "kms:RevokeGrant")
	if err != nil {
		return nil, err
	}
	if _, err := s.grantByID(t.rec.ID, in.GrantID); err != nil {
		return nil, err
	}
	if in.DryRun {
		return nil, errDryRun()
	}
	return struct{}{}, s.deleteGrant(t.rec.ID, in.GrantID)
}

func (s *Service) grantByID(keyID, grantID string) (*grantRecord, error) {
	g := new(grantRecord)
	var ok bool
	err := s.env.Store.View(func(tx svc.Tx) error {
		var err error
		ok, err = svc.GetJSON(tx, bucketGrants, grantKey(keyID, grantID), g)
		return err
	})
	if err != nil {
		return nil, errInternal("read grant", err)
	}
	if !ok {
		return nil, errGrantNotFound(grantID)
	}
	return g, nil
}

func (s *Service) deleteGrant(keyID, grantID string) error {
	return s.env.Store.Update(func(tx svc.Tx) error { return tx.Delete(bucketGrants, grantKey(keyID, grantID)) })
}
