package check

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"

	"github.com/seclab-dev/seclab/lab/console"
	"github.com/seclab-dev/seclab/lab/policy"
	"github.com/seclab-dev/seclab/lab/target"
	"github.com/seclab-dev/seclab/lessons"
)

// runCheck runs a read-only command and compares its result.
func runCheck(ctx context.Context, env Env, c lessons.Check) (Outcome, string) {
	line, err := env.Expand(c.Run)
	if err != nil {
		return Error, err.Error()
	}
	if err := ReadOnlyCommand(line); err != nil {
		return Error, err.Error()
	}
	persona := c.As
	if persona == "" {
		persona = console.Learner
	}
	r := env.Run(ctx, persona, line)
	e := c.Expect
	if r.Err != nil {
		switch {
		case ctx.Err() != nil:
			return Error, fmt.Sprintf("the check timed out: %s", r.Err.Message)
		case r.Err.Transient:
			return Error, fmt.Sprintf("the service could not answer: %s", r.Err.Message)
		case r.Err.Code == "":
			// A file:// or fileb:// argument naming a workspace file the
			// learner has not written yet is the learner's work to do,
			// not a broken check.
			if name := missingWorkspaceFile(env, line); name != "" {
				return Fail, fmt.Sprintf("%s is not in the workspace yet", name)
			}
			return Error, fmt.Sprintf("the check's command failed before reaching AWS: %s", r.Err.Message)
		case e.Error != "":
			if r.Err.Code == e.Error {
				return Pass, ""
			}
			return Fail, r.Err.Message
		default:
			return Fail, r.Err.Message
		}
	}
	switch {
	case e.Error != "":
		return Fail, fmt.Sprintf("the command succeeded; expected the error %s", e.Error)
	case e.OK:
		return Pass, ""
	case e.Query != "":
		return queryCheck(env, e, r.Data)
	}
	return Error, "the check has no expectation"
}

// missingWorkspaceFile returns the first workspace file that a command
// line reads with file:// or fileb:// (as a word of its own or as
// --flag=file://NAME) and that does not exist, or "" when there is none.
// Paths outside the workspace (absolute, ~) are not the workspace's to
// judge and are skipped.
func missingWorkspaceFile(env Env, line string) string {
	words, err := console.Split(line)
	if err != nil {
		return ""
	}
	for _, w := range words {
		if strings.HasPrefix(w, "--") {
			if _, v, ok := strings.Cut(w, "="); ok {
				w = v
			}
		}
		var name string
		switch {
		case strings.HasPrefix(w, "fileb://"):
			name = strings.TrimPrefix(w, "fileb://")
		case strings.HasPrefix(w, "file://"):
			name = strings.TrimPrefix(w, "file://")
		default:
			continue
		}
		if name == "" || strings.HasPrefix(name, "~") || strings.HasPrefix(name, "/") || filepath.IsAbs(name) {
			continue
		}
		if _, err := env.ReadFile(name); errors.Is(err, fs.ErrNotExist) {
			return name
		}
	}
	return ""
}

func queryCheck(env Env, e lessons.Expect, data any) (Outcome, string) {
	got, err := console.Search(e.Query, data)
	if err != nil {
		return Error, fmt.Sprintf("the check's query %q is invalid: %v", e.Query, err)
	}
	show := showJSON(got)
	switch {
	case e.HasEquals:
		want, err := expandJSON(env, e.Equals)
		if err != nil {
			return Error, err.Error()
		}
		if reflect.DeepEqual(normalize(want), normalize(got)) {
			return Pass, ""
		}
		return Fail, fmt.Sprintf("%s is %s, expected %s", e.Query, show, showJSON(want))
	case e.Contains != "":
		want, err := env.Expand(e.Contains)
		if err != nil {
			return Error, err.Error()
		}
		switch g := got.(type) {
		case string:
			if strings.Contains(g, want) {
				return Pass, ""
			}
		case []any:
			for _, x := range g {
				if s, ok := x.(string); ok && s == want {
					return Pass, ""
				}
			}
		}
		return Fail, fmt.Sprintf("%s is %s, which does not contain %q", e.Query, show, want)
	case e.Matches != "":
		pat, err := env.Expand(e.Matches)
		if err != nil {
			return Error, err.Error()
		}
		re, err := regexp.Compile(pat)
		if err != nil {
			return Error, fmt.Sprintf("the check's pattern %q is invalid: %v", pat, err)
		}
		s, ok := got.(string)
		if !ok {
			s = show
		}
		if got != nil && re.MatchString(s) {
			return Pass, ""
		}
		return Fail, fmt.Sprintf("%s is %s, which does not match %s", e.Query, show, pat)
	}
	return Error, "the check's query has no equals, contains or matches"
}

