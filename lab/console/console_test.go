package console

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/google/go-cmp/cmp"
)

// fakeAWS answers a few KMS (JSON protocol) and STS (Query protocol)
// operations with canned responses, and records the request bodies.
type fakeAWS struct {
	mu     sync.Mutex
	bodies map[string][]string // by operation
	keys   map[string]string   // access key id -> persona ARN
}

func (f *fakeAWS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	target := r.Header.Get("X-Amz-Target")
	op := strings.TrimPrefix(target, "TrentService.")
	if target == "" {
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		_ = r.ParseForm()
		op = r.PostForm.Get("Action")
	}
	f.mu.Lock()
	f.bodies[op] = append(f.bodies[op], string(body))
	f.mu.Unlock()
	json1 := func(status int, v any) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	switch op {
	case "ListAliases":
		var in struct{ Marker string }
		_ = json.Unmarshal(body, &in)
		if in.Marker == "" {
			json1(200, map[string]any{"Aliases": []any{map[string]any{"AliasName": "alias/one"}}, "NextMarker": "p2", "Truncated": true})
			return
		}
		json1(200, map[string]any{"Aliases": []any{map[string]any{"AliasName": "alias/two"}}, "Truncated": false})
	case "Encrypt":
		json1(200, map[string]any{"CiphertextBlob": "AQID", "KeyId": "arn:aws:kms:us-east-1:111122223333:key/k1", "EncryptionAlgorithm": "SYMMETRIC_DEFAULT"})
	case "Decrypt":
		json1(400, map[string]any{"__type": "AccessDeniedException", "message": "User: arn:aws:iam::111122223333:user/bob is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:111122223333:key/k1 because no resource-based policy allows the kms:Decrypt action"})
	case "DescribeKey":
		json1(400, map[string]any{"__type": "ThrottlingException", "message": "Rate exceeded"})
	case "GetCallerIdentity":
		auth := r.Header.Get("Authorization")
		arn := "arn:aws:iam::111122223333:user/learner"
		for k, v := range f.keys {
			if strings.Contains(auth, "Credential="+k+"/") {
				arn = v
			}
		}
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprintf(w, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>%s</Arn><UserId>AIDAEXAMPLE</UserId><Account>111122223333</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`, arn)
	default:
		json1(400, map[string]any{"__type": "UnknownOperationException", "message": ""})
	}
}

func newTestConsole(t *testing.T) (*Console, *fakeAWS) {
	t.Helper()
	f := &fakeAWS{bodies: map[string][]string{}, keys: map[string]string{"AKIABOB": "arn:aws:iam::111122223333:user/bob"}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	cfgs := ConfigsFunc(func(ctx context.Context, persona string) (aws.Config, error) {
		key := "AKIALEARNER"
		if persona == "bob" {
			key = "AKIABOB"
		}
		return aws.Config{
			Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), RetryMaxAttempts: 1,
			Credentials: credentials.NewStaticCredentialsProvider(key, "secret", ""),
		}, nil
	})
	ws := testWorkspace(t)
	c := New(Options{Configs: cfgs, Personas: []string{"bob"}, Workspace: ws, HistoryFile: filepath.Join(t.TempDir(), "history"), Endpoint: srv.URL})
	return c, f
}

func TestExec(t *testing.T) {
	c, f := newTestConsole(t)
	ctx := context.Background()
	tests := []struct {
		line    string
		want    string
		wantErr string
	}{
		{line: "aws kms list-aliases", want: "{\n    \"Aliases\": [\n        {\n            \"AliasName\": \"alias/one\"\n        },\n        {\n            \"AliasName\": \"alias/two\"\n        }\n    ]\n}\n"},
		{line: "aws kms list-aliases --no-paginate --output text", want: "p2\tTrue\nALIASES\talias/one\n"},
		{line: "aws kms list-aliases --output off"},
		{line: "aws kms encrypt --key-id alias/demo --plaintext fileb://plain.bin --query CiphertextBlob --output text", want: "AQID\n"},
		{line: "aws kms decrypt --ciphertext-blob AQID --profile bob",
			wantErr: "An error occurred (AccessDeniedException) when calling the Decrypt operation: User: arn:aws:iam::111122223333:user/bob is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:111122223333:key/k1 because no resource-based policy allows the kms:Decrypt action"},
		{line: "aws kms encrypt --key-id k", wantErr: "aws: error: the following arguments are required: --plaintext"},
		{line: "aws kms encrypt", wantErr: "aws: error: the following arguments are required: --key-id, --plaintext"},
		{line: "aws kms create-key --tags TagKey=a", wantErr: "Parameter validation failed:\nMissing required parameter in Tags[0]: \"TagValue\""},
		{line: "aws sts get-caller-identity --profile carol", wantErr: "The config profile (carol) could not be found"},
		{line: "whoami", want: "persona: learner\narn:     arn:aws:iam::111122223333:user/learner\naccount: 111122223333\n"},
		{line: "as bob"},
		{line: "aws sts get-caller-identity --query Arn --output text", want: "arn:aws:iam::111122223333:user/bob\n"},
		{line: "as carol", wantErr: "unknown persona \"carol\": this lesson has learner, bob"},
		{line: "as learner"},
		{line: "awz sts get-caller-identity", wantErr: "unknown command \"awz\": commands start with aws, or are one of as, whoami, help, history, time, edit (maybe you meant aws?)"},
		{line: "aws 'unterminated", wantErr: "seclab: unterminated single quote at column 5"},
	}
	for _, tt := range tests {
		got, err := c.Exec(ctx, tt.line)
		gotErr := ""
		if err != nil {
			gotErr = err.Error()
		}
		if diff := cmp.Diff(tt.wantErr, gotErr); diff != "" {
			t.Errorf("%s: error (-want +got):\n%s", tt.line, diff)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: output (-want +got):\n%s", tt.line, diff)
		}
	}
	if got := f.bodies["Encrypt"]; len(got) != 1 || !strings.Contains(got[0], `"Plaintext":"AAFiaW5hcnk="`) {
		t.Errorf("encrypt request bodies = %q", got)
	}
	if got := len(c.History().Lines()); got != len(tests) {
		t.Errorf("history has %d lines, want %d", got, len(tests))
	}
}

func TestRunResult(t *testing.T) {
	c, _ := newTestConsole(t)
	r := c.Run(context.Background(), "bob", []string{"aws", "kms", "decrypt", "--ciphertext-blob", "AQID"})
	if r.Err == nil || r.Err.Code != "AccessDeniedException" || r.Err.Status != ExitService || r.Persona != "bob" || r.Operation != "Decrypt" {
		t.Fatalf("Run = %+v", r)
	}
	r = c.Run(context.Background(), "", []string{"aws", "kms", "describe-key", "--key-id", "k"})
	if r.Err == nil || r.Err.Code != "ThrottlingException" || !r.Err.Transient {
		t.Fatalf("throttled Run = %+v", r.Err)
	}
}

func TestConnectionRefused(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	c := New(Options{Endpoint: url, Configs: ConfigsFunc(func(context.Context, string) (aws.Config, error) {
		return aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(url), RetryMaxAttempts: 1,
			Credentials: credentials.NewStaticCredentialsProvider("AKIA", "s", "")}, nil
	})})
	_, err := c.Exec(context.Background(), "aws sts get-caller-identity")
	want := fmt.Sprintf("Could not connect to the endpoint URL: %q", url)
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %s", err, want)
	}
	var e *Error
	if !asError(err, &e) || !e.Transient {
		t.Fatalf("connection failure not transient: %#v", err)
	}
}

func asError(err error, target **Error) bool {
	e, ok := err.(*Error)
	if ok {
		*target = e
	}
	return ok
}

func TestTimeBuiltin(t *testing.T) {
	c, f := newTestConsole(t)
	out, err := c.Exec(context.Background(), "time 5 aws kms encrypt --key-id k --plaintext aGk=")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "kms encrypt: 5 runs, median ") || len(f.bodies["Encrypt"]) != 5 {
		t.Fatalf("out = %q, calls = %d", out, len(f.bodies["Encrypt"]))
	}
	if _, err := c.Exec(context.Background(), "time x aws kms list-keys"); err == nil {
		t.Fatal("time with a bad count succeeded")
	}
}

func TestComplete(t *testing.T) {
	c, _ := newTestConsole(t)
	tests := []struct {
		line string
		want []string
	}{
		{"", builtins},
		{"w", []string{"whoami"}},
		{"aws s", []string{"secretsmanager", "sts"}},
		{"aws kms gen", []string{"generate-data-key", "generate-data-key-pair", "generate-data-key-pair-without-plaintext", "generate-data-key-without-plaintext", "generate-mac", "generate-random"}},
		{"aws kms encrypt --k", []string{"--key-id"}},
		{"aws kms encrypt --key-id k --output ", []string{"json", "off", "table", "text"}},
		{"aws --output text sts get-c", []string{"get-caller-identity"}},
		{"as ", []string{"bob", "learner"}},
		{"aws sts get-caller-identity --profile b", []string{"bob"}},
		{"time 3 aws kms list-k", []string{"list-key-policies", "list-key-rotations", "list-keys"}},
		{"aws nosuch ", nil},
		{"edit p", []string{"plain.bin", "policy.json"}},
		{"aws iam put-user-policy --policy-document file://po", []string{"file://policy.json"}},
		{"aws kms encrypt --plaintext fileb://pl", []string{"fileb://plain.bin"}},
		{"help sts get-c", []string{"get-caller-identity"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, c.Complete(tt.line, len(tt.line))); diff != "" {
			t.Errorf("Complete(%q) (-want +got):\n%s", tt.line, diff)
		}
	}
}

func TestHistoryPersists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h")
	h := OpenHistory(path)
	h.Add("aws kms list-keys")
	h.Add("aws kms list-keys")
	h.Add("whoami")
	got := OpenHistory(path).Lines()
	if diff := cmp.Diff([]string{"aws kms list-keys", "whoami"}, got); diff != "" {
		t.Error(diff)
	}
	if s := h.Format(); s != "    1  aws kms list-keys\n    2  whoami\n" {
		t.Errorf("Format = %q", s)
	}
}

func TestIntercept(t *testing.T) {
	c, f := newTestConsole(t)
	var seen []string
	c.opts.Intercept = func(ctx context.Context, persona string, inv *Invocation) (func(any, error), error) {
		if inv.Op.Name == "Encrypt" {
			return nil, &Error{Status: ExitFailure, Message: "refused by the test"}
		}
		return func(data any, err error) {
			seen = append(seen, fmt.Sprintf("%s %s %v", persona, inv.Op.Name, err == nil))
		}, nil
	}
	if _, err := c.Exec(context.Background(), "aws kms encrypt --key-id k --plaintext aGk="); err == nil || err.Error() != "refused by the test" {
		t.Fatalf("refused call: %v", err)
	}
	if len(f.bodies["Encrypt"]) != 0 {
		t.Fatal("a refused call reached the endpoint")
	}
	if _, err := c.Exec(context.Background(), "aws sts get-caller-identity --profile bob"); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"bob GetCallerIdentity true"}, seen); diff != "" {
		t.Error(diff)
	}
}
