// Package sts emulates AWS Security Token Service for the sandbox:
// GetCallerIdentity, AssumeRole (trust policy, identity policy, session
// policies, duration limits, role chaining) and GetSessionToken, issuing
// ASIA… temporary credentials with session tokens.
//
// It decides no access itself: AssumeRole asks the svc.Authorizer with the
// role's trust policy as the resource policy. It knows roles only through
// the small Roles interface that package sandbox wires to IAM.
package sts

import (
	"encoding/base64"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"time"

	"github.com/seclab-dev/seclab/lab/policy"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// Role is what AssumeRole needs to know about a role.
type Role struct {
	ARN, ID, Name string
	TrustPolicy   string
	// MaxSession is the role's MaxSessionDuration in seconds.
	MaxSession int
}

// Roles looks roles up by ARN.
type Roles interface {
	Role(arn string) (Role, bool, error)
}

// Service is the STS emulator.
type Service struct {
	env   svc.Env
	roles Roles
}

const bucketSessions = "sts/sessions"

// New builds the STS service.
func New(env svc.Env, roles Roles) *Service { return &Service{env: env, roles: roles} }

// Name is "sts".
func (s *Service) Name() string { return "sts" }

// Protocol is the Query protocol.
func (s *Service) Protocol() svc.Protocol { return svc.Query }

// Handle runs one STS operation.
func (s *Service) Handle(r *svc.Request) (any, error) {
	switch r.Operation {
	case "GetCallerIdentity":
		return getCallerIdentityResult{UserID: r.Caller.UserID, Account: r.Caller.Account, Arn: r.Caller.ARN}, nil
	case "AssumeRole":
		return s.assumeRole(r)
	case "GetSessionToken":
		return s.getSessionToken(r)
	}
	return nil, svc.ErrUnknownOperation
}

type getCallerIdentityResult struct {
	UserID  string `xml:"UserId"`
	Account string `xml:"Account"`
	Arn     string `xml:"Arn"`
}

type xmlCredentials struct {
	AccessKeyID     string `xml:"AccessKeyId"`
	SecretAccessKey string `xml:"SecretAccessKey"`
	SessionToken    string `xml:"SessionToken"`
	Expiration      string `xml:"Expiration"`
}

// session is a stored set of temporary credentials.
type session struct {
	Sealed []byte     `json:"sealed"` // the secret key, sealed
	Token  string     `json:"token"`
	Caller svc.Caller `json:"caller"`
}

func sessionLabel(id string) []byte { return []byte("sts/session/" + id) }

func validationError(field, value, constraint string) *svc.Error {
	return svc.Errorf(400, "ValidationError", "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s", value, field, constraint)
}

var sessionNamePattern = regexp.MustCompile(`^[\w+=,.@-]*$`)

// duration parses DurationSeconds within [min, max], defaulting to def.
func duration(r *svc.Request, min, max, def int) (time.Duration, error) {
	v := r.Params.Get("DurationSeconds")
	if v == "" {
		return time.Duration(def) * time.Second, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < min {
		return 0, validationError("durationSeconds", v, "Member must have value greater than or equal to "+strconv.Itoa(min))
	}
	if n > max {
		return 0, validationError("durationSeconds", v, "Member must have value less than or equal to "+strconv.Itoa(max))
	}
	return time.Duration(n) * time.Second, nil
}

// issue creates and stores temporary credentials for caller.
func (s *Service) issue(caller svc.Caller) (xmlCredentials, error) {
	id := randomID(s.env.Rand, "ASIA", 16)
	secret := randomString(s.env.Rand, 40)
	tok := make([]byte, 270)
	if _, err := io.ReadFull(s.env.Rand, tok); err != nil {
		return xmlCredentials{}, fmt.Errorf("session token: %w", err)
	}
	token := "IQoJb3JpZ2luX2VjE" + base64.StdEncoding.EncodeToString(tok)
	caller.AccessKeyID = id
	sealed, err := s.env.Sealer.Seal([]byte(secret), sessionLabel(id))
	if err != nil {
		return xmlCredentials{}, fmt.Errorf("seal session key: %w", err)
	}
	err = s.env.Store.Update(func(tx svc.Tx) error {
		return svc.PutJSON(tx, bucketSessions, id, session{Sealed: sealed, Token: token, Caller: caller})
	})
	if err != nil {
		return xmlCredentials{}, err
	}
	return xmlCredentials{AccessKeyID: id, SecretAccessKey: secret, SessionToken: token,
		Expiration: caller.Expires.UTC().Format("2006-01-02T15:04:05Z")}, nil
}

// Credential resolves an ASIA access key to its caller, secret and the
// session token requests must carry.
func (s *Service) Credential(id string) (caller svc.Caller, secret, token string, ok bool, err error) {
	var sess session
	err = s.env.Store.View(func(tx svc.Tx) error {
		var gerr error
		ok, gerr = svc.GetJSON(tx, bucketSessions, id, &sess)
		return gerr
	})
	if err != nil || !ok {
		return svc.Caller{}, "", "", false, err
	}
	pt, err := s.env.Sealer.Open(sess.Sealed, sessionLabel(id))
	if err != nil {
		return svc.Caller{}, "", "", false, fmt.Errorf("session %s: %w", id, err)
	}
	return sess.Caller, string(pt), sess.Token, true, nil
}

// sessionPolicy validates the inline Policy parameter.
func sessionPolicy(r *svc.Request) (string, int, error) {
	doc := r.Params.Get("Policy")
	if doc == "" {
		return "", 0, nil
	}
	if n := policy.PolicySize([]byte(doc), policy.Session); n > policy.LimitSession {
		return "", 0, svc.Errorf(400, "PackedPolicyTooLarge", "Packed policy consumes %d%% of allotted space, please use smaller policy.", n*100/policy.LimitSession)
	}
	if _, err := policy.ParseKind([]byte(doc), policy.Session); err != nil {
		return "", 0, svc.Errorf(400, "MalformedPolicyDocument", "The policy is not in the valid JSON format.")
	}
	// PackedPolicySize is a percentage of the allowed packed size.
	return doc, policy.PolicySize([]byte(doc), policy.Session) * 100 / policy.LimitSession, nil
}

func randomID(r io.Reader, prefix string, n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		panic("sts: randomness failed: " + err.Error())
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return prefix + string(b)
}

func randomString(r io.Reader, n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		panic("sts: randomness failed: " + err.Error())
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
