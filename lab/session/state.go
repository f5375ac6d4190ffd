package session

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Layout of a state folder (--state-dir):
//
//	progress.json                 lab/progress
//	history                       the console's command history
//	workspace/<lesson-id>/        the learner's files for the lesson
//	lessons/<lesson-id>/sandbox/  the lesson's sandbox state
//	lessons/<lesson-id>/runtime.json   saved variables, step setup marks
//	lessons/<lesson-id>/personas.json  persona credentials (0600)

// WorkspaceDir is the workspace folder of a lesson.
func WorkspaceDir(stateDir, lessonID string) string {
	return filepath.Join(stateDir, "workspace", lessonID)
}

// LessonDir is the folder of a lesson's lab state.
func LessonDir(stateDir, lessonID string) string {
	return filepath.Join(stateDir, "lessons", lessonID)
}

// SandboxDir is where a lesson's embedded sandbox keeps its state.
func SandboxDir(stateDir, lessonID string) string {
	return filepath.Join(LessonDir(stateDir, lessonID), "sandbox")
}

// HistoryFile is the console history of a state folder.
func HistoryFile(stateDir string) string { return filepath.Join(stateDir, "history") }

// Reset removes a lesson's workspace and lab state (sandbox included).
// The sandbox must not be running. Progress is the caller's to reset.
func Reset(stateDir, lessonID string) error {
	for _, d := range []string{WorkspaceDir(stateDir, lessonID), LessonDir(stateDir, lessonID)} {
		if err := os.RemoveAll(d); err != nil {
			return fmt.Errorf("reset lesson %s: %w", lessonID, err)
		}
	}
	return nil
}

// runtime is the lesson's persisted runtime state.
type runtime struct {
	// RunID is the random part of {{run}} on real accounts.
	RunID string `json:"run_id,omitempty"`
	// Vars are the variables saved by `save`.
	Vars map[string]string `json:"vars"`
	// SetupDone lists the steps whose setup has completed.
	SetupDone map[string]bool `json:"setup_done"`
	// Copied lists the starter files already copied into the workspace:
	// each is copied once, so a file the learner deleted stays deleted.
	Copied map[string]bool `json:"copied_files,omitempty"`
	// StepStarted is when each step was started (its trail checks look at
	// calls since then).
	StepStarted map[string]time.Time `json:"step_started"`
}

// personaCreds is a persona's stored identity.
type personaCreds struct {
	AccessKeyID     string `json:"access_key_id"`
	SecretAccessKey string `json:"secret_access_key"`
	ARN             string `json:"arn"`
}

func readJSONFile(path string, v any) error {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s is damaged: %w", path, err)
	}
	return nil
}

// writeJSONFile writes v atomically with mode 0600.
func writeJSONFile(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
