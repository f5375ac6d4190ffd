package session

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/seclab-dev/seclab/lab/ledger"
	"github.com/seclab-dev/seclab/lab/target"
	"github.com/seclab-dev/seclab/lessons"
)

// On a real account (and an endpoint treated as one) a persona is an IAM
// role, seclab-<run>-<persona>, that the learner's identity assumes: no
// IAM user, no long-lived access key (DESIGN.md §6).

// RoleName is the role of persona in run.
func RoleName(run, persona string) string { return "seclab-" + run + "-" + persona }

// trustPrincipal is the ARN a trust policy can name for the caller: an
// assumed-role session ARN becomes its role's ARN. The role's path is not
// in the session ARN; roles with a path (SSO roles live under
// /aws-reserved/…) are written without it, which IAM accepts for
// principals only when the role has no path — such learners pass their
// role ARN through a profile instead. (Unconfirmed for every SSO setup.)
func trustPrincipal(callerARN string) string {
	const marker = ":assumed-role/"
	i := strings.Index(callerARN, marker)
	if i < 0 || !strings.HasPrefix(callerARN, "arn:") {
		return callerARN
	}
	head := strings.Replace(callerARN[:i], ":sts:", ":iam:", 1)
	role, _, _ := strings.Cut(callerARN[i+len(marker):], "/")
	return head + ":role/" + role
}

// provisionRoles creates each persona's role (trust policy naming the
// learner, managed policies attached, inline policy put, seclab tags),
// recording every create in the ledger first. It is idempotent.
func (s *Session) provisionRoles(ctx context.Context) error {
	if s.opts.ReadOnly {
		return nil // read-only mode creates nothing, personas included
	}
	who, err := sts.NewFromConfig(s.opts.Target.Learner).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return fmt.Errorf("set up personas: %w", err)
	}
	principal := trustPrincipal(aws.ToString(who.Arn))
	client := iam.NewFromConfig(s.opts.Target.Learner)
	changed := false
	for _, p := range s.lesson.Personas {
		arn, err := s.provisionRole(ctx, client, p, principal)
		if err != nil {
			return fmt.Errorf("set up persona %s: %w", p.Name, err)
		}
		s.mu.Lock()
		if s.creds[p.Name].ARN != arn {
			s.creds[p.Name] = personaCreds{ARN: arn}
			changed = true
		}
		s.mu.Unlock()
	}
	if changed {
		s.mu.Lock()
		err := writeJSONFile(s.dir+"/personas.json", s.creds)
		s.mu.Unlock()
		if err != nil {
			return fmt.Errorf("save personas: %w", err)
		}
	}
	s.console.ForgetClients()
	return nil
}

// ledgered runs call with a ledger intent before it and its outcome after.
func (s *Session) ledgered(op, typ, name string, call func() (arn string, err error)) (string, error) {
	if s.opts.Ledger == nil {
		return call()
	}
	p, err := s.opts.Ledger.Intent(ledger.Record{Run: s.RunID(), Lesson: s.lesson.ID, Operation: op, Type: typ, Name: name})
	if err != nil {
		return "", err
	}
	arn, err := call()
	code := ""
	if err != nil {
		code = apiCode(err)
	}
	_ = p.Done(arn, "", code)
	return arn, err
}

