// Package svc is the contract between the sandbox's HTTP front end (package
// sandbox) and the emulated services (iam, sts, kms, secretsmanager,
// cloudformation).
//
// The front end decodes the wire protocol, verifies SigV4, resolves the
// caller and hands each service a *Request. Services decode their own input,
// describe what they need authorized (Authorizer), keep their state in the
// Store and return a response value or an *Error. They never import each
// other: when one needs another, it declares a small interface on its own
// side and package sandbox wires the implementation.
//
// Nothing in this package decides access; the Authorizer asks lab/policy.
package svc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"time"
)

// Protocol is the wire protocol a service speaks.
type Protocol int

const (
	// JSON is awsJson1.1: POST / with X-Amz-Target (KMS, Secrets Manager).
	JSON Protocol = iota + 1
	// Query is the AWS Query protocol: form-encoded Action/Version, XML
	// responses (IAM, STS, CloudFormation).
	Query
)

// Service is one emulated AWS service.
type Service interface {
	// Name is the SigV4 signing name and IAM action prefix ("kms").
	Name() string
	// Protocol is the wire protocol the service speaks.
	Protocol() Protocol
	// Handle runs one operation. The returned value is marshalled by the
	// front end: with encoding/json for JSON services; for Query services it
	// is the inner <OpResult> element (a struct with xml tags) or nil for
	// operations with no output. An *Error becomes AWS's error envelope; any
	// other error becomes an internal failure (and is a bug).
	Handle(r *Request) (any, error)
}

// JSONAppender is implemented by response values of JSON services that
// encode themselves (the hot operations): the front end writes what
// AppendJSON appends to b — exactly one JSON object — as the body, instead
// of encoding the value with encoding/json and re-validating it.
type JSONAppender interface {
	AppendJSON(b []byte) []byte
}

// CallerType says what kind of identity signed a request.
type CallerType string

const (
	CallerUser        CallerType = "IAMUser"
	CallerAssumedRole CallerType = "AssumedRole"
	CallerRoot        CallerType = "Root"
)

// Caller is the authenticated identity behind a request.
type Caller struct {
	Type    CallerType
	Account string // "111122223333"
	// ARN is the identity's ARN as GetCallerIdentity reports it:
	// arn:aws:iam::ACCT:user/NAME, arn:aws:sts::ACCT:assumed-role/ROLE/SESSION
	// or arn:aws:iam::ACCT:root.
	ARN string
	// PrincipalARN is aws:PrincipalArn: the user ARN, or the role ARN
	// (arn:aws:iam::ACCT:role/PATH/ROLE) for a role session.
	PrincipalARN string
	// UserID is aws:userid: AIDA… for users, AROA…:SESSION for sessions,
	// the account ID for root.
	UserID string
	// Name is the user name, or the role name for a session ("bob").
	Name        string
	SessionName string // role sessions only
	AccessKeyID string
	// SessionPolicy is the inline session policy document passed to
	// AssumeRole/GetSessionToken, if any (raw JSON).
	SessionPolicy string
	// SessionPolicyARNs are managed session policies passed to AssumeRole.
	SessionPolicyARNs []string
	Tags              map[string]string // aws:PrincipalTag/*
	SourceIP          string
	Expires           time.Time // zero for long-term keys
}

// Request is one API call as a service sees it.
type Request struct {
	Ctx       context.Context
	ID        string // request ID, echoed as x-amzn-RequestId
	Service   string // "kms"
	Operation string // "Encrypt"
	Region    string
	Caller    Caller
	Now       time.Time // the sandbox's (virtual) clock at arrival

	// Body is the raw JSON body (JSON protocol).
	Body []byte
	// Params are the form parameters (Query protocol), Action and Version
	// included.
	Params url.Values

	// Via is set when a service makes this call on the caller's behalf
	// (forward access), e.g. "secretsmanager.us-east-1.amazonaws.com".
	// It becomes kms:ViaService and is shown in the trail.
	Via string

	// Event is the trail event being built for this call. Authorize fills
	// its decision fields; services add Resources.
	Event *Event
}

// Decode unmarshals a JSON protocol body into v. Unknown fields are ignored
// as AWS ignores them; a body that is not JSON gives AWS's
// SerializationException.
func (r *Request) Decode(v any) error {
	if len(r.Body) == 0 {
		return nil
	}
	if err := json.Unmarshal(r.Body, v); err != nil {
		return &Error{Status: 400, Code: "SerializationException", Message: "Start of structure or map found where not expected."}
	}
	return nil
}

