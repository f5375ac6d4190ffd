package console

import (
	"fmt"
	"strings"
)

// Split breaks a command line into words the way a POSIX shell does for
// quoting: words are separated by unquoted blanks; single quotes keep
// everything literally; double quotes keep everything except that a
// backslash escapes ", \, $ and `; outside quotes a backslash escapes the
// next character. Variables, globs and operators are not interpreted: the
// console runs one command, never a pipeline.
func Split(line string) ([]string, error) {
	var (
		words  []string
		cur    strings.Builder
		inWord bool
	)
	rs := []rune(line)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case r == '\'':
			inWord = true
			end := indexRune(rs, i+1, '\'')
			if end < 0 {
				return nil, fmt.Errorf("unterminated single quote at column %d", i+1)
			}
			cur.WriteString(string(rs[i+1 : end]))
			i = end
		case r == '"':
			inWord = true
			j := i + 1
			for ; j < len(rs) && rs[j] != '"'; j++ {
				if rs[j] == '\\' && j+1 < len(rs) && strings.ContainsRune("\"\\$`", rs[j+1]) {
					j++
				}
				cur.WriteRune(rs[j])
			}
			if j >= len(rs) {
				return nil, fmt.Errorf("unterminated double quote at column %d", i+1)
			}
			i = j
		case r == '\\':
			inWord = true
			if i+1 >= len(rs) {
				return nil, fmt.Errorf("trailing backslash at the end of the line")
			}
			i++
			if rs[i] != '\n' { // a backslash-newline joins lines
				cur.WriteRune(rs[i])
			}
		default:
			inWord = true
			cur.WriteRune(r)
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

func indexRune(rs []rune, from int, r rune) int {
	for i := from; i < len(rs); i++ {
		if rs[i] == r {
			return i
		}
	}
	return -1
}

// Quote returns s quoted for Split when it needs quoting, so that
// Split(Quote(s)) yields s again.
func Quote(s string) string {
	if s == "" {
		return "''"
	}
	if !strings.ContainsAny(s, " \t\r\n'\"\\") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
