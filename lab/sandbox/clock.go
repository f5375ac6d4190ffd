package sandbox

import (
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

const (
	metaBucket     = "sandbox/meta"
	clockOffsetKey = "clock-offset"
)

// virtualClock is the sandbox's clock: a base clock (the wall clock, or a
// test's) plus an offset that lessons move forward. The offset is persisted
// so a restarted sandbox keeps its time.
type virtualClock struct {
	base svc.Clock

	mu     sync.RWMutex
	offset time.Duration
}

type wallClock struct{}

func (wallClock) Now() time.Time { return time.Now().UTC() }

// Now is the base time plus the offset, in UTC.
func (c *virtualClock) Now() time.Time {
	c.mu.RLock()
	off := c.offset
	c.mu.RUnlock()
	return c.base.Now().Add(off).UTC()
}

// Offset is how far the clock has been moved forward.
func (c *virtualClock) Offset() time.Duration {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.offset
}

func (c *virtualClock) load(s svc.Store) error {
	return s.View(func(tx svc.Tx) error {
		b := tx.Get(metaBucket, clockOffsetKey)
		if b == nil {
			return nil
		}
		n, err := strconv.ParseInt(string(b), 10, 64)
		if err != nil {
			return fmt.Errorf("clock offset %q: %w", b, err)
		}
		c.mu.Lock()
		c.offset = time.Duration(n)
		c.mu.Unlock()
		return nil
	})
}

// advance moves the clock forward by d and persists the new offset.
func (c *virtualClock) advance(s svc.Store, d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("advance clock by %s: the clock only moves forward", d)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	next := c.offset + d
	err := s.Update(func(tx svc.Tx) error {
		return tx.Put(metaBucket, clockOffsetKey, []byte(strconv.FormatInt(int64(next), 10)))
	})
	if err != nil {
		return fmt.Errorf("persist clock offset: %w", err)
	}
	c.offset = next
	return nil
}

// ParseDuration parses a clock advance such as "7d", "36h" or "1d12h": Go
// durations plus a "d" (24h) unit.
func ParseDuration(s string) (time.Duration, error) {
	var total time.Duration
	rest := s
	for rest != "" {
		i := 0
		for i < len(rest) && (rest[i] >= '0' && rest[i] <= '9') {
			i++
		}
		if i == 0 || i == len(rest) {
			break
		}
		if rest[i] != 'd' {
			break
		}
		n, err := strconv.Atoi(rest[:i])
		if err != nil || n > 100000 {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		total += time.Duration(n) * 24 * time.Hour
		rest = rest[i+1:]
	}
	if rest != "" {
		d, err := time.ParseDuration(rest)
		if err != nil {
			return 0, fmt.Errorf("invalid duration %q: use forms like 7d, 36h or 90m", s)
		}
		total += d
	}
	if s == "" || total < 0 {
		return 0, fmt.Errorf("invalid duration %q: use forms like 7d, 36h or 90m", s)
	}
	return total, nil
}
