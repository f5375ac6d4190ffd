package sandbox

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

func TestAppendEventMatchesEncodingJSON(t *testing.T) {
	events := []svc.Event{
		{},
		{Time: time.Date(2026, 12, 4, 17, 1, 2, 345000000, time.UTC), RequestID: "r-1", Region: "us-east-1", Account: "111122223333",
			Principal: "arn:aws:iam::111122223333:user/bob", PrincipalName: "bob", AccessKeyID: "AKIA",
			Service: "kms", Operation: "Decrypt", Action: "kms:Decrypt", Resources: []string{"arn:aws:kms:us-east-1:111122223333:key/k"},
			Via: "secretsmanager.us-east-1.amazonaws.com", Decision: "Allowed", Layer: "identity", Statements: []string{"a:b", "c:Statement[0]"},
			Explanation: json.RawMessage(`{"decision":"Allowed","steps":[1,2]}`), ErrorCode: "X", ErrorMessage: "quote \" backslash \\ <tag> & \n\t\x01 \u2028 é \xff", ReadOnly: true},
	}
	for _, e := range events {
		want, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		got := appendEvent(nil, &e)
		if diff := cmp.Diff(string(want), string(got)); diff != "" {
			t.Errorf("appendEvent (-encoding/json +got):\n%s", diff)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	f.Add("plain")
	f.Add("\x00\x1f\"\\<>&\u2028\u2029\xff\xfeé")
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendString(nil, s); string(got) != string(want) {
			t.Errorf("appendString(%q) = %s, want %s", s, got, want)
		}
	})
}

func benchEvent() svc.Event {
	expl := make([]byte, 0, 1600)
	expl = append(expl, `{"steps":[`...)
	for i := 0; i < 30; i++ {
		if i > 0 {
			expl = append(expl, ',')
		}
		expl = append(expl, `{"layer":"identity","policy":"AdministratorAccess","matched":true}`...)
	}
	expl = append(expl, `]}`...)
	return svc.Event{Time: time.Now(), RequestID: "0b6f7631-063e-42d7-970f-f6da6d3c905a", Region: "us-east-1", Account: "111122223333",
		Principal: "arn:aws:iam::111122223333:user/learner", PrincipalName: "learner", Service: "kms", Operation: "Encrypt",
		Action: "kms:Encrypt", Resources: []string{"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
		Decision: "Allowed", Layer: "identity", Statements: []string{"AdministratorAccess:Statement[0]"}, Explanation: expl}
}

// BenchmarkTrailEncoding compares the trail's encoder with encoding/json
// on an event with a typical explanation.
func BenchmarkTrailEncoding(b *testing.B) {
	e := benchEvent()
	b.Run("appendEvent", func(b *testing.B) {
		buf := make([]byte, 0, 4096)
		for b.Loop() {
			buf = appendEvent(buf[:0], &e)
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		for b.Loop() {
			if _, err := json.Marshal(&e); err != nil {
				b.Fatal(err)
			}
		}
	})
}
