package iam

import (
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

func noSuchEntity(format string, args ...any) *svc.Error {
	return svc.Errorf(404, "NoSuchEntity", format, args...)
}

func alreadyExists(format string, args ...any) *svc.Error {
	return svc.Errorf(409, "EntityAlreadyExists", format, args...)
}

func deleteConflict(format string, args ...any) *svc.Error {
	return svc.Errorf(409, "DeleteConflict", format, args...)
}

func limitExceeded(format string, args ...any) *svc.Error {
	return svc.Errorf(409, "LimitExceeded", format, args...)
}

func malformed(format string, args ...any) *svc.Error {
	return svc.Errorf(400, "MalformedPolicyDocument", format, args...)
}

func invalidInput(format string, args ...any) *svc.Error {
	return svc.Errorf(400, "InvalidInput", format, args...)
}

func validationError(field, value, constraint string) *svc.Error {
	return svc.Errorf(400, "ValidationError", "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s", value, field, constraint)
}

var (
	namePattern = regexp.MustCompile(`^[\w+=,.@-]+$`)
	pathPattern = regexp.MustCompile(`^/([\x21-\x7E]*/)?$`)
)

// params reads Query parameters with AWS's validation errors.
type params struct{ v url.Values }

func (p params) get(name string) string { return p.v.Get(name) }

func (p params) has(name string) bool { _, ok := p.v[name]; return ok }

// field is the lower-camel member name AWS uses in validation messages.
func field(name string) string {
	if name == "" {
		return name
	}
	return strings.ToLower(name[:1]) + name[1:]
}

// required returns a mandatory parameter.
func (p params) required(name string) (string, error) {
	v := p.v.Get(name)
	if v == "" {
		return "", validationError(field(name), "null", "Member must not be null")
	}
	return v, nil
}

// name returns a required entity or policy name, checked against
// [\w+=,.@-]+ and the length limit.
func (p params) name(param string, max int) (string, error) {
	v, err := p.required(param)
	if err != nil {
		return "", err
	}
	if utf8.RuneCountInString(v) > max {
		return "", validationError(field(param), v, fmt.Sprintf("Member must have length less than or equal to %d", max))
	}
	if !namePattern.MatchString(v) {
		return "", validationError(field(param), v, `Member must satisfy regular expression pattern: [\w+=,.@-]+`)
	}
	return v, nil
}

// path returns the Path parameter, "/" by default.
func (p params) path() (string, error) {
	v := p.v.Get("Path")
	if v == "" {
		return "/", nil
	}
	if len(v) > 512 || !strings.HasPrefix(v, "/") || !strings.HasSuffix(v, "/") || !pathPattern.MatchString(v) {
		return "", validationError("path", v, `Member must satisfy regular expression pattern: (\u002F)|(\u002F[\u0021-\u007E]+\u002F)`)
	}
	return v, nil
}

// list returns Name.member.1, Name.member.2, … in order.
func (p params) list(name string) []string {
	var out []string
	for i := 1; ; i++ {
		v, ok := p.v[name+".member."+strconv.Itoa(i)]
		if !ok {
			return out
		}
		out = append(out, v[0])
	}
}

// tags returns Tags.member.N.Key/Value.
func (p params) tags() ([]Tag, error) {
	var out []Tag
	for i := 1; ; i++ {
		pre := "Tags.member." + strconv.Itoa(i)
		k, ok := p.v[pre+".Key"]
		if !ok {
			break
		}
		if k[0] == "" || len(k[0]) > 128 {
			return nil, validationError("tags."+strconv.Itoa(i)+".member.key", k[0], "Member must have length between 1 and 128")
		}
		out = append(out, Tag{Key: k[0], Value: p.v.Get(pre + ".Value")})
	}
	if len(out) > 50 {
		return nil, limitExceeded("The number of tags has reached the maximum limit.")
	}
	return out, nil
}

// maxItems and marker implement IAM's Marker/MaxItems pagination.
func (p params) page() (start, max int, err error) {
	max = 100
	if v := p.v.Get("MaxItems"); v != "" {
		n, perr := strconv.Atoi(v)
		if perr != nil || n < 1 || n > 1000 {
			return 0, 0, validationError("maxItems", v, "Member must have value between 1 and 1000")
		}
		max = n
	}
	if m := p.v.Get("Marker"); m != "" {
		n, perr := strconv.Atoi(m)
		if perr != nil || n < 0 {
			return 0, 0, invalidInput("Invalid Marker.")
		}
		start = n
	}
	return start, max, nil
}

// paginate cuts items to one page and reports the next marker.
func paginate[T any](items []T, start, max int) (page []T, truncated bool, marker string) {
	if start > len(items) {
		start = len(items)
	}
	end := start + max
	if end >= len(items) {
		return items[start:], false, ""
	}
	return items[start:end], true, strconv.Itoa(end)
}

// randomID returns prefix followed by n characters of [A-Z2-7], as IAM's
// unique IDs and access key IDs look.
func randomID(r io.Reader, prefix string, n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		panic("iam: randomness failed: " + err.Error())
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return prefix + string(b)
}

// randomSecret returns a 40-character secret access key.
func randomSecret(r io.Reader) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	b := make([]byte, 40)
	if _, err := io.ReadFull(r, b); err != nil {
		panic("iam: randomness failed: " + err.Error())
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// encodeDocument URL-encodes a policy document the way IAM returns it
// (RFC 3986: unreserved characters kept, everything else %XX).
func encodeDocument(doc string) string {
	const hexdig = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(doc); i++ {
		c := doc[i]
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
