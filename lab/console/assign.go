package console

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
)

// rawBytes marks a blob value read with fileb://: used as is, never
// base64-decoded.
type rawBytes []byte

// assigner stores parsed CLI values into SDK input structs.
type assigner struct {
	// rawIn is --cli-binary-format raw-in-base64-out: blob arguments are
	// the bytes themselves instead of base64 text.
	rawIn bool
}

// validationError is botocore's client-side "Parameter validation failed"
// error, which the AWS CLI prints as is.
type validationError struct{ msg string }

// Error is botocore's text.
func (e *validationError) Error() string { return "Parameter validation failed:\n" + e.msg }

func invalidType(path string, x any, want string) error {
	return &validationError{fmt.Sprintf("Invalid type for parameter %s, value: %s, type: %s, valid types: %s", path, showValue(x), typeName(x), want)}
}

func showValue(x any) string {
	switch x := x.(type) {
	case string:
		return x
	case rawBytes:
		return fmt.Sprintf("<%d bytes>", len(x))
	}
	b, err := json.Marshal(x)
	if err != nil {
		return fmt.Sprint(x)
	}
	return string(b)
}

func typeName(x any) string {
	switch x.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case rawBytes:
		return "bytes"
	case bool:
		return "boolean"
	case json.Number, float64:
		return "number"
	case map[string]any:
		return "object"
	case []any:
		return "list"
	}
	return fmt.Sprintf("%T", x)
}

// assign stores x (a value decoded from JSON, parsed from shorthand or
// read from a file) into v, converting it to v's type. path names the
// parameter in errors ("Tags[0].TagKey").
func (a assigner) assign(v reflect.Value, x any, path string) error {
	if x == nil {
		return nil // JSON null: leave the member unset, as botocore does
	}
	t := v.Type()
	if t.Kind() == reflect.Pointer {
		p := reflect.New(t.Elem())
		if err := a.assign(p.Elem(), x, path); err != nil {
			return err
		}
		v.Set(p)
		return nil
	}
	if t == timeType {
		tm, err := parseTime(x)
		if err != nil {
			return &validationError{fmt.Sprintf("Invalid timestamp for parameter %s, value: %s: %v", path, showValue(x), err)}
		}
		v.Set(reflect.ValueOf(tm))
		return nil
	}
	switch t.Kind() {
	case reflect.String:
		s, ok := x.(string)
		if !ok {
			return invalidType(path, x, "string")
		}
		v.SetString(s)
	case reflect.Bool:
		switch x := x.(type) {
		case bool:
			v.SetBool(x)
		case string:
			b, err := strconv.ParseBool(strings.ToLower(x))
			if err != nil {
				return invalidType(path, x, "boolean")
			}
			v.SetBool(b)
		default:
			return invalidType(path, x, "boolean")
		}
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Int:
		n, err := toInt(x, t.Bits())
		if err != nil {
			return invalidType(path, x, "integer")
		}
		v.SetInt(n)
	case reflect.Float32, reflect.Float64:
		f, err := toFloat(x)
		if err != nil {
			return invalidType(path, x, "number")
		}
		v.SetFloat(f)
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			b, err := a.blob(x, path)
			if err != nil {
				return err
			}
			v.SetBytes(b)
			return nil
		}
		list, ok := x.([]any)
		if !ok {
			list = []any{x} // a single value where a list is expected
		}
		s := reflect.MakeSlice(t, len(list), len(list))
		for i, e := range list {
			if err := a.assign(s.Index(i), e, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		v.Set(s)
	case reflect.Map:
		m, ok := x.(map[string]any)
		if !ok || t.Key().Kind() != reflect.String {
			return invalidType(path, x, "object")
		}
		out := reflect.MakeMapWithSize(t, len(m))
		for _, k := range sortedKeys(m) {
			e := reflect.New(t.Elem()).Elem()
			if err := a.assign(e, m[k], path+"."+k); err != nil {
				return err
			}
			out.SetMapIndex(reflect.ValueOf(k).Convert(t.Key()), e)
		}
		v.Set(out)
	case reflect.Struct:
		return a.assignStruct(v, x, path)
	default:
		return &validationError{fmt.Sprintf("Parameter %s has a type the console cannot set (%s)", path, t)}
	}
	return nil
}

func (a assigner) assignStruct(v reflect.Value, x any, path string) error {
	m, ok := x.(map[string]any)
	if !ok {
		return invalidType(path, x, "object")
	}
	t := v.Type()
	var members []string
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).IsExported() {
			members = append(members, t.Field(i).Name)
		}
	}
	for _, k := range sortedKeys(m) {
		f, ok := t.FieldByName(k)
		if !ok || !f.IsExported() {
			in := path
			if in == "" {
				in = "input"
			}
			return &validationError{fmt.Sprintf("Unknown parameter in %s: %q, must be one of: %s", in, k, strings.Join(members, ", "))}
		}
		sub := k
		if path != "" {
			sub = path + "." + k
		}
		if err := a.assign(v.FieldByIndex(f.Index), m[k], sub); err != nil {
			return err
		}
	}
	return nil
}

// blob converts a blob argument: fileb:// bytes as they are; text as
// base64 (the AWS CLI v2 default) or as raw bytes with
// --cli-binary-format raw-in-base64-out.
func (a assigner) blob(x any, path string) ([]byte, error) {
	switch x := x.(type) {
	case rawBytes:
		return x, nil
	case string:
		if a.rawIn {
			return []byte(x), nil
		}
		b, err := base64.StdEncoding.DecodeString(x)
		if err != nil {
			return nil, &base64Error{x}
		}
		return b, nil
	}
	return nil, invalidType(path, x, "base64 string")
}

// base64Error is the AWS CLI v2's message for blob text that is not
// base64.
type base64Error struct{ value string }

// Error is the CLI v2's text.
func (e *base64Error) Error() string { return fmt.Sprintf("Invalid base64: %q", e.value) }

func toInt(x any, bits int) (int64, error) {
	switch x := x.(type) {
	case json.Number:
		return strconv.ParseInt(string(x), 10, bits)
	case float64:
		if x != math.Trunc(x) {
			return 0, fmt.Errorf("not an integer")
		}
		return int64(x), nil
	case string:
		return strconv.ParseInt(strings.TrimSpace(x), 10, bits)
	}
	return 0, fmt.Errorf("not a number")
}

func toFloat(x any) (float64, error) {
	switch x := x.(type) {
	case json.Number:
		return x.Float64()
	case float64:
		return x, nil
	case string:
		return strconv.ParseFloat(strings.TrimSpace(x), 64)
	}
	return 0, fmt.Errorf("not a number")
}

// parseTime accepts the timestamp forms the AWS CLI accepts: ISO 8601
// (with or without time and zone) and epoch seconds.
func parseTime(x any) (time.Time, error) {
	var s string
	switch x := x.(type) {
	case string:
		s = strings.TrimSpace(x)
	case json.Number:
		s = string(x)
	case float64:
		s = strconv.FormatFloat(x, 'f', -1, 64)
	default:
		return time.Time{}, fmt.Errorf("not a timestamp")
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(frac*1e9)).UTC(), nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04:05Z0700", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("expected ISO 8601 or epoch seconds")
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
