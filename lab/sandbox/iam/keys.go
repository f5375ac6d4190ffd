package iam

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

const maxKeysPerUser = 2

type createAccessKeyResult struct {
	AccessKey xmlAccessKey `xml:"AccessKey"`
}

type listAccessKeysResult struct {
	AccessKeyMetadata []xmlAccessKey `xml:"AccessKeyMetadata>member"`
	IsTruncated       bool           `xml:"IsTruncated"`
}

// keyLabel binds a sealed secret to its access key ID.
func keyLabel(id string) []byte { return []byte("iam/accesskey/" + id) }

// newAccessKey creates and stores an active key for the user.
func (s *Service) newAccessKey(tx svc.Tx, account, user string, now time.Time) (*accessKey, string, error) {
	id := randomID(s.env.Rand, "AKIA", 16)
	secret := randomSecret(s.env.Rand)
	sealed, err := s.env.Sealer.Seal([]byte(secret), keyLabel(id))
	if err != nil {
		return nil, "", fmt.Errorf("seal access key: %w", err)
	}
	k := &accessKey{ID: id, Account: account, User: user, Sealed: sealed, Status: "Active", Created: now}
	if err := svc.PutJSON(tx, bucketKeys, id, k); err != nil {
		return nil, "", err
	}
	return k, secret, nil
}

// userKeys lists the user's access keys, oldest first.
func userKeys(tx svc.Tx, account, user string) ([]*accessKey, error) {
	var out []*accessKey
	err := tx.ForEach(bucketKeys, func(_ string, v []byte) error {
		var k accessKey
		if err := json.Unmarshal(v, &k); err != nil {
			return fmt.Errorf("read access key: %w", err)
		}
		if k.Account == account && k.User == user {
			out = append(out, &k)
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Created.Before(out[j].Created) })
	return out, err
}

func createAccessKey(s *Service, r *svc.Request, p params) (any, error) {
	name, err := callerUserName(r, p)
	if err != nil {
		return nil, err
	}
	acct := r.Caller.Account
	_, arn, err := s.lookupForAuth(userKind, acct, name)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(r, "CreateAccessKey", arn, ""); err != nil {
		return nil, err
	}
	var out xmlAccessKey
	err = s.update(func(tx svc.Tx) error {
		e, err := mustEntity(tx, userKind, acct, name)
		if err != nil {
			return err
		}
		keys, err := userKeys(tx, acct, e.Name)
		if err != nil {
			return err
		}
		if len(keys) >= maxKeysPerUser {
			return limitExceeded("Cannot exceed quota for AccessKeysPerUser: %d", maxKeysPerUser)
		}
		k, secret, err := s.newAccessKey(tx, acct, e.Name, r.Now)
		if err != nil {
			return err
		}
		out = xmlAccessKey{UserName: e.Name, AccessKeyID: k.ID, Status: k.Status, SecretAccessKey: secret, CreateDate: ts(k.Created)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	note(r, arn)
	return createAccessKeyResult{out}, nil
}

func listAccessKeys(s *Service, r *svc.Request, p params) (any, error) {
	name, err := callerUserName(r, p)
	if err != nil {
		return nil, err
	}
	acct := r.Caller.Account
	e, arn, err := s.lookupForAuth(userKind, acct, name)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(r, "ListAccessKeys", arn, ""); err != nil {
		return nil, err
	}
	if e == nil {
		return nil, noSuchEntity("The user with name %s cannot be found.", name)
	}
	var out []xmlAccessKey
	err = s.env.Store.View(func(tx svc.Tx) error {
		keys, err := userKeys(tx, acct, e.Name)
		for _, k := range keys {
			out = append(out, xmlAccessKey{UserName: k.User, AccessKeyID: k.ID, Status: k.Status, CreateDate: ts(k.Created)})
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return listAccessKeysResult{AccessKeyMetadata: out}, nil
}

// changeKey authorizes action and applies change (nil deletes the key).
func (s *Service) changeKey(r *svc.Request, p params, action string, change func(k *accessKey) error) error {
	id, err := p.required("AccessKeyId")
	if err != nil {
		return err
	}
	name, err := callerUserName(r, p)
	if err != nil {
		return err
	}
	acct := r.Caller.Account
	_, arn, err := s.lookupForAuth(userKind, acct, name)
	if err != nil {
		return err
	}
	if err := s.authorize(r, action, arn, ""); err != nil {
		return err
	}
	err = s.update(func(tx svc.Tx) error {
		if _, err := mustEntity(tx, userKind, acct, name); err != nil {
			return err
		}
		var k accessKey
		ok, err := svc.GetJSON(tx, bucketKeys, id, &k)
		if err != nil {
			return err
		}
		if !ok || k.Account != acct || !equalFold(k.User, name) {
			return noSuchEntity("The Access Key with id %s cannot be found.", id)
		}
		if change == nil {
			return tx.Delete(bucketKeys, id)
		}
		if err := change(&k); err != nil {
			return err
		}
		return svc.PutJSON(tx, bucketKeys, id, &k)
	})
	if err == nil {
		note(r, arn)
	}
	return err
}

func deleteAccessKey(s *Service, r *svc.Request, p params) (any, error) {
	return nil, s.changeKey(r, p, "DeleteAccessKey", nil)
}

func updateAccessKey(s *Service, r *svc.Request, p params) (any, error) {
	status := p.get("Status")
	if status != "Active" && status != "Inactive" {
		return nil, validationError("status", status, "Member must satisfy enum value set: [Active, Inactive]")
	}
	return nil, s.changeKey(r, p, "UpdateAccessKey", func(k *accessKey) error {
		k.Status = status
		return nil
	})
}
