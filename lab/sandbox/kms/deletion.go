package kms

import (
	"time"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// Key deletion: a key scheduled for deletion waits PendingWindowInDays on
// the sandbox clock, then no longer exists (aws-semantics §3.6).

type scheduleInput struct {
	KeyID               string `json:"KeyId"`
	PendingWindowInDays *int   `json:"PendingWindowInDays"`
}

type scheduleOutput struct {
	KeyID               string `json:"KeyId"`
	DeletionDate        epoch  `json:"DeletionDate"`
	KeyState            string `json:"KeyState"`
	PendingWindowInDays int    `json:"PendingWindowInDays"`
}

func (s *Service) scheduleKeyDeletion(r *svc.Request) (any, error) {
	var in scheduleInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	days := 30
	if in.PendingWindowInDays != nil {
		days = *in.PendingWindowInDays
	}
	t, err := s.resolveAuthorized(r, in.KeyID, "kms:ScheduleKeyDeletion")
	if err != nil {
		return nil, err
	}
	if err := notManaged(t); err != nil {
		return nil, err
	}
	if days < 7 || days > 30 {
		return nil, errValidation("PendingWindowInDays must be between 7 and 30")
	}
	var out scheduleOutput
	err = s.updateKey(r, t.rec.ID, func(k *keyRecord) error {
		if k.State == statePendingDeletion {
			return errPendingDeletion(k.arn())
		}
		k.State, k.PendingDays = statePendingDeletion, days
		k.DeletionDate = r.Now.Add(time.Duration(days) * 24 * time.Hour)
		out = scheduleOutput{KeyID: k.arn(), DeletionDate: epoch(k.DeletionDate), KeyState: k.State, PendingWindowInDays: days}
		return nil
	})
	return out, err
}

type keyIDOutput struct {
	KeyID string `json:"KeyId"`
}

func (s *Service) cancelKeyDeletion(r *svc.Request) (any, error) {
	var in keyIDInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	t, err := s.resolveAuthorized(r, in.KeyID, "kms:CancelKeyDeletion")
	if err != nil {
		return nil, err
	}
	return keyIDOutput{t.arn}, s.updateKey(r, t.rec.ID, func(k *keyRecord) error {
		if k.State != statePendingDeletion {
			return errNotPendingDeletion(k.arn())
		}
		// A cancelled deletion leaves the key Disabled (aws-semantics §3.6).
		k.State, k.PendingDays, k.DeletionDate = stateDisabled, 0, time.Time{}
		return nil
	})
}

// purgeExpired removes keys whose deletion date has passed, with their
// aliases and grants. Reads already treat such keys as absent; this only
// reclaims space, so its errors are not the caller's concern.
func (s *Service) purgeExpired(tx svc.Tx, now time.Time) {
	var dead []*keyRecord
	_ = tx.ForEach(bucketKeys, func(id string, raw []byte) error {
		if ck, err := s.cache.lookup(id, raw); err == nil && ck.rec.gone(now) {
			dead = append(dead, ck.rec)
		}
		return nil
	})
	for _, k := range dead {
		_ = tx.Delete(bucketKeys, k.ID)
		for _, a := range k.Aliases {
			_ = tx.Delete(bucketAliases, aliasStoreKey(k.Account, k.Region, a))
		}
		deleteGrantsOf(tx, k.ID)
	}
}
