package console

import (
	"encoding/base64"
	"reflect"
	"strings"
	"time"

	"github.com/aws/smithy-go/document"
)

// Output values are converted to a JSON-like tree before printing:
// map[string]any, []any, string, float64, bool and nil, keyed by the API's
// member names (the SDK's field names), as the AWS CLI prints them: blobs
// base64, timestamps ISO 8601. Unset members (nil pointers, slices and
// maps, empty enums) are left out; members the SDK models as plain values
// (KeyMetadata.Enabled, Truncated) are always present, as services always
// send them.

var docType = reflect.TypeOf((*document.Unmarshaler)(nil)).Elem()

// toTree converts an SDK output value to the tree.
func toTree(v any) any {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() || rv.Kind() == reflect.Pointer && rv.IsNil() {
		return map[string]any{}
	}
	out := treeOf(rv)
	if out == nil {
		return map[string]any{}
	}
	return out
}

func treeOf(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		if v.Kind() == reflect.Interface && v.Type().Implements(docType) {
			var x any
			if err := v.Interface().(document.Unmarshaler).UnmarshalSmithyDocument(&x); err == nil {
				return x
			}
			return nil
		}
		if v.Kind() == reflect.Interface {
			return unionOf(v.Elem())
		}
		return treeOf(v.Elem())
	}
	t := v.Type()
	if t == timeType {
		return formatTime(v.Interface().(time.Time))
	}
	switch v.Kind() {
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return float64(v.Uint())
	case reflect.Float32, reflect.Float64:
		return v.Float()
	case reflect.Slice:
		if v.IsNil() {
			return nil
		}
		if t.Elem().Kind() == reflect.Uint8 {
			return base64.StdEncoding.EncodeToString(v.Bytes())
		}
		out := make([]any, v.Len())
		for i := range out {
			out[i] = treeOf(v.Index(i))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return nil
		}
		out := make(map[string]any, v.Len())
		it := v.MapRange()
		for it.Next() {
			out[it.Key().String()] = treeOf(it.Value())
		}
		return out
	case reflect.Struct:
		out := map[string]any{}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() || f.Name == "ResultMetadata" {
				continue
			}
			fv := v.Field(i)
			if fv.Kind() == reflect.String && fv.Len() == 0 {
				continue // an unset enum
			}
			if x := treeOf(fv); x != nil {
				out[f.Name] = x
			}
		}
		return out
	}
	return nil
}

// unionOf renders a union member (PolicyIdentifierMemberPolicyArn{Value})
// as {"PolicyArn": value}.
func unionOf(v reflect.Value) any {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return treeOf(v)
	}
	name := v.Type().Name()
	if i := strings.Index(name, "Member"); i >= 0 {
		name = name[i+len("Member"):]
	}
	if f := v.FieldByName("Value"); f.IsValid() {
		return map[string]any{name: treeOf(f)}
	}
	return nil
}

// formatTime prints a timestamp as the AWS CLI v2 does by default
// (ISO 8601, Python's isoformat: microseconds only when non-zero). The CLI
// uses the machine's local zone; the console prints UTC so that output is
// the same on every machine.
func formatTime(t time.Time) string {
	t = t.UTC()
	if t.Nanosecond()/1000 != 0 {
		return t.Format("2006-01-02T15:04:05.000000") + "+00:00"
	}
	return t.Format("2006-01-02T15:04:05") + "+00:00"
}
