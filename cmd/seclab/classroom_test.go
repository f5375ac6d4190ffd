package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"golang.org/x/crypto/ssh"

	"github.com/seclab-dev/seclab/lab/classroom"
	"github.com/seclab-dev/seclab/lab/progress"
)

// startClass runs a classroom server on a loopback port for a test.
func startClass(t testing.TB, joinCode string, maxSessions int) (*classServer, string) {
	t.Helper()
	class, err := classroom.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	class.JoinCode = joinCode
	g := &globals{Target: "sandbox"}
	pack, err := g.lessonPack()
	if err != nil {
		t.Fatal(err)
	}
	cs := &classServer{g: g, class: class, pack: pack, max: maxSessions, limit: 256 << 20, active: map[string]int{}}
	srv, err := cs.server("127.0.0.1:0", 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() {
		srv.Close()
		// Let students' sessions close their labs before the class folder goes.
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			cs.mu.Lock()
			n := cs.total
			cs.mu.Unlock()
			if n == 0 {
				return
			}
		}
		t.Errorf("sessions still open 30 s after the server closed")
	})
	return cs, ln.Addr().String()
}

func newKey(t testing.TB) ssh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func dial(t testing.TB, addr, user string, key ssh.Signer) *ssh.Client {
	t.Helper()
	c, err := ssh.Dial("tcp", addr, &ssh.ClientConfig{
		User: user, Auth: []ssh.AuthMethod{ssh.PublicKeys(key)},
		HostKeyCallback: ssh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second,
	})
	if err != nil {
		t.Fatalf("%s: dial: %v", user, err)
	}
	return c
}

// run runs a command without a terminal and returns its combined output.
func run(t testing.TB, c *ssh.Client, cmd string) string {
	t.Helper()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	out, _ := s.CombinedOutput(cmd)
	return string(out)
}

// terminal is an interactive session with a PTY.
type terminal struct {
	in  io.WriteCloser
	mu  sync.Mutex
	out bytes.Buffer
	s   *ssh.Session
}

func (tm *terminal) Write(p []byte) (int, error) {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.out.Write(p)
}

// tail is the end of the terminal's output, without escape codes, for
// failure messages.
func (tm *terminal) tail() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	s := ansi.Strip(tm.out.String())
	if len(s) > 1500 {
		s = s[len(s)-1500:]
	}
	return s
}

func (tm *terminal) contains(s string) bool {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return bytes.Contains(tm.out.Bytes(), []byte(s))
}

