package ledger

import (
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkIntentDone is the ledger's cost per create: two fsync'd
// appends.
func BenchmarkIntentDone(b *testing.B) {
	l, err := Open(filepath.Join(b.TempDir(), FileName))
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	for b.Loop() {
		p, err := l.Intent(Record{Run: "abc123", Lesson: "kms-keys", Operation: "kms:CreateKey", Type: TypeKey})
		if err != nil {
			b.Fatal(err)
		}
		if err := p.Done("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "1234abcd-12ab-34cd-56ef-1234567890ab", ""); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParse1000 replays a ledger of 1,000 creates.
func BenchmarkParse1000(b *testing.B) {
	var sb strings.Builder
	for i := 0; i < 1000; i++ {
		id := strings.Repeat("a", 15) + string(rune('a'+i%26))
		sb.WriteString(`{"kind":"intent","id":"` + id + `","time":"2026-12-04T17:00:00Z","run":"abc123","lesson":"kms-keys","operation":"kms:CreateKey","type":"kms:key"}` + "\n")
		sb.WriteString(`{"kind":"outcome","id":"` + id + `","time":"2026-12-04T17:00:01Z","arn":"arn:aws:kms:us-east-1:111122223333:key/k","resource_id":"k"}` + "\n")
	}
	data := sb.String()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, _, err := Parse(strings.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
