package lessons

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

var (
	varPattern    = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)
	actionPattern = regexp.MustCompile(`^[a-z0-9-]+:[A-Za-z0-9*]+$`)
	errorPattern  = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9.]*$`)
)

// Check outcomes, policy types and severities a step may name.
var (
	validOutcomes   = []string{"allowed", "denied", "error", "ok"}
	validPolicies   = []string{"identity", "resource", "key", "trust"}
	validSeverities = []string{"error", "security_warning", "warning", "suggestion"}
)

// DefaultMaxSeverity is the MaxSeverity of a file check that does not name
// one: warnings and suggestions pass, errors and security warnings fail.
const DefaultMaxSeverity = "warning"

// decodeStep decodes a seclab-step block into st.
func decodeStep(d *decoder, st *Step, blk block) {
	ctx := fmt.Sprintf("step %d", st.Number)
	root, ok := d.parse([]byte(blk.src), ctx)
	if !ok {
		return
	}
	if root == nil {
		d.add(blk.line, ctx, "the seclab-step block is empty: it needs id, checks, hints and solution")
		return
	}
	if id := peekString(root, "id"); idPattern.MatchString(id) {
		ctx = fmt.Sprintf("step %q", id)
	}
	fs, ok := d.mapping(root, ctx, "id", "setup", "checks", "hints", "solution")
	if !ok {
		return
	}
	if f, ok := fs["id"]; ok {
		st.ID = d.str(f, ctx)
		if st.ID != "" && !idPattern.MatchString(st.ID) {
			d.add(f.line, ctx, "id %q: use lower-case letters, digits and single dashes", st.ID)
		}
	} else {
		d.add(d.line(root), ctx, `missing required key "id"`)
	}
	for _, k := range []string{"checks", "hints", "solution"} {
		if _, ok := fs[k]; !ok {
			d.add(d.line(root), ctx, "missing required key %q", k)
		}
	}
	if f, ok := fs["setup"]; ok {
		for i, item := range d.list(f, ctx) {
			st.Setup = append(st.Setup, decodeAction(d, item, fmt.Sprintf("%s: setup %d", ctx, i+1)))
		}
	}
	if f, ok := fs["checks"]; ok {
		items := d.list(f, ctx)
		if len(items) == 0 {
			d.add(f.line, ctx, "checks: list at least one check")
		}
		names := map[string]bool{}
		for i, item := range items {
			c := decodeCheck(d, item, fmt.Sprintf("%s: check %d", ctx, i+1))
			if c.Name != "" {
				if names[c.Name] {
					d.add(c.Line, fmt.Sprintf("%s: check %d", ctx, i+1), "duplicate check name %q", c.Name)
				}
				names[c.Name] = true
			}
			st.Checks = append(st.Checks, c)
		}
	}
	if f, ok := fs["hints"]; ok {
		st.Hints = d.strList(f, ctx)
		if len(st.Hints) == 0 {
			d.add(f.line, ctx, "hints: give at least one hint")
		}
	}
	if f, ok := fs["solution"]; ok {
		items := d.list(f, ctx)
		if len(items) == 0 {
			d.add(f.line, ctx, "solution: give at least one action")
		}
		for i, item := range items {
			st.Solution = append(st.Solution, decodeAction(d, item, fmt.Sprintf("%s: solution %d", ctx, i+1)))
		}
	}
}

// decodeAction decodes a setup or solution action.
func decodeAction(d *decoder, n ast.Node, ctx string) Action {
	a := Action{Line: d.line(n)}
	fs, ok := d.mapping(n, ctx, "as", "run", "save", "write", "from", "content", "ignore_errors")
	if !ok {
		return a
	}
	line := d.line(n)
	if f, ok := fs["as"]; ok {
		a.As = d.str(f, ctx)
	}
	_, hasRun := fs["run"]
	_, hasWrite := fs["write"]
	switch {
	case hasRun && hasWrite:
		d.add(line, ctx, `an action has either "run" or "write", not both`)
	case !hasRun && !hasWrite:
		d.add(line, ctx, `an action needs "run" (a command) or "write" (a workspace file)`)
	}
	if hasRun {
		a.Run = d.str(fs["run"], ctx)
		if f, ok := fs["save"]; ok {
			vs, ok := d.mapping(f.value, ctx+": save", anyKey(f.value)...)
			if ok {
				a.Save = map[string]string{}
				for name, vf := range vs {
					if !varPattern.MatchString(name) {
						d.add(vf.line, ctx+": save", "variable name %q: use lower-case letters, digits and _", name)
					}
					if isReserved(name) {
						d.add(vf.line, ctx+": save", "%q is a built-in variable; pick another name", name)
					}
					a.Save[name] = d.str(vf, ctx+": save")
				}
			}
		}
		if f, ok := fs["ignore_errors"]; ok {
			a.IgnoreErrors = d.strList(f, ctx)
			for _, c := range a.IgnoreErrors {
				if !errorPattern.MatchString(c) {
					d.add(f.line, ctx, "ignore_errors: %q is not an AWS error code", c)
				}
			}
		}
	}
	if hasWrite {
		a.Write = d.str(fs["write"], ctx)
		_, hasFrom := fs["from"]
		_, hasContent := fs["content"]
		switch {
		case hasFrom && hasContent:
			d.add(line, ctx, `"write" takes either "from" or "content", not both`)
		case !hasFrom && !hasContent:
			d.add(line, ctx, `"write" needs "from" (a file in solutions/) or "content" (the text)`)
		case hasFrom:
			a.From = d.str(fs["from"], ctx)
		default:
			if cf := fs["content"]; !isNull(cf.value) {
				a.Content = d.str(cf, ctx)
			}
		}
		for _, k := range []string{"as", "save", "ignore_errors"} {
			if f, ok := fs[k]; ok {
				d.add(f.line, ctx, "%q does not apply to a write action", k)
			}
		}
		checkRelPath(d, fs["write"], ctx, a.Write)
	} else {
		for _, k := range []string{"from", "content"} {
			if f, ok := fs[k]; ok {
				d.add(f.line, ctx, "%q only goes with \"write\"", k)
			}
		}
	}
	return a
}

// peekString returns the string value of key in a mapping node, or "".
func peekString(n ast.Node, key string) string {
	var values []*ast.MappingValueNode
	switch v := n.(type) {
	case *ast.MappingNode:
		values = v.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{v}
	}
	for _, mv := range values {
		if keyString(mv.Key) == key {
			if s, ok := mv.Value.(*ast.StringNode); ok {
				return s.Value
			}
		}
	}
	return ""
}

// anyKey returns the keys of a mapping node, so that mapping accepts them all.
func anyKey(n ast.Node) []string {
	var keys []string
	switch v := n.(type) {
	case *ast.MappingNode:
		for _, mv := range v.Values {
			keys = append(keys, keyString(mv.Key))
		}
	case *ast.MappingValueNode:
		keys = append(keys, keyString(v.Key))
	}
	return keys
}

// checkRelPath reports workspace file names that escape the workspace.
func checkRelPath(d *decoder, f field, ctx, name string) {
	if name == "" {
		return
	}
	clean := strings.ReplaceAll(name, "\\", "/")
	if strings.HasPrefix(clean, "/") || clean == ".." || strings.HasPrefix(clean, "../") || strings.Contains(clean, "/../") {
		d.add(f.line, ctx, "%s: %q must be a relative path inside the workspace", f.key, name)
	}
}

// decodeCheck decodes one check.
func decodeCheck(d *decoder, n ast.Node, ctx string) Check {
	c := Check{Line: d.line(n)}
	fs, ok := d.mapping(n, ctx, "name", "as", "run", "expect", "fail", "trail", "file")
	if !ok {
		return c
	}
	if f, ok := fs["name"]; ok {
		c.Name = strings.TrimSpace(d.str(f, ctx))
		ctx = fmt.Sprintf("%s (%s)", ctx, c.Name)
	} else {
		d.add(c.Line, ctx, `missing required key "name"`)
	}
	if f, ok := fs["fail"]; ok {
		c.Fail = strings.TrimSpace(d.str(f, ctx))
	} else {
		d.add(c.Line, ctx, `missing required key "fail" (the message the learner sees)`)
	}
	if f, ok := fs["as"]; ok {
		c.As = d.str(f, ctx)
	}
	forms := 0
	for _, k := range []string{"run", "trail", "file"} {
		if _, ok := fs[k]; ok {
			forms++
		}
	}
	if forms != 1 {
		d.add(c.Line, ctx, `a check has exactly one of "run", "trail" or "file"`)
	}
	ef, hasExpect := fs["expect"]
	switch {
	case hasKey(fs, "run"):
		c.Run = d.str(fs["run"], ctx)
		if !hasExpect {
			d.add(c.Line, ctx, `a "run" check needs "expect" (ok, {error: CODE} or {query: …})`)
		} else {
			c.Expect = decodeRunExpect(d, ef, ctx+": expect")
		}
	case hasKey(fs, "trail"):
		c.Trail = decodeTrail(d, fs["trail"], ctx+": trail")
		if hasExpect {
			d.add(ef.line, ctx, `a "trail" check takes no "expect"`)
		}
		if f, ok := fs["as"]; ok {
			d.add(f.line, ctx, `put "as" inside "trail" for a trail check`)
		}
	case hasKey(fs, "file"):
		c.File = d.str(fs["file"], ctx)
		checkRelPath(d, fs["file"], ctx, c.File)
		if !hasExpect {
			d.add(c.Line, ctx, `a "file" check needs "expect: {policy: TYPE}"`)
		} else {
			c.Expect = decodeFileExpect(d, ef, ctx+": expect")
		}
		if f, ok := fs["as"]; ok {
			d.add(f.line, ctx, `"as" does not apply to a file check`)
		}
	}
	return c
}

func hasKey(fs map[string]field, k string) bool {
	_, ok := fs[k]
	return ok
}

// decodeRunExpect decodes the expect of a run check: "ok" or a mapping.
func decodeRunExpect(d *decoder, f field, ctx string) Expect {
	var e Expect
	if s, ok := f.value.(*ast.StringNode); ok {
		if s.Value == "ok" {
			e.OK = true
		} else {
			d.add(f.line, ctx, "want ok, {error: CODE} or {query: Q, equals|contains|matches: V}, got %q%s", s.Value, suggest(s.Value, []string{"ok"}))
		}
		return e
	}
	fs, ok := d.mapping(f.value, ctx, "error", "query", "equals", "contains", "matches")
	if !ok {
		return e
	}
	if ef, ok := fs["error"]; ok {
		e.Error = d.str(ef, ctx)
		if e.Error != "" && !errorPattern.MatchString(e.Error) {
			d.add(ef.line, ctx, "error: %q is not an AWS error code", e.Error)
		}
		if len(fs) > 1 {
			d.add(ef.line, ctx, `"error" stands alone: it cannot be combined with a query`)
		}
		return e
	}
	qf, ok := fs["query"]
	if !ok {
		d.add(f.line, ctx, `needs "error" or "query"`)
		return e
	}
	e.Query = d.str(qf, ctx)
	n := 0
	if vf, ok := fs["equals"]; ok {
		n++
		e.Equals, _ = d.jsonValue(vf, ctx)
		e.HasEquals = true
	}
	if vf, ok := fs["contains"]; ok {
		n++
		e.Contains = d.str(vf, ctx)
	}
	if vf, ok := fs["matches"]; ok {
		n++
		e.Matches = d.str(vf, ctx)
		if _, err := regexp.Compile(templatePattern.ReplaceAllString(e.Matches, "x")); err != nil && e.Matches != "" {
			d.add(vf.line, ctx, "matches: invalid regular expression: %v", err)
		}
	}
	if n != 1 {
		d.add(qf.line, ctx, `"query" needs exactly one of "equals", "contains" or "matches"`)
	}
	return e
}

// decodeFileExpect decodes the expect of a file check.
func decodeFileExpect(d *decoder, f field, ctx string) Expect {
	e := Expect{MaxSeverity: DefaultMaxSeverity}
	fs, ok := d.mapping(f.value, ctx, "policy", "max_severity")
	if !ok {
		return e
	}
	if pf, ok := fs["policy"]; ok {
		e.Policy = d.str(pf, ctx)
		if e.Policy != "" && !contains(validPolicies, e.Policy) {
			d.add(pf.line, ctx, "policy: unknown policy type %q: want %s%s", e.Policy, quoteList(validPolicies), suggest(e.Policy, validPolicies))
		}
	} else {
		d.add(f.line, ctx, `missing required key "policy"`)
	}
	if sf, ok := fs["max_severity"]; ok {
		e.MaxSeverity = d.str(sf, ctx)
		if e.MaxSeverity != "" && !contains(validSeverities, e.MaxSeverity) {
			d.add(sf.line, ctx, "max_severity: unknown severity %q: want %s%s", e.MaxSeverity, quoteList(validSeverities), suggest(e.MaxSeverity, validSeverities))
		}
	}
	return e
}

// decodeTrail decodes a trail match.
func decodeTrail(d *decoder, f field, ctx string) *TrailMatch {
	t := &TrailMatch{}
	fs, ok := d.mapping(f.value, ctx, "action", "as", "outcome", "via")
	if !ok {
		return t
	}
	if af, ok := fs["action"]; ok {
		t.Action = d.str(af, ctx)
		if t.Action != "" && !actionPattern.MatchString(t.Action) {
			d.add(af.line, ctx, "action %q: want service:Operation, e.g. kms:Decrypt", t.Action)
		}
	} else {
		d.add(f.line, ctx, `missing required key "action"`)
	}
	if af, ok := fs["as"]; ok {
		t.As = d.str(af, ctx)
	}
	if of, ok := fs["outcome"]; ok {
		t.Outcome = d.str(of, ctx)
		if t.Outcome != "" && !contains(validOutcomes, t.Outcome) {
			d.add(of.line, ctx, "outcome: unknown outcome %q: want %s%s", t.Outcome, quoteList(validOutcomes), suggest(t.Outcome, validOutcomes))
		}
	}
	if vf, ok := fs["via"]; ok {
		t.Via = d.str(vf, ctx)
	}
	return t
}
