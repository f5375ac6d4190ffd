package policy

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestTemplatedConditionKeys: a key that fills in a templated catalog key
// (aws:ResourceTag/${TagKey}, secretsmanager:ResourceTag/tag-key,
// kms:EncryptionContext:${EncryptionContextKey}) is known and has the
// template's type; near misses are not.
func TestTemplatedConditionKeys(t *testing.T) {
	type res struct {
		Type  string
		Known bool
	}
	cases := []struct {
		key  string
		want res
	}{
		{"secretsmanager:ResourceTag/team", res{"String", true}},
		{"SecretsManager:resourcetag/Team", res{"String", true}},
		{"secretsmanager:ResourceTag/cost-center/app:web", res{"String", true}},
		{"aws:ResourceTag/team", res{"String", true}},
		{"aws:RequestTag/team", res{"String", true}},
		{"aws:PrincipalTag/department", res{"String", true}},
		{"iam:ResourceTag/team", res{"String", true}},
		{"kms:EncryptionContext:SecretARN", res{"String", true}},
		{"kms:EncryptionContext:aws:secretsmanager:arn", res{"String", true}},
		{"sts:RequestContext/team", res{"String", true}},
		{"token.actions.githubusercontent.com/org/repo:actor", res{"String", true}},
		{"agent.example.buildkite.dev:build_branch", res{"String", true}},
		// Keys listed as they are still win over templates.
		{"secretsmanager:ResourceTag/tag-key", res{"String", true}},
		{"kms:EncryptionContextKeys", res{"ArrayOfString", true}},
		{"aws:TagKeys", res{"ArrayOfString", true}},
		// A placeholder stands for at least one character.
		{"secretsmanager:ResourceTag/", res{"", false}},
		{"aws:ResourceTag/", res{"", false}},
		{"kms:EncryptionContext:", res{"", false}},
		{"agent..buildkite.dev:build_branch", res{"", false}},
		// Near misses.
		{"secretsmanager:ResourceTags/team", res{"", false}},
		{"secretsmanager:RequestTag/team", res{"", false}},
		{"kms:ResourceTag/team", res{"", false}},
		{"kms:EncryptionContextKey", res{"", false}},
		{"agent.example.buildkite.dev:nope", res{"", false}},
	}
	c := loadCatalog()
	for _, tc := range cases {
		t.Run(tc.key, func(t *testing.T) {
			typ, known := c.keyType(tc.key)
			if diff := cmp.Diff(tc.want, res{typ, known}); diff != "" {
				t.Errorf("keyType(%q) (-want +got):\n%s", tc.key, diff)
			}
		})
	}
}

// TestValidateTemplatedKeys: policies that use templated keys get no
// "invalid condition key" finding; a misspelled key still does.
func TestValidateTemplatedKeys(t *testing.T) {
	cond := func(c string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["secretsmanager:GetSecretValue","kms:Decrypt"],"Resource":"*","Condition":` + c + `}]}`
	}
	cases := []struct {
		name string
		doc  string
		want []string
	}{
		{"secretsmanager tag", cond(`{"StringEquals":{"secretsmanager:ResourceTag/team":"payments"}}`), nil},
		{"global resource and request tags", cond(`{"StringEquals":{"aws:ResourceTag/team":"payments","aws:RequestTag/env":"prod"}}`), nil},
		{"encryption context", cond(`{"StringEquals":{"kms:EncryptionContext:SecretARN":"arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf"}}`), nil},
		{"typed like the template", cond(`{"NumericLessThan":{"secretsmanager:ResourceTag/team":"3"}}`),
			[]string{"WARNING MISMATCHED_TYPE Statement[0].Condition.NumericLessThan.secretsmanager:ResourceTag/team"}},
		{"misspelled service key", cond(`{"StringEquals":{"secretsmanager:ResourceTags/team":"payments"}}`),
			[]string{"ERROR INVALID_SERVICE_CONDITION_KEY Statement[0].Condition.StringEquals.secretsmanager:ResourceTags/team"}},
		{"empty tag key", cond(`{"StringEquals":{"aws:ResourceTag/":"payments"}}`),
			[]string{"ERROR INVALID_GLOBAL_CONDITION_KEY Statement[0].Condition.StringEquals.aws:ResourceTag/"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, f := range Validate([]byte(tc.doc), Identity) {
				got = append(got, string(f.Severity)+" "+f.Code+" "+f.Path)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseKeyTemplate(t *testing.T) {
	cases := []struct {
		key   string
		parts []string
	}{
		{"aws:ResourceTag/${TagKey}", []string{"aws:resourcetag/", ""}},
		{"secretsmanager:ResourceTag/tag-key", []string{"secretsmanager:resourcetag/", ""}},
		{"agent.${Domain}.buildkite.dev:cluster_id", []string{"agent.", ".buildkite.dev:cluster_id"}},
		{"oidc.circleci.com/org/${OrgId}:oidc.circleci.com/project-id", []string{"oidc.circleci.com/org/", ":oidc.circleci.com/project-id"}},
		{"kms:ViaService", nil},
		{"x:${unclosed", nil},
	}
	for _, tc := range cases {
		tmpl, ok := parseKeyTemplate(tc.key, "String")
		if ok != (tc.parts != nil) {
			t.Errorf("parseKeyTemplate(%q) ok = %v", tc.key, ok)
			continue
		}
		if diff := cmp.Diff(tc.parts, tmpl.parts); diff != "" {
			t.Errorf("parseKeyTemplate(%q) parts (-want +got):\n%s", tc.key, diff)
		}
	}
}

// FuzzKeyTemplate: matching never panics, and a key built by filling every
// placeholder with non-empty text matches its template.
func FuzzKeyTemplate(f *testing.F) {
	f.Add("aws:ResourceTag/${TagKey}", "team", "aws:resourcetag/")
	f.Add("agent.${Domain}.buildkite.dev:${X}", "a.b", "agent..")
	f.Add("secretsmanager:ResourceTag/tag-key", "x", "")
	f.Fuzz(func(t *testing.T, key, fill, probe string) {
		tmpl, ok := parseKeyTemplate(key, "String")
		if !ok {
			return
		}
		tmpl.match(strings.ToLower(probe))
		if fill == "" {
			return
		}
		inst := strings.Join(tmpl.parts, strings.ToLower(fill))
		if !tmpl.match(inst) {
			t.Errorf("template %q does not match its instance %q", key, inst)
		}
	})
}
