package ledger

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// State of an entry after replaying the ledger.
const (
	// StatePending: the intent was written, the outcome never was (the
	// process died during the call). The resource may or may not exist.
	StatePending = "pending"
	// StateCreated: the call succeeded.
	StateCreated = "created"
	// StateFailed: the call failed; nothing was created.
	StateFailed = "failed"
	// StateDeleted: cleanup removed the resource.
	StateDeleted = "deleted"
)

// Entry is one create as the ledger knows it: its intent merged with its
// outcome and, once cleaned up, its deletion.
type Entry struct {
	ID         string
	State      string
	Time       time.Time
	Run        string
	Lesson     string
	Operation  string
	Type       string
	Name       string
	ARN        string
	ResourceID string
	Error      string
	Params     map[string]string
}

// Live reports whether the entry may name an existing resource.
func (e Entry) Live() bool { return e.State == StatePending || e.State == StateCreated }

// Load reads the ledger at path. A missing file is an empty ledger. A
// damaged line (a write torn by a crash) is skipped and counted in bad.
func Load(path string) (entries []Entry, bad int, err error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("read ledger: %w", err)
	}
	defer f.Close()
	return Parse(f)
}

// Parse replays ledger records from r, in order of first intent.
func Parse(r io.Reader) (entries []Entry, bad int, err error) {
	index := map[string]int{}
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		line, rerr := br.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var rec Record
			if json.Unmarshal(line, &rec) != nil || rec.ID == "" {
				bad++
			} else {
				entries = apply(entries, index, rec)
			}
		}
		if rerr == io.EOF {
			return entries, bad, nil
		}
		if rerr != nil {
			return entries, bad, fmt.Errorf("read ledger: %w", rerr)
		}
	}
}

func apply(entries []Entry, index map[string]int, rec Record) []Entry {
	i, ok := index[rec.ID]
	if !ok {
		// An outcome or deletion without its intent (a deletion of a
		// resource found by the tag scan has an ID of its own) still
		// describes a resource.
		index[rec.ID] = len(entries)
		entries = append(entries, Entry{ID: rec.ID, Time: rec.Time, Run: rec.Run, Lesson: rec.Lesson,
			Operation: rec.Operation, Type: rec.Type, Name: rec.Name, Params: rec.Params})
		i = len(entries) - 1
	}
	e := &entries[i]
	switch rec.Kind {
	case KindIntent:
		e.State = StatePending
	case KindOutcome:
		if rec.Error != "" {
			e.State, e.Error = StateFailed, rec.Error
		} else {
			e.State = StateCreated
		}
	case KindDeleted:
		e.State = StateDeleted
	default:
		return entries
	}
	if rec.ARN != "" {
		e.ARN = rec.ARN
	}
	if rec.ResourceID != "" {
		e.ResourceID = rec.ResourceID
	}
	if rec.Name != "" && e.Name == "" {
		e.Name = rec.Name
	}
	return entries
}