// Sub derives the request a service makes on the caller's behalf: same
// caller, clock and context, a new operation on another service, Via set,
// and a fresh trail event linked to the parent's request ID.
func (r *Request) Sub(service, operation, via string) *Request {
	sub := &Request{
		Ctx: r.Ctx, ID: r.ID, Service: service, Operation: operation,
		Region: r.Region, Caller: r.Caller, Now: r.Now, Via: via,
	}
	sub.Event = NewEvent(sub)
	if r.Event != nil {
		sub.Event.Source = r.Event.Source
	}
	return sub
}

// Error is an AWS error as the learner sees it. The front end renders it in
// the service's protocol (JSON __type/message or the Query ErrorResponse).
type Error struct {
	Status  int    // HTTP status
	Code    string // "NotFoundException", "NoSuchEntity"
	Message string
	// Sender is "Sender" (client fault, default) or "Receiver"; used by the
	// Query envelope's <Type>.
	Sender string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// ErrUnknownOperation is returned by Handle for an operation the service
// does not implement; the front end renders AWS's error for the protocol
// (UnknownOperationException for JSON, InvalidAction for Query).
var ErrUnknownOperation = errors.New("unknown operation")

// Errorf builds an *Error with a formatted message.
func Errorf(status int, code, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// AuthzRequest is what a service asks the Authorizer about.
type AuthzRequest struct {
	Action string // "kms:Decrypt"
	// Resource is the resource ARN, or "*" for actions without
	// resource-level permissions.
	Resource string
	// ResourceAccount is the account that owns the resource; empty means
	// the caller's account.
	ResourceAccount string
	// ResourcePolicy is the resource's policy document (key policy, secret
	// policy, role trust policy), raw JSON; empty when it has none.
	ResourcePolicy string
	// ResourcePolicyName names it in explanations ("key policy",
	// "secret policy", "trust policy").
	ResourcePolicyName string
	// ResourceInMessage overrides how the resource is written in the
	// AccessDenied message (IAM's "user bob" quirk, a secret's name).
	ResourceInMessage string
	// Context holds the service-specific condition keys
	// (kms:EncryptionContext:…, secretsmanager:Name, …); the Authorizer adds
	// the global ones (aws:PrincipalArn, aws:CurrentTime, kms:ViaService, …).
	Context map[string][]string
}

// Authorizer decides whether the caller of r may do what a asks, using
// every applicable policy layer, records the decision on r.Event, and
// returns nil or an *Error carrying AWS's AccessDenied code and message for
// r's protocol. It never fails open.
type Authorizer interface {
	Authorize(r *Request, a AuthzRequest) error
}

// Store is the sandbox's transactional state store. Update transactions are
// durable when they return nil.
type Store interface {
	View(fn func(Tx) error) error
	Update(fn func(Tx) error) error
}

// Generational is implemented by stores that can tell readers whether
// anything may have changed: Generation moves after every Update. A value
// read after observing generation g may be reused while Generation is
// still g (hot paths use it to skip a read transaction).
type Generational interface {
	Generation() uint64
}

// Tx is one store transaction. Buckets are created on first Put; services
// prefix bucket names with their own name ("kms/keys").
type Tx interface {
	Get(bucket, key string) []byte // nil if absent; valid only inside the tx
	Put(bucket, key string, value []byte) error
	Delete(bucket, key string) error
	// ForEach visits keys in byte order.
	ForEach(bucket string, fn func(key string, value []byte) error) error
}

// GetJSON decodes the JSON value at bucket/key into v; it reports whether
// the key exists.
func GetJSON(tx Tx, bucket, key string, v any) (bool, error) {
	b := tx.Get(bucket, key)
	if b == nil {
		return false, nil
	}
	return true, json.Unmarshal(b, v)
}

// PutJSON stores v as JSON at bucket/key.
func PutJSON(tx Tx, bucket, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return tx.Put(bucket, key, b)
}

// Clock is the sandbox's clock; lessons can move it forward.
type Clock interface {
	Now() time.Time
}

// Sealer encrypts secrets at rest (key material) under the sandbox's local
// master key.
type Sealer interface {
	Seal(plaintext, label []byte) ([]byte, error)
	Open(sealed, label []byte) ([]byte, error)
}

// Trail records API calls.
type Trail interface {
	Record(e *Event)
}

// Event is one API call in the trail. It never holds secret values or
// plaintexts.
type Event struct {
	Time      time.Time `json:"time"`
	RequestID string    `json:"requestId"`
	Region    string    `json:"region"`
	Account   string    `json:"account"`
	Principal string    `json:"principal"` // caller ARN
	// PrincipalName is the short name shown in the TUI ("bob",
	// "alice-role/session").
	PrincipalName string   `json:"principalName"`
	AccessKeyID   string   `json:"accessKeyId,omitempty"`
	Service       string   `json:"service"`
	Operation     string   `json:"operation"`
	Action        string   `json:"action"` // "kms:Decrypt"
	Resources     []string `json:"resources,omitempty"`
	Via           string   `json:"via,omitempty"`
	// Decision is "Allowed", "ImplicitlyDenied" or "ExplicitlyDenied";
	// empty when the call was not authorized (e.g. GetCallerIdentity, or it
	// failed authentication).
	Decision string `json:"decision,omitempty"`
	// Layer is the policy layer that decided (identity, resource, boundary,
	// session, scp, rcp).
	Layer string `json:"layer,omitempty"`
	// Statements are the deciding statements, "policy-name:Sid" or
	// "policy-name:Statement[i]".
	Statements []string `json:"statements,omitempty"`
	// Explanation is the evaluator's explanation as JSON, for the TUI's
	// explanation view. The authorizer leaves it empty and sets Explainer
	// instead; the trail fills it for denied calls. Read it with
	// ExplanationJSON.
	Explanation json.RawMessage `json:"explanation,omitempty"`
	// Explainer, when set, builds the explanation on demand (once; copies
	// of the event share the result), so calls nobody inspects do not pay
	// for it. It is not serialized.
	Explainer    func() json.RawMessage `json:"-"`
	ErrorCode    string                 `json:"errorCode,omitempty"`
	ErrorMessage string                 `json:"errorMessage,omitempty"`
	// ReadOnly is true for calls that change nothing (watch mode re-checks
	// only after writes).
	ReadOnly bool `json:"readOnly"`
	// Source is "check" for calls a lesson's checks made to verify a step
	// (they are not the learner's), else empty.
	Source string `json:"source,omitempty"`
}

// NewEvent starts the trail event for r.
func NewEvent(r *Request) *Event {
	name := r.Caller.Name
	if r.Caller.SessionName != "" {
		name += "/" + r.Caller.SessionName
	}
	return &Event{
		Time: r.Now, RequestID: r.ID, Region: r.Region, Account: r.Caller.Account,
		Principal: r.Caller.ARN, PrincipalName: name, AccessKeyID: r.Caller.AccessKeyID,
		Service: r.Service, Operation: r.Operation, Action: r.Service + ":" + r.Operation,
		Via: r.Via,
	}
}

// ExplanationJSON returns the evaluator's explanation: Explanation when it
// is set, else the one Explainer builds; nil when the call was not
// evaluated.
func (e *Event) ExplanationJSON() json.RawMessage {
	if len(e.Explanation) > 0 || e.Explainer == nil {
		return e.Explanation
	}
	return e.Explainer()
}

// Finish completes e with the outcome err (nil for success).
func (e *Event) Finish(err error) *Event {
	if err == nil {
		return e
	}
	if ae, ok := err.(*Error); ok {
		e.ErrorCode, e.ErrorMessage = ae.Code, ae.Message
	} else {
		e.ErrorCode, e.ErrorMessage = "InternalFailure", "internal error"
	}
	return e
}

// Env is what the sandbox gives every service when it is built.
type Env struct {
	Store  Store
	Clock  Clock
	Authz  Authorizer
	Trail  Trail
	Sealer Sealer
	// Rand is the randomness for IDs and key material: crypto/rand, or a
	// seeded deterministic stream in tests (Options.Seed).
	Rand io.Reader
	// Region is the sandbox's region ("us-east-1").
	Region string
	// Dispatch lets a service call another service's operations as the
	// caller (CloudFormation creating resources).
	Dispatch Dispatcher
}

// Dispatcher calls another service's operation as the caller of parent,
// through that service's own authorization and trail.
type Dispatcher interface {
	// Call runs service.operation. For JSON services input is marshalled
	// as the request body and the response body is returned; for Query
	// services input is a url.Values and the result value is returned
	// marshalled with encoding/json.
	Call(parent *Request, service, operation string, input any) (json.RawMessage, error)
}
