package secretsmanager

import (
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

type createSecretInput struct {
	Name               string  `json:"Name"`
	ClientRequestToken string  `json:"ClientRequestToken"`
	Description        *string `json:"Description"`
	KmsKeyID           string  `json:"KmsKeyId"`
	SecretBinary       []byte  `json:"SecretBinary"`
	SecretString       *string `json:"SecretString"`
	Tags               []tag   `json:"Tags"`
}

type createSecretOutput struct {
	ARN       string `json:"ARN"`
	Name      string `json:"Name"`
	VersionID string `json:"VersionId,omitempty"`
}

func (s *Service) createSecret(r *svc.Request) (any, error) {
	var in createSecretInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if in.Name == "" {
		return nil, errRequired("name")
	}
	val := value{str: in.SecretString, bin: in.SecretBinary}
	for _, err := range []error{validName(in.Name), validToken("clientRequestToken", in.ClientRequestToken),
		validDescription(in.Description), val.check(), checkTags(in.Tags)} {
		if err != nil {
			return nil, err
		}
	}
	l, err := s.resolve(r, in.Name)
	if err != nil {
		return nil, err
	}
	arn := ""
	if l.sec != nil {
		arn = l.sec.ARN
	} else {
		sfx, err := s.suffix()
		if err != nil {
			return nil, err
		}
		arn = s.arnPrefix(r) + in.Name + "-" + sfx
	}
	ctx := map[string][]string{"secretsmanager:Name": {in.Name}}
	if in.Description != nil {
		addString(ctx, "secretsmanager:Description", *in.Description)
	}
	addString(ctx, "secretsmanager:KmsKeyId", in.KmsKeyID)
	requestTagContext(ctx, in.Tags)
	if err := s.authorize(r, access{action: "CreateSecret", id: in.Name, l: lookup{resource: arn}, ctx: ctx, create: true}); err != nil {
		return nil, err
	}
	if l.sec != nil {
		return s.createExisting(r, l.sec, in, val)
	}

	t := now(r)
	if isDefaultKey(in.KmsKeyID) {
		in.KmsKeyID = ""
	}
	sec := &secret{ARN: arn, Name: in.Name, Account: r.Caller.Account, KmsKeyID: in.KmsKeyID,
		Tags: in.Tags, Created: t, LastChanged: t}
	if in.Description != nil {
		sec.Description = *in.Description
	}
	keyID := keyFor(sec)
	out := createSecretOutput{ARN: arn, Name: in.Name}
	if val.present() {
		v, err := s.newVersion(r, sec, keyID, in.ClientRequestToken, val, []string{stageCurrent})
		if err != nil {
			return nil, err
		}
		sec.KeyARN = v.KeyARN
		if err := sec.addVersion(v, t); err != nil {
			return nil, err
		}
		out.VersionID = v.ID
	} else if in.KmsKeyID != "" {
		if sec.KeyARN, err = s.checkKey(r, arn, in.KmsKeyID); err != nil {
			return nil, err
		}
	}
	err = s.env.Store.Update(func(tx svc.Tx) error {
		cur, err := s.find(tx, r, in.Name)
		if err != nil {
			return err
		}
		if cur != nil {
			return errExists(in.Name)
		}
		if old := tx.Get(bucketNames, s.arnPrefix(r)+in.Name); old != nil {
			// A secret whose recovery window ended: gone for good now.
			if err := tx.Delete(bucketSecrets, string(old)); err != nil {
				return err
			}
		}
		return save(tx, sec)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// createExisting answers CreateSecret for a name already in use: a retry
// with the same ClientRequestToken and value succeeds again; anything else
// is an error.
func (s *Service) createExisting(r *svc.Request, sec *secret, in createSecretInput, val value) (any, error) {
	if sec.scheduled() {
		return nil, errInvalidRequest("You can't create this secret because a secret with this name is already scheduled for deletion.")
	}
	if in.ClientRequestToken != "" && val.present() {
		if v := sec.version(in.ClientRequestToken); v != nil {
			old, err := s.open(r, sec.ARN, v)
			if err != nil {
				return nil, err
			}
			same := sameValue(old, val.bytes()) && v.Binary == (val.bin != nil)
			clear(old)
			if same {
				return createSecretOutput{ARN: sec.ARN, Name: sec.Name, VersionID: v.ID}, nil
			}
		}
	}
	return nil, errExists(in.Name)
}

func errExists(name string) error {
	return &svc.Error{Status: 400, Code: "ResourceExistsException", Message: "The operation failed because the secret " + name + " already exists."}
}

// newVersion encrypts val as a new version of sec under keyID. The version
// id is the ClientRequestToken when given.
func (s *Service) newVersion(r *svc.Request, sec *secret, keyID, token string, val value, stages []string) (*version, error) {
	id := token
	if id == "" {
		var err error
		if id, err = s.newUUID(); err != nil {
			return nil, err
		}
	}
	v := &version{ID: id, Stages: stages, Created: now(r), Binary: val.bin != nil}
	if err := s.seal(r, sec.ARN, keyID, v, val.bytes()); err != nil {
		return nil, err
	}
	return v, nil
}
