package kms

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

func TestPrettyPolicy(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}`,
			defaultKeyPolicy("111122223333")},
		{`{"a":[],"b":{},"c":[1,true,null,"x<y"],"d":[{"e":1},{"f":[2]}]}`,
			"{\n  \"a\" : [ ],\n  \"b\" : { },\n  \"c\" : [ 1, true, null, \"x<y\" ],\n  \"d\" : [ {\n    \"e\" : 1\n  }, {\n    \"f\" : [ 2 ]\n  } ]\n}"},
		{"{}", "{ }"},
	}
	for _, tt := range tests {
		got, err := prettyPolicy(tt.in)
		if err != nil {
			t.Fatalf("prettyPolicy(%s): %v", tt.in, err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("prettyPolicy(%s) (-want +got):\n%s", tt.in, diff)
		}
	}
	for _, bad := range []string{"", "[]", `{"a":1}x`, `{"a":`, `"s"`} {
		if _, err := prettyPolicy(bad); err == nil {
			t.Errorf("prettyPolicy(%q) succeeded", bad)
		}
	}
}

const alicePolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"Alice only","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"kms:*","Resource":"*"}]}`

// TestLockoutSafetyCheck simulates the caller's future PutKeyPolicy under
// the new policy; the fake authorizer allows PutKeyPolicy only when the
// policy names the caller.
func TestLockoutSafetyCheck(t *testing.T) {
	h := newHarness(t)
	h.authz.decide = func(r *svc.Request, a svc.AuthzRequest) error {
		if a.Action == "kms:PutKeyPolicy" && !strings.Contains(a.ResourcePolicy, r.Caller.ARN) && !strings.Contains(a.ResourcePolicy, ":root") {
			return denied(r, a.Action, a.Resource)
		}
		return nil
	}
	id, _ := h.createKey(nil)
	lockout := "The new key policy will not allow you to update the key policy in the future."
	h.fails("PutKeyPolicy", map[string]any{"KeyId": id, "Policy": alicePolicy}, "MalformedPolicyDocumentException", lockout)
	h.fails("CreateKey", map[string]any{"Policy": alicePolicy}, "MalformedPolicyDocumentException", lockout)
	h.as("alice").must("PutKeyPolicy", map[string]any{"KeyId": id, "Policy": alicePolicy})
	h.must("CreateKey", map[string]any{"Policy": alicePolicy, "BypassPolicyLockoutSafetyCheck": true})

	got := h.must("GetKeyPolicy", map[string]any{"KeyId": id})["Policy"]
	want := "{\n  \"Version\" : \"2012-10-17\",\n  \"Statement\" : [ {\n    \"Sid\" : \"Alice only\",\n    \"Effect\" : \"Allow\",\n    \"Principal\" : {\n      \"AWS\" : \"arn:aws:iam::111122223333:user/alice\"\n    },\n    \"Action\" : \"kms:*\",\n    \"Resource\" : \"*\"\n  } ]\n}"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stored policy (-want +got):\n%s", diff)
	}
	// The simulation never reaches the trail or the caller's event.
	for _, e := range h.trail.events {
		t.Errorf("unexpected trail event %+v", e)
	}
}

func TestPutKeyPolicyValidation(t *testing.T) {
	h := newHarness(t)
	id, _ := h.createKey(nil)
	h.fails("PutKeyPolicy", map[string]any{"KeyId": id}, "ValidationException", "*")
	h.fails("PutKeyPolicy", map[string]any{"KeyId": id, "Policy": `{"Version":"2012-10-17"}`}, "MalformedPolicyDocumentException", "*")
	h.fails("PutKeyPolicy", map[string]any{"KeyId": id, "Policy": "{" + strings.Repeat(" ", maxPolicyBytes) + "}"}, "LimitExceededException", "*")
	h.fails("PutKeyPolicy", map[string]any{"KeyId": id, "PolicyName": "other", "Policy": alicePolicy}, "NotFoundException", "*")
	// Statements without Resource are accepted, as KMS accepts them.
	h.must("PutKeyPolicy", map[string]any{"KeyId": id, "Policy": `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*"}]}`})
}

func TestAuthorizationDenialIsReturned(t *testing.T) {
	h := newHarness(t)
	id, arn := h.createKey(nil)
	h.authz.decide = func(r *svc.Request, a svc.AuthzRequest) error {
		if r.Caller.Name == "bob" {
			return denied(r, a.Action, a.Resource)
		}
		return nil
	}
	blob := b64(h.must("Encrypt", map[string]any{"KeyId": id, "Plaintext": []byte("x")}), "CiphertextBlob")
	h.as("bob").fails("Decrypt", map[string]any{"CiphertextBlob": blob}, "AccessDeniedException",
		"User: arn:aws:iam::111122223333:user/bob is not authorized to perform: kms:Decrypt on resource: "+arn+
			" because no resource-based policy allows the kms:Decrypt action")
	// Authorization comes before the key state check.
	h.must("DisableKey", map[string]any{"KeyId": id})
	h.as("bob").fails("Encrypt", map[string]any{"KeyId": id, "Plaintext": []byte("x")}, "AccessDeniedException", "*")
}

type knownPrincipals map[string]bool

func (k knownPrincipals) PrincipalExists(arn string) (bool, error) { return k[arn], nil }

func TestKeyPolicyPrincipalsMustExist(t *testing.T) {
	h := newHarness(t)
	id, _ := h.createKey(nil)
	h.svc.UsePrincipals(knownPrincipals{"arn:aws:iam::111122223333:user/alice": true})
	invalid := "Policy contains a statement with one or more invalid principals."
	typo := strings.ReplaceAll(alicePolicy, "user/alice", "user/alcie")
	h.fails("PutKeyPolicy", map[string]any{"KeyId": id, "Policy": typo, "BypassPolicyLockoutSafetyCheck": true},
		"MalformedPolicyDocumentException", invalid)
	h.fails("CreateKey", map[string]any{"Policy": typo, "BypassPolicyLockoutSafetyCheck": true}, "MalformedPolicyDocumentException", invalid)
	h.must("PutKeyPolicy", map[string]any{"KeyId": id, "Policy": alicePolicy, "BypassPolicyLockoutSafetyCheck": true})
	// Accounts, roots and "*" need no lookup.
	h.must("PutKeyPolicy", map[string]any{"KeyId": id, "Policy": `{"Statement":[{"Effect":"Allow","Principal":{"AWS":["*","444455556666","arn:aws:iam::444455556666:root"]},"Action":"kms:*","Resource":"*"}]}`})
}
