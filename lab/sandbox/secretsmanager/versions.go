package secretsmanager

import (
	"sort"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

type putSecretValueInput struct {
	SecretID           string   `json:"SecretId"`
	ClientRequestToken string   `json:"ClientRequestToken"`
	SecretBinary       []byte   `json:"SecretBinary"`
	SecretString       *string  `json:"SecretString"`
	VersionStages      []string `json:"VersionStages"`
}

type putSecretValueOutput struct {
	ARN           string   `json:"ARN"`
	Name          string   `json:"Name"`
	VersionID     string   `json:"VersionId"`
	VersionStages []string `json:"VersionStages"`
}

func (s *Service) putSecretValue(r *svc.Request) (any, error) {
	var in putSecretValueInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	val := value{str: in.SecretString, bin: in.SecretBinary}
	for _, err := range []error{validSecretID(in.SecretID), validToken("clientRequestToken", in.ClientRequestToken),
		val.check(), checkStages(in.VersionStages)} {
		if err != nil {
			return nil, err
		}
	}
	l, err := s.resolve(r, in.SecretID)
	if err != nil {
		return nil, err
	}
	ctx := map[string][]string{}
	if len(in.VersionStages) > 0 {
		ctx["secretsmanager:VersionStage"] = in.VersionStages
	}
	addString(ctx, "secretsmanager:VersionId", in.ClientRequestToken)
	if err := s.authorize(r, access{action: "PutSecretValue", id: in.SecretID, l: l, ctx: ctx}); err != nil {
		return nil, err
	}
	sec := l.sec
	if sec == nil {
		return nil, errNotFound()
	}
	if sec.scheduled() {
		return nil, errMarkedForDeletion()
	}
	if !val.present() {
		// AWS's text for a PutSecretValue without a value is UNCONFIRMED.
		return nil, errInvalidParameter("You must provide either SecretString or SecretBinary.")
	}
	stages := in.VersionStages
	if len(stages) == 0 {
		stages = []string{stageCurrent}
	}
	v, done, err := s.writeVersion(r, sec, in.ClientRequestToken, val, stages)
	if err != nil || done != nil {
		return done, err
	}
	out := putSecretValueOutput{ARN: sec.ARN, Name: sec.Name, VersionID: v.ID, VersionStages: append([]string{}, v.Stages...)}
	return out, nil
}

// writeVersion adds val to sec as a new version carrying stages. A
// ClientRequestToken that names an existing version makes the call
// idempotent: the same value answers with that version (done), another
// value is an error.
func (s *Service) writeVersion(r *svc.Request, sec *secret, token string, val value, stages []string) (*version, any, error) {
	v, done, err := s.prepareVersion(r, sec, token, val, stages)
	if err != nil {
		return nil, nil, err
	}
	if done != nil {
		return nil, putSecretValueOutput{ARN: sec.ARN, Name: sec.Name, VersionID: done.ID, VersionStages: append([]string{}, done.Stages...)}, nil
	}
	var added *version
	_, err = s.mutate(r, sec.ARN, func(cur *secret) error {
		if cur.scheduled() {
			return errMarkedForDeletion()
		}
		if cur.version(v.ID) != nil {
			return errVersionExists()
		}
		if cur.KeyARN == "" {
			cur.KeyARN = v.KeyARN
		}
		cur.LastChanged = now(r)
		added = v
		return cur.addVersion(v, now(r))
	})
	return added, nil, err
}

// sameAs decrypts old (through KMS, as AWS does for its idempotency check)
// and compares it with val.
func (s *Service) sameAs(r *svc.Request, sec *secret, old *version, val value) (bool, error) {
	plain, err := s.open(r, sec.ARN, old)
	if err != nil {
		return false, err
	}
	defer clear(plain)
	return old.Binary == (val.bin != nil) && sameValue(plain, val.bytes()), nil
}

// errVersionExists is the answer to a ClientRequestToken reused with a
// different value. The sentence is the PutSecretValue API reference's; that
// AWS's error message is exactly this is UNCONFIRMED.
func errVersionExists() error {
	return &svc.Error{Status: 400, Code: "ResourceExistsException", Message: "You can't modify an existing version, you can only create a new version."}
}

func checkStages(stages []string) error {
	if len(stages) > maxStages {
		return errValidation("1 validation error detected: Value at 'versionStages' failed to satisfy constraint: Member must have length less than or equal to %d", maxStages)
	}
	for _, st := range stages {
		if st == "" || len(st) > maxStage {
			return errLength("versionStages.member", 1, maxStage)
		}
	}
	return nil
}

type updateStageInput struct {
	SecretID            string `json:"SecretId"`
	VersionStage        string `json:"VersionStage"`
	RemoveFromVersionID string `json:"RemoveFromVersionId"`
	MoveToVersionID     string `json:"MoveToVersionId"`
}

type arnName struct {
	ARN  string `json:"ARN"`
	Name string `json:"Name"`
}

// updateSecretVersionStage moves or removes one staging label. Moving
// AWSCURRENT makes the version that had it AWSPREVIOUS.
func (s *Service) updateSecretVersionStage(r *svc.Request) (any, error) {
	var in updateStageInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if err := validSecretID(in.SecretID); err != nil {
		return nil, err
	}
	if in.VersionStage == "" {
		return nil, errRequired("versionStage")
	}
	if err := checkStages([]string{in.VersionStage}); err != nil {
		return nil, err
	}
	for m, id := range map[string]string{"removeFromVersionId": in.RemoveFromVersionID, "moveToVersionId": in.MoveToVersionID} {
		if err := validToken(m, id); err != nil {
			return nil, err
		}
	}
	l, err := s.resolve(r, in.SecretID)
	if err != nil {
		return nil, err
	}
	ctx := map[string][]string{"secretsmanager:VersionStage": {in.VersionStage}}
	addString(ctx, "secretsmanager:VersionId", in.MoveToVersionID)
	if err := s.authorize(r, access{action: "UpdateSecretVersionStage", id: in.SecretID, l: l, ctx: ctx}); err != nil {
		return nil, err
	}
	if l.sec == nil {
		return nil, errNotFound()
	}
	sec, err := s.mutate(r, l.sec.ARN, func(sec *secret) error {
		if sec.scheduled() {
			return errMarkedForDeletion()
		}
		return moveLabel(sec, in)
	})
	if err != nil {
		return nil, err
	}
	return arnName{ARN: sec.ARN, Name: sec.Name}, nil
}

func moveLabel(sec *secret, in updateStageInput) error {
	holder := sec.staged(in.VersionStage)
	var to *version
	if in.MoveToVersionID != "" {
		if to = sec.version(in.MoveToVersionID); to == nil {
			return errNoVersion(in.MoveToVersionID)
		}
	}
	if in.RemoveFromVersionID != "" {
		if sec.version(in.RemoveFromVersionID) == nil {
			return errNoVersion(in.RemoveFromVersionID)
		}
		if holder == nil || holder.ID != in.RemoveFromVersionID {
			// This package's wording; AWS's text is UNCONFIRMED.
			return errInvalidParameter("The staging label %s is not attached to version %s.", in.VersionStage, in.RemoveFromVersionID)
		}
	}
	if holder != nil && to != nil && holder != to && in.RemoveFromVersionID == "" {
		return errInvalidParameter("The parameter RemoveFromVersionId can't be empty. Staging label %s is currently attached to version %s, so you must explicitly reference that version in RemoveFromVersionId.", in.VersionStage, holder.ID)
	}
	if to == nil && in.VersionStage == stageCurrent && holder != nil {
		// Every secret with versions keeps AWSCURRENT somewhere.
		return errInvalidParameter("You can only move staging label %s to a different secret version. It can't be completely removed.", stageCurrent)
	}
	if to == nil {
		if holder != nil {
			holder.Stages = removeString(holder.Stages, in.VersionStage)
		}
		return nil
	}
	sec.moveStage(in.VersionStage, to)
	return nil
}

type listVersionsInput struct {
	SecretID          string `json:"SecretId"`
	MaxResults        *int   `json:"MaxResults"`
	NextToken         string `json:"NextToken"`
	IncludeDeprecated bool   `json:"IncludeDeprecated"`
}

type versionEntry struct {
	VersionID        string   `json:"VersionId"`
	VersionStages    []string `json:"VersionStages,omitempty"`
	LastAccessedDate *epoch   `json:"LastAccessedDate,omitempty"`
	CreatedDate      *epoch   `json:"CreatedDate"`
	KmsKeyIDs        []string `json:"KmsKeyIds,omitempty"`
}

type listVersionsOutput struct {
	ARN       string         `json:"ARN"`
	Name      string         `json:"Name"`
	Versions  []versionEntry `json:"Versions"`
	NextToken string         `json:"NextToken,omitempty"`
}

// listSecretVersionIDs lists versions newest first; versions without labels
// (deprecated) only with IncludeDeprecated.
func (s *Service) listSecretVersionIDs(r *svc.Request) (any, error) {
	var in listVersionsInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if err := validSecretID(in.SecretID); err != nil {
		return nil, err
	}
	max, err := maxResults(in.MaxResults)
	if err != nil {
		return nil, err
	}
	l, err := s.resolve(r, in.SecretID)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(r, access{action: "ListSecretVersionIds", id: in.SecretID, l: l}); err != nil {
		return nil, err
	}
	sec := l.sec
	if sec == nil {
		return nil, errNotFound()
	}
	vs := append([]*version(nil), sec.Versions...)
	sort.SliceStable(vs, func(i, j int) bool { return vs[i].Created.After(vs[j].Created) })
	entries := []versionEntry{}
	for _, v := range vs {
		if len(v.Stages) == 0 && !in.IncludeDeprecated {
			continue
		}
		e := versionEntry{VersionID: v.ID, VersionStages: v.Stages, CreatedDate: ts(v.Created), LastAccessedDate: ts(v.LastAccessed)}
		if sec.KmsKeyID != "" && v.KeyARN != "" {
			e.KmsKeyIDs = []string{v.KeyARN}
		}
		entries = append(entries, e)
	}
	page, next, err := paginate(len(entries), max, in.NextToken)
	if err != nil {
		return nil, err
	}
	return listVersionsOutput{ARN: sec.ARN, Name: sec.Name, Versions: entries[page[0]:page[1]], NextToken: next}, nil
}
