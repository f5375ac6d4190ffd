package main

import (
	"context"

	"github.com/seclab-dev/seclab/ui"
)

// This file gives the TUI's lab adapter (labui.go) the console pane's
// optional abilities: tab completion, `edit FILE` and restarting a step.

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
	_ ui.Completer     = (*uiLab)(nil)
	_ ui.FileEditor    = (*uiLab)(nil)
	_ ui.StepRestarter = (*uiLab)(nil)
)

// RestartStep starts step i over: its trail checks forget earlier calls
// and its setup runs again.
func (l *uiLab) RestartStep(ctx context.Context, i int) error { return l.s.RestartStep(ctx, i) }
