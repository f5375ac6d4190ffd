package secretsmanager

import (
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// stages returns VersionIdsToStages with version ids replaced by their
// labels in names (v1, v2, …).
func stages(t *testing.T, h *harness, id string, names map[string]string) map[string][]string {
	t.Helper()
	d := h.must("alice", "DescribeSecret", m{"SecretId": id})
	out := map[string][]string{}
	for vid, st := range d["VersionIdsToStages"].(map[string]any) {
		var labels []string
		for _, l := range st.([]any) {
			labels = append(labels, l.(string))
		}
		sort.Strings(labels)
		out[names[vid]] = labels
	}
	return out
}

func TestStageMovement(t *testing.T) {
	h := newHarness(t)
	names := map[string]string{}
	v1 := h.must("alice", "CreateSecret", m{"Name": "s", "SecretString": "one"})["VersionId"].(string)
	names[v1] = "v1"
	v2 := h.must("alice", "PutSecretValue", m{"SecretId": "s", "SecretString": "two"})
	names[v2["VersionId"].(string)] = "v2"
	if d := cmp.Diff([]any{"AWSCURRENT"}, v2["VersionStages"]); d != "" {
		t.Errorf("PutSecretValue VersionStages (-want +got):\n%s", d)
	}
	if d := cmp.Diff(map[string][]string{"v1": {"AWSPREVIOUS"}, "v2": {"AWSCURRENT"}}, stages(t, h, "s", names)); d != "" {
		t.Errorf("after put (-want +got):\n%s", d)
	}
	v3 := h.must("alice", "PutSecretValue", m{"SecretId": "s", "SecretString": "three", "VersionStages": []string{"AWSPENDING"}})["VersionId"].(string)
	names[v3] = "v3"
	if d := cmp.Diff(map[string][]string{"v1": {"AWSPREVIOUS"}, "v2": {"AWSCURRENT"}, "v3": {"AWSPENDING"}}, stages(t, h, "s", names)); d != "" {
		t.Errorf("after pending put (-want +got):\n%s", d)
	}
	// Promote the pending version as a rotation's finishSecret does.
	h.must("alice", "UpdateSecretVersionStage", m{"SecretId": "s", "VersionStage": "AWSCURRENT", "MoveToVersionId": v3, "RemoveFromVersionId": v2["VersionId"]})
	if d := cmp.Diff(map[string][]string{"v2": {"AWSPREVIOUS"}, "v3": {"AWSCURRENT", "AWSPENDING"}}, stages(t, h, "s", names)); d != "" {
		t.Errorf("after promotion (-want +got):\n%s", d)
	}
	h.must("alice", "UpdateSecretVersionStage", m{"SecretId": "s", "VersionStage": "AWSPENDING", "RemoveFromVersionId": v3})
	h.must("alice", "UpdateSecretVersionStage", m{"SecretId": "s", "VersionStage": "blue", "MoveToVersionId": v1})
	if d := cmp.Diff(map[string][]string{"v1": {"blue"}, "v2": {"AWSPREVIOUS"}, "v3": {"AWSCURRENT"}}, stages(t, h, "s", names)); d != "" {
		t.Errorf("after custom label (-want +got):\n%s", d)
	}
	for stage, want := range map[string]string{"AWSCURRENT": "three", "AWSPREVIOUS": "two", "blue": "one"} {
		if got := h.must("alice", "GetSecretValue", m{"SecretId": "s", "VersionStage": stage})["SecretString"]; got != want {
			t.Errorf("stage %s = %v, want %s", stage, got, want)
		}
	}
	if got := h.must("alice", "GetSecretValue", m{"SecretId": "s", "VersionId": v1, "VersionStage": "blue"})["SecretString"]; got != "one" {
		t.Errorf("by id and stage = %v", got)
	}

	list := h.must("alice", "ListSecretVersionIds", m{"SecretId": "s"})
	if n := len(list["Versions"].([]any)); n != 3 {
		t.Errorf("ListSecretVersionIds: %d versions, want 3", n)
	}
	h.must("alice", "UpdateSecretVersionStage", m{"SecretId": "s", "VersionStage": "blue", "RemoveFromVersionId": v1})
	if n := len(h.must("alice", "ListSecretVersionIds", m{"SecretId": "s"})["Versions"].([]any)); n != 2 {
		t.Errorf("deprecated version listed: %d versions, want 2", n)
	}
	if n := len(h.must("alice", "ListSecretVersionIds", m{"SecretId": "s", "IncludeDeprecated": true})["Versions"].([]any)); n != 3 {
		t.Errorf("IncludeDeprecated: %d versions, want 3", n)
	}
}

func TestStageErrors(t *testing.T) {
	h := newHarness(t)
	v1 := h.must("alice", "CreateSecret", m{"Name": "s", "SecretString": "one"})["VersionId"].(string)
	v2 := h.must("alice", "PutSecretValue", m{"SecretId": "s", "SecretString": "two"})["VersionId"].(string)
	missing := "00000000-0000-4000-8000-000000000000"
	tests := []struct {
		name, op string
		in       m
		want     string
	}{
		{"move without remove", "UpdateSecretVersionStage", m{"SecretId": "s", "VersionStage": "AWSCURRENT", "MoveToVersionId": v1},
			fmt.Sprintf("InvalidParameterException: The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version %s, so you must explicitly reference that version in RemoveFromVersionId.", v2)},
		{"remove current", "UpdateSecretVersionStage", m{"SecretId": "s", "VersionStage": "AWSCURRENT", "RemoveFromVersionId": v2},
			"InvalidParameterException: You can only move staging label AWSCURRENT to a different secret version. It can't be completely removed."},
		{"move to missing", "UpdateSecretVersionStage", m{"SecretId": "s", "VersionStage": "x", "MoveToVersionId": missing},
			"ResourceNotFoundException: Secrets Manager can't find the specified secret value for VersionId: " + missing},
		{"missing stage", "GetSecretValue", m{"SecretId": "s", "VersionStage": "AWSPENDING"},
			"ResourceNotFoundException: Secrets Manager can't find the specified secret value for staging label: AWSPENDING"},
		{"missing version", "GetSecretValue", m{"SecretId": "s", "VersionId": missing},
			"ResourceNotFoundException: Secrets Manager can't find the specified secret value for VersionId: " + missing},
		{"stage not on version", "GetSecretValue", m{"SecretId": "s", "VersionId": v1, "VersionStage": "AWSCURRENT"},
			"InvalidRequestException: You provided a VersionStage that is not associated to the provided VersionId."},
		{"missing secret", "GetSecretValue", m{"SecretId": "nope"}, "ResourceNotFoundException: Secrets Manager can't find the specified secret."},
		{"no secret id", "GetSecretValue", m{}, "ValidationException: 1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null"},
		{"put nothing", "PutSecretValue", m{"SecretId": "s"}, "InvalidParameterException: You must provide either SecretString or SecretBinary."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := h.call("alice", tc.op, tc.in)
			if d := cmp.Diff(tc.want, code(err)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestPutSecretValueIdempotency(t *testing.T) {
	h := newHarness(t)
	h.must("alice", "CreateSecret", m{"Name": "s", "SecretString": "one"})
	tok := "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
	first := h.must("alice", "PutSecretValue", m{"SecretId": "s", "SecretString": "two", "ClientRequestToken": tok})
	again := h.must("alice", "PutSecretValue", m{"SecretId": "s", "SecretString": "two", "ClientRequestToken": tok})
	if d := cmp.Diff(first, again); d != "" {
		t.Errorf("retry (-first +again):\n%s", d)
	}
	_, err := h.call("alice", "PutSecretValue", m{"SecretId": "s", "SecretString": "three", "ClientRequestToken": tok})
	if code(err) != "ResourceExistsException: You can't modify an existing version, you can only create a new version." {
		t.Errorf("changed value under a used token: %s", code(err))
	}
	if n := len(h.must("alice", "ListSecretVersionIds", m{"SecretId": "s", "IncludeDeprecated": true})["Versions"].([]any)); n != 2 {
		t.Errorf("%d versions, want 2", n)
	}
}

func TestVersionLimit(t *testing.T) {
	h := newHarness(t)
	h.must("alice", "CreateSecret", m{"Name": "s", "SecretString": "v0"})
	for i := 1; i < maxVersions; i++ {
		h.must("alice", "PutSecretValue", m{"SecretId": "s", "SecretString": fmt.Sprint("v", i)})
	}
	// 100 versions, 98 of them unlabeled but younger than a day.
	_, err := h.call("alice", "PutSecretValue", m{"SecretId": "s", "SecretString": "too many"})
	if code(err) == "" || code(err)[:len("LimitExceededException")] != "LimitExceededException" {
		t.Fatalf("101st version within a day: %s", code(err))
	}
	h.clock.add(25 * time.Hour)
	h.must("alice", "PutSecretValue", m{"SecretId": "s", "SecretString": "later"})
	all := h.must("alice", "ListSecretVersionIds", m{"SecretId": "s", "IncludeDeprecated": true, "MaxResults": 100})
	if n := len(all["Versions"].([]any)); n != maxVersions {
		t.Errorf("%d versions kept, want %d", n, maxVersions)
	}
	if got := h.must("alice", "GetSecretValue", m{"SecretId": "s", "VersionStage": "AWSPREVIOUS"})["SecretString"]; got != "v99" {
		t.Errorf("AWSPREVIOUS = %v after pruning, want v99", got)
	}
}

func TestUpdateSecretChangesKey(t *testing.T) {
	h := newHarness(t)
	k1 := h.kms.createKey("alias/one")
	k2 := h.kms.createKey("alias/two")
	h.must("alice", "CreateSecret", m{"Name": "s", "SecretString": "v1", "KmsKeyId": "alias/one"})
	h.kms.reset()
	out := h.must("alice", "UpdateSecret", m{"SecretId": "s", "KmsKeyId": "alias/two", "SecretString": "v2", "Description": "rotated by hand"})
	if out["VersionId"] == nil {
		t.Fatal("UpdateSecret with a value made no version")
	}
	if d := cmp.Diff([]string{"GenerateDataKey"}, h.kms.ops()); d != "" || h.kms.calls[0].Key != "alias/two" {
		t.Errorf("new value under the new key: calls %v (-want +got):\n%s", h.kms.calls, d)
	}
	d := h.must("alice", "DescribeSecret", m{"SecretId": "s"})
	if d["KmsKeyId"] != k2 || d["Description"] != "rotated by hand" {
		t.Errorf("DescribeSecret = %v", d)
	}
	h.kms.reset()
	if got := h.must("alice", "GetSecretValue", m{"SecretId": "s", "VersionStage": "AWSPREVIOUS"})["SecretString"]; got != "v1" {
		t.Errorf("previous = %v", got)
	}
	if h.kms.calls[0].Key != k1 {
		t.Errorf("the old version was decrypted with %s, want the old key", h.kms.calls[0].Key)
	}

	// A key change without a value re-encrypts the labeled versions.
	h.kms.reset()
	h.must("alice", "UpdateSecret", m{"SecretId": "s", "KmsKeyId": "alias/one"})
	if d := cmp.Diff([]string{"Decrypt", "GenerateDataKey", "Decrypt", "GenerateDataKey"}, h.kms.ops()); d != "" {
		t.Errorf("re-encryption calls (-want +got):\n%s", d)
	}
	h.kms.reset()
	for _, st := range []string{"AWSCURRENT", "AWSPREVIOUS"} {
		h.must("alice", "GetSecretValue", m{"SecretId": "s", "VersionStage": st})
	}
	for _, c := range h.kms.calls {
		if c.Key != k1 {
			t.Errorf("after moving back, %s used %s, want %s", c.Op, c.Key, k1)
		}
	}
}

func TestUpdateSecretSameKeyIsNoChange(t *testing.T) {
	h := newHarness(t)
	h.must("alice", "CreateSecret", m{"Name": "s", "SecretString": "v"})
	h.kms.reset()
	h.must("alice", "UpdateSecret", m{"SecretId": "s", "KmsKeyId": "alias/aws/secretsmanager"})
	if len(h.kms.calls) != 0 {
		t.Errorf("naming the key the secret already uses called KMS: %v", h.kms.ops())
	}
}
