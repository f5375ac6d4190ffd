package check

import (
	"fmt"
	"os"
	"regexp"

	"github.com/seclab-dev/seclab/lab/console"
	"github.com/seclab-dev/seclab/lessons"
)

// templateRef matches a {{VAR}} reference.
var templateRef = regexp.MustCompile(`\{\{[^{}]*\}\}`)

// Lint finds the console commands of a lesson that cannot work, without
// running them: commands of setup, checks and solutions that the console
// cannot parse (an unknown service, operation or flag, a flag without
// its value), and run checks that are not read-only. Templates stand for
// values; values themselves (files, JSON, base64) are not judged, as they
// only exist when the lesson runs. `seclab lessons lint` can add these
// problems to the loader's.
func Lint(l *lessons.Lesson) lessons.Problems {
	var out lessons.Problems
	add := func(line int, ctx, msg string) {
		out = append(out, lessons.Problem{File: l.File(), Line: line, Msg: ctx + ": " + msg})
	}
	for _, st := range l.Steps {
		ctx := fmt.Sprintf("step %q", st.ID)
		for i, a := range st.Setup {
			if a.Run != "" {
				if msg := lintCommand(a.Run); msg != "" {
					add(a.Line, fmt.Sprintf("%s: setup %d", ctx, i+1), msg)
				}
			}
		}
		for i, c := range st.Checks {
			if c.Run == "" {
				continue
			}
			where := fmt.Sprintf("%s: check %d (%s)", ctx, i+1, c.Name)
			if msg := lintCommand(c.Run); msg != "" {
				add(c.Line, where, msg)
			} else if err := ReadOnlyCommand(templateRef.ReplaceAllString(c.Run, "x")); err != nil {
				add(c.Line, where, err.Error())
			}
		}
		for i, a := range st.Solution {
			if a.Run != "" {
				if msg := lintCommand(a.Run); msg != "" {
					add(a.Line, fmt.Sprintf("%s: solution %d", ctx, i+1), msg)
				}
			}
		}
	}
	return out
}

// lintCommand returns what is wrong with a command line's syntax, or "".
func lintCommand(line string) string {
	words, err := console.Split(templateRef.ReplaceAllString(line, "x"))
	if err != nil {
		return fmt.Sprintf("%q: %v", line, err)
	}
	if len(words) == 0 || words[0] != "aws" {
		return fmt.Sprintf("%q: actions and checks run aws commands", line)
	}
	_, err = console.Parse(words, func(string) string { return os.DevNull })
	if err != nil && console.IsUsageError(err) {
		return fmt.Sprintf("%q: aws: error: %v", line, err)
	}
	return ""
}
