package check

import (
	"context"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/seclab-dev/seclab/lab/console"
	"github.com/seclab-dev/seclab/lab/target"
	"github.com/seclab-dev/seclab/lessons"
)

// fakeEnv answers commands from a table.
type fakeEnv struct {
	results map[string]console.Result // by expanded line
	files   map[string]string
	trail   []target.Event
	noTrail bool
	delay   time.Duration
}

func (f *fakeEnv) Run(ctx context.Context, persona, line string) console.Result {
	if f.delay > 0 {
		select {
		case <-time.After(f.delay):
		case <-ctx.Done():
			return console.Result{Err: &console.Error{Status: console.ExitFailure, Message: "context deadline exceeded", Transient: true}}
		}
	}
	if r, ok := f.results[persona+" "+line]; ok {
		return r
	}
	return console.Result{Err: &console.Error{Status: console.ExitService, Code: "ResourceNotFoundException",
		Message: "An error occurred (ResourceNotFoundException) when calling the DescribeSecret operation: Secrets Manager can't find the specified secret."}}
}

func (f *fakeEnv) Expand(s string) (string, error) {
	out, missing := lessons.Expand(s, map[string]string{"run": "seclab", "key": "k-123"})
	if len(missing) > 0 {
		return out, &missingVar{missing[0]}
	}
	return out, nil
}

type missingVar struct{ name string }

func (m *missingVar) Error() string { return "unknown template variable {{" + m.name + "}}" }

func (f *fakeEnv) ReadFile(name string) ([]byte, error) {
	s, ok := f.files[name]
	if !ok {
		return nil, fs.ErrNotExist
	}
	return []byte(s), nil
}

func (f *fakeEnv) Trail(context.Context) ([]target.Event, bool, error) {
	return f.trail, !f.noTrail, nil
}

func ok(data any) console.Result { return console.Result{Data: data} }

