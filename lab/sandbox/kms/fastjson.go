package kms

import (
	"bytes"
	"encoding/base64"
	"strings"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// The hot operations (Encrypt, Decrypt, GenerateDataKey, Sign) read their
// flat inputs with this small reader instead of encoding/json's reflection.
// It handles only the common case — plain ASCII strings without escapes,
// exact member names — and reports false for anything else, in which case
// the caller decodes with svc.Request.Decode, so results and errors are
// always encoding/json's. FuzzFastDecode checks the two agree.

type jreader struct {
	b []byte
	i int
}

func (r *jreader) ws() {
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

func (r *jreader) consume(c byte) bool {
	r.ws()
	if r.i < len(r.b) && r.b[r.i] == c {
		r.i++
		return true
	}
	return false
}

// str reads a string of printable ASCII without escapes.
func (r *jreader) str() (string, bool) {
	b, ok := r.rawStr()
	return string(b), ok
}

func (r *jreader) rawStr() ([]byte, bool) {
	if !r.consume('"') {
		return nil, false
	}
	start := r.i
	for r.i < len(r.b) {
		c := r.b[r.i]
		switch {
		case c == '"':
			r.i++
			return r.b[start : r.i-1], true
		case c == '\\' || c < 0x20 || c >= 0x80:
			return nil, false
		}
		r.i++
	}
	return nil, false
}

// base64Str reads a string that is to be base64: it only finds the closing
// quote (with IndexByte, fast on long blobs) and leaves checking the bytes
// to the base64 decoder, which refuses everything outside its alphabet
// except CR and LF — refused here, as JSON strings cannot hold them raw.
// Escapes make the decoder fail, and the caller falls back to
// encoding/json.
func (r *jreader) base64Str() ([]byte, bool) {
	if !r.consume('"') {
		return nil, false
	}
	n := bytes.IndexByte(r.b[r.i:], '"')
	if n < 0 {
		return nil, false
	}
	s := r.b[r.i : r.i+n]
	r.i += n + 1
	if bytes.IndexByte(s, '\n') >= 0 || bytes.IndexByte(s, '\r') >= 0 {
		return nil, false
	}
	return s, true
}

// null consumes a JSON null if one is next.
func (r *jreader) null() bool {
	r.ws()
	if strings.HasPrefix(string(r.b[r.i:min(r.i+4, len(r.b))]), "null") {
		r.i += 4
		return true
	}
	return false
}

// blob reads a base64 string into a new slice (nil for null).
func (r *jreader) blob() ([]byte, bool) {
	if r.null() {
		return nil, true
	}
	s, ok := r.base64Str()
	if !ok {
		return nil, false
	}
	out := make([]byte, base64.StdEncoding.DecodedLen(len(s)))
	n, err := base64.StdEncoding.Decode(out, s)
	if err != nil {
		return nil, false
	}
	return out[:n], true
}

func (r *jreader) boolean() (bool, bool) {
	r.ws()
	rest := string(r.b[r.i:min(r.i+5, len(r.b))])
	switch {
	case strings.HasPrefix(rest, "true"):
		r.i += 4
		return true, true
	case strings.HasPrefix(rest, "false"):
		r.i += 5
		return false, true
	}
	return false, false
}

// object calls member for each member name; member reads the value.
func (r *jreader) object(member func(name string) bool) bool {
	if !r.consume('{') {
		return false
	}
	if r.consume('}') {
		return true
	}
	for {
		name, ok := r.str()
		if !ok || !r.consume(':') || !member(name) {
			return false
		}
		if r.consume(',') {
			continue
		}
		return r.consume('}')
	}
}

func (r *jreader) strMap() (map[string]string, bool) {
	if r.null() {
		return nil, true
	}
	m := map[string]string{}
	ok := r.object(func(k string) bool {
		v, ok := r.str()
		m[k] = v
		return ok
	})
	return m, ok
}

func (r *jreader) strList() ([]string, bool) {
	if r.null() {
		return nil, true
	}
	if !r.consume('[') {
		return nil, false
	}
	list := []string{}
	if r.consume(']') {
		return list, true
	}
	for {
		s, ok := r.str()
		if !ok {
			return nil, false
		}
		list = append(list, s)
		if r.consume(',') {
			continue
		}
		return list, r.consume(']')
	}
}

// end reports whether only whitespace is left.
func (r *jreader) end() bool {
	r.ws()
	return r.i == len(r.b)
}

// decodeFast reads body with fields (exact member name → reader); any
// other member, or anything unusual, makes it give up.
func decodeFast(body []byte, fields func(r *jreader, name string) bool) bool {
	r := &jreader{b: body}
	return r.object(func(name string) bool { return fields(r, name) }) && r.end()
}

// fieldReader reads one member of a hot operation's input.
type fieldReader interface {
	field(r *jreader, name string) bool
}

// decodeHot decodes r's body into in with the fast reader, or, when the
// fast reader gives up, from scratch with encoding/json.
func decodeHot[T any, P interface {
	*T
	fieldReader
}](r *svc.Request, in P) error {
	if len(r.Body) > 0 && decodeFast(r.Body, in.field) {
		return nil
	}
	var zero T
	*in = zero
	return r.Decode(in)
}

func (in *encryptInput) field(r *jreader, name string) bool {
	var ok bool
	switch name {
	case "KeyId":
		in.KeyID, ok = r.str()
	case "Plaintext":
		in.Plaintext, ok = r.blob()
	case "EncryptionContext":
		in.EncryptionContext, ok = r.strMap()
	case "GrantTokens":
		in.GrantTokens, ok = r.strList()
	case "EncryptionAlgorithm":
		in.EncryptionAlgorithm, ok = r.str()
	case "DryRun":
		in.DryRun, ok = r.boolean()
	}
	return ok
}

func (in *decryptInput) field(r *jreader, name string) bool {
	var ok bool
	switch name {
	case "KeyId":
		in.KeyID, ok = r.str()
	case "CiphertextBlob":
		in.CiphertextBlob, ok = r.blob()
	case "EncryptionContext":
		in.EncryptionContext, ok = r.strMap()
	case "GrantTokens":
		in.GrantTokens, ok = r.strList()
	case "EncryptionAlgorithm":
		in.EncryptionAlgorithm, ok = r.str()
	case "DryRun":
		in.DryRun, ok = r.boolean()
	}
	return ok
}

func (in *signInput) field(r *jreader, name string) bool {
	var ok bool
	switch name {
	case "KeyId":
		in.KeyID, ok = r.str()
	case "Message":
		in.Message, ok = r.blob()
	case "MessageType":
		in.MessageType, ok = r.str()
	case "GrantTokens":
		in.GrantTokens, ok = r.strList()
	case "SigningAlgorithm":
		in.SigningAlgorithm, ok = r.str()
	case "Signature":
		in.Signature, ok = r.blob()
	case "DryRun":
		in.DryRun, ok = r.boolean()
	}
	return ok
}
