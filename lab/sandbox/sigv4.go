package sandbox

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
)

const (
	sigAlgorithm  = "AWS4-HMAC-SHA256"
	amzDateFormat = "20060102T150405Z"
)

// sigKind classifies a SigV4 failure; the front end maps it to the code and
// status of the request's protocol.
type sigKind int

const (
	sigMissing      sigKind = iota + 1 // no Authorization at all
	sigIncomplete                      // Authorization present but malformed
	sigUnknownKey                      // access key or session token not recognized
	sigMismatch                        // signature (or scope, or time) does not verify
	sigExpiredToken                    // session credentials past their expiry
)

// sigError is a SigV4 verification failure with AWS's message.
type sigError struct {
	kind sigKind
	msg  string
}

func (e *sigError) Error() string { return e.msg }

// authHeader is a parsed Authorization header.
type authHeader struct {
	AccessKey     string
	Date          string // YYYYMMDD from the credential scope
	Region        string
	Service       string
	Terminator    string
	SignedHeaders []string
	Signature     string
	// presigned is set when the signature came in the query string; it is
	// then left out of the canonical query.
	presigned bool
}

// Scope is the credential scope string date/region/service/terminator.
func (a *authHeader) Scope() string {
	return a.Date + "/" + a.Region + "/" + a.Service + "/" + a.Terminator
}

// parseAuthorization parses "AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…,
// Signature=…". It never panics on any input.
func parseAuthorization(h string) (*authHeader, error) {
	if h == "" {
		return nil, &sigError{sigMissing, "Missing Authentication Token"}
	}
	alg, rest, ok := strings.Cut(h, " ")
	if !ok || alg != sigAlgorithm {
		return nil, &sigError{sigIncomplete, fmt.Sprintf("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=%s", h)}
	}
	a := &authHeader{}
	var haveCred, haveSigned, haveSig bool
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		switch k {
		case "Credential":
			f := strings.Split(v, "/")
			if len(f) != 5 || f[0] == "" {
				return nil, &sigError{sigIncomplete, fmt.Sprintf("Credential should be scoped to a valid date, region, service and terminator. Credential=%s", v)}
			}
			a.AccessKey, a.Date, a.Region, a.Service, a.Terminator = f[0], f[1], f[2], f[3], f[4]
			haveCred = true
		case "SignedHeaders":
			if v != "" {
				a.SignedHeaders = strings.Split(v, ";")
			}
			haveSigned = true
		case "Signature":
			a.Signature = v
			haveSig = true
		}
	}
	var missing []string
	if !haveCred {
		missing = append(missing, "Authorization header requires 'Credential' parameter.")
	}
	if !haveSigned {
		missing = append(missing, "Authorization header requires 'SignedHeaders' parameter.")
	}
	if !haveSig {
		missing = append(missing, "Authorization header requires 'Signature' parameter.")
	}
	if len(missing) > 0 {
		return nil, &sigError{sigIncomplete, strings.Join(missing, " ") + " Authorization=" + h}
	}
	return a, nil
}

// checkScope validates the credential scope against the request's date and
// the service it is addressed to.
func checkScope(a *authHeader, amzDate, service string) error {
	if a.Terminator != "aws4_request" {
		return &sigError{sigMismatch, "Credential should be scoped with a valid terminator: 'aws4_request', not '" + a.Terminator + "'."}
	}
	if len(amzDate) < 8 || a.Date != amzDate[:8] {
		return &sigError{sigMismatch, fmt.Sprintf("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.", a.Date, safePrefix(amzDate, 8), amzDate)}
	}
	if a.Service != service {
		return &sigError{sigMismatch, "Credential should be scoped to correct service: '" + service + "'. "}
	}
	if !validRegion(a.Region) {
		return &sigError{sigMismatch, "Credential should be scoped to a valid Region, not '" + a.Region + "'. "}
	}
	return nil
}

func safePrefix(s string, n int) string {
	if len(s) < n {
		return s
	}
	return s[:n]
}

// validRegion accepts region-shaped names (us-east-1, eu-central-2,
// us-gov-west-1).
func validRegion(r string) bool {
	parts := strings.Split(r, "-")
	if len(parts) < 3 {
		return false
	}
	for _, p := range parts[:len(parts)-1] {
		if p == "" {
			return false
		}
		for _, c := range p {
			if c < 'a' || c > 'z' {
				return false
			}
		}
	}
	last := parts[len(parts)-1]
	if last == "" {
		return false
	}
	for _, c := range last {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// requestTime returns the signing time from X-Amz-Date (or Date).
func requestTime(r *http.Request) (string, time.Time, error) {
	v := r.Header.Get("X-Amz-Date")
	if v == "" {
		if d := r.Header.Get("Date"); d != "" {
			t, err := http.ParseTime(d)
			if err == nil {
				return t.UTC().Format(amzDateFormat), t.UTC(), nil
			}
		}
		return "", time.Time{}, &sigError{sigIncomplete, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."}
	}
	t, err := time.Parse(amzDateFormat, v)
	if err != nil {
		return "", time.Time{}, &sigError{sigIncomplete, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."}
	}
	return v, t, nil
}

// checkSkew enforces the service's allowed clock skew against now (the
// real clock: the virtual clock only moves the sandbox's notion of time).
func checkSkew(amzDate string, t, now time.Time, window time.Duration) error {
	mins := int(window / time.Minute)
	if t.Before(now.Add(-window)) {
		return &sigError{sigMismatch, fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - %d min.)",
			amzDate, now.Add(-window).Format(amzDateFormat), now.Format(amzDateFormat), mins)}
	}
	if t.After(now.Add(window)) {
		return &sigError{sigMismatch, fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + %d min.)",
			amzDate, now.Add(window).Format(amzDateFormat), now.Format(amzDateFormat), mins)}
	}
	return nil
}