func (s *Session) provisionRole(ctx context.Context, client *iam.Client, p lessons.Persona, principal string) (string, error) {
	run := s.RunID()
	name := RoleName(run, p.Name)
	trust, _ := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Effect": "Allow", "Principal": map[string]any{"AWS": principal}, "Action": "sts:AssumeRole",
		}},
	})
	tags := []iamtypes.Tag{{Key: aws.String(TagRun), Value: aws.String(run)}, {Key: aws.String(TagLesson), Value: aws.String(s.lesson.ID)}}
	arn, err := s.ledgered("iam:CreateRole", ledger.TypeRole, name, func() (string, error) {
		out, err := client.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(string(trust)),
			Description: aws.String("seclab persona " + p.Name + " (lesson " + s.lesson.ID + ")"), Tags: tags})
		if err != nil {
			return "", err
		}
		return aws.ToString(out.Role.Arn), nil
	})
	if isCode(err, "EntityAlreadyExists") {
		got, gerr := client.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
		if gerr != nil {
			return "", gerr
		}
		arn, err = aws.ToString(got.Role.Arn), nil
	}
	if err != nil {
		return "", err
	}
	for _, mp := range p.ManagedPolicies {
		policyARN := "arn:aws:iam::aws:policy/" + mp
		if strings.HasPrefix(mp, "arn:") {
			policyARN = mp
		}
		if _, err := client.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(name), PolicyArn: aws.String(policyARN)}); err != nil {
			return "", fmt.Errorf("attach %s: %w", mp, err)
		}
	}
	if p.InlinePolicy != "" {
		doc, err := fs.ReadFile(s.lesson.Files, p.InlinePolicy)
		if err != nil {
			return "", fmt.Errorf("read inline policy %s: %w", p.InlinePolicy, err)
		}
		text, err := s.Expand(string(doc))
		if err != nil {
			return "", err
		}
		policyName := strings.TrimSuffix(path.Base(p.InlinePolicy), path.Ext(p.InlinePolicy))
		if _, err := s.ledgered("iam:PutRolePolicy", ledger.TypeRolePolicy, name+"/"+policyName, func() (string, error) {
			_, err := client.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String(policyName), PolicyDocument: aws.String(text)})
			return "", err
		}); err != nil {
			return "", fmt.Errorf("put inline policy %s: %w", policyName, err)
		}
	}
	return arn, nil
}

// roleConfig is the configuration of a persona on a real account: the
// learner's, with credentials from assuming the persona's role (cached and
// refreshed by the SDK).
func (s *Session) roleConfig(ctx context.Context, persona string) (aws.Config, error) {
	s.mu.Lock()
	c, ok := s.creds[persona]
	s.mu.Unlock()
	if !ok || c.ARN == "" {
		if s.opts.ReadOnly {
			return aws.Config{}, fmt.Errorf("persona %q has no role: read-only mode creates none", persona)
		}
		return aws.Config{}, fmt.Errorf("persona %q is not set up in this lesson", persona)
	}
	cfg := s.opts.Target.Learner.Copy()
	provider := stscreds.NewAssumeRoleProvider(sts.NewFromConfig(s.opts.Target.Learner), c.ARN, func(o *stscreds.AssumeRoleOptions) {
		o.RoleSessionName = "seclab-" + persona
	})
	cfg.Credentials = aws.NewCredentialsCache(propagating{provider})
	return cfg, nil
}

// propagating retries AssumeRole while a new role's trust policy
// propagates through IAM (AWS documents that changes are eventually
// consistent; a new role can take several seconds to become assumable).
type propagating struct{ p aws.CredentialsProvider }

// Retrieve assumes the role, retrying AccessDenied for up to ~10 s.
func (r propagating) Retrieve(ctx context.Context) (aws.Credentials, error) {
	delay := 250 * time.Millisecond
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := r.p.Retrieve(ctx)
		if err == nil || !isCode(err, "AccessDenied") || time.Now().Add(delay).After(deadline) {
			return c, err
		}
		select {
		case <-ctx.Done():
			return c, err
		case <-time.After(delay):
		}
		delay = min(delay*2, 2*time.Second)
	}
}

// asPersonas renames the principals of persona roles in trail events to
// the personas' names, so that a trail check's `as: alice` matches a call
// made through the role seclab-<run>-alice.
func (s *Session) asPersonas(events []target.Event) []target.Event {
	if s.opts.Target.Kind != target.AWS || len(s.lesson.Personas) == 0 {
		return events
	}
	run := s.RunID()
	for i, e := range events {
		for _, p := range s.lesson.Personas {
			role := RoleName(run, p.Name)
			if e.PrincipalName == role || strings.HasPrefix(e.PrincipalName, role+"/") {
				events[i].PrincipalName = p.Name
			}
		}
	}
	return events
}
