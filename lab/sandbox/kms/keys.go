package kms

import (
	"errors"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

type createKeyInput struct {
	Policy                         *string `json:"Policy"`
	Description                    string  `json:"Description"`
	KeyUsage                       string  `json:"KeyUsage"`
	CustomerMasterKeySpec          string  `json:"CustomerMasterKeySpec"`
	KeySpec                        string  `json:"KeySpec"`
	Origin                         string  `json:"Origin"`
	CustomKeyStoreID               string  `json:"CustomKeyStoreId"`
	BypassPolicyLockoutSafetyCheck bool    `json:"BypassPolicyLockoutSafetyCheck"`
	Tags                           []tag   `json:"Tags"`
	MultiRegion                    bool    `json:"MultiRegion"`
}

type keyMetadataOutput struct {
	KeyMetadata *keyMetadata `json:"KeyMetadata"`
}

func (s *Service) createKey(r *svc.Request) (any, error) {
	var in createKeyInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	spec := in.KeySpec
	if spec == "" {
		spec = in.CustomerMasterKeySpec
	}
	if spec == "" {
		spec = specSymmetric
	}
	origin := in.Origin
	if origin == "" {
		origin = "AWS_KMS"
	}
	actx := map[string][]string{
		"kms:KeySpec": {spec}, "kms:KeyOrigin": {origin}, "kms:MultiRegion": {boolString(in.MultiRegion)},
	}
	if in.KeyUsage != "" {
		actx["kms:KeyUsage"] = []string{in.KeyUsage}
	} else if spec == specSymmetric {
		actx["kms:KeyUsage"] = []string{usageEncrypt}
	}
	addRequestTags(actx, in.Tags)
	if err := s.authorizeAll(r, "kms:CreateKey", actx); err != nil {
		return nil, err
	}
	usage, err := checkCreateKey(&in, spec, origin)
	if err != nil {
		return nil, err
	}
	id, err := s.newKeyID()
	if err != nil {
		return nil, err
	}
	region, account := s.region(r), r.Caller.Account
	arn := keyARN(region, account, id)
	policy := defaultKeyPolicy(account)
	if in.Policy != nil {
		if policy, err = s.checkNewPolicy(r, arn, account, *in.Policy, in.BypassPolicyLockoutSafetyCheck); err != nil {
			return nil, err
		}
	}
	rec := &keyRecord{
		ID: id, Account: account, Region: region, Description: in.Description, Created: r.Now,
		State: stateEnabled, Spec: spec, Usage: usage, Origin: origin, Manager: "CUSTOMER",
		Policy: policy, Tags: mergeTags(nil, in.Tags),
	}
	v, err := s.newVersion(id, spec, 0)
	if err != nil {
		return nil, err
	}
	v.Created = r.Now
	rec.Versions = []keyVersion{v}
	if err := s.env.Store.Update(func(tx svc.Tx) error {
		s.purgeExpired(tx, r.Now)
		if tx.Get(bucketKeys, id) != nil {
			return errors.New("key id " + id + " is taken")
		}
		return putKey(tx, rec)
	}); err != nil {
		return nil, errInternal("store key", err)
	}
	if r.Event != nil {
		r.Event.Resources = append(r.Event.Resources, arn)
	}
	return keyMetadataOutput{metadataOf(rec)}, nil
}

// checkCreateKey validates CreateKey's input and returns the key usage.
func checkCreateKey(in *createKeyInput, spec, origin string) (string, error) {
	if !contains(allKeySpecs, spec) {
		return "", errEnum("keySpec", spec, allKeySpecs)
	}
	if in.KeySpec != "" && in.CustomerMasterKeySpec != "" {
		return "", errValidation("You cannot specify both KeySpec and CustomerMasterKeySpec in the same request.")
	}
	usage := in.KeyUsage
	if usage != "" && !contains(allKeyUsages, usage) {
		return "", errEnum("keyUsage", usage, allKeyUsages)
	}
	if usage == "" {
		if spec != specSymmetric {
			return "", errValidation("You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.")
		}
		usage = usageEncrypt
	}
	if !validUsage(spec, usage) {
		return "", errValidation("KeyUsage %s is not compatible with KeySpec %s", usage, spec)
	}
	if _, ok := specs[spec]; !ok || usage == "KEY_AGREEMENT" {
		return "", errUnsupported("The sandbox does not emulate KeySpec %s with KeyUsage %s.", spec, usage)
	}
	switch {
	case origin != "AWS_KMS":
		if origin != "EXTERNAL" && origin != "AWS_CLOUDHSM" && origin != "EXTERNAL_KEY_STORE" {
			return "", errEnum("origin", origin, []string{"AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"})
		}
		return "", errUnsupported("The sandbox supports only keys with Origin AWS_KMS.")
	case in.CustomKeyStoreID != "":
		return "", errUnsupported("The sandbox does not emulate custom key stores.")
	case in.MultiRegion:
		return "", errUnsupported("The sandbox does not emulate multi-Region keys.")
	case len(in.Description) > 8192:
		return "", errConstraint("description", "Member must have length less than or equal to 8192")
	}
	if err := checkTags(in.Tags); err != nil {
		return "", err
	}
	return usage, nil
}

// newKeyID returns a random (version 4) UUID from env.Rand that no stored
// key has. (A seeded stream replays after a restart on the same state.)
func (s *Service) newKeyID() (string, error) {
	for range 16 {
		var b [16]byte
		if err := s.random(b[:]); err != nil {
			return "", errInternal("key id", err)
		}
		b[6] = b[6]&0x0f | 0x40
		b[8] = b[8]&0x3f | 0x80
		id := formatUUID(b[:])
		taken := false
		if err := s.env.Store.View(func(tx svc.Tx) error {
			taken = tx.Get(bucketKeys, id) != nil
			return nil
		}); err != nil {
			return "", errInternal("key id", err)
		}
		if !taken {
			return id, nil
		}
	}
	return "", errInternal("key id", errors.New("no unused key id"))
}

type keyIDInput struct {
	KeyID       string   `json:"KeyId"`
	GrantTokens []string `json:"GrantTokens"`
}

func (s *Service) describeKey(r *svc.Request) (any, error) {
	var in keyIDInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	k, err := s.describe(r, in.KeyID)
	if err != nil {
		return nil, err
	}
	return keyMetadataOutput{metadataOf(k.rec)}, nil
}

// describe is DescribeKey: it works in every key state.
func (s *Service) describe(r *svc.Request, keyID string) (target, error) {
	if err := s.ensureManagedFor(r, keyID); err != nil {
		return target{}, err
	}
	t, err := s.resolve(r, keyID)
	if err != nil {
		return target{}, err
	}
	return t, s.authorize(r, t, authz{action: "kms:DescribeKey", grantOp: "DescribeKey"})
}

type listInput struct {
	Limit  *int   `json:"Limit"`
	Marker string `json:"Marker"`
}

type listKeysOutput struct {
	Keys       []keyListEntry `json:"Keys"`
	NextMarker string         `json:"NextMarker,omitempty"`
	Truncated  bool           `json:"Truncated"`
}

func (s *Service) listKeys(r *svc.Request) (any, error) {
	var in listInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if err := s.authorizeAll(r, "kms:ListKeys", nil); err != nil {
		return nil, err
	}
	region := s.region(r)
	var all []keyListEntry
	err := s.env.Store.View(func(tx svc.Tx) error {
		return tx.ForEach(bucketKeys, func(id string, raw []byte) error {
			ck, err := s.cache.lookup(id, raw)
			if err != nil {
				return err
			}
			if k := ck.rec; k.Account == r.Caller.Account && k.Region == region && !k.gone(r.Now) {
				all = append(all, keyListEntry{KeyID: k.ID, KeyArn: ck.arn})
			}
			return nil
		})
	})
	if err != nil {
		return nil, errInternal("list keys", err)
	}
	page, next, err := paginate(all, in.Limit, in.Marker, 1000, 1000)
	if err != nil {
		return nil, err
	}
	return listKeysOutput{Keys: nonNil(page), NextMarker: next, Truncated: next != ""}, nil
}

func (s *Service) enableKey(r *svc.Request) (any, error) {
	return s.setEnabled(r, "kms:EnableKey", stateEnabled)
}

func (s *Service) disableKey(r *svc.Request) (any, error) {
	return s.setEnabled(r, "kms:DisableKey", stateDisabled)
}

func (s *Service) setEnabled(r *svc.Request, action, state string) (any, error) {
	var in keyIDInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	t, err := s.resolveAuthorized(r, in.KeyID, action)
	if err != nil {
		return nil, err
	}
	if err := notManaged(t); err != nil {
		return nil, err
	}
	return struct{}{}, s.updateKey(r, t.rec.ID, func(k *keyRecord) error {
		if k.State == statePendingDeletion {
			return errPendingDeletion(k.arn())
		}
		k.State = state
		return nil
	})
}

type updateDescriptionInput struct {
	KeyID       string `json:"KeyId"`
	Description string `json:"Description"`
}

func (s *Service) updateKeyDescription(r *svc.Request) (any, error) {
	var in updateDescriptionInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if len(in.Description) > 8192 {
		return nil, errConstraint("description", "Member must have length less than or equal to 8192")
	}
	t, err := s.resolveAuthorized(r, in.KeyID, "kms:UpdateKeyDescription")
	if err != nil {
		return nil, err
	}
	if err := notManaged(t); err != nil {
		return nil, err
	}
	return struct{}{}, s.updateKey(r, t.rec.ID, func(k *keyRecord) error {
		k.Description = in.Description
		return nil
	})
}

// resolveAuthorized resolves keyID and authorizes action on it (for
// management operations, which grants do not cover).
func (s *Service) resolveAuthorized(r *svc.Request, keyID, action string) (target, error) {
	t, err := s.resolve(r, keyID)
	if err != nil {
		return target{}, err
	}
	return t, s.authorize(r, t, authz{action: action})
}

// notManaged refuses to change an AWS managed key.
func notManaged(t target) error {
	if t.rec.Manager == "AWS" {
		return errUnsupported("%s is an AWS managed key; you cannot change it.", t.arn) // UNCONFIRMED wording
	}
	return nil
}

// updateKey applies fn to the stored record of key id in one transaction.
func (s *Service) updateKey(r *svc.Request, id string, fn func(k *keyRecord) error) error {
	return s.env.Store.Update(func(tx svc.Tx) error {
		ck, err := s.getKey(tx, id)
		if err != nil {
			return err
		}
		if ck == nil || ck.rec.gone(r.Now) {
			return errKeyNotFound(keyARN(s.region(r), r.Caller.Account, id))
		}
		k := cloneRecord(ck.rec)
		if err := fn(k); err != nil {
			return err
		}
		return putKey(tx, k)
	})
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
