// Package cloudformation is the sandbox's AWS CloudFormation: stacks, change
// sets, events and the template engine's results turned into real calls on
// the sandbox's other services.
//
// Every resource is created through svc.Dispatcher as the caller, so the
// caller's permissions, key policies and the trail apply exactly as when
// CloudFormation acts with a user's credentials in AWS. The package never
// imports another service and never decides access itself; it asks the
// Authorizer about its own actions (cloudformation:CreateStack, …).
//
// Stack operations run synchronously inside the API call: when CreateStack
// or ExecuteChangeSet returns, the stack has reached its final status and
// its events record every intermediate one.
package cloudformation

import (
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// APIVersion is CloudFormation's Query API version.
const APIVersion = "2010-05-15"

// Namespace is the XML namespace of CloudFormation's responses.
const Namespace = "http://cloudformation.amazonaws.com/doc/2010-05-15/"

// Service is the CloudFormation emulator.
type Service struct {
	env svc.Env
	// mu serializes stack operations: one stack changes at a time, the way
	// CloudFormation refuses concurrent operations on a stack.
	mu sync.Mutex
	// randMu guards env.Rand, which need not be safe for concurrent use.
	randMu sync.Mutex
}

// New builds the service.
func New(env svc.Env) *Service { return &Service{env: env} }

// Name is the signing name and IAM action prefix.
func (s *Service) Name() string { return "cloudformation" }

// Protocol is the Query protocol.
func (s *Service) Protocol() svc.Protocol { return svc.Query }

// Handle runs one operation.
func (s *Service) Handle(r *svc.Request) (any, error) {
	op, ok := operations[r.Operation]
	if !ok {
		return nil, svc.ErrUnknownOperation
	}
	if op.readOnly && r.Event != nil {
		r.Event.ReadOnly = true
	}
	return op.run(s, r)
}

type operation struct {
	run      func(s *Service, r *svc.Request) (any, error)
	readOnly bool
}

var operations map[string]operation

func init() {
	operations = map[string]operation{
		"CreateStack":            {run: (*Service).createStack},
		"UpdateStack":            {run: (*Service).updateStack},
		"DeleteStack":            {run: (*Service).deleteStack},
		"DescribeStacks":         {run: (*Service).describeStacks, readOnly: true},
		"ListStacks":             {run: (*Service).listStacks, readOnly: true},
		"DescribeStackEvents":    {run: (*Service).describeStackEvents, readOnly: true},
		"DescribeStackResources": {run: (*Service).describeStackResources, readOnly: true},
		"DescribeStackResource":  {run: (*Service).describeStackResource, readOnly: true},
		"ListStackResources":     {run: (*Service).listStackResources, readOnly: true},
		"GetTemplate":            {run: (*Service).getTemplate, readOnly: true},
		"GetTemplateSummary":     {run: (*Service).getTemplateSummary, readOnly: true},
		"ValidateTemplate":       {run: (*Service).validateTemplate, readOnly: true},
		"ListExports":            {run: (*Service).listExports, readOnly: true},
		"CreateChangeSet":        {run: (*Service).createChangeSet},
		"DescribeChangeSet":      {run: (*Service).describeChangeSet, readOnly: true},
		"ExecuteChangeSet":       {run: (*Service).executeChangeSet},
		"DeleteChangeSet":        {run: (*Service).deleteChangeSet},
		"ListChangeSets":         {run: (*Service).listChangeSets, readOnly: true},
	}
}

// validationError is CloudFormation's ValidationError (HTTP 400).
func validationError(format string, args ...any) *svc.Error {
	return svc.Errorf(400, "ValidationError", format, args...)
}

func stackNotFound(name string) *svc.Error {
	return validationError("Stack with id %s does not exist", name)
}

var stackNameRE = regexp.MustCompile(`^[a-zA-Z][-a-zA-Z0-9]*$`)

func checkStackName(name string) error {
	if name == "" {
		return validationError("1 validation error detected: Value null at 'stackName' failed to satisfy constraint: Member must not be null")
	}
	if len(name) > 128 {
		return validationError("1 validation error detected: Value '%s' at 'stackName' failed to satisfy constraint: Member must have length less than or equal to 128", name)
	}
	if !stackNameRE.MatchString(name) {
		return validationError("1 validation error detected: Value '%s' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*", name)
	}
	return nil
}

// ARNs.
func (s *Service) stackARN(r *svc.Request, name, id string) string {
	return fmt.Sprintf("arn:aws:cloudformation:%s:%s:stack/%s/%s", r.Region, r.Caller.Account, name, id)
}

func (s *Service) changeSetARN(r *svc.Request, name, id string) string {
	return fmt.Sprintf("arn:aws:cloudformation:%s:%s:changeSet/%s/%s", r.Region, r.Caller.Account, name, id)
}

// authorize asks whether the caller may run action on resource (an ARN or
// "*") and notes the resource on the trail event.
func (s *Service) authorize(r *svc.Request, action, resource string) error {
	if resource != "*" && r.Event != nil {
		r.Event.Resources = append(r.Event.Resources, resource)
	}
	return s.env.Authz.Authorize(r, svc.AuthzRequest{Action: "cloudformation:" + action, Resource: resource})
}

// stackResource is the ARN used to authorize an action on the stack called
// name: its real ARN when it exists, arn:…:stack/NAME/* otherwise (what AWS
// shows in AccessDenied messages for a stack it has not created yet).
func (s *Service) stackResource(r *svc.Request, nameOrID string) string {
	if strings.HasPrefix(nameOrID, "arn:") {
		return nameOrID
	}
	var id string
	_ = s.env.Store.View(func(tx svc.Tx) error {
		id = string(tx.Get(bucketNames, nameOrID))
		return nil
	})
	if id != "" {
		return id
	}
	return s.stackARN(r, nameOrID, "*")
}

// findStack loads the stack named nameOrID (a name finds the live stack; an
// ID or ARN finds deleted stacks too). It returns nil when there is none.
func (s *Service) findStack(tx svc.Tx, nameOrID string) (*stack, error) {
	id := nameOrID
	if !strings.HasPrefix(nameOrID, "arn:") {
		b := tx.Get(bucketNames, nameOrID)
		if b == nil {
			return nil, nil
		}
		id = string(b)
	}
	return s.loadStack(tx, id)
}

func (s *Service) viewStack(nameOrID string) (*stack, error) {
	var st *stack
	err := s.env.Store.View(func(tx svc.Tx) error {
		var err error
		st, err = s.findStack(tx, nameOrID)
		return err
	})
	return st, err
}

func (s *Service) persist(st *stack) error {
	return s.env.Store.Update(func(tx svc.Tx) error { return s.saveStack(tx, st) })
}

// uuid returns a random version-4 UUID from env.Rand.
func (s *Service) uuid() string {
	b := s.randBytes(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func (s *Service) randBytes(n int) []byte {
	s.randMu.Lock()
	defer s.randMu.Unlock()
	b := make([]byte, n)
	if _, err := io.ReadFull(s.env.Rand, b); err != nil {
		// The sandbox's randomness never runs dry; if it did, IDs would
		// still be unique enough for a single learner's lab.
		t := time.Now().UnixNano()
		for i := range b {
			b[i] ^= byte(t >> (8 * (i % 8)))
		}
	}
	return b
}

// randString returns n characters drawn from alphabet.
func (s *Service) randString(n int, alphabet string) string {
	b := s.randBytes(n)
	out := make([]byte, n)
	for i := range b {
		out[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(out)
}

const (
	upperDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	mixedAlnum  = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
)

// Query input helpers.

// members reads a Query list: prefix.member.1, prefix.member.2, …
func members(p url.Values, prefix string) []string {
	var out []string
	for i := 1; ; i++ {
		k := prefix + ".member." + strconv.Itoa(i)
		if !p.Has(k) {
			return out
		}
		out = append(out, p.Get(k))
	}
}

// structMembers reads a Query list of structures into maps of their fields.
func structMembers(p url.Values, prefix string) []map[string]string {
	var out []map[string]string
	for i := 1; ; i++ {
		pre := prefix + ".member." + strconv.Itoa(i) + "."
		m := map[string]string{}
		for k, v := range p {
			if strings.HasPrefix(k, pre) && len(v) > 0 {
				m[strings.TrimPrefix(k, pre)] = v[0]
			}
		}
		if len(m) == 0 {
			return out
		}
		out = append(out, m)
	}
}

func boolParam(p url.Values, k string) bool { return strings.EqualFold(p.Get(k), "true") }

// inputParam is one Parameters.member.N entry.
type inputParam struct {
	Key, Value       string
	UsePreviousValue bool
}

func inputParams(p url.Values) []inputParam {
	var out []inputParam
	for _, m := range structMembers(p, "Parameters") {
		out = append(out, inputParam{Key: m["ParameterKey"], Value: m["ParameterValue"],
			UsePreviousValue: strings.EqualFold(m["UsePreviousValue"], "true")})
	}
	return out
}

func inputTags(p url.Values) []tag {
	var out []tag
	for _, m := range structMembers(p, "Tags") {
		out = append(out, tag{Key: m["Key"], Value: m["Value"]})
	}
	return out
}

const isoMillis = "2006-01-02T15:04:05.000Z"

func ts(t time.Time) string { return t.UTC().Format(isoMillis) }

func tsPtr(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := ts(t)
	return &s
}
