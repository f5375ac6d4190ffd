// Package policy implements the IAM policy language as AWS evaluates it:
// parsing policy documents into typed values (with line and column on every
// error), validating them in the style of IAM Access Analyzer's policy checks,
// evaluating a request against every policy layer (identity policies,
// resource policies including KMS key policies and role trust policies,
// permissions boundaries, session policies, SCPs and RCPs), explaining the
// decision statement by statement, and rendering the AccessDenied message
// text AWS returns.
//
// The package imports only the standard library. Everything in seclab that
// decides access calls [Evaluate]; nothing else does.
package policy
