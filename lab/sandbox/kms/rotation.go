package kms

import (
	"time"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// Rotation adds a key version; old versions stay, so ciphertext made
// before a rotation still decrypts. Automatic rotation follows the sandbox
// clock: a key whose rotation date has passed rotates when next used.

const maxOnDemandRotations = 25

type rotationInput struct {
	KeyID                string `json:"KeyId"`
	RotationPeriodInDays *int   `json:"RotationPeriodInDays"`
}

// rotatable refuses rotation requests for keys that cannot rotate (the
// message is UNCONFIRMED).
func rotatable(t target) error {
	if t.rec.Spec != specSymmetric {
		return errUnsupported("%s does not support key rotation: only symmetric encryption KMS keys rotate.", t.arn)
	}
	return nil
}

func (s *Service) enableKeyRotation(r *svc.Request) (any, error) {
	var in rotationInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	days := 365
	if in.RotationPeriodInDays != nil {
		days = *in.RotationPeriodInDays
		if days < 90 || days > 2560 {
			return nil, errConstraint("rotationPeriodInDays", boundMessage(days, 90, 2560))
		}
	}
	t, err := s.resolveAuthorized(r, in.KeyID, "kms:EnableKeyRotation")
	if err != nil {
		return nil, err
	}
	if err := notManaged(t); err != nil {
		return nil, err
	}
	if err := checkUsable(t.rec, t.arn); err != nil {
		return nil, err
	}
	if err := rotatable(t); err != nil {
		return nil, err
	}
	return struct{}{}, s.updateKey(r, t.rec.ID, func(k *keyRecord) error {
		k.Rotation = rotation{Enabled: true, PeriodDays: days, Next: r.Now.Add(time.Duration(days) * 24 * time.Hour)}
		return nil
	})
}

func (s *Service) disableKeyRotation(r *svc.Request) (any, error) {
	var in rotationInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	t, err := s.resolveAuthorized(r, in.KeyID, "kms:DisableKeyRotation")
	if err != nil {
		return nil, err
	}
	if err := notManaged(t); err != nil {
		return nil, err
	}
	if err := checkUsable(t.rec, t.arn); err != nil {
		return nil, err
	}
	if err := rotatable(t); err != nil {
		return nil, err
	}
	return struct{}{}, s.updateKey(r, t.rec.ID, func(k *keyRecord) error {
		k.Rotation = rotation{}
		return nil
	})
}

type rotationStatusOutput struct {
	KeyRotationEnabled   bool   `json:"KeyRotationEnabled"`
	KeyID                string `json:"KeyId"`
	RotationPeriodInDays *int   `json:"RotationPeriodInDays,omitempty"`
	NextRotationDate     *epoch `json:"NextRotationDate,omitempty"`
}

func (s *Service) getKeyRotationStatus(r *svc.Request) (any, error) {
	var in rotationInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	t, err := s.resolveAuthorized(r, in.KeyID, "kms:GetKeyRotationStatus")
	if err != nil {
		return nil, err
	}
	if t.rec.State == statePendingDeletion {
		return nil, errPendingDeletion(t.arn)
	}
	if err := rotatable(t); err != nil {
		return nil, err
	}
	out := rotationStatusOutput{KeyRotationEnabled: t.rec.Rotation.Enabled, KeyID: t.arn}
	if rot := t.rec.Rotation; rot.Enabled {
		days := rot.PeriodDays
		out.RotationPeriodInDays, out.NextRotationDate = &days, epochPtr(rot.Next)
	}
	return out, nil
}

func (s *Service) rotateKeyOnDemand(r *svc.Request) (any, error) {
	var in rotationInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	t, err := s.resolveAuthorized(r, in.KeyID, "kms:RotateKeyOnDemand")
	if err != nil {
		return nil, err
	}
	if err := notManaged(t); err != nil {
		return nil, err
	}
	if err := checkUsable(t.rec, t.arn); err != nil {
		return nil, err
	}
	if err := rotatable(t); err != nil {
		return nil, err
	}
	n := 0
	for _, v := range t.rec.Versions {
		if v.OnDemand {
			n++
		}
	}
	if n >= maxOnDemandRotations {
		return nil, kmsErr("LimitExceededException", "The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be performed for this key: %s", t.arn)
	}
	return keyIDOutput{t.arn}, s.rotate(r, t.rec.ID, true)
}

// rotate adds a key version to key id.
func (s *Service) rotate(r *svc.Request, id string, onDemand bool) error {
	return s.updateKey(r, id, func(k *keyRecord) error {
		v, err := s.newVersion(k.ID, k.Spec, len(k.Versions))
		if err != nil {
			return err
		}
		v.Created, v.OnDemand = r.Now, onDemand
		k.Versions = append(k.Versions, v)
		if !onDemand && k.Rotation.Enabled {
			for !k.Rotation.Next.After(r.Now) {
				k.Rotation.Next = k.Rotation.Next.Add(time.Duration(k.Rotation.PeriodDays) * 24 * time.Hour)
			}
		}
		return nil
	})
}

// rotateIfDue performs an automatic rotation of symmetric key t when its
// rotation date has passed on the sandbox clock, and returns the key as it
// is afterwards.
func (s *Service) rotateIfDue(r *svc.Request, t target) (target, error) {
	rot := t.rec.Rotation
	if !rot.Enabled || rot.PeriodDays <= 0 || r.Now.Before(rot.Next) || t.rec.State != stateEnabled {
		return t, nil
	}
	if err := s.rotate(r, t.rec.ID, false); err != nil {
		return t, err
	}
	alias := t.alias
	err := s.env.Store.View(func(tx svc.Tx) error {
		ck, err := s.getKey(tx, t.rec.ID)
		if err == nil && ck != nil {
			t = target{cachedKey: ck, alias: alias}
		}
		return err
	})
	return t, err
}

type rotationEntry struct {
	KeyID         string `json:"KeyId"`
	KeyMaterialID string `json:"KeyMaterialId"`
	RotationDate  epoch  `json:"RotationDate"`
	RotationType  string `json:"RotationType"`
}

type listRotationsOutput struct {
	Rotations  []rotationEntry `json:"Rotations"`
	NextMarker string          `json:"NextMarker,omitempty"`
	Truncated  bool            `json:"Truncated"`
}

func (s *Service) listKeyRotations(r *svc.Request) (any, error) {
	var in struct {
		KeyID  string `json:"KeyId"`
		Limit  *int   `json:"Limit"`
		Marker string `json:"Marker"`
	}
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	t, err := s.resolveAuthorized(r, in.KeyID, "kms:ListKeyRotations")
	if err != nil {
		return nil, err
	}
	if err := rotatable(t); err != nil {
		return nil, err
	}
	var all []rotationEntry
	for _, v := range t.rec.Versions[1:] {
		typ := "AUTOMATIC"
		if v.OnDemand {
			typ = "ON_DEMAND"
		}
		all = append(all, rotationEntry{KeyID: t.arn, KeyMaterialID: v.MaterialID, RotationDate: epoch(v.Created), RotationType: typ})
	}
	page, next, err := paginate(all, in.Limit, in.Marker, 100, 1000)
	if err != nil {
		return nil, err
	}
	return listRotationsOutput{Rotations: nonNil(page), NextMarker: next, Truncated: next != ""}, nil
}