func openTerminal(t testing.TB, c *ssh.Client, cmd string, w, h int) *terminal {
	t.Helper()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RequestPty("xterm-256color", h, w, ssh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	tm := &terminal{s: s}
	s.Stdout, s.Stderr = tm, tm
	if tm.in, err = s.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := s.Start(cmd); err != nil {
		t.Fatal(err)
	}
	return tm
}

func waitFor(t testing.TB, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stepPassed reads a student's saved progress.
func stepPassed(dir, lesson, step string) bool {
	p, err := progress.Load(dir)
	return err == nil && p.Step(lesson, step).Status == progress.StatusPassed
}

func TestClassroomAdmission(t *testing.T) {
	cs, addr := startClass(t, "maple-42", 10)
	stranger := newKey(t)
	// A key outside the class may only enrol.
	c := dial(t, addr, "ada", stranger)
	if out := run(t, c, ""); !strings.Contains(out, "not in the class") {
		t.Errorf("unknown key got %q", out)
	}
	if out := run(t, c, "join wrong"); !strings.Contains(out, "join code is not right") {
		t.Errorf("wrong code got %q", out)
	}
	if out := run(t, c, "join maple-42"); !strings.Contains(out, "You are in the class as ada") {
		t.Errorf("join got %q", out)
	}
	c.Close()
	students, err := cs.class.Students()
	if err != nil || len(students) != 1 || students[0].Name != "ada" {
		t.Fatalf("students = %+v, %v", students, err)
	}
	// Without a join code, unknown keys are refused at authentication.
	cs.class.JoinCode = ""
	if _, err := ssh.Dial("tcp", addr, &ssh.ClientConfig{User: "eve", Auth: []ssh.AuthMethod{ssh.PublicKeys(newKey(t))},
		HostKeyCallback: ssh.InsecureIgnoreHostKey()}); err == nil {
		t.Error("an unknown key was let in without a join code")
	}
	// A second enrolment with another user name cannot take over ada's key or folder.
	cs.class.JoinCode = "maple-42"
	c = dial(t, addr, "mallory", stranger)
	run(t, c, "join maple-42")
	c.Close()
	students, _ = cs.class.Students()
	if len(students) != 1 || students[0].Name != "ada" {
		t.Errorf("after a second join with the same key: %+v", students)
	}
	// Host key persists with owner-only permissions.
	info, err := os.Stat(filepath.Join(cs.class.Dir, classroom.HostKeyFile))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("host key: %v %v", info.Mode(), err)
	}
}

func TestClassroomStudentsCompleteLessonOverSSH(t *testing.T) {
	// A class of 12 by default (6 with -short): every student runs their own
	// sandbox, and `go test ./...` runs other packages' tests beside this
	// one. .ci/run then runs it alone with SECLAB_CLASS_N=50, the full class.
	n := 12
	if testing.Short() {
		n = 6
	}
	if s := os.Getenv("SECLAB_CLASS_N"); s != "" {
		fmt.Sscan(s, &n)
	}
	cs, addr := startClass(t, "maple-42", n+5)
	keys := make([]ssh.Signer, n)
	for i := range keys {
		keys[i] = newKey(t)
		c := dial(t, addr, fmt.Sprintf("s%02d", i), keys[i])
		if out := run(t, c, "join maple-42"); !strings.Contains(out, "You are in the class") {
			t.Fatalf("join: %q", out)
		}
		c.Close()
	}
	students, err := cs.class.Students()
	if err != nil || len(students) != n {
		t.Fatalf("%d students, %v", len(students), err)
	}
	dirs := map[string]string{}
	for _, st := range students {
		dirs[st.Name] = st.Dir
	}
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			name := fmt.Sprintf("s%02d", i)
			c := dial(t, addr, name, keys[i])
			defer c.Close()
			tm := openTerminal(t, c, "lesson 1", 100, 30)
			defer tm.s.Close()
			waitFor(t, name+"'s lesson screen", 60*time.Second, func() bool { return tm.contains("Console") })
			waitFor(t, name+"'s lab", 60*time.Second, func() bool { return tm.contains("learner@111122223333") })
			defer func() {
				if t.Failed() && i == 0 {
					t.Logf("%s's screen:\n%s", name, tm.tail())
				}
			}()
			// Each student leaves a unique mark in their own sandbox. The
			// trail check counts calls made after the step started, and a
			// busy machine may still be preparing the step when the first
			// command lands, so ask STS again until the step passes, as a
			// learner would.
			fmt.Fprintf(tm.in, "aws secretsmanager create-secret --name seclab/welcome/note --secret-string 111122223333 --description %s\r", name)
			retry := func(step, line string) bool {
				passed := func() bool { return stepPassed(dirs[name], "welcome", step) }
				for deadline := time.Now().Add(4 * time.Minute); !passed(); {
					if time.Now().After(deadline) {
						t.Errorf("timed out waiting for %s passing %s", name, step)
						return false
					}
					fmt.Fprint(tm.in, line+"\r")
					for end := time.Now().Add(15 * time.Second); time.Now().Before(end) && !passed(); {
						time.Sleep(100 * time.Millisecond)
					}
				}
				return true
			}
			if !retry("who-am-i", "aws sts get-caller-identity") {
				return
			}
			fmt.Fprint(tm.in, "as alice\r")
			retry("become-alice", "aws secretsmanager create-secret --name seclab/welcome/alice-note --secret-string hi")
		}(i)
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	// The roster and the export show exactly those results.
	rows, err := cs.class.Status(cs.pack)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Lessons[0].Passed != 2 || r.Passed != 2 {
			t.Errorf("%s: roster shows %d/%d in lesson 1, %d overall", r.Student.Name, r.Lessons[0].Passed, r.Lessons[0].Total, r.Passed)
		}
	}
	recs, err := cs.class.Records(cs.pack)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := classroom.Export(&buf, "json", recs); err != nil {
		t.Fatal(err)
	}
	var got []classroom.Record
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	passed := map[string]int{}
	for _, r := range got {
		if r.Outcome == string(progress.StatusPassed) {
			passed[r.Student]++
			if r.LessonID != "welcome" {
				t.Errorf("%s passed %s/%s, which they never did", r.Student, r.LessonID, r.StepID)
			}
		}
	}
	if len(passed) != n {
		t.Errorf("export shows passes for %d students, want %d", len(passed), n)
	}
	for s, k := range passed {
		if k != 2 {
			t.Errorf("export: %s passed %d steps, want 2", s, k)
		}
	}
	// No cross-student leakage: each student's trail holds only their own mark.
	for name, dir := range dirs {
		trail, err := os.ReadFile(filepath.Join(dir, "lessons", "welcome", "sandbox", "trail.jsonl"))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		for other := range dirs {
			if other != name && bytes.Contains(trail, []byte("--description "+other)) {
				t.Errorf("%s's trail mentions %s", name, other)
			}
		}
	}
}

