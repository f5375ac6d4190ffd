package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// plainMarkdown lays out a step's task Markdown for the narrow steps pane
// without glamour: prose is word-wrapped, fenced code loses its fences and
// is indented and hard-wrapped so commands stay copyable line by line.
func plainMarkdown(md string, width int, codeStyle func(string) string) string {
	if width <= 0 {
		return ""
	}
	var out []string
	inCode := false
	for _, line := range strings.Split(md, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			inCode = !inCode
			continue
		}
		if inCode {
			for _, l := range strings.Split(ansi.Hardwrap(line, max(1, width-2), true), "\n") {
				out = append(out, "  "+codeStyle(l))
			}
			continue
		}
		out = append(out, ansi.Wrap(line, width, ""))
	}
	return strings.Join(out, "\n")
}
