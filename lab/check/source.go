package check

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Checks' own calls carry a marker so the sandbox can tell them from the
// learner's: its trail records them with Source "check", the trail pane
// dims them, watch mode ignores them and trail checks skip them.
const (
	// SourceHeader is the HTTP header that carries the marker. The sandbox
	// front end reads the same name (sandbox.SourceHeader).
	SourceHeader = "X-Seclab-Source"
	// SourceCheck is the marker's value, and target.Event.Source of the
	// calls checks made.
	SourceCheck = "check"
)

type sourceKey struct{}

// WithSource marks ctx: calls made with it come from a check. One marks
// the context of every check it runs.
func WithSource(ctx context.Context) context.Context {
	return context.WithValue(ctx, sourceKey{}, SourceCheck)
}

// FromCheck reports whether ctx was marked by WithSource.
func FromCheck(ctx context.Context) bool {
	v, _ := ctx.Value(sourceKey{}).(string)
	return v == SourceCheck
}

// MarkCalls returns a copy of cfg whose clients send SourceHeader on calls
// made with a context marked by WithSource, and nothing extra otherwise.
// Use it for targets with a trail (the sandbox); real AWS ignores the
// header but has no use for it.
func MarkCalls(cfg aws.Config) aws.Config {
	out := cfg.Copy()
	out.APIOptions = append(out.APIOptions, addSourceMiddleware)
	return out
}

// sourceMiddlewareID names the middleware in the client's stack.
const sourceMiddlewareID = "SeclabCheckSource"

func addSourceMiddleware(stack *middleware.Stack) error {
	// The build step runs before signing (finalize), so the header is
	// signed like any other.
	return stack.Build.Add(middleware.BuildMiddlewareFunc(sourceMiddlewareID, func(
		ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler,
	) (middleware.BuildOutput, middleware.Metadata, error) {
		if req, ok := in.Request.(*smithyhttp.Request); ok && FromCheck(ctx) {
			req.Header.Set(SourceHeader, SourceCheck)
		}
		return next.HandleBuild(ctx, in)
	}), middleware.After)
}
