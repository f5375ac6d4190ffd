// Package target describes where a lab session's AWS calls go — the
// embedded sandbox, an AWS-compatible endpoint or a real account — as
// plain SDK configuration plus an optional call trail. It holds no logic
// that reaches AWS and never imports the sandbox: cmd/seclab adapts the
// sandbox to these types, so every lab package runs unchanged against any
// target.
package target

import (
	"context"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Kinds of target.
const (
	Sandbox  = "sandbox"
	Endpoint = "endpoint"
	AWS      = "aws"
)

// Target is where calls go.
type Target struct {
	// Kind is Sandbox, Endpoint or AWS.
	Kind string
	// Endpoint is the base URL for Sandbox and Endpoint targets.
	Endpoint string
	// Learner is the SDK configuration of the learner's own identity.
	Learner aws.Config
	// WithCredentials returns a configuration for other credentials on the
	// same target (a persona's access key). Required for personas.
	WithCredentials func(aws.Credentials) aws.Config
	// Trail is the target's call trail; nil when it has none (real AWS).
	Trail TrailSource
}

// Event is one API call in a target's trail.
type Event struct {
	Time time.Time
	// Principal is the caller's ARN; PrincipalName its short name ("bob").
	Principal     string
	PrincipalName string
	// Action is "kms:Decrypt".
	Action string
	// Via is the service that called on the principal's behalf
	// ("secretsmanager.us-east-1.amazonaws.com"), or "".
	Via string
	// Decision is "Allowed", "ImplicitlyDenied", "ExplicitlyDenied" or ""
	// when the call was not authorized by policy.
	Decision string
	// ErrorCode is the AWS error code the call failed with, or "".
	ErrorCode string
	// ReadOnly is false for calls that may change state.
	ReadOnly bool
	// Resources are the ARNs the call touched.
	Resources []string
	// Source is "check" for calls a step's checks made, else "".
	Source string
}

// Denied reports whether policy refused the call.
func (e Event) Denied() bool { return strings.HasSuffix(e.Decision, "Denied") }

// TrailSource is a live feed of trail events.
type TrailSource interface {
	// Subscribe delivers events as they are recorded until cancel is
	// called. A slow reader may miss events; it never blocks calls.
	Subscribe() (events <-chan Event, cancel func())
	// Since returns the recorded events at or after t, oldest first.
	Since(ctx context.Context, t time.Time) ([]Event, error)
	// Sync returns once every event recorded before it was called has
	// been sent to the subscribers' channels (those with room), so a
	// reader can tell "no such call" from "not delivered yet".
	Sync(ctx context.Context) error
}
