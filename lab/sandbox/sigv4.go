package sandbox

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
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
	var payloadHash [2 * sha256.Size]byte
	hex.Encode(payloadHash[:], sum[:])
	if h := r.Header.Get("X-Amz-Content-Sha256"); h != "" && h != string(payloadHash[:]) {
		return &sigError{sigMismatch, "The provided 'x-amz-content-sha256' header does not match what was computed."}
	}
	bp := sigPool.Get().(*[]byte)
	defer sigPool.Put(bp)
	creq := appendCanonicalRequest((*bp)[:0], r, a, payloadHash[:])
	crHash := sha256.Sum256(creq)
	sts := append(creq[:0], sigAlgorithm+"\n"...)
	sts = append(sts, amzDate...)
	sts = append(sts, '\n')
	sts = append(sts, a.Scope()...)
	sts = append(sts, '\n')
	sts = hex.AppendEncode(sts, crHash[:])
	*bp = sts
	key := signingKey(secret, a.Date, a.Region, a.Service)
	mac, _ := hmacScratch(key, sts, sts[len(sts):])
	var want [2 * sha256.Size]byte
	hex.Encode(want[:], mac[:])
	if !hmac.Equal(want[:], []byte(a.Signature)) {
		return &sigError{sigMismatch, mismatchMessage}
	}
	return nil
}

// sigPool recycles the buffers canonical requests are built in.
var sigPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// appendCanonicalRequest appends SigV4's canonical request for r to b,
// without changing r.
func appendCanonicalRequest(b []byte, r *http.Request, a *authHeader, payloadHash []byte) []byte {
	b = append(b, r.Method...)
	b = append(b, '\n')
	path := r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	b = append(b, path...)
	b = append(b, '\n')
	if r.URL.RawQuery != "" {
		q := r.URL.Query()
		if a.presigned {
			q.Del("X-Amz-Signature")
		}
		b = append(b, canonicalQuery(q)...)
	}
	b = append(b, '\n')
	for _, h := range a.SignedHeaders {
		b = append(b, h...)
		b = append(b, ':')
		b = appendHeaderValue(b, r, h)
		b = append(b, '\n')
	}
	b = append(b, '\n')
	for i, h := range a.SignedHeaders {
		if i > 0 {
			b = append(b, ';')
		}
		b = append(b, h...)
	}
	b = append(b, '\n')
	return append(b, payloadHash...)
}

// appendHeaderValue appends the canonical value of header name: its values
// joined by commas, each trimmed with inner runs of spaces collapsed.
func appendHeaderValue(b []byte, r *http.Request, name string) []byte {
	var vals []string
	switch name {
	case "host":
		return appendTrimmed(b, r.Host)
	case "content-length":
		vals = r.Header.Values("Content-Length")
		if len(vals) == 0 && r.ContentLength >= 0 {
			return strconv.AppendInt(b, r.ContentLength, 10)
		}
	default:
		vals = r.Header.Values(name)
	}
	for i, v := range vals {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendTrimmed(b, v)
	}
	return b
}

// appendTrimmed appends v's whitespace-separated fields joined by single
// spaces; values that need no change (the usual case) are copied as is.
func appendTrimmed(b []byte, v string) []byte {
	clean := v == "" || (v[0] != ' ' && v[len(v)-1] != ' ')
	for i := 0; clean && i < len(v); i++ {
		c := v[i]
		switch {
		case c >= 0x80, c == '\t', c == '\n', c == '\v', c == '\f', c == '\r':
			clean = false
		case c == ' ' && i+1 < len(v) && v[i+1] == ' ':
			clean = false
		}
	}
	if clean {
		return append(b, v...)
	}
	return append(b, strings.Join(strings.Fields(v), " ")...)
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

// hmacScratch is HMAC-SHA-256 of data under key computed in scratch's
// capacity instead of allocating hash states (for keys of at most one
// SHA-256 block, as signing keys are); it returns the MAC and the scratch
// buffer, grown if it had to be. scratch must not overlap data.
func hmacScratch(key, data, scratch []byte) ([sha256.Size]byte, []byte) {
	const block = 64
	if len(key) > block {
		var out [sha256.Size]byte
		copy(out[:], hmacSHA256(key, data))
		return out, scratch
	}
	buf := append(scratch[:0], make([]byte, block)...)
	copy(buf, key)
	for i := range block {
		buf[i] ^= 0x36
	}
	buf = append(buf, data...)
	inner := sha256.Sum256(buf)
	var outer [block + sha256.Size]byte
	copy(outer[:], key)
	for i := range block {
		outer[i] ^= 0x5c
	}
	copy(outer[block:], inner[:])
	return sha256.Sum256(outer[:]), buf
}

func hmacSHA256(key, data []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(data)
	return m.Sum(nil)
}
