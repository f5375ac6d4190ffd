package cloudformation

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/seclab-dev/seclab/lab/sandbox/cloudformation/template"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// provider creates, updates and deletes one resource type through the
// sandbox's services, as the caller.
type provider struct {
	// create makes the resource from its resolved properties and records
	// its physical ID, Ref value and attributes with d.created.
	create func(d *deployment, id string, props map[string]any) error
	// update changes the resource in place; nil means every change
	// replaces the resource.
	update func(d *deployment, id string, old, new map[string]any) error
	// del deletes the resource.
	del func(d *deployment, id string) error
	// replaceOn are properties whose change requires a new resource.
	replaceOn []string
	// props are the properties the type's schema has; required those it
	// requires.
	props, required []string
	// attrs are the Fn::GetAtt attributes the type has.
	attrs []string
	// note is the reason shown on the CREATE_COMPLETE event.
	note string
}

func (p provider) needsReplacement(old, new map[string]any) bool {
	for _, k := range p.replaceOn {
		a, _ := json.Marshal(old[k])
		b, _ := json.Marshal(new[k])
		if string(a) != string(b) {
			return true
		}
	}
	return false
}

// providers are the supported resource types.
var providers = map[string]provider{}

func register(typ string, p provider) { providers[typ] = p }

// handlerError is a resource failure with the reason its event shows.
type handlerError struct {
	reason string
	code   string // the service error code, when there is one
}

func (e *handlerError) Error() string { return e.reason }

// serviceNames are how CloudFormation's handlers name services in
// "(Service: Kms, Status Code: 400, Request ID: …)".
var serviceNames = map[string]string{"kms": "Kms", "secretsmanager": "SecretsManager", "iam": "Iam", "sts": "Sts"}

// handlerCodes maps service error codes to CloudFormation handler error codes.
func handlerCode(code string) string {
	switch code {
	case "AccessDeniedException", "AccessDenied":
		return "AccessDenied"
	case "NotFoundException", "ResourceNotFoundException", "NoSuchEntity":
		return "NotFound"
	case "AlreadyExistsException", "ResourceExistsException", "EntityAlreadyExists":
		return "AlreadyExists"
	case "LimitExceededException", "LimitExceeded":
		return "ServiceLimitExceeded"
	case "ValidationException", "ValidationError", "InvalidParameterException", "InvalidRequestException",
		"MalformedPolicyDocumentException", "MalformedPolicyDocument", "InvalidInput":
		return "InvalidRequest"
	}
	return "GeneralServiceException"
}

// call runs service.operation as the caller. A service error becomes a
// handlerError worded as CloudFormation's resource handlers report it.
func (d *deployment) call(service, operation string, input any) (json.RawMessage, error) {
	out, err := d.s.env.Dispatch.Call(d.r, service, operation, input)
	if err == nil {
		return out, nil
	}
	var ae *svc.Error
	if errors.As(err, &ae) {
		status := ae.Status
		if status == 0 {
			status = http.StatusBadRequest
		}
		return nil, &handlerError{code: ae.Code, reason: fmt.Sprintf(
			"Resource handler returned message: \"%s (Service: %s, Status Code: %d, Request ID: %s)\" (HandlerErrorCode: %s)",
			ae.Message, serviceNames[service], status, d.r.ID, handlerCode(ae.Code))}
	}
	return nil, fmt.Errorf("%s %s: %w", service, operation, err)
}

// callJSON runs call and decodes the result into out (field names match
// case-insensitively, so Query results marshalled from Go structs work).
func (d *deployment) callJSON(service, operation string, input, out any) error {
	raw, err := d.call(service, operation, input)
	if err != nil {
		return err
	}
	if out == nil || len(raw) == 0 {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("decode %s %s result: %w", service, operation, err)
	}
	return nil
}

func isNotFound(err error) bool {
	var he *handlerError
	return errors.As(err, &he) && handlerCode(he.code) == "NotFound"
}

// created records a new physical resource.
func (d *deployment) created(id, physicalID, ref string, attrs map[string]any) {
	d.st.Resources[id].PhysicalID = physicalID
	d.st.sealed.Ref[id] = ref
	if attrs == nil {
		attrs = map[string]any{}
	}
	d.st.sealed.Attrs[id] = attrs
}

func (d *deployment) extra(id string) map[string]string {
	m := d.st.sealed.Extra[id]
	if m == nil {
		m = map[string]string{}
		d.st.sealed.Extra[id] = m
	}
	return m
}

// physicalName generates a name the way CloudFormation does for resources
// the template leaves unnamed: stack name, logical ID and a random suffix of
// 12 or 13 characters, shortened to fit max.
func (d *deployment) physicalName(id string, max int) string {
	suffix := d.s.randString(13, upperDigits)
	stackPart, idPart := d.st.Name, id
	budget := max - len(suffix) - 2
	if budget < 2 {
		return suffix[:min(len(suffix), max)]
	}
	for len(stackPart)+len(idPart) > budget {
		if len(stackPart) >= len(idPart) {
			stackPart = stackPart[:len(stackPart)-1]
		} else {
			idPart = idPart[:len(idPart)-1]
		}
	}
	return stackPart + "-" + idPart + "-" + suffix
}

// Property helpers. Resolved properties are plain values; CloudFormation
// accepts numbers and booleans written as strings and the reverse.

func str(props map[string]any, k string) string {
	s, _ := template.String(props[k])
	return s
}

func has(props map[string]any, k string) bool { _, ok := props[k]; return ok }

func boolProp(props map[string]any, k string, def bool) bool {
	if !has(props, k) {
		return def
	}
	return strings.EqualFold(str(props, k), "true")
}

func intProp(props map[string]any, k string) (int, bool, error) {
	if !has(props, k) {
		return 0, false, nil
	}
	n, err := strconv.Atoi(str(props, k))
	if err != nil {
		return 0, true, &handlerError{reason: fmt.Sprintf("Properties validation failed for resource with message: [#/%s: expected type: Integer, found: String]", k)}
	}
	return n, true, nil
}

// policyJSON renders a policy property (an object, or a JSON string) as a
// JSON document.
func policyJSON(v any) (string, error) {
	if s, ok := v.(string); ok {
		return s, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode policy: %w", err)
	}
	return string(b), nil
}

// stringList reads a list-of-strings property.
func stringList(props map[string]any, k string) []string {
	var out []string
	switch v := props[k].(type) {
	case []any:
		for _, x := range v {
			if s, ok := template.String(x); ok {
				out = append(out, s)
			}
		}
	case string:
		out = []string{v}
	}
	return out
}

// tagList reads a Tags property ([{Key, Value}]).
func tagList(props map[string]any) []tag {
	var out []tag
	l, _ := props["Tags"].([]any)
	for _, x := range l {
		m, _ := x.(map[string]any)
		k, _ := template.String(m["Key"])
		v, _ := template.String(m["Value"])
		out = append(out, tag{Key: k, Value: v})
	}
	return out
}

// diff returns the items of b not in a.
func diff(a, b []string) []string {
	var out []string
	for _, x := range b {
		if !slices.Contains(a, x) {
			out = append(out, x)
		}
	}
	return out
}
