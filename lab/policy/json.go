package policy

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// jkind is the kind of a JSON value read by the positioned reader.
type jkind byte

const (
	jNull jkind = iota
	jBool
	jNumber
	jString
	jArray
	jObject
)

// String names the kind for error messages.
func (k jkind) String() string {
	switch k {
	case jBool:
		return "boolean"
	case jNumber:
		return "number"
	case jString:
		return "string"
	case jArray:
		return "array"
	case jObject:
		return "object"
	}
	return "null"
}

// jvalue is one JSON value with the byte offset where it starts, so that
// errors about policy elements can point at a line and column.
type jvalue struct {
	kind jkind
	off  int
	str  string // string contents, number text, or "true"/"false"
	arr  []jvalue
	obj  []jmember
}

// jmember is one member of a JSON object, in document order.
type jmember struct {
	key    string
	keyOff int
	val    jvalue
}

// jsonError is a JSON syntax error at a byte offset.
type jsonError struct {
	off int
	msg string
}

// maxDepth bounds nesting so hostile input cannot exhaust the stack.
const maxDepth = 64

type jreader struct {
	b     []byte
	i     int
	depth int
}

// readJSON parses one JSON document. Duplicate object keys are kept (the
// policy layer rejects them with a position); trailing data is an error.
func readJSON(b []byte) (jvalue, *jsonError) {
	r := &jreader{b: b}
	r.skipSpace()
	v, err := r.value()
	if err != nil {
		return jvalue{}, err
	}
	r.skipSpace()
	if r.i < len(r.b) {
		return jvalue{}, &jsonError{r.i, "unexpected data after the end of the policy document"}
	}
	return v, nil
}

