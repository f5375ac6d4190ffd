// Package lessons loads and validates seclab lesson packs: folders of
// Markdown lessons with YAML front matter and fenced seclab-step blocks
// (docs/lesson-format.md). It embeds the built-in course and parses it
// strictly, naming the file and line of every problem.
//
// The package only describes lessons. It never runs commands, talks to AWS
// or renders anything: the lab runtime and the TUI do that.
package lessons

import (
	"fmt"
	"io/fs"
	"strconv"
	"strings"
)

// Pack is an ordered set of lessons, as loaded from one folder.
type Pack struct {
	// Lessons are sorted by Number.
	Lessons []*Lesson
}

// Find returns the lesson whose number ("3", "03") or ID
// ("secure-key-policy") is numberOrID. The error lists the valid numbers.
func (p *Pack) Find(numberOrID string) (*Lesson, error) {
	s := strings.TrimSpace(numberOrID)
	if n, err := strconv.Atoi(s); err == nil {
		for _, l := range p.Lessons {
			if l.Number == n {
				return l, nil
			}
		}
	} else {
		for _, l := range p.Lessons {
			if l.ID == s || l.Dir == s {
				return l, nil
			}
		}
	}
	if len(p.Lessons) == 0 {
		return nil, fmt.Errorf("no lesson %q: the lesson pack is empty", numberOrID)
	}
	nums := make([]string, len(p.Lessons))
	for i, l := range p.Lessons {
		nums[i] = strconv.Itoa(l.Number)
	}
	return nil, fmt.Errorf("no lesson %q; valid lesson numbers are %s (or a lesson ID; see \"seclab list\")",
		numberOrID, strings.Join(nums, ", "))
}

// Steps returns the total number of steps in the pack.
func (p *Pack) Steps() int {
	n := 0
	for _, l := range p.Lessons {
		n += len(l.Steps)
	}
	return n
}

// Lesson is one lesson: its front matter, its prose and its steps.
type Lesson struct {
	// Number is the folder's numeric prefix ("08-…" is 8).
	Number int
	// Dir is the lesson's folder name inside the pack, e.g. "08-secure-key-policy".
	Dir string
	// ID is the stable identifier from the front matter.
	ID      string
	Title   string
	Summary string
	// Minutes is the estimated time to complete the lesson.
	Minutes int
	// Targets lists where the lesson can run: "sandbox", "aws", "endpoint".
	Targets  []string
	Personas []Persona
	Cost     Cost
	// Intro is the Markdown before the first step (the title line included).
	Intro string
	// Body is the whole Markdown without the front matter, with the
	// seclab-step blocks removed: what the lesson pane renders.
	Body  string
	Steps []Step
	// Files is the lesson's files/ folder (starter files copied into the
	// learner's workspace). It is empty, never nil, when the folder is absent.
	Files fs.FS
	// Solutions is the lesson's solutions/ folder (files that `write`/`from`
	// actions copy). It is empty, never nil, when the folder is absent.
	Solutions fs.FS
}

// File returns the path of the lesson's Markdown file inside the pack, as
// error messages name it.
func (l *Lesson) File() string { return l.Dir + "/lesson.md" }

// Step returns the step with the given ID, or nil.
func (l *Lesson) Step(id string) *Step {
	for i := range l.Steps {
		if l.Steps[i].ID == id {
			return &l.Steps[i]
		}
	}
	return nil
}

// Persona is an identity a lesson uses besides the learner's own.
type Persona struct {
	Name string
	// ManagedPolicies are AWS managed policy names, e.g. "AdministratorAccess".
	ManagedPolicies []string
	// InlinePolicy is a file name under the lesson's files/ folder, or "".
	InlinePolicy string
}

// Cost is what a lesson creates, for the real-account cost estimate.
type Cost struct {
	KMSKeys  int
	Secrets  int
	Requests int
}

// Step is one guided task of a lesson.
type Step struct {
	// Number counts from 1, as in the heading "## Step N: Title".
	Number int
	ID     string
	Title  string
	// Task is the step section's Markdown without its heading and its
	// seclab-step block.
	Task     string
	Setup    []Action
	Checks   []Check
	Hints    []string
	Solution []Action
	// Line is the line of the step's heading in lesson.md.
	Line int
}

// Action is a setup or solution action: either a console command (Run) or a
// workspace file write (Write, with From or Content). Strings may contain
// {{VAR}} templates.
type Action struct {
	// As is the persona that runs the command; "learner" when not given.
	As  string
	Run string
	// Save maps variable names to JMESPath expressions over Run's JSON output.
	Save map[string]string
	// Write is a workspace file name; From names a file in the lesson's
	// solutions/ folder, Content is literal text. Exactly one is set.
	Write, From, Content string
	// IgnoreErrors are AWS error codes that count as success (idempotent setup).
	IgnoreErrors []string
	// Line is the line of the action in lesson.md.
	Line int
}

// Check is one named, read-only condition of a step. Exactly one of Run,
// Trail and File is set.
type Check struct {
	Name string
	// As is the persona that runs Run; "learner" when not given.
	As  string
	Run string
	// Fail is the message the learner sees when the check fails.
	Fail   string
	Expect Expect
	Trail  *TrailMatch
	// File is a workspace file that must parse as a policy (Expect.Policy).
	File string
	// Line is the line of the check in lesson.md.
	Line int
}

// Expect is what a Run or File check expects. For a Run check exactly one of
// OK, Error and Query is set; with Query exactly one of Equals (HasEquals),
// Contains and Matches. For a File check Policy and MaxSeverity are set.
type Expect struct {
	OK    bool
	Error string
	Query string
	// Equals holds a JSON-shaped value: nil, bool, float64, string, []any
	// or map[string]any. HasEquals tells an explicit `equals: null` apart
	// from no equals at all.
	Equals    any
	HasEquals bool
	Contains  string
	// Matches is an RE2 regular expression (before template expansion).
	Matches string
	// Policy is identity, resource, key or trust.
	Policy string
	// MaxSeverity is the highest finding severity that still passes:
	// error, security_warning, warning or suggestion.
	MaxSeverity string
}

// TrailMatch describes a sandbox trail event a Trail check looks for.
type TrailMatch struct {
	// Action is "service:Operation", e.g. "secretsmanager:GetSecretValue".
	Action string
	// As is the persona that made the call, or "" for anyone.
	As string
	// Outcome is allowed, denied, error, ok, or "" for any.
	Outcome string
	// Via is the calling service for forward-access calls (e.g.
	// "secretsmanager"), or "".
	Via string
}
