package iam

import (
	"slices"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// maxAttached is the default quota of managed policies per user, group or
// role.
const maxAttached = 10

type listAttachedResult struct {
	AttachedPolicies []xmlAttached `xml:"AttachedPolicies>member"`
	IsTruncated      bool          `xml:"IsTruncated"`
	Marker           string        `xml:"Marker,omitempty"`
}

func notAttachable(arn string) error {
	return noSuchEntity("Policy %s does not exist or is not attachable.", arn)
}

func attachPolicy(k *kind) handler {
	return func(s *Service, r *svc.Request, p params) (any, error) {
		name, err := p.name(k.param, 128)
		if err != nil {
			return nil, err
		}
		arn, err := policyARN(p)
		if err != nil {
			return nil, err
		}
		return nil, s.modifyEntity(r, k, "Attach"+k.title+"Policy", name, func(tx svc.Tx, e *entity) error {
			mp, err := policyByARN(tx, arn)
			if err != nil {
				return err
			}
			if mp == nil || (mp.Account != "aws" && mp.Account != e.Account) {
				return notAttachable(arn)
			}
			if slices.Contains(e.Attached, arn) {
				return nil
			}
			if len(e.Attached) >= maxAttached {
				return limitExceeded("Cannot exceed quota for %s: %d", k.quotaName, maxAttached)
			}
			e.Attached = append(e.Attached, arn)
			return nil
		})
	}
}

func detachPolicy(k *kind) handler {
	return func(s *Service, r *svc.Request, p params) (any, error) {
		name, err := p.name(k.param, 128)
		if err != nil {
			return nil, err
		}
		arn, err := policyARN(p)
		if err != nil {
			return nil, err
		}
		return nil, s.modifyEntity(r, k, "Detach"+k.title+"Policy", name, func(tx svc.Tx, e *entity) error {
			i := slices.Index(e.Attached, arn)
			if i < 0 {
				return noSuchEntity("Policy %s was not found.", arn)
			}
			e.Attached = slices.Delete(e.Attached, i, i+1)
			return nil
		})
	}
}

func listAttached(k *kind) handler {
	return func(s *Service, r *svc.Request, p params) (any, error) {
		name, err := p.name(k.param, 128)
		if err != nil {
			return nil, err
		}
		start, max, err := p.page()
		if err != nil {
			return nil, err
		}
		e, arn, err := s.lookupForAuth(k, r.Caller.Account, name)
		if err != nil {
			return nil, err
		}
		if err := s.authorize(r, "ListAttached"+k.title+"Policies", arn, ""); err != nil {
			return nil, err
		}
		if e == nil {
			return nil, noSuchEntity("The %s with name %s cannot be found.", k.name, name)
		}
		out := []xmlAttached{}
		err = s.env.Store.View(func(tx svc.Tx) error {
			for _, a := range e.Attached {
				mp, err := policyByARN(tx, a)
				if err != nil {
					return err
				}
				if mp != nil {
					out = append(out, xmlAttached{PolicyName: mp.Name, PolicyArn: a})
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		page, trunc, marker := paginate(out, start, max)
		return listAttachedResult{page, trunc, marker}, nil
	}
}

// checkBoundary verifies a permissions boundary ARN names a managed policy.
func checkBoundary(tx svc.Tx, arn string) error {
	if _, _, ok := parsePolicyARN(arn); !ok {
		return svc.Errorf(400, "ValidationError", "Invalid ARN:  Could not be parsed!")
	}
	mp, err := policyByARN(tx, arn)
	if err != nil {
		return err
	}
	if mp == nil {
		return notAttachable(arn)
	}
	return nil
}

func putBoundary(k *kind) handler {
	return func(s *Service, r *svc.Request, p params) (any, error) {
		name, err := p.name(k.param, 128)
		if err != nil {
			return nil, err
		}
		arn, err := p.required("PermissionsBoundary")
		if err != nil {
			return nil, err
		}
		return nil, s.modifyEntity(r, k, "Put"+k.title+"PermissionsBoundary", name, func(tx svc.Tx, e *entity) error {
			if err := checkBoundary(tx, arn); err != nil {
				return err
			}
			e.Boundary = arn
			return nil
		})
	}
}

func deleteBoundary(k *kind) handler {
	return func(s *Service, r *svc.Request, p params) (any, error) {
		name, err := p.name(k.param, 128)
		if err != nil {
			return nil, err
		}
		return nil, s.modifyEntity(r, k, "Delete"+k.title+"PermissionsBoundary", name, func(tx svc.Tx, e *entity) error {
			e.Boundary = ""
			return nil
		})
	}
}
