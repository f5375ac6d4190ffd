package iam

import (
	"fmt"
	"slices"
	"strings"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

const (
	maxPolicyVersions = 5
	maxManagedSize    = 6144
	maxPolicies       = 1500
)

type policyResult struct {
	Policy xmlPolicy `xml:"Policy"`
}

type listPoliciesResult struct {
	Policies    []xmlPolicy `xml:"Policies>member"`
	IsTruncated bool        `xml:"IsTruncated"`
	Marker      string      `xml:"Marker,omitempty"`
}

// usage counts the caller account's attachments and boundary uses of arn.
func usage(tx svc.Tx, account, arn string) (attached, boundary int, err error) {
	for _, k := range []*kind{userKind, groupKind, roleKind} {
		all, err := listEntities(tx, k, account)
		if err != nil {
			return 0, 0, err
		}
		for _, e := range all {
			if slices.Contains(e.Attached, arn) {
				attached++
			}
			if e.Boundary == arn {
				boundary++
			}
		}
	}
	return attached, boundary, nil
}

func createPolicy(s *Service, r *svc.Request, p params) (any, error) {
	name, err := p.name("PolicyName", 128)
	if err != nil {
		return nil, err
	}
	path, err := p.path()
	if err != nil {
		return nil, err
	}
	doc, err := p.required("PolicyDocument")
	if err != nil {
		return nil, err
	}
	tags, err := p.tags()
	if err != nil {
		return nil, err
	}
	acct := r.Caller.Account
	arn := "arn:aws:iam::" + acct + ":policy" + path + name
	if err := s.authorize(r, "CreatePolicy", arn, ""); err != nil {
		return nil, err
	}
	if err := validateManaged(doc); err != nil {
		return nil, err
	}
	mp := &managedPolicy{Account: acct, Name: name, Path: path, ID: randomID(s.env.Rand, "ANPA", 17), ARN: arn,
		Description: p.get("Description"), Created: r.Now, Updated: r.Now, Default: "v1", NextVersion: 2, Tags: tags,
		Versions: []policyVersion{{ID: "v1", Document: doc, Created: r.Now}}}
	err = s.update(func(tx svc.Tx) error {
		if old, err := getPolicy(tx, acct, name); err != nil || old != nil {
			if err != nil {
				return err
			}
			return alreadyExists("A policy called %s already exists. Duplicate names are not allowed.", name)
		}
		n := 0
		prefix := acct + "/"
		tx.ForEach(bucketPolicies, func(k string, _ []byte) error {
			if strings.HasPrefix(k, prefix) {
				n++
			}
			return nil
		})
		if n >= maxPolicies {
			return limitExceeded("Cannot exceed quota for PoliciesPerAccount: %d", maxPolicies)
		}
		return svc.PutJSON(tx, bucketPolicies, entityKey(acct, name), mp)
	})
	if err != nil {
		return nil, err
	}
	note(r, arn)
	return policyResult{mp.xml(0, 0)}, nil
}

// policyARN reads and checks the PolicyArn parameter.
func policyARN(p params) (string, error) {
	arn, err := p.required("PolicyArn")
	if err != nil {
		return "", err
	}
	if _, _, ok := parsePolicyARN(arn); !ok {
		return "", svc.Errorf(400, "ValidationError", "Invalid ARN:  Could not be parsed!")
	}
	return arn, nil
}

// withPolicy authorizes action on the policy ARN and loads the policy.
func (s *Service) withPolicy(r *svc.Request, p params, action string) (*managedPolicy, string, error) {
	arn, err := policyARN(p)
	if err != nil {
		return nil, "", err
	}
	if err := s.authorize(r, action, arn, ""); err != nil {
		return nil, "", err
	}
	var mp *managedPolicy
	err = s.env.Store.View(func(tx svc.Tx) error {
		mp, err = policyByARN(tx, arn)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	if mp == nil {
		return nil, "", noSuchEntity("Policy %s was not found.", arn)
	}
	note(r, arn)
	return mp, arn, nil
}

func getPolicyOp(s *Service, r *svc.Request, p params) (any, error) {
	mp, arn, err := s.withPolicy(r, p, "GetPolicy")
	if err != nil {
		return nil, err
	}
	var att, bnd int
	err = s.env.Store.View(func(tx svc.Tx) error {
		att, bnd, err = usage(tx, r.Caller.Account, arn)
		return err
	})
	return policyResult{mp.xml(att, bnd)}, err
}

func deletePolicy(s *Service, r *svc.Request, p params) (any, error) {
	mp, arn, err := s.withPolicy(r, p, "DeletePolicy")
	if err != nil {
		return nil, err
	}
	if mp.Account == "aws" {
		// UNCONFIRMED: AWS's exact answer for deleting an AWS managed policy.
		return nil, svc.Errorf(400, "UnmodifiableEntity", "Cannot delete an AWS managed policy: %s", arn)
	}
	return nil, s.update(func(tx svc.Tx) error {
		att, bnd, err := usage(tx, mp.Account, arn)
		if err != nil {
			return err
		}
		if att+bnd > 0 {
			return deleteConflict("Cannot delete a policy attached to entities.")
		}
		if len(mp.Versions) > 1 {
			return deleteConflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.")
		}
		return tx.Delete(bucketPolicies, entityKey(mp.Account, mp.Name))
	})
}

func listPolicies(s *Service, r *svc.Request, p params) (any, error) {
	start, max, err := p.page()
	if err != nil {
		return nil, err
	}
	scope := p.get("Scope")
	if scope == "" {
		scope = "All"
	}
	if scope != "All" && scope != "AWS" && scope != "Local" {
		return nil, validationError("scope", scope, "Member must satisfy enum value set: [All, AWS, Local]")
	}
	onlyAttached := p.get("OnlyAttached") == "true"
	prefix := p.get("PathPrefix")
	acct := r.Caller.Account
	if err := s.authorize(r, "ListPolicies", "arn:aws:iam::"+acct+":policy/", ""); err != nil {
		return nil, err
	}
	var out []xmlPolicy
	err = s.env.Store.View(func(tx svc.Tx) error {
		var all []*managedPolicy
		if scope != "Local" {
			for _, arn := range awsManagedARNs {
				all = append(all, awsManaged[arn])
			}
		}
		if scope != "AWS" {
			err := tx.ForEach(bucketPolicies, func(k string, _ []byte) error {
				if !strings.HasPrefix(k, acct+"/") {
					return nil
				}
				mp, err := getPolicy(tx, acct, strings.TrimPrefix(k, acct+"/"))
				if mp != nil {
					all = append(all, mp)
				}
				return err
			})
			if err != nil {
				return err
			}
		}
		for _, mp := range all {
			if prefix != "" && !strings.HasPrefix(mp.Path, prefix) {
				continue
			}
			att, bnd, err := usage(tx, acct, mp.ARN)
			if err != nil {
				return err
			}
			if onlyAttached && att == 0 {
				continue
			}
			x := mp.xml(att, bnd)
			x.Tags, x.Description = nil, ""
			out = append(out, x)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	page, trunc, marker := paginate(out, start, max)
	return listPoliciesResult{page, trunc, marker}, nil
}

// modifyPolicy applies change to a customer managed policy under a write
// transaction, after authorizing action.
func (s *Service) modifyPolicy(r *svc.Request, p params, action string, change func(tx svc.Tx, mp *managedPolicy) error) error {
	mp, _, err := s.withPolicy(r, p, action)
	if err != nil {
		return err
	}
	if mp.Account == "aws" {
		// UNCONFIRMED: AWS's exact answer for changing an AWS managed policy.
		return svc.Errorf(400, "UnmodifiableEntity", "Cannot modify an AWS managed policy: %s", mp.ARN)
	}
	return s.update(func(tx svc.Tx) error {
		cur, err := getPolicy(tx, mp.Account, mp.Name)
		if err != nil {
			return err
		}
		if cur == nil {
			return noSuchEntity("Policy %s was not found.", mp.ARN)
		}
		if err := change(tx, cur); err != nil {
			return err
		}
		return svc.PutJSON(tx, bucketPolicies, entityKey(cur.Account, cur.Name), cur)
	})
}

type listEntitiesForPolicyResult struct {
	PolicyGroups []xmlPolicyGroup `xml:"PolicyGroups>member"`
	PolicyUsers  []xmlPolicyUser  `xml:"PolicyUsers>member"`
	PolicyRoles  []xmlPolicyRole  `xml:"PolicyRoles>member"`
	IsTruncated  bool             `xml:"IsTruncated"`
}

type xmlPolicyGroup struct {
	GroupName string `xml:"GroupName"`
	GroupID   string `xml:"GroupId"`
}

type xmlPolicyUser struct {
	UserName string `xml:"UserName"`
	UserID   string `xml:"UserId"`
}

type xmlPolicyRole struct {
	RoleName string `xml:"RoleName"`
	RoleID   string `xml:"RoleId"`
}

func listEntitiesForPolicy(s *Service, r *svc.Request, p params) (any, error) {
	_, arn, err := s.withPolicy(r, p, "ListEntitiesForPolicy")
	if err != nil {
		return nil, err
	}
	var out listEntitiesForPolicyResult
	err = s.env.Store.View(func(tx svc.Tx) error {
		for _, k := range []*kind{userKind, groupKind, roleKind} {
			all, err := listEntities(tx, k, r.Caller.Account)
			if err != nil {
				return fmt.Errorf("list %ss: %w", k.name, err)
			}
			for _, e := range all {
				if !slices.Contains(e.Attached, arn) {
					continue
				}
				switch k {
				case userKind:
					out.PolicyUsers = append(out.PolicyUsers, xmlPolicyUser{e.Name, e.ID})
				case groupKind:
					out.PolicyGroups = append(out.PolicyGroups, xmlPolicyGroup{e.Name, e.ID})
				default:
					out.PolicyRoles = append(out.PolicyRoles, xmlPolicyRole{e.Name, e.ID})
				}
			}
		}
		return nil
	})
	return out, err
}
