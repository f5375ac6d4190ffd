package secretsmanager

import (
	"time"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

type deleteSecretInput struct {
	SecretID                   string `json:"SecretId"`
	RecoveryWindowInDays       *int64 `json:"RecoveryWindowInDays"`
	ForceDeleteWithoutRecovery bool   `json:"ForceDeleteWithoutRecovery"`
}

type deleteSecretOutput struct {
	ARN          string `json:"ARN"`
	Name         string `json:"Name"`
	DeletionDate *epoch `json:"DeletionDate"`
}

// deleteSecret schedules deletion after a recovery window (default 30 days,
// 7–30) or deletes at once with ForceDeleteWithoutRecovery. The sandbox's
// virtual clock ends the window: the secret is gone once it passes.
func (s *Service) deleteSecret(r *svc.Request) (any, error) {
	var in deleteSecretInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if err := validSecretID(in.SecretID); err != nil {
		return nil, err
	}
	if in.RecoveryWindowInDays != nil && (*in.RecoveryWindowInDays < 7 || *in.RecoveryWindowInDays > 30) {
		return nil, errInvalidParameter("The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).")
	}
	if in.RecoveryWindowInDays != nil && in.ForceDeleteWithoutRecovery {
		return nil, errInvalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.")
	}
	l, err := s.resolve(r, in.SecretID)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(r, access{action: "DeleteSecret", id: in.SecretID, l: l}); err != nil {
		return nil, err
	}
	if l.sec == nil {
		return nil, errNotFound()
	}
	t := now(r)
	if in.ForceDeleteWithoutRecovery {
		err := s.env.Store.Update(func(tx svc.Tx) error {
			var sec secret
			ok, err := svc.GetJSON(tx, bucketSecrets, l.sec.ARN, &sec)
			if err != nil || !ok {
				return err
			}
			return purge(tx, &sec)
		})
		if err != nil {
			return nil, err
		}
		return deleteSecretOutput{ARN: l.sec.ARN, Name: l.sec.Name, DeletionDate: ts(t)}, nil
	}
	days := int64(30)
	if in.RecoveryWindowInDays != nil {
		days = *in.RecoveryWindowInDays
	}
	sec, err := s.mutate(r, l.sec.ARN, func(sec *secret) error {
		if sec.scheduled() {
			return errMarkedForDeletion()
		}
		sec.Deleted, sec.LastChanged = t, t
		sec.DeletionDate = t.Add(time.Duration(days) * 24 * time.Hour)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return deleteSecretOutput{ARN: sec.ARN, Name: sec.Name, DeletionDate: ts(sec.DeletionDate)}, nil
}

// restoreSecret cancels a scheduled deletion.
func (s *Service) restoreSecret(r *svc.Request) (any, error) {
	var in describeSecretInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if err := validSecretID(in.SecretID); err != nil {
		return nil, err
	}
	l, err := s.resolve(r, in.SecretID)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(r, access{action: "RestoreSecret", id: in.SecretID, l: l}); err != nil {
		return nil, err
	}
	if l.sec == nil {
		return nil, errNotFound()
	}
	sec, err := s.mutate(r, l.sec.ARN, func(sec *secret) error {
		sec.Deleted, sec.DeletionDate = time.Time{}, time.Time{}
		sec.LastChanged = now(r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return arnName{ARN: sec.ARN, Name: sec.Name}, nil
}
