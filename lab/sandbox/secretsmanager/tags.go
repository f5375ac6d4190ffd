package secretsmanager

import (
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

type tagResourceInput struct {
	SecretID string `json:"SecretId"`
	Tags     []tag  `json:"Tags"`
}

type untagResourceInput struct {
	SecretID string   `json:"SecretId"`
	TagKeys  []string `json:"TagKeys"`
}

type empty struct{}

// tagResource adds or overwrites tags.
func (s *Service) tagResource(r *svc.Request) (any, error) {
	var in tagResourceInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if err := validSecretID(in.SecretID); err != nil {
		return nil, err
	}
	if in.Tags == nil {
		return nil, errRequired("tags")
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	ctx := map[string][]string{}
	requestTagContext(ctx, in.Tags)
	if err := s.tagAccess(r, "TagResource", in.SecretID, ctx, func(sec *secret) error {
		m := sec.tagMap()
		for _, t := range in.Tags {
			if _, ok := m[t.Key]; !ok {
				sec.Tags = append(sec.Tags, t)
			}
			m[t.Key] = t.Value
		}
		if len(sec.Tags) > maxTags {
			return &svc.Error{Status: 400, Code: "LimitExceededException", Message: "The request failed because it would exceed one of the Secrets Manager quotas."}
		}
		for i := range sec.Tags {
			sec.Tags[i].Value = m[sec.Tags[i].Key]
		}
		return nil
	}); err != nil {
		return nil, err
	}
	return empty{}, nil
}

// untagResource removes tags by key.
func (s *Service) untagResource(r *svc.Request) (any, error) {
	var in untagResourceInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if err := validSecretID(in.SecretID); err != nil {
		return nil, err
	}
	if in.TagKeys == nil {
		return nil, errRequired("tagKeys")
	}
	ctx := map[string][]string{}
	if len(in.TagKeys) > 0 {
		ctx["aws:TagKeys"] = in.TagKeys
	}
	if err := s.tagAccess(r, "UntagResource", in.SecretID, ctx, func(sec *secret) error {
		keep := sec.Tags[:0]
		for _, t := range sec.Tags {
			if !hasString(in.TagKeys, t.Key) {
				keep = append(keep, t)
			}
		}
		sec.Tags = keep
		return nil
	}); err != nil {
		return nil, err
	}
	return empty{}, nil
}

func (s *Service) tagAccess(r *svc.Request, action, id string, ctx map[string][]string, fn func(*secret) error) error {
	l, err := s.resolve(r, id)
	if err != nil {
		return err
	}
	if err := s.authorize(r, access{action: action, id: id, l: l, ctx: ctx}); err != nil {
		return err
	}
	if l.sec == nil {
		return errNotFound()
	}
	_, err = s.mutate(r, l.sec.ARN, func(sec *secret) error {
		if sec.scheduled() {
			return errMarkedForDeletion()
		}
		sec.LastChanged = now(r)
		return fn(sec)
	})
	return err
}
