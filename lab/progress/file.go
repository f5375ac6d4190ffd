package progress

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// decode parses and validates a progress file.
func decode(data []byte) (*file, error) {
	var f file
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("parse: extra data after the JSON document")
	}
	if f.Version != formatVersion {
		return nil, fmt.Errorf("unsupported version %d", f.Version)
	}
	if f.Lessons == nil {
		f.Lessons = map[string]*Lesson{}
	}
	for id, l := range f.Lessons {
		if l == nil {
			return nil, fmt.Errorf("lesson %q has no record", id)
		}
		if l.Steps == nil {
			l.Steps = map[string]*Step{}
		}
		for sid, s := range l.Steps {
			if s == nil {
				return nil, fmt.Errorf("lesson %q step %q has no record", id, sid)
			}
			switch s.Status {
			case StatusOpen, StatusFailed, StatusError, StatusPassed:
			default:
				return nil, fmt.Errorf("lesson %q step %q: unknown status %q", id, sid, s.Status)
			}
		}
	}
	return &f, nil
}

// Save writes the progress file atomically: a temporary file in the same
// folder, written, flushed to disk and renamed over the old one, so a crash
// leaves either the old or the new file, never half of one. The file is
// 0600 and a folder it creates 0700. Progress loaded from "" is not saved.
func (p *Progress) Save() error {
	if p.dir == "" {
		return nil
	}
	p.mu.Lock()
	data, err := json.MarshalIndent(file{Version: formatVersion, Lessons: p.lessons}, "", "  ")
	p.mu.Unlock()
	if err != nil {
		return fmt.Errorf("save progress: %w", err)
	}
	return writeAtomic(p.dir, FileName, append(data, '\n'))
}

func writeAtomic(dir, name string, data []byte) (err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("save progress: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return fmt.Errorf("save progress: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		return fmt.Errorf("save progress: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("save progress: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("save progress: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save progress: %w", err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, name)); err != nil {
		return fmt.Errorf("save progress: %w", err)
	}
	// Flush the rename itself; not every platform can sync a folder.
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}
