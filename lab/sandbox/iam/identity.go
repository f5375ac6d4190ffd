package iam

import (
	"fmt"
	"strings"
	"sync"

	"github.com/seclab-dev/seclab/lab/policy"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// NamedPolicy is a policy document with the name explanations show.
type NamedPolicy struct {
	Name     string
	Document string
	// ARN is the managed policy's ARN; empty for inline policies.
	ARN string
}

// Kind is the grammar the document was validated with: inline policies are
// identity policies, customer managed ones managed policies, and AWS's own
// (arn:aws:iam::aws:policy/…) AWSManaged, which has no size quota.
func (np NamedPolicy) Kind() policy.Kind {
	switch {
	case np.ARN == "":
		return policy.Identity
	case IsAWSManagedARN(np.ARN):
		return policy.AWSManaged
	default:
		return policy.Managed
	}
}

// IsAWSManagedARN reports whether arn names an AWS managed policy.
func IsAWSManagedARN(arn string) bool { return strings.HasPrefix(arn, "arn:aws:iam::aws:policy/") }

// Principal is what the authorizer needs to know about a caller: the
// identity-based policies that apply (inline, attached managed, and its
// groups' policies; a role session's role's), its permissions boundary and
// its tags. Found is false when the user or role no longer exists.
type Principal struct {
	Found    bool
	Identity []NamedPolicy
	Boundary *NamedPolicy
	Tags     map[string]string
}

// RoleInfo describes a role for STS.
type RoleInfo struct {
	ARN, ID, Name, Path string
	TrustPolicy         string
	MaxSession          int
	Tags                map[string]string
}

// identityCache memoizes lookups until IAM's generation changes.
type identityCache struct {
	mu         sync.Mutex
	gen        uint64
	keys       map[string]keyEntry
	principals map[string]Principal
}

type keyEntry struct {
	caller svc.Caller
	secret string
	ok     bool
}

// cache returns the identity cache, emptied if IAM changed since it was
// filled, and the generation it is valid for.
func (s *Service) cache() (*identityCache, uint64) {
	ic := &s.ids
	g := s.gen.Load()
	ic.mu.Lock()
	if g != ic.gen || ic.keys == nil {
		ic.gen, ic.keys, ic.principals = g, map[string]keyEntry{}, map[string]Principal{}
	}
	ic.mu.Unlock()
	return ic, g
}

// remember calls fill under the cache lock if nothing changed since gen, so a
// lookup that raced a write never caches what it read.
func (s *Service) remember(ic *identityCache, gen uint64, fill func()) {
	ic.mu.Lock()
	if ic.gen == gen && s.gen.Load() == gen && len(ic.keys)+len(ic.principals) < 10000 {
		fill()
	}
	ic.mu.Unlock()
}

// AccessKey resolves an AKIA access key to its caller and secret; ok is
// false for unknown or inactive keys.
func (s *Service) AccessKey(id string) (svc.Caller, string, bool, error) {
	ic, gen := s.cache()
	ic.mu.Lock()
	e, hit := ic.keys[id]
	ic.mu.Unlock()
	if hit {
		return e.caller, e.secret, e.ok, nil
	}
	var out keyEntry
	err := s.env.Store.View(func(tx svc.Tx) error {
		var k accessKey
		ok, err := svc.GetJSON(tx, bucketKeys, id, &k)
		if err != nil || !ok || k.Status != "Active" {
			return err
		}
		u, err := getEntity(tx, userKind, k.Account, k.User)
		if err != nil || u == nil {
			return err
		}
		secret, err := s.env.Sealer.Open(k.Sealed, keyLabel(id))
		if err != nil {
			return fmt.Errorf("access key %s: %w", id, err)
		}
		out = keyEntry{ok: true, secret: string(secret), caller: svc.Caller{
			Type: svc.CallerUser, Account: u.Account, ARN: u.ARN, PrincipalARN: u.ARN, UserID: u.ID,
			Name: u.Name, AccessKeyID: id, Tags: tagMap(u.Tags),
		}}
		return nil
	})
	if err != nil {
		return svc.Caller{}, "", false, err
	}
	s.remember(ic, gen, func() { ic.keys[id] = out })
	return out.caller, out.secret, out.ok, nil
}

// PersonaKey returns the oldest active access key of the user (the key a
// persona signs with).
func (s *Service) PersonaKey(account, user string) (id, secret string, ok bool, err error) {
	err = s.env.Store.View(func(tx svc.Tx) error {
		keys, err := userKeys(tx, account, user)
		if err != nil {
			return err
		}
		for _, k := range keys {
			if k.Status != "Active" {
				continue
			}
			pt, err := s.env.Sealer.Open(k.Sealed, keyLabel(k.ID))
			if err != nil {
				return fmt.Errorf("access key %s: %w", k.ID, err)
			}
			id, secret, ok = k.ID, string(pt), true
			return nil
		}
		return nil
	})
	return id, secret, ok, err
}

// PrincipalPolicies returns the policies that apply to the caller.
func (s *Service) PrincipalPolicies(c svc.Caller) (Principal, error) {
	ic, gen := s.cache()
	key := c.PrincipalARN
	ic.mu.Lock()
	p, hit := ic.principals[key]
	ic.mu.Unlock()
	if hit {
		return p, nil
	}
	// Separate variables: p or c escaping to the closures would cost the
	// cache hit above an allocation.
	var found Principal
	caller := c
	err := s.env.Store.View(func(tx svc.Tx) error {
		var err error
		found, err = principalPolicies(tx, caller)
		return err
	})
	if err != nil {
		return Principal{}, err
	}
	s.remember(ic, gen, func() { ic.principals[key] = found })
	return found, nil
}

func principalPolicies(tx svc.Tx, c svc.Caller) (Principal, error) {
	var k *kind
	switch c.Type {
	case svc.CallerUser:
		k = userKind
	case svc.CallerAssumedRole:
		k = roleKind
	default:
		return Principal{}, nil
	}
	e, err := getEntity(tx, k, c.Account, c.Name)
	if err != nil || e == nil {
		return Principal{}, err
	}
	p := Principal{Found: true, Tags: tagMap(e.Tags)}
	if err := addEntityPolicies(tx, &p, e, ""); err != nil {
		return Principal{}, err
	}
	for _, g := range e.Groups {
		ge, err := getEntity(tx, groupKind, c.Account, g)
		if err != nil {
			return Principal{}, err
		}
		if ge != nil {
			if err := addEntityPolicies(tx, &p, ge, ge.Name+"/"); err != nil {
				return Principal{}, err
			}
		}
	}
	if e.Boundary != "" {
		mp, err := policyByARN(tx, e.Boundary)
		if err != nil {
			return Principal{}, err
		}
		if mp != nil {
			p.Boundary = &NamedPolicy{Name: mp.Name, Document: mp.defaultDocument(), ARN: mp.ARN}
		}
	}
	return p, nil
}

func addEntityPolicies(tx svc.Tx, p *Principal, e *entity, prefix string) error {
	for _, n := range sortedKeys(e.Inline) {
		p.Identity = append(p.Identity, NamedPolicy{Name: prefix + n, Document: e.Inline[n]})
	}
	for _, arn := range e.Attached {
		mp, err := policyByARN(tx, arn)
		if err != nil {
			return err
		}
		if mp != nil {
			p.Identity = append(p.Identity, NamedPolicy{Name: mp.Name, Document: mp.defaultDocument(), ARN: mp.ARN})
		}
	}
	return nil
}

// LookupRole finds a role by ARN (arn:aws:iam::ACCOUNT:role/PATH/NAME).
func (s *Service) LookupRole(arn string) (RoleInfo, bool, error) {
	rest, ok := strings.CutPrefix(arn, "arn:aws:iam::")
	if !ok {
		return RoleInfo{}, false, nil
	}
	account, res, ok := strings.Cut(rest, ":")
	if !ok || !strings.HasPrefix(res, "role/") {
		return RoleInfo{}, false, nil
	}
	name := res[strings.LastIndex(res, "/")+1:]
	var out RoleInfo
	var found bool
	err := s.env.Store.View(func(tx svc.Tx) error {
		e, err := getEntity(tx, roleKind, account, name)
		if err != nil || e == nil || e.ARN != arn {
			return err
		}
		found = true
		out = RoleInfo{ARN: e.ARN, ID: e.ID, Name: e.Name, Path: e.Path, TrustPolicy: e.TrustPolicy,
			MaxSession: e.MaxSession, Tags: tagMap(e.Tags)}
		return nil
	})
	return out, found, err
}

// PrincipalExists reports whether arn names an existing IAM user or role
// (arn:aws:iam::ACCOUNT:user/PATH/NAME or …:role/PATH/NAME, path included).
// Any other ARN is not one of IAM's principals and reports false.
func (s *Service) PrincipalExists(arn string) (bool, error) {
	rest, ok := strings.CutPrefix(arn, "arn:aws:iam::")
	if !ok {
		return false, nil
	}
	account, res, ok := strings.Cut(rest, ":")
	var k *kind
	switch {
	case !ok:
		return false, nil
	case strings.HasPrefix(res, "user/"):
		k = userKind
	case strings.HasPrefix(res, "role/"):
		k = roleKind
	default:
		return false, nil
	}
	name := res[strings.LastIndex(res, "/")+1:]
	var found bool
	err := s.env.Store.View(func(tx svc.Tx) error {
		e, err := getEntity(tx, k, account, name)
		found = err == nil && e != nil && e.ARN == arn
		return err
	})
	return found, err
}

// ManagedDocument returns the default version of a managed policy, for
// managed session policies.
func (s *Service) ManagedDocument(arn string) (NamedPolicy, bool, error) {
	var out NamedPolicy
	var ok bool
	err := s.env.Store.View(func(tx svc.Tx) error {
		mp, err := policyByARN(tx, arn)
		if err != nil || mp == nil {
			return err
		}
		out, ok = NamedPolicy{Name: mp.Name, Document: mp.defaultDocument(), ARN: mp.ARN}, true
		return nil
	})
	return out, ok, err
}

func tagMap(tags []Tag) map[string]string {
	if len(tags) == 0 {
		return nil
	}
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[t.Key] = t.Value
	}
	return m
}

// KeyedUser is a user with an active access key: a persona the AWS CLI
// can sign as.
type KeyedUser struct {
	User, AccessKeyID, SecretAccessKey string
}

// KeyedUsers lists the account's users that have an active access key,
// with their oldest active key, sorted by user name.
func (s *Service) KeyedUsers(account string) ([]KeyedUser, error) {
	var out []KeyedUser
	err := s.env.Store.View(func(tx svc.Tx) error {
		users, err := listEntities(tx, userKind, account)
		if err != nil {
			return err
		}
		for _, u := range users {
			keys, err := userKeys(tx, account, u.Name)
			if err != nil {
				return err
			}
			for _, k := range keys {
				if k.Status != "Active" {
					continue
				}
				pt, err := s.env.Sealer.Open(k.Sealed, keyLabel(k.ID))
				if err != nil {
					return fmt.Errorf("access key %s: %w", k.ID, err)
				}
				out = append(out, KeyedUser{User: u.Name, AccessKeyID: k.ID, SecretAccessKey: string(pt)})
				break
			}
		}
		return nil
	})
	return out, err
}
