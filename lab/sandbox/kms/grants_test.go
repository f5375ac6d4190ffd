package kms

import (
	"testing"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

func TestGrants(t *testing.T) {
	h := newHarness(t)
	id, arn := h.createKey(nil)
	// Policies allow nobody but the learner; grants must carry bob.
	h.authz.decide = func(r *svc.Request, a svc.AuthzRequest) error {
		if r.Caller.Name != "learner" {
			return denied(r, a.Action, a.Resource)
		}
		return nil
	}
	bobARN := "arn:aws:iam::111122223333:user/bob"
	bob := h.as("bob")
	ctx := map[string]string{"app": "x"}
	blob := b64(h.must("Encrypt", map[string]any{"KeyId": id, "Plaintext": []byte("p"), "EncryptionContext": ctx}), "CiphertextBlob")
	bob.fails("Decrypt", map[string]any{"CiphertextBlob": blob, "EncryptionContext": ctx}, "AccessDeniedException", "*")

	g := h.must("CreateGrant", map[string]any{"KeyId": id, "GranteePrincipal": bobARN, "Operations": []string{"Decrypt", "RetireGrant"},
		"Constraints": map[string]any{"EncryptionContextSubset": ctx}, "Name": "bob-decrypt"})
	grantID, token := g["GrantId"].(string), g["GrantToken"].(string)
	if len(grantID) != 64 || token == "" {
		t.Fatalf("CreateGrant = %v", g)
	}
	// The grant allows Decrypt under its constraint, and nothing else.
	req := bob.request("Decrypt", map[string]any{"CiphertextBlob": blob, "EncryptionContext": ctx, "GrantTokens": []string{token}})
	out, err := h.svc.Handle(req)
	if err != nil {
		t.Fatalf("Decrypt with grant: %v", err)
	}
	if string(out.(*decryptOutput).Plaintext) != "p" || req.Event.Layer != "grant" || req.Event.Decision != "Allowed" {
		t.Errorf("Decrypt with grant: %+v, event %+v", out, req.Event)
	}
	other := b64(h.must("Encrypt", map[string]any{"KeyId": id, "Plaintext": []byte("p"), "EncryptionContext": map[string]string{"app": "y"}}), "CiphertextBlob")
	bob.fails("Decrypt", map[string]any{"CiphertextBlob": other, "EncryptionContext": map[string]string{"app": "y"}}, "AccessDeniedException", "*")
	bob.fails("Encrypt", map[string]any{"KeyId": id, "Plaintext": []byte("p")}, "AccessDeniedException", "*")
	bob.fails("Decrypt", map[string]any{"CiphertextBlob": blob, "EncryptionContext": ctx, "GrantTokens": []string{"bogus"}}, "InvalidGrantTokenException", "*")

	list := h.must("ListGrants", map[string]any{"KeyId": id})["Grants"].([]any)
	if len(list) != 1 {
		t.Fatalf("ListGrants = %v", list)
	}
	e := list[0].(map[string]any)
	if e["GrantId"] != grantID || e["KeyId"] != arn || e["GranteePrincipal"] != bobARN || e["Name"] != "bob-decrypt" ||
		e["IssuingAccount"] != "arn:aws:iam::111122223333:root" {
		t.Errorf("grant entry = %v", e)
	}
	// The grantee may retire a grant that allows RetireGrant.
	bob.must("RetireGrant", map[string]any{"GrantToken": token})
	bob.fails("Decrypt", map[string]any{"CiphertextBlob": blob, "EncryptionContext": ctx}, "AccessDeniedException", "*")

	g2 := h.must("CreateGrant", map[string]any{"KeyId": id, "GranteePrincipal": bobARN, "Operations": []string{"Encrypt"}})
	h.must("RevokeGrant", map[string]any{"KeyId": id, "GrantId": g2["GrantId"]})
	h.fails("RevokeGrant", map[string]any{"KeyId": id, "GrantId": g2["GrantId"]}, "NotFoundException", "*")
	h.fails("CreateGrant", map[string]any{"KeyId": id, "GranteePrincipal": bobARN, "Operations": []string{"Fly"}}, "ValidationException", "*")

	// CreateGrant carries the grant condition keys.
	h.must("CreateGrant", map[string]any{"KeyId": id, "GranteePrincipal": bobARN, "Operations": []string{"Decrypt"}})
	var seen svc.AuthzRequest
	for _, a := range h.authz.asked {
		if a.Action == "kms:CreateGrant" {
			seen = a
		}
	}
	if got := seen.Context["kms:GrantOperations"]; len(got) != 1 || got[0] != "Decrypt" || seen.Context["kms:GrantIsForAWSResource"][0] != "false" {
		t.Errorf("CreateGrant context = %v", seen.Context)
	}
}
