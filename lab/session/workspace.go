package session

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// copyStarterFiles copies the lesson's files/ into the workspace, each
// once. A file that already exists is the learner's and is never
// overwritten; one the learner deleted is not brought back (reset the
// lesson for fresh copies).
func (s *Session) copyStarterFiles() error {
	copied := 0
	defer func() {
		if copied > 0 {
			s.mu.Lock()
			_ = s.saveState() // at worst a deleted starter file comes back next time
			s.mu.Unlock()
		}
	}()
	if err := os.MkdirAll(s.ws, 0o700); err != nil {
		return fmt.Errorf("create workspace: %w", err)
	}
	if s.lesson.Files == nil {
		return nil
	}
	return fs.WalkDir(s.lesson.Files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if p == "." || d.IsDir() {
			return nil
		}
		dst := filepath.Join(s.ws, filepath.FromSlash(p))
		if s.rt.Copied[p] {
			return nil
		}
		if s.rt.Copied == nil {
			s.rt.Copied = map[string]bool{}
		}
		s.rt.Copied[p] = true
		copied++
		if _, err := os.Lstat(dst); err == nil {
			return nil
		}
		b, err := fs.ReadFile(s.lesson.Files, p)
		if err != nil {
			return fmt.Errorf("read starter file %s: %w", p, err)
		}
		return writeWorkspaceFile(dst, b)
	})
}

func writeWorkspaceFile(dst string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	if err := os.WriteFile(dst, b, 0o600); err != nil {
		return fmt.Errorf("write %s: %w", dst, err)
	}
	return nil
}
