package kms

import (
	"strings"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// target is the key a request's KeyId named.
type target struct {
	*cachedKey
	// alias is the alias name ("alias/demo") when the caller named the key
	// by alias; it becomes kms:RequestAlias.
	alias string
}

// region is the Region a request addresses.
func (s *Service) region(r *svc.Request) string {
	if r.Region != "" {
		return r.Region
	}
	return s.env.Region
}

// resolve finds the key keyID names: a key ID, key ARN, alias name or alias
// ARN. Keys in another account must be named by ARN. Keys whose deletion
// date has passed do not exist.
func (s *Service) resolve(r *svc.Request, keyID string) (target, error) {
	if keyID == "" {
		return target{}, errNull("keyId")
	}
	if len(keyID) > 2048 {
		return target{}, errConstraint("keyId", "Member must have length less than or equal to 2048")
	}
	account, region, res := r.Caller.Account, s.region(r), keyID
	if strings.HasPrefix(keyID, "arn:") {
		p := strings.SplitN(keyID, ":", 6)
		if len(p) != 6 || p[1] != "aws" || p[2] != "kms" || p[3] == "" || p[4] == "" {
			return target{}, errInvalidKeyID(keyID)
		}
		region, account, res = p[3], p[4], p[5]
		switch {
		case strings.HasPrefix(res, "key/"):
			res = res[len("key/"):]
			if !isKeyID(res) {
				return target{}, errInvalidKeyID(keyID)
			}
		case strings.HasPrefix(res, "alias/"):
		default:
			return target{}, errInvalidKeyID(keyID)
		}
	} else if !strings.HasPrefix(res, "alias/") && !isKeyID(res) {
		return target{}, errInvalidKeyID(keyID)
	}
	gs, cached := s.env.Store.(svc.Generational)
	var gen uint64
	rk := resolveKey{account, region, res}
	if cached {
		gen = gs.Generation()
		if t, ok := s.resolved.get(gen, rk); ok && !t.rec.gone(r.Now) {
			return t, nil
		}
	}
	var t target
	err := s.env.Store.View(func(tx svc.Tx) error {
		var err error
		t, err = s.lookupIn(tx, r, account, region, res)
		return err
	})
	if err == nil && cached {
		s.resolved.put(gen, rk, t)
	}
	return t, err
}

// lookupIn resolves res (a key ID or "alias/name") in account and region.
func (s *Service) lookupIn(tx svc.Tx, r *svc.Request, account, region, res string) (target, error) {
	id, alias := res, ""
	if strings.HasPrefix(res, "alias/") {
		alias = res
		a, err := getAlias(tx, account, region, res)
		if err != nil {
			return target{}, errInternal("read alias", err)
		}
		if a == nil {
			return target{}, errAliasNotFound(aliasARN(region, account, res))
		}
		id = a.TargetKeyID
	}
	ck, err := s.getKey(tx, id)
	if err != nil {
		return target{}, err
	}
	if ck == nil || ck.rec.Account != account || ck.rec.Region != region || ck.rec.gone(r.Now) {
		if alias != "" {
			return target{}, errAliasNotFound(aliasARN(region, account, res))
		}
		return target{}, errKeyNotFound(keyARN(region, account, id))
	}
	return target{cachedKey: ck, alias: alias}, nil
}

// isKeyID reports whether id has the shape of a key ID (a UUID). Multi-
// Region key IDs ("mrk-…") are not emulated.
func isKeyID(id string) bool {
	if len(id) != 36 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// checkUsable is the key-state gate of cryptographic operations, applied
// after authorization as AWS does.
func checkUsable(k *keyRecord, arn string) error {
	switch k.State {
	case stateEnabled:
		return nil
	case stateDisabled:
		return errDisabled(arn)
	case statePendingDeletion:
		return errPendingDeletion(arn)
	}
	return kmsErr("KMSInvalidStateException", "%s is %s.", arn, strings.ToLower(k.State))
}

// checkUsage refuses op on a key whose usage is not want.
func checkUsage(t target, want, op string) error {
	if t.rec.Usage != want {
		return errKeyUsage(t.arn, t.rec.Usage, op)
	}
	return nil
}
