package main

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/seclab-dev/seclab/lab/sandbox"
	"github.com/seclab-dev/seclab/lab/session"
)

// This file finds the running sandbox for `seclab sandbox env`: the
// standalone one (`seclab sandbox`) if it runs, else the most recently
// started sandbox of a lesson open in the terminal UI.

// foundSandbox is a running sandbox and where its state is.
type foundSandbox struct {
	Endpoint *sandbox.Endpoint
	Dir      string
	// Lesson is the lesson ID for a lesson's sandbox, "" for the
	// standalone one.
	Lesson string
}

// errNoSandbox says nothing is running; findSandbox wraps it.
var errNoSandbox = errors.New("no sandbox is running")

// findRunningSandbox looks once: the standalone sandbox under stateDir,
// then every lesson's sandbox under stateDir/lessons, newest first. Files a
// crashed sandbox left behind are ignored: a candidate must answer at its
// URL.
func findRunningSandbox(standalone, stateDir string) (*foundSandbox, error) {
	if ep, err := sandbox.ReadEndpoint(standalone); err == nil && sandboxAlive(ep.URL) {
		return &foundSandbox{Endpoint: ep, Dir: standalone}, nil
	}
	paths, err := filepath.Glob(filepath.Join(session.SandboxDir(stateDir, "*"), sandbox.EndpointFile))
	if err != nil {
		return nil, fmt.Errorf("look for lesson sandboxes: %w", err)
	}
	var best *foundSandbox
	var bestTime time.Time
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			continue // closed while we looked
		}
		// The lesson's publisher keeps the endpoint file's time at the
		// sandbox's start.
		if best != nil && !fi.ModTime().After(bestTime) {
			continue
		}
		dir := filepath.Dir(p)
		ep, err := sandbox.ReadEndpoint(dir)
		if err != nil || !sandboxAlive(ep.URL) {
			continue
		}
		best, bestTime = &foundSandbox{Endpoint: ep, Dir: dir, Lesson: filepath.Base(filepath.Dir(dir))}, fi.ModTime()
	}
	if best == nil {
		return nil, errNoSandbox
	}
	return best, nil
}

// findSandbox is findRunningSandbox, retried until wait has passed.
func findSandbox(standalone, stateDir string, wait time.Duration) (*foundSandbox, error) {
	deadline := time.Now().Add(wait)
	for {
		f, err := findRunningSandbox(standalone, stateDir)
		if err == nil || !errors.Is(err, errNoSandbox) || time.Now().After(deadline) {
			if errors.Is(err, errNoSandbox) {
				return nil, fmt.Errorf("%w (looked in %s and the lessons under %s): start one with `seclab sandbox`, or open a lesson with `seclab lesson N`",
					err, standalone, filepath.Join(stateDir, "lessons"))
			}
			return f, err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// probeClient is short-lived (a live sandbox on loopback answers at once),
// uses no proxy and keeps no connection open.
var probeClient = &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}

// sandboxAlive reports whether a seclab sandbox answers at url. Any
// sandbox answers an unsigned GET with an AWS error that carries a request
// ID; such a request is refused before authentication, so it leaves no
// trail event.
func sandboxAlive(url string) bool {
	resp, err := probeClient.Get(url + "/")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.Header.Get("x-amzn-RequestId") != ""
}
