package console

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
)

// Flag values: the words of a flag become a value for the assigner, read
// from file:// and fileb:// where asked, as JSON or shorthand where the
// member is a structure, map or list.

// cliValue converts a flag's words to a value for the assigner.
func cliValue(p *Param, words []string, resolve func(string) string) (any, error) {
	t := deref(p.typ)
	vals := make([]any, len(words))
	for i, w := range words {
		v, err := loadParam(w, resolve)
		if err != nil {
			return nil, err
		}
		vals[i] = v
	}
	text := asText
	switch {
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8: // blob
		if b, ok := vals[0].([]byte); ok && strings.HasPrefix(words[0], "fileb://") {
			return rawBytes(b), nil
		}
		return text(vals[0]), nil
	case t.Kind() == reflect.Slice:
		if len(vals) == 1 && strings.HasPrefix(strings.TrimSpace(text(vals[0])), "[") {
			var x any
			if err := decodeJSON(text(vals[0]), &x); err != nil {
				return nil, err
			}
			return x, nil
		}
		elem := deref(t.Elem())
		structured := elem.Kind() == reflect.Struct && elem != timeType || elem.Kind() == reflect.Map
		var out []any
		for _, v := range vals {
			s := text(v)
			if structured {
				x, err := structuredValue(s)
				if err != nil {
					return nil, err
				}
				out = append(out, x)
				continue
			}
			if len(vals) == 1 {
				return splitShorthandList(s)
			}
			out = append(out, s)
		}
		return out, nil
	case t.Kind() == reflect.Struct && t != timeType, t.Kind() == reflect.Map:
		return structuredValue(text(vals[0]))
	}
	return text(vals[0]), nil
}

// structuredValue parses a structure or map: JSON when it looks like
// JSON, shorthand otherwise.
func structuredValue(s string) (any, error) {
	if strings.HasPrefix(strings.TrimSpace(s), "{") {
		var x any
		if err := decodeJSON(s, &x); err != nil {
			return nil, err
		}
		return x, nil
	}
	return parseShorthand(s)
}

// decodeJSON decodes with numbers kept exact.
func decodeJSON(s string, v any) error {
	d := json.NewDecoder(bytes.NewReader([]byte(s)))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		return fmt.Errorf("Invalid JSON: %v\nJSON received: %s", err, s)
	}
	if d.More() {
		return fmt.Errorf("Invalid JSON: extra data after the value\nJSON received: %s", s)
	}
	return nil
}

// loadParam reads file:// (text) and fileb:// (bytes) values; other words
// are returned as strings.
func loadParam(w string, resolve func(string) string) (any, error) {
	var path string
	switch {
	case strings.HasPrefix(w, "fileb://"):
		path = strings.TrimPrefix(w, "fileb://")
	case strings.HasPrefix(w, "file://"):
		path = strings.TrimPrefix(w, "file://")
	default:
		return w, nil
	}
	full := path
	if resolve != nil {
		full = resolve(path)
	}
	b, err := os.ReadFile(full)
	if err != nil {
		reason := "No such file or directory"
		if !os.IsNotExist(err) {
			reason = strings.TrimPrefix(err.Error(), "open "+full+": ")
		}
		return nil, fmt.Errorf("Unable to load paramfile %s: [Errno 2] %s: '%s'", w, reason, filepath.ToSlash(path))
	}
	return b, nil
}

// asText is a loaded parameter as text.
func asText(v any) string {
	switch v := v.(type) {
	case []byte:
		return string(v)
	case string:
		return v
	}
	return fmt.Sprint(v)
}
