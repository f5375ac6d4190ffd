package policy

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Severity is the severity of a validation finding, as IAM Access Analyzer
// names them.
type Severity string

// Severities, most severe first.
const (
	SeverityError           Severity = "ERROR"
	SeveritySecurityWarning Severity = "SECURITY_WARNING"
	SeverityWarning         Severity = "WARNING"
	SeveritySuggestion      Severity = "SUGGESTION"
)

// Finding is one validation finding.
type Finding struct {
	Severity Severity `json:"severity"`
	// Code is the issue code, in the style of Access Analyzer's policy
	// checks ("INVALID_ACTION", "MISSING_VERSION", ...).
	Code    string `json:"code"`
	Message string `json:"message"`
	// Line and Column locate the element (1-based).
	Line   int `json:"line"`
	Column int `json:"column"`
	// Path names the element, e.g. "Statement[0].Action[1]".
	Path string `json:"path"`
}

// String formats the finding as "4:7 ERROR INVALID_ACTION Statement[0].Action: message".
func (f Finding) String() string {
	if f.Path == "" {
		return fmt.Sprintf("%d:%d %s %s: %s", f.Line, f.Column, f.Severity, f.Code, f.Message)
	}
	return fmt.Sprintf("%d:%d %s %s %s: %s", f.Line, f.Column, f.Severity, f.Code, f.Path, f.Message)
}

