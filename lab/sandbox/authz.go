package sandbox

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/seclab-dev/seclab/lab/policy"
	"github.com/seclab-dev/seclab/lab/sandbox/iam"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// authorizer implements svc.Authorizer: it gathers every policy layer that
// applies to a request, asks lab/policy, records the decision on the trail
// event and turns a denial into AWS's AccessDenied for the protocol. It
// never fails open: a policy it cannot read denies.
type authorizer struct {
	s        *Server
	parsed   parseCache
	contexts ctxMemo
	refs     refNames
}

// refNames memoizes the trail's names of deciding statements
// ("AdministratorAccess:Statement[0]"): the same few decide most calls.
type refNames struct {
	mu sync.RWMutex
	m  map[policy.StatementRef]string
}

func (n *refNames) name(ref policy.StatementRef) string {
	n.mu.RLock()
	s, ok := n.m[ref]
	n.mu.RUnlock()
	if ok {
		return s
	}
	s = ref.String()
	n.mu.Lock()
	if n.m == nil || len(n.m) >= parseCacheMax {
		n.m = map[policy.StatementRef]string{}
	}
	n.m[ref] = s
	n.mu.Unlock()
	return s
}

func newAuthorizer(s *Server) *authorizer { return &authorizer{s: s} }

// parseCache memoizes parsed policies by kind and content, so the hot path
// never re-parses a document it has seen.
type parseCache struct {
	mu sync.RWMutex
	m  map[parseKey]parsed
}

type parseKey struct {
	kind policy.Kind
	doc  string
}

type parsed struct {
	p   *policy.Policy
	err error
}

const parseCacheMax = 4096

func (c *parseCache) get(doc string, k policy.Kind) (*policy.Policy, error) {
	key := parseKey{k, doc}
	c.mu.RLock()
	v, ok := c.m[key]
	c.mu.RUnlock()
	if ok {
		return v.p, v.err
	}
	p, err := policy.ParseKind([]byte(doc), k)
	c.mu.Lock()
	if c.m == nil || len(c.m) >= parseCacheMax {
		c.m = map[parseKey]parsed{}
	}
	c.m[key] = parsed{p, err}
	c.mu.Unlock()
	return p, err
}

// Authorize decides whether r's caller may do what a describes.
func (z *authorizer) Authorize(r *svc.Request, a svc.AuthzRequest) error {
	in, err := z.input(r, a)
	if err != nil {
		z.record(r, nil, policy.Decision{Result: policy.ImplicitlyDenied})
		return z.denied(r, fmt.Sprintf("User: %s is not authorized to perform: %s (%v)", r.Caller.ARN, a.Action, err))
	}
	d := policy.Evaluate(in)
	z.record(r, in, d)
	if d.Result == policy.Allowed {
		return nil
	}
	msg := policy.DeniedMessage(in, d)
	if a.ResourceInMessage != "" && a.Resource != "" {
		msg = strings.Replace(msg, " on resource: "+a.Resource, " on resource: "+a.ResourceInMessage, 1)
	}
	return z.denied(r, msg)
}

// denied is AccessDeniedException (JSON, 400) or AccessDenied (Query, 403).
func (z *authorizer) denied(r *svc.Request, msg string) error {
	if v := z.s.services[r.Service]; v != nil && v.Protocol() == svc.Query {
		return &svc.Error{Status: 403, Code: "AccessDenied", Message: msg}
	}
	return &svc.Error{Status: 400, Code: "AccessDeniedException", Message: msg}
}

func (z *authorizer) record(r *svc.Request, in *policy.Input, d policy.Decision) {
	e := r.Event
	if e == nil {
		return
	}
	e.Decision, e.Layer = d.Result.String(), d.Layer
	e.Statements = e.Statements[:0]
	for _, st := range d.Statements {
		e.Statements = append(e.Statements, z.refs.name(st))
	}
	e.Explanation, e.Explainer = nil, nil
	if in != nil {
		e.Explainer = sync.OnceValue(func() json.RawMessage {
			b, err := json.Marshal(policy.Explain(in))
			if err != nil {
				return nil
			}
			return b
		})
	}
}

// input builds the evaluator's input for r and a.
func (z *authorizer) input(r *svc.Request, a svc.AuthzRequest) (*policy.Input, error) {
	c := r.Caller
	// The generation is read first: principal data read after it is at
	// least as new, so a context remembered under it is never staler.
	ck := contextKey(r, a, z.s.iam.Generation())
	pr, err := z.s.iam.PrincipalPolicies(c)
	if err != nil {
		return nil, fmt.Errorf("read caller policies: %w", err)
	}
	ctx := z.contexts.get(ck, a.Context)
	if ctx == nil {
		ctx = z.context(r, a, pr)
		z.contexts.put(ck, a.Context, ctx)
	}
	in := &policy.Input{Request: policy.Request{
		Principal: c.ARN, Action: a.Action, Resource: a.Resource, ResourceAccount: a.ResourceAccount,
		Context: ctx,
	}}
	if in.Request.Resource == "" {
		in.Request.Resource = "*"
	}
	for _, np := range pr.Identity {
		p, err := z.parsed.get(np.Document, np.Kind())
		if err != nil {
			return nil, fmt.Errorf("identity policy %s: %w", np.Name, err)
		}
		in.Identity = append(in.Identity, policy.Named{Name: np.Name, Policy: p})
	}
	if pr.Boundary != nil {
		p, err := z.parsed.get(pr.Boundary.Document, pr.Boundary.Kind())
		if err != nil {
			return nil, fmt.Errorf("permissions boundary %s: %w", pr.Boundary.Name, err)
		}
		in.Boundaries = []policy.Named{{Name: pr.Boundary.Name, Policy: p}}
	}
	if sess, err := z.session(c); err != nil {
		return nil, err
	} else if sess != nil {
		in.Session = sess
	}
	if a.ResourcePolicy != "" {
		k := policy.Resource
		switch a.ResourcePolicyName {
		case "trust policy":
			k = policy.Trust
		case "key policy":
			k = policy.KeyPolicy
		}
		p, err := z.parsed.get(a.ResourcePolicy, k)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a.ResourcePolicyName, err)
		}
		name := a.ResourcePolicyName
		if name == "" {
			name = "resource policy"
		}
		in.Resource = &policy.Named{Name: name, Policy: p}
	}
	return in, nil
}

