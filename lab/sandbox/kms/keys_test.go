package kms

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestCreateKeySpecsAndUsages(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name, spec, usage string
		wantEnc, wantSign []string
		wantMac           []string
	}{
		{name: "default symmetric", wantEnc: []string{"SYMMETRIC_DEFAULT"}},
		{name: "rsa encrypt", spec: "RSA_2048", usage: "ENCRYPT_DECRYPT", wantEnc: []string{"RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"}},
		{name: "rsa sign", spec: "RSA_3072", usage: "SIGN_VERIFY", wantSign: rsaSigning},
		{name: "p256", spec: "ECC_NIST_P256", usage: "SIGN_VERIFY", wantSign: []string{"ECDSA_SHA_256"}},
		{name: "p384", spec: "ECC_NIST_P384", usage: "SIGN_VERIFY", wantSign: []string{"ECDSA_SHA_384"}},
		{name: "p521", spec: "ECC_NIST_P521", usage: "SIGN_VERIFY", wantSign: []string{"ECDSA_SHA_512"}},
		{name: "secp256k1", spec: "ECC_SECG_P256K1", usage: "SIGN_VERIFY", wantSign: []string{"ECDSA_SHA_256"}},
		{name: "hmac", spec: "HMAC_384", usage: "GENERATE_VERIFY_MAC", wantMac: []string{"HMAC_SHA_384"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := map[string]any{"Description": tt.name}
			if tt.spec != "" {
				in["KeySpec"], in["KeyUsage"] = tt.spec, tt.usage
			}
			m := h.must("CreateKey", in)["KeyMetadata"].(map[string]any)
			spec := tt.spec
			if spec == "" {
				spec = "SYMMETRIC_DEFAULT"
			}
			got := metadataFields(m)
			want := map[string]any{
				"AWSAccountId": testAccount, "Enabled": true, "Description": tt.name, "KeyState": "Enabled",
				"Origin": "AWS_KMS", "KeyManager": "CUSTOMER", "KeySpec": spec, "CustomerMasterKeySpec": spec,
				"MultiRegion": false, "EncryptionAlgorithms": anyList(tt.wantEnc), "SigningAlgorithms": anyList(tt.wantSign),
				"MacAlgorithms": anyList(tt.wantMac),
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("KeyMetadata (-want +got):\n%s", diff)
			}
			if m["Arn"] != "arn:aws:kms:us-east-1:"+testAccount+":key/"+m["KeyId"].(string) {
				t.Errorf("Arn = %v", m["Arn"])
			}
			if m["CreationDate"] != float64(h.clock.Now().Unix()) {
				t.Errorf("CreationDate = %v, want epoch seconds %d", m["CreationDate"], h.clock.Now().Unix())
			}
		})
	}
}

func metadataFields(m map[string]any) map[string]any {
	out := map[string]any{}
	for _, k := range []string{"AWSAccountId", "Enabled", "Description", "KeyState", "Origin", "KeyManager", "KeySpec",
		"CustomerMasterKeySpec", "MultiRegion", "EncryptionAlgorithms", "SigningAlgorithms", "MacAlgorithms"} {
		out[k] = m[k]
	}
	return out
}

func anyList(s []string) any {
	if s == nil {
		return nil
	}
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

func TestCreateKeyErrors(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name string
		in   map[string]any
		code string
		msg  string
	}{
		{"usage required for asymmetric", map[string]any{"KeySpec": "RSA_2048"}, "ValidationException",
			"You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys."},
		{"wrong pair", map[string]any{"KeySpec": "ECC_NIST_P256", "KeyUsage": "ENCRYPT_DECRYPT"}, "ValidationException",
			"KeyUsage ENCRYPT_DECRYPT is not compatible with KeySpec ECC_NIST_P256"},
		{"hmac sign", map[string]any{"KeySpec": "HMAC_256", "KeyUsage": "SIGN_VERIFY"}, "ValidationException",
			"KeyUsage SIGN_VERIFY is not compatible with KeySpec HMAC_256"},
		{"symmetric sign", map[string]any{"KeyUsage": "SIGN_VERIFY"}, "ValidationException",
			"KeyUsage SIGN_VERIFY is not compatible with KeySpec SYMMETRIC_DEFAULT"},
		{"unknown spec", map[string]any{"KeySpec": "AES_256"}, "ValidationException", "*"},
		{"unknown usage", map[string]any{"KeyUsage": "WRAP"}, "ValidationException", "*"},
		{"external origin", map[string]any{"Origin": "EXTERNAL"}, "UnsupportedOperationException", "*"},
		{"sm2", map[string]any{"KeySpec": "SM2", "KeyUsage": "SIGN_VERIFY"}, "UnsupportedOperationException", "*"},
		{"aws tag", map[string]any{"Tags": []map[string]string{{"TagKey": "aws:x", "TagValue": "y"}}}, "TagException", "*"},
		{"bad policy", map[string]any{"Policy": "{not json"}, "MalformedPolicyDocumentException", "*"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { h.fails("CreateKey", tt.in, tt.code, tt.msg) })
	}
}

