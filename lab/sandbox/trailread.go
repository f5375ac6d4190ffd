package sandbox

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// ReadTrail calls fn for each event in the trail file at path, in order.
// With follow, it keeps waiting for new events until ctx is done; without
// it, it returns at the end of the file. A missing file is an empty trail
// (and, with follow, one that will appear). A torn last line (the writer
// was killed mid-write) is skipped.
func ReadTrail(ctx context.Context, path string, follow bool, fn func(svc.Event) error) error {
	var f *os.File
	for {
		var err error
		f, err = os.Open(path)
		if err == nil {
			break
		}
		if !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("open trail: %w", err)
		}
		if !follow {
			return nil
		}
		if err := sleepCtx(ctx, 200*time.Millisecond); err != nil {
			return nil
		}
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 64<<10)
	var partial []byte
	for {
		line, err := r.ReadBytes('\n')
		if len(line) > 0 && line[len(line)-1] == '\n' {
			full := append(partial, line...)
			partial = nil
			if ev, ok := decodeEvent(full); ok {
				if err := fn(ev); err != nil {
					return err
				}
			}
		} else if len(line) > 0 {
			partial = append(partial, line...)
		}
		if err == nil {
			continue
		}
		if !errors.Is(err, io.EOF) {
			return fmt.Errorf("read trail: %w", err)
		}
		if !follow {
			return nil
		}
		if err := sleepCtx(ctx, 100*time.Millisecond); err != nil {
			return nil
		}
	}
}

func decodeEvent(line []byte) (svc.Event, bool) {
	var ev svc.Event
	line = bytes.TrimSpace(line)
	if len(line) == 0 || json.Unmarshal(line, &ev) != nil {
		return ev, false
	}
	return ev, true
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
