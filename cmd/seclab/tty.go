package main

import (
	"errors"
	"os"

	"github.com/charmbracelet/x/term"
)

// errNoTTY is returned by TUI commands run without a terminal.
var errNoTTY = errors.New("this command needs an interactive terminal; " +
	"without one, use \"seclab list\" to see lessons and progress, or \"seclab check\" to run a lesson's checks")

// isTerminal reports whether both stdin and stdout are terminals.
func isTerminal() bool {
	return term.IsTerminal(os.Stdin.Fd()) && term.IsTerminal(os.Stdout.Fd())
}
