package iam

import (
	"slices"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// Tags on customer managed policies: TagPolicy, UntagPolicy and
// ListPolicyTags, with the same rules as user and role tags (at most 50;
// a tag with an existing key replaces its value).

func tagPolicy(s *Service, r *svc.Request, p params) (any, error) {
	tags, err := p.tags()
	if err != nil {
		return nil, err
	}
	return nil, s.modifyPolicy(r, p, "TagPolicy", func(_ svc.Tx, mp *managedPolicy) error {
		mp.Tags = mergeTags(mp.Tags, tags)
		if len(mp.Tags) > 50 {
			return limitExceeded("The number of tags has reached the maximum limit.")
		}
		return nil
	})
}

func untagPolicy(s *Service, r *svc.Request, p params) (any, error) {
	keys := p.list("TagKeys")
	return nil, s.modifyPolicy(r, p, "UntagPolicy", func(_ svc.Tx, mp *managedPolicy) error {
		mp.Tags = slices.DeleteFunc(mp.Tags, func(t Tag) bool { return slices.Contains(keys, t.Key) })
		return nil
	})
}

func listPolicyTags(s *Service, r *svc.Request, p params) (any, error) {
	mp, _, err := s.withPolicy(r, p, "ListPolicyTags")
	if err != nil {
		return nil, err
	}
	return listTagsResult{Tags: mp.Tags}, nil
}

// mergeTags sets each of add on tags, replacing the value of a key
// already present and keeping the order keys were first added in.
func mergeTags(tags, add []Tag) []Tag {
	for _, t := range add {
		if i := slices.IndexFunc(tags, func(x Tag) bool { return x.Key == t.Key }); i >= 0 {
			tags[i].Value = t.Value
		} else {
			tags = append(tags, t)
		}
	}
	return tags
}
