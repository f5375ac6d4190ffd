package main

import (
	"fmt"
	"sync"

	"github.com/seclab-dev/seclab/lab/progress"
	"github.com/seclab-dev/seclab/lessons"
)

// This file resolves what several commands share: the lesson pack
// (--lessons or the built-in course), the state folder and progress.

// lessonPack returns the pack chosen by --lessons, or the built-in course.
func (g *globals) lessonPack() (*lessons.Pack, error) {
	if g.LessonsDir != "" {
		p, err := lessons.LoadDir(g.LessonsDir)
		if err != nil {
			return nil, fmt.Errorf("lesson pack %s: %w\n(run \"seclab lessons lint %s\" to see every problem)", g.LessonsDir, err, g.LessonsDir)
		}
		return p, nil
	}
	p, err := lessons.Builtin()
	if err != nil {
		return nil, fmt.Errorf("the built-in course is invalid (a bug in this build): %w", err)
	}
	return p, nil
}

// stateDir returns --state-dir, or $XDG_STATE_HOME/seclab.
func (g *globals) stateDir() (string, error) {
	if g.StateDir != "" {
		return g.StateDir, nil
	}
	return progress.DefaultDir()
}

// loadedProgress keeps one Progress per state folder for the process, so
// that the TUI and the lab runtime read and write the same values rather
// than overwriting each other's file.
var loadedProgress struct {
	sync.Mutex
	byDir map[string]*progress.Progress
}

// progress returns the learner's progress from the state folder, loading
// it on first use.
func (g *globals) progress() (*progress.Progress, error) {
	dir, err := g.stateDir()
	if err != nil {
		return nil, err
	}
	loadedProgress.Lock()
	defer loadedProgress.Unlock()
	if p, ok := loadedProgress.byDir[dir]; ok {
		return p, nil
	}
	p, err := progress.Load(dir)
	if err != nil {
		return nil, err
	}
	if loadedProgress.byDir == nil {
		loadedProgress.byDir = map[string]*progress.Progress{}
	}
	loadedProgress.byDir[dir] = p
	return p, nil
}
