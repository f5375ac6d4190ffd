package lessons_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/seclab-dev/seclab/lessons"
)

// The built-in course's content rules: what every lesson must have beyond
// what the parser and the linter demand. The lab runtime proves the steps
// (cmd/seclab's course self-test); these tests read the lessons.

var (
	idRE          = regexp.MustCompile(`^[a-z0-9-]+$`)
	personaRE     = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
	docsLinkRE    = regexp.MustCompile(`\]\((https://docs\.aws\.amazon\.com/[^)\s]+)\)`)
	managedARNRE  = regexp.MustCompile(`arn:aws:iam::aws:policy/([A-Za-z0-9_+=,.@/-]+)`)
	validTargets  = []string{"sandbox", "aws", "endpoint"}
	sandboxIndex  = filepath.Join("..", "lab", "sandbox", "iam", "managed", "index.json")
	minMinutes    = 10
	maxMinutes    = 20
	minHints      = 2
	minSteps      = 3
	minStepsFirst = 2 // the welcome lesson is short
)

func builtinCourse(t *testing.T) *lessons.Pack {
	t.Helper()
	pack, err := lessons.Builtin()
	if err != nil {
		t.Fatalf("the built-in course does not load: %v", err)
	}
	if len(pack.Lessons) == 0 {
		t.Fatal("the built-in course has no lessons")
	}
	return pack
}

// TestCourseNumbering: lessons are numbered 1..N without gaps, with unique
// IDs.
func TestCourseNumbering(t *testing.T) {
	pack := builtinCourse(t)
	var got, want []int
	ids := map[string]int{}
	for i, l := range pack.Lessons {
		got, want = append(got, l.Number), append(want, i+1)
		if prev, dup := ids[l.ID]; dup {
			t.Errorf("lessons %d and %d share the ID %q", prev, l.Number, l.ID)
		}
		ids[l.ID] = l.Number
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("lesson numbers (-want +got):\n%s", diff)
	}
}

// TestCourseFrontMatter: id, title, summary, minutes, targets and personas.
func TestCourseFrontMatter(t *testing.T) {
	for _, l := range builtinCourse(t).Lessons {
		t.Run(l.Dir, func(t *testing.T) {
			var problems []string
			bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
			if !idRE.MatchString(l.ID) {
				bad("id %q is not [a-z0-9-]+", l.ID)
			}
			if strings.TrimSpace(l.Title) == "" {
				bad("no title")
			}
			if s := strings.TrimSpace(l.Summary); s == "" {
				bad("no summary")
			} else if strings.Contains(s, "\n") {
				bad("the summary is not one line: %q", s)
			}
			if l.Minutes < minMinutes || l.Minutes > maxMinutes {
				bad("minutes is %d, want %d to %d", l.Minutes, minMinutes, maxMinutes)
			}
			if len(l.Targets) == 0 {
				bad("no targets")
			}
			for _, tg := range l.Targets {
				if !slices.Contains(validTargets, tg) {
					bad("target %q is not one of %v", tg, validTargets)
				}
			}
			if !slices.Contains(l.Targets, "sandbox") {
				bad("targets %v leave out the sandbox, where every lesson must run", l.Targets)
			}
			seen := map[string]bool{}
			for _, p := range l.Personas {
				switch {
				case !personaRE.MatchString(p.Name):
					bad("persona %q is not [a-z][a-z0-9-]*", p.Name)
				case p.Name == "learner":
					bad("a persona may not be named learner")
				case seen[p.Name]:
					bad("persona %q is declared twice", p.Name)
				}
				seen[p.Name] = true
				if p.InlinePolicy != "" {
					if _, err := l.Files.Open(p.InlinePolicy); err != nil {
						bad("persona %q: inline policy %s is not in files/: %v", p.Name, p.InlinePolicy, err)
					}
				}
			}
			for _, p := range problems {
				t.Errorf("%s: %s", l.File(), p)
			}
		})
	}
}

// TestCourseSteps: enough steps, at least two hints each, and at least one
// check per step that calls AWS (run:), so no step is graded by files or
// the trail alone.
func TestCourseSteps(t *testing.T) {
	for _, l := range builtinCourse(t).Lessons {
		t.Run(l.Dir, func(t *testing.T) {
			want := minSteps
			if l.Number == 1 {
				want = minStepsFirst
			}
			if len(l.Steps) < want {
				t.Errorf("%s has %d steps, want at least %d", l.File(), len(l.Steps), want)
			}
			for _, st := range l.Steps {
				where := fmt.Sprintf("%s:%d: step %d (%s)", l.File(), st.Line, st.Number, st.ID)
				if len(st.Hints) < minHints {
					t.Errorf("%s has %d hints, want at least %d", where, len(st.Hints), minHints)
				}
				for i, h := range st.Hints {
					if strings.TrimSpace(h) == "" {
						t.Errorf("%s: hint %d is empty", where, i+1)
					}
				}
				if !slices.ContainsFunc(st.Checks, func(c lessons.Check) bool { return c.Run != "" }) {
					t.Errorf("%s has no check that runs an AWS call (run:)", where)
				}
				if len(st.Solution) == 0 {
					t.Errorf("%s has no solution", where)
				}
			}
		})
	}
}

