package kms

import (
	"strings"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

type aliasInput struct {
	AliasName   string `json:"AliasName"`
	TargetKeyID string `json:"TargetKeyId"`
}

// maxAliasesPerKey is the aliases-per-key quota (aws-semantics §3.3).
const maxAliasesPerKey = 50

// checkAliasName validates an alias name for CreateAlias, UpdateAlias and
// DeleteAlias (aws-semantics §3.7).
func checkAliasName(name string) error {
	switch {
	case name == "":
		return errNull("aliasName")
	case len(name) > 256:
		return errConstraint("aliasName", "Member must have length less than or equal to 256")
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == ':' || c == '/' || c == '_' || c == '-') {
			return errConstraint("aliasName", "Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$")
		}
	}
	if !strings.HasPrefix(name, "alias/") {
		return errValidation(`Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html`)
	}
	if isReservedAlias(name) {
		// UNCONFIRMED wording; the code is the documented one.
		return kmsErr("InvalidAliasNameException", "Alias names that begin with alias/aws/ are reserved for AWS managed keys.")
	}
	return nil
}

// authorizeAlias authorizes action on the alias itself (an IAM-only
// resource: aliases have no resource policy).
func (s *Service) authorizeAlias(r *svc.Request, action, name string) error {
	arn := aliasARN(s.region(r), r.Caller.Account, name)
	if r.Event != nil {
		r.Event.Resources = append(r.Event.Resources, arn)
	}
	return s.env.Authz.Authorize(r, svc.AuthzRequest{Action: action, Resource: arn})
}

// aliasTarget resolves the key an alias is to point at: a key ID or key
// ARN, not another alias.
func (s *Service) aliasTarget(r *svc.Request, keyID string) (target, error) {
	if keyID == "" {
		return target{}, errNull("targetKeyId")
	}
	if strings.HasPrefix(keyID, "alias/") || strings.Contains(keyID, ":alias/") {
		return target{}, errValidation("Aliases must refer to keys. Not aliases") // UNCONFIRMED wording
	}
	return s.resolve(r, keyID)
}

func (s *Service) createAlias(r *svc.Request) (any, error) {
	var in aliasInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if err := checkAliasName(in.AliasName); err != nil {
		return nil, err
	}
	t, err := s.aliasTarget(r, in.TargetKeyID)
	if err != nil {
		return nil, err
	}
	if err := s.authorizeAlias(r, "kms:CreateAlias", in.AliasName); err != nil {
		return nil, err
	}
	if err := s.authorize(r, t, authz{action: "kms:CreateAlias"}); err != nil {
		return nil, err
	}
	if t.rec.State == statePendingDeletion {
		return nil, errPendingDeletion(t.arn)
	}
	account, region := r.Caller.Account, s.region(r)
	return struct{}{}, s.env.Store.Update(func(tx svc.Tx) error {
		s.purgeExpired(tx, r.Now)
		if a, err := getAlias(tx, account, region, in.AliasName); err != nil {
			return err
		} else if a != nil {
			return kmsErr("AlreadyExistsException", "An alias with the name %s already exists", aliasARN(region, account, in.AliasName))
		}
		ck, err := s.getKey(tx, t.rec.ID)
		if err != nil || ck == nil {
			return errKeyNotFound(t.arn)
		}
		k := cloneRecord(ck.rec)
		if len(k.Aliases) >= maxAliasesPerKey {
			return kmsErr("LimitExceededException", "Too many aliases for key %s", t.arn) // UNCONFIRMED wording
		}
		k.Aliases = append(k.Aliases, in.AliasName)
		if err := putKey(tx, k); err != nil {
			return err
		}
		return putAlias(tx, &aliasRecord{Name: in.AliasName, Account: account, Region: region, TargetKeyID: k.ID, Created: r.Now, Updated: r.Now})
	})
}

func (s *Service) updateAlias(r *svc.Request) (any, error) {
	var in aliasInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if err := checkAliasName(in.AliasName); err != nil {
		return nil, err
	}
	old, err := s.resolve(r, in.AliasName)
	if err != nil {
		return nil, err
	}
	t, err := s.aliasTarget(r, in.TargetKeyID)
	if err != nil {
		return nil, err
	}
	if err := s.authorizeAlias(r, "kms:UpdateAlias", in.AliasName); err != nil {
		return nil, err
	}
	if err := s.authorize(r, old, authz{action: "kms:UpdateAlias"}); err != nil {
		return nil, err
	}
	if err := s.authorize(r, t, authz{action: "kms:UpdateAlias"}); err != nil {
		return nil, err
	}
	if t.rec.State == statePendingDeletion {
		return nil, errPendingDeletion(t.arn)
	}
	if old.rec.Usage != t.rec.Usage || (old.rec.Spec == specSymmetric) != (t.rec.Spec == specSymmetric) {
		// UNCONFIRMED wording: AWS requires the same key type and usage.
		return nil, errValidation("%s is not the same type of key as %s: an alias can only move between keys with the same key spec type and key usage.", t.arn, old.arn)
	}
	account, region := r.Caller.Account, s.region(r)
	return struct{}{}, s.env.Store.Update(func(tx svc.Tx) error {
		a, err := getAlias(tx, account, region, in.AliasName)
		if err != nil || a == nil {
			return errAliasNotFound(aliasARN(region, account, in.AliasName))
		}
		if a.TargetKeyID == t.rec.ID {
			return nil
		}
		if err := moveAlias(tx, s, a.TargetKeyID, t.rec.ID, in.AliasName); err != nil {
			return err
		}
		a.TargetKeyID, a.Updated = t.rec.ID, r.Now
		return putAlias(tx, a)
	})
}

