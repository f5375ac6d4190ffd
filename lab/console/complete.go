package console

import (
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
)

// builtins are the console's own commands.
var builtins = []string{"as", "aws", "edit", "help", "history", "time", "whoami"}

// Complete returns the words that can replace the word under the cursor:
// builtins, services, operations, flags, --output formats and personas.
// The result is sorted; it is empty when nothing fits.
func (c *Console) Complete(line string, cursor int) []string {
	if cursor < 0 || cursor > len(line) {
		cursor = len(line)
	}
	head := line[:cursor]
	words := strings.Fields(head)
	partial := ""
	if len(words) > 0 && !strings.HasSuffix(head, " ") && !strings.HasSuffix(head, "\t") {
		partial = words[len(words)-1]
		words = words[:len(words)-1]
	}
	// `time N aws …` completes like `aws …`.
	if len(words) >= 2 && words[0] == "time" {
		words = words[2:]
		if len(words) == 0 {
			return filter([]string{"aws"}, partial)
		}
	}
	if len(words) == 0 {
		return filter(builtins, partial)
	}
	switch words[0] {
	case "as":
		if len(words) == 1 {
			return filter(c.personaNames(), partial)
		}
		return nil
	case "help":
		if len(words) == 1 {
			return filter(ServiceNames(), partial)
		}
		if len(words) == 2 && LookupService(words[1]) != nil {
			return filter(LookupService(words[1]).OperationNames(), partial)
		}
		return nil
	case "edit":
		if len(words) == 1 {
			return filter(c.workspaceFiles(), partial)
		}
		return nil
	case "aws":
	default:
		return nil
	}
	var pos []string
	prev := ""
	for i := 1; i < len(words); i++ {
		w := words[i]
		if strings.HasPrefix(w, "--") {
			if globalTakesValue(w) && i+1 < len(words) {
				i++
			}
			continue
		}
		if len(pos) < 2 {
			pos = append(pos, w)
		}
	}
	if len(words) > 1 {
		prev = words[len(words)-1]
	}
	switch prev {
	case "--output":
		return filter([]string{FormatJSON, FormatOff, FormatTable, FormatText}, partial)
	case "--profile":
		return filter(c.personaNames(), partial)
	case "--cli-binary-format":
		return filter([]string{"base64", "raw-in-base64-out"}, partial)
	}
	switch len(pos) {
	case 0:
		if strings.HasPrefix(partial, "-") {
			return filter(flagWords(GlobalFlags()), partial)
		}
		return filter(ServiceNames(), partial)
	case 1:
		s := LookupService(pos[0])
		if s == nil {
			return nil
		}
		return filter(append(s.OperationNames(), "help"), partial)
	}
	s := LookupService(pos[0])
	if s == nil {
		return nil
	}
	op := s.Operation(pos[1])
	if op == nil {
		return nil
	}
	if strings.HasPrefix(partial, "file://") || strings.HasPrefix(partial, "fileb://") {
		scheme := partial[:strings.Index(partial, "//")+2]
		var out []string
		for _, f := range c.workspaceFiles() {
			out = append(out, scheme+f)
		}
		return filter(out, partial)
	}
	if !strings.HasPrefix(partial, "-") && partial != "" {
		return nil
	}
	used := map[string]bool{}
	for _, w := range words {
		used[w] = true
	}
	var cands []string
	for _, f := range flagWords(op.Flags()) {
		if !used[f] {
			cands = append(cands, f)
		}
	}
	for _, f := range []string{"--output", "--query", "--profile", "--region", "--cli-input-json", "--cli-binary-format"} {
		if !used[f] {
			cands = append(cands, f)
		}
	}
	return filter(cands, partial)
}

func globalTakesValue(w string) bool {
	takes, ok := globalFlags[strings.TrimPrefix(w, "--")]
	return ok && takes
}

func flagWords(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "--" + n
	}
	return out
}

func filter(cands []string, prefix string) []string {
	var out []string
	for _, c := range cands {
		if strings.HasPrefix(c, prefix) {
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}

// workspaceFiles lists the workspace's files (relative, slash-separated),
// up to a few hundred.
func (c *Console) workspaceFiles() []string {
	if c.opts.Workspace == "" {
		return nil
	}
	var out []string
	_ = filepath.WalkDir(c.opts.Workspace, func(p string, d fs.DirEntry, err error) error {
		if err != nil || len(out) >= 500 {
			return filepath.SkipDir
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(c.opts.Workspace, p)
		if err == nil {
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	return out
}