func TestDefaultKeyPolicyIsAWSText(t *testing.T) {
	h := newHarness(t)
	id, _ := h.createKey(nil)
	got := h.must("GetKeyPolicy", map[string]any{"KeyId": id, "PolicyName": "default"})
	want := map[string]any{
		"PolicyName": "default",
		"Policy":     "{\n  \"Version\" : \"2012-10-17\",\n  \"Id\" : \"key-default-1\",\n  \"Statement\" : [ {\n    \"Sid\" : \"Enable IAM User Permissions\",\n    \"Effect\" : \"Allow\",\n    \"Principal\" : {\n      \"AWS\" : \"arn:aws:iam::111122223333:root\"\n    },\n    \"Action\" : \"kms:*\",\n    \"Resource\" : \"*\"\n  } ]\n}",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("GetKeyPolicy (-want +got):\n%s", diff)
	}
	if got := h.must("ListKeyPolicies", map[string]any{"KeyId": id}); !cmp.Equal(got, map[string]any{"PolicyNames": []any{"default"}, "Truncated": false}) {
		t.Errorf("ListKeyPolicies = %v", got)
	}
}

func TestKeyLookupErrors(t *testing.T) {
	h := newHarness(t)
	missing := "0b9e2c1d-1111-4222-8333-944455556666"
	tests := []struct{ keyID, code, msg string }{
		{missing, "NotFoundException", "Key 'arn:aws:kms:us-east-1:111122223333:key/" + missing + "' does not exist"},
		{"arn:aws:kms:us-east-1:111122223333:key/" + missing, "NotFoundException", "Key 'arn:aws:kms:us-east-1:111122223333:key/" + missing + "' does not exist"},
		{"fake-key-id", "NotFoundException", "Invalid keyId 'fake-key-id'"},
		{"alias/nope", "NotFoundException", "Alias arn:aws:kms:us-east-1:111122223333:alias/nope is not found."},
		{"", "ValidationException", "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null"},
	}
	for _, tt := range tests {
		t.Run(tt.keyID, func(t *testing.T) {
			h.fails("DescribeKey", map[string]any{"KeyId": tt.keyID}, tt.code, tt.msg)
		})
	}
}

