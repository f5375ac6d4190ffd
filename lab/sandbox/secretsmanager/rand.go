package secretsmanager

import (
	"crypto/rand"
	"fmt"
	"io"
)

// readFull fills b from r, or from crypto/rand when the environment gives
// no source.
func readFull(r io.Reader, b []byte) (int, error) {
	if r == nil {
		r = rand.Reader
	}
	n, err := io.ReadFull(r, b)
	if err != nil {
		return n, fmt.Errorf("random: %w", err)
	}
	return n, nil
}