// session merges a role session's inline and managed session policies
// into one policy: the session may do what any of them allows.
func (z *authorizer) session(c svc.Caller) (*policy.Named, error) {
	if c.SessionPolicy == "" && len(c.SessionPolicyARNs) == 0 {
		return nil, nil
	}
	docs := []string{}
	// The inline session policy is parsed as one (its size was checked
	// when the session was issued); managed session policies with their
	// own kind, and several documents merged with the managed grammar
	// without a size quota, which the parts were already checked against:
	// AWS's PolicyArns may name documents far beyond the inline quota.
	kind := policy.Session
	if c.SessionPolicy != "" {
		docs = append(docs, c.SessionPolicy)
	}
	for _, arn := range c.SessionPolicyARNs {
		np, ok, err := z.s.iam.ManagedDocument(arn)
		if err != nil {
			return nil, err
		}
		if ok {
			docs = append(docs, np.Document)
			kind = np.Kind()
		}
	}
	if len(docs) == 0 {
		// Every managed session policy has been deleted: a session policy
		// without statements, so nothing is allowed (fails closed;
		// UNCONFIRMED what AWS does for such a session).
		return &policy.Named{Name: "session policy", Policy: &policy.Policy{Version: "2012-10-17", Kind: policy.Session}}, nil
	}
	doc := docs[0]
	if len(docs) > 1 {
		var err error
		if doc, err = mergeStatements(docs); err != nil {
			return nil, err
		}
		kind = policy.AWSManaged
	}
	p, err := z.parsed.get(doc, kind)
	if err != nil {
		return nil, fmt.Errorf("session policy: %w", err)
	}
	return &policy.Named{Name: "session policy", Policy: p}, nil
}

// mergeStatements joins the Statement lists of several documents.
func mergeStatements(docs []string) (string, error) {
	var all []json.RawMessage
	for _, d := range docs {
		var doc struct {
			Statement json.RawMessage
		}
		if err := json.Unmarshal([]byte(d), &doc); err != nil {
			return "", fmt.Errorf("session policy: %w", err)
		}
		var list []json.RawMessage
		if err := json.Unmarshal(doc.Statement, &list); err != nil {
			list = []json.RawMessage{doc.Statement}
		}
		all = append(all, list...)
	}
	b, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": all})
	return string(b), err
}

// context fills the global condition keys (and KMS's caller keys) plus
// the service's own.
func (z *authorizer) context(r *svc.Request, a svc.AuthzRequest, pr iam.Principal) *policy.Context {
	c := r.Caller
	ctx := policy.NewContext()
	ctx.Set("aws:PrincipalArn", c.PrincipalARN)
	ctx.Set("aws:PrincipalAccount", c.Account)
	switch c.Type {
	case svc.CallerUser:
		ctx.Set("aws:PrincipalType", "User")
		ctx.Set("aws:username", c.Name)
	case svc.CallerAssumedRole:
		ctx.Set("aws:PrincipalType", "AssumedRole")
	case svc.CallerRoot:
		ctx.Set("aws:PrincipalType", "Account")
	}
	ctx.Set("aws:userid", c.UserID)
	ctx.Set("aws:CurrentTime", r.Now.UTC().Format("2006-01-02T15:04:05Z"))
	ctx.Set("aws:EpochTime", strconv.FormatInt(r.Now.Unix(), 10))
	ctx.Set("aws:SecureTransport", "false")
	if c.SourceIP != "" && r.Via == "" {
		ctx.Set("aws:SourceIp", c.SourceIP)
	}
	ctx.Set("aws:RequestedRegion", r.Region)
	if r.Via != "" {
		ctx.Set("aws:ViaAWSService", "true")
	} else {
		ctx.Set("aws:ViaAWSService", "false")
	}
	if !c.Expires.IsZero() {
		ctx.Set("aws:MultiFactorAuthPresent", "false")
		ctx.Set("aws:TokenIssueTime", r.Now.UTC().Format("2006-01-02T15:04:05Z"))
	}
	tags := pr.Tags
	if len(c.Tags) > 0 && len(tags) == 0 {
		tags = c.Tags
	}
	for k, v := range tags {
		ctx.Set("aws:PrincipalTag/"+k, v)
	}
	if strings.HasPrefix(a.Action, "kms:") {
		ctx.Set("kms:CallerAccount", c.Account)
		if r.Via != "" {
			ctx.Set("kms:ViaService", r.Via)
		}
	}
	for k, v := range a.Context {
		ctx.Set(k, v...)
	}
	return ctx
}
