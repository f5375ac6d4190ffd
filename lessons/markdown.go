package lessons

import (
	"regexp"
	"strconv"
	"strings"
)

// stepHeading matches "## Step 3: Title" (also "Step 3 — Title", "Step 3. Title").
var stepHeading = regexp.MustCompile(`^##[ \t]+Step[ \t]+([0-9]+)[ \t]*(?:[:.]|—|-|–)[ \t]*(.*?)[ \t#]*$`)

// looseStepHeading catches headings meant as steps but malformed.
var looseStepHeading = regexp.MustCompile(`(?i)^##[ \t]+step\b`)

// fence is an open fenced code block.
type fence struct {
	char  byte
	n     int
	info  string
	start int // index of the opening line
}

// openFence reports whether line opens a fenced code block (``` or ~~~,
// indented at most three spaces) and returns it.
func openFence(line string) (fence, bool) {
	t := strings.TrimLeft(line, " ")
	if len(line)-len(t) > 3 || len(t) < 3 || (t[0] != '`' && t[0] != '~') {
		return fence{}, false
	}
	c := t[0]
	n := 0
	for n < len(t) && t[n] == c {
		n++
	}
	if n < 3 {
		return fence{}, false
	}
	info := strings.TrimSpace(t[n:])
	if c == '`' && strings.Contains(info, "`") {
		return fence{}, false
	}
	return fence{char: c, n: n, info: info}, true
}

// closes reports whether line closes f.
func (f fence) closes(line string) bool {
	t := strings.TrimLeft(line, " ")
	if len(line)-len(t) > 3 {
		return false
	}
	n := 0
	for n < len(t) && t[n] == f.char {
		n++
	}
	return n >= f.n && strings.TrimSpace(t[n:]) == ""
}

// section is a "## Step N" section of the body.
type section struct {
	number int
	title  string
	line   int      // file line of the heading
	lines  []string // the task text lines (heading and step block excluded)
	blocks []block  // seclab-step blocks found in the section
}

// block is a fenced seclab-step block.
type block struct {
	line int // file line of the first YAML line
	src  string
}

// body is the result of splitting a lesson's Markdown.
type body struct {
	intro    []string
	prose    []string // every line except step blocks
	steps    []*section
	title    string // text of the first "# " heading
	titleAt  int
	problems []Problem
}

// splitBody splits Markdown (which starts at file line first) into the
// introduction, the step sections and the prose without step blocks.
func splitBody(file string, lines []string, first int) body {
	var b body
	var cur *section
	var open *fence
	var blockLines []string
	inStepBlock := false
	add := func(line int, msg string) {
		b.problems = append(b.problems, Problem{File: file, Line: line, Msg: msg})
	}
	// keep records a line of prose: in the current step's task, or in the
	// introduction while no step has started.
	keep := func(line string) {
		b.prose = append(b.prose, line)
		switch {
		case cur != nil:
			cur.lines = append(cur.lines, line)
		case len(b.steps) == 0:
			b.intro = append(b.intro, line)
		}
	}
	for i, line := range lines {
		ln := first + i
		if open != nil {
			if open.closes(line) {
				if inStepBlock {
					blk := block{line: first + open.start + 1, src: strings.Join(blockLines, "\n") + "\n"}
					if cur == nil {
						add(first+open.start, "a seclab-step block must be inside a \"## Step N: Title\" section")
					} else {
						cur.blocks = append(cur.blocks, blk)
					}
					open, inStepBlock, blockLines = nil, false, nil
					continue
				}
				open = nil
			} else if inStepBlock {
				blockLines = append(blockLines, line)
				continue
			}
			keep(line)
			continue
		}
		if f, ok := openFence(line); ok {
			f.start = i
			open = &f
			if f.info == "seclab-step" {
				inStepBlock = true
				continue
			}
		} else if strings.HasPrefix(line, "# ") && b.title == "" {
			b.title = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(line[2:]), "#"))
			b.titleAt = ln
		} else if strings.HasPrefix(line, "## ") || line == "##" {
			if m := stepHeading.FindStringSubmatch(line); m != nil {
				n, _ := strconv.Atoi(m[1])
				cur = &section{number: n, title: m[2], line: ln}
				b.steps = append(b.steps, cur)
				b.prose = append(b.prose, line)
				continue
			}
			if looseStepHeading.MatchString(line) {
				add(ln, `malformed step heading: want "## Step N: Title"`)
			}
			cur = nil
		}
		keep(line)
	}
	if open != nil {
		add(first+open.start, "fenced code block is never closed")
		if inStepBlock && cur != nil {
			cur.blocks = append(cur.blocks, block{line: first + open.start + 1, src: strings.Join(blockLines, "\n") + "\n"})
		}
	}
	return b
}

// joinTrim joins lines and trims surrounding blank lines.
func joinTrim(lines []string) string {
	return strings.Trim(strings.Join(lines, "\n"), "\n \t")
}
