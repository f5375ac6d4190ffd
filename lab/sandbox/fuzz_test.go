package sandbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

func FuzzParseAuthorization(f *testing.F) {
	f.Add("AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20250101/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=abcd")
	f.Add("AWS4-HMAC-SHA256 Credential=//, SignedHeaders=, Signature=")
	f.Add("AWS4-HMAC-SHA256")
	f.Add("Basic dXNlcjpwYXNz")
	f.Add("")
	f.Fuzz(func(t *testing.T, h string) {
		a, err := parseAuthorization(h)
		if err != nil {
			if a != nil {
				t.Fatalf("error with a result: %v", err)
			}
			return
		}
		_ = a.Scope()
		_ = checkScope(a, "20250101T000000Z", "sts")
		// Verification must never panic either, whatever was parsed.
		r := httptest.NewRequest(http.MethodPost, "http://127.0.0.1/?d="+url.QueryEscape(a.Date), strings.NewReader(h))
		for _, sh := range a.SignedHeaders {
			r.Header.Set(sh, h)
		}
		_ = verifySignature(r, []byte(h), a, "20250101T000000Z", "secret")
		_ = scopeService(h)
	})
}

// fuzzServer is a sandbox whose service panics fail the fuzz run.
func fuzzServer(f *testing.F) (*Server, aws.Credentials) {
	s := New()
	if err := s.Start(); err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { s.Close() })
	id, secret, _, err := s.iam.PersonaKey("111122223333", "learner")
	if err != nil {
		f.Fatal(err)
	}
	return s, aws.Credentials{AccessKeyID: id, SecretAccessKey: secret}
}

// serveSigned signs a request as creds and runs it through ServeHTTP.
func serveSigned(t *testing.T, s *Server, creds aws.Credentials, service string, hdr map[string]string, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, s.URL+"/", strings.NewReader(body))
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	sum := sha256.Sum256([]byte(body))
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, hex.EncodeToString(sum[:]), service, "us-east-1", time.Now()); err != nil {
		t.Skip(err)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code == 0 || w.Header().Get("x-amzn-RequestId") == "" {
		t.Fatalf("no status or request id: %d", w.Code)
	}
	if w.Code >= 500 {
		t.Fatalf("internal failure for %q: %s", body, w.Body)
	}
	return w
}

// FuzzQueryProtocol feeds form bodies, signed, to IAM and STS: the Query
// decoder and every operation's parameter handling.
func FuzzQueryProtocol(f *testing.F) {
	s, creds := fuzzServer(f)
	for _, seed := range []string{
		"Action=GetCallerIdentity&Version=2011-06-15",
		"Action=CreateUser&Version=2010-05-08&UserName=bob&Path=/x/&Tags.member.1.Key=k&Tags.member.1.Value=v",
		"Action=PutUserPolicy&Version=2010-05-08&UserName=learner&PolicyName=p&PolicyDocument=%7B%7D",
		"Action=CreateRole&Version=2010-05-08&RoleName=r&AssumeRolePolicyDocument=%7B",
		"Action=ListUsers&Version=2010-05-08&MaxItems=1&Marker=3",
		"Action=SimulateCustomPolicy&Version=2010-05-08&PolicyInputList.member.1=%7B%7D&ActionNames.member.1=iam:ListUsers",
		"Action=AssumeRole&Version=2011-06-15&RoleArn=arn:aws:iam::111122223333:role/x&RoleSessionName=s1&DurationSeconds=-1",
		"Action=GetPolicyVersion&Version=2010-05-08&PolicyArn=arn:aws:iam::aws:policy/AdministratorAccess&VersionId=v1",
		"%zz",
	} {
		f.Add(seed)
	}
	s.onPanic = func(p any) { panic(fmt.Sprint("service panic: ", p)) }
	f.Fuzz(func(t *testing.T, body string) {
		service := "iam"
		if strings.Contains(body, "2011-06-15") {
			service = "sts"
		}
		serveSigned(t, s, creds, service, formHeaders, body)
	})
}

// FuzzJSONProtocol feeds arbitrary targets and bodies to the JSON front end.
func FuzzJSONProtocol(f *testing.F) {
	s, creds := fuzzServer(f)
	s.onPanic = func(p any) { panic(fmt.Sprint("service panic: ", p)) }
	f.Add("seclab.GetClock", "{}")
	f.Add("seclab.AdvanceClock", `{"Seconds": -5}`)
	f.Add("seclab.AdvanceClock", `{"Seconds": "x"}`)
	f.Add("TrentService.", "")
	f.Add("nope.Nope", "[")
	f.Fuzz(func(t *testing.T, target, body string) {
		service := "seclab"
		if p, _, ok := strings.Cut(target, "."); ok && p != "seclab" && p != "" {
			service = strings.ToLower(p)
		}
		if strings.ContainsAny(target, "\r\n\x00") {
			return // not a valid header value
		}
		serveSigned(t, s, creds, service, map[string]string{"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": target}, body)
	})
}

func FuzzParsePresigned(f *testing.F) {
	f.Add("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20250101%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20250101T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=ab")
	f.Add("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=-1")
	f.Add("X-Amz-Algorithm=x")
	f.Fuzz(func(t *testing.T, query string) {
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		p, err := parsePresigned(q)
		if err != nil {
			return
		}
		_ = p.checkTime(time.Now(), 15*time.Minute)
		_ = checkScope(p.auth, p.amzDate, "sts")
		r := httptest.NewRequest(http.MethodGet, "http://127.0.0.1/?"+q.Encode(), nil)
		_ = verifySignature(r, nil, p.auth, p.amzDate, "secret")
	})
}
