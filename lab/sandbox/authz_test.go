package sandbox

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/seclab-dev/seclab/lab/sandbox/iam"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

func learnerCaller(t testing.TB, s *Server) svc.Caller {
	t.Helper()
	id, _, _, err := s.iam.PersonaKey(iam.LearnerAccount, iam.Learner)
	if err != nil {
		t.Fatal(err)
	}
	c, _, _, err := s.iam.AccessKey(id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestAuthorizerRecordsDecision(t *testing.T) {
	s := start(t)
	r := &svc.Request{Ctx: context.Background(), ID: "1", Service: "kms", Operation: "Decrypt", Region: "us-east-1",
		Caller: learnerCaller(t, s), Now: s.Now(), Via: "secretsmanager.us-east-1.amazonaws.com"}
	r.Event = svc.NewEvent(r)
	keyPolicy := `{"Version":"2012-10-17","Statement":[{"Sid":"ViaSM","Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Decrypt","Resource":"*",
		"Condition":{"StringEquals":{"kms:ViaService":"secretsmanager.us-east-1.amazonaws.com","kms:CallerAccount":"111122223333"}}}]}`
	err := s.authz.Authorize(r, svc.AuthzRequest{Action: "kms:Decrypt", Resource: "arn:aws:kms:us-east-1:111122223333:key/k",
		ResourcePolicy: keyPolicy, ResourcePolicyName: "key policy"})
	if err != nil {
		t.Fatalf("Decrypt via Secrets Manager: %v", err)
	}
	e := r.Event
	if e.Decision != "Allowed" || len(e.Statements) == 0 {
		t.Errorf("event decision %q statements %v", e.Decision, e.Statements)
	}
	// The explanation is built only when asked for, once.
	if len(e.Explanation) != 0 || e.Explainer == nil {
		t.Errorf("explanation built eagerly (%d bytes) or not offered", len(e.Explanation))
	}
	x := e.ExplanationJSON()
	if !json.Valid(x) || !strings.Contains(string(x), "kms:Decrypt") || !strings.Contains(string(x), "ViaSM") {
		t.Errorf("explanation = %.200s", x)
	}
	if y := e.ExplanationJSON(); &y[0] != &x[0] {
		t.Error("the explanation was built twice")
	}

	// Without Via, kms:ViaService is absent: only the identity policy can allow,
	// and the key policy does not delegate to IAM, so it is denied.
	r.Via = ""
	r.Event = svc.NewEvent(r)
	err = s.authz.Authorize(r, svc.AuthzRequest{Action: "kms:Decrypt", Resource: "arn:aws:kms:us-east-1:111122223333:key/k",
		ResourcePolicy: keyPolicy, ResourcePolicyName: "key policy"})
	ae, ok := err.(*svc.Error)
	if !ok || ae.Code != "AccessDeniedException" || ae.Status != 400 ||
		!strings.HasPrefix(ae.Message, "User: arn:aws:iam::111122223333:user/learner is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:111122223333:key/k") {
		t.Errorf("direct Decrypt = %v", err)
	}
	if r.Event.Decision != "ImplicitlyDenied" {
		t.Errorf("event decision %q", r.Event.Decision)
	}

	// A resource policy that does not parse denies.
	r.Event = svc.NewEvent(r)
	if err := s.authz.Authorize(r, svc.AuthzRequest{Action: "kms:Decrypt", Resource: "*", ResourcePolicy: "{", ResourcePolicyName: "key policy"}); err == nil {
		t.Error("an unreadable key policy allowed the call")
	}
}

// BenchmarkAuthorize is the authorizer's share of a call: cached principal
// policies, evaluation, explanation and event recording.
func BenchmarkAuthorize(b *testing.B) {
	s := start(b)
	r := &svc.Request{Ctx: context.Background(), ID: "1", Service: "iam", Operation: "ListUsers", Region: "us-east-1",
		Caller: learnerCaller(b, s), Now: s.Now()}
	a := svc.AuthzRequest{Action: "iam:ListUsers", Resource: "arn:aws:iam::111122223333:user/"}
	b.ReportAllocs()
	for b.Loop() {
		r.Event = svc.NewEvent(r)
		if err := s.authz.Authorize(r, a); err != nil {
			b.Fatal(err)
		}
	}
}
