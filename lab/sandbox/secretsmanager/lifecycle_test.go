package secretsmanager

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

func TestDeleteAndRestore(t *testing.T) {
	h := newHarness(t)
	arn := h.must("alice", "CreateSecret", m{"Name": "s", "SecretString": "v", "Tags": []m{{"Key": "team", "Value": "a"}}})["ARN"].(string)
	out := h.must("alice", "DeleteSecret", m{"SecretId": "s", "RecoveryWindowInDays": 7})
	want := float64(h.clock.Now().Add(7 * 24 * time.Hour).Unix())
	if out["DeletionDate"] != want || out["ARN"] != arn {
		t.Errorf("DeleteSecret = %v, want DeletionDate %v", out, want)
	}
	marked := "InvalidRequestException: You can't perform this operation on the secret because it was marked for deletion."
	for _, tc := range []struct {
		op string
		in m
	}{
		{"GetSecretValue", m{"SecretId": "s"}},
		{"PutSecretValue", m{"SecretId": "s", "SecretString": "x"}},
		{"UpdateSecret", m{"SecretId": "s", "Description": "x"}},
		{"TagResource", m{"SecretId": "s", "Tags": []m{{"Key": "k", "Value": "v"}}}},
		{"UntagResource", m{"SecretId": "s", "TagKeys": []string{"team"}}},
		{"DeleteSecret", m{"SecretId": "s"}},
		{"PutResourcePolicy", m{"SecretId": "s", "ResourcePolicy": `{"Version":"2012-10-17","Statement":[]}`}},
	} {
		if _, err := h.call("alice", tc.op, tc.in); code(err) != marked {
			t.Errorf("%s on a scheduled secret: %s", tc.op, code(err))
		}
	}
	d := h.must("alice", "DescribeSecret", m{"SecretId": "s"})
	if d["DeletedDate"] == nil {
		t.Error("DescribeSecret shows no DeletedDate")
	}
	if n := len(h.must("alice", "ListSecrets", m{})["SecretList"].([]any)); n != 0 {
		t.Errorf("ListSecrets shows %d scheduled secrets", n)
	}
	if n := len(h.must("alice", "ListSecrets", m{"IncludePlannedDeletion": true})["SecretList"].([]any)); n != 1 {
		t.Errorf("IncludePlannedDeletion shows %d secrets", n)
	}
	h.must("alice", "RestoreSecret", m{"SecretId": "s"})
	if got := h.must("alice", "GetSecretValue", m{"SecretId": "s"})["SecretString"]; got != "v" {
		t.Errorf("after restore: %v", got)
	}

	// The virtual clock ends the recovery window.
	h.must("alice", "DeleteSecret", m{"SecretId": "s", "RecoveryWindowInDays": 7})
	h.clock.add(7*24*time.Hour - time.Second)
	if _, err := h.call("alice", "GetSecretValue", m{"SecretId": "s"}); code(err) != marked {
		t.Errorf("a second before the end: %s", code(err))
	}
	h.clock.add(time.Second)
	for _, op := range []string{"GetSecretValue", "DescribeSecret", "RestoreSecret"} {
		if _, err := h.call("alice", op, m{"SecretId": "s"}); code(err) != code(errNotFound()) {
			t.Errorf("%s after the window: %s", op, code(err))
		}
	}
	if h.store.contains([]byte(arn)) {
		t.Error("the expired secret is still stored after the first look-up")
	}
	again := h.must("alice", "CreateSecret", m{"Name": "s", "SecretString": "new"})
	if again["ARN"] == arn {
		t.Error("a recreated secret kept the old ARN")
	}
	if h.store.contains([]byte(arn)) {
		t.Error("the expired secret is still stored")
	}
}

