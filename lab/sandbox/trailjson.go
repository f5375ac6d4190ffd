package sandbox

import (
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// appendEvent encodes e as one JSON object, the same document
// encoding/json produces for svc.Event, without reflection and without
// re-validating the explanation (the authorizer produced it with
// encoding/json). Every call writes one of these, so it is on the hot path.
func appendEvent(b []byte, e *svc.Event) []byte {
	b = append(b, `{"time":"`...)
	b = e.Time.AppendFormat(b, time.RFC3339Nano)
	b = append(b, '"')
	b = appendField(b, "requestId", e.RequestID, false)
	b = appendField(b, "region", e.Region, false)
	b = appendField(b, "account", e.Account, false)
	b = appendField(b, "principal", e.Principal, false)
	b = appendField(b, "principalName", e.PrincipalName, false)
	b = appendField(b, "accessKeyId", e.AccessKeyID, true)
	b = appendField(b, "service", e.Service, false)
	b = appendField(b, "operation", e.Operation, false)
	b = appendField(b, "action", e.Action, false)
	b = appendList(b, "resources", e.Resources)
	b = appendField(b, "via", e.Via, true)
	b = appendField(b, "decision", e.Decision, true)
	b = appendField(b, "layer", e.Layer, true)
	b = appendList(b, "statements", e.Statements)
	if len(e.Explanation) > 0 {
		b = append(b, `,"explanation":`...)
		b = append(b, e.Explanation...)
	}
	b = appendField(b, "errorCode", e.ErrorCode, true)
	b = appendField(b, "errorMessage", e.ErrorMessage, true)
	b = append(b, `,"readOnly":`...)
	b = strconv.AppendBool(b, e.ReadOnly)
	b = appendField(b, "source", e.Source, true)
	return append(b, '}')
}

func appendField(b []byte, name, v string, omitEmpty bool) []byte {
	if omitEmpty && v == "" {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return appendString(b, v)
}

func appendList(b []byte, name string, vs []string) []byte {
	if len(vs) == 0 {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, `":[`...)
	for i, v := range vs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, v)
	}
	return append(b, ']')
}

// appendString writes s as a JSON string, escaping as encoding/json does
// (control characters, quotes, backslashes, <, >, &, U+2028, U+2029, and
// invalid UTF-8 as U+FFFD).
func appendString(b []byte, s string) []byte {
	const hexdig = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexdig[c>>4], hexdig[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexdig[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
