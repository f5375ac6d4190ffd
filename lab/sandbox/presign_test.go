package sandbox

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

func TestPresignedQueryString(t *testing.T) {
	s := start(t)
	creds := learnerCreds(t, s)
	const empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	presign := func(query string, at time.Time) string {
		req, err := http.NewRequest(http.MethodGet, s.URL+"/?"+query, nil)
		if err != nil {
			t.Fatal(err)
		}
		u, _, err := v4.NewSigner().PresignHTTP(context.Background(), creds, req, empty, "sts", s.Region(), at)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	get := func(u string) (int, string) {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	tests := []struct {
		name     string
		url      string
		status   int
		contains string
	}{
		{"valid", presign("Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Expires=60", time.Now()), 200,
			"<Arn>arn:aws:iam::111122223333:user/learner</Arn>"},
		{"expired", presign("Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Expires=60", time.Now().Add(-10*time.Minute)), 403,
			"Signature expired"},
		{"tampered", strings.Replace(presign("Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Expires=60", time.Now()),
			"Action=GetCallerIdentity", "Action=GetSessionToken", 1), 403, "SignatureDoesNotMatch"},
		{"missing signature", s.URL + "/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256", 400,
			"IncompleteSignature"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := get(tt.url)
			if status != tt.status || !strings.Contains(body, tt.contains) {
				t.Errorf("got %d %s\nwant %d containing %q", status, body, tt.status, tt.contains)
			}
		})
	}
}