func TestDeleteSecretOptions(t *testing.T) {
	h := newHarness(t)
	h.must("alice", "CreateSecret", m{"Name": "s", "SecretString": "v"})
	for _, tc := range []struct {
		in   m
		want string
	}{
		{m{"SecretId": "s", "RecoveryWindowInDays": 6}, "InvalidParameterException: The RecoveryWindowInDays value must be between 7 and 30 days (inclusive)."},
		{m{"SecretId": "s", "RecoveryWindowInDays": 31}, "InvalidParameterException: The RecoveryWindowInDays value must be between 7 and 30 days (inclusive)."},
		{m{"SecretId": "s", "RecoveryWindowInDays": 0, "ForceDeleteWithoutRecovery": true}, "InvalidParameterException: The RecoveryWindowInDays value must be between 7 and 30 days (inclusive)."},
		{m{"SecretId": "s", "RecoveryWindowInDays": 7, "ForceDeleteWithoutRecovery": true}, "InvalidParameterException: You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays."},
	} {
		if _, err := h.call("alice", "DeleteSecret", tc.in); code(err) != tc.want {
			t.Errorf("DeleteSecret(%v) = %s, want %s", tc.in, code(err), tc.want)
		}
	}
	out := h.must("alice", "DeleteSecret", m{"SecretId": "s"})
	if want := float64(h.clock.Now().Add(30 * 24 * time.Hour).Unix()); out["DeletionDate"] != want {
		t.Errorf("default window: DeletionDate %v, want %v", out["DeletionDate"], want)
	}
	h.must("alice", "DeleteSecret", m{"SecretId": "s", "ForceDeleteWithoutRecovery": true})
	if _, err := h.call("alice", "DescribeSecret", m{"SecretId": "s"}); code(err) != code(errNotFound()) {
		t.Errorf("after force delete: %s", code(err))
	}
	h.must("alice", "CreateSecret", m{"Name": "s", "SecretString": "v"})
}

