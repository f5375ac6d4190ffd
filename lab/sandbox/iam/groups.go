package iam

import (
	"slices"
	"strings"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

const maxGroupsPerUser = 10

type groupResult struct {
	Group xmlGroup `xml:"Group"`
}

type getGroupResult struct {
	Group       xmlGroup  `xml:"Group"`
	Users       []xmlUser `xml:"Users>member"`
	IsTruncated bool      `xml:"IsTruncated"`
}

type listGroupsResult struct {
	Groups      []xmlGroup `xml:"Groups>member"`
	IsTruncated bool       `xml:"IsTruncated"`
	Marker      string     `xml:"Marker,omitempty"`
}

func createGroup(s *Service, r *svc.Request, p params) (any, error) {
	name, err := p.name("GroupName", 128)
	if err != nil {
		return nil, err
	}
	path, err := p.path()
	if err != nil {
		return nil, err
	}
	acct := r.Caller.Account
	arn := arnFor(acct, "group", path, name)
	if err := s.authorize(r, "CreateGroup", arn, ""); err != nil {
		return nil, err
	}
	e := &entity{Kind: "group", Account: acct, Name: name, Path: path, ID: randomID(s.env.Rand, "AGPA", 17), ARN: arn, Created: r.Now}
	err = s.update(func(tx svc.Tx) error {
		if old, err := getEntity(tx, groupKind, acct, name); err != nil || old != nil {
			if err != nil {
				return err
			}
			return alreadyExists("Group with name %s already exists.", name)
		}
		return putEntity(tx, groupKind, e)
	})
	if err != nil {
		return nil, err
	}
	note(r, arn)
	return groupResult{e.groupXML()}, nil
}

// groupMembers lists the users in group, sorted by name.
func groupMembers(tx svc.Tx, account, group string) ([]*entity, error) {
	users, err := listEntities(tx, userKind, account)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(users, func(u *entity) bool {
		return !slices.ContainsFunc(u.Groups, func(g string) bool { return strings.EqualFold(g, group) })
	}), nil
}

func getGroup(s *Service, r *svc.Request, p params) (any, error) {
	name, err := p.name("GroupName", 128)
	if err != nil {
		return nil, err
	}
	acct := r.Caller.Account
	_, arn, err := s.lookupForAuth(groupKind, acct, name)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(r, "GetGroup", arn, ""); err != nil {
		return nil, err
	}
	var out getGroupResult
	err = s.env.Store.View(func(tx svc.Tx) error {
		g, err := mustEntity(tx, groupKind, acct, name)
		if err != nil {
			return err
		}
		out.Group = g.groupXML()
		members, err := groupMembers(tx, acct, g.Name)
		for _, u := range members {
			x := u.userXML()
			x.Tags = nil
			out.Users = append(out.Users, x)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func listGroups(s *Service, r *svc.Request, p params) (any, error) {
	start, max, err := p.page()
	if err != nil {
		return nil, err
	}
	acct := r.Caller.Account
	if err := s.authorize(r, "ListGroups", "arn:aws:iam::"+acct+":group/", ""); err != nil {
		return nil, err
	}
	prefix := p.get("PathPrefix")
	var groups []xmlGroup
	err = s.env.Store.View(func(tx svc.Tx) error {
		all, err := listEntities(tx, groupKind, acct)
		for _, g := range all {
			if prefix == "" || strings.HasPrefix(g.Path, prefix) {
				groups = append(groups, g.groupXML())
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	page, trunc, marker := paginate(groups, start, max)
	return listGroupsResult{page, trunc, marker}, nil
}

func deleteGroup(s *Service, r *svc.Request, p params) (any, error) {
	name, err := p.name("GroupName", 128)
	if err != nil {
		return nil, err
	}
	acct := r.Caller.Account
	_, arn, err := s.lookupForAuth(groupKind, acct, name)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(r, "DeleteGroup", arn, ""); err != nil {
		return nil, err
	}
	err = s.update(func(tx svc.Tx) error {
		g, err := mustEntity(tx, groupKind, acct, name)
		if err != nil {
			return err
		}
		members, err := groupMembers(tx, acct, g.Name)
		if err != nil {
			return err
		}
		if len(members) > 0 {
			return deleteConflict("Cannot delete entity, must remove users from group first.")
		}
		if len(g.Inline) > 0 {
			return deleteConflict("Cannot delete entity, must delete policies first.")
		}
		if len(g.Attached) > 0 {
			return deleteConflict("Cannot delete entity, must detach all policies first.")
		}
		return tx.Delete(groupKind.bucket, entityKey(acct, name))
	})
	if err != nil {
		return nil, err
	}
	note(r, arn)
	return nil, nil
}

// membership adds (add) or removes the user from the group.
func (s *Service) membership(r *svc.Request, p params, action string, add bool) error {
	group, err := p.name("GroupName", 128)
	if err != nil {
		return err
	}
	user, err := p.name("UserName", 128)
	if err != nil {
		return err
	}
	acct := r.Caller.Account
	_, arn, err := s.lookupForAuth(groupKind, acct, group)
	if err != nil {
		return err
	}
	if err := s.authorize(r, action, arn, ""); err != nil {
		return err
	}
	err = s.update(func(tx svc.Tx) error {
		g, err := mustEntity(tx, groupKind, acct, group)
		if err != nil {
			return err
		}
		u, err := mustEntity(tx, userKind, acct, user)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(u.Groups, func(n string) bool { return strings.EqualFold(n, g.Name) })
		switch {
		case add && i >= 0:
			return nil
		case add:
			if len(u.Groups) >= maxGroupsPerUser {
				return limitExceeded("Cannot exceed quota for GroupsPerUser: %d", maxGroupsPerUser)
			}
			u.Groups = append(u.Groups, g.Name)
		case i < 0:
			return noSuchEntity("The user with name %s cannot be found.", user)
		default:
			u.Groups = slices.Delete(u.Groups, i, i+1)
		}
		return putEntity(tx, userKind, u)
	})
	if err == nil {
		note(r, arn)
	}
	return err
}

func addUserToGroup(s *Service, r *svc.Request, p params) (any, error) {
	return nil, s.membership(r, p, "AddUserToGroup", true)
}

func removeUserFromGroup(s *Service, r *svc.Request, p params) (any, error) {
	return nil, s.membership(r, p, "RemoveUserFromGroup", false)
}

func listGroupsForUser(s *Service, r *svc.Request, p params) (any, error) {
	name, err := p.name("UserName", 128)
	if err != nil {
		return nil, err
	}
	acct := r.Caller.Account
	_, arn, err := s.lookupForAuth(userKind, acct, name)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(r, "ListGroupsForUser", arn, ""); err != nil {
		return nil, err
	}
	var out listGroupsResult
	err = s.env.Store.View(func(tx svc.Tx) error {
		u, err := mustEntity(tx, userKind, acct, name)
		if err != nil {
			return err
		}
		for _, gn := range u.Groups {
			g, err := getEntity(tx, groupKind, acct, gn)
			if err != nil {
				return err
			}
			if g != nil {
				out.Groups = append(out.Groups, g.groupXML())
			}
		}
		return nil
	})
	return out, err
}