func TestKeyStates(t *testing.T) {
	h := newHarness(t)
	id, arn := h.createKey(nil)
	enc := map[string]any{"KeyId": id, "Plaintext": []byte("hi")}
	h.must("DisableKey", map[string]any{"KeyId": id})
	h.fails("Encrypt", enc, "DisabledException", arn+" is disabled.")
	h.must("EnableKey", map[string]any{"KeyId": id})
	h.must("Encrypt", enc)

	h.fails("ScheduleKeyDeletion", map[string]any{"KeyId": id, "PendingWindowInDays": 6}, "ValidationException",
		"PendingWindowInDays must be between 7 and 30")
	h.fails("CancelKeyDeletion", map[string]any{"KeyId": id}, "KMSInvalidStateException", arn+" is not pending deletion.")
	out := h.must("ScheduleKeyDeletion", map[string]any{"KeyId": id})
	wantDate := float64(h.clock.Now().Add(30 * 24 * time.Hour).Unix())
	if diff := cmp.Diff(map[string]any{"KeyId": arn, "KeyState": "PendingDeletion", "PendingWindowInDays": float64(30),
		"DeletionDate": wantDate}, out); diff != "" {
		t.Errorf("ScheduleKeyDeletion (-want +got):\n%s", diff)
	}
	h.fails("Encrypt", enc, "KMSInvalidStateException", arn+" is pending deletion.")
	h.fails("ScheduleKeyDeletion", map[string]any{"KeyId": id}, "KMSInvalidStateException", arn+" is pending deletion.")
	h.fails("EnableKey", map[string]any{"KeyId": id}, "KMSInvalidStateException", arn+" is pending deletion.")
	md := h.must("DescribeKey", map[string]any{"KeyId": id})["KeyMetadata"].(map[string]any)
	if md["KeyState"] != "PendingDeletion" || md["DeletionDate"] != wantDate || md["Enabled"] != false {
		t.Errorf("DescribeKey while pending = %v", md)
	}
	h.must("CancelKeyDeletion", map[string]any{"KeyId": id})
	h.fails("Encrypt", enc, "DisabledException", arn+" is disabled.")
	h.must("EnableKey", map[string]any{"KeyId": id})

	// The sandbox clock drives deletion: after the window the key is gone.
	h.must("CreateAlias", map[string]any{"AliasName": "alias/doomed", "TargetKeyId": id})
	h.must("ScheduleKeyDeletion", map[string]any{"KeyId": id, "PendingWindowInDays": 7})
	h.clock.advance(7*24*time.Hour - time.Second)
	h.must("DescribeKey", map[string]any{"KeyId": id})
	h.clock.advance(time.Second)
	h.fails("DescribeKey", map[string]any{"KeyId": id}, "NotFoundException", "Key '"+arn+"' does not exist")
	h.fails("DescribeKey", map[string]any{"KeyId": "alias/doomed"}, "NotFoundException", "*")
	keys := h.must("ListKeys", nil)["Keys"].([]any)
	if len(keys) != 0 {
		t.Errorf("ListKeys after deletion = %v", keys)
	}
}

func TestListKeysPaginates(t *testing.T) {
	h := newHarness(t)
	var want []any
	for range 3 {
		id, arn := h.createKey(nil)
		want = append(want, map[string]any{"KeyId": id, "KeyArn": arn})
	}
	var got []any
	marker := ""
	for {
		in := map[string]any{"Limit": 2}
		if marker != "" {
			in["Marker"] = marker
		}
		out := h.must("ListKeys", in)
		got = append(got, out["Keys"].([]any)...)
		if out["Truncated"] != true {
			break
		}
		marker = out["NextMarker"].(string)
	}
	sortByKeyID := cmp.Transformer("sort", func(in []any) map[string]any {
		m := map[string]any{}
		for _, v := range in {
			m[v.(map[string]any)["KeyId"].(string)] = v
		}
		return m
	})
	if diff := cmp.Diff(want, got, sortByKeyID); diff != "" {
		t.Errorf("ListKeys (-want +got):\n%s", diff)
	}
	h.fails("ListKeys", map[string]any{"Limit": 0}, "ValidationException", "*")
}

func TestUpdateKeyDescriptionAndTags(t *testing.T) {
	h := newHarness(t)
	id, _ := h.createKey(map[string]any{"Tags": []map[string]string{{"TagKey": "team", "TagValue": "a"}}})
	h.must("UpdateKeyDescription", map[string]any{"KeyId": id, "Description": "new"})
	if d := h.must("DescribeKey", map[string]any{"KeyId": id})["KeyMetadata"].(map[string]any)["Description"]; d != "new" {
		t.Errorf("Description = %v", d)
	}
	h.must("TagResource", map[string]any{"KeyId": id, "Tags": []map[string]string{{"TagKey": "team", "TagValue": "b"}, {"TagKey": "env", "TagValue": "dev"}}})
	h.must("UntagResource", map[string]any{"KeyId": id, "TagKeys": []string{"env"}})
	got := h.must("ListResourceTags", map[string]any{"KeyId": id})
	want := map[string]any{"Tags": []any{map[string]any{"TagKey": "team", "TagValue": "b"}}, "Truncated": false}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ListResourceTags (-want +got):\n%s", diff)
	}
	// Tags become aws:ResourceTag condition keys.
	h.must("Encrypt", map[string]any{"KeyId": id, "Plaintext": []byte("x")})
	last := h.authz.asked[len(h.authz.asked)-1]
	if v := last.Context["aws:ResourceTag/team"]; !cmp.Equal(v, []string{"b"}) {
		t.Errorf("aws:ResourceTag/team = %v", v)
	}
}
