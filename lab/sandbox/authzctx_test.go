package sandbox

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/seclab-dev/seclab/lab/policy"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// TestContextMemo checks that a request context is reused only for equal
// inputs, and that what changes it (service keys, the clock's second, the
// caller's tags, Via) gives a fresh one with the new values.
func TestContextMemo(t *testing.T) {
	s := start(t)
	now := s.Now().Truncate(time.Second)
	req := func(via string, at time.Time) *svc.Request {
		r := &svc.Request{Ctx: context.Background(), ID: "1", Service: "kms", Operation: "Encrypt", Region: "us-east-1",
			Caller: learnerCaller(t, s), Now: at, Via: via}
		r.Event = svc.NewEvent(r)
		return r
	}
	authz := func(keys map[string][]string) svc.AuthzRequest {
		return svc.AuthzRequest{Action: "kms:Encrypt", Resource: "arn:aws:kms:us-east-1:111122223333:key/k", Context: keys}
	}
	input := func(r *svc.Request, a svc.AuthzRequest) *policy.Context {
		t.Helper()
		in, err := s.authz.input(r, a)
		if err != nil {
			t.Fatal(err)
		}
		return in.Request.Context
	}
	get := func(c *policy.Context, key string) string {
		v, _ := c.Get(key)
		if len(v) == 0 {
			return ""
		}
		return v[0]
	}
	app := map[string][]string{"kms:EncryptionContext:app": {"a"}}
	first := input(req("", now), authz(app))
	if again := input(req("", now.Add(500*time.Millisecond)), authz(map[string][]string{"kms:EncryptionContext:app": {"a"}})); again != first {
		t.Error("identical inputs in the same second built a new context")
	}
	cases := []struct {
		name      string
		r         *svc.Request
		keys      map[string][]string
		key, want string
	}{
		{"another encryption context", req("", now), map[string][]string{"kms:EncryptionContext:app": {"b"}}, "kms:EncryptionContext:app", "b"},
		{"the next second", req("", now.Add(time.Second)), app, "aws:EpochTime", strconv.FormatInt(now.Unix()+1, 10)},
		{"via a service", req("secretsmanager.us-east-1.amazonaws.com", now), app, "kms:ViaService", "secretsmanager.us-east-1.amazonaws.com"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := input(tc.r, authz(tc.keys))
			if c == first {
				t.Fatal("the context was reused")
			}
			if got := get(c, tc.key); got != tc.want {
				t.Errorf("%s = %q, want %q", tc.key, got, tc.want)
			}
		})
	}
	if _, err := iam.NewFromConfig(s.Config("learner")).TagUser(context.Background(), &iam.TagUserInput{UserName: aws.String("learner"),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}}); err != nil {
		t.Fatal(err)
	}
	if c := input(req("", now), authz(app)); get(c, "aws:PrincipalTag/team") != "blue" {
		t.Errorf("after TagUser, aws:PrincipalTag/team = %q", get(c, "aws:PrincipalTag/team"))
	}
}
