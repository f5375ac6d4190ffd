package secretsmanager

import (
	"errors"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

type getSecretValueInput struct {
	SecretID     string `json:"SecretId"`
	VersionID    string `json:"VersionId"`
	VersionStage string `json:"VersionStage"`
}

type secretValue struct {
	ARN           string   `json:"ARN"`
	Name          string   `json:"Name"`
	VersionID     string   `json:"VersionId"`
	SecretBinary  []byte   `json:"SecretBinary,omitempty"`
	SecretString  *string  `json:"SecretString,omitempty"`
	VersionStages []string `json:"VersionStages"`
	CreatedDate   *epoch   `json:"CreatedDate"`
}

func (s *Service) getSecretValue(r *svc.Request) (any, error) {
	var in getSecretValueInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	return s.readValue(r, in)
}

// readValue is GetSecretValue for one secret: authorize, find the version,
// decrypt it through KMS as the caller.
func (s *Service) readValue(r *svc.Request, in getSecretValueInput) (*secretValue, error) {
	if err := validSecretID(in.SecretID); err != nil {
		return nil, err
	}
	if err := validToken("versionId", in.VersionID); err != nil {
		return nil, err
	}
	if len(in.VersionStage) > maxStage {
		return nil, errLength("versionStage", 1, maxStage)
	}
	l, err := s.resolve(r, in.SecretID)
	if err != nil {
		return nil, err
	}
	ctx := map[string][]string{}
	addString(ctx, "secretsmanager:VersionId", in.VersionID)
	addString(ctx, "secretsmanager:VersionStage", in.VersionStage)
	if err := s.authorize(r, access{action: "GetSecretValue", id: in.SecretID, l: l, ctx: ctx}); err != nil {
		return nil, err
	}
	sec := l.sec
	if sec == nil {
		return nil, errNotFound()
	}
	if sec.scheduled() {
		return nil, errMarkedForDeletion()
	}
	v, err := pickVersion(sec, in.VersionID, in.VersionStage)
	if err != nil {
		return nil, err
	}
	plain, err := s.open(r, sec.ARN, v)
	if err != nil {
		return nil, err
	}
	out := &secretValue{ARN: sec.ARN, Name: sec.Name, VersionID: v.ID,
		VersionStages: append([]string{}, v.Stages...), CreatedDate: ts(v.Created)}
	if v.Binary {
		out.SecretBinary = plain
	} else {
		str := string(plain)
		clear(plain)
		out.SecretString = &str
	}
	s.touch(r, sec, v)
	return out, nil
}

// pickVersion selects the version GetSecretValue reads: by id, by stage,
// both (they must agree), or AWSCURRENT.
func pickVersion(sec *secret, id, stage string) (*version, error) {
	switch {
	case id != "" && stage != "":
		v := sec.version(id)
		if v == nil {
			return nil, errNoVersion(id)
		}
		if !hasString(v.Stages, stage) {
			return nil, errInvalidRequest("You provided a VersionStage that is not associated to the provided VersionId.")
		}
		return v, nil
	case id != "":
		if v := sec.version(id); v != nil {
			return v, nil
		}
		return nil, errNoVersion(id)
	}
	if stage == "" {
		stage = stageCurrent
	}
	if v := sec.staged(stage); v != nil {
		return v, nil
	}
	return nil, &svc.Error{Status: 400, Code: "ResourceNotFoundException", Message: "Secrets Manager can't find the specified secret value for staging label: " + stage}
}

func errNoVersion(id string) error {
	return &svc.Error{Status: 400, Code: "ResourceNotFoundException", Message: "Secrets Manager can't find the specified secret value for VersionId: " + id}
}

// touch records the day of the last read (LastAccessedDate) on the secret
// and the version. It writes at most once a day per version (judged from the
// copy the read already loaded), so reads stay reads; a failure here must not
// fail the read.
func (s *Service) touch(r *svc.Request, sec *secret, v *version) {
	d := day(now(r))
	if sec.LastAccessed.Equal(d) && v.LastAccessed.Equal(d) {
		return
	}
	_ = s.env.Store.Update(func(tx svc.Tx) error {
		var cur secret
		ok, err := svc.GetJSON(tx, bucketSecrets, sec.ARN, &cur)
		if err != nil || !ok {
			return err
		}
		cur.LastAccessed = d
		if cv := cur.version(v.ID); cv != nil {
			cv.LastAccessed = d
		}
		return svc.PutJSON(tx, bucketSecrets, sec.ARN, &cur)
	})
}

type batchGetInput struct {
	SecretIDList []string `json:"SecretIdList"`
	Filters      []filter `json:"Filters"`
	MaxResults   *int     `json:"MaxResults"`
	NextToken    string   `json:"NextToken"`
}

type apiError struct {
	SecretID     string `json:"SecretId"`
	ErrorCode    string `json:"ErrorCode"`
	ErrorMessage string `json:"Message"`
}

type batchGetOutput struct {
	SecretValues []*secretValue `json:"SecretValues"`
	Errors       []apiError     `json:"Errors"`
	NextToken    string         `json:"NextToken,omitempty"`
}

// batchGetSecretValue reads several secrets: by SecretIdList (each read
// authorized as its own GetSecretValue; failures land in Errors), or by
// Filters (the secrets ListSecrets would return). The caller needs
// secretsmanager:BatchGetSecretValue as well.
func (s *Service) batchGetSecretValue(r *svc.Request) (any, error) {
	var in batchGetInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if (len(in.SecretIDList) == 0) == (len(in.Filters) == 0) {
		return nil, errInvalidParameter("Either 'SecretIdList' or 'Filters' must be provided, but not both.")
	}
	if len(in.SecretIDList) > 20 {
		return nil, errValidation("1 validation error detected: Value at 'secretIdList' failed to satisfy constraint: Member must have length less than or equal to 20")
	}
	if err := s.authorize(r, access{action: "BatchGetSecretValue"}); err != nil {
		return nil, err
	}
	if len(in.Filters) > 0 {
		// Filtering lists secrets: the API reference requires
		// secretsmanager:ListSecrets as well.
		sub := r.Sub(ServiceName, "ListSecrets", "")
		err := s.authorize(sub, access{action: "ListSecrets"})
		if s.env.Trail != nil {
			s.env.Trail.Record(sub.Event.Finish(err))
		}
		if err != nil {
			return nil, err
		}
	}
	ids := in.SecretIDList
	next := ""
	if len(in.Filters) > 0 {
		max := 20
		if in.MaxResults != nil {
			max = *in.MaxResults
		}
		page, tok, err := s.listPage(r, listSecretsInput{Filters: in.Filters, MaxResults: &max, NextToken: in.NextToken})
		if err != nil {
			return nil, err
		}
		for _, e := range page {
			ids = append(ids, e.ARN)
		}
		next = tok
	}
	out := batchGetOutput{SecretValues: []*secretValue{}, Errors: []apiError{}, NextToken: next}
	for _, id := range ids {
		// Each secret is read as its own GetSecretValue, authorized and
		// recorded in the trail as one.
		sub := r.Sub(ServiceName, "GetSecretValue", "")
		sub.Event.ReadOnly = true
		v, err := s.readValue(sub, getSecretValueInput{SecretID: id})
		if s.env.Trail != nil {
			s.env.Trail.Record(sub.Event.Finish(err))
		}
		var ae *svc.Error
		switch {
		case err == nil:
			out.SecretValues = append(out.SecretValues, v)
		case errors.As(err, &ae):
			out.Errors = append(out.Errors, apiError{SecretID: id, ErrorCode: ae.Code, ErrorMessage: ae.Message})
		default:
			return nil, err
		}
	}
	return out, nil
}
