// Package template reads CloudFormation templates: it decodes JSON and YAML
// (short-form tags included), checks the template's structure, validates
// parameter values, evaluates conditions and intrinsic functions, orders
// resources by their dependencies and expands the
// AWS::Serverless-2016-10-31 transform.
//
// It is pure: it creates nothing and calls no service. The cloudformation
// package turns its resolved resources into API calls.
package template
