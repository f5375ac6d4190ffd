package sandbox

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
	bolt "go.etcd.io/bbolt"
)

// store is the bbolt-backed svc.Store. Every Update is fsynced before it
// returns, so an acknowledged write survives kill -9.
type store struct {
	db *bolt.DB
	// gen counts Update transactions; it moves after each one returns.
	gen atomic.Uint64
}

var _ svc.Store = (*store)(nil)

// openStore opens (creating if needed) the state database in dir. The file
// is 0600 and dir 0700.
func openStore(dir string) (*store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create state dir: %w", err)
	}
	path := filepath.Join(dir, "state.db")
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		if errors.Is(err, bolt.ErrTimeout) {
			return nil, fmt.Errorf("open %s: another sandbox is using this state dir", path)
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return &store{db: db}, nil
}

func (s *store) Close() error { return s.db.Close() }

// View runs fn in a read-only transaction.
func (s *store) View(fn func(svc.Tx) error) error {
	return s.db.View(func(tx *bolt.Tx) error { return fn(boltTx{tx}) })
}

// Update runs fn in a read-write transaction, committed and synced when fn
// returns nil.
func (s *store) Update(fn func(svc.Tx) error) error {
	defer s.gen.Add(1)
	return s.db.Update(func(tx *bolt.Tx) error { return fn(boltTx{tx}) })
}

// Generation implements svc.Generational: it changes after every Update
// (committed or not), so a value read under generation g is current for as
// long as the generation is still g, provided g was read first.
func (s *store) Generation() uint64 { return s.gen.Load() }

type boltTx struct{ tx *bolt.Tx }

func (t boltTx) Get(bucket, key string) []byte {
	b := t.tx.Bucket([]byte(bucket))
	if b == nil {
		return nil
	}
	return b.Get([]byte(key))
}

func (t boltTx) Put(bucket, key string, value []byte) error {
	if !t.tx.Writable() {
		return fmt.Errorf("put %s/%s: read-only transaction", bucket, key)
	}
	b, err := t.tx.CreateBucketIfNotExists([]byte(bucket))
	if err != nil {
		return fmt.Errorf("bucket %s: %w", bucket, err)
	}
	return b.Put([]byte(key), value)
}

func (t boltTx) Delete(bucket, key string) error {
	if !t.tx.Writable() {
		return fmt.Errorf("delete %s/%s: read-only transaction", bucket, key)
	}
	b := t.tx.Bucket([]byte(bucket))
	if b == nil {
		return nil
	}
	return b.Delete([]byte(key))
}

func (t boltTx) ForEach(bucket string, fn func(key string, value []byte) error) error {
	b := t.tx.Bucket([]byte(bucket))
	if b == nil {
		return nil
	}
	return b.ForEach(func(k, v []byte) error { return fn(string(k), v) })
}
