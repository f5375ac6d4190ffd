package console

import (
	"fmt"
	"reflect"
	"strings"
)

// Invocation is an `aws …` command line parsed into an SDK call.
type Invocation struct {
	Op *Operation
	// Input is a pointer to the operation's input struct (*kms.EncryptInput).
	Input any
	// Output is the --output format (json, text, table).
	Output string
	// Query is the --query JMESPath expression, or "".
	Query string
	// Profile is --profile: the persona for this one command, or "".
	Profile string
	// Region is --region, or "".
	Region string
	// NoPaginate is --no-paginate: print the first page only, as the
	// service returned it.
	NoPaginate bool
	// Help is set by `aws SERVICE [OPERATION] help`.
	Help    bool
	Service *Service
}

// locate splits the words after "aws" into the positional service and
// operation (at most two), the words after the operation, and the global
// options met before it.
func locate(words []string) (positional, rest []string, globals map[string]string, err error) {
	globals = map[string]string{}
	i := 1
	for ; i < len(words) && len(positional) < 2; i++ {
		w := words[i]
		if strings.HasPrefix(w, "--") {
			name, val, hasVal := strings.Cut(w[2:], "=")
			takes, ok := globalFlags[name]
			if !ok {
				if len(positional) == 0 {
					return nil, nil, nil, usagef("the following arguments are required: command")
				}
				return nil, nil, nil, usagef("the following arguments are required: operation")
			}
			if takes && !hasVal {
				if i+1 >= len(words) {
					return nil, nil, nil, usagef("argument --%s: expected one argument", name)
				}
				i++
				val = words[i]
			}
			globals[name] = val
			continue
		}
		positional = append(positional, w)
	}
	return positional, words[i:], globals, nil
}

// identify resolves the service and operation; op is nil for
// `aws SERVICE help`.
func identify(positional []string) (*Service, *Operation, error) {
	if len(positional) == 0 {
		return nil, nil, usagef("the following arguments are required: command")
	}
	svc := LookupService(positional[0])
	if svc == nil {
		return nil, nil, invalidChoice("command", positional[0], ServiceNames())
	}
	if len(positional) == 1 {
		return nil, nil, usagef("the following arguments are required: operation")
	}
	if positional[1] == "help" {
		return svc, nil, nil
	}
	op := svc.Operation(positional[1])
	if op == nil {
		return nil, nil, invalidChoice("operation", positional[1], svc.OperationNames())
	}
	return svc, op, nil
}

// Identify finds the service and operation of the words of an `aws …`
// command without reading its values (checks use it to judge whether a
// command is read-only).
func Identify(words []string) (*Service, *Operation, error) {
	if len(words) == 0 || words[0] != "aws" {
		return nil, nil, usagef("a console command starts with aws")
	}
	positional, _, _, err := locate(words)
	if err != nil {
		return nil, nil, err
	}
	svc, op, err := identify(positional)
	if err == nil && op == nil {
		err = usagef("aws %s help is not an operation", svc.Name)
	}
	return svc, op, err
}

// global options of the AWS CLI: true when they take a value.
var globalFlags = map[string]bool{
	"output": true, "query": true, "profile": true, "region": true, "cli-binary-format": true,
	"cli-input-json": true, "color": true, "cli-read-timeout": true, "cli-connect-timeout": true,
	"no-cli-pager": false, "no-paginate": false, "no-verify-ssl": false, "no-sign-request": false,
	"debug": false, "no-cli-auto-prompt": false, "endpoint-url": true, "ca-bundle": true,
	"cli-input-yaml": true, "generate-cli-skeleton": false, "cli-auto-prompt": false, "version": false,
}

// GlobalFlags lists the global options the console accepts, sorted.
func GlobalFlags() []string {
	m := make(map[string]any, len(globalFlags))
	for k := range globalFlags {
		m[k] = nil
	}
	return sortedKeys(m)
}

