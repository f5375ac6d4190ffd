package lessons

import (
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"

	"github.com/jmespath-community/go-jmespath"
)

// Lint validates a lesson pack and returns every problem: the structural
// ones Load reports, and the ones that need the whole lesson to see —
// template variables used before they are saved, personas that are not
// declared, JMESPath expressions that do not compile, and files that
// write/from, file checks and inline policies name but that do not exist.
// An empty result means the pack is valid.
func Lint(fsys fs.FS) Problems {
	p, probs := load(fsys)
	for _, l := range p.Lessons {
		probs = append(probs, lintLesson(l)...)
	}
	probs.Sort()
	return probs
}

// LintDir lints the pack in a folder on disk.
func LintDir(dir string) (Problems, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("lint lessons: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("lint lessons: %s is not a folder", dir)
	}
	return Lint(os.DirFS(dir)), nil
}

// LintBuiltin lints the built-in course.
func LintBuiltin() Problems { return Lint(course) }

// linter checks one lesson.
type linter struct {
	l        *Lesson
	probs    Problems
	personas map[string]bool
	// saved maps a variable to where it becomes visible for the rest of
	// the lesson (setup saves); solutionOnly records variables only a
	// solution saves, for a better message.
	saved        map[string]bool
	solutionOnly map[string]int
	laterSaves   map[string]int
	written      map[string]bool // workspace files written by actions so far
}

func lintLesson(l *Lesson) Problems {
	ln := &linter{
		l:            l,
		personas:     map[string]bool{"learner": true},
		saved:        map[string]bool{},
		solutionOnly: map[string]int{},
		laterSaves:   map[string]int{},
		written:      map[string]bool{},
	}
	for _, p := range l.Personas {
		ln.personas[p.Name] = true
		if p.InlinePolicy != "" {
			if _, err := fs.Stat(l.Files, p.InlinePolicy); err != nil {
				ln.add(2, fmt.Sprintf("front matter: persona %q: inline_policy %q is not in %s/files/", p.Name, p.InlinePolicy, l.Dir))
			}
		}
	}
	// Every variable any step saves, to tell "used too early" from "unknown".
	for _, st := range l.Steps {
		for _, a := range st.Setup {
			for v := range a.Save {
				if _, ok := ln.laterSaves[v]; !ok {
					ln.laterSaves[v] = st.Number
				}
			}
		}
		for _, a := range st.Solution {
			for v := range a.Save {
				if _, ok := ln.solutionOnly[v]; !ok {
					ln.solutionOnly[v] = st.Number
				}
			}
		}
	}
	for i := range l.Steps {
		ln.step(&l.Steps[i])
	}
	return ln.probs
}

func (ln *linter) add(line int, msg string) {
	ln.probs = append(ln.probs, Problem{File: ln.l.File(), Line: line, Msg: msg})
}

func (ln *linter) step(st *Step) {
	ctx := fmt.Sprintf("step %q", st.ID)
	if st.ID == "" {
		ctx = fmt.Sprintf("step %d", st.Number)
	}
	if strings.TrimSpace(st.Task) == "" {
		ln.add(st.Line, ctx+": the section has no task text for the learner")
	}
	scope := copySet(ln.saved)
	for i, a := range st.Setup {
		ln.action(st, a, fmt.Sprintf("%s: setup %d", ctx, i+1), scope)
		for v := range a.Save {
			scope[v] = true
			ln.saved[v] = true
		}
	}
	written := copySet(ln.written)
	for i, c := range st.Checks {
		cctx := fmt.Sprintf("%s: check %d", ctx, i+1)
		if c.Name != "" {
			cctx += " (" + c.Name + ")"
		}
		ln.check(st, c, cctx, scope, written)
	}
	solScope := copySet(scope)
	for i, a := range st.Solution {
		ln.action(st, a, fmt.Sprintf("%s: solution %d", ctx, i+1), solScope)
		for v := range a.Save {
			solScope[v] = true
		}
	}
}

// action checks one setup or solution action; setup writes count as
// workspace files for later checks.
func (ln *linter) action(st *Step, a Action, ctx string, scope map[string]bool) {
	ln.persona(a.Line, ctx, a.As)
	ln.templates(a.Line, st, ctx, scope, a.Run, a.Content, a.Write, a.From)
	for name, q := range a.Save {
		if _, err := jmespath.Compile(q); err != nil {
			ln.add(a.Line, fmt.Sprintf("%s: save %s: invalid JMESPath %q: %v", ctx, name, q, err))
		}
	}
	if a.Write != "" {
		ln.written[a.Write] = true
	}
	if a.From != "" && !strings.Contains(a.From, "{{") {
		if _, err := fs.Stat(ln.l.Solutions, a.From); err != nil {
			ln.add(a.Line, fmt.Sprintf("%s: from %q is not in %s/solutions/", ctx, a.From, ln.l.Dir))
		}
	}
}