func TestListSecretsFilters(t *testing.T) {
	h := newHarness(t)
	create := func(name, desc string, tags ...string) {
		var ts []m
		for i := 0; i+1 < len(tags); i += 2 {
			ts = append(ts, m{"Key": tags[i], "Value": tags[i+1]})
		}
		h.must("alice", "CreateSecret", m{"Name": name, "Description": desc, "Tags": ts})
		h.clock.add(time.Second)
	}
	create("prod/db", "Production database", "env", "prod", "team", "data")
	create("prod/api", "API key", "env", "prod")
	create("dev/db", "development DB", "env", "dev")
	create("DatabaseSecret", "other")
	tests := []struct {
		name    string
		filters []m
		want    []string
	}{
		{"none", nil, []string{"DatabaseSecret", "dev/db", "prod/api", "prod/db"}},
		{"name prefix", []m{{"Key": "name", "Values": []string{"prod/"}}}, []string{"prod/api", "prod/db"}},
		{"name is case-sensitive", []m{{"Key": "name", "Values": []string{"data"}}}, nil},
		{"description ignores case", []m{{"Key": "description", "Values": []string{"DEVELOPMENT"}}}, []string{"dev/db"}},
		{"tag key", []m{{"Key": "tag-key", "Values": []string{"team"}}}, []string{"prod/db"}},
		{"tag value", []m{{"Key": "tag-value", "Values": []string{"dev"}}}, []string{"dev/db"}},
		{"values OR", []m{{"Key": "name", "Values": []string{"dev/", "Data"}}}, []string{"DatabaseSecret", "dev/db"}},
		{"filters AND", []m{{"Key": "tag-value", "Values": []string{"prod"}}, {"Key": "name", "Values": []string{"prod/d"}}}, []string{"prod/db"}},
		{"negation", []m{{"Key": "name", "Values": []string{"!prod/"}}}, []string{"DatabaseSecret", "dev/db"}},
		{"all words", []m{{"Key": "all", "Values": []string{"database"}}}, []string{"DatabaseSecret", "prod/db"}},
		{"all splits camel case", []m{{"Key": "all", "Values": []string{"secret"}}}, []string{"DatabaseSecret"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := h.must("alice", "ListSecrets", m{"Filters": tc.filters, "SortOrder": "asc"})
			var got []string
			for _, e := range out["SecretList"].([]any) {
				got = append(got, e.(map[string]any)["Name"].(string))
			}
			sortStringsCopy := append([]string(nil), got...)
			sortStrings(sortStringsCopy)
			if d := cmp.Diff(tc.want, sortStringsCopy); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
	_, err := h.call("alice", "ListSecrets", m{"Filters": []m{{"Key": "colour", "Values": []string{"x"}}}})
	if !strings.HasPrefix(code(err), "ValidationException: 1 validation error detected: Value 'colour' at 'filters.1.member.key'") {
		t.Errorf("bad filter key: %s", code(err))
	}
}

func TestListSecretsPaging(t *testing.T) {
	h := newHarness(t)
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		h.must("alice", "CreateSecret", m{"Name": n})
		h.clock.add(time.Second)
	}
	var got []string
	tok := ""
	for range 10 {
		in := m{"MaxResults": 2, "SortOrder": "asc"}
		if tok != "" {
			in["NextToken"] = tok
		}
		out := h.must("alice", "ListSecrets", in)
		for _, e := range out["SecretList"].([]any) {
			got = append(got, e.(map[string]any)["Name"].(string))
		}
		next, _ := out["NextToken"].(string)
		if next == "" {
			break
		}
		tok = next
	}
	if d := cmp.Diff([]string{"a", "b", "c", "d", "e"}, got); d != "" {
		t.Errorf("pages (-want +got):\n%s", d)
	}
	h.clock.add(time.Minute)
	h.must("alice", "UpdateSecret", m{"SecretId": "b", "Description": "changed last"})
	byChange := h.must("alice", "ListSecrets", m{"SortBy": "last-changed-date", "SortOrder": "desc", "MaxResults": 1})
	if got := byChange["SecretList"].([]any)[0].(map[string]any)["Name"]; got != "b" {
		t.Errorf("first by last change, descending = %v, want b", got)
	}
	if _, err := h.call("alice", "ListSecrets", m{"SortBy": "size"}); !strings.HasPrefix(code(err), "ValidationException") {
		t.Errorf("bad SortBy: %s", code(err))
	}
	if _, err := h.call("alice", "ListSecrets", m{"NextToken": "garbage"}); code(err) != "InvalidNextTokenException: The NextToken value is invalid." {
		t.Errorf("bad token: %s", code(err))
	}
	if _, err := h.call("alice", "ListSecrets", m{"MaxResults": 0}); !strings.HasPrefix(code(err), "ValidationException") {
		t.Errorf("MaxResults 0: %s", code(err))
	}
}

func TestTags(t *testing.T) {
	h := newHarness(t)
	h.must("alice", "CreateSecret", m{"Name": "s", "Tags": []m{{"Key": "a", "Value": "1"}}})
	h.must("alice", "TagResource", m{"SecretId": "s", "Tags": []m{{"Key": "a", "Value": "2"}, {"Key": "b", "Value": "3"}}})
	h.must("alice", "UntagResource", m{"SecretId": "s", "TagKeys": []string{"b", "missing"}})
	h.must("alice", "TagResource", m{"SecretId": "s", "Tags": []m{{"Key": "c", "Value": ""}}})
	got := h.must("alice", "DescribeSecret", m{"SecretId": "s"})["Tags"]
	want := []any{map[string]any{"Key": "a", "Value": "2"}, map[string]any{"Key": "c", "Value": ""}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("tags (-want +got):\n%s", d)
	}
	var q svc.AuthzRequest
	for _, a := range h.authz.seen {
		if a.Action == "secretsmanager:TagResource" {
			q = a
		}
	}
	if d := cmp.Diff([]string{"c"}, q.Context["aws:TagKeys"]); d != "" {
		t.Errorf("aws:TagKeys (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"2"}, q.Context["secretsmanager:ResourceTag/a"]); d != "" {
		t.Errorf("ResourceTag (-want +got):\n%s", d)
	}
}
