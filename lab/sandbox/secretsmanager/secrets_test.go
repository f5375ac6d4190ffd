package secretsmanager

import (
	"encoding/base64"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestCreateAndGetSecretValue(t *testing.T) {
	h := newHarness(t)
	out := h.must("alice", "CreateSecret", m{"Name": "seclab/db", "SecretString": "hunter2-very-secret", "Description": "db password"})
	arn := out["ARN"].(string)
	if !regexp.MustCompile(`^arn:aws:secretsmanager:us-east-1:111122223333:secret:seclab/db-[A-Za-z0-9]{6}$`).MatchString(arn) {
		t.Errorf("ARN %q lacks AWS's shape", arn)
	}
	vid := out["VersionId"].(string)
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(vid) {
		t.Errorf("VersionId %q is not a UUID", vid)
	}
	for _, id := range []string{"seclab/db", arn, strings.TrimSuffix(arn, arn[len(arn)-7:])} {
		got := h.must("alice", "GetSecretValue", m{"SecretId": id})
		want := m{"ARN": arn, "Name": "seclab/db", "VersionId": vid, "SecretString": "hunter2-very-secret",
			"VersionStages": []any{"AWSCURRENT"}, "CreatedDate": got["CreatedDate"]}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("GetSecretValue(%s) (-want +got):\n%s", id, d)
		}
	}
	if h.store.contains([]byte("hunter2-very-secret")) {
		t.Error("the plaintext value is in the store")
	}
	for _, e := range h.trail.events {
		if strings.Contains(e.ErrorMessage, "hunter2") {
			t.Error("the plaintext value is in the trail")
		}
	}
}

func TestSecretBinary(t *testing.T) {
	h := newHarness(t)
	blob := []byte{0, 1, 2, 0xff, 'x'}
	h.must("alice", "CreateSecret", m{"Name": "bin", "SecretBinary": blob})
	got := h.must("alice", "GetSecretValue", m{"SecretId": "bin"})
	if got["SecretBinary"] != base64.StdEncoding.EncodeToString(blob) || got["SecretString"] != nil {
		t.Errorf("got %v, want the binary value only", got)
	}
	_, err := h.call("alice", "CreateSecret", m{"Name": "both", "SecretBinary": blob, "SecretString": "x"})
	if code(err) != "InvalidParameterException: You can't specify both a binary secret value and a string secret value in the same secret." {
		t.Errorf("both values: %v", code(err))
	}
}

func TestEnvelopeEncryptionThroughKMS(t *testing.T) {
	h := newHarness(t)
	key := h.kms.createKey("alias/alice")
	out := h.must("alice", "CreateSecret", m{"Name": "s", "SecretString": "v", "KmsKeyId": "alias/alice"})
	arn, vid := out["ARN"].(string), out["VersionId"].(string)
	h.must("alice", "GetSecretValue", m{"SecretId": "s"})
	want := []kmsCall{
		{Op: "GenerateDataKey", Caller: "alice", Via: "secretsmanager.us-east-1.amazonaws.com", Key: "alias/alice",
			Context: map[string]string{"SecretARN": arn, "SecretVersionId": vid}},
		{Op: "Decrypt", Caller: "alice", Via: "secretsmanager.us-east-1.amazonaws.com", Key: key,
			Context: map[string]string{"SecretARN": arn, "SecretVersionId": vid}},
	}
	if d := cmp.Diff(want, h.kms.calls); d != "" {
		t.Errorf("KMS calls (-want +got):\n%s", d)
	}
	d := h.must("alice", "DescribeSecret", m{"SecretId": "s"})
	if d["KmsKeyId"] != key {
		t.Errorf("DescribeSecret KmsKeyId = %v, want %s", d["KmsKeyId"], key)
	}
}

func TestDefaultKeyCreatedOnFirstUse(t *testing.T) {
	h := newHarness(t)
	h.must("alice", "CreateSecret", m{"Name": "s", "SecretString": "v"})
	if d := cmp.Diff([]string{"GenerateDataKey"}, h.kms.ops()); d != "" {
		t.Errorf("KMS calls (-want +got):\n%s", d)
	}
	if _, ok := h.kms.aliases[defaultKeyAlias]; !ok {
		t.Fatal("aws/secretsmanager was not created")
	}
	h.kms.reset()
	h.must("alice", "PutSecretValue", m{"SecretId": "s", "SecretString": "v2"})
	if d := cmp.Diff([]string{"GenerateDataKey"}, h.kms.ops()); d != "" {
		t.Errorf("second write KMS calls (-want +got):\n%s", d)
	}
	if d := h.must("alice", "DescribeSecret", m{"SecretId": "s"}); d["KmsKeyId"] != nil {
		t.Errorf("DescribeSecret shows KmsKeyId %v for aws/secretsmanager", d["KmsKeyId"])
	}
}