func TestOutcomes(t *testing.T) {
	env := &fakeEnv{
		results: map[string]console.Result{
			"learner aws secretsmanager describe-secret --secret-id seclab/db": ok(map[string]any{
				"Name": "seclab/db", "KmsKeyId": "arn:aws:kms:us-east-1:111122223333:key/k-123", "VersionIdsToStages": map[string]any{"v1": []any{"AWSCURRENT"}}, "Count": 2.0}),
			"bob aws secretsmanager get-secret-value --secret-id seclab/db": {Err: &console.Error{Status: console.ExitService, Code: "AccessDeniedException", Message: "An error occurred (AccessDeniedException) when calling the GetSecretValue operation: denied"}},
			"learner aws kms describe-key --key-id k":                       {Err: &console.Error{Status: console.ExitService, Code: "ThrottlingException", Message: "An error occurred (ThrottlingException) when calling the DescribeKey operation: Rate exceeded", Transient: true}},
			"learner aws kms list-keys":                                     {Err: &console.Error{Status: console.ExitFailure, Message: `Could not connect to the endpoint URL: "http://127.0.0.1:1"`, Transient: true}},
		},
		files: map[string]string{
			"good.json": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}`,
			"bad.json":  `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*"}]}`,
		},
		trail: []target.Event{
			{Action: "kms:GenerateDataKey", PrincipalName: "alice", Via: "secretsmanager.us-east-1.amazonaws.com", Decision: "Allowed"},
			{Action: "kms:Decrypt", PrincipalName: "bob", Via: "secretsmanager.us-east-1.amazonaws.com", Decision: "ExplicitlyDenied", ErrorCode: "AccessDeniedException"},
		},
	}
	describe := "aws secretsmanager describe-secret --secret-id {{run}}/db"
	tests := []struct {
		name  string
		check lessons.Check
		want  Outcome
		msg   string
	}{
		{"ok passes", lessons.Check{Run: describe, Expect: lessons.Expect{OK: true}}, Pass, ""},
		{"ok fails on error", lessons.Check{Run: "aws secretsmanager describe-secret --secret-id nope", Expect: lessons.Expect{OK: true}, Fail: "No secret {{run}}/nope."}, Fail, "No secret seclab/nope."},
		{"equals", lessons.Check{Run: describe, Expect: lessons.Expect{Query: "Name", Equals: "{{run}}/db", HasEquals: true}}, Pass, ""},
		{"equals number", lessons.Check{Run: describe, Expect: lessons.Expect{Query: "Count", Equals: 2, HasEquals: true}}, Pass, ""},
		{"equals structure", lessons.Check{Run: describe, Expect: lessons.Expect{Query: "VersionIdsToStages", Equals: map[string]any{"v1": []any{"AWSCURRENT"}}, HasEquals: true}}, Pass, ""},
		{"equals differs", lessons.Check{Run: describe, Expect: lessons.Expect{Query: "Name", Equals: "other", HasEquals: true}, Fail: "f"}, Fail, "f"},
		{"contains string", lessons.Check{Run: describe, Expect: lessons.Expect{Query: "KmsKeyId", Contains: "{{key}}"}}, Pass, ""},
		{"contains list element", lessons.Check{Run: describe, Expect: lessons.Expect{Query: "VersionIdsToStages.v1", Contains: "AWSCURRENT"}}, Pass, ""},
		{"contains missing", lessons.Check{Run: describe, Expect: lessons.Expect{Query: "VersionIdsToStages.v1", Contains: "AWSPREVIOUS"}, Fail: "f"}, Fail, "f"},
		{"matches", lessons.Check{Run: describe, Expect: lessons.Expect{Query: "KmsKeyId", Matches: `^arn:aws:kms:[a-z0-9-]+:\d{12}:key/`}}, Pass, ""},
		{"matches null fails", lessons.Check{Run: describe, Expect: lessons.Expect{Query: "Missing", Matches: `.*`}, Fail: "f"}, Fail, "f"},
		{"expected error", lessons.Check{As: "bob", Run: "aws secretsmanager get-secret-value --secret-id {{run}}/db", Expect: lessons.Expect{Error: "AccessDeniedException"}}, Pass, ""},
		{"other error", lessons.Check{As: "bob", Run: "aws secretsmanager get-secret-value --secret-id {{run}}/db", Expect: lessons.Expect{Error: "ResourceNotFoundException"}, Fail: "f"}, Fail, "f"},
		{"success when an error is expected", lessons.Check{Run: describe, Expect: lessons.Expect{Error: "AccessDeniedException"}, Fail: "f"}, Fail, "f"},
		{"throttling is an error", lessons.Check{Run: "aws kms describe-key --key-id k", Expect: lessons.Expect{OK: true}}, Error, "the service could not answer: An error occurred (ThrottlingException) when calling the DescribeKey operation: Rate exceeded"},
		{"connection refused is an error", lessons.Check{Run: "aws kms list-keys", Expect: lessons.Expect{OK: true}}, Error, `the service could not answer: Could not connect to the endpoint URL: "http://127.0.0.1:1"`},
		{"write operation refused", lessons.Check{Run: "aws kms create-key", Expect: lessons.Expect{OK: true}}, Error, `check command "aws kms create-key": kms:CreateKey may change state; checks must be read-only (get-*, describe-*, list-*, decrypt, verify, simulate-*, …)`},
		{"bad query", lessons.Check{Run: describe, Expect: lessons.Expect{Query: "Name[", Equals: "x", HasEquals: true}}, Error, ""},
		{"unknown variable", lessons.Check{Run: "aws kms describe-key --key-id {{nope}}", Expect: lessons.Expect{OK: true}}, Error, "unknown template variable {{nope}}"},
		{"trail match", lessons.Check{Trail: &lessons.TrailMatch{Action: "kms:GenerateDataKey", As: "alice", Via: "secretsmanager", Outcome: "allowed"}}, Pass, ""},
		{"trail denied", lessons.Check{Trail: &lessons.TrailMatch{Action: "kms:Decrypt", As: "bob", Outcome: "denied"}}, Pass, ""},
		{"trail wrong outcome", lessons.Check{Trail: &lessons.TrailMatch{Action: "kms:Decrypt", As: "bob", Outcome: "ok"}, Fail: "f"}, Fail, "f"},
		{"trail no call", lessons.Check{Trail: &lessons.TrailMatch{Action: "kms:Encrypt"}, Fail: "f"}, Fail, "f"},
		{"file valid", lessons.Check{File: "good.json", Expect: lessons.Expect{Policy: "key", MaxSeverity: "warning"}}, Pass, ""},
		{"file findings", lessons.Check{File: "bad.json", Expect: lessons.Expect{Policy: "key"}, Fail: "f"}, Fail, "f"},
		{"file missing", lessons.Check{File: "none.json", Expect: lessons.Expect{Policy: "key"}, Fail: "f"}, Fail, "f"},
		{"file bad kind", lessons.Check{File: "good.json", Expect: lessons.Expect{Policy: "scp"}}, Error, `the check's policy type "scp" is not identity, resource, key or trust`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check.Name = tt.name
			got := One(context.Background(), env, tt.check, Options{})
			if got.Outcome != tt.want {
				t.Fatalf("outcome = %s (%s / %s), want %s", got.Outcome, got.Message, got.Detail, tt.want)
			}
			if tt.msg != "" && got.Message != tt.msg {
				t.Errorf("message = %q, want %q", got.Message, tt.msg)
			}
		})
	}
}

