package kms

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
)

// KMS stores key policies re-serialized and returns them pretty-printed the
// way Jackson's default printer writes JSON (aws-semantics §3.5): objects
// one member per line with two-space indentation and " : " after names,
// arrays on one line as "[ a, b ]", nested objects inside arrays as
// "[ {" … "}, {" … "} ]". Member order is kept as written.

var errNotJSONObject = errors.New("policy is not a JSON object")

// prettyPolicy re-serializes the JSON object doc in KMS's layout.
func prettyPolicy(doc string) (string, error) {
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return "", err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return "", errNotJSONObject
	}
	var b strings.Builder
	if err := writeValue(&b, dec, tok, 0); err != nil {
		return "", err
	}
	if _, err := dec.Token(); err != io.EOF {
		return "", errors.New("trailing data after the policy document")
	}
	return b.String(), nil
}

func writeValue(b *strings.Builder, dec *json.Decoder, tok json.Token, depth int) error {
	switch v := tok.(type) {
	case json.Delim:
		if v == '{' {
			return writeObject(b, dec, depth)
		}
		return writeArray(b, dec, depth)
	case string:
		writeString(b, v)
	case json.Number:
		b.WriteString(v.String())
	case bool:
		if v {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case nil:
		b.WriteString("null")
	}
	return nil
}

func writeObject(b *strings.Builder, dec *json.Decoder, depth int) error {
	n := 0
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		name, _ := tok.(string)
		if n == 0 {
			b.WriteString("{\n")
		} else {
			b.WriteString(",\n")
		}
		n++
		b.WriteString(strings.Repeat("  ", depth+1))
		writeString(b, name)
		b.WriteString(" : ")
		if tok, err = dec.Token(); err != nil {
			return err
		}
		if err := writeValue(b, dec, tok, depth+1); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // '}'
		return err
	}
	if n == 0 {
		b.WriteString("{ }")
		return nil
	}
	b.WriteString("\n" + strings.Repeat("  ", depth) + "}")
	return nil
}

func writeArray(b *strings.Builder, dec *json.Decoder, depth int) error {
	n := 0
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		if n == 0 {
			b.WriteString("[ ")
		} else {
			b.WriteString(", ")
		}
		n++
		if err := writeValue(b, dec, tok, depth); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // ']'
		return err
	}
	if n == 0 {
		b.WriteString("[ ]")
		return nil
	}
	b.WriteString(" ]")
	return nil
}

// writeString writes s as a JSON string, escaping only what JSON requires
// (as Jackson does: no HTML escaping, non-ASCII kept).
func writeString(b *strings.Builder, s string) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	b.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}