const mismatchMessage = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

// verifySignature recomputes the signature of r (whose body is body) with
// secret and compares it with the one in a.
func verifySignature(r *http.Request, body []byte, a *authHeader, amzDate, secret string) error {
	hasHost := false
	for _, h := range a.SignedHeaders {
		if h == "host" {
			hasHost = true
		}
	}
	if !hasHost {
		return &sigError{sigIncomplete, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."}
	}
	sum := sha256.Sum256(body)
	payloadHash := hex.EncodeToString(sum[:])
	if h := r.Header.Get("X-Amz-Content-Sha256"); h != "" && h != payloadHash {
		return &sigError{sigMismatch, "The provided 'x-amz-content-sha256' header does not match what was computed."}
	}
	creq := canonicalRequest(r, a, payloadHash)
	crHash := sha256.Sum256([]byte(creq))
	sts := sigAlgorithm + "\n" + amzDate + "\n" + a.Scope() + "\n" + hex.EncodeToString(crHash[:])
	key := signingKey(secret, a.Date, a.Region, a.Service)
	want := hex.EncodeToString(hmacSHA256(key, []byte(sts)))
	if !hmac.Equal([]byte(want), []byte(a.Signature)) {
		return &sigError{sigMismatch, mismatchMessage}
	}
	return nil
}

func canonicalRequest(r *http.Request, a *authHeader, payloadHash string) string {
	signed := a.SignedHeaders
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	path := r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	b.WriteString(path)
	b.WriteByte('\n')
	q := r.URL.Query()
	if a.presigned {
		q.Del("X-Amz-Signature")
	}
	b.WriteString(canonicalQuery(q))
	b.WriteByte('\n')
	for _, h := range signed {
		b.WriteString(h)
		b.WriteByte(':')
		b.WriteString(canonicalHeaderValue(r, h))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(signed, ";"))
	b.WriteByte('\n')
	b.WriteString(payloadHash)
	return b.String()
}

func canonicalHeaderValue(r *http.Request, name string) string {
	var vals []string
	switch name {
	case "host":
		vals = []string{r.Host}
	case "content-length":
		vals = r.Header.Values("Content-Length")
		if len(vals) == 0 && r.ContentLength >= 0 {
			vals = []string{fmt.Sprint(r.ContentLength)}
		}
	default:
		vals = r.Header.Values(name)
	}
	for i, v := range vals {
		vals[i] = strings.Join(strings.Fields(v), " ")
	}
	return strings.Join(vals, ",")
}

func canonicalQuery(q url.Values) string {
	if len(q) == 0 {
		return ""
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		vs := append([]string(nil), q[k]...)
		sort.Strings(vs)
		for _, v := range vs {
			parts = append(parts, uriEncode(k)+"="+uriEncode(v))
		}
	}
	return strings.Join(parts, "&")
}

// uriEncode is SigV4's URI encoding: RFC 3986 unreserved characters kept,
// everything else %XX with upper-case hex.
func uriEncode(s string) string {
	const hexdig = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexdig[c>>4])
		b.WriteByte(hexdig[c&15])
	}
	return b.String()
}

// signingKeys caches derived signing keys: they change once a day per
// access key, and deriving one costs four HMACs.
var signingKeys struct {
	sync.RWMutex
	m map[string][]byte
}

func signingKey(secret, date, region, service string) []byte {
	id := secret + "/" + date + "/" + region + "/" + service
	signingKeys.RLock()
	k, ok := signingKeys.m[id]
	signingKeys.RUnlock()
	if ok {
		return k
	}
	k = deriveSigningKey(secret, date, region, service)
	signingKeys.Lock()
	if signingKeys.m == nil || len(signingKeys.m) >= 1024 {
		signingKeys.m = map[string][]byte{}
	}
	signingKeys.m[id] = k
	signingKeys.Unlock()
	return k
}

func deriveSigningKey(secret, date, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), []byte(date))
	k = hmacSHA256(k, []byte(region))
	k = hmacSHA256(k, []byte(service))
	return hmacSHA256(k, []byte("aws4_request"))
}

func hmacSHA256(key, data []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(data)
	return m.Sum(nil)
}