func TestTrailNeedsSandbox(t *testing.T) {
	env := &fakeEnv{noTrail: true}
	got := One(context.Background(), env, lessons.Check{Name: "t", Trail: &lessons.TrailMatch{Action: "kms:Decrypt"}}, Options{})
	if got.Outcome != Error || !strings.Contains(got.Message, "sandbox") {
		t.Fatalf("got %+v", got)
	}
}

func TestTimeoutIsError(t *testing.T) {
	env := &fakeEnv{delay: time.Second}
	got := One(context.Background(), env, lessons.Check{Name: "slow", Run: "aws kms list-keys", Expect: lessons.Expect{OK: true}}, Options{Timeout: 20 * time.Millisecond})
	if got.Outcome != Error || got.Message != "the check timed out after 20ms" {
		t.Fatalf("got %+v", got)
	}
}

func TestRunIsConcurrentAndOrdered(t *testing.T) {
	env := &fakeEnv{delay: 50 * time.Millisecond, results: map[string]console.Result{"learner aws kms list-keys": ok(map[string]any{})}}
	checks := make([]lessons.Check, 8)
	for i := range checks {
		checks[i] = lessons.Check{Name: string(rune('a' + i)), Run: "aws kms list-keys", Expect: lessons.Expect{OK: true}}
	}
	start := time.Now()
	res := Run(context.Background(), env, checks, Options{})
	if el := time.Since(start); el > 300*time.Millisecond {
		t.Errorf("8 checks of 50ms took %s: not concurrent", el)
	}
	var names []string
	for _, r := range res {
		names = append(names, r.Name)
	}
	if diff := cmp.Diff([]string{"a", "b", "c", "d", "e", "f", "g", "h"}, names); diff != "" {
		t.Error(diff)
	}
	if Summary(res) != Pass {
		t.Errorf("summary = %s", Summary(res))
	}
}

