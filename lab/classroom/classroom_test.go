package classroom

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/ssh"

	"github.com/seclab-dev/seclab/lab/progress"
	"github.com/seclab-dev/seclab/lessons"
)

func testKey(t *testing.T) ssh.PublicKey {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func authorizedLine(k ssh.PublicKey, name string) string {
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k))) + " " + name + "\n"
}

func TestAdmitRosterInstructorsAndStrangers(t *testing.T) {
	c, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ada, teacher, eve := testKey(t), testKey(t), testKey(t)
	os.WriteFile(filepath.Join(c.Dir, StudentsFile), []byte("# class of 2026\n\n"+authorizedLine(ada, "ada")), 0o600)
	os.WriteFile(filepath.Join(c.Dir, InstructorsFile), []byte(authorizedLine(teacher, "ms-kay")), 0o600)

	role, st, err := c.Admit(ada)
	if err != nil || role != RoleStudent || st.Name != "ada" || st.ID != KeyID(ada) {
		t.Fatalf("ada: %v %+v %v", role, st, err)
	}
	if info, err := os.Stat(st.Dir); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("student folder: %v %v", info, err)
	}
	if role, _, _ := c.Admit(teacher); role != RoleInstructor {
		t.Errorf("teacher is %v", role)
	}
	if role, st, _ := c.Admit(eve); role != Nobody || st != nil {
		t.Errorf("eve is %v %+v", role, st)
	}
	if role, _, _ := c.Admit(nil); role != Nobody {
		t.Errorf("no key is %v", role)
	}
}

func TestRosterFileErrorsNameTheLine(t *testing.T) {
	c, _ := Open(t.TempDir())
	os.WriteFile(filepath.Join(c.Dir, StudentsFile), []byte(authorizedLine(testKey(t), "ada")+"ssh-ed25519 not-base64 bob\n"), 0o600)
	_, _, err := c.Admit(testKey(t))
	if err == nil || !strings.Contains(err.Error(), "students.keys:2") {
		t.Errorf("err = %v, want it to name students.keys:2", err)
	}
}

func TestEnrollIsolatesStudentsByKey(t *testing.T) {
	c, _ := Open(t.TempDir())
	c.JoinCode = "maple-42"
	k1, k2 := testKey(t), testKey(t)
	if _, err := c.Enroll(k1, "ada", "nope"); err == nil {
		t.Fatal("a wrong code enrolled")
	}
	if _, err := c.Enroll(k1, "../../etc", "maple-42"); err == nil {
		t.Fatal("a path-like name enrolled")
	}
	a, err := c.Enroll(k1, "ada", "maple-42")
	if err != nil {
		t.Fatal(err)
	}
	// The same name with another key is another student, with another folder.
	b, err := c.Enroll(k2, "ada", "maple-42")
	if err != nil {
		t.Fatal(err)
	}
	if a.Dir == b.Dir || a.ID == b.ID {
		t.Fatalf("two keys share a folder: %s", a.Dir)
	}
	// Enrolling a known key again changes nothing.
	again, err := c.Enroll(k1, "mallory", "maple-42")
	if err != nil || again.Name != "ada" || again.Dir != a.Dir {
		t.Errorf("re-enrol: %+v %v", again, err)
	}
	_, st, _ := c.Admit(k2)
	if st.Dir != b.Dir {
		t.Errorf("k2 admitted into %s, want %s", st.Dir, b.Dir)
	}
	list, err := c.Students()
	if err != nil || len(list) != 2 {
		t.Errorf("students = %v, %v", list, err)
	}
}

