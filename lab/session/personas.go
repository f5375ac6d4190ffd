package session

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/seclab-dev/seclab/lab/target"
	"github.com/seclab-dev/seclab/lessons"
)

// provisionPersonas makes sure every persona of the lesson exists on the
// target as an IAM user with its policies and an access key, created as
// the learner through the IAM API. It is idempotent: existing users and
// attachments are kept, and a stored key is reused while IAM still lists
// it.
func (s *Session) provisionPersonas(ctx context.Context) error {
	if len(s.lesson.Personas) == 0 {
		return nil
	}
	if s.opts.Target.Kind == target.AWS {
		// Real accounts get roles the learner assumes (DESIGN.md §6); the
		// session does not create long-lived user keys there.
		return s.provisionRoles(ctx)
	}
	client := iam.NewFromConfig(s.opts.Target.Learner)
	changed := false
	for _, p := range s.lesson.Personas {
		c, err := s.provision(ctx, client, p)
		if err != nil {
			return fmt.Errorf("set up persona %s: %w", p.Name, err)
		}
		s.mu.Lock()
		if s.creds[p.Name] != c {
			s.creds[p.Name] = c
			changed = true
		}
		s.mu.Unlock()
	}
	if !changed {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := writeJSONFile(s.dir+"/personas.json", s.creds); err != nil {
		return fmt.Errorf("save persona credentials: %w", err)
	}
	s.console.ForgetClients()
	return nil
}

func (s *Session) provision(ctx context.Context, client *iam.Client, p lessons.Persona) (personaCreds, error) {
	name := aws.String(p.Name)
	var arn string
	out, err := client.CreateUser(ctx, &iam.CreateUserInput{UserName: name})
	switch {
	case err == nil:
		arn = aws.ToString(out.User.Arn)
	case isCode(err, "EntityAlreadyExists"):
		got, err := client.GetUser(ctx, &iam.GetUserInput{UserName: name})
		if err != nil {
			return personaCreds{}, err
		}
		arn = aws.ToString(got.User.Arn)
	default:
		return personaCreds{}, err
	}
	for _, mp := range p.ManagedPolicies {
		policyARN := "arn:aws:iam::aws:policy/" + mp
		if strings.HasPrefix(mp, "arn:") {
			policyARN = mp
		}
		if _, err := client.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: name, PolicyArn: aws.String(policyARN)}); err != nil {
			return personaCreds{}, fmt.Errorf("attach %s: %w", mp, err)
		}
	}
	if p.InlinePolicy != "" {
		doc, err := fs.ReadFile(s.lesson.Files, p.InlinePolicy)
		if err != nil {
			return personaCreds{}, fmt.Errorf("read inline policy %s: %w", p.InlinePolicy, err)
		}
		text, err := s.Expand(string(doc))
		if err != nil {
			return personaCreds{}, err
		}
		policyName := strings.TrimSuffix(path.Base(p.InlinePolicy), path.Ext(p.InlinePolicy))
		if _, err := client.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: name, PolicyName: aws.String(policyName), PolicyDocument: aws.String(text)}); err != nil {
			return personaCreds{}, fmt.Errorf("put inline policy %s: %w", policyName, err)
		}
	}
	s.mu.Lock()
	stored, ok := s.creds[p.Name]
	s.mu.Unlock()
	keys, err := client.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: name})
	if err != nil {
		return personaCreds{}, err
	}
	if ok && stored.AccessKeyID != "" {
		for _, k := range keys.AccessKeyMetadata {
			if aws.ToString(k.AccessKeyId) == stored.AccessKeyID && k.Status == iamtypes.StatusTypeActive {
				stored.ARN = arn
				return stored, nil
			}
		}
	}
	// The stored key is gone (or there is none): replace whatever keys the
	// user has, so the two-key limit never blocks a new one.
	for _, k := range keys.AccessKeyMetadata {
		if _, err := client.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: name, AccessKeyId: k.AccessKeyId}); err != nil {
			return personaCreds{}, fmt.Errorf("delete an old access key: %w", err)
		}
	}
	key, err := client.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: name})
	if err != nil {
		return personaCreds{}, err
	}
	return personaCreds{AccessKeyID: aws.ToString(key.AccessKey.AccessKeyId), SecretAccessKey: aws.ToString(key.AccessKey.SecretAccessKey), ARN: arn}, nil
}

func isCode(err error, code string) bool {
	var api interface{ ErrorCode() string }
	return errors.As(err, &api) && api.ErrorCode() == code
}
