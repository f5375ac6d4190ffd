package policy

import (
	"fmt"
	"net/netip"
	"sync/atomic"
)

// SyntaxError is a malformed policy document: the position (1-based line
// and column), the policy element it concerns ("Statement[0].Effect") and
// what is wrong, in the spirit of IAM's MalformedPolicyDocument errors.
type SyntaxError struct {
	Line, Column int
	Element      string
	Msg          string
	// Code is the Access Analyzer-style issue code of the problem
	// ("JSON_SYNTAX_ERROR", "INVALID_EFFECT", "MISSING_PRINCIPAL",
	// "POLICY_SIZE_EXCEEDED", ...), for callers that map errors to a
	// service's own wording without matching message text.
	Code string
}

// Error formats the error as "line 4, column 7: Statement[0].Effect: msg".
func (e *SyntaxError) Error() string {
	if e.Element == "" {
		return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("line %d, column %d: %s: %s", e.Line, e.Column, e.Element, e.Msg)
}

// Policy is a parsed policy document.
type Policy struct {
	// Version is the Version element ("2012-10-17", "2008-10-17"), or ""
	// when the document has none.
	Version string
	// ID is the Id element.
	ID string
	// Statements are the statements in document order.
	Statements []Statement
	// Raw is the original document.
	Raw []byte
	// Kind is the kind given to ParseKind; 0 after Parse.
	Kind Kind

	// vars reports whether policy variables are substituted (only under
	// Version 2012-10-17; elsewhere "${...}" is literal text).
	vars bool
}

// Statement is one statement of a policy.
type Statement struct {
	// Sid is the statement ID, "" when absent.
	Sid string
	// Effect is "Allow" or "Deny".
	Effect string
	// Index is the statement's 0-based position in the policy.
	Index int
	// Principal and NotPrincipal are nil when absent.
	Principal, NotPrincipal *Principal
	// Action and NotAction hold the patterns as written; both nil when the
	// statement has neither (the statement then matches no action).
	Action, NotAction []string
	// Resource and NotResource hold the patterns as written.
	Resource, NotResource []string
	// Conditions are the Condition element's entries, one per operator and key.
	Conditions []Condition
	// Line and Column locate the statement's opening brace.
	Line, Column int

	deny        bool
	hasAction   bool
	notAction   bool
	actions     []pattern            // lowercased
	actIndex    map[string][]pattern // large Action lists: patterns by service prefix
	actWild     []pattern            // large Action lists: patterns whose service part has a wildcard
	cache       *stmtCache           // built on first evaluation; shared by copies of the statement
	hasResource bool
	notResource bool
	resources   []tmpl
	resPats     []pattern // compiled resources without variables
}

// stmtCache holds what the evaluator builds for a statement on first use.
// Everything in it is a pure function of the statement, so copies of a
// Statement may share it.
type stmtCache struct {
	// actBits is the statement's catalog action set (actionset.go).
	actBits atomic.Pointer[[]uint64]
	// refs is the last decisive-statement list that started with this
	// statement (refcache.go).
	refs atomic.Pointer[refEntry]
}

// Principal is a Principal or NotPrincipal element.
type Principal struct {
	// All is true for "Principal": "*".
	All bool
	// AWS holds account IDs, account root ARNs, user, role, session and
	// federated-user ARNs, or "*".
	AWS []string
	// Service holds service principals such as "kms.amazonaws.com".
	Service []string
	// Federated holds identity providers.
	Federated []string
	// CanonicalUser holds S3 canonical user IDs.
	CanonicalUser []string

	aws []pent // compiled AWS entries
}

// Condition is one condition: an operator applied to one context key with
// one or more policy values.
type Condition struct {
	// Operator is the operator as written, e.g. "ForAnyValue:StringLikeIfExists".
	Operator string
	// Key is the condition key as written, e.g. "aws:SourceIp".
	Key string
	// Values are the policy values as strings (numbers and booleans in
	// their JSON spelling).
	Values []string
	// Line and Column locate the key.
	Line, Column int

	op       opcode
	set      setQual
	ifExists bool
	keyLower string
	vals     []cval
	// slot is where the key was last found in a request context; contexts
	// built the same way put a key at the same place, so the lookup
	// usually needs one comparison (see Context.entryAt).
	slot *atomic.Int32
}

// cval is one compiled condition value.
type cval struct {
	t   tmpl         // string, ARN and Like operators
	f   float64      // numeric
	ns  int64        // date, Unix nanoseconds
	pfx netip.Prefix // IP
	b   bool         // Bool, Null
	ok  bool         // the value parsed for the operator's type
	lit bool         // string or ARN value without variables or wildcards
}
