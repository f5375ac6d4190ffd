// Package iam emulates AWS Identity and Access Management for the
// sandbox: users, groups, roles with trust policies, access keys, inline
// and managed policies (customer managed with versions, AWS managed
// embedded with their real documents), permissions boundaries, tags,
// GetAccountAuthorizationDetails and the policy simulator.
//
// It is also the sandbox's identity source: it resolves AKIA access keys
// to callers and tells the authorizer which policies apply to a caller.
// It decides no access itself: every operation asks the svc.Authorizer,
// and the simulator asks lab/policy.
package iam

import (
	"fmt"
	"sync/atomic"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// Service is the IAM emulator.
type Service struct {
	env svc.Env
	// gen counts committed writes, so caches of principal policies know
	// when they are stale.
	gen atomic.Uint64
	ids identityCache
}

type handler func(s *Service, r *svc.Request, p params) (any, error)

var handlers = map[string]handler{}

func init() {
	for op, h := range map[string]handler{
		"CreateUser": createUser, "GetUser": getUser, "ListUsers": listUsers, "DeleteUser": deleteUser,
		"UpdateUser": updateUser, "TagUser": tagEntity(userKind), "UntagUser": untagEntity(userKind),
		"ListUserTags": listEntityTags(userKind),

		"CreateAccessKey": createAccessKey, "ListAccessKeys": listAccessKeys,
		"DeleteAccessKey": deleteAccessKey, "UpdateAccessKey": updateAccessKey,

		"CreateGroup": createGroup, "GetGroup": getGroup, "ListGroups": listGroups, "DeleteGroup": deleteGroup,
		"AddUserToGroup": addUserToGroup, "RemoveUserFromGroup": removeUserFromGroup,
		"ListGroupsForUser": listGroupsForUser,

		"CreateRole": createRole, "GetRole": getRole, "ListRoles": listRoles, "DeleteRole": deleteRole,
		"UpdateRole": updateRole, "UpdateAssumeRolePolicy": updateAssumeRolePolicy,
		"TagRole": tagEntity(roleKind), "UntagRole": untagEntity(roleKind), "ListRoleTags": listEntityTags(roleKind),

		"CreatePolicy": createPolicy, "GetPolicy": getPolicyOp, "DeletePolicy": deletePolicy,
		"ListPolicies": listPolicies, "CreatePolicyVersion": createPolicyVersion,
		"GetPolicyVersion": getPolicyVersion, "ListPolicyVersions": listPolicyVersions,
		"DeletePolicyVersion": deletePolicyVersion, "SetDefaultPolicyVersion": setDefaultPolicyVersion,
		"ListEntitiesForPolicy": listEntitiesForPolicy,
		"TagPolicy":             tagPolicy, "UntagPolicy": untagPolicy, "ListPolicyTags": listPolicyTags,

		"PutUserPermissionsBoundary": putBoundary(userKind), "DeleteUserPermissionsBoundary": deleteBoundary(userKind),
		"PutRolePermissionsBoundary": putBoundary(roleKind), "DeleteRolePermissionsBoundary": deleteBoundary(roleKind),

		"GetAccountAuthorizationDetails": getAccountAuthorizationDetails,
		"SimulatePrincipalPolicy":        simulatePrincipalPolicy,
		"SimulateCustomPolicy":           simulateCustomPolicy,
	} {
		handlers[op] = h
	}
	for _, k := range []*kind{userKind, groupKind, roleKind} {
		handlers["Put"+k.title+"Policy"] = putInline(k)
		handlers["Get"+k.title+"Policy"] = getInline(k)
		handlers["Delete"+k.title+"Policy"] = deleteInline(k)
		handlers["List"+k.title+"Policies"] = listInline(k)
		handlers["Attach"+k.title+"Policy"] = attachPolicy(k)
		handlers["Detach"+k.title+"Policy"] = detachPolicy(k)
		handlers["ListAttached"+k.title+"Policies"] = listAttached(k)
	}
}

// New builds the IAM service and seeds each account's learner user (with
// AdministratorAccess and one access key) on first start.
func New(env svc.Env) (*Service, error) {
	s := &Service{env: env}
	if err := s.seed(); err != nil {
		return nil, err
	}
	return s, nil
}

// Name is "iam".
func (s *Service) Name() string { return "iam" }

// Protocol is the Query protocol.
func (s *Service) Protocol() svc.Protocol { return svc.Query }

// Handle runs one IAM operation.
func (s *Service) Handle(r *svc.Request) (any, error) {
	h, ok := handlers[r.Operation]
	if !ok {
		return nil, svc.ErrUnknownOperation
	}
	return h(s, r, params{r.Params})
}

// Generation changes whenever IAM state changes.
func (s *Service) Generation() uint64 { return s.gen.Load() }

// update runs fn in a write transaction and bumps the generation.
func (s *Service) update(fn func(svc.Tx) error) error {
	err := s.env.Store.Update(fn)
	if err == nil {
		s.gen.Add(1)
	}
	return err
}

// authorize asks the sandbox's authorizer about action on resource.
func (s *Service) authorize(r *svc.Request, action, resource, inMessage string) error {
	return s.env.Authz.Authorize(r, svc.AuthzRequest{
		Action: "iam:" + action, Resource: resource, ResourceInMessage: inMessage,
	})
}

// note adds a resource to the call's trail event.
func note(r *svc.Request, arn string) {
	if r.Event != nil && arn != "" {
		r.Event.Resources = append(r.Event.Resources, arn)
	}
}

func (s *Service) seed() error {
	var done []byte
	if err := s.env.Store.View(func(tx svc.Tx) error {
		done = tx.Get(bucketMeta, "seeded")
		return nil
	}); err != nil {
		return fmt.Errorf("read iam seed marker: %w", err)
	}
	if done != nil {
		return nil
	}
	now := s.env.Clock.Now()
	return s.update(func(tx svc.Tx) error {
		for _, acct := range Accounts {
			u := &entity{Kind: "user", Account: acct, Name: Learner, Path: "/",
				ID: randomID(s.env.Rand, userKind.idPrefix, 17), ARN: arnFor(acct, "user", "/", Learner),
				Created: now, Attached: []string{"arn:aws:iam::aws:policy/AdministratorAccess"}}
			if err := putEntity(tx, userKind, u); err != nil {
				return err
			}
			if _, _, err := s.newAccessKey(tx, acct, Learner, now); err != nil {
				return err
			}
		}
		return tx.Put(bucketMeta, "seeded", []byte("1"))
	})
}
