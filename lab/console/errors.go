package console

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
)

// Exit statuses the AWS CLI v2 uses.
const (
	ExitOK      = 0
	ExitFailure = 255 // a command failed for another reason
	ExitUsage   = 252 // the command line could not be parsed
	ExitService = 254 // the service returned an error
)

// Error is a failed console command. Its Error text is what the AWS CLI
// would print on stderr.
type Error struct {
	// Status is the AWS CLI's exit status for the failure.
	Status int
	// Code is the AWS error code when the service refused the call
	// ("AccessDeniedException"); empty otherwise.
	Code string
	// Operation is the API operation ("Decrypt"), when known.
	Operation string
	// Message is the text as printed.
	Message string
	// Transient reports a failure that is nobody's fault in the command:
	// throttling, a timeout, a refused connection.
	Transient bool
	err       error
}

// Error is the text the AWS CLI would print on stderr.
func (e *Error) Error() string { return e.Message }

// Unwrap returns the underlying SDK error, if any.
func (e *Error) Unwrap() error { return e.err }

// usageError is a command-line mistake; its text follows "aws: error: ".
type usageError struct{ msg string }

// Error is the text after "aws: error: ".
func (e *usageError) Error() string { return e.msg }

// IsUsageError reports whether err from Parse is a mistake in the command
// line's shape (unknown service, operation or option, a missing value),
// as opposed to a value that could not be read or converted.
func IsUsageError(err error) bool {
	var ue *usageError
	return errors.As(err, &ue)
}

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// paramError is a value that could not be parsed for a flag.
type paramError struct {
	flag string
	err  error
}

// Error names the flag as the CLI does.
func (e *paramError) Error() string {
	return fmt.Sprintf("Error parsing parameter '--%s': %v", e.flag, e.err)
}

// cliError turns any failure of a command into an *Error with the AWS CLI's
// wording.
func cliError(op *Operation, endpoint string, err error) *Error {
	var ce *Error
	if errors.As(err, &ce) {
		return ce
	}
	var ue *usageError
	if errors.As(err, &ue) {
		return &Error{Status: ExitUsage, Message: "aws: error: " + ue.msg, err: err}
	}
	var pe *paramError
	var ve *validationError
	var be *base64Error
	switch {
	case errors.As(err, &pe):
		return &Error{Status: ExitUsage, Message: pe.Error(), err: err}
	case errors.As(err, &ve), errors.As(err, &be):
		return &Error{Status: ExitUsage, Message: err.Error(), err: err}
	}
	name := ""
	if op != nil {
		name = op.Name
	}
	var ipe smithy.InvalidParamsError
	if errors.As(err, &ipe) && op != nil {
		return requiredError(op, ipe)
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		msg := fmt.Sprintf("An error occurred (%s) when calling the %s operation", api.ErrorCode(), name)
		var mx *retry.MaxAttemptsError
		if errors.As(err, &mx) && mx.Attempt > 1 {
			msg += fmt.Sprintf(" (reached max retries: %d)", mx.Attempt-1)
		}
		msg += ": " + api.ErrorMessage()
		return &Error{Status: ExitService, Code: api.ErrorCode(), Operation: name, Message: msg,
			Transient: isThrottle(api.ErrorCode()), err: err}
	}
	if isConnError(err) {
		return &Error{Status: ExitFailure, Operation: name, Transient: true, err: err,
			Message: fmt.Sprintf("Could not connect to the endpoint URL: %q", endpoint)}
	}
	if errors.Is(err, errNoCredentials) {
		return &Error{Status: ExitFailure, Operation: name, err: err,
			Message: `Unable to locate credentials. You can configure credentials by running "aws configure".`}
	}
	var oe *smithy.OperationError
	if errors.As(err, &oe) {
		err = oe.Err
	}
	return &Error{Status: ExitFailure, Operation: name, Message: err.Error(), err: err,
		Transient: errors.Is(err, errTimeout) || strings.Contains(err.Error(), "deadline exceeded")}
}

var (
	errNoCredentials = errors.New("no credentials")
	errTimeout       = errors.New("timed out")
)

func isThrottle(code string) bool {
	switch code {
	case "ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded",
		"ServiceUnavailable", "ServiceUnavailableException", "InternalFailure", "InternalError",
		"KMSInternalException", "InternalServiceError", "RequestTimeout", "RequestTimeoutException":
		return true
	}
	return false
}

func isConnError(err error) bool {
	if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) {
		return true
	}
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// requiredError turns the SDK's client-side validation into the CLI's
// messages: missing top-level members are missing flags; missing nested
// members are botocore's parameter validation errors.
func requiredError(op *Operation, ipe smithy.InvalidParamsError) *Error {
	var flags, nested []string
	for _, e := range ipe.Errs() {
		var pe smithy.InvalidParamError
		if !errors.As(e, &pe) {
			continue
		}
		_, field, _ := strings.Cut(pe.Field(), ".")
		if p := op.paramByMember(field); p != nil {
			flags = append(flags, "--"+p.Flag)
			continue
		}
		parent, leaf := field, field
		if i := strings.LastIndex(field, "."); i >= 0 {
			parent, leaf = field[:i], field[i+1:]
		}
		nested = append(nested, fmt.Sprintf("Missing required parameter in %s: %q", parent, leaf))
	}
	if len(flags) > 0 {
		return &Error{Status: ExitUsage, Operation: op.Name, err: ipe,
			Message: "aws: error: the following arguments are required: " + strings.Join(flags, ", ")}
	}
	return &Error{Status: ExitUsage, Operation: op.Name, err: ipe,
		Message: "Parameter validation failed:\n" + strings.Join(nested, "\n")}
}