// expandJSON expands templates in every string of an expected value.
func expandJSON(env Env, v any) (any, error) {
	switch v := v.(type) {
	case string:
		return env.Expand(v)
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			y, err := expandJSON(env, x)
			if err != nil {
				return nil, err
			}
			out[i] = y
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			y, err := expandJSON(env, x)
			if err != nil {
				return nil, err
			}
			out[k] = y
		}
		return out, nil
	}
	return v, nil
}

// normalize maps a value through JSON so that numbers compare as float64.
func normalize(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	if json.Unmarshal(b, &out) != nil {
		return v
	}
	return out
}

func showJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	s := string(b)
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// trailCheck looks for a matching call since the step started.
func trailCheck(ctx context.Context, env Env, m *lessons.TrailMatch) (Outcome, string) {
	events, ok, err := env.Trail(ctx)
	if err != nil {
		return Error, fmt.Sprintf("the trail could not be read: %v", err)
	}
	if !ok {
		return Error, "trail checks need the sandbox target: this target has no trail"
	}
	want := *m
	for _, p := range []*string{&want.Action, &want.As, &want.Via} {
		if *p, err = env.Expand(*p); err != nil {
			return Error, err.Error()
		}
	}
	seen := 0
	for _, e := range events {
		if e.Source == SourceCheck {
			continue // a check's own call proves nothing the learner did
		}
		seen++
		if TrailMatches(want, e) {
			return Pass, ""
		}
	}
	return Fail, fmt.Sprintf("no %s in the trail since the step started (%d calls seen)", describeMatch(want), seen)
}

// TrailMatches reports whether event e satisfies m.
func TrailMatches(m lessons.TrailMatch, e target.Event) bool {
	if !strings.EqualFold(m.Action, e.Action) {
		return false
	}
	if m.As != "" && m.As != e.PrincipalName && !strings.HasPrefix(e.PrincipalName, m.As+"/") {
		return false
	}
	if m.Via != "" && e.Via != m.Via && !strings.HasPrefix(e.Via, m.Via+".") {
		return false
	}
	switch m.Outcome {
	case "allowed":
		return e.Decision == "Allowed"
	case "denied":
		return e.Denied()
	case "error":
		return e.ErrorCode != ""
	case "ok":
		return e.ErrorCode == ""
	}
	return true
}

func describeMatch(m lessons.TrailMatch) string {
	s := m.Action + " call"
	if m.As != "" {
		s += " by " + m.As
	}
	if m.Via != "" {
		s += " via " + m.Via
	}
	if m.Outcome != "" {
		s += " with outcome " + m.Outcome
	}
	return s
}

var policyKinds = map[string]policy.Kind{
	"identity": policy.Identity, "resource": policy.Resource, "key": policy.KeyPolicy, "trust": policy.Trust,
}

var severityRank = map[string]int{"suggestion": 1, "warning": 2, "security_warning": 3, "error": 4}

// fileCheck validates a workspace policy file.
func fileCheck(env Env, c lessons.Check) (Outcome, string) {
	name, err := env.Expand(c.File)
	if err != nil {
		return Error, err.Error()
	}
	kind, ok := policyKinds[c.Expect.Policy]
	if !ok {
		return Error, fmt.Sprintf("the check's policy type %q is not identity, resource, key or trust", c.Expect.Policy)
	}
	maxSev := c.Expect.MaxSeverity
	if maxSev == "" {
		maxSev = lessons.DefaultMaxSeverity
	}
	limit, ok := severityRank[maxSev]
	if !ok {
		return Error, fmt.Sprintf("the check's max_severity %q is unknown", maxSev)
	}
	doc, err := env.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return Fail, fmt.Sprintf("%s is not in the workspace", name)
	}
	if err != nil {
		return Error, fmt.Sprintf("read %s: %v", name, err)
	}
	var bad []string
	for _, f := range policy.Validate(doc, kind) {
		if severityRank[strings.ToLower(string(f.Severity))] > limit {
			bad = append(bad, f.String())
		}
	}
	if len(bad) > 0 {
		return Fail, name + ":\n" + strings.Join(bad, "\n")
	}
	return Pass, ""
}
