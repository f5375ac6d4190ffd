package lessons

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml/ast"
)

var (
	idPattern      = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	personaPattern = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
)

// Targets a lesson can declare.
var validTargets = []string{"sandbox", "aws", "endpoint"}

// Parse parses one lesson.md. file is the path used in problems (e.g.
// "08-secure-key-policy/lesson.md"). It returns the lesson, as complete as
// the input allows, and every problem found; the lesson is usable only
// when there are no problems. Parse never panics, whatever the input.
func Parse(file string, data []byte) (*Lesson, Problems) {
	var probs Problems
	l := &Lesson{Files: emptyFS{}, Solutions: emptyFS{}}
	if !utf8.Valid(data) {
		return l, Problems{{File: file, Msg: "not valid UTF-8 text"}}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	lines := strings.Split(text, "\n")

	// Front matter: "---" on the first line, up to the next "---".
	if len(lines) == 0 || strings.TrimRight(lines[0], " \t") != "---" {
		probs = append(probs, Problem{File: file, Line: 1, Msg: `missing front matter: the file must start with a "---" line`})
		return l, probs
	}
	end := -1
	for i := 1; i < len(lines); i++ {
		if t := strings.TrimRight(lines[i], " \t"); t == "---" || t == "..." {
			end = i
			break
		}
	}
	if end < 0 {
		probs = append(probs, Problem{File: file, Line: 1, Msg: `front matter is never closed: add a "---" line after it`})
		return l, probs
	}
	d := &decoder{file: file, lineOffset: 2, probs: &probs}
	decodeFrontMatter(d, l, strings.Join(lines[1:end], "\n"))

	first := end + 2 // file line of lines[end+1]
	b := splitBody(file, lines[end+1:], first)
	probs = append(probs, b.problems...)
	l.Intro = joinTrim(b.intro)
	l.Body = joinTrim(b.prose)
	if b.title == "" {
		probs = append(probs, Problem{File: file, Line: first, Msg: `the body has no "# Title" heading`})
	}
	if len(b.steps) == 0 {
		probs = append(probs, Problem{File: file, Line: first, Msg: `the lesson has no steps: add a "## Step 1: Title" section with a seclab-step block`})
	}
	ids := map[string]int{}
	for i, sec := range b.steps {
		st := Step{Number: sec.number, Title: sec.title, Line: sec.line, Task: joinTrim(sec.lines)}
		ctx := fmt.Sprintf("step %d", sec.number)
		if sec.number != i+1 {
			probs = append(probs, Problem{File: file, Line: sec.line, Msg: fmt.Sprintf("%s: steps must be numbered 1, 2, 3… in order; this should be step %d", ctx, i+1)})
		}
		if sec.title == "" {
			probs = append(probs, Problem{File: file, Line: sec.line, Msg: ctx + ": the heading has no title"})
		}
		switch len(sec.blocks) {
		case 0:
			probs = append(probs, Problem{File: file, Line: sec.line, Msg: ctx + ": no seclab-step block in this section"})
		default:
			for _, extra := range sec.blocks[1:] {
				probs = append(probs, Problem{File: file, Line: extra.line - 1, Msg: ctx + ": more than one seclab-step block in this section"})
			}
			sd := &decoder{file: file, lineOffset: sec.blocks[0].line, probs: &probs}
			decodeStep(sd, &st, sec.blocks[0])
		}
		if st.ID != "" {
			if prev, dup := ids[st.ID]; dup {
				probs = append(probs, Problem{File: file, Line: sec.line, Msg: fmt.Sprintf("step %d: duplicate step id %q (also step %d)", sec.number, st.ID, prev)})
			}
			ids[st.ID] = sec.number
		}
		l.Steps = append(l.Steps, st)
	}
	return l, probs
}

// decodeFrontMatter fills l's front matter fields from src.
func decodeFrontMatter(d *decoder, l *Lesson, src string) {
	const ctx = "front matter"
	root, ok := d.parse([]byte(src), ctx)
	if !ok {
		return
	}
	if root == nil {
		d.add(1, ctx, "is empty: it needs id, title, summary, minutes and targets")
		return
	}
	fs, ok := d.mapping(root, ctx, "id", "title", "summary", "minutes", "targets", "personas", "cost")
	if !ok {
		return
	}
	for _, k := range []string{"id", "title", "summary", "minutes", "targets"} {
		if _, ok := fs[k]; !ok {
			d.add(d.line(root), ctx, "missing required key %q", k)
		}
	}
	if f, ok := fs["id"]; ok {
		l.ID = d.str(f, ctx)
		if l.ID != "" && !idPattern.MatchString(l.ID) {
			d.add(f.line, ctx, "id %q: use lower-case letters, digits and single dashes", l.ID)
		}
	}
	if f, ok := fs["title"]; ok {
		l.Title = strings.TrimSpace(d.str(f, ctx))
	}
	if f, ok := fs["summary"]; ok {
		l.Summary = strings.TrimSpace(d.str(f, ctx))
	}
	if f, ok := fs["minutes"]; ok {
		if n, ok := d.integer(f, ctx); ok {
			if n < 1 || n > 120 {
				d.add(f.line, ctx, "minutes: %d is out of range 1–120", n)
			}
			l.Minutes = n
		}
	}
	if f, ok := fs["targets"]; ok {
		l.Targets = d.strList(f, ctx)
		if len(l.Targets) == 0 {
			d.add(f.line, ctx, "targets: list at least one of %s", quoteList(validTargets))
		}
		seen := map[string]bool{}
		for _, t := range l.Targets {
			if !contains(validTargets, t) {
				d.add(f.line, ctx, "targets: unknown target %q: want %s%s", t, quoteList(validTargets), suggest(t, validTargets))
			} else if seen[t] {
				d.add(f.line, ctx, "targets: %q is listed twice", t)
			}
			seen[t] = true
		}
	}
	if f, ok := fs["personas"]; ok {
		seen := map[string]bool{}
		for i, item := range d.list(f, ctx) {
			pctx := fmt.Sprintf("%s: persona %d", ctx, i+1)
			p := decodePersona(d, item, pctx)
			if p.Name != "" {
				if seen[p.Name] {
					d.add(d.line(item), pctx, "duplicate persona %q", p.Name)
				}
				seen[p.Name] = true
			}
			l.Personas = append(l.Personas, p)
		}
	}
	if f, ok := fs["cost"]; ok {
		cs, ok := d.mapping(f.value, ctx+": cost", "kms_keys", "secrets", "requests")
		if ok {
			for k, dst := range map[string]*int{"kms_keys": &l.Cost.KMSKeys, "secrets": &l.Cost.Secrets, "requests": &l.Cost.Requests} {
				if cf, ok := cs[k]; ok {
					if n, ok := d.integer(cf, ctx+": cost"); ok {
						if n < 0 {
							d.add(cf.line, ctx+": cost", "%s: must not be negative", k)
						}
						*dst = n
					}
				}
			}
		}
	}
}

func decodePersona(d *decoder, n ast.Node, ctx string) Persona {
	var p Persona
	fs, ok := d.mapping(n, ctx, "name", "managed_policies", "inline_policy")
	if !ok {
		return p
	}
	f, ok := fs["name"]
	if !ok {
		d.add(d.line(n), ctx, `missing required key "name"`)
	} else {
		p.Name = d.str(f, ctx)
		switch {
		case p.Name == "learner":
			d.add(f.line, ctx, `"learner" is the learner's own identity; pick another persona name`)
		case p.Name != "" && !personaPattern.MatchString(p.Name):
			d.add(f.line, ctx, "name %q: use lower-case letters, digits and dashes, starting with a letter", p.Name)
		}
	}
	if f, ok := fs["managed_policies"]; ok {
		p.ManagedPolicies = d.strList(f, ctx)
	}
	if f, ok := fs["inline_policy"]; ok {
		p.InlinePolicy = d.str(f, ctx)
	}
	return p
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
