package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// rssBytes reads this process's resident set size.
func rssBytes(b *testing.B) int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Skip("no /proc/self/status")
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	b.Skip("no VmRSS")
	return 0
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkClassroom connects 50 students over SSH, each with a lesson
// and its sandbox open, and reports the resident memory each one adds and
// the server CPU per keystroke (a key that moves the lesson pane, so the
// screen redraws) with all of them connected.
func BenchmarkClassroom(b *testing.B) {
	const n = 50
	cs, addr := startClass(b, "maple-42", n+5)
	keys := make([]ssh.Signer, n)
	for i := range keys {
		keys[i] = newKey(b)
		c := dial(b, addr, fmt.Sprintf("s%02d", i), keys[i])
		run(b, c, "join maple-42")
		c.Close()
	}
	runtime.GC()
	before := rssBytes(b)
	terms := make([]*terminal, n)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c := dial(b, addr, fmt.Sprintf("s%02d", i), keys[i])
			terms[i] = openTerminal(b, c, "lesson 3", 100, 30)
			waitFor(b, "lab", 180*time.Second, func() bool { return terms[i].contains("learner@111122223333") })
		}(i)
	}
	wg.Wait()
	runtime.GC()
	time.Sleep(time.Second)
	after := rssBytes(b)
	b.Logf("RSS %d MiB with the server alone, %d MiB with %d students", before>>20, after>>20, n)
	_ = cs

	b.ResetTimer()
	start := cpuTime()
	keysSent := 0
	for i := 0; i < b.N; i++ {
		for _, tm := range terms {
			key := "j"
			if i%2 == 1 {
				key = "k"
			}
			fmt.Fprint(tm.in, key)
			keysSent++
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	b.StopTimer()
	b.ReportMetric(float64(cpuTime()-start)/float64(keysSent)/1e6, "ms-CPU/keystroke")
	// After ResetTimer, which clears metrics reported before it.
	b.ReportMetric(float64(after-before)/n/(1<<20), "MB-RSS/student")
	for _, tm := range terms {
		tm.s.Close()
	}
}
