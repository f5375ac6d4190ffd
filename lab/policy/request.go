package policy

import "fmt"

// Request is the request being authorized.
type Request struct {
	// Principal is the caller ARN: an IAM user, an assumed-role session
	// (arn:aws:sts::A:assumed-role/R/S), a role, the account root
	// (arn:aws:iam::A:root), or a service principal (kms.amazonaws.com).
	Principal string
	// Action is the action, e.g. "kms:Decrypt" (case-insensitive).
	Action string
	// Resource is the resource ARN, or "*" for actions without
	// resource-level permissions.
	Resource string
	// ResourceAccount is the account that owns the resource; "" means the
	// principal's account.
	ResourceAccount string
	// Context holds the request context keys (nil = none). Nothing is
	// derived automatically.
	Context *Context
}

// Named is a policy with the name explanations show for it
// ("AdministratorAccess", "bob/inline:read", "key policy").
type Named struct {
	Name   string
	Policy *Policy
}

// Level is one level of an AWS Organization (root, OU or account) with the
// SCPs or RCPs attached there; a request must be allowed at every level.
type Level struct {
	Org      string
	Policies []Named
}

// Input is everything an authorization decision depends on.
type Input struct {
	Request Request
	// Identity holds the identity-based policies: inline, attached managed
	// and the groups' policies.
	Identity []Named
	// Resource is the resource-based policy: a key policy when the request
	// resource is a KMS key, a role trust policy for sts:AssumeRole*.
	Resource *Named
	// Boundaries holds the permissions boundary (0 or 1 in practice; with
	// several, each must allow).
	Boundaries []Named
	// Session is the session policy of a role session.
	Session *Named
	// SCPs are the service control policies of the caller's account, one
	// Level per organization level. RCPs are the resource control policies
	// of the resource's account; RCPFullAWSAccess, which AWS attaches to
	// every level and which cannot be detached, is implied.
	SCPs, RCPs []Level
}

// Result is the outcome of an evaluation.
type Result int

// Results.
const (
	ImplicitlyDenied Result = iota
	Allowed
	ExplicitlyDenied
)

// String returns "Allowed", "ImplicitlyDenied" or "ExplicitlyDenied".
func (r Result) String() string {
	switch r {
	case Allowed:
		return "Allowed"
	case ExplicitlyDenied:
		return "ExplicitlyDenied"
	}
	return "ImplicitlyDenied"
}

// MarshalText renders the result by name in JSON.
func (r Result) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText reads a result written by MarshalText.
func (r *Result) UnmarshalText(b []byte) error {
	switch string(b) {
	case "Allowed":
		*r = Allowed
	case "ExplicitlyDenied":
		*r = ExplicitlyDenied
	case "ImplicitlyDenied":
		*r = ImplicitlyDenied
	default:
		return fmt.Errorf("unknown decision %q", b)
	}
	return nil
}

// StatementRef identifies one statement of one named policy.
type StatementRef struct {
	Policy string `json:"policy"`
	Sid    string `json:"sid,omitempty"`
	Index  int    `json:"index"`
	Effect string `json:"effect"`
}

// String returns "Policy:Sid", or "Policy:Statement[i]" when the statement
// has no Sid.
func (s StatementRef) String() string {
	if s.Sid != "" {
		return s.Policy + ":" + s.Sid
	}
	return fmt.Sprintf("%s:Statement[%d]", s.Policy, s.Index)
}

// Decision is the result of [Evaluate].
type Decision struct {
	Result Result `json:"decision"`
	// Layer is where the decision was made: "identity", "resource",
	// "boundary", "session", "scp" or "rcp" ("" for requests that are always
	// allowed, such as sts:GetCallerIdentity).
	Layer string `json:"layer,omitempty"`
	// Statements are the decisive statements: every matching Deny for
	// ExplicitlyDenied, the matching Allows that grant access for Allowed.
	// The slice may be shared with other decisions on the same policies:
	// read it, do not modify its elements.
	Statements []StatementRef `json:"statements,omitempty"`
	// MissingKeys are condition keys that statements matching the action
	// and resource referenced but the request context lacks.
	MissingKeys []string `json:"missingContextKeys,omitempty"`
}

// Layer names.
const (
	LayerIdentity = "identity"
	LayerResource = "resource"
	LayerBoundary = "boundary"
	LayerSession  = "session"
	LayerSCP      = "scp"
	LayerRCP      = "rcp"
)
