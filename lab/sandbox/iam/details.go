package iam

import (
	"slices"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

type xmlUserDetail struct {
	Path                    string        `xml:"Path"`
	UserName                string        `xml:"UserName"`
	UserID                  string        `xml:"UserId"`
	Arn                     string        `xml:"Arn"`
	CreateDate              string        `xml:"CreateDate"`
	UserPolicyList          []xmlInline   `xml:"UserPolicyList>member"`
	GroupList               []string      `xml:"GroupList>member"`
	AttachedManagedPolicies []xmlAttached `xml:"AttachedManagedPolicies>member"`
	PermissionsBoundary     *xmlBoundary  `xml:"PermissionsBoundary,omitempty"`
	Tags                    *xmlTags      `xml:"Tags,omitempty"`
}

type xmlGroupDetail struct {
	Path                    string        `xml:"Path"`
	GroupName               string        `xml:"GroupName"`
	GroupID                 string        `xml:"GroupId"`
	Arn                     string        `xml:"Arn"`
	CreateDate              string        `xml:"CreateDate"`
	GroupPolicyList         []xmlInline   `xml:"GroupPolicyList>member"`
	AttachedManagedPolicies []xmlAttached `xml:"AttachedManagedPolicies>member"`
}

type xmlRoleDetail struct {
	Path                     string        `xml:"Path"`
	RoleName                 string        `xml:"RoleName"`
	RoleID                   string        `xml:"RoleId"`
	Arn                      string        `xml:"Arn"`
	CreateDate               string        `xml:"CreateDate"`
	AssumeRolePolicyDocument string        `xml:"AssumeRolePolicyDocument"`
	InstanceProfileList      []string      `xml:"InstanceProfileList"`
	RolePolicyList           []xmlInline   `xml:"RolePolicyList>member"`
	AttachedManagedPolicies  []xmlAttached `xml:"AttachedManagedPolicies>member"`
	PermissionsBoundary      *xmlBoundary  `xml:"PermissionsBoundary,omitempty"`
	Tags                     *xmlTags      `xml:"Tags,omitempty"`
}

type xmlPolicyDetail struct {
	xmlPolicy
	PolicyVersionList []xmlPolicyVersion `xml:"PolicyVersionList>member"`
}

type accountDetailsResult struct {
	UserDetailList  []xmlUserDetail   `xml:"UserDetailList>member"`
	GroupDetailList []xmlGroupDetail  `xml:"GroupDetailList>member"`
	RoleDetailList  []xmlRoleDetail   `xml:"RoleDetailList>member"`
	Policies        []xmlPolicyDetail `xml:"Policies>member"`
	IsTruncated     bool              `xml:"IsTruncated"`
}

func inlineList(e *entity) []xmlInline {
	var out []xmlInline
	for _, n := range sortedKeys(e.Inline) {
		out = append(out, xmlInline{PolicyName: n, PolicyDocument: encodeDocument(e.Inline[n])})
	}
	return out
}

func attachedList(tx svc.Tx, e *entity) ([]xmlAttached, error) {
	var out []xmlAttached
	for _, arn := range e.Attached {
		mp, err := policyByARN(tx, arn)
		if err != nil {
			return nil, err
		}
		if mp != nil {
			out = append(out, xmlAttached{PolicyName: mp.Name, PolicyArn: arn})
		}
	}
	return out, nil
}

// getAccountAuthorizationDetails returns every user, group, role and
// (attached or customer managed) policy of the caller's account, with
// documents URL-encoded as IAM sends them. Filter takes
// User, Role, Group, LocalManagedPolicy and AWSManagedPolicy.
func getAccountAuthorizationDetails(s *Service, r *svc.Request, p params) (any, error) {
	acct := r.Caller.Account
	if err := s.authorize(r, "GetAccountAuthorizationDetails", "*", ""); err != nil {
		return nil, err
	}
	filter := p.list("Filter")
	want := func(f string) bool { return len(filter) == 0 || slices.Contains(filter, f) }
	var out accountDetailsResult
	err := s.env.Store.View(func(tx svc.Tx) error {
		used := map[string]bool{}
		users, err := listEntities(tx, userKind, acct)
		if err != nil {
			return err
		}
		groups, err := listEntities(tx, groupKind, acct)
		if err != nil {
			return err
		}
		roles, err := listEntities(tx, roleKind, acct)
		if err != nil {
			return err
		}
		for _, list := range [][]*entity{users, groups, roles} {
			for _, e := range list {
				for _, a := range e.Attached {
					used[a] = true
				}
				if e.Boundary != "" {
					used[e.Boundary] = true
				}
			}
		}
		for _, u := range users {
			if !want("User") {
				break
			}
			att, err := attachedList(tx, u)
			if err != nil {
				return err
			}
			out.UserDetailList = append(out.UserDetailList, xmlUserDetail{Path: u.Path, UserName: u.Name, UserID: u.ID,
				Arn: u.ARN, CreateDate: ts(u.Created), UserPolicyList: inlineList(u), GroupList: u.Groups,
				AttachedManagedPolicies: att, PermissionsBoundary: u.boundaryXML(), Tags: tagsXML(u.Tags)})
		}
		for _, g := range groups {
			if !want("Group") {
				break
			}
			att, err := attachedList(tx, g)
			if err != nil {
				return err
			}
			out.GroupDetailList = append(out.GroupDetailList, xmlGroupDetail{Path: g.Path, GroupName: g.Name,
				GroupID: g.ID, Arn: g.ARN, CreateDate: ts(g.Created), GroupPolicyList: inlineList(g), AttachedManagedPolicies: att})
		}
		for _, ro := range roles {
			if !want("Role") {
				break
			}
			att, err := attachedList(tx, ro)
			if err != nil {
				return err
			}
			out.RoleDetailList = append(out.RoleDetailList, xmlRoleDetail{Path: ro.Path, RoleName: ro.Name, RoleID: ro.ID,
				Arn: ro.ARN, CreateDate: ts(ro.Created), AssumeRolePolicyDocument: encodeDocument(ro.TrustPolicy),
				RolePolicyList: inlineList(ro), AttachedManagedPolicies: att, PermissionsBoundary: ro.boundaryXML(), Tags: tagsXML(ro.Tags)})
		}
		var policies []*managedPolicy
		if want("AWSManagedPolicy") {
			for _, arn := range awsManagedARNs {
				if used[arn] {
					policies = append(policies, awsManaged[arn])
				}
			}
		}
		if want("LocalManagedPolicy") {
			err := tx.ForEach(bucketPolicies, func(k string, _ []byte) error {
				if len(k) <= len(acct)+1 || k[:len(acct)+1] != acct+"/" {
					return nil
				}
				mp, err := getPolicy(tx, acct, k[len(acct)+1:])
				if mp != nil {
					policies = append(policies, mp)
				}
				return err
			})
			if err != nil {
				return err
			}
		}
		for _, mp := range policies {
			att, bnd, err := usage(tx, acct, mp.ARN)
			if err != nil {
				return err
			}
			d := xmlPolicyDetail{xmlPolicy: mp.xml(att, bnd)}
			d.Tags = nil
			for _, v := range mp.Versions {
				d.PolicyVersionList = append(d.PolicyVersionList, xmlPolicyVersion{Document: encodeDocument(v.Document),
					VersionID: v.ID, IsDefaultVersion: v.ID == mp.Default, CreateDate: ts(v.Created)})
			}
			out.Policies = append(out.Policies, d)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
