package iam

import (
	"slices"
	"strings"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

const maxUsers = 5000

type userResult struct {
	User xmlUser `xml:"User"`
}

type listUsersResult struct {
	Users       []xmlUser `xml:"Users>member"`
	IsTruncated bool      `xml:"IsTruncated"`
	Marker      string    `xml:"Marker,omitempty"`
}

// lookupForAuth reads an entity (nil when absent) and the ARN to authorize
// against: the entity's own, or the root-path ARN for a name that does not
// exist (authorization comes before the existence check, as in AWS).
func (s *Service) lookupForAuth(k *kind, account, name string) (*entity, string, error) {
	var e *entity
	err := s.env.Store.View(func(tx svc.Tx) error {
		var err error
		e, err = getEntity(tx, k, account, name)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	if e != nil {
		return e, e.ARN, nil
	}
	return nil, arnFor(account, k.name, "/", name), nil
}

func createUser(s *Service, r *svc.Request, p params) (any, error) {
	name, err := p.name("UserName", 64)
	if err != nil {
		return nil, err
	}
	path, err := p.path()
	if err != nil {
		return nil, err
	}
	tags, err := p.tags()
	if err != nil {
		return nil, err
	}
	acct := r.Caller.Account
	arn := arnFor(acct, "user", path, name)
	if err := s.authorize(r, "CreateUser", arn, ""); err != nil {
		return nil, err
	}
	boundary := p.get("PermissionsBoundary")
	e := &entity{Kind: "user", Account: acct, Name: name, Path: path, ID: randomID(s.env.Rand, "AIDA", 17),
		ARN: arn, Created: r.Now, Tags: tags}
	err = s.update(func(tx svc.Tx) error {
		if old, err := getEntity(tx, userKind, acct, name); err != nil || old != nil {
			if err != nil {
				return err
			}
			return alreadyExists("User with name %s already exists.", name)
		}
		if boundary != "" {
			if err := checkBoundary(tx, boundary); err != nil {
				return err
			}
			e.Boundary = boundary
		}
		all, err := listEntities(tx, userKind, acct)
		if err != nil {
			return err
		}
		if len(all) >= maxUsers {
			return limitExceeded("Cannot exceed quota for UsersPerAccount: %d", maxUsers)
		}
		return putEntity(tx, userKind, e)
	})
	if err != nil {
		return nil, err
	}
	note(r, arn)
	return userResult{e.userXML()}, nil
}

// callerUserName is the user an operation without UserName applies to.
func callerUserName(r *svc.Request, p params) (string, error) {
	if p.has("UserName") {
		return p.name("UserName", 128)
	}
	if r.Caller.Type != svc.CallerUser {
		return "", svc.Errorf(400, "ValidationError", "Must specify userName when calling with non-User credentials")
	}
	return r.Caller.Name, nil
}

func getUser(s *Service, r *svc.Request, p params) (any, error) {
	name, err := callerUserName(r, p)
	if err != nil {
		return nil, err
	}
	e, arn, err := s.lookupForAuth(userKind, r.Caller.Account, name)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(r, "GetUser", arn, ""); err != nil {
		return nil, err
	}
	if e == nil {
		return nil, noSuchEntity("The user with name %s cannot be found.", name)
	}
	note(r, arn)
	return userResult{e.userXML()}, nil
}

func listUsers(s *Service, r *svc.Request, p params) (any, error) {
	start, max, err := p.page()
	if err != nil {
		return nil, err
	}
	acct := r.Caller.Account
	if err := s.authorize(r, "ListUsers", "arn:aws:iam::"+acct+":user/", ""); err != nil {
		return nil, err
	}
	prefix := p.get("PathPrefix")
	var users []xmlUser
	err = s.env.Store.View(func(tx svc.Tx) error {
		all, err := listEntities(tx, userKind, acct)
		for _, e := range all {
			if prefix == "" || strings.HasPrefix(e.Path, prefix) {
				x := e.userXML()
				x.Tags = nil // ListUsers does not return tags
				users = append(users, x)
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	page, trunc, marker := paginate(users, start, max)
	return listUsersResult{page, trunc, marker}, nil
}

func deleteUser(s *Service, r *svc.Request, p params) (any, error) {
	name, err := p.name("UserName", 128)
	if err != nil {
		return nil, err
	}
	acct := r.Caller.Account
	_, arn, err := s.lookupForAuth(userKind, acct, name)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(r, "DeleteUser", arn, ""); err != nil {
		return nil, err
	}
	err = s.update(func(tx svc.Tx) error {
		e, err := mustEntity(tx, userKind, acct, name)
		if err != nil {
			return err
		}
		if len(e.Inline) > 0 {
			return deleteConflict("Cannot delete entity, must delete policies first.")
		}
		if len(e.Attached) > 0 {
			return deleteConflict("Cannot delete entity, must detach all policies first.")
		}
		keys, err := userKeys(tx, acct, e.Name)
		if err != nil {
			return err
		}
		if len(keys) > 0 || len(e.Groups) > 0 {
			return deleteConflict("Cannot delete entity, must remove referenced objects first.")
		}
		return tx.Delete(userKind.bucket, entityKey(acct, name))
	})
	if err != nil {
		return nil, err
	}
	note(r, arn)
	return nil, nil
}

func updateUser(s *Service, r *svc.Request, p params) (any, error) {
	name, err := p.name("UserName", 128)
	if err != nil {
		return nil, err
	}
	newName := name
	if p.has("NewUserName") {
		if newName, err = p.name("NewUserName", 64); err != nil {
			return nil, err
		}
	}
	var newPath string
	if p.has("NewPath") {
		pp := params{map[string][]string{"Path": {p.get("NewPath")}}}
		if newPath, err = pp.path(); err != nil {
			return nil, err
		}
	}
	acct := r.Caller.Account
	_, arn, err := s.lookupForAuth(userKind, acct, name)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(r, "UpdateUser", arn, ""); err != nil {
		return nil, err
	}
	err = s.update(func(tx svc.Tx) error {
		e, err := mustEntity(tx, userKind, acct, name)
		if err != nil {
			return err
		}
		if !strings.EqualFold(newName, name) {
			if other, err := getEntity(tx, userKind, acct, newName); err != nil || other != nil {
				if err != nil {
					return err
				}
				return alreadyExists("User with name %s already exists.", newName)
			}
		}
		keys, err := userKeys(tx, acct, e.Name)
		if err != nil {
			return err
		}
		for _, k := range keys {
			k.User = newName
			if err := svc.PutJSON(tx, bucketKeys, k.ID, k); err != nil {
				return err
			}
		}
		if err := tx.Delete(userKind.bucket, entityKey(acct, e.Name)); err != nil {
			return err
		}
		if newPath != "" {
			e.Path = newPath
		}
		e.Name = newName
		e.ARN = arnFor(acct, "user", e.Path, e.Name)
		return putEntity(tx, userKind, e)
	})
	if err != nil {
		return nil, err
	}
	note(r, arn)
	return nil, nil
}

type listTagsResult struct {
	Tags        []Tag `xml:"Tags>member"`
	IsTruncated bool  `xml:"IsTruncated"`
}

func tagEntity(k *kind) handler {
	return func(s *Service, r *svc.Request, p params) (any, error) {
		name, err := p.name(k.param, 128)
		if err != nil {
			return nil, err
		}
		tags, err := p.tags()
		if err != nil {
			return nil, err
		}
		return nil, s.modifyEntity(r, k, "Tag"+k.title, name, func(tx svc.Tx, e *entity) error {
			for _, t := range tags {
				i := slices.IndexFunc(e.Tags, func(x Tag) bool { return x.Key == t.Key })
				if i >= 0 {
					e.Tags[i].Value = t.Value
				} else {
					e.Tags = append(e.Tags, t)
				}
			}
			if len(e.Tags) > 50 {
				return limitExceeded("The number of tags has reached the maximum limit.")
			}
			return nil
		})
	}
}

func untagEntity(k *kind) handler {
	return func(s *Service, r *svc.Request, p params) (any, error) {
		name, err := p.name(k.param, 128)
		if err != nil {
			return nil, err
		}
		keys := p.list("TagKeys")
		return nil, s.modifyEntity(r, k, "Untag"+k.title, name, func(tx svc.Tx, e *entity) error {
			e.Tags = slices.DeleteFunc(e.Tags, func(t Tag) bool { return slices.Contains(keys, t.Key) })
			return nil
		})
	}
}

func listEntityTags(k *kind) handler {
	return func(s *Service, r *svc.Request, p params) (any, error) {
		name, err := p.name(k.param, 128)
		if err != nil {
			return nil, err
		}
		e, arn, err := s.lookupForAuth(k, r.Caller.Account, name)
		if err != nil {
			return nil, err
		}
		if err := s.authorize(r, "List"+k.title+"Tags", arn, ""); err != nil {
			return nil, err
		}
		if e == nil {
			return nil, noSuchEntity("The %s with name %s cannot be found.", k.name, name)
		}
		return listTagsResult{Tags: e.Tags}, nil
	}
}

// modifyEntity authorizes action on the named entity and applies change
// to it in one write transaction.
func (s *Service) modifyEntity(r *svc.Request, k *kind, action, name string, change func(tx svc.Tx, e *entity) error) error {
	acct := r.Caller.Account
	_, arn, err := s.lookupForAuth(k, acct, name)
	if err != nil {
		return err
	}
	if err := s.authorize(r, action, arn, ""); err != nil {
		return err
	}
	err = s.update(func(tx svc.Tx) error {
		e, err := mustEntity(tx, k, acct, name)
		if err != nil {
			return err
		}
		if err := change(tx, e); err != nil {
			return err
		}
		return putEntity(tx, k, e)
	})
	if err == nil {
		note(r, arn)
	}
	return err
}