// Parse parses the words of an `aws …` command (words[0] == "aws").
// resolve maps file:// and fileb:// paths to files (relative to the
// workspace). The input is built but not validated: required members are
// the SDK's to check, as the CLI leaves them to botocore.
func Parse(words []string, resolve func(string) string) (*Invocation, error) {
	if len(words) == 0 || words[0] != "aws" {
		return nil, usagef("a console command starts with aws")
	}
	inv := &Invocation{Output: FormatJSON}
	positional, rest, globals, err := locate(words)
	if err != nil {
		return nil, err
	}
	svc, op, err := identify(positional)
	if err != nil {
		return nil, err
	}
	inv.Service = svc
	if op == nil { // aws SERVICE help
		inv.Help = true
		return inv, nil
	}
	inv.Op = op
	input := reflect.New(op.input)
	a := assigner{}
	type flagValue struct {
		p     *Param
		words []string
		neg   bool
	}
	var (
		values  []flagValue
		unknown []string
	)
	for j := 0; j < len(rest); j++ {
		w := rest[j]
		if w == "help" && j == 0 && len(rest) == 1 {
			inv.Help = true
			return inv, nil
		}
		if !strings.HasPrefix(w, "--") {
			unknown = append(unknown, w)
			continue
		}
		name, val, hasVal := strings.Cut(w[2:], "=")
		if takes, ok := globalFlags[name]; ok && op.Param(name) == nil {
			if takes && !hasVal {
				if j+1 >= len(rest) {
					return nil, usagef("argument --%s: expected one argument", name)
				}
				j++
				val = rest[j]
			}
			globals[name] = val
			continue
		}
		p := op.Param(name)
		neg := false
		if p == nil && strings.HasPrefix(name, "no-") {
			if q := op.Param(strings.TrimPrefix(name, "no-")); q != nil && q.IsBool() {
				p, neg = q, true
			}
		}
		if p == nil {
			unknown = append(unknown, w)
			continue
		}
		fv := flagValue{p: p, neg: neg}
		switch {
		case p.IsBool():
			if hasVal {
				return nil, usagef("argument --%s: ignored explicit argument '%s'", name, val)
			}
		case hasVal:
			fv.words = []string{val}
		case p.IsList():
			for j+1 < len(rest) && !strings.HasPrefix(rest[j+1], "--") {
				j++
				fv.words = append(fv.words, rest[j])
			}
			if len(fv.words) == 0 {
				return nil, usagef("argument --%s: expected at least one argument", name)
			}
		default:
			if j+1 >= len(rest) || strings.HasPrefix(rest[j+1], "--") {
				return nil, usagef("argument --%s: expected one argument", name)
			}
			j++
			fv.words = []string{rest[j]}
		}
		values = append(values, fv)
	}
	if len(unknown) > 0 {
		return nil, unknownOptions(op, unknown)
	}
	if err := inv.applyGlobals(globals, &a); err != nil {
		return nil, err
	}
	if src, ok := globals["cli-input-json"]; ok {
		doc, err := loadParam(src, resolve)
		if err != nil {
			return nil, &paramError{"cli-input-json", err}
		}
		var m map[string]any
		if err := decodeJSON(asText(doc), &m); err != nil {
			return nil, &paramError{"cli-input-json", err}
		}
		if err := a.assignStruct(input.Elem(), m, ""); err != nil {
			return nil, err
		}
	}
	for _, fv := range values {
		field := input.Elem().FieldByIndex(fv.p.index)
		if fv.p.IsBool() {
			if err := a.assign(field, !fv.neg, fv.p.Member); err != nil {
				return nil, err
			}
			continue
		}
		x, err := cliValue(fv.p, fv.words, resolve)
		if err != nil {
			return nil, &paramError{fv.p.Flag, err}
		}
		if err := a.assign(field, x, fv.p.Member); err != nil {
			return nil, err
		}
	}
	inv.Input = input.Interface()
	return inv, nil
}

func (inv *Invocation) applyGlobals(g map[string]string, a *assigner) error {
	for name, val := range g {
		switch name {
		case "output":
			switch val {
			case FormatJSON, FormatText, FormatTable, FormatOff:
				inv.Output = val
			case "yaml", "yaml-stream":
				return usagef("--output %s is not available in the lab console: use json, text or table", val)
			default:
				return usagef("argument --output: Invalid choice, valid choices are:\n\njson                                     | text\ntable                                    | yaml\nyaml-stream                              | off")
			}
		case "query":
			inv.Query = val
		case "no-paginate":
			inv.NoPaginate = true
		case "profile":
			inv.Profile = val
		case "region":
			inv.Region = val
		case "cli-binary-format":
			switch val {
			case "base64":
			case "raw-in-base64-out":
				a.rawIn = true
			default:
				return usagef("argument --cli-binary-format: Invalid choice, valid choices are:\n\nbase64                                   | raw-in-base64-out")
			}
		case "endpoint-url", "ca-bundle", "no-sign-request":
			return usagef("--%s is not available in the lab console: it always talks to the current target", name)
		case "cli-input-yaml", "generate-cli-skeleton", "cli-auto-prompt", "version":
			return usagef("--%s is not available in the lab console", name)
		}
	}
	return nil
}

func invalidChoice(what, got string, choices []string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "argument %s: Invalid choice, valid choices are:\n\n", what)
	if sugg := closeMatches(got, choices); len(sugg) > 0 {
		b.Reset()
		fmt.Fprintf(&b, "argument %s: Invalid choice: '%s', maybe you meant:\n", what, got)
		for _, s := range sugg {
			b.WriteString("\n  * " + s)
		}
		return &usageError{b.String()}
	}
	for i := 0; i < len(choices); i += 2 {
		line := fmt.Sprintf("%-40s", choices[i])
		if i+1 < len(choices) {
			line += " | " + fmt.Sprintf("%-40s", choices[i+1])
		}
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	return &usageError{strings.TrimRight(b.String(), "\n")}
}

func unknownOptions(op *Operation, unknown []string) error {
	msg := "Unknown options: " + strings.Join(unknown, ", ")
	for _, u := range unknown {
		if !strings.HasPrefix(u, "--") {
			continue
		}
		name, _, _ := strings.Cut(u[2:], "=")
		if s := closeMatches(name, op.flags); len(s) > 0 {
			msg += fmt.Sprintf("\n\nUnknown option: '--%s', maybe you meant:\n\n  * --%s", name, strings.Join(s, "\n  * --"))
			break
		}
	}
	return &usageError{msg}
}
