package ledger

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestReplay(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", FileName)
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	key, err := l.Intent(Record{Run: "abc123", Lesson: "kms", Operation: "kms:CreateKey", Type: TypeKey})
	if err != nil {
		t.Fatal(err)
	}
	if err := key.Done("arn:aws:kms:us-east-1:111122223333:key/k1", "k1", ""); err != nil {
		t.Fatal(err)
	}
	alias, _ := l.Intent(Record{Run: "abc123", Lesson: "kms", Operation: "kms:CreateAlias", Type: TypeAlias, Name: "alias/seclab-abc123-a"})
	if err := alias.Done("", "", "AlreadyExistsException"); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Intent(Record{Run: "abc123", Lesson: "sm", Operation: "secretsmanager:CreateSecret", Type: TypeSecret, Name: "seclab-abc123/db"}); err != nil {
		t.Fatal(err)
	}
	role, _ := l.Intent(Record{Run: "abc123", Operation: "iam:CreateRole", Type: TypeRole, Name: "seclab-abc123-alice"})
	role.Done("arn:aws:iam::111122223333:role/seclab-abc123-alice", "", "")
	entries, bad, err := Load(path)
	if err != nil || bad != 0 {
		t.Fatalf("Load: %v, %d bad", err, bad)
	}
	if err := l.Deleted(entries[3]); err != nil {
		t.Fatal(err)
	}
	l.Close()
	// A torn last line, as a crash during a write leaves it.
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"kind":"intent","id":"zz`)
	f.Close()
	entries, bad, err = Load(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{
		{State: StateCreated, Run: "abc123", Lesson: "kms", Operation: "kms:CreateKey", Type: TypeKey, ARN: "arn:aws:kms:us-east-1:111122223333:key/k1", ResourceID: "k1"},
		{State: StateFailed, Run: "abc123", Lesson: "kms", Operation: "kms:CreateAlias", Type: TypeAlias, Name: "alias/seclab-abc123-a", Error: "AlreadyExistsException"},
		{State: StatePending, Run: "abc123", Lesson: "sm", Operation: "secretsmanager:CreateSecret", Type: TypeSecret, Name: "seclab-abc123/db"},
		{State: StateDeleted, Run: "abc123", Operation: "iam:CreateRole", Type: TypeRole, Name: "seclab-abc123-alice", ARN: "arn:aws:iam::111122223333:role/seclab-abc123-alice"},
	}
	if diff := cmp.Diff(want, entries, cmpopts.IgnoreFields(Entry{}, "ID", "Time")); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	if bad != 1 {
		t.Errorf("bad = %d, want 1 (the torn line)", bad)
	}
	if got := []bool{entries[0].Live(), entries[1].Live(), entries[2].Live(), entries[3].Live()}; !cmp.Equal(got, []bool{true, false, true, false}) {
		t.Errorf("Live = %v", got)
	}
	st, _ := os.Stat(path)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %04o, want 0600", st.Mode().Perm())
	}
}

func TestOpenRefusesSharedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(path, 0o644)
	_, err := Open(path)
	if err == nil || !strings.Contains(err.Error(), "must be private") {
		t.Fatalf("Open of a 0644 ledger: %v, want a refusal", err)
	}
}

func TestLoadMissing(t *testing.T) {
	entries, bad, err := Load(filepath.Join(t.TempDir(), "none.jsonl"))
	if err != nil || bad != 0 || entries != nil {
		t.Fatalf("Load(missing) = %v, %d, %v", entries, bad, err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(`{"kind":"intent","id":"a","type":"kms:key"}` + "\n" + `{"kind":"outcome","id":"a","arn":"x"}`)
	f.Add(`{"kind":"deleted","id":"b"}` + "\n{")
	f.Add("\n\n{}\n")
	f.Fuzz(func(t *testing.T, s string) {
		entries, bad, err := Parse(strings.NewReader(s))
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		if bad < 0 || len(entries) > strings.Count(s, "\n")+1 {
			t.Fatalf("%d entries, %d bad from %d lines", len(entries), bad, strings.Count(s, "\n")+1)
		}
	})
}
