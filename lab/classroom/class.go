// Package classroom keeps a class of students on one seclab server: who may
// connect (a roster of SSH public keys, or a join code that enrols a key),
// where each student's isolated state lives, and what the instructor sees
// and exports.
//
// It never runs the terminal UI or the SSH server itself (cmd/seclab does,
// with Charm's wish), and it never lets one student's identity resolve to
// another student's folder: a student is their public key.
package classroom

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
)

// Files and folders inside a class folder.
const (
	StudentsFile    = "students.keys"    // authorized_keys format; the comment is the student's name
	InstructorsFile = "instructors.keys" // authorized_keys format
	HostKeyFile     = "host_ed25519"     // the server's persistent host key (0600)
	StudentsDir     = "students"         // one folder per student, named by key ID
	profileFile     = "student.json"
)

// Role is what a connecting key may do.
type Role int

const (
	// Nobody is a key the class does not know.
	Nobody Role = iota
	// RoleStudent is a key on the roster or enrolled with the join code.
	RoleStudent
	// RoleInstructor is a key in the instructors file.
	RoleInstructor
)

// Student is one member of the class.
type Student struct {
	ID          string    `json:"id"`   // derived from the public key; names the state folder
	Name        string    `json:"name"` // from the roster comment or the SSH user name at enrolment
	Fingerprint string    `json:"fingerprint"`
	Enrolled    time.Time `json:"enrolled,omitzero"`
	// Dir is the student's state folder (progress, sandbox, workspace).
	Dir string `json:"-"`
}

// Class is a class folder.
type Class struct {
	Dir string
	// JoinCode, when set, lets a key that is not on the roster enrol by
	// giving the code once.
	JoinCode string
	// Now returns the current time; tests replace it.
	Now func() time.Time

	mu sync.Mutex
}

// Open opens (creating if needed) the class folder dir with owner-only
// permissions.
func Open(dir string) (*Class, error) {
	if dir == "" {
		return nil, errors.New("no class folder: pass --class DIR")
	}
	if err := os.MkdirAll(filepath.Join(dir, StudentsDir), 0o700); err != nil {
		return nil, fmt.Errorf("create the class folder: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, fmt.Errorf("class folder: %w", err)
	}
	return &Class{Dir: dir, Now: time.Now}, nil
}

// KeyID names a public key's state folder: the first 16 bytes of the
// SHA-256 of its wire form, in hex.
func KeyID(key ssh.PublicKey) string {
	sum := sha256.Sum256(key.Marshal())
	return hex.EncodeToString(sum[:16])
}

// Admit says what key may do, and for a student who they are.
func (c *Class) Admit(key ssh.PublicKey) (Role, *Student, error) {
	if key == nil {
		return Nobody, nil, nil
	}
	instructors, err := readKeys(filepath.Join(c.Dir, InstructorsFile))
	if err != nil {
		return Nobody, nil, err
	}
	if _, ok := instructors[string(key.Marshal())]; ok {
		return RoleInstructor, nil, nil
	}
	st, err := c.student(key)
	if err != nil || st == nil {
		return Nobody, nil, err
	}
	return RoleStudent, st, nil
}

// student finds key on the roster or among enrolled students.
func (c *Class) student(key ssh.PublicKey) (*Student, error) {
	roster, err := readKeys(filepath.Join(c.Dir, StudentsFile))
	if err != nil {
		return nil, err
	}
	id := KeyID(key)
	dir := filepath.Join(c.Dir, StudentsDir, id)
	if name, ok := roster[string(key.Marshal())]; ok {
		st := &Student{ID: id, Name: name, Fingerprint: ssh.FingerprintSHA256(key), Dir: dir}
		return st, c.ensure(st)
	}
	var st Student
	b, err := os.ReadFile(filepath.Join(dir, profileFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read student %s: %w", id, err)
	}
	if err := json.Unmarshal(b, &st); err != nil || st.ID != id {
		return nil, fmt.Errorf("student folder %s is damaged; remove it to let the student enrol again", dir)
	}
	st.Dir = dir
	return &st, nil
}

// namePattern is what an enrolled student's name may look like.
var namePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$`)

// Enroll admits key as a student named name when code is the class's join
// code. Enrolling an already known key returns that student unchanged.
func (c *Class) Enroll(key ssh.PublicKey, name, code string) (*Student, error) {
	if c.JoinCode == "" {
		return nil, errors.New("this class has no join code: ask your instructor to add your public key to the roster")
	}
	if subtle.ConstantTimeCompare([]byte(code), []byte(c.JoinCode)) != 1 {
		return nil, errors.New("that join code is not right: check it with your instructor")
	}
	if !namePattern.MatchString(name) {
		return nil, fmt.Errorf("the user name %q cannot name a student: connect as ssh -p PORT YOURNAME@HOST", name)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, err := c.student(key); err != nil || st != nil {
		return st, err
	}
	st := &Student{ID: KeyID(key), Name: name, Fingerprint: ssh.FingerprintSHA256(key), Enrolled: c.Now().UTC()}
	st.Dir = filepath.Join(c.Dir, StudentsDir, st.ID)
	return st, c.ensure(st)
}

// ensure creates the student's folder and profile.
func (c *Class) ensure(st *Student) error {
	if err := os.MkdirAll(st.Dir, 0o700); err != nil {
		return fmt.Errorf("create student folder: %w", err)
	}
	if _, err := os.Stat(filepath.Join(st.Dir, profileFile)); err == nil {
		return nil
	}
	b, _ := json.MarshalIndent(st, "", "  ")
	return writeFileAtomic(filepath.Join(st.Dir, profileFile), b)
}

// Students lists every student with a folder, sorted by name.
func (c *Class) Students() ([]*Student, error) {
	entries, err := os.ReadDir(filepath.Join(c.Dir, StudentsDir))
	if err != nil {
		return nil, fmt.Errorf("read the class folder: %w", err)
	}
	var out []*Student
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(c.Dir, StudentsDir, e.Name())
		b, err := os.ReadFile(filepath.Join(dir, profileFile))
		if err != nil {
			continue // not a student folder (yet)
		}
		var st Student
		if json.Unmarshal(b, &st) != nil || st.ID != e.Name() {
			continue
		}
		st.Dir = dir
		out = append(out, &st)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// readKeys parses an authorized_keys-style file into wire key → comment.
// A missing file is an empty list; a bad line is an error naming it.
func readKeys(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	keys := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, comment, _, _, err := ssh.ParseAuthorizedKey([]byte(line))
		if err != nil {
			return nil, fmt.Errorf("%s:%d: not a public key line (%v); use the format of ~/.ssh/authorized_keys: TYPE KEY NAME", filepath.Base(path), n, err)
		}
		if comment == "" {
			comment = ssh.FingerprintSHA256(key)
		}
		keys[string(key.Marshal())] = comment
	}
	return keys, sc.Err()
}

// writeFileAtomic writes b to path through a temporary file and a rename,
// with mode 0600.
func writeFileAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
