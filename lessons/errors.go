package lessons

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Problem is one thing wrong with a lesson pack, located by file and line.
type Problem struct {
	// File is the path inside the pack, e.g. "08-secure-key-policy/lesson.md".
	File string
	// Line is 1-based; 0 when the problem concerns the whole file or folder.
	Line int
	// Msg says what is wrong, with its context ("step \"x\": check 2: …").
	Msg string
}

// String formats the problem as FILE:LINE: message.
func (p Problem) String() string {
	switch {
	case p.File == "":
		return p.Msg
	case p.Line > 0:
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	default:
		return fmt.Sprintf("%s: %s", p.File, p.Msg)
	}
}

// Problems is a list of problems that is also an error. Load returns it
// (wrapped in *PackError) so callers can show every problem, not just the first.
type Problems []Problem

// Sort orders problems by file, then line.
func (ps Problems) Sort() {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].File != ps[j].File {
			return ps[i].File < ps[j].File
		}
		return ps[i].Line < ps[j].Line
	})
}

// PackError is the error Load returns for an invalid pack. Its message lists
// every problem, one per line.
type PackError struct {
	Problems Problems
}

// Error lists every problem, one per line.
func (e *PackError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	if len(lines) == 1 {
		return lines[0]
	}
	return fmt.Sprintf("%d problems in the lesson pack:\n%s", len(lines), strings.Join(lines, "\n"))
}

// ProblemsOf returns the problems inside err: those of a *PackError, or
// err itself as a single problem.
func ProblemsOf(err error) Problems {
	if err == nil {
		return nil
	}
	var pe *PackError
	if errors.As(err, &pe) {
		return pe.Problems
	}
	return Problems{{Msg: err.Error()}}
}

// suggest returns ` (did you mean "x"?)` when word is a likely typo of one
// of the candidates, and "" otherwise.
func suggest(word string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		d := editDistance(strings.ToLower(word), c)
		if d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" || bestD > len(word)/2 {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// editDistance is the optimal-string-alignment distance between a and b:
// insertions, deletions, substitutions and swaps of neighbours cost 1.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	pprev := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], pprev[j-2]+1)
			}
		}
		pprev, prev, cur = prev, cur, pprev
	}
	return prev[len(rb)]
}