// moveAlias takes name off key from's alias list and adds it to key to's
// (to may be empty when the alias is deleted).
func moveAlias(tx svc.Tx, s *Service, from, to, name string) error {
	if ck, err := s.getKey(tx, from); err == nil && ck != nil {
		k := cloneRecord(ck.rec)
		k.Aliases = removeString(k.Aliases, name)
		if err := putKey(tx, k); err != nil {
			return err
		}
	}
	if to == "" {
		return nil
	}
	ck, err := s.getKey(tx, to)
	if err != nil || ck == nil {
		return errKeyNotFound(to)
	}
	k := cloneRecord(ck.rec)
	k.Aliases = append(k.Aliases, name)
	return putKey(tx, k)
}

func removeString(list []string, v string) []string {
	out := list[:0]
	for _, s := range list {
		if s != v {
			out = append(out, s)
		}
	}
	return out
}

func (s *Service) deleteAlias(r *svc.Request) (any, error) {
	var in aliasInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if err := checkAliasName(in.AliasName); err != nil {
		return nil, err
	}
	t, err := s.resolve(r, in.AliasName)
	if err != nil {
		return nil, err
	}
	if err := s.authorizeAlias(r, "kms:DeleteAlias", in.AliasName); err != nil {
		return nil, err
	}
	if err := s.authorize(r, t, authz{action: "kms:DeleteAlias"}); err != nil {
		return nil, err
	}
	account, region := r.Caller.Account, s.region(r)
	return struct{}{}, s.env.Store.Update(func(tx svc.Tx) error {
		a, err := getAlias(tx, account, region, in.AliasName)
		if err != nil || a == nil {
			return errAliasNotFound(aliasARN(region, account, in.AliasName))
		}
		if err := moveAlias(tx, s, a.TargetKeyID, "", in.AliasName); err != nil {
			return err
		}
		return tx.Delete(bucketAliases, aliasStoreKey(account, region, in.AliasName))
	})
}

type listAliasesInput struct {
	KeyID  string `json:"KeyId"`
	Limit  *int   `json:"Limit"`
	Marker string `json:"Marker"`
}

type aliasListEntry struct {
	AliasName       string `json:"AliasName"`
	AliasArn        string `json:"AliasArn"`
	TargetKeyID     string `json:"TargetKeyId,omitempty"`
	CreationDate    *epoch `json:"CreationDate,omitempty"`
	LastUpdatedDate *epoch `json:"LastUpdatedDate,omitempty"`
}

type listAliasesOutput struct {
	Aliases    []aliasListEntry `json:"Aliases"`
	NextMarker string           `json:"NextMarker,omitempty"`
	Truncated  bool             `json:"Truncated"`
}

func (s *Service) listAliases(r *svc.Request) (any, error) {
	var in listAliasesInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if err := s.authorizeAll(r, "kms:ListAliases", nil); err != nil {
		return nil, err
	}
	filter := ""
	if in.KeyID != "" {
		if strings.HasPrefix(in.KeyID, "alias/") || strings.Contains(in.KeyID, ":alias/") {
			return nil, kmsErr("InvalidArnException", "Invalid keyId %s", in.KeyID) // UNCONFIRMED wording
		}
		t, err := s.resolve(r, in.KeyID)
		if err != nil {
			return nil, err
		}
		filter = t.rec.ID
	}
	account, region := r.Caller.Account, s.region(r)
	prefix := aliasStoreKey(account, region, "")
	var all []aliasListEntry
	sawManaged := false
	err := s.env.Store.View(func(tx svc.Tx) error {
		return tx.ForEach(bucketAliases, func(k string, raw []byte) error {
			if !strings.HasPrefix(k, prefix) {
				return nil
			}
			var a aliasRecord
			if err := decodeJSON(raw, &a); err != nil {
				return err
			}
			ck, err := s.getKey(tx, a.TargetKeyID)
			if err != nil || ck == nil || ck.rec.gone(r.Now) || (filter != "" && a.TargetKeyID != filter) {
				return err
			}
			sawManaged = sawManaged || a.Name == smAlias
			all = append(all, aliasListEntry{AliasName: a.Name, AliasArn: aliasARN(region, account, a.Name),
				TargetKeyID: a.TargetKeyID, CreationDate: epochPtr(a.Created), LastUpdatedDate: epochPtr(a.Updated)})
			return nil
		})
	})
	if err != nil {
		return nil, errInternal("list aliases", err)
	}
	if filter == "" && !sawManaged {
		// Predefined AWS aliases are listed without a target until AWS
		// creates their key (aws-semantics §3.7).
		all = append(all, aliasListEntry{AliasName: smAlias, AliasArn: aliasARN(region, account, smAlias)})
		sortAliases(all)
	}
	page, next, err := paginate(all, in.Limit, in.Marker, 50, 100)
	if err != nil {
		return nil, err
	}
	return listAliasesOutput{Aliases: nonNil(page), NextMarker: next, Truncated: next != ""}, nil
}
