package sandbox

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"net/http"
	"strconv"
	"sync"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// jsonTargets maps a JSON service's signing name to its X-Amz-Target
// prefix; services not listed use their name.
var jsonTargets = map[string]string{
	"kms":            "TrentService",
	"secretsmanager": "secretsmanager",
}

func jsonTargetPrefix(name string) string {
	if p, ok := jsonTargets[name]; ok {
		return p
	}
	return name
}

// jsonMessageKey is the member that carries the error text in each JSON
// service's error bodies: KMS uses "message", Secrets Manager "Message".
var jsonMessageKey = map[string]string{
	"kms":            "message",
	"secretsmanager": "Message",
}

// queryVersions are the API versions of the Query services.
var queryVersions = map[string]string{
	"iam":            "2010-05-08",
	"sts":            "2011-06-15",
	"cloudformation": "2010-05-15",
}

// queryNamespaces are the XML namespaces of the Query services' responses.
var queryNamespaces = map[string]string{
	"iam":            "https://iam.amazonaws.com/doc/2010-05-08/",
	"sts":            "https://sts.amazonaws.com/doc/2011-06-15/",
	"cloudformation": "http://cloudformation.amazonaws.com/doc/2010-05-15/",
}

func serviceForVersion(v string) string {
	for name, ver := range queryVersions {
		if ver == v {
			return name
		}
	}
	return ""
}

// toAWSError maps any error from the pipeline to the AWS error the client
// sees for the call's protocol.
func (s *Server) toAWSError(c *call, err error) *svc.Error {
	var ae *svc.Error
	if errors.As(err, &ae) {
		return ae
	}
	var se *sigError
	if errors.As(err, &se) {
		return sigAWSError(c.proto, se)
	}
	status, code := 500, "InternalFailure"
	if c.proto == svc.Query {
		code = "ServiceFailure"
	}
	return &svc.Error{Status: status, Code: code, Message: "We encountered an internal error. Please try again.", Sender: "Receiver"}
}

// sigAWSError renders a SigV4 failure with each protocol's codes (§6.4 of
// the reference): JSON services answer 400, Query services 403.
func sigAWSError(p svc.Protocol, e *sigError) *svc.Error {
	if p == svc.JSON {
		switch e.kind {
		case sigMissing:
			// Status UNCONFIRMED; AWS's JSON front end answers client faults with 400.
			return &svc.Error{Status: 400, Code: "MissingAuthenticationTokenException", Message: e.msg}
		case sigIncomplete:
			return &svc.Error{Status: 400, Code: "IncompleteSignatureException", Message: e.msg}
		case sigUnknownKey:
			return &svc.Error{Status: 400, Code: "UnrecognizedClientException", Message: e.msg + "."}
		case sigExpiredToken:
			return &svc.Error{Status: 400, Code: "ExpiredTokenException", Message: e.msg}
		default:
			return &svc.Error{Status: 400, Code: "InvalidSignatureException", Message: e.msg}
		}
	}
	switch e.kind {
	case sigMissing:
		// Code and status UNCONFIRMED for IAM/STS; this is the Query family's usual pair.
		return &svc.Error{Status: 403, Code: "MissingAuthenticationToken", Message: "Request is missing Authentication Token"}
	case sigIncomplete:
		return &svc.Error{Status: 400, Code: "IncompleteSignature", Message: e.msg}
	case sigUnknownKey:
		return &svc.Error{Status: 403, Code: "InvalidClientTokenId", Message: e.msg}
	case sigExpiredToken:
		return &svc.Error{Status: 403, Code: "ExpiredToken", Message: e.msg}
	default:
		return &svc.Error{Status: 403, Code: "SignatureDoesNotMatch", Message: e.msg}
	}
}

func (s *Server) writeError(w http.ResponseWriter, c *call, id string, err error) {
	ae := s.toAWSError(c, err)
	status := ae.Status
	if status == 0 {
		status = 400
	}
	if c.proto == svc.JSON {
		key := "message"
		if _, ok := jsonMessageKey[c.name]; ok && !isFrontEndCode(ae.Code) {
			key = jsonMessageKey[c.name]
		}
		body := map[string]string{"__type": ae.Code}
		if ae.Message != "" {
			body[key] = ae.Message
		}
		writeJSON(w, status, body)
		return
	}
	typ := ae.Sender
	if typ == "" {
		typ = "Sender"
	}
	var b bytes.Buffer
	b.WriteString(`<ErrorResponse xmlns="`)
	b.WriteString(queryNamespace(c.name))
	b.WriteString(`"><Error><Type>`)
	xml.EscapeText(&b, []byte(typ))
	b.WriteString(`</Type><Code>`)
	xml.EscapeText(&b, []byte(ae.Code))
	b.WriteString(`</Code><Message>`)
	xml.EscapeText(&b, []byte(ae.Message))
	b.WriteString(`</Message></Error><RequestId>`)
	b.WriteString(id)
	b.WriteString("</RequestId></ErrorResponse>\n")
	writeXML(w, status, b.Bytes())
}

// isFrontEndCode reports codes produced by AWS's shared front end (auth,
// routing), which spell the text member "message" for every service.
func isFrontEndCode(code string) bool {
	switch code {
	case "UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException",
		"MissingAuthenticationTokenException", "IncompleteSignatureException", "UnknownOperationException",
		"RequestEntityTooLarge":
		return true
	}
	return false
}

func queryNamespace(name string) string {
	if ns, ok := queryNamespaces[name]; ok {
		return ns
	}
	return queryNamespaces["iam"]
}

func (s *Server) writeResult(w http.ResponseWriter, c *call, id string, out any) {
	if c.proto == svc.JSON {
		if out == nil {
			out = struct{}{}
		}
		writeJSON(w, 200, out)
		return
	}
	b, err := marshalQuery(c.name, c.operation, id, out)
	if err != nil {
		s.writeError(w, c, id, err)
		return
	}
	writeXML(w, 200, b)
}

// marshalQuery builds <OpResponse><OpResult>…</OpResult><ResponseMetadata>.
func marshalQuery(service, op, id string, out any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("<" + op + `Response xmlns="` + queryNamespace(service) + `">` + "\n")
	if out != nil {
		enc := xml.NewEncoder(&b)
		if err := enc.EncodeElement(out, xml.StartElement{Name: xml.Name{Local: op + "Result"}}); err != nil {
			return nil, err
		}
		if err := enc.Flush(); err != nil {
			return nil, err
		}
		b.WriteByte('\n')
	}
	b.WriteString("<ResponseMetadata>\n<RequestId>" + id + "</RequestId>\n</ResponseMetadata>\n</" + op + "Response>\n")
	return b.Bytes(), nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	if a, ok := v.(svc.JSONAppender); ok {
		bp := bodyPool.Get().(*[]byte)
		b := a.AppendJSON((*bp)[:0])
		writeBody(w, status, b)
		*bp = b
		bodyPool.Put(bp)
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		status = 500
		b = []byte(`{"__type":"InternalFailure","message":"response could not be encoded"}`)
	}
	writeBody(w, status, b)
}

// bodyPool recycles the buffers self-encoding responses are written into.
var bodyPool = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

func writeBody(w http.ResponseWriter, status int, b []byte) {
	h := w.Header()
	h["Content-Type"] = jsonContentType
	h["Content-Length"] = []string{strconv.Itoa(len(b))}
	w.WriteHeader(status)
	w.Write(b)
}

// jsonContentType is shared by every response; net/http only reads it.
var jsonContentType = []string{"application/x-amz-json-1.1"}

func writeXML(w http.ResponseWriter, status int, b []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/xml")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
}
