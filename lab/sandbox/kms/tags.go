package kms

import (
	"strings"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// maxTags is the number of tags a key can carry.
const maxTags = 50

// errTag is KMS's TagException (the messages are UNCONFIRMED).
func errTag(format string, args ...any) *svc.Error { return kmsErr("TagException", format, args...) }

// checkTags validates tags for CreateKey and TagResource.
func checkTags(tags []tag) error {
	for _, t := range tags {
		switch {
		case t.TagKey == "" || len(t.TagKey) > 128:
			return errTag("Tag keys must be between 1 and 128 characters long.")
		case len(t.TagValue) > 256:
			return errTag("Tag values must be at most 256 characters long.")
		case strings.HasPrefix(t.TagKey, "aws:"):
			return errTag("Tag keys beginning with aws: are reserved.")
		}
	}
	return nil
}

// mergeTags sets add on top of tags (a key's value is replaced in place).
func mergeTags(tags, add []tag) []tag {
	out := append([]tag(nil), tags...)
	for _, a := range add {
		found := false
		for i := range out {
			if out[i].TagKey == a.TagKey {
				out[i].TagValue, found = a.TagValue, true
			}
		}
		if !found {
			out = append(out, a)
		}
	}
	return out
}

// addRequestTags adds aws:RequestTag/<key> and aws:TagKeys for tags.
func addRequestTags(ctx map[string][]string, tags []tag) {
	if len(tags) == 0 {
		return
	}
	keys := make([]string, 0, len(tags))
	for _, t := range tags {
		ctx["aws:RequestTag/"+t.TagKey] = []string{t.TagValue}
		keys = append(keys, t.TagKey)
	}
	ctx["aws:TagKeys"] = keys
}

type tagResourceInput struct {
	KeyID   string   `json:"KeyId"`
	Tags    []tag    `json:"Tags"`
	TagKeys []string `json:"TagKeys"`
}

func (s *Service) tagResource(r *svc.Request) (any, error) {
	var in tagResourceInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if in.Tags == nil {
		return nil, errNull("tags")
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	t, err := s.resolve(r, in.KeyID)
	if err != nil {
		return nil, err
	}
	extra := map[string][]string{}
	addRequestTags(extra, in.Tags)
	if err := s.authorize(r, t, authz{action: "kms:TagResource", extra: extra}); err != nil {
		return nil, err
	}
	if err := notManaged(t); err != nil {
		return nil, err
	}
	return struct{}{}, s.updateKey(r, t.rec.ID, func(k *keyRecord) error {
		if k.State == statePendingDeletion {
			return errPendingDeletion(k.arn())
		}
		merged := mergeTags(k.Tags, in.Tags)
		if len(merged) > maxTags {
			return kmsErr("LimitExceededException", "A key can have at most %d tags.", maxTags) // UNCONFIRMED wording
		}
		k.Tags = merged
		return nil
	})
}

func (s *Service) untagResource(r *svc.Request) (any, error) {
	var in tagResourceInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if in.TagKeys == nil {
		return nil, errNull("tagKeys")
	}
	t, err := s.resolve(r, in.KeyID)
	if err != nil {
		return nil, err
	}
	extra := map[string][]string{"aws:TagKeys": in.TagKeys}
	if err := s.authorize(r, t, authz{action: "kms:UntagResource", extra: extra}); err != nil {
		return nil, err
	}
	if err := notManaged(t); err != nil {
		return nil, err
	}
	return struct{}{}, s.updateKey(r, t.rec.ID, func(k *keyRecord) error {
		if k.State == statePendingDeletion {
			return errPendingDeletion(k.arn())
		}
		out := k.Tags[:0]
		for _, tg := range k.Tags {
			if !contains(in.TagKeys, tg.TagKey) {
				out = append(out, tg)
			}
		}
		k.Tags = out
		return nil
	})
}

type listTagsOutput struct {
	Tags       []tag  `json:"Tags"`
	NextMarker string `json:"NextMarker,omitempty"`
	Truncated  bool   `json:"Truncated"`
}

func (s *Service) listResourceTags(r *svc.Request) (any, error) {
	var in struct {
		KeyID  string `json:"KeyId"`
		Limit  *int   `json:"Limit"`
		Marker string `json:"Marker"`
	}
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	t, err := s.resolveAuthorized(r, in.KeyID, "kms:ListResourceTags")
	if err != nil {
		return nil, err
	}
	page, next, err := paginate(t.rec.Tags, in.Limit, in.Marker, 50, 50)
	if err != nil {
		return nil, err
	}
	return listTagsOutput{Tags: nonNil(page), NextMarker: next, Truncated: next != ""}, nil
}
