package check

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/google/go-cmp/cmp"
	"github.com/seclab-dev/seclab/lab/console"
	"github.com/seclab-dev/seclab/lab/target"
	"github.com/seclab-dev/seclab/lessons"
)

func TestMarkCallsSendsHeaderOnlyForChecks(t *testing.T) {
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Get(SourceHeader)+"|"+strconv.FormatBool(signed(r)))
		mu.Unlock()
		w.Header().Set("Content-Type", "text/xml")
		w.Write([]byte(`<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
			`<Arn>arn:aws:iam::111122223333:user/learner</Arn><UserId>AIDA</UserId><Account>111122223333</Account>` +
			`</GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>`))
	}))
	defer srv.Close()
	base := aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKIAEXAMPLE", "secret", "")}
	marked := sts.NewFromConfig(MarkCalls(base))
	plain := sts.NewFromConfig(base)
	ctx := context.Background()
	for _, call := range []struct {
		c   *sts.Client
		ctx context.Context
	}{{marked, ctx}, {marked, WithSource(ctx)}, {plain, WithSource(ctx)}} {
		if _, err := call.c.GetCallerIdentity(call.ctx, &sts.GetCallerIdentityInput{}); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"|false", "check|true", "|false"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("header|signed per call (-want +got):\n%s", diff)
	}
	if len(base.APIOptions) != 0 {
		t.Error("MarkCalls changed the configuration it was given")
	}
}

// signed reports whether the request's signature covers SourceHeader.
func signed(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Authorization"), "x-seclab-source")
}

// ctxEnv records whether each Run saw a marked context.
type ctxEnv struct {
	fakeEnv
	mu     sync.Mutex
	marked []bool
}

func (c *ctxEnv) Run(ctx context.Context, persona, line string) console.Result {
	c.mu.Lock()
	c.marked = append(c.marked, FromCheck(ctx))
	c.mu.Unlock()
	return ok(map[string]any{"Name": "x"})
}

func TestOneMarksItsCalls(t *testing.T) {
	env := &ctxEnv{}
	res := One(context.Background(), env, lessons.Check{Name: "c", Run: "aws secretsmanager describe-secret --secret-id x", Expect: lessons.Expect{OK: true}}, Options{})
	if res.Outcome != Pass {
		t.Fatalf("outcome %s: %s", res.Outcome, res.Message)
	}
	if diff := cmp.Diff([]bool{true}, env.marked); diff != "" {
		t.Errorf("marked contexts (-want +got):\n%s", diff)
	}
}

func TestTrailChecksIgnoreChecksOwnCalls(t *testing.T) {
	denied := target.Event{Action: "secretsmanager:GetSecretValue", PrincipalName: "bob", Decision: "ImplicitlyDenied", ErrorCode: "AccessDeniedException"}
	byCheck := denied
	byCheck.Source = SourceCheck
	m := &lessons.TrailMatch{Action: "secretsmanager:GetSecretValue", As: "bob", Outcome: "denied"}
	tests := []struct {
		name   string
		trail  []target.Event
		want   Outcome
		detail string
	}{
		{"learner's call counts", []target.Event{denied}, Pass, ""},
		{"check's call does not", []target.Event{byCheck}, Fail, "no secretsmanager:GetSecretValue call by bob with outcome denied in the trail since the step started (0 calls seen)"},
		{"both", []target.Event{byCheck, denied}, Pass, ""},
	}
	for _, tc := range tests {
		got := One(context.Background(), &fakeEnv{trail: tc.trail}, lessons.Check{Name: "t", Trail: m, Fail: "f"}, Options{})
		if got.Outcome != tc.want || got.Detail != tc.detail {
			t.Errorf("%s: got %s %q, want %s %q", tc.name, got.Outcome, got.Detail, tc.want, tc.detail)
		}
	}
}
