package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/seclab-dev/seclab/lessons"
	"github.com/seclab-dev/seclab/ui"
)

// This file gives the TUI's lab adapter (labui.go) the console pane's
// optional abilities: tab completion, `edit FILE` and restarting a step.

// Complete completes the word before cursor in a console line.
func (l *uiLab) Complete(line string, cursor int) []string {
	return l.s.Console().Complete(line, cursor)
}

// Expand fills in the lesson's template variables ({{run}}, {{account}},
// saved values) in the text the steps pane shows; a variable no step has
// saved yet stays as it is written. It only reads the session's
// variables, so it is cheap enough for the update loop.
func (l *uiLab) Expand(s string) string {
	out, _ := lessons.Expand(s, l.s.Vars())
	return out
}

// WorkspaceFile resolves a file name for `edit FILE` the way the console
// resolves file:// arguments (relative names are in the workspace), and
// refuses any name that ends up outside the workspace: `..`, absolute
// paths elsewhere, and symbolic links that point out of it.
func (l *uiLab) WorkspaceFile(name string) (string, error) {
	return workspaceFile(l.s.Workspace(), l.s.ResolvePath(name), name)
}

// workspaceFile checks that path, which the console resolved from name,
// lies inside the workspace ws once symbolic links are followed.
func workspaceFile(ws, path, name string) (string, error) {
	if ws == "" {
		return "", fmt.Errorf("this lab has no workspace")
	}
	outside := fmt.Errorf("%s is outside the lesson's workspace", name)
	if !within(filepath.Clean(ws), path) {
		return "", outside
	}
	realWS, err := filepath.EvalSymlinks(ws)
	if err != nil {
		return "", fmt.Errorf("workspace: %w", err)
	}
	real, err := resolveExisting(path)
	if err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	if !within(realWS, real) {
		return "", outside
	}
	return path, nil
}

// within reports whether path is a file below dir (not dir itself).
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, filepath.Clean(path))
	return err == nil && rel != "." && filepath.IsLocal(rel)
}

// resolveExisting follows the symbolic links of path's longest existing
// prefix and appends the rest, so a new file under a linked folder
// resolves to where it would really be written.
func resolveExisting(path string) (string, error) {
	path = filepath.Clean(path)
	var rest []string
	for range 255 { // bounds a chain of dangling links

		real, err := filepath.EvalSymlinks(path)
		if err == nil {
			return filepath.Join(append([]string{real}, rest...)...), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		// A dangling link is followed by hand: where would the file go?
		if target, lerr := os.Readlink(path); lerr == nil {
			if !filepath.IsAbs(target) {
				target = filepath.Join(filepath.Dir(path), target)
			}
			if target == path {
				return "", fmt.Errorf("symbolic link loop")
			}
			path = filepath.Clean(target)
			continue
		}
		parent := filepath.Dir(path)
		if parent == path {
			return filepath.Join(append([]string{path}, rest...)...), nil
		}
		rest = append([]string{filepath.Base(path)}, rest...)
		path = parent
	}
	return "", fmt.Errorf("too many symbolic links")
}

var (
	_ ui.Completer     = (*uiLab)(nil)
	_ ui.FileEditor    = (*uiLab)(nil)
	_ ui.StepRestarter = (*uiLab)(nil)
)

// RestartStep starts step i over: its trail checks forget earlier calls
// and its setup runs again.
func (l *uiLab) RestartStep(ctx context.Context, i int) error { return l.s.RestartStep(ctx, i) }
