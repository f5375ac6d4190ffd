package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// This file wraps commands and hints for the narrow steps pane. Unlike
// ansi.Wrap, which also breaks after hyphens ("create-" / "secret"), it
// breaks only at spaces, so every word of a command stays whole and
// copyable; continuation lines hang under the first.

// codeIndent is the extra indentation of a wrapped command's continuation
// lines.
const codeIndent = "    "

// wrapCode wraps each line of s as a command: at spaces only, keeping a
// flag with its value when they fit together, continuation lines indented
// by codeIndent under the line's own indentation.
func wrapCode(s string, width int) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		out = append(out, wrapCommand(line, width)...)
	}
	return strings.Join(out, "\n")
}

// wrapCommand wraps one line of code to width cells.
func wrapCommand(line string, width int) []string {
	width = max(1, width)
	if ansi.StringWidth(line) <= width {
		return []string{line}
	}
	trimmed := strings.TrimLeft(line, " ")
	lead := line[:len(line)-len(trimmed)]
	cont := lead + codeIndent
	if ansi.StringWidth(cont) >= width/2 {
		cont = lead
		if ansi.StringWidth(cont) >= width/2 {
			cont = ""
		}
	}
	return fill(commandUnits(commandWords(trimmed)), width, lead, cont)
}

// commandWords splits a command at spaces outside quotes, so that a
// quoted value ("seclab app secrets") wraps as one word when it fits.
func commandWords(s string) []string {
	var words []string
	start := -1 // start of the current word
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == ' ' || c == '\t':
			if start >= 0 {
				words = append(words, s[start:i])
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		words = append(words, s[start:])
	}
	return words
}

// commandUnits groups a command's words so that a flag and its value
// (`--name x`) wrap as one.
func commandUnits(words []string) []string {
	var units []string
	for i := 0; i < len(words); i++ {
		w := words[i]
		if strings.HasPrefix(w, "-") && i+1 < len(words) && !strings.HasPrefix(words[i+1], "-") {
			w += " " + words[i+1]
			i++
		}
		units = append(units, w)
	}
	return units
}

// wrapWords word-wraps prose at spaces only, each line of s on its own;
// continuation lines start with cont.
func wrapWords(s string, width int, cont string) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if ansi.StringWidth(line) <= width {
			out = append(out, line)
			continue
		}
		out = append(out, fill(strings.Fields(line), max(1, width), "", cont)...)
	}
	return strings.Join(out, "\n")
}

// fill lays units out greedily in lines of width cells, the first line
// starting with first and the others with cont. A unit that does not fit
// on a line of its own is split into its words (a quoted value stays
// whole if it can), and a word wider than a line is cut.
func fill(units []string, width int, first, cont string) []string {
	var lines []string
	cur, curW := first, ansi.StringWidth(first)
	empty := true // cur holds no unit yet
	flush := func() {
		lines = append(lines, cur)
		cur, curW, empty = cont, ansi.StringWidth(cont), true
	}
	var place func(u string, splittable bool)
	place = func(u string, splittable bool) {
		uw := ansi.StringWidth(u)
		sep := 1
		if empty {
			sep = 0
		}
		switch {
		case curW+sep+uw <= width:
			if !empty {
				cur += " "
			}
			cur += u
			curW += sep + uw
			empty = false
		case !empty:
			flush()
			place(u, splittable)
		case splittable && strings.Contains(u, " "):
			// A flag and its value part first, a quoted value last.
			if parts := commandWords(u); len(parts) > 1 {
				for _, p := range parts {
					place(p, true)
				}
				break
			}
			for _, w := range strings.Fields(u) {
				place(w, false)
			}
		default: // a word wider than the line
			avail := max(1, width-curW)
			head := ansi.Truncate(u, avail, "")
			if head == "" { // a wide character in a one-cell gap
				head = string([]rune(u)[0])
			}
			cur += head
			curW += ansi.StringWidth(head)
			empty = false
			if rest := strings.TrimPrefix(u, head); rest != "" {
				flush()
				place(rest, false)
			}
		}
	}
	for _, u := range units {
		place(u, true)
	}
	if !empty || len(lines) == 0 {
		lines = append(lines, cur)
	}
	return lines
}