func (ln *linter) check(st *Step, c Check, ctx string, scope, written map[string]bool) {
	line := c.Line
	ln.persona(line, ctx, c.As)
	if c.Trail != nil {
		ln.persona(line, ctx+": trail", c.Trail.As)
	}
	strs := []string{c.Run, c.Fail, c.Expect.Contains, c.Expect.Matches, c.File}
	strs = append(strs, jsonStrings(c.Expect.Equals)...)
	ln.templates(line, st, ctx, scope, strs...)
	if c.Expect.Query != "" {
		if _, err := jmespath.Compile(c.Expect.Query); err != nil {
			ln.add(line, fmt.Sprintf("%s: expect: invalid JMESPath query %q: %v", ctx, c.Expect.Query, err))
		}
	}
	if c.File != "" && !strings.Contains(c.File, "{{") && !written[c.File] && !ln.writtenLater(c.File) {
		if _, err := fs.Stat(ln.l.Files, c.File); err != nil {
			ln.add(line, fmt.Sprintf("%s: file %q is neither a starter file in %s/files/ nor written by a write action", ctx, c.File, ln.l.Dir))
		}
	}
}

// writtenLater reports whether any action of the lesson writes name (a
// solution writes the file the step's own file check inspects).
func (ln *linter) writtenLater(name string) bool {
	for _, st := range ln.l.Steps {
		for _, a := range append(append([]Action{}, st.Setup...), st.Solution...) {
			if a.Write == name {
				return true
			}
		}
	}
	return false
}

func (ln *linter) persona(line int, ctx, as string) {
	if as == "" || ln.personas[as] {
		return
	}
	names := make([]string, 0, len(ln.personas))
	for n := range ln.personas {
		names = append(names, n)
	}
	sort.Strings(names)
	ln.add(line, fmt.Sprintf("%s: as: unknown persona %q: declare it in the front matter's personas (known: %s)%s",
		ctx, as, strings.Join(names, ", "), suggest(as, names)))
}

// templates checks every {{VAR}} in strs against the variables in scope.
func (ln *linter) templates(line int, st *Step, ctx string, scope map[string]bool, strs ...string) {
	for _, s := range strs {
		if unbalanced(s) {
			ln.add(line, fmt.Sprintf("%s: unbalanced template braces in %q", ctx, s))
		}
		for _, v := range TemplateVars(s) {
			if msg := ln.varProblem(v, st, scope); msg != "" {
				ln.add(line, fmt.Sprintf("%s: {{%s}}: %s", ctx, v, msg))
			}
		}
	}
}

// varProblem says what is wrong with a reference to v, or "".
func (ln *linter) varProblem(v string, st *Step, scope map[string]bool) string {
	if contains(builtinVars, v) || scope[v] {
		return ""
	}
	if name, ok := strings.CutPrefix(v, "persona."); ok {
		if pname, ok := strings.CutSuffix(name, ".arn"); ok {
			if ln.personas[pname] {
				return ""
			}
			return fmt.Sprintf("persona %q is not declared in the front matter", pname)
		}
		return "want {{persona.NAME.arn}}"
	}
	if v == "" {
		return "empty variable name"
	}
	if n, ok := ln.laterSaves[v]; ok && n >= st.Number {
		return fmt.Sprintf("used before it is saved (step %d's setup saves it)", n)
	}
	if n, ok := ln.solutionOnly[v]; ok {
		return fmt.Sprintf("only step %d's solution saves it, and a learner who solves the step by hand never runs the solution: save it in a setup action", n)
	}
	known := append([]string{}, builtinVars...)
	for k := range scope {
		known = append(known, k)
	}
	sort.Strings(known)
	return "unknown variable" + suggest(v, known)
}

// jsonStrings returns the strings inside a JSON-shaped value.
func jsonStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, jsonStrings(e)...)
		}
		return out
	case map[string]any:
		var out []string
		for _, e := range x {
			out = append(out, jsonStrings(e)...)
		}
		return out
	}
	return nil
}

func copySet(m map[string]bool) map[string]bool {
	out := make(map[string]bool, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
