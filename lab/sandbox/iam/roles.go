package iam

import (
	"strconv"
	"strings"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

const (
	maxRoles          = 1000
	defaultMaxSession = 3600
)

type roleResult struct {
	Role xmlRole `xml:"Role"`
}

type listRolesResult struct {
	Roles       []xmlRole `xml:"Roles>member"`
	IsTruncated bool      `xml:"IsTruncated"`
	Marker      string    `xml:"Marker,omitempty"`
}

// maxSession parses MaxSessionDuration (3600–43200 seconds).
func maxSession(p params) (int, error) {
	v := p.get("MaxSessionDuration")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 3600 || n > 43200 {
		return 0, validationError("maxSessionDuration", v, "Member must have value less than or equal to 43200")
	}
	return n, nil
}

func createRole(s *Service, r *svc.Request, p params) (any, error) {
	name, err := p.name("RoleName", 64)
	if err != nil {
		return nil, err
	}
	path, err := p.path()
	if err != nil {
		return nil, err
	}
	doc, err := p.required("AssumeRolePolicyDocument")
	if err != nil {
		return nil, err
	}
	tags, err := p.tags()
	if err != nil {
		return nil, err
	}
	ms, err := maxSession(p)
	if err != nil {
		return nil, err
	}
	if ms == 0 {
		ms = defaultMaxSession
	}
	desc := p.get("Description")
	if len(desc) > 1000 {
		return nil, validationError("description", desc, "Member must have length less than or equal to 1000")
	}
	acct := r.Caller.Account
	arn := arnFor(acct, "role", path, name)
	if err := s.authorize(r, "CreateRole", arn, ""); err != nil {
		return nil, err
	}
	if err := validateTrust(doc); err != nil {
		return nil, err
	}
	boundary := p.get("PermissionsBoundary")
	e := &entity{Kind: "role", Account: acct, Name: name, Path: path, ID: randomID(s.env.Rand, "AROA", 17),
		ARN: arn, Created: r.Now, Tags: tags, TrustPolicy: doc, Description: desc, MaxSession: ms}
	err = s.update(func(tx svc.Tx) error {
		if old, err := getEntity(tx, roleKind, acct, name); err != nil || old != nil {
			if err != nil {
				return err
			}
			return alreadyExists("Role with name %s already exists.", name)
		}
		if boundary != "" {
			if err := checkBoundary(tx, boundary); err != nil {
				return err
			}
			e.Boundary = boundary
		}
		all, err := listEntities(tx, roleKind, acct)
		if err != nil {
			return err
		}
		if len(all) >= maxRoles {
			return limitExceeded("Cannot exceed quota for RolesPerAccount: %d", maxRoles)
		}
		return putEntity(tx, roleKind, e)
	})
	if err != nil {
		return nil, err
	}
	note(r, arn)
	return roleResult{e.roleXML()}, nil
}

func getRole(s *Service, r *svc.Request, p params) (any, error) {
	name, err := p.name("RoleName", 64)
	if err != nil {
		return nil, err
	}
	e, arn, err := s.lookupForAuth(roleKind, r.Caller.Account, name)
	if err != nil {
		return nil, err
	}
	// AWS names the role as "role NAME" in GetRole's AccessDenied message.
	if err := s.authorize(r, "GetRole", arn, "role "+name); err != nil {
		return nil, err
	}
	if e == nil {
		return nil, noSuchEntity("The role with name %s cannot be found.", name)
	}
	note(r, arn)
	return roleResult{e.roleXML()}, nil
}

func listRoles(s *Service, r *svc.Request, p params) (any, error) {
	start, max, err := p.page()
	if err != nil {
		return nil, err
	}
	acct := r.Caller.Account
	if err := s.authorize(r, "ListRoles", "arn:aws:iam::"+acct+":role/", ""); err != nil {
		return nil, err
	}
	prefix := p.get("PathPrefix")
	var roles []xmlRole
	err = s.env.Store.View(func(tx svc.Tx) error {
		all, err := listEntities(tx, roleKind, acct)
		for _, e := range all {
			if prefix == "" || strings.HasPrefix(e.Path, prefix) {
				x := e.roleXML()
				x.Tags, x.PermissionsBoundary = nil, nil // ListRoles leaves these out
				roles = append(roles, x)
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	page, trunc, marker := paginate(roles, start, max)
	return listRolesResult{page, trunc, marker}, nil
}

func deleteRole(s *Service, r *svc.Request, p params) (any, error) {
	name, err := p.name("RoleName", 64)
	if err != nil {
		return nil, err
	}
	acct := r.Caller.Account
	_, arn, err := s.lookupForAuth(roleKind, acct, name)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(r, "DeleteRole", arn, ""); err != nil {
		return nil, err
	}
	err = s.update(func(tx svc.Tx) error {
		e, err := mustEntity(tx, roleKind, acct, name)
		if err != nil {
			return err
		}
		if len(e.Inline) > 0 {
			return deleteConflict("Cannot delete entity, must delete policies first.")
		}
		if len(e.Attached) > 0 {
			return deleteConflict("Cannot delete entity, must detach all policies first.")
		}
		return tx.Delete(roleKind.bucket, entityKey(acct, name))
	})
	if err != nil {
		return nil, err
	}
	note(r, arn)
	return nil, nil
}

func updateRole(s *Service, r *svc.Request, p params) (any, error) {
	name, err := p.name("RoleName", 64)
	if err != nil {
		return nil, err
	}
	ms, err := maxSession(p)
	if err != nil {
		return nil, err
	}
	return struct{}{}, s.modifyEntity(r, roleKind, "UpdateRole", name, func(tx svc.Tx, e *entity) error {
		if p.has("Description") {
			e.Description = p.get("Description")
		}
		if ms != 0 {
			e.MaxSession = ms
		}
		return nil
	})
}

func updateAssumeRolePolicy(s *Service, r *svc.Request, p params) (any, error) {
	name, err := p.name("RoleName", 64)
	if err != nil {
		return nil, err
	}
	doc, err := p.required("PolicyDocument")
	if err != nil {
		return nil, err
	}
	return nil, s.modifyEntity(r, roleKind, "UpdateAssumeRolePolicy", name, func(tx svc.Tx, e *entity) error {
		if err := validateTrust(doc); err != nil {
			return err
		}
		e.TrustPolicy = doc
		return nil
	})
}
