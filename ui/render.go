package ui

import (
	"fmt"
	"strings"
	"sync"

	tea "charm.land/bubbletea/v2"
	"charm.land/glamour/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/seclab-dev/seclab/lessons"
)

// renderKey identifies one rendering of a lesson's Markdown.
type renderKey struct {
	lesson string // pack folder name: unique within a pack
	width  int
	style  string
}

// renderCache keeps rendered lessons; it is shared by the model's copies
// and written from render commands, hence the lock.
type renderCache struct {
	mu sync.Mutex
	m  map[renderKey]string
}

func newRenderCache() *renderCache { return &renderCache{m: map[renderKey]string{}} }

func (c *renderCache) get(k renderKey) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.m[k]
	return s, ok
}

func (c *renderCache) put(k renderKey, s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) > 64 { // resizing produces many widths; keep the cache small
		clear(c.m)
	}
	c.m[k] = s
}

// renderedMsg delivers a rendered lesson.
type renderedMsg struct {
	key     renderKey
	content string
}

// renderCmd renders l's Markdown at width in a command, off the update loop.
func renderCmd(cache *renderCache, l *lessons.Lesson, k renderKey) tea.Cmd {
	return func() tea.Msg {
		if s, ok := cache.get(k); ok {
			return renderedMsg{key: k, content: s}
		}
		s := renderMarkdown(l.Body, k.width, k.style)
		cache.put(k, s)
		return renderedMsg{key: k, content: s}
	}
}

// renderMarkdown renders md with glamour, wrapped to width. If glamour
// fails, the plain Markdown is shown wrapped, with the error.
func renderMarkdown(md string, width int, style string) string {
	width = max(width, 10)
	r, err := glamour.NewTermRenderer(glamour.WithStandardStyle(style), glamour.WithWordWrap(width),
		// True colour: no nearest-colour search per token; the program downsamples
		// to what the terminal supports when it writes the frame.
		glamour.WithChromaFormatter("terminal16m"))
	if err == nil {
		var out string
		if out, err = r.Render(labelBareFences(wrapFencedCode(md, width-codeMargin))); err == nil {
			return strings.Trim(out, "\n")
		}
	}
	return fmt.Sprintf("(could not render this lesson: %v)\n\n%s", err, ansi.Wordwrap(md, width, ""))
}

// labelBareFences gives code blocks without a language the "text" label.
// Glamour passes the label to chroma, which looks an empty one up by
// matching every lexer's file patterns: most of the rendering time for a
// lesson full of unlabelled command blocks.
func labelBareFences(md string) string {
	lines := strings.Split(md, "\n")
	var open string // the open fence's marker, or ""
	for i, line := range lines {
		t := strings.TrimLeft(line, " ")
		if len(line)-len(t) > 3 {
			continue
		}
		n := 0
		for n < len(t) && (t[n] == '`' || t[n] == '~') && t[n] == t[0] {
			n++
		}
		if n < 3 {
			continue
		}
		marker, rest := t[:n], strings.TrimSpace(t[n:])
		switch {
		case open == "":
			open = marker
			if rest == "" {
				lines[i] = line + "text"
			}
		case marker[0] == open[0] && len(marker) >= len(open) && rest == "":
			open = ""
		}
	}
	return strings.Join(lines, "\n")
}

// codeMargin is how much narrower than the word-wrap width glamour's
// code blocks are: the document margins and the block's indentation.
const codeMargin = 6

// wrapFencedCode wraps the lines of fenced code blocks to width cells at
// spaces (wrapCode), before glamour sees them: glamour would otherwise
// break commands inside words and without indentation.
func wrapFencedCode(md string, width int) string {
	lines := strings.Split(md, "\n")
	out := make([]string, 0, len(lines))
	var open string // the open fence's marker, or ""
	indent := 0     // the open fence's indentation
	for _, line := range lines {
		t := strings.TrimLeft(line, " ")
		lead := len(line) - len(t)
		n := 0
		for n < len(t) && (t[n] == '`' || t[n] == '~') && t[n] == t[0] {
			n++
		}
		switch {
		case open == "" && n >= 3:
			open, indent = t[:n], lead
		case open != "" && lead <= 3+indent && n >= len(open) && t[0] == open[0] && strings.TrimSpace(t[n:]) == "":
			open = ""
		case open != "":
			cut := min(indent, lead)
			pad := line[:cut]
			for _, l := range wrapCommand(line[cut:], max(8, width-indent)) {
				out = append(out, pad+l)
			}
			continue
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}