func testPack(t *testing.T) *lessons.Pack {
	t.Helper()
	p, err := lessons.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestStatusAndExports(t *testing.T) {
	c, _ := Open(t.TempDir())
	c.JoinCode = "x"
	st, _ := c.Enroll(testKey(t), "ada", "x")
	pack := testPack(t)
	l := pack.Lessons[0]
	prog, _ := progress.Load(st.Dir)
	at := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	prog.Now = func() time.Time { return at }
	prog.MarkStep(l.ID, l.Steps[0].ID, progress.StatusFailed)
	prog.RevealHint(l.ID, l.Steps[0].ID, len(l.Steps[0].Hints))
	prog.MarkStep(l.ID, l.Steps[0].ID, progress.StatusPassed)
	prog.MarkStep(l.ID, l.Steps[1].ID, progress.StatusFailed)
	if err := prog.Save(); err != nil {
		t.Fatal(err)
	}
	rows, err := c.Status(pack)
	if err != nil || len(rows) != 1 {
		t.Fatal(rows, err)
	}
	r := rows[0]
	if r.Passed != 1 || r.Hints != 1 || r.Lessons[0].Passed != 1 || !strings.HasPrefix(r.Current, "1.2 ") {
		t.Errorf("row = %+v", r)
	}
	recs, err := c.Records(pack)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != pack.Steps() {
		t.Fatalf("%d records, want one per step (%d)", len(recs), pack.Steps())
	}
	want := Record{Student: "ada", StudentID: st.ID, Lesson: 1, LessonID: l.ID, Step: 1, StepID: l.Steps[0].ID,
		StepTitle: l.Steps[0].Title, Outcome: "passed", Attempts: 2, HintsUsed: 1, FirstChecked: at, LastChecked: at, PassedAt: at}
	if d := cmp.Diff(want, recs[0]); d != "" {
		t.Errorf("record (-want +got):\n%s", d)
	}

	var csvOut, jsonOut, junitOut bytes.Buffer
	for f, w := range map[string]*bytes.Buffer{"csv": &csvOut, "json": &jsonOut, "junit": &junitOut} {
		if err := Export(w, f, recs); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	lines := strings.Split(strings.TrimSpace(csvOut.String()), "\n")
	if len(lines) != len(recs)+1 || !strings.HasPrefix(lines[1], "ada,"+st.ID+",1,welcome,1,") || !strings.Contains(lines[1], ",passed,2,1,false,2026-12-04T10:00:00Z") {
		t.Errorf("csv:\n%s", strings.Join(lines[:3], "\n"))
	}
	var back []Record
	if err := json.Unmarshal(jsonOut.Bytes(), &back); err != nil || len(back) != len(recs) || back[1].Outcome != "failed" {
		t.Errorf("json round trip: %v %+v", err, back[:2])
	}
	var suites junitSuites
	if err := xml.Unmarshal(junitOut.Bytes(), &suites); err != nil {
		t.Fatal(err)
	}
	s := suites.Suites[0]
	if s.Name != "ada" || s.Tests != len(recs) || s.Failures != 1 || s.Skipped != len(recs)-2 {
		t.Errorf("junit suite = %s tests=%d failures=%d skipped=%d", s.Name, s.Tests, s.Failures, s.Skipped)
	}
	if err := Export(&bytes.Buffer{}, "xlsx", recs); err == nil || !strings.Contains(err.Error(), "csv, json or junit") {
		t.Errorf("unknown format: %v", err)
	}
}

func TestBundleSignsVerifiesAndRejectsTampering(t *testing.T) {
	dir := t.TempDir()
	if _, err := ExportBundle(dir, "ada", "test", time.Now()); err == nil {
		t.Fatal("exported a bundle with no progress")
	}
	prog, _ := progress.Load(dir)
	prog.MarkStep("welcome", "who-am-i", progress.StatusPassed)
	prog.Save()
	b, err := ExportBundle(dir, "ada", "test", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(filepath.Join(dir, bundleKey)); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("signing key file: %v %v", info, err)
	}
	bundle, p, err := VerifyBundle(b)
	if err != nil || p.Name != "ada" {
		t.Fatalf("verify: %v", err)
	}
	// Change one passed step into more progress than was made.
	var raw map[string]any
	json.Unmarshal(b, &raw)
	payload := bytes.Replace(bundle.Payload, []byte("who-am-i"), []byte("become-alice"), 1)
	raw["payload"] = payload
	forged, _ := json.Marshal(raw)
	if _, _, err := VerifyBundle(forged); err == nil || !strings.Contains(err.Error(), "changed after export") {
		t.Errorf("forged bundle: %v", err)
	}
	for _, bad := range []string{"", "{", `{"format":"x"}`, `{"format":"seclab-progress/1"}`} {
		if _, _, err := VerifyBundle([]byte(bad)); err == nil {
			t.Errorf("%q verified", bad)
		}
	}
	// Import keeps what was there.
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, progress.FileName), []byte(`{"lessons":{}}`), 0o600)
	if _, err := ImportBundle(other, b, time.Now()); err != nil {
		t.Fatal(err)
	}
	kept, _ := filepath.Glob(filepath.Join(other, progress.FileName+".before-import-*"))
	if len(kept) != 1 {
		t.Errorf("previous progress not kept: %v", kept)
	}
	got, _ := progress.Load(other)
	if got.Step("welcome", "who-am-i").Status != progress.StatusPassed {
		t.Error("imported progress not installed")
	}
	// An instructor adds the bundle to the class.
	c, _ := Open(t.TempDir())
	st, err := c.AddBundle(b)
	if err != nil || st.Name != "ada" {
		t.Fatalf("add bundle: %+v %v", st, err)
	}
	rows, _ := c.Status(testPack(t))
	if len(rows) != 1 || rows[0].Passed != 1 {
		t.Errorf("roster after bundle: %+v", rows)
	}
}

func FuzzVerifyBundle(f *testing.F) {
	f.Add([]byte(`{"format":"seclab-progress/1","payload":"e30=","publicKey":"","signature":""}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		VerifyBundle(b) // must not panic
	})
}