// Validate checks a policy document of kind k in the style of IAM Access
// Analyzer's policy validation. A document that does not parse yields one
// ERROR finding. Findings are sorted by position.
func Validate(doc []byte, k Kind) []Finding {
	p, err := parse(doc)
	if err != nil {
		return []Finding{{Severity: SeverityError, Code: err.Code, Message: err.Msg, Line: err.Line, Column: err.Column, Path: err.Element}}
	}
	root, _ := readJSON(doc)
	v := &validator{doc: doc, root: root, p: p, kind: k, cat: loadCatalog()}
	v.run()
	sort.SliceStable(v.out, func(i, j int) bool {
		a, b := v.out[i], v.out[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	return v.out
}

// syntaxCode maps a grammar error to an Access Analyzer-style issue code.
func syntaxCode(e *SyntaxError) string {
	el, msg := e.Element, e.Msg
	switch {
	case strings.Contains(msg, "invalid JSON") || strings.Contains(msg, "must be a JSON object"):
		return "JSON_SYNTAX_ERROR"
	case strings.Contains(msg, "not allowed in a policy document") || strings.Contains(msg, "not valid UTF-8"):
		return "INVALID_CHARACTER"
	case el == "Version":
		return "INVALID_VERSION"
	case strings.HasSuffix(el, ".Effect") && strings.Contains(msg, "has no Effect"):
		return "MISSING_EFFECT"
	case strings.HasSuffix(el, ".Effect"):
		return "INVALID_EFFECT"
	case el == "Statement" && strings.Contains(msg, "no Statement"):
		return "MISSING_STATEMENT"
	case strings.Contains(msg, "cannot be combined with IfExists"):
		return "NULL_WITH_IF_EXISTS"
	case strings.Contains(msg, "invalid condition type"):
		return "INVALID_CONDITION_OPERATOR"
	case strings.Contains(msg, "unknown principal type"):
		return "INVALID_PRINCIPAL_KEY"
	case strings.Contains(el, "Principal"):
		return "INVALID_PRINCIPAL_FORMAT"
	case strings.Contains(msg, "unknown policy element") || strings.Contains(msg, "unknown statement element"):
		return "INVALID_POLICY_ELEMENT"
	case strings.Contains(msg, "cannot have both"):
		return "UNSUPPORTED_ELEMENT_COMBINATION"
	case strings.Contains(msg, "duplicate element"):
		return "DUPLICATE_KEYS"
	case strings.Contains(el, "Action"):
		return "INVALID_ACTION"
	}
	return "JSON_SYNTAX_ERROR"
}

// pathSeg is one step of a path into the JSON document: a member name, or
// an array index when key is "".
type pathSeg struct {
	key string
	idx int
}

type validator struct {
	doc   []byte
	lines *lineIndex
	root  jvalue
	p     *Policy
	kind  Kind
	cat   *catalogData
	out   []Finding
}

// node finds the JSON value at a path; when Statement is a single object,
// index 0 refers to that object.
func (v *validator) node(path []pathSeg) (jvalue, bool) {
	cur := v.root
	for _, s := range path {
		switch {
		case s.key != "":
			found := false
			for _, m := range cur.obj {
				if m.key == s.key {
					cur, found = m.val, true
					break
				}
			}
			if !found {
				return cur, false
			}
		case cur.kind == jArray:
			if s.idx >= len(cur.arr) {
				return cur, false
			}
			cur = cur.arr[s.idx]
		case s.idx != 0:
			return cur, false
		}
	}
	return cur, true
}

func pathString(path []pathSeg) string {
	var b strings.Builder
	for _, s := range path {
		if s.key != "" {
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.key)
		} else {
			b.WriteString("[" + strconv.Itoa(s.idx) + "]")
		}
	}
	return b.String()
}

// add records a finding at the element the path names (or the nearest
// enclosing element that exists).
func (v *validator) add(sev Severity, code string, path []pathSeg, format string, args ...any) {
	off := 0
	for n := len(path); n >= 0; n-- {
		if node, ok := v.node(path[:n]); ok {
			off = node.off
			break
		}
	}
	if v.lines == nil {
		v.lines = newLineIndex(v.doc)
	}
	l, c := v.lines.at(off)
	v.out = append(v.out, Finding{Severity: sev, Code: code, Message: fmt.Sprintf(format, args...), Line: l, Column: c, Path: pathString(path)})
}

func stmtPath(i int, rest ...pathSeg) []pathSeg {
	return append([]pathSeg{{key: "Statement"}, {idx: i}}, rest...)
}

func key(k string) pathSeg { return pathSeg{key: k} }
func idx(i int) pathSeg    { return pathSeg{idx: i} }

// elemPath returns the path of the i-th value of a string-or-array element.
func (v *validator) elemPath(stmt int, el string, i int) []pathSeg {
	p := stmtPath(stmt, key(el))
	if n, ok := v.node(p); ok && n.kind == jArray {
		p = append(p, idx(i))
	}
	return p
}

func (v *validator) run() {
	k := v.kind
	if limit, _ := sizeLimit(k); limit > 0 {
		if n := PolicySize(v.doc, k); n > limit {
			v.add(SeverityError, "POLICY_SIZE_EXCEEDED", nil, "the policy has %d characters and exceeds the %d-character quota for %s policies", n, limit, k)
		}
	}
	if v.p.Version == "" {
		v.add(SeverityWarning, "MISSING_VERSION", nil, "add \"Version\": \"2012-10-17\"; without it the policy uses the legacy language and policy variables are literal text")
	}
	if len(v.p.Statements) == 0 {
		v.add(SeverityError, "MISSING_STATEMENT", []pathSeg{key("Statement")}, "the policy has no statements")
	}
	sids := map[string]int{}
	for i := range v.p.Statements {
		st := &v.p.Statements[i]
		v.statement(i, st)
		if st.Sid != "" {
			if j, dup := sids[st.Sid]; dup {
				sev := SeverityError
				if k == KeyPolicy {
					sev = SeverityWarning
				}
				v.add(sev, "UNIQUE_SIDS_REQUIRED", stmtPath(i, key("Sid")), "statement IDs (SID) in a single policy must be unique; %q is also used by Statement[%d]", st.Sid, j)
			} else {
				sids[st.Sid] = i
			}
		}
	}
}

func sortStrings(s []string) { sort.Strings(s) }