func TestClassroomSurvivesGarbageAndTinyWindows(t *testing.T) {
	_, addr := startClass(t, "maple-42", 5)
	key := newKey(t)
	c := dial(t, addr, "ada", key)
	run(t, c, "join maple-42")
	c.Close()
	c = dial(t, addr, "ada", key)
	defer c.Close()
	tm := openTerminal(t, c, "", 80, 24)
	waitFor(t, "home screen", 30*time.Second, func() bool { return tm.contains("Welcome") })
	garbage := make([]byte, 4096)
	rand.Read(garbage)
	for i := range garbage {
		if garbage[i] == 'q' || garbage[i] == 3 { // keep the session open
			garbage[i] = 'x'
		}
	}
	tm.in.Write(garbage)
	for _, sz := range [][2]int{{1, 1}, {20, 5}, {2, 200}, {300, 1}, {100, 30}} {
		tm.s.WindowChange(sz[1], sz[0])
		time.Sleep(50 * time.Millisecond)
	}
	// The server still serves a second student afterwards.
	other := newKey(t)
	c2 := dial(t, addr, "bob", other)
	defer c2.Close()
	if out := run(t, c2, "join maple-42"); !strings.Contains(out, "You are in the class as bob") {
		t.Errorf("server after garbage: %q", out)
	}
}

func TestClassroomOneSessionPerStudentAndLimit(t *testing.T) {
	cs, addr := startClass(t, "maple-42", 1)
	key := newKey(t)
	c := dial(t, addr, "ada", key)
	run(t, c, "join maple-42")
	c.Close()
	c = dial(t, addr, "ada", key)
	defer c.Close()
	tm := openTerminal(t, c, "", 80, 24)
	waitFor(t, "home screen", 30*time.Second, func() bool { return cs.online(mustStudent(t, cs).ID) })
	c2 := dial(t, addr, "ada", key)
	defer c2.Close()
	if out := run(t, c2, ""); !strings.Contains(out, "class is full") {
		t.Errorf("over the limit got %q", out)
	}
	cs.max = 5
	if out := run(t, c2, ""); !strings.Contains(out, "already connected") {
		t.Errorf("second terminal got %q", out)
	}
	tm.s.Close()
}

func mustStudent(t *testing.T, cs *classServer) *classroom.Student {
	t.Helper()
	st, err := cs.class.Students()
	if err != nil || len(st) == 0 {
		t.Fatalf("no student: %v", err)
	}
	return st[0]
}

// A student whose connection drops mid-lesson gets the same lab back: the
// server closed the first session's sandbox (its store is locked while
// open), and nothing done before the drop is lost.
func TestClassroomReconnectResumesAfterDrop(t *testing.T) {
	cs, addr := startClass(t, "maple-42", 5)
	key := newKey(t)
	c := dial(t, addr, "ada", key)
	run(t, c, "join maple-42")
	c.Close()
	st := mustStudent(t, cs)

	c = dial(t, addr, "ada", key)
	tm := openTerminal(t, c, "lesson 1", 100, 30)
	waitFor(t, "the lab", 60*time.Second, func() bool { return tm.contains("learner@111122223333") })
	fmt.Fprint(tm.in, "aws secretsmanager create-secret --name seclab/welcome/note --secret-string 111122223333\r")
	waitFor(t, "the secret", 60*time.Second, func() bool {
		b, _ := os.ReadFile(filepath.Join(st.Dir, "lessons", "welcome", "sandbox", "trail.jsonl"))
		return bytes.Contains(b, []byte("secretsmanager:CreateSecret"))
	})
	c.Close() // the connection drops without quitting
	waitFor(t, "the session to end", 30*time.Second, func() bool { return !cs.online(st.ID) })

	c = dial(t, addr, "ada", key)
	defer c.Close()
	tm = openTerminal(t, c, "lesson 1", 100, 30)
	waitFor(t, "the lab again", 60*time.Second, func() bool { return tm.contains("learner@111122223333") })
	fmt.Fprint(tm.in, "aws secretsmanager describe-secret --secret-id seclab/welcome/note --query Name --output text\r")
	waitFor(t, "the earlier secret", 60*time.Second, func() bool {
		b, _ := os.ReadFile(filepath.Join(st.Dir, "lessons", "welcome", "sandbox", "trail.jsonl"))
		for _, line := range bytes.Split(b, []byte("\n")) {
			var e struct{ Operation, Source, ErrorCode string }
			if json.Unmarshal(line, &e) == nil && e.Operation == "DescribeSecret" && e.Source == "" && e.ErrorCode == "" {
				return true
			}
		}
		return false
	})
}
