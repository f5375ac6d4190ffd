package sandbox

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// Allowed clock skew between the signature time and the real clock.
const (
	jsonSkew  = 5 * time.Minute  // KMS, Secrets Manager
	querySkew = 15 * time.Minute // STS; IAM's window is assumed the same
)

// call is one request as decoded by the front end, before authentication.
type call struct {
	proto     svc.Protocol
	service   svc.Service
	name      string // service signing name, even when the service is unknown
	operation string
	version   string // Query protocol
	body      []byte
	params    url.Values
}

// ServeHTTP is the sandbox's single entry point.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := newUUID(s.env.Rand)
	w.Header().Set("x-amzn-RequestId", id)
	c, err := s.decode(w, r)
	if err != nil {
		s.writeError(w, c, id, err)
		return
	}
	caller, err := s.authenticate(r, c)
	if err != nil {
		s.recordFailure(r, c, id, err)
		s.writeError(w, c, id, err)
		return
	}
	ctx := r.Context()
	req := &svc.Request{
		Ctx: ctx, ID: id, Service: c.name, Operation: c.operation, Region: s.opts.region,
		Caller: caller, Now: s.clock.Now(), Body: c.body, Params: c.params,
	}
	req.Event = svc.NewEvent(req)
	req.Event.Source = callSource(r)
	out, err := s.handle(req, c)
	s.trail.Record(req.Event.Finish(err))
	if err != nil {
		s.writeError(w, c, id, err)
		return
	}
	s.writeResult(w, c, id, out)
}

// SourceHeader marks a call's origin: "check" for the calls a lesson's
// checks make. The trail records it as svc.Event.Source.
const SourceHeader = "X-Seclab-Source"

// callSource is the recognised value of SourceHeader, or "".
func callSource(r *http.Request) string {
	if v := r.Header.Get(SourceHeader); v == "check" {
		return v
	}
	return ""
}

// handle runs the operation, turning a panic into an internal failure so
// one bad input never takes the sandbox down.
func (s *Server) handle(req *svc.Request, c *call) (out any, err error) {
	defer func() {
		if p := recover(); p != nil {
			if s.onPanic != nil {
				s.onPanic(p)
			}
			out, err = nil, errInternal
		}
	}()
	out, err = c.service.Handle(req)
	if errors.Is(err, svc.ErrUnknownOperation) {
		err = unknownOperation(c)
	}
	return out, err
}

var errInternal = errors.New("internal failure")

// readBody reads all of rd into a buffer sized from the request's
// Content-Length (when it is within max), so a body is read without the
// buffer growing.
func readBody(rd io.Reader, length, max int64) ([]byte, error) {
	size := int64(512)
	if length > 0 && length <= max {
		size = length + 1 // room to see EOF without growing
	}
	b := make([]byte, 0, size)
	for {
		n, err := rd.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
}

// decode reads the body and works out protocol, service and operation.
func (s *Server) decode(w http.ResponseWriter, r *http.Request) (*call, error) {
	c := &call{proto: svc.JSON}
	target := r.Header.Get("X-Amz-Target")
	if target == "" {
		c.proto = svc.Query
	}
	body, err := readBody(http.MaxBytesReader(w, r.Body, s.opts.maxBody), r.ContentLength, s.opts.maxBody)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return c, &svc.Error{Status: http.StatusRequestEntityTooLarge, Code: "RequestEntityTooLarge",
				Message: "Request body is larger than the sandbox accepts"}
		}
		return c, &svc.Error{Status: 400, Code: "SerializationException", Message: "could not read the request body"}
	}
	c.body = body
	if c.proto == svc.JSON {
		prefix, op, _ := strings.Cut(target, ".")
		c.operation = op
		c.service = s.targets[prefix]
		if c.service == nil || op == "" || r.Method != http.MethodPost {
			return c, unknownOperation(c)
		}
		c.name = c.service.Name()
		return c, nil
	}
	// Query: form-encoded body plus any URL parameters.
	params, err := url.ParseQuery(string(body))
	if err != nil {
		return c, &svc.Error{Status: 400, Code: "MalformedQueryString", Message: "the request body is not valid form encoding"}
	}
	for k, vs := range r.URL.Query() {
		params[k] = append(params[k], vs...)
	}
	c.params = params
	c.operation = params.Get("Action")
	c.version = params.Get("Version")
	c.name = scopeService(r.Header.Get("Authorization"))
	if c.name == "" && isPresigned(r.URL.Query()) {
		if f := strings.Split(r.URL.Query().Get("X-Amz-Credential"), "/"); len(f) == 5 {
			c.name = f[3]
		}
	}
	if c.name == "" {
		c.name = serviceForVersion(c.version)
	}
	if v := s.services[c.name]; v != nil && v.Protocol() == svc.Query {
		c.service = v
	}
	if c.operation == "" {
		return c, &svc.Error{Status: 400, Code: "MissingAction", Message: "Missing Action"}
	}
	if c.service == nil || c.version != queryVersions[c.name] {
		return c, unknownOperation(c)
	}
	return c, nil
}

