package iam

import (
	"regexp"
	"slices"
	"strconv"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// Versions of customer managed policies: up to five, one of them the
// default (the only one evaluated).

var versionPattern = regexp.MustCompile(`^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$`)

type policyVersionResult struct {
	PolicyVersion xmlPolicyVersion `xml:"PolicyVersion"`
}

type listPolicyVersionsResult struct {
	Versions    []xmlPolicyVersion `xml:"Versions>member"`
	IsTruncated bool               `xml:"IsTruncated"`
}

func createPolicyVersion(s *Service, r *svc.Request, p params) (any, error) {
	doc, err := p.required("PolicyDocument")
	if err != nil {
		return nil, err
	}
	setDefault := p.get("SetAsDefault") == "true"
	var out xmlPolicyVersion
	err = s.modifyPolicy(r, p, "CreatePolicyVersion", func(_ svc.Tx, mp *managedPolicy) error {
		if err := validateManaged(doc); err != nil {
			return err
		}
		if len(mp.Versions) >= maxPolicyVersions {
			return limitExceeded("A managed policy can have up to %d versions. Before you create a new version, you must delete an existing version.", maxPolicyVersions)
		}
		v := policyVersion{ID: "v" + strconv.Itoa(mp.NextVersion), Document: doc, Created: r.Now}
		mp.NextVersion++
		mp.Versions = append(mp.Versions, v)
		if setDefault {
			mp.Default = v.ID
			mp.Updated = r.Now
		}
		out = xmlPolicyVersion{VersionID: v.ID, IsDefaultVersion: setDefault, CreateDate: ts(v.Created)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return policyVersionResult{out}, nil
}

func versionID(p params) (string, error) {
	v, err := p.required("VersionId")
	if err != nil {
		return "", err
	}
	if !versionPattern.MatchString(v) {
		return "", validationError("versionId", v, `Member must satisfy regular expression pattern: v[1-9][0-9]*(\.[A-Za-z0-9-]*)?`)
	}
	return v, nil
}

func noSuchVersion(arn, v string) error {
	// UNCONFIRMED wording; modelled on IAM's attachable-policy message.
	return noSuchEntity("Policy %s version %s does not exist or is not attachable.", arn, v)
}

func getPolicyVersion(s *Service, r *svc.Request, p params) (any, error) {
	vid, err := versionID(p)
	if err != nil {
		return nil, err
	}
	mp, arn, err := s.withPolicy(r, p, "GetPolicyVersion")
	if err != nil {
		return nil, err
	}
	for _, v := range mp.Versions {
		if v.ID == vid {
			return policyVersionResult{xmlPolicyVersion{Document: encodeDocument(v.Document), VersionID: v.ID,
				IsDefaultVersion: v.ID == mp.Default, CreateDate: ts(v.Created)}}, nil
		}
	}
	return nil, noSuchVersion(arn, vid)
}

func listPolicyVersions(s *Service, r *svc.Request, p params) (any, error) {
	mp, _, err := s.withPolicy(r, p, "ListPolicyVersions")
	if err != nil {
		return nil, err
	}
	var out listPolicyVersionsResult
	for i := len(mp.Versions) - 1; i >= 0; i-- {
		v := mp.Versions[i]
		out.Versions = append(out.Versions, xmlPolicyVersion{VersionID: v.ID, IsDefaultVersion: v.ID == mp.Default, CreateDate: ts(v.Created)})
	}
	return out, nil
}

func deletePolicyVersion(s *Service, r *svc.Request, p params) (any, error) {
	vid, err := versionID(p)
	if err != nil {
		return nil, err
	}
	return nil, s.modifyPolicy(r, p, "DeletePolicyVersion", func(_ svc.Tx, mp *managedPolicy) error {
		if vid == mp.Default {
			return deleteConflict("Cannot delete the default version of a policy.")
		}
		i := slices.IndexFunc(mp.Versions, func(v policyVersion) bool { return v.ID == vid })
		if i < 0 {
			return noSuchVersion(mp.ARN, vid)
		}
		mp.Versions = slices.Delete(mp.Versions, i, i+1)
		return nil
	})
}

func setDefaultPolicyVersion(s *Service, r *svc.Request, p params) (any, error) {
	vid, err := versionID(p)
	if err != nil {
		return nil, err
	}
	return nil, s.modifyPolicy(r, p, "SetDefaultPolicyVersion", func(_ svc.Tx, mp *managedPolicy) error {
		if !slices.ContainsFunc(mp.Versions, func(v policyVersion) bool { return v.ID == vid }) {
			return noSuchVersion(mp.ARN, vid)
		}
		mp.Default = vid
		mp.Updated = r.Now
		return nil
	})
}
