package classroom

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/seclab-dev/seclab/lab/progress"
)

// A progress bundle carries one learner's progress.json from a self-study
// machine to another machine or to an instructor. It is signed with an
// Ed25519 key kept in the learner's state folder (bundle.key, 0600), so a
// verifier knows the bundle is unchanged since export and which key made
// it. It does not prove that the checks were honest: whoever controls the
// machine controls its progress file. Instructors who need that run the
// class on a classroom server instead.

const (
	bundleFormat = "seclab-progress/1"
	bundleKey    = "bundle.key"
)

// Bundle is the file `seclab progress export` writes.
type Bundle struct {
	Format    string `json:"format"`
	Payload   []byte `json:"payload"` // JSON of BundlePayload (base64 on the wire)
	PublicKey []byte `json:"publicKey"`
	Signature []byte `json:"signature"`
}

// BundlePayload is what the signature covers.
type BundlePayload struct {
	Name     string          `json:"name"`
	Created  time.Time       `json:"created"`
	Version  string          `json:"seclabVersion"`
	Progress json.RawMessage `json:"progress"`
}

// KeyFingerprint names a bundle signing key: the first 8 bytes of its
// SHA-256, in hex.
func KeyFingerprint(pub []byte) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:8])
}

// signingKey loads or creates the state folder's bundle key.
func signingKey(stateDir string) (ed25519.PrivateKey, error) {
	path := filepath.Join(stateDir, bundleKey)
	b, err := os.ReadFile(path)
	if err == nil {
		if len(b) != ed25519.SeedSize {
			return nil, fmt.Errorf("%s is damaged: remove it to make a new signing key", path)
		}
		return ed25519.NewKeyFromSeed(b), nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	seed := make([]byte, ed25519.SeedSize)
	if _, err := rand.Read(seed); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(stateDir, 0o700); err != nil {
		return nil, err
	}
	if err := writeFileAtomic(path, seed); err != nil {
		return nil, fmt.Errorf("save the signing key: %w", err)
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

// ExportBundle signs the progress in stateDir as a bundle for name.
func ExportBundle(stateDir, name, version string, now time.Time) ([]byte, error) {
	prog, err := os.ReadFile(filepath.Join(stateDir, progress.FileName))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no progress in %s yet: finish a step first (seclab lesson 1)", stateDir)
	}
	if err != nil {
		return nil, err
	}
	if !json.Valid(prog) {
		return nil, fmt.Errorf("the progress file in %s is damaged; open seclab once to set it aside", stateDir)
	}
	key, err := signingKey(stateDir)
	if err != nil {
		return nil, err
	}
	payload, err := json.Marshal(BundlePayload{Name: name, Created: now.UTC(), Version: version, Progress: prog})
	if err != nil {
		return nil, err
	}
	b := Bundle{Format: bundleFormat, Payload: payload, PublicKey: key.Public().(ed25519.PublicKey),
		Signature: ed25519.Sign(key, payload)}
	return json.MarshalIndent(b, "", "  ")
}

// VerifyBundle checks a bundle's signature and returns its payload.
func VerifyBundle(data []byte) (*Bundle, *BundlePayload, error) {
	var b Bundle
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, nil, fmt.Errorf("not a seclab progress bundle (%v): export one with seclab progress export", err)
	}
	if b.Format != bundleFormat {
		return nil, nil, fmt.Errorf("bundle format %q is not %q: export it again with this version of seclab", b.Format, bundleFormat)
	}
	if len(b.PublicKey) != ed25519.PublicKeySize || !ed25519.Verify(b.PublicKey, b.Payload, b.Signature) {
		return nil, nil, errors.New("the bundle's signature does not match its contents: it was changed after export")
	}
	var p BundlePayload
	if err := json.Unmarshal(b.Payload, &p); err != nil || !json.Valid(p.Progress) {
		return nil, nil, errors.New("the bundle is signed but its progress cannot be read")
	}
	return &b, &p, nil
}

// ImportBundle verifies data and installs its progress in stateDir. The
// progress already there is kept beside it as progress.json.before-import-<time>.
func ImportBundle(stateDir string, data []byte, now time.Time) (*BundlePayload, error) {
	_, p, err := VerifyBundle(data)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(stateDir, 0o700); err != nil {
		return nil, err
	}
	path := filepath.Join(stateDir, progress.FileName)
	if _, err := os.Stat(path); err == nil {
		backup := path + ".before-import-" + now.UTC().Format("20060102T150405Z")
		if err := os.Rename(path, backup); err != nil {
			return nil, fmt.Errorf("keep the current progress: %w", err)
		}
	}
	if err := writeFileAtomic(path, p.Progress); err != nil {
		return nil, err
	}
	return p, nil
}

// AddBundle records a verified self-study bundle as a student of the class
// (named by the bundle, identified by its signing key), so it shows in the
// roster and exports.
func (c *Class) AddBundle(data []byte) (*Student, error) {
	b, p, err := VerifyBundle(data)
	if err != nil {
		return nil, err
	}
	name := p.Name
	if !namePattern.MatchString(name) {
		name = "bundle-" + KeyFingerprint(b.PublicKey)
	}
	id := "bundle-" + KeyFingerprint(b.PublicKey)
	st := &Student{ID: id, Name: name, Fingerprint: "ed25519:" + KeyFingerprint(b.PublicKey), Enrolled: p.Created,
		Dir: filepath.Join(c.Dir, StudentsDir, id)}
	if err := c.ensure(st); err != nil {
		return nil, err
	}
	return st, writeFileAtomic(filepath.Join(st.Dir, progress.FileName), p.Progress)
}
