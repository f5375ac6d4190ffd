package console

import (
	"encoding/base64"
	"math/big"
	"reflect"
	"time"

	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/document"
)

// Output values are converted to a JSON-like tree before printing:
// map[string]any, []any, string, float64, bool and nil. The conversion goes
// through the SDK's own schema serializers, so member names are the API's
// (as the AWS CLI prints them), blobs are base64 and timestamps ISO 8601.

// treeWriter is a smithy.ShapeSerializer that builds the tree.
type treeWriter struct {
	stack []*frame
	root  any
	set   bool
}

type frameKind int

const (
	structFrame frameKind = iota // structures and unions: keys are member names
	listFrame
	mapFrame // keys come from WriteKey
)

type frame struct {
	kind frameKind
	obj  map[string]any
	list []any
	key  string // the pending key of a map entry
	name string // where this frame goes in its parent
}

// toTree converts an SDK output value to the tree.
func toTree(v any) any {
	s, ok := v.(smithy.Serializable)
	if !ok || isNilPointer(v) {
		return map[string]any{}
	}
	w := &treeWriter{}
	s.Serialize(w)
	if !w.set {
		return map[string]any{}
	}
	return w.root
}

func isNilPointer(v any) bool {
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

// slot is the key under which the next value goes in the top frame.
func (w *treeWriter) slot(s *smithy.Schema) string {
	top := w.stack[len(w.stack)-1]
	if top.kind == mapFrame {
		return top.key
	}
	if s == nil {
		return ""
	}
	return s.MemberName()
}

func (w *treeWriter) put(s *smithy.Schema, v any) {
	if len(w.stack) == 0 {
		w.root, w.set = v, true
		return
	}
	top := w.stack[len(w.stack)-1]
	if top.kind == listFrame {
		top.list = append(top.list, v)
		return
	}
	top.obj[w.slot(s)] = v
}

func (w *treeWriter) push(s *smithy.Schema, kind frameKind) {
	f := &frame{kind: kind}
	if kind == listFrame {
		f.list = []any{}
	} else {
		f.obj = map[string]any{}
	}
	if len(w.stack) > 0 && w.stack[len(w.stack)-1].kind != listFrame {
		f.name = w.slot(s)
	}
	w.stack = append(w.stack, f)
}

func (w *treeWriter) pop() {
	if len(w.stack) == 0 {
		return
	}
	f := w.stack[len(w.stack)-1]
	w.stack = w.stack[:len(w.stack)-1]
	var v any = f.obj
	if f.kind == listFrame {
		v = f.list
	}
	if len(w.stack) == 0 {
		w.root, w.set = v, true
		return
	}
	top := w.stack[len(w.stack)-1]
	if top.kind == listFrame {
		top.list = append(top.list, v)
	} else {
		top.obj[f.name] = v
	}
}

// Bytes is unused: the tree is the result.
func (w *treeWriter) Bytes() []byte { return nil }

func (w *treeWriter) WriteInt8(s *smithy.Schema, v int8)       { w.put(s, float64(v)) }
func (w *treeWriter) WriteInt16(s *smithy.Schema, v int16)     { w.put(s, float64(v)) }
func (w *treeWriter) WriteInt32(s *smithy.Schema, v int32)     { w.put(s, float64(v)) }
func (w *treeWriter) WriteInt64(s *smithy.Schema, v int64)     { w.put(s, float64(v)) }
func (w *treeWriter) WriteFloat32(s *smithy.Schema, v float32) { w.put(s, float64(v)) }
func (w *treeWriter) WriteFloat64(s *smithy.Schema, v float64) { w.put(s, v) }
func (w *treeWriter) WriteBool(s *smithy.Schema, v bool)       { w.put(s, v) }
func (w *treeWriter) WriteString(s *smithy.Schema, v string)   { w.put(s, v) }
func (w *treeWriter) WriteBigInt(s *smithy.Schema, v *big.Int) {
	f, _ := new(big.Float).SetInt(v).Float64()
	w.put(s, f)
}
func (w *treeWriter) WriteBigFloat(s *smithy.Schema, v *big.Float) {
	f, _ := v.Float64()
	w.put(s, f)
}
func (w *treeWriter) WriteBlob(s *smithy.Schema, v []byte) {
	w.put(s, base64.StdEncoding.EncodeToString(v))
}
func (w *treeWriter) WriteTime(s *smithy.Schema, v time.Time) { w.put(s, formatTime(v)) }
func (w *treeWriter) WriteNil(s *smithy.Schema)               { w.put(s, nil) }

func (w *treeWriter) WriteUnion(s, variant *smithy.Schema) { w.push(s, structFrame) }
func (w *treeWriter) CloseUnion()                          { w.pop() }
func (w *treeWriter) WriteStruct(s *smithy.Schema)         { w.push(s, structFrame) }
func (w *treeWriter) CloseStruct()                         { w.pop() }
func (w *treeWriter) WriteList(s *smithy.Schema)           { w.push(s, listFrame) }
func (w *treeWriter) CloseList()                           { w.pop() }
func (w *treeWriter) WriteMap(s *smithy.Schema)            { w.push(s, mapFrame) }
func (w *treeWriter) WriteKey(s *smithy.Schema, k string) {
	if len(w.stack) > 0 {
		w.stack[len(w.stack)-1].key = k
	}
}
func (w *treeWriter) CloseMap() { w.pop() }

func (w *treeWriter) WriteDocument(s *smithy.Schema, v document.Value) {
	w.put(s, documentTree(v))
}

// documentTree converts a smithy document value.
func documentTree(v document.Value) any {
	switch v := v.(type) {
	case document.String:
		return string(v)
	case document.Boolean:
		return bool(v)
	case document.Number:
		f, _ := v.Float64()
		return f
	case document.List:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = documentTree(e)
		}
		return out
	case document.Map:
		out := map[string]any{}
		for k, e := range v {
			out[k] = documentTree(e)
		}
		return out
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