func TestSummary(t *testing.T) {
	r := func(o ...Outcome) []Result {
		var out []Result
		for _, x := range o {
			out = append(out, Result{Outcome: x})
		}
		return out
	}
	tests := []struct {
		in   []Result
		want Outcome
	}{
		{r(Pass, Pass), Pass}, {r(Pass, Fail), Fail}, {r(Fail, Error), Error}, {nil, Error},
	}
	for _, tt := range tests {
		if got := Summary(tt.in); got != tt.want {
			t.Errorf("Summary(%v) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestReadOnlyCommand(t *testing.T) {
	tests := map[string]bool{
		"aws kms describe-key --key-id k":                         true,
		"aws kms decrypt --ciphertext-blob fileb://c":             true,
		"aws secretsmanager get-secret-value --secret-id s":       true,
		"aws iam simulate-principal-policy --policy-source-arn a": true,
		"aws cloudformation describe-stacks":                      true,
		"aws sts get-caller-identity":                             true,
		"aws kms schedule-key-deletion --key-id k":                false,
		"aws secretsmanager put-secret-value --secret-id s":       false,
		"aws iam create-user --user-name u":                       false,
		"aws cloudformation delete-stack --stack-name s":          false,
		"aws nosuch op": false,
		"whoami":        false,
	}
	for line, want := range tests {
		if got := ReadOnlyCommand(line) == nil; got != want {
			t.Errorf("ReadOnlyCommand(%q) ok = %v, want %v (%v)", line, got, want, ReadOnlyCommand(line))
		}
	}
}

// TestMissingWorkspaceFileIsFail: a run check that reads a workspace file
// the learner has not written yet fails with the author's message; other
// failures before the call still make the check an ERROR.
func TestMissingWorkspaceFileIsFail(t *testing.T) {
	paramErr := func(flag, word, path string) console.Result {
		return console.Result{Err: &console.Error{Status: console.ExitUsage,
			Message: "Error parsing parameter '--" + flag + "': Unable to load paramfile " + word + ": [Errno 2] No such file or directory: '" + path + "'"}}
	}
	verify := "aws kms verify --key-id k --message fileb://message.txt --signing-algorithm RSASSA_PKCS1_V1_5_SHA_256 --signature fileb://sig.b64"
	env := &fakeEnv{
		files: map[string]string{"message.txt": "hello", "bad.b64": "not base64"},
		results: map[string]console.Result{
			"learner " + verify: paramErr("signature", "fileb://sig.b64", "sig.b64"),
			"learner aws kms decrypt --ciphertext-blob=file://out/ct.b64": paramErr("ciphertext-blob", "file://out/ct.b64", "out/ct.b64"),
			"learner aws kms decrypt --ciphertext-blob file://bad.b64": {Err: &console.Error{Status: console.ExitUsage,
				Message: "Invalid base64: \"not base64\""}},
			"learner aws kms decrypt --ciphertext-blob file:///tmp/nowhere.b64": paramErr("ciphertext-blob", "file:///tmp/nowhere.b64", "/tmp/nowhere.b64"),
		},
	}
	type got struct {
		Outcome         Outcome
		Message, Detail string
	}
	tests := []struct {
		name  string
		check lessons.Check
		want  got
	}{
		{"fileb word", lessons.Check{Run: verify, Expect: lessons.Expect{Query: "SignatureValid", Equals: true, HasEquals: true}, Fail: "sig.b64 does not hold a signature made with {{key}} yet."},
			got{Fail, "sig.b64 does not hold a signature made with k-123 yet.", "sig.b64 is not in the workspace yet"}},
		{"expected error code", lessons.Check{Run: verify, Expect: lessons.Expect{Error: "KMSInvalidSignatureException"}, Fail: "f"},
			got{Fail, "f", "sig.b64 is not in the workspace yet"}},
		{"flag=file:// in a subfolder", lessons.Check{Run: "aws kms decrypt --ciphertext-blob=file://out/ct.b64", Expect: lessons.Expect{OK: true}, Fail: "f"},
			got{Fail, "f", "out/ct.b64 is not in the workspace yet"}},
		{"file present but unreadable as a value", lessons.Check{Run: "aws kms decrypt --ciphertext-blob file://bad.b64", Expect: lessons.Expect{OK: true}, Fail: "f"},
			got{Error, `the check's command failed before reaching AWS: Invalid base64: "not base64"`, ""}},
		{"a path outside the workspace", lessons.Check{Run: "aws kms decrypt --ciphertext-blob file:///tmp/nowhere.b64", Expect: lessons.Expect{OK: true}, Fail: "f"},
			got{Error, "the check's command failed before reaching AWS: Error parsing parameter '--ciphertext-blob': Unable to load paramfile file:///tmp/nowhere.b64: [Errno 2] No such file or directory: '/tmp/nowhere.b64'", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check.Name = tt.name
			r := One(context.Background(), env, tt.check, Options{})
			if diff := cmp.Diff(tt.want, got{r.Outcome, r.Message, r.Detail}); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
		})
	}
}
