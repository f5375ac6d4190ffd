package iam

import (
	"unicode"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

type getInlineResult struct {
	UserName       string `xml:"UserName,omitempty"`
	GroupName      string `xml:"GroupName,omitempty"`
	RoleName       string `xml:"RoleName,omitempty"`
	PolicyName     string `xml:"PolicyName"`
	PolicyDocument string `xml:"PolicyDocument"`
}

type listInlineResult struct {
	PolicyNames []string `xml:"PolicyNames>member"`
	IsTruncated bool     `xml:"IsTruncated"`
	Marker      string   `xml:"Marker,omitempty"`
}

// nonWhitespace counts the characters IAM's size quotas count.
func nonWhitespace(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

func putInline(k *kind) handler {
	return func(s *Service, r *svc.Request, p params) (any, error) {
		name, err := p.name(k.param, 128)
		if err != nil {
			return nil, err
		}
		policyName, err := p.name("PolicyName", 128)
		if err != nil {
			return nil, err
		}
		doc, err := p.required("PolicyDocument")
		if err != nil {
			return nil, err
		}
		acct := r.Caller.Account
		_, arn, err := s.lookupForAuth(k, acct, name)
		if err != nil {
			return nil, err
		}
		if err := s.authorize(r, "Put"+k.title+"Policy", arn, ""); err != nil {
			return nil, err
		}
		err = s.update(func(tx svc.Tx) error {
			e, err := mustEntity(tx, k, acct, name)
			if err != nil {
				return err
			}
			if err := validateIdentity(doc); err != nil {
				return err
			}
			total := nonWhitespace(doc)
			for n, d := range e.Inline {
				if n != policyName {
					total += nonWhitespace(d)
				}
			}
			if total > k.inlineLimit {
				return limitExceeded("Maximum policy size of %d bytes exceeded for %s %s", k.inlineLimit, k.name, e.Name)
			}
			if e.Inline == nil {
				e.Inline = map[string]string{}
			}
			e.Inline[policyName] = doc
			return putEntity(tx, k, e)
		})
		if err != nil {
			return nil, err
		}
		note(r, arn)
		return nil, nil
	}
}

func getInline(k *kind) handler {
	return func(s *Service, r *svc.Request, p params) (any, error) {
		name, err := p.name(k.param, 128)
		if err != nil {
			return nil, err
		}
		policyName, err := p.name("PolicyName", 128)
		if err != nil {
			return nil, err
		}
		e, arn, err := s.lookupForAuth(k, r.Caller.Account, name)
		if err != nil {
			return nil, err
		}
		// AWS writes the resource as "user NAME" (role, group) in these
		// operations' AccessDenied messages.
		if err := s.authorize(r, "Get"+k.title+"Policy", arn, k.name+" "+name); err != nil {
			return nil, err
		}
		if e == nil {
			return nil, noSuchEntity("The %s with name %s cannot be found.", k.name, name)
		}
		doc, ok := e.Inline[policyName]
		if !ok {
			return nil, noSuchEntity("The %s policy with name %s cannot be found.", k.name, policyName)
		}
		out := getInlineResult{PolicyName: policyName, PolicyDocument: encodeDocument(doc)}
		switch k {
		case userKind:
			out.UserName = e.Name
		case groupKind:
			out.GroupName = e.Name
		default:
			out.RoleName = e.Name
		}
		note(r, arn)
		return out, nil
	}
}

func deleteInline(k *kind) handler {
	return func(s *Service, r *svc.Request, p params) (any, error) {
		name, err := p.name(k.param, 128)
		if err != nil {
			return nil, err
		}
		policyName, err := p.name("PolicyName", 128)
		if err != nil {
			return nil, err
		}
		return nil, s.modifyEntity(r, k, "Delete"+k.title+"Policy", name, func(tx svc.Tx, e *entity) error {
			if _, ok := e.Inline[policyName]; !ok {
				return noSuchEntity("The %s policy with name %s cannot be found.", k.name, policyName)
			}
			delete(e.Inline, policyName)
			return nil
		})
	}
}

func listInline(k *kind) handler {
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
		if err := s.authorize(r, "List"+k.title+"Policies", arn, ""); err != nil {
			return nil, err
		}
		if e == nil {
			return nil, noSuchEntity("The %s with name %s cannot be found.", k.name, name)
		}
		page, trunc, marker := paginate(sortedKeys(e.Inline), start, max)
		if page == nil {
			page = []string{}
		}
		return listInlineResult{page, trunc, marker}, nil
	}
}
