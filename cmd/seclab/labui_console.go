package main

import "github.com/seclab-dev/seclab/ui"

// This file gives the TUI's lab adapter (labui.go) the console pane's
// optional abilities: tab completion and `edit FILE`.

// Complete completes the word before cursor in a console line.
func (l *uiLab) Complete(line string, cursor int) []string {
	return l.s.Console().Complete(line, cursor)
}

// WorkspaceFile resolves a file name for `edit FILE` the way the console
// resolves file:// arguments: relative names are in the workspace.
func (l *uiLab) WorkspaceFile(name string) (string, error) {
	return l.s.ResolvePath(name), nil
}

var (
	_ ui.Completer  = (*uiLab)(nil)
	_ ui.FileEditor = (*uiLab)(nil)
)
