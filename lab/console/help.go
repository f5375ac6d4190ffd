package console

import (
	"fmt"
	"reflect"
	"strings"
)

const overview = `Commands:
  aws SERVICE OPERATION [--flag value ...]   call AWS, as the AWS CLI v2 does
  as PERSONA                                 run the next commands as PERSONA
  whoami                                     who the console is right now
  time N aws ...                             run a command N times, print the median latency
  history                                    the commands you typed
  edit FILE                                  edit a workspace file in $EDITOR
  help [SERVICE [OPERATION]]                 this help, a service's operations, an operation's flags

Global flags: --output json|text|table, --query JMESPATH, --profile PERSONA, --region REGION,
--cli-input-json JSON|file://FILE, --cli-binary-format base64|raw-in-base64-out.
Values: file://NAME reads a workspace file as text, fileb://NAME as bytes; blobs are base64.
`

// Help is the `help` builtin: an overview, a service's operations, or an
// operation's flags.
func Help(args []string) (string, error) {
	if len(args) == 0 {
		return overview + "\nServices: " + strings.Join(ServiceNames(), ", ") + "\n", nil
	}
	s := LookupService(args[0])
	if s == nil {
		return "", cliError(nil, "", invalidChoice("command", args[0], ServiceNames()))
	}
	if len(args) == 1 {
		return helpFor(s, nil)
	}
	op := s.Operation(args[1])
	if op == nil {
		return "", cliError(nil, "", invalidChoice("operation", args[1], s.OperationNames()))
	}
	return helpFor(s, op)
}

func helpFor(s *Service, op *Operation) (string, error) {
	var b strings.Builder
	if op == nil {
		fmt.Fprintf(&b, "aws %s: available operations\n\n", s.Name)
		for _, n := range s.OperationNames() {
			fmt.Fprintf(&b, "  %s\n", n)
		}
		return b.String(), nil
	}
	fmt.Fprintf(&b, "aws %s %s  (API operation %s)\n\n", s.Name, op.CLIName, op.Name)
	if len(op.flags) == 0 {
		b.WriteString("  (no flags)\n")
	}
	for _, f := range op.flags {
		p := op.params[f]
		fmt.Fprintf(&b, "  --%-40s %s\n", f, typeWord(p.typ))
	}
	return b.String(), nil
}

// typeWord describes what a flag takes.
func typeWord(t reflect.Type) string {
	t = deref(t)
	switch {
	case t == timeType:
		return "timestamp"
	case t.Kind() == reflect.Bool:
		return "boolean (--flag / --no-flag)"
	case t.Kind() == reflect.String:
		return "string"
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64:
		return "integer"
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return "number"
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		return "blob (base64, or fileb://FILE)"
	case t.Kind() == reflect.Slice:
		return "list of " + typeWord(t.Elem())
	case t.Kind() == reflect.Map:
		return "map (k1=v1,k2=v2 or JSON)"
	case t.Kind() == reflect.Struct:
		var names []string
		for i := 0; i < t.NumField(); i++ {
			if t.Field(i).IsExported() {
				names = append(names, t.Field(i).Name+"=…")
			}
		}
		return "structure (" + strings.Join(names, ",") + " or JSON)"
	}
	return t.String()
}