func (r *jreader) skipSpace() {
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

func (r *jreader) fail(format string, args ...any) *jsonError {
	return &jsonError{r.i, fmt.Sprintf(format, args...)}
}

func (r *jreader) value() (jvalue, *jsonError) {
	if r.i >= len(r.b) {
		return jvalue{}, r.fail("unexpected end of the policy document")
	}
	start := r.i
	switch c := r.b[r.i]; {
	case c == '{':
		return r.object()
	case c == '[':
		return r.array()
	case c == '"':
		s, err := r.str()
		return jvalue{kind: jString, off: start, str: s}, err
	case c == 't':
		return r.literal("true", jBool)
	case c == 'f':
		return r.literal("false", jBool)
	case c == 'n':
		return r.literal("null", jNull)
	case c == '-' || (c >= '0' && c <= '9'):
		return r.number()
	default:
		return jvalue{}, r.fail("unexpected character %q", rune(c))
	}
}

func (r *jreader) literal(word string, k jkind) (jvalue, *jsonError) {
	start := r.i
	if len(r.b)-r.i < len(word) || string(r.b[r.i:r.i+len(word)]) != word {
		return jvalue{}, r.fail("invalid literal; expected %s", word)
	}
	r.i += len(word)
	return jvalue{kind: k, off: start, str: word}, nil
}

func (r *jreader) number() (jvalue, *jsonError) {
	start := r.i
	if r.b[r.i] == '-' {
		r.i++
	}
	digits := func() int {
		n := 0
		for r.i < len(r.b) && r.b[r.i] >= '0' && r.b[r.i] <= '9' {
			r.i++
			n++
		}
		return n
	}
	if digits() == 0 {
		return jvalue{}, r.fail("invalid number")
	}
	if r.i < len(r.b) && r.b[r.i] == '.' {
		r.i++
		if digits() == 0 {
			return jvalue{}, r.fail("invalid number")
		}
	}
	if r.i < len(r.b) && (r.b[r.i] == 'e' || r.b[r.i] == 'E') {
		r.i++
		if r.i < len(r.b) && (r.b[r.i] == '+' || r.b[r.i] == '-') {
			r.i++
		}
		if digits() == 0 {
			return jvalue{}, r.fail("invalid number")
		}
	}
	return jvalue{kind: jNumber, off: start, str: string(r.b[start:r.i])}, nil
}

func (r *jreader) str() (string, *jsonError) {
	r.i++ // opening quote
	start := r.i
	// Fast path: no escapes.
	for r.i < len(r.b) {
		c := r.b[r.i]
		if c == '"' {
			s := string(r.b[start:r.i])
			r.i++
			return s, nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		r.i++
	}
	buf := append([]byte(nil), r.b[start:r.i]...)
	for r.i < len(r.b) {
		c := r.b[r.i]
		switch {
		case c == '"':
			r.i++
			return string(buf), nil
		case c < 0x20:
			return "", r.fail("control character in string")
		case c != '\\':
			buf = append(buf, c)
			r.i++
			continue
		}
		r.i++
		if r.i >= len(r.b) {
			break
		}
		e := r.b[r.i]
		r.i++
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			ru, ok := r.hex4()
			if !ok {
				return "", r.fail("invalid \\u escape")
			}
			if ru >= 0xD800 && ru < 0xDC00 && r.i+1 < len(r.b) && r.b[r.i] == '\\' && r.b[r.i+1] == 'u' {
				save := r.i
				r.i += 2
				lo, ok := r.hex4()
				if ok && lo >= 0xDC00 && lo < 0xE000 {
					ru = (ru-0xD800)<<10 | (lo - 0xDC00) + 0x10000
				} else {
					r.i = save
					ru = utf8.RuneError
				}
			} else if ru >= 0xD800 && ru < 0xE000 {
				ru = utf8.RuneError
			}
			buf = utf8.AppendRune(buf, ru)
		default:
			r.i--
			return "", r.fail("invalid escape \\%c", e)
		}
	}
	return "", r.fail("unterminated string")
}

func (r *jreader) hex4() (rune, bool) {
	if len(r.b)-r.i < 4 {
		return 0, false
	}
	n, err := strconv.ParseUint(string(r.b[r.i:r.i+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	r.i += 4
	return rune(n), true
}

func (r *jreader) array() (jvalue, *jsonError) {
	v := jvalue{kind: jArray, off: r.i}
	if r.depth++; r.depth > maxDepth {
		return v, r.fail("policy document is nested too deeply")
	}
	defer func() { r.depth-- }()
	r.i++
	r.skipSpace()
	if r.i < len(r.b) && r.b[r.i] == ']' {
		r.i++
		return v, nil
	}
	for {
		r.skipSpace()
		e, err := r.value()
		if err != nil {
			return v, err
		}
		v.arr = append(v.arr, e)
		r.skipSpace()
		if r.i >= len(r.b) {
			return v, r.fail("unexpected end of the policy document; expected , or ]")
		}
		switch r.b[r.i] {
		case ',':
			r.i++
		case ']':
			r.i++
			return v, nil
		default:
			return v, r.fail("expected , or ] after an array element")
		}
	}
}

func (r *jreader) object() (jvalue, *jsonError) {
	v := jvalue{kind: jObject, off: r.i}
	if r.depth++; r.depth > maxDepth {
		return v, r.fail("policy document is nested too deeply")
	}
	defer func() { r.depth-- }()
	r.i++
	r.skipSpace()
	if r.i < len(r.b) && r.b[r.i] == '}' {
		r.i++
		return v, nil
	}
	for {
		r.skipSpace()
		if r.i >= len(r.b) || r.b[r.i] != '"' {
			return v, r.fail("expected a quoted element name")
		}
		koff := r.i
		k, err := r.str()
		if err != nil {
			return v, err
		}
		r.skipSpace()
		if r.i >= len(r.b) || r.b[r.i] != ':' {
			return v, r.fail("expected : after element name %q", k)
		}
		r.i++
		r.skipSpace()
		e, err := r.value()
		if err != nil {
			return v, err
		}
		v.obj = append(v.obj, jmember{key: k, keyOff: koff, val: e})
		r.skipSpace()
		if r.i >= len(r.b) {
			return v, r.fail("unexpected end of the policy document; expected , or }")
		}
		switch r.b[r.i] {
		case ',':
			r.i++
		case '}':
			r.i++
			return v, nil
		default:
			return v, r.fail("expected , or } after an object member")
		}
	}
}

// lineIndex converts byte offsets into 1-based lines and columns (columns
// count runes; a tab counts as one).
type lineIndex struct {
	doc    []byte
	starts []int // byte offset where each line starts
}

func newLineIndex(doc []byte) *lineIndex {
	li := &lineIndex{doc: doc, starts: []int{0}}
	for i, b := range doc {
		if b == '\n' {
			li.starts = append(li.starts, i+1)
		}
	}
	return li
}

func (li *lineIndex) at(off int) (line, col int) {
	if off > len(li.doc) {
		off = len(li.doc)
	}
	lo, hi := 0, len(li.starts)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if li.starts[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo + 1, utf8.RuneCount(li.doc[li.starts[lo]:off]) + 1
}

// lineCol converts one byte offset into a line and column.
func lineCol(b []byte, off int) (line, col int) {
	return newLineIndex(b).at(off)
}
