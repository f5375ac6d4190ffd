package sandbox

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"io"
	mrand "math/rand/v2"
	"sync"
)

// lockedReader makes a seeded ChaCha8 stream safe for concurrent use, so
// a seeded sandbox produces the same IDs and keys for the same sequence of
// calls.
type lockedReader struct {
	mu sync.Mutex
	r  *mrand.ChaCha8
}

func (l *lockedReader) Read(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Read(p)
}

// newRand returns crypto/rand, or a deterministic stream for seed != 0.
func newRand(seed uint64) io.Reader {
	if seed == 0 {
		return rand.Reader
	}
	var s [32]byte
	binary.LittleEndian.PutUint64(s[:], seed)
	copy(s[8:], "seclab sandbox seeded stream...")
	return &lockedReader{r: mrand.NewChaCha8(s)}
}

// newUUID returns a random version-4 UUID, as AWS request IDs are.
func newUUID(r io.Reader) string {
	var b [16]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		panic("sandbox: randomness failed: " + err.Error())
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	return string(out[:])
}
