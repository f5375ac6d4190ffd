package kms

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAliases(t *testing.T) {
	h := newHarness(t)
	a, aARN := h.createKey(nil)
	b, _ := h.createKey(nil)
	h.must("CreateAlias", map[string]any{"AliasName": "alias/app", "TargetKeyId": a})
	h.fails("CreateAlias", map[string]any{"AliasName": "alias/app", "TargetKeyId": b}, "AlreadyExistsException",
		"An alias with the name arn:aws:kms:us-east-1:111122223333:alias/app already exists")
	h.fails("CreateAlias", map[string]any{"AliasName": "app", "TargetKeyId": a}, "ValidationException",
		`Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html`)
	h.fails("CreateAlias", map[string]any{"AliasName": "alias/aws/mine", "TargetKeyId": a}, "InvalidAliasNameException", "*")
	h.fails("CreateAlias", map[string]any{"AliasName": "alias/bad name", "TargetKeyId": a}, "ValidationException", "*")

	if got := h.must("DescribeKey", map[string]any{"KeyId": "alias/app"})["KeyMetadata"].(map[string]any)["Arn"]; got != aARN {
		t.Errorf("alias resolves to %v, want %v", got, aARN)
	}
	// The alias becomes kms:RequestAlias and kms:ResourceAliases.
	h.must("Encrypt", map[string]any{"KeyId": "alias/app", "Plaintext": []byte("x")})
	ctx := h.authz.asked[len(h.authz.asked)-1].Context
	if !cmp.Equal(ctx["kms:RequestAlias"], []string{"alias/app"}) || !cmp.Equal(ctx["kms:ResourceAliases"], []string{"alias/app"}) {
		t.Errorf("alias condition keys = %v / %v", ctx["kms:RequestAlias"], ctx["kms:ResourceAliases"])
	}

	h.must("UpdateAlias", map[string]any{"AliasName": "alias/app", "TargetKeyId": b})
	list := h.must("ListAliases", map[string]any{"KeyId": b})["Aliases"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["AliasName"] != "alias/app" || list[0].(map[string]any)["TargetKeyId"] != b {
		t.Errorf("ListAliases(b) = %v", list)
	}
	if got := h.must("ListAliases", map[string]any{"KeyId": a})["Aliases"].([]any); len(got) != 0 {
		t.Errorf("ListAliases(a) = %v", got)
	}
	all := h.must("ListAliases", nil)["Aliases"].([]any)
	names := []string{}
	for _, e := range all {
		names = append(names, e.(map[string]any)["AliasName"].(string))
	}
	if diff := cmp.Diff([]string{"alias/app", "alias/aws/secretsmanager"}, names); diff != "" {
		t.Errorf("ListAliases names (-want +got):\n%s", diff)
	}
	if _, ok := all[1].(map[string]any)["TargetKeyId"]; ok {
		t.Error("the predefined alias has a target before its key exists")
	}
	h.must("DeleteAlias", map[string]any{"AliasName": "alias/app"})
	h.fails("DeleteAlias", map[string]any{"AliasName": "alias/app"}, "NotFoundException",
		"Alias arn:aws:kms:us-east-1:111122223333:alias/app is not found.")
}

func TestManagedSecretsManagerKey(t *testing.T) {
	h := newHarness(t)
	req := h.request("CreateSecret", nil)
	arn, err := h.svc.ResolveKeyFor(req, "secretsmanager.us-east-1.amazonaws.com", "alias/aws/secretsmanager")
	if err != nil {
		t.Fatal(err)
	}
	again, err := h.svc.ResolveKeyFor(req, "secretsmanager.us-east-1.amazonaws.com", "alias/aws/secretsmanager")
	if err != nil || again != arn {
		t.Fatalf("second ResolveKeyFor = %v, %v; want %v", again, err, arn)
	}
	md := h.must("DescribeKey", map[string]any{"KeyId": arn})["KeyMetadata"].(map[string]any)
	if md["KeyManager"] != "AWS" || md["Description"] != smDescription {
		t.Errorf("managed key metadata = %v", md)
	}
	pol := h.must("GetKeyPolicy", map[string]any{"KeyId": arn})["Policy"].(string)
	if _, err := prettyPolicy(pol); err != nil {
		t.Fatalf("managed key policy is not JSON: %v", err)
	}
	if again, _ := prettyPolicy(pol); again != pol {
		t.Error("managed key policy is not in KMS's stored layout")
	}
	for _, want := range []string{`"Id" : "auto-secretsmanager-1"`, `"kms:ViaService" : "secretsmanager.us-east-1.amazonaws.com"`,
		`"kms:CallerAccount" : "111122223333"`, `"Sid" : "Allow direct access to key metadata to the account"`} {
		if !strings.Contains(pol, want) {
			t.Errorf("managed key policy lacks %s", want)
		}
	}
	h.fails("DisableKey", map[string]any{"KeyId": arn}, "UnsupportedOperationException", "*")
}