func TestKMSFailures(t *testing.T) {
	h := newHarness(t)
	h.kms.createKey("alias/alice")
	h.must("alice", "CreateSecret", m{"Name": "s", "SecretString": "v", "KmsKeyId": "alias/alice"})

	h.kms.denied["bob"] = true
	_, err := h.call("bob", "GetSecretValue", m{"SecretId": "s"})
	if got := code(err); got != "AccessDeniedException: Access to KMS is not allowed" {
		t.Errorf("denied read: %s", got)
	}
	_, err = h.call("bob", "CreateSecret", m{"Name": "t", "SecretString": "v", "KmsKeyId": "alias/alice"})
	if got := code(err); got != "AccessDeniedException: Access to KMS is not allowed" {
		t.Errorf("denied create: %s", got)
	}
	if _, err := h.call("alice", "DescribeSecret", m{"SecretId": "t"}); code(err) != code(errNotFound()) {
		t.Errorf("a create KMS refused left a secret behind: %v", err)
	}

	for _, k := range h.kms.keys {
		k.disabled = true
	}
	_, err = h.call("alice", "GetSecretValue", m{"SecretId": "s"})
	if !strings.HasPrefix(code(err), "DecryptionFailure: ") {
		t.Errorf("disabled key read: %s", code(err))
	}
	_, err = h.call("alice", "PutSecretValue", m{"SecretId": "s", "SecretString": "v2"})
	if !strings.HasPrefix(code(err), "EncryptionFailure: ") {
		t.Errorf("disabled key write: %s", code(err))
	}
	_, err = h.call("alice", "CreateSecret", m{"Name": "u", "SecretString": "v", "KmsKeyId": "alias/nope"})
	if !strings.HasPrefix(code(err), "InvalidParameterException: ") {
		t.Errorf("missing key: %s", code(err))
	}
}

func TestCreateSecretErrors(t *testing.T) {
	h := newHarness(t)
	h.must("alice", "CreateSecret", m{"Name": "taken", "SecretString": "v"})
	h.must("alice", "CreateSecret", m{"Name": "gone", "SecretString": "v"})
	h.must("alice", "DeleteSecret", m{"SecretId": "gone"})
	tests := []struct {
		name string
		in   m
		want string
	}{
		{"bad name", m{"Name": "has space"}, "ValidationException: Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!"},
		{"long name", m{"Name": strings.Repeat("a", 513)}, "ValidationException: Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!"},
		{"no name", m{}, "ValidationException: 1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null"},
		{"exists", m{"Name": "taken", "SecretString": "x"}, "ResourceExistsException: The operation failed because the secret taken already exists."},
		{"scheduled", m{"Name": "gone", "SecretString": "x"}, "InvalidRequestException: You can't create this secret because a secret with this name is already scheduled for deletion."},
		{"short token", m{"Name": "n", "ClientRequestToken": "abc"}, "ValidationException: 1 validation error detected: Value at 'clientRequestToken' failed to satisfy constraint: Member must have length between 32 and 64"},
		{"big value", m{"Name": "n", "SecretString": strings.Repeat("x", 65537)}, "ValidationException: 1 validation error detected: Value at 'secretString' failed to satisfy constraint: Member must have length less than or equal to 65536"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := h.call("alice", "CreateSecret", tc.in)
			if d := cmp.Diff(tc.want, code(err)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestCreateSecretIdempotent(t *testing.T) {
	h := newHarness(t)
	tok := "11111111-2222-4333-8444-555555555555"
	first := h.must("alice", "CreateSecret", m{"Name": "s", "SecretString": "v", "ClientRequestToken": tok})
	again := h.must("alice", "CreateSecret", m{"Name": "s", "SecretString": "v", "ClientRequestToken": tok})
	if d := cmp.Diff(first, again); d != "" {
		t.Errorf("retry differs (-first +retry):\n%s", d)
	}
	if first["VersionId"] != tok {
		t.Errorf("VersionId = %v, want the token", first["VersionId"])
	}
	_, err := h.call("alice", "CreateSecret", m{"Name": "s", "SecretString": "other", "ClientRequestToken": tok})
	if code(err) != "ResourceExistsException: The operation failed because the secret s already exists." {
		t.Errorf("retry with another value: %s", code(err))
	}
}

func TestCreateWithoutValue(t *testing.T) {
	h := newHarness(t)
	out := h.must("alice", "CreateSecret", m{"Name": "empty"})
	if _, ok := out["VersionId"]; ok {
		t.Errorf("a secret without a value got a version: %v", out)
	}
	if len(h.kms.calls) != 0 {
		t.Errorf("KMS was called for a secret without value or key: %v", h.kms.ops())
	}
	_, err := h.call("alice", "GetSecretValue", m{"SecretId": "empty"})
	if code(err) != "ResourceNotFoundException: Secrets Manager can't find the specified secret value for staging label: AWSCURRENT" {
		t.Errorf("read empty: %s", code(err))
	}

	h.kms.createKey("alias/k")
	out = h.must("alice", "CreateSecret", m{"Name": "keyed", "KmsKeyId": "alias/k"})
	want := []kmsCall{
		{Op: "GenerateDataKey", Caller: "alice", Via: "secretsmanager.us-east-1.amazonaws.com", Key: "alias/k",
			Context: map[string]string{"SecretARN": out["ARN"].(string), "SecretVersionId": "RequestToValidateKeyAccess"}},
	}
	if d := cmp.Diff(want, h.kms.calls[:1]); d != "" || len(h.kms.calls) != 2 || h.kms.calls[1].Op != "Decrypt" {
		t.Errorf("key validation calls (-want +got):\n%s\n%v", d, h.kms.ops())
	}
}

func TestLastAccessedDate(t *testing.T) {
	h := newHarness(t)
	h.must("alice", "CreateSecret", m{"Name": "s", "SecretString": "v"})
	if d := h.must("alice", "DescribeSecret", m{"SecretId": "s"}); d["LastAccessedDate"] != nil {
		t.Errorf("LastAccessedDate before any read: %v", d["LastAccessedDate"])
	}
	h.clock.add(5 * time.Hour)
	h.must("alice", "GetSecretValue", m{"SecretId": "s"})
	d := h.must("alice", "DescribeSecret", m{"SecretId": "s"})
	want := float64(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).Unix())
	if d["LastAccessedDate"] != want {
		t.Errorf("LastAccessedDate = %v, want %v (the day)", d["LastAccessedDate"], want)
	}
}
