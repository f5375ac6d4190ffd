package kms

import (
	"encoding/binary"
	"errors"
	"slices"
)

// A symmetric ciphertext blob is
//
//	version(1) = blobVersion
//	key ID (16, the key's UUID bytes)
//	key version (4, big endian, index into the key's versions)
//	nonce (12)
//	AES-256-GCM ciphertext and tag (≥ 16)
//
// The first 21 bytes (the header) and the encoded encryption context are
// the GCM additional data, so changing the key, the version, the context or
// any ciphertext byte makes decryption fail.
const (
	blobVersion   = 0x01
	blobHeaderLen = 1 + 16 + 4
	blobNonceLen  = 12
	blobTagLen    = 16
	blobMinLen    = blobHeaderLen + blobNonceLen + blobTagLen
)

// blob is a parsed symmetric ciphertext blob. Its slices alias the input.
type blob struct {
	KeyID      string
	Version    uint32
	Header     []byte
	Nonce      []byte
	Ciphertext []byte // sealed data with the tag
}

var errNotBlob = errors.New("not a symmetric ciphertext blob")

// parseBlob splits a symmetric ciphertext blob. It checks only the shape;
// authenticity is GCM's job.
func parseBlob(b []byte) (blob, error) {
	if len(b) < blobMinLen || b[0] != blobVersion {
		return blob{}, errNotBlob
	}
	return blob{
		KeyID:      formatUUID(b[1:17]),
		Version:    binary.BigEndian.Uint32(b[17:21]),
		Header:     b[:blobHeaderLen],
		Nonce:      b[blobHeaderLen : blobHeaderLen+blobNonceLen],
		Ciphertext: b[blobHeaderLen+blobNonceLen:],
	}, nil
}

// appendBlobHeader appends the header for key id (a UUID) and version.
func appendBlobHeader(dst []byte, id string, version uint32) ([]byte, error) {
	dst = append(dst, blobVersion)
	dst, err := appendUUID(dst, id)
	if err != nil {
		return nil, err
	}
	return binary.BigEndian.AppendUint32(dst, version), nil
}

// appendContext appends the canonical encoding of an encryption context:
// the pair count, then each pair sorted by key as length-prefixed key and
// value (4-byte big-endian lengths). Length prefixes make the encoding
// injective: {"ab":"c"} and {"a":"bc"} encode differently.
func appendContext(dst []byte, ctx map[string]string) []byte {
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(ctx)))
	if len(ctx) == 0 {
		return dst
	}
	var small [8]string
	keys := small[:0]
	for k := range ctx {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := ctx[k]
		dst = binary.BigEndian.AppendUint32(dst, uint32(len(k)))
		dst = append(dst, k...)
		dst = binary.BigEndian.AppendUint32(dst, uint32(len(v)))
		dst = append(dst, v...)
	}
	return dst
}

var errBadContext = errors.New("malformed encryption context encoding")

// parseContext inverts appendContext. It rejects anything appendContext
// cannot produce (trailing bytes, unsorted or duplicate keys).
func parseContext(b []byte) (map[string]string, error) {
	if len(b) < 4 {
		return nil, errBadContext
	}
	n := binary.BigEndian.Uint32(b)
	b = b[4:]
	if uint64(n) > uint64(len(b))/8 {
		return nil, errBadContext
	}
	m := make(map[string]string, n)
	prev := ""
	for i := uint32(0); i < n; i++ {
		var k, v string
		var ok bool
		if k, b, ok = readPrefixed(b); !ok {
			return nil, errBadContext
		}
		if v, b, ok = readPrefixed(b); !ok {
			return nil, errBadContext
		}
		if i > 0 && k <= prev {
			return nil, errBadContext
		}
		prev = k
		m[k] = v
	}
	if len(b) != 0 {
		return nil, errBadContext
	}
	return m, nil
}

func readPrefixed(b []byte) (string, []byte, bool) {
	if len(b) < 4 {
		return "", nil, false
	}
	n := binary.BigEndian.Uint32(b)
	b = b[4:]
	if uint64(n) > uint64(len(b)) {
		return "", nil, false
	}
	return string(b[:n]), b[n:], true
}

const hexDigits = "0123456789abcdef"

func formatUUID(b []byte) string {
	var out [36]byte
	j := 0
	for i, c := range b[:16] {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out[j] = '-'
			j++
		}
		out[j], out[j+1] = hexDigits[c>>4], hexDigits[c&0xf]
		j += 2
	}
	return string(out[:])
}

var errBadUUID = errors.New("malformed key id")

func appendUUID(dst []byte, id string) ([]byte, error) {
	if !isKeyID(id) {
		return nil, errBadUUID
	}
	for i := 0; i < len(id); i++ {
		if id[i] == '-' {
			continue
		}
		dst = append(dst, unhex(id[i])<<4|unhex(id[i+1]))
		i++
	}
	return dst, nil
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}