// scopeService extracts the service from the Authorization header's
// credential scope, or "".
func scopeService(auth string) string {
	i := strings.Index(auth, "Credential=")
	if i < 0 {
		return ""
	}
	cred := auth[i+len("Credential="):]
	if j := strings.IndexAny(cred, ", "); j >= 0 {
		cred = cred[:j]
	}
	f := strings.Split(cred, "/")
	if len(f) != 5 {
		return ""
	}
	return f[3]
}

func unknownOperation(c *call) error {
	if c.proto == svc.JSON {
		return &svc.Error{Status: 400, Code: "UnknownOperationException"}
	}
	return &svc.Error{Status: 400, Code: "InvalidAction",
		Message: "Could not find operation " + c.operation + " for version " + c.version}
}

// authenticate verifies SigV4 and resolves the caller.
func (s *Server) authenticate(r *http.Request, c *call) (svc.Caller, error) {
	skew := jsonSkew
	if c.proto == svc.Query {
		skew = querySkew
	}
	var a *authHeader
	var amzDate, token string
	if q := r.URL.Query(); isPresigned(q) && r.Header.Get("Authorization") == "" {
		p, err := parsePresigned(q)
		if err != nil {
			return svc.Caller{}, err
		}
		if err := p.checkTime(time.Now().UTC(), skew); err != nil {
			return svc.Caller{}, err
		}
		a, amzDate, token = p.auth, p.amzDate, p.token
	} else {
		var err error
		if a, err = parseAuthorization(r.Header.Get("Authorization")); err != nil {
			return svc.Caller{}, err
		}
		var t time.Time
		if amzDate, t, err = requestTime(r); err != nil {
			return svc.Caller{}, err
		}
		if err := checkSkew(amzDate, t, time.Now().UTC(), skew); err != nil {
			return svc.Caller{}, err
		}
		token = r.Header.Get("X-Amz-Security-Token")
	}
	if err := checkScope(a, amzDate, c.name); err != nil {
		return svc.Caller{}, err
	}
	cred, ok, err := s.credential(a.AccessKey)
	if err != nil {
		return svc.Caller{}, err
	}
	if !ok || token != cred.token {
		return svc.Caller{}, &sigError{sigUnknownKey, "The security token included in the request is invalid"}
	}
	if err := verifySignature(r, c.body, a, amzDate, cred.secret); err != nil {
		return svc.Caller{}, err
	}
	if !cred.caller.Expires.IsZero() && !s.clock.Now().Before(cred.caller.Expires) {
		return svc.Caller{}, &sigError{sigExpiredToken, "The security token included in the request is expired"}
	}
	caller := cred.caller
	caller.SourceIP = remoteIP(r)
	return caller, nil
}

type credential struct {
	caller        svc.Caller
	secret, token string
}

// credential resolves an access key: AKIA… keys are IAM users', ASIA…
// keys STS sessions'.
func (s *Server) credential(id string) (credential, bool, error) {
	if strings.HasPrefix(id, "ASIA") {
		caller, secret, token, ok, err := s.sts.Credential(id)
		return credential{caller, secret, token}, ok, err
	}
	caller, secret, ok, err := s.iam.AccessKey(id)
	return credential{caller: caller, secret: secret}, ok, err
}

func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// recordFailure records a request that failed authentication, so the
// trail shows rejected calls too.
func (s *Server) recordFailure(r *http.Request, c *call, id string, err error) {
	req := &svc.Request{Ctx: context.Background(), ID: id, Service: c.name, Operation: c.operation,
		Region: s.opts.region, Now: s.clock.Now()}
	req.Caller.SourceIP = remoteIP(r)
	if a, perr := parseAuthorization(r.Header.Get("Authorization")); perr == nil {
		req.Caller.AccessKeyID = a.AccessKey
	}
	s.trail.Record(svc.NewEvent(req).Finish(s.toAWSError(c, err)))
}
