package console

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// maxHistory is how many lines History keeps.
const maxHistory = 1000

// History is the console's command history, optionally persisted to a
// file (mode 0600: commands can carry secret values, as a shell history
// can).
type History struct {
	mu    sync.Mutex
	path  string
	lines []string
}

// OpenHistory loads the history file at path ("" for memory only). A
// missing or unreadable file starts an empty history.
func OpenHistory(path string) *History {
	h := &History{path: path}
	if path == "" {
		return h
	}
	f, err := os.Open(path)
	if err != nil {
		return h
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		if l := sc.Text(); l != "" {
			h.lines = append(h.lines, l)
		}
	}
	if len(h.lines) > maxHistory {
		h.lines = h.lines[len(h.lines)-maxHistory:]
	}
	return h
}

// Add appends a line (not a repeat of the previous one) and persists it.
func (h *History) Add(line string) {
	line = strings.ReplaceAll(strings.TrimSpace(line), "\n", " ")
	if line == "" {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if n := len(h.lines); n > 0 && h.lines[n-1] == line {
		return
	}
	h.lines = append(h.lines, line)
	if len(h.lines) > maxHistory {
		h.lines = h.lines[len(h.lines)-maxHistory:]
	}
	if h.path == "" {
		return
	}
	// Best effort: a history that cannot be saved must not fail a command.
	if err := os.MkdirAll(filepath.Dir(h.path), 0o700); err != nil {
		return
	}
	f, err := os.OpenFile(h.path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return
	}
	fmt.Fprintln(f, line)
	f.Close()
}

// Lines returns the history, oldest first.
func (h *History) Lines() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.lines...)
}

// Format prints the history numbered, as a shell's history builtin does.
func (h *History) Format() string {
	var b strings.Builder
	for i, l := range h.Lines() {
		fmt.Fprintf(&b, "%5d  %s\n", i+1, l)
	}
	return b.String()
}
