package lessons

import (
	"regexp"
	"strings"
)

// templatePattern matches a {{VAR}} reference; spaces inside the braces are
// allowed ("{{ run }}").
var templatePattern = regexp.MustCompile(`\{\{\s*([^{}\s]*)\s*\}\}`)

// Built-in template variables (docs/lesson-format.md, "Templates").
var builtinVars = []string{"run", "account", "region"}

// isReserved reports whether name is a built-in template variable.
func isReserved(name string) bool {
	return contains(builtinVars, name) || name == "persona" || strings.HasPrefix(name, "persona.")
}

// TemplateVars returns the variable names referenced by {{…}} in s, in
// order of appearance, duplicates included.
func TemplateVars(s string) []string {
	var out []string
	for _, m := range templatePattern.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

// Expand replaces every {{VAR}} in s with vars[VAR]. It returns the names
// that vars has no value for; those references are left as they are.
func Expand(s string, vars map[string]string) (string, []string) {
	var missing []string
	out := templatePattern.ReplaceAllStringFunc(s, func(m string) string {
		name := templatePattern.FindStringSubmatch(m)[1]
		if v, ok := vars[name]; ok {
			return v
		}
		missing = append(missing, name)
		return m
	})
	return out, missing
}

// unbalanced reports a "{{" without a matching "}}" (or a "}}" alone) left
// after the valid references are removed: a typo an author should see.
func unbalanced(s string) bool {
	rest := templatePattern.ReplaceAllString(s, "")
	return strings.Contains(rest, "{{") || strings.Contains(rest, "}}")
}
