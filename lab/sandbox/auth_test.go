package sandbox

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/google/go-cmp/cmp"
	"github.com/seclab-dev/seclab/lab/sandbox/iam"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// echo is a JSON-protocol test service named "kms"-like: it answers Ping
// and reports unknown operations.
type echo struct{}

func (echo) Name() string           { return "echo" }
func (echo) Protocol() svc.Protocol { return svc.JSON }
func (echo) Handle(r *svc.Request) (any, error) {
	switch r.Operation {
	case "Ping":
		return map[string]string{"Caller": r.Caller.ARN}, nil
	case "Fail":
		return nil, &svc.Error{Status: 400, Code: "NotFoundException", Message: "nothing here"}
	}
	return nil, svc.ErrUnknownOperation
}

// rawCall signs and sends one request; mutate may alter it after signing.
func rawCall(t *testing.T, s *Server, service string, headers map[string]string, body string, creds aws.Credentials,
	at time.Time, mutate func(*http.Request)) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	sum := sha256.Sum256([]byte(body))
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), service, s.Region(), at); err != nil {
		t.Fatal(err)
	}
	if mutate != nil {
		mutate(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.Header.Get("x-amzn-RequestId") == "" {
		t.Errorf("response has no x-amzn-RequestId")
	}
	return resp.StatusCode, string(b)
}

func learnerCreds(t *testing.T, s *Server) aws.Credentials {
	t.Helper()
	id, secret, ok, err := s.iam.PersonaKey(iam.LearnerAccount, iam.Learner)
	if err != nil || !ok {
		t.Fatalf("learner key: %v %v", ok, err)
	}
	return aws.Credentials{AccessKeyID: id, SecretAccessKey: secret}
}

const stsBody = "Action=GetCallerIdentity&Version=2011-06-15"

var formHeaders = map[string]string{"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}

func TestAuthenticationFailures(t *testing.T) {
	s := New()
	s.Register(echo{})
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	good := learnerCreds(t, s)
	now := time.Now().UTC()
	jsonHeaders := map[string]string{"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "echo.Ping"}
	unknownKey := aws.Credentials{AccessKeyID: "AKIAAAAAAAAAAAAAAAAA", SecretAccessKey: "x"}
	badSecret := aws.Credentials{AccessKeyID: good.AccessKeyID, SecretAccessKey: "not-the-secret"}
	tamper := func(r *http.Request) {
		h := r.Header.Get("Authorization")
		last := h[len(h)-1]
		repl := byte('0')
		if last == '0' {
			repl = '1'
		}
		r.Header.Set("Authorization", h[:len(h)-1]+string(repl))
	}
	tests := []struct {
		name     string
		service  string
		headers  map[string]string
		body     string
		creds    aws.Credentials
		at       time.Time
		mutate   func(*http.Request)
		status   int
		contains string
	}{
		{"query ok", "sts", formHeaders, stsBody, good, now, nil, 200, "<Arn>arn:aws:iam::111122223333:user/learner</Arn>"},
		{"query unknown key", "sts", formHeaders, stsBody, unknownKey, now, nil, 403,
			"<Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid</Message>"},
		{"query tampered signature", "sts", formHeaders, stsBody, good, now, tamper, 403, "<Code>SignatureDoesNotMatch</Code>"},
		{"query wrong secret", "sts", formHeaders, stsBody, badSecret, now, nil, 403,
			"The request signature we calculated does not match the signature you provided."},
		{"query skew 16 min", "sts", formHeaders, stsBody, good, now.Add(-16 * time.Minute), nil, 403, "- 15 min.)"},
		{"query skew 14 min ok", "sts", formHeaders, stsBody, good, now.Add(-14 * time.Minute), nil, 200, "GetCallerIdentityResult"},
		{"query missing auth", "sts", formHeaders, stsBody, good, now, func(r *http.Request) { r.Header.Del("Authorization") }, 403,
			"<Code>MissingAuthenticationToken</Code>"},
		{"query body changed", "sts", formHeaders, stsBody, good, now, func(r *http.Request) {
			b := "Action=GetCallerIdentity&Version=2011-06-15&X=1"
			r.Body, r.ContentLength = io.NopCloser(strings.NewReader(b)), int64(len(b))
		}, 403, "SignatureDoesNotMatch"},
		{"query unknown action", "sts", formHeaders, "Action=Nope&Version=2011-06-15", good, now, nil, 400,
			"<Code>InvalidAction</Code><Message>Could not find operation Nope for version 2011-06-15</Message>"},
		{"json ok", "echo", jsonHeaders, "{}", good, now, nil, 200, `"Caller":"arn:aws:iam::111122223333:user/learner"`},
		{"json unknown key", "echo", jsonHeaders, "{}", unknownKey, now, nil, 400,
			`{"__type":"UnrecognizedClientException","message":"The security token included in the request is invalid."}`},
		{"json tampered", "echo", jsonHeaders, "{}", good, now, tamper, 400, `"__type":"InvalidSignatureException"`},
		{"json skew 6 min", "echo", jsonHeaders, "{}", good, now.Add(6 * time.Minute), nil, 400, "Signature not yet current: "},
		{"json wrong scope service", "sts", jsonHeaders, "{}", good, now, nil, 400, "Credential should be scoped to correct service: 'echo'"},
		{"json unknown operation", "echo", map[string]string{"X-Amz-Target": "echo.Nope"}, "{}", good, now, nil, 400,
			`{"__type":"UnknownOperationException"}`},
		{"json unknown target", "echo", map[string]string{"X-Amz-Target": "Nope.Ping"}, "{}", good, now, nil, 400,
			`UnknownOperationException`},
		{"json service error", "echo", map[string]string{"X-Amz-Target": "echo.Fail"}, "{}", good, now, nil, 400,
			`{"__type":"NotFoundException","message":"nothing here"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := rawCall(t, s, tt.service, tt.headers, tt.body, tt.creds, tt.at, tt.mutate)
			if status != tt.status || !strings.Contains(body, tt.contains) {
				t.Errorf("got %d %s\nwant %d containing %q", status, body, tt.status, tt.contains)
			}
		})
	}
}

func TestSkewMessageFormat(t *testing.T) {
	now := time.Date(2025, 11, 6, 13, 26, 8, 0, time.UTC)
	at := now.Add(-15*time.Hour - 17*time.Minute - 10*time.Second)
	err := checkSkew(at.Format(amzDateFormat), at, now, 5*time.Minute)
	want := "Signature expired: 20251105T220858Z is now earlier than 20251106T132108Z (20251106T132608Z - 5 min.)"
	if diff := cmp.Diff(want, err.Error()); diff != "" {
		t.Errorf("message (-want +got):\n%s", diff)
	}
}

func TestRequestBodyLimit(t *testing.T) {
	s := start(t, WithMaxBody(1024))
	status, body := rawCall(t, s, "sts", formHeaders, stsBody+"&Pad="+strings.Repeat("x", 2000), learnerCreds(t, s), time.Now(), nil)
	if status != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d %s, want 413", status, body)
	}
}

func TestUnknownKeyThroughSDK(t *testing.T) {
	s := start(t)
	cfg := s.ConfigWith(aws.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"})
	_, err := sts.NewFromConfig(cfg).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	code, msg := apiError(t, err)
	if code != "InvalidClientTokenId" || msg != "The security token included in the request is invalid" {
		t.Errorf("got %s: %s", code, msg)
	}
}

func TestTrailRecordsCalls(t *testing.T) {
	s := start(t)
	events, cancel := s.Subscribe()
	defer cancel()
	if _, err := sts.NewFromConfig(s.Config("learner")).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatal(err)
	}
	select {
	case e := <-events:
		if e.Action != "sts:GetCallerIdentity" || e.PrincipalName != "learner" || !e.ReadOnly || e.ErrorCode != "" {
			b, _ := json.Marshal(e)
			t.Errorf("event = %s", b)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no trail event")
	}
	var buf bytes.Buffer
	s.trail.Close() // flush; Close on the server tolerates a closed trail
	if err := ReadTrail(context.Background(), s.Dir()+"/"+TrailFile, false, func(e svc.Event) error {
		buf.WriteString(e.Action + "\n")
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != "sts:GetCallerIdentity\n" {
		t.Errorf("trail file = %q", got)
	}
}
