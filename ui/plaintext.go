package ui

import "strings"

// plainMarkdown lays out a step's task Markdown for the narrow steps pane
// without glamour: prose is word-wrapped at spaces, fenced code loses its fences and
// is indented and wrapped at spaces (wrapCode) so commands stay whole.
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
			for _, l := range wrapCommand(line, max(1, width-2)) {
				out = append(out, "  "+codeStyle(l))
			}
			continue
		}
		out = append(out, wrapWords(line, width, ""))
	}
	return strings.Join(out, "\n")
}
