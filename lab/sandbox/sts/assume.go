package sts

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

const (
	minDuration       = 900
	maxRoleDuration   = 43200
	chainedMax        = 3600
	defaultDuration   = 3600
	maxSessionToken   = 129600
	defaultTokenValid = 43200
)

type xmlAssumedRoleUser struct {
	AssumedRoleID string `xml:"AssumedRoleId"`
	Arn           string `xml:"Arn"`
}

type assumeRoleResult struct {
	Credentials      xmlCredentials     `xml:"Credentials"`
	AssumedRoleUser  xmlAssumedRoleUser `xml:"AssumedRoleUser"`
	PackedPolicySize *int               `xml:"PackedPolicySize,omitempty"`
}

type getSessionTokenResult struct {
	Credentials xmlCredentials `xml:"Credentials"`
}

// roleARNAccount returns the account of arn:aws:iam::ACCOUNT:role/…, or
// "" if arn is not a role ARN.
func roleARNAccount(arn string) string {
	rest, ok := strings.CutPrefix(arn, "arn:aws:iam::")
	if !ok {
		return ""
	}
	acct, res, ok := strings.Cut(rest, ":")
	if !ok || len(acct) != 12 || !strings.HasPrefix(res, "role/") || strings.HasSuffix(res, "/") {
		return ""
	}
	return acct
}

func (s *Service) assumeRole(r *svc.Request) (any, error) {
	p := r.Params
	arn := p.Get("RoleArn")
	if arn == "" {
		return nil, validationError("roleArn", "null", "Member must not be null")
	}
	if len(arn) < 20 || roleARNAccount(arn) == "" {
		return nil, svc.Errorf(400, "ValidationError", "%s is invalid", arn)
	}
	name := p.Get("RoleSessionName")
	switch n := utf8.RuneCountInString(name); {
	case name == "" && !p.Has("RoleSessionName"):
		return nil, validationError("roleSessionName", "null", "Member must not be null")
	case n < 2:
		return nil, validationError("roleSessionName", name, "Member must have length greater than or equal to 2")
	case n > 64:
		return nil, validationError("roleSessionName", name, "Member must have length less than or equal to 64")
	case !sessionNamePattern.MatchString(name):
		return nil, validationError("roleSessionName", name, `Member must satisfy regular expression pattern: [\w+=,.@-]*`)
	}
	d, err := duration(r, minDuration, maxRoleDuration, defaultDuration)
	if err != nil {
		return nil, err
	}
	doc, packed, err := sessionPolicy(r)
	if err != nil {
		return nil, err
	}
	var policyARNs []string
	for i := 1; ; i++ {
		v := p.Get("PolicyArns.member." + strconv.Itoa(i) + ".arn")
		if v == "" {
			break
		}
		policyARNs = append(policyARNs, v)
	}
	role, found, err := s.roles.Role(arn)
	if err != nil {
		return nil, err
	}
	if !found {
		// No trust policy can allow a role that does not exist.
		if r.Event != nil {
			r.Event.Decision, r.Event.Layer = "ImplicitlyDenied", "resource"
		}
		return nil, svc.Errorf(403, "AccessDenied", "User: %s is not authorized to perform: sts:AssumeRole on resource: %s", r.Caller.ARN, arn)
	}
	ctx := map[string][]string{"sts:RoleSessionName": {name}}
	if ext := p.Get("ExternalId"); ext != "" {
		ctx["sts:ExternalId"] = []string{ext}
	}
	err = s.env.Authz.Authorize(r, svc.AuthzRequest{
		Action: "sts:AssumeRole", Resource: role.ARN, ResourceAccount: roleARNAccount(role.ARN),
		ResourcePolicy: role.TrustPolicy, ResourcePolicyName: "trust policy", Context: ctx,
	})
	if err != nil {
		return nil, err
	}
	if r.Caller.Type == svc.CallerAssumedRole && d > chainedMax*time.Second {
		return nil, svc.Errorf(400, "ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
	}
	maxSession := role.MaxSession
	if maxSession == 0 {
		maxSession = defaultDuration
	}
	if d > time.Duration(maxSession)*time.Second {
		return nil, svc.Errorf(400, "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
	}
	acct := roleARNAccount(role.ARN)
	caller := svc.Caller{
		Type: svc.CallerAssumedRole, Account: acct,
		ARN:          "arn:aws:sts::" + acct + ":assumed-role/" + role.Name + "/" + name,
		PrincipalARN: role.ARN, UserID: role.ID + ":" + name, Name: role.Name, SessionName: name,
		SessionPolicy: doc, SessionPolicyARNs: policyARNs, Expires: r.Now.Add(d),
	}
	creds, err := s.issue(caller)
	if err != nil {
		return nil, err
	}
	if r.Event != nil {
		r.Event.Resources = append(r.Event.Resources, role.ARN)
	}
	out := assumeRoleResult{Credentials: creds, AssumedRoleUser: xmlAssumedRoleUser{AssumedRoleID: caller.UserID, Arn: caller.ARN}}
	if doc != "" || len(policyARNs) > 0 {
		out.PackedPolicySize = &packed
	}
	return out, nil
}

func (s *Service) getSessionToken(r *svc.Request) (any, error) {
	if r.Caller.Type != svc.CallerUser {
		return nil, svc.Errorf(403, "AccessDenied", "Cannot call GetSessionToken with session credentials")
	}
	d, err := duration(r, minDuration, maxSessionToken, defaultTokenValid)
	if err != nil {
		return nil, err
	}
	caller := r.Caller
	caller.SourceIP = ""
	caller.Expires = r.Now.Add(d)
	creds, err := s.issue(caller)
	if err != nil {
		return nil, err
	}
	return getSessionTokenResult{creds}, nil
}
