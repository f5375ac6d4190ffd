package secretsmanager

import (
	"strings"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

type updateSecretInput struct {
	SecretID           string  `json:"SecretId"`
	ClientRequestToken string  `json:"ClientRequestToken"`
	Description        *string `json:"Description"`
	KmsKeyID           *string `json:"KmsKeyId"`
	SecretBinary       []byte  `json:"SecretBinary"`
	SecretString       *string `json:"SecretString"`
}

type updateSecretOutput struct {
	ARN       string `json:"ARN"`
	Name      string `json:"Name"`
	VersionID string `json:"VersionId,omitempty"`
}

// updateSecret changes a secret's description, key and/or value. A new
// value becomes a new AWSCURRENT version under the (new) key; a new key with
// no value re-encrypts the AWSCURRENT, AWSPENDING and AWSPREVIOUS versions
// under it.
func (s *Service) updateSecret(r *svc.Request) (any, error) {
	var in updateSecretInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	val := value{str: in.SecretString, bin: in.SecretBinary}
	for _, err := range []error{validSecretID(in.SecretID), validToken("clientRequestToken", in.ClientRequestToken),
		validDescription(in.Description), val.check()} {
		if err != nil {
			return nil, err
		}
	}
	l, err := s.resolve(r, in.SecretID)
	if err != nil {
		return nil, err
	}
	ctx := map[string][]string{}
	if in.Description != nil {
		addString(ctx, "secretsmanager:Description", *in.Description)
	}
	if in.KmsKeyID != nil {
		addString(ctx, "secretsmanager:KmsKeyId", *in.KmsKeyID)
	}
	if err := s.authorize(r, access{action: "UpdateSecret", id: in.SecretID, l: l, ctx: ctx}); err != nil {
		return nil, err
	}
	sec := l.sec
	if sec == nil {
		return nil, errNotFound()
	}
	if sec.scheduled() {
		return nil, errMarkedForDeletion()
	}
	out := updateSecretOutput{ARN: sec.ARN, Name: sec.Name}

	keyChanged := false
	work := sec.clone()
	if in.KmsKeyID != nil {
		id := *in.KmsKeyID
		if isDefaultKey(id) {
			id = ""
		}
		// The secret's key named as given or by its ARN is no change; an
		// alias of the same key counts as one, which only re-encrypts under
		// the same key.
		if id != sec.KmsKeyID && !(id != "" && id == sec.KeyARN) {
			keyChanged = true
			work.KmsKeyID, work.KeyARN = id, ""
		}
	}
	var newVersion *version
	var reencrypted []*version
	switch {
	case val.present():
		v, done, err := s.prepareVersion(r, work, in.ClientRequestToken, val, []string{stageCurrent})
		if err != nil {
			return nil, err
		}
		if done != nil {
			out.VersionID = done.ID
		} else {
			newVersion = v
			out.VersionID = v.ID
			work.KeyARN = v.KeyARN
		}
	case keyChanged:
		if reencrypted, err = s.reencrypt(r, work); err != nil {
			return nil, err
		}
		if len(reencrypted) == 0 {
			if work.KeyARN, err = s.checkKey(r, sec.ARN, keyFor(work)); err != nil {
				return nil, err
			}
		} else if len(reencrypted) > 0 {
			work.KeyARN = reencrypted[0].KeyARN
		}
	}
	_, err = s.mutate(r, sec.ARN, func(cur *secret) error {
		if cur.scheduled() {
			return errMarkedForDeletion()
		}
		if in.Description != nil {
			cur.Description = *in.Description
		}
		if keyChanged || newVersion != nil {
			cur.KmsKeyID, cur.KeyARN = work.KmsKeyID, work.KeyARN
		}
		for _, v := range reencrypted {
			if old := cur.version(v.ID); old != nil {
				old.KeyARN, old.DataKey, old.Sealed = v.KeyARN, v.DataKey, v.Sealed
			}
		}
		cur.LastChanged = now(r)
		if newVersion != nil {
			if cur.version(newVersion.ID) != nil {
				return errVersionExists()
			}
			return cur.addVersion(newVersion, now(r))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// prepareVersion encrypts val as a new version of sec carrying stages. A
// token that names an existing version makes the call idempotent: the same
// value returns that version as done, another value is an error.
func (s *Service) prepareVersion(r *svc.Request, sec *secret, token string, val value, stages []string) (v, done *version, err error) {
	if token != "" {
		if old := sec.version(token); old != nil {
			same, err := s.sameAs(r, sec, old, val)
			if err != nil {
				return nil, nil, err
			}
			if !same {
				return nil, nil, errVersionExists()
			}
			return nil, old, nil
		}
	}
	v, err = s.newVersion(r, sec, keyFor(sec), token, val, stages)
	return v, nil, err
}

// reencrypt decrypts the labeled versions (AWSCURRENT, AWSPENDING,
// AWSPREVIOUS) with their old key and encrypts them under sec's key.
func (s *Service) reencrypt(r *svc.Request, sec *secret) ([]*version, error) {
	var out []*version
	for _, v := range sec.Versions {
		if !hasString(v.Stages, stageCurrent) && !hasString(v.Stages, stagePending) && !hasString(v.Stages, stagePrevious) {
			continue
		}
		plain, err := s.open(r, sec.ARN, v)
		if err != nil {
			return nil, err
		}
		nv := &version{ID: v.ID}
		err = s.seal(r, sec.ARN, keyFor(sec), nv, plain)
		clear(plain)
		if err != nil {
			return nil, err
		}
		out = append(out, nv)
	}
	return out, nil
}

func isDefaultKey(id string) bool {
	return id == defaultKeyAlias || (strings.HasPrefix(id, "arn:") && strings.HasSuffix(id, ":"+defaultKeyAlias))
}

type describeSecretInput struct {
	SecretID string `json:"SecretId"`
}

func (s *Service) describeSecret(r *svc.Request) (any, error) {
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
	if err := s.authorize(r, access{action: "DescribeSecret", id: in.SecretID, l: l}); err != nil {
		return nil, err
	}
	if l.sec == nil {
		return nil, errNotFound()
	}
	e := entryFor(l.sec)
	e.VersionIdsToStages = l.sec.stageMap()
	return e, nil
}
