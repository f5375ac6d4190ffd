package session

import (
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/google/go-cmp/cmp"
)

func TestAddTags(t *testing.T) {
	want := map[string]string{TagRun: "abc123", TagLesson: "kms-keys"}
	tests := []struct {
		name  string
		input any
		added bool
		tags  func(any) map[string]string
	}{
		{"kms create-key", &kms.CreateKeyInput{}, true, kmsTags},
		{"kms create-key keeps the learner's tags", &kms.CreateKeyInput{Tags: []kmstypes.Tag{{TagKey: aws.String("team"), TagValue: aws.String("a")}}}, true, kmsTags},
		{"secretsmanager create-secret", &secretsmanager.CreateSecretInput{}, true, func(in any) map[string]string {
			m := map[string]string{}
			for _, t := range in.(*secretsmanager.CreateSecretInput).Tags {
				m[aws.ToString(t.Key)] = aws.ToString(t.Value)
			}
			return m
		}},
		{"iam create-role, run tag already there", &iam.CreateRoleInput{Tags: []iamtypes.Tag{{Key: aws.String(TagRun), Value: aws.String("abc123")}}}, true, iamRoleTags},
		{"iam create-role, both there", &iam.CreateRoleInput{Tags: []iamtypes.Tag{{Key: aws.String(TagRun), Value: aws.String("abc123")}, {Key: aws.String(TagLesson), Value: aws.String("kms-keys")}}}, false, iamRoleTags},
		{"no Tags field", &kms.CreateAliasInput{}, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			added := addTags(reflect.ValueOf(tt.input).Elem(), want)
			if added != tt.added {
				t.Errorf("added = %v, want %v", added, tt.added)
			}
			if tt.tags == nil {
				return
			}
			got := tt.tags(tt.input)
			for k, v := range want {
				if got[k] != v {
					t.Errorf("tag %s = %q, want %q (all: %v)", k, got[k], v, got)
				}
			}
			if _, ok := reflect.TypeOf(tt.input).Elem().FieldByName("Tags"); ok && len(got) < 2 {
				t.Errorf("tags = %v", got)
			}
		})
	}
}

func kmsTags(in any) map[string]string {
	m := map[string]string{}
	for _, t := range in.(*kms.CreateKeyInput).Tags {
		m[aws.ToString(t.TagKey)] = aws.ToString(t.TagValue)
	}
	return m
}

func iamRoleTags(in any) map[string]string {
	m := map[string]string{}
	for _, t := range in.(*iam.CreateRoleInput).Tags {
		m[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return m
}

func TestTrustPrincipal(t *testing.T) {
	tests := map[string]string{
		"arn:aws:iam::111122223333:user/learner":              "arn:aws:iam::111122223333:user/learner",
		"arn:aws:sts::111122223333:assumed-role/Admin/jane":   "arn:aws:iam::111122223333:role/Admin",
		"arn:aws-us-gov:sts::111122223333:assumed-role/Lab/s": "arn:aws-us-gov:iam::111122223333:role/Lab",
		"arn:aws:iam::111122223333:root":                      "arn:aws:iam::111122223333:root",
		"not-an-arn:assumed-role/x/y":                         "not-an-arn:assumed-role/x/y",
	}
	for in, want := range tests {
		if diff := cmp.Diff(want, trustPrincipal(in)); diff != "" {
			t.Errorf("trustPrincipal(%q) (-want +got):\n%s", in, diff)
		}
	}
}

func TestTreeString(t *testing.T) {
	data := map[string]any{"KeyMetadata": map[string]any{"Arn": "arn:aws:kms:us-east-1:111122223333:key/k", "KeyId": "k"}}
	for _, tt := range []struct {
		path []string
		want string
	}{
		{[]string{"KeyMetadata", "Arn"}, "arn:aws:kms:us-east-1:111122223333:key/k"},
		{[]string{"KeyMetadata", "Missing"}, ""},
		{[]string{"KeyMetadata"}, ""},
		{nil, ""},
	} {
		if got := treeString(data, tt.path); got != tt.want {
			t.Errorf("treeString(%v) = %q, want %q", tt.path, got, tt.want)
		}
	}
}
