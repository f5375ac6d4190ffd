package sandbox

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// sealer encrypts key material at rest with AES-256-GCM under the master
// key in master.key. The label is bound as additional data, so a sealed
// value cannot be moved to another record.
type sealer struct {
	aead cipher.AEAD
	rand io.Reader
}

var _ svc.Sealer = (*sealer)(nil)

// loadMasterKey reads dir/master.key, creating it (0600, 32 random bytes)
// when it does not exist.
func loadMasterKey(dir string, r io.Reader) ([]byte, error) {
	path := filepath.Join(dir, "master.key")
	key, err := os.ReadFile(path)
	if err == nil {
		if len(key) != 32 {
			return nil, fmt.Errorf("master key %s: want 32 bytes, found %d", path, len(key))
		}
		return key, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read master key: %w", err)
	}
	key = make([]byte, 32)
	if _, err := io.ReadFull(r, key); err != nil {
		return nil, fmt.Errorf("generate master key: %w", err)
	}
	tmp := path + ".tmp"
	if err := writeFileSync(tmp, key, 0o600); err != nil {
		return nil, fmt.Errorf("write master key: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, fmt.Errorf("write master key: %w", err)
	}
	return key, nil
}

func writeFileSync(path string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func newSealer(key []byte) (*sealer, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("master key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("master key: %w", err)
	}
	// Nonces always come from crypto/rand, even in a seeded sandbox: a
	// repeated nonce under one key would break GCM.
	return &sealer{aead: aead, rand: rand.Reader}, nil
}

// Seal returns nonce || ciphertext || tag.
func (s *sealer) Seal(plaintext, label []byte) ([]byte, error) {
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plaintext)+s.aead.Overhead())
	if _, err := io.ReadFull(s.rand, nonce); err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return s.aead.Seal(nonce, nonce, plaintext, label), nil
}

// Open reverses Seal; it fails if sealed or label were altered.
func (s *sealer) Open(sealed, label []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n+s.aead.Overhead() {
		return nil, errors.New("open sealed value: too short")
	}
	pt, err := s.aead.Open(nil, sealed[:n], sealed[n:], label)
	if err != nil {
		return nil, fmt.Errorf("open sealed value: %w", err)
	}
	return pt, nil
}
