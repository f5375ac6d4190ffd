package sandbox

import (
	"encoding/json"
	"fmt"
	"net/url"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// dispatcher implements svc.Dispatcher: a service calling another
// service's operation as the caller, through that service's own
// authorization and with its own trail event.
type dispatcher struct{ s *Server }

// Call runs service.operation on behalf of parent's caller.
func (d dispatcher) Call(parent *svc.Request, service, operation string, input any) (json.RawMessage, error) {
	target := d.s.services[service]
	if target == nil {
		return nil, fmt.Errorf("dispatch %s:%s: no such service", service, operation)
	}
	via := parent.Service + "." + parent.Region + ".amazonaws.com"
	sub := parent.Sub(service, operation, via)
	c := &call{proto: target.Protocol(), service: target, name: service, operation: operation}
	switch target.Protocol() {
	case svc.JSON:
		body, err := json.Marshal(input)
		if err != nil {
			return nil, fmt.Errorf("dispatch %s:%s: encode input: %w", service, operation, err)
		}
		sub.Body = body
	case svc.Query:
		params := url.Values{}
		if in, ok := input.(url.Values); ok {
			for k, v := range in {
				params[k] = append([]string(nil), v...)
			}
		} else if input != nil {
			return nil, fmt.Errorf("dispatch %s:%s: Query input must be url.Values, not %T", service, operation, input)
		}
		params.Set("Action", operation)
		params.Set("Version", queryVersions[service])
		sub.Params = params
		c.version = queryVersions[service]
	}
	out, err := d.s.handle(sub, c)
	d.s.trail.Record(sub.Event.Finish(err))
	if err != nil {
		return nil, err
	}
	if out == nil {
		return json.RawMessage("{}"), nil
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("dispatch %s:%s: encode output: %w", service, operation, err)
	}
	return b, nil
}