// TestCourseClosingSections: every lesson ends with "## Recap" and
// "## Read more", in that order, and Read more links the AWS documentation.
func TestCourseClosingSections(t *testing.T) {
	for _, l := range builtinCourse(t).Lessons {
		t.Run(l.Dir, func(t *testing.T) {
			secs := sections(l.Body)
			var titles []string
			for _, s := range secs {
				titles = append(titles, s.title)
			}
			recap := slices.Index(titles, "Recap")
			more := slices.Index(titles, "Read more")
			switch {
			case recap < 0:
				t.Errorf("%s has no \"## Recap\" section (sections: %q)", l.File(), titles)
			case strings.TrimSpace(secs[recap].text) == "":
				t.Errorf("%s: the Recap section is empty", l.File())
			}
			if more < 0 {
				t.Fatalf("%s has no \"## Read more\" section (sections: %q)", l.File(), titles)
			}
			if recap > more {
				t.Errorf("%s: Read more comes before Recap", l.File())
			}
			if links := docsLinkRE.FindAllStringSubmatch(secs[more].text, -1); len(links) == 0 {
				t.Errorf("%s: Read more has no link to https://docs.aws.amazon.com", l.File())
			}
		})
	}
}

// TestSectionsSkipsFences: the section splitter used above ignores "## "
// lines inside fenced code blocks.
func TestSectionsSkipsFences(t *testing.T) {
	body := "# Title\n\nIntro\n\n## Step 1: One\n\ntask\n\n````\n```\n## not a heading\n```\n````\n\n## Recap\n\n- done\n\n## Read more\n\n- [x](https://docs.aws.amazon.com/x.html)\n"
	var got []section
	for _, s := range sections(body) {
		got = append(got, section{s.title, strings.TrimSpace(s.text)})
	}
	want := []section{
		{"Step 1: One", "task\n\n````\n```\n## not a heading\n```\n````"},
		{"Recap", "- done"},
		{"Read more", "- [x](https://docs.aws.amazon.com/x.html)"},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(section{})); diff != "" {
		t.Errorf("sections (-want +got):\n%s", diff)
	}
}

// TestCourseManagedPolicies: every AWS managed policy the course names (a
// persona's managed_policies, or an arn:aws:iam::aws:policy/… in a
// command) is one the sandbox ships.
func TestCourseManagedPolicies(t *testing.T) {
	b, err := os.ReadFile(sandboxIndex)
	if err != nil {
		t.Fatalf("the sandbox's managed policy index: %v", err)
	}
	var index []struct {
		Name string `json:"name"`
		File string `json:"file"`
	}
	if err := json.Unmarshal(b, &index); err != nil {
		t.Fatalf("%s: %v", sandboxIndex, err)
	}
	shipped := map[string]bool{}
	for _, e := range index {
		if _, err := os.Stat(filepath.Join(filepath.Dir(sandboxIndex), e.File)); err != nil {
			t.Errorf("%s lists %s, but its document is missing: %v", sandboxIndex, e.Name, err)
		}
		shipped[e.Name] = true
	}
	used := 0
	for _, l := range builtinCourse(t).Lessons {
		for _, p := range l.Personas {
			for _, name := range p.ManagedPolicies {
				used++
				if !shipped[name] {
					t.Errorf("%s: persona %q names the AWS managed policy %s, which the sandbox does not ship", l.File(), p.Name, name)
				}
			}
		}
		for _, st := range l.Steps {
			var lines []string
			for _, a := range append(append([]lessons.Action(nil), st.Setup...), st.Solution...) {
				lines = append(lines, a.Run)
			}
			for _, c := range st.Checks {
				lines = append(lines, c.Run)
			}
			for _, line := range lines {
				for _, m := range managedARNRE.FindAllStringSubmatch(line, -1) {
					used++
					if name := m[1]; !shipped[name] {
						t.Errorf("%s: step %d (%s) uses the AWS managed policy %s, which the sandbox does not ship", l.File(), st.Number, st.ID, name)
					}
				}
			}
		}
	}
	if used == 0 {
		t.Error("the course names no AWS managed policy: is the persona parsing broken?")
	}
}

// section is a level-2 section of a lesson's Markdown.
type section struct {
	title string
	text  string
}

// sections splits Markdown at its level-2 headings, skipping fenced code.
func sections(md string) []section {
	var out []section
	fence := "" // the open fence's run of ` or ~, "" outside code
	for line := range strings.Lines(md) {
		trimmed := strings.TrimSpace(line)
		run := fenceRun(trimmed)
		switch {
		case fence == "" && run != "":
			fence = run
		case fence != "" && strings.HasPrefix(run, fence) && strings.TrimLeft(trimmed, run[:1]) == "":
			fence = ""
		case fence == "" && strings.HasPrefix(line, "## "):
			out = append(out, section{title: strings.TrimSpace(strings.TrimPrefix(line, "## "))})
			continue
		}
		if len(out) > 0 {
			out[len(out)-1].text += line
		}
	}
	return out
}

// fenceRun returns the leading run of three or more ` or ~ of a line, or "".
func fenceRun(s string) string {
	if s == "" || (s[0] != '`' && s[0] != '~') {
		return ""
	}
	n := len(s) - len(strings.TrimLeft(s, s[:1]))
	if n < 3 {
		return ""
	}
	return s[:n]
}
