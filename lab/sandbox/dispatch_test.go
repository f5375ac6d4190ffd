package sandbox

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/seclab-dev/seclab/lab/sandbox/iam"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

func TestDispatcherCallsAsCaller(t *testing.T) {
	s := New()
	s.Register(echo{})
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	makeUser(t, s, "bob")
	events, cancel := s.Subscribe()
	defer cancel()
	caller := func(persona string) svc.Caller {
		id, _, _, err := s.iam.PersonaKey(iam.LearnerAccount, persona)
		if err != nil {
			t.Fatal(err)
		}
		c, _, _, err := s.iam.AccessKey(id)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	parent := &svc.Request{Ctx: context.Background(), ID: "req-1", Service: "cloudformation", Operation: "CreateStack",
		Region: "us-east-1", Caller: caller("learner"), Now: s.Now()}

	out, err := s.env.Dispatch.Call(parent, "iam", "GetUser", url.Values{"UserName": {"bob"}})
	if err != nil {
		t.Fatalf("dispatch iam:GetUser: %v", err)
	}
	var got struct{ User struct{ UserName string } }
	if err := json.Unmarshal(out, &got); err != nil || got.User.UserName != "bob" {
		t.Errorf("GetUser result %s (%v)", out, err)
	}
	if _, err := s.env.Dispatch.Call(parent, "echo", "Ping", map[string]string{}); err != nil {
		t.Errorf("dispatch JSON service: %v", err)
	}

	// The sub-call is authorized as the caller: bob is denied.
	parent.Caller = caller("bob")
	_, err = s.env.Dispatch.Call(parent, "iam", "ListUsers", nil)
	if ae, ok := err.(*svc.Error); !ok || ae.Code != "AccessDenied" {
		t.Errorf("dispatch as bob = %v, want AccessDenied", err)
	}
	if _, err := s.env.Dispatch.Call(parent, "nope", "X", nil); err == nil {
		t.Error("dispatch to an unknown service succeeded")
	}

	var vias []string
	timeout := time.After(5 * time.Second)
	for len(vias) < 3 {
		select {
		case e := <-events:
			vias = append(vias, e.Action+" via "+e.Via)
		case <-timeout:
			t.Fatalf("trail events: %v", vias)
		}
	}
	want := "iam:GetUser via cloudformation.us-east-1.amazonaws.com,echo:Ping via cloudformation.us-east-1.amazonaws.com,iam:ListUsers via cloudformation.us-east-1.amazonaws.com"
	if got := strings.Join(vias, ","); got != want {
		t.Errorf("trail = %s\nwant %s", got, want)
	}
}
