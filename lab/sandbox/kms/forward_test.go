package kms

import (
	"testing"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

func TestForwardAccess(t *testing.T) {
	h := newHarness(t)
	id, arn := h.createKey(nil)
	parent := h.request("CreateSecret", nil)
	parent.Service, parent.Operation = "secretsmanager", "CreateSecret"
	via := "secretsmanager.us-east-1.amazonaws.com"
	ctx := map[string]string{"SecretARN": "arn:aws:secretsmanager:us-east-1:111122223333:secret:s-abcdef", "SecretVersionId": "v1"}
	var vias []string
	h.authz.decide = func(r *svc.Request, a svc.AuthzRequest) error {
		vias = append(vias, r.Via)
		return nil
	}
	pt, blob, keyARN, err := h.svc.GenerateDataKeyFor(parent, via, id, ctx)
	if err != nil || len(pt) != 32 || keyARN != arn {
		t.Fatalf("GenerateDataKeyFor = %d bytes, %v, %v", len(pt), keyARN, err)
	}
	got, keyARN, err := h.svc.DecryptFor(parent, via, blob, ctx)
	if err != nil || string(got) != string(pt) || keyARN != arn {
		t.Fatalf("DecryptFor = %v, %v", keyARN, err)
	}
	if _, _, err := h.svc.DecryptFor(parent, via, blob, map[string]string{"SecretARN": "other"}); err == nil {
		t.Error("DecryptFor accepted a different encryption context")
	}
	if len(h.trail.events) != 3 {
		t.Fatalf("trail has %d events, want 3", len(h.trail.events))
	}
	e := h.trail.events[0]
	if e.Action != "kms:GenerateDataKey" || e.Via != via || e.Decision != "Allowed" || e.Resources[0] != arn || !e.ReadOnly {
		t.Errorf("trail event = %+v", e)
	}
	if last := h.trail.events[2]; last.ErrorCode != "InvalidCiphertextException" {
		t.Errorf("failed DecryptFor event = %+v", last)
	}
	for _, v := range vias {
		if v != via {
			t.Errorf("authorized with Via %q, want %q", v, via)
		}
	}
	// Disabled keys surface KMS's own error.
	h.must("DisableKey", map[string]any{"KeyId": id})
	if _, _, _, err := h.svc.GenerateDataKeyFor(parent, via, id, ctx); err == nil || err.(*svc.Error).Code != "DisabledException" {
		t.Errorf("GenerateDataKeyFor on a disabled key: %v", err)
	}
	// The AWS managed key is created on first use.
	if _, _, k, err := h.svc.GenerateDataKeyFor(parent, via, "alias/aws/secretsmanager", ctx); err != nil || k == "" {
		t.Errorf("GenerateDataKeyFor aws/secretsmanager: %v %v", k, err)
	}
}
