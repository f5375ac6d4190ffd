// Package ledger is seclab's write-ahead record of what it creates in an
// AWS account: a JSON-lines file, mode 0600, where every create is written
// (and fsync'd) as an intent before the call and as an outcome after it.
// A run that is killed between the two still leaves the intent, so
// `seclab cleanup` can find the resource by its planned name or by tags.
//
// The package only records; it never calls AWS.
package ledger

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// FileName is the ledger's file name in a state folder.
const FileName = "ledger.jsonl"

// Path is the ledger file of a state folder.
func Path(stateDir string) string { return filepath.Join(stateDir, FileName) }

// Record kinds.
const (
	// KindIntent is written before a create call.
	KindIntent = "intent"
	// KindOutcome is written after it, with the returned ARN or ID or the
	// error code.
	KindOutcome = "outcome"
	// KindDeleted is written by cleanup once a resource is gone.
	KindDeleted = "deleted"
)

// Record is one line of the ledger.
type Record struct {
	// Kind is KindIntent, KindOutcome or KindDeleted.
	Kind string `json:"kind"`
	// ID links an outcome to its intent.
	ID   string    `json:"id"`
	Time time.Time `json:"time"`
	// Run is the run ID ("3fa9c1"); Lesson the lesson ID.
	Run    string `json:"run,omitempty"`
	Lesson string `json:"lesson,omitempty"`
	// Operation is the API operation ("kms:CreateKey").
	Operation string `json:"operation,omitempty"`
	// Type is the resource type (see the Type constants).
	Type string `json:"type,omitempty"`
	// Name is the resource's name as planned (alias name, secret name,
	// role, user or policy name; for an inline policy "OWNER/POLICY").
	Name string `json:"name,omitempty"`
	// ARN and ResourceID are what the call returned (outcome records).
	ARN        string `json:"arn,omitempty"`
	ResourceID string `json:"resource_id,omitempty"`
	// Error is the error code when the call failed (outcome records).
	Error string `json:"error,omitempty"`
	// Params are the call's identifying parameters.
	Params map[string]string `json:"params,omitempty"`
}

// Resource types.
const (
	TypeKey          = "kms:key"
	TypeAlias        = "kms:alias"
	TypeSecret       = "secretsmanager:secret"
	TypeRole         = "iam:role"
	TypeUser         = "iam:user"
	TypePolicy       = "iam:policy"
	TypeRolePolicy   = "iam:role-policy"
	TypeUserPolicy   = "iam:user-policy"
	TypeAccessKey    = "iam:access-key"
	TypeAttachedRole = "iam:role-attachment"
	TypeAttachedUser = "iam:user-attachment"
)

// Ledger appends records to a ledger file. It is safe for concurrent use
// within a process; several processes may append to the same file (each
// record is one write on an O_APPEND file).
type Ledger struct {
	mu   sync.Mutex
	f    *os.File
	path string
}

// Open opens (creating, mode 0600) the ledger file at path. A file that
// other users can read or write is refused: it names resources of the
// learner's account.
func Open(path string) (*Ledger, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open ledger: %w", err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open ledger: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open ledger: %w", err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		f.Close()
		return nil, fmt.Errorf("open ledger: %s has mode %04o; it must be private (chmod 600 %s)", path, st.Mode().Perm(), path)
	}
	return &Ledger{f: f, path: path}, nil
}

// Path is the ledger's file.
func (l *Ledger) Path() string { return l.path }

// Close closes the file.
func (l *Ledger) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}

// Append writes r as one line and fsyncs the file before returning.
// A zero Time is set to now.
func (l *Ledger) Append(r Record) error {
	if r.Time.IsZero() {
		r.Time = time.Now().UTC()
	}
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("ledger record: %w", err)
	}
	b = append(b, '\n')
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return errors.New("ledger record: the ledger is closed")
	}
	if _, err := l.f.Write(b); err != nil {
		return fmt.Errorf("write ledger %s: %w", l.path, err)
	}
	if err := l.f.Sync(); err != nil {
		return fmt.Errorf("sync ledger %s: %w", l.path, err)
	}
	return nil
}

// Pending is a written intent whose outcome is not known yet.
type Pending struct {
	l      *Ledger
	intent Record
}

// Intent records that a create is about to be made and returns the
// handle to record its outcome. r.Kind and r.ID are set here.
func (l *Ledger) Intent(r Record) (*Pending, error) {
	r.Kind = KindIntent
	r.ID = newID()
	if err := l.Append(r); err != nil {
		return nil, err
	}
	return &Pending{l: l, intent: r}, nil
}

// Done records the outcome: the ARN and ID the call returned, or the
// error code it failed with ("" on success).
func (p *Pending) Done(arn, resourceID, errorCode string) error {
	r := p.intent
	r.Kind, r.Time, r.Params = KindOutcome, time.Time{}, nil
	r.ARN, r.ResourceID, r.Error = arn, resourceID, errorCode
	return p.l.Append(r)
}

// Deleted records that cleanup removed (or found gone) the resource of
// entry e.
func (l *Ledger) Deleted(e Entry) error {
	return l.Append(Record{Kind: KindDeleted, ID: e.ID, Run: e.Run, Lesson: e.Lesson, Type: e.Type, Name: e.Name, ARN: e.ARN, ResourceID: e.ResourceID})
}

func newID() string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		// crypto/rand does not fail on supported platforms; a time-based
		// ID still links the two records of one process.
		return fmt.Sprintf("t%x", time.Now().UnixNano())
	}
	return hex.EncodeToString(b)
}

// ErrNoLedger is returned by Load when the state folder has no ledger.
var ErrNoLedger = fs.ErrNotExist
