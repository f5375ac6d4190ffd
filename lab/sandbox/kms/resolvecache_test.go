package kms_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
)

// TestResolveSeesWrites checks that remembered KeyId lookups never outlive
// a write: disabling a key, re-enabling it and pointing an alias at another
// key take effect on the very next Encrypt.
func TestResolveSeesWrites(t *testing.T) {
	l := newLab(t)
	c := l.kms("learner")
	first, firstARN := l.createKey(nil)
	_, secondARN := l.createKey(nil)
	if _, err := c.CreateAlias(l.ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/app"), TargetKeyId: &first}); err != nil {
		t.Fatal(err)
	}
	encrypt := func(keyID string) (string, string) {
		out, err := c.Encrypt(l.ctx, &kms.EncryptInput{KeyId: aws.String(keyID), Plaintext: []byte("x")})
		if err != nil {
			code, _, _ := strings.Cut(apiError(err), ":")
			return "", code
		}
		return aws.ToString(out.KeyId), ""
	}
	steps := []struct {
		name     string
		change   func() error
		keyID    string
		wantKey  string
		wantCode string
	}{
		{"by ID", nil, first, firstARN, ""},
		{"by alias", nil, "alias/app", firstARN, ""},
		{"disabled", func() error { _, err := c.DisableKey(l.ctx, &kms.DisableKeyInput{KeyId: &first}); return err }, first, "", "DisabledException"},
		{"re-enabled", func() error { _, err := c.EnableKey(l.ctx, &kms.EnableKeyInput{KeyId: &first}); return err }, first, firstARN, ""},
		{"alias moved", func() error {
			_, err := c.UpdateAlias(l.ctx, &kms.UpdateAliasInput{AliasName: aws.String("alias/app"), TargetKeyId: aws.String(secondARN)})
			return err
		}, "alias/app", secondARN, ""},
		{"alias deleted", func() error {
			_, err := c.DeleteAlias(l.ctx, &kms.DeleteAliasInput{AliasName: aws.String("alias/app")})
			return err
		}, "alias/app", "", "NotFoundException"},
	}
	for _, st := range steps {
		if st.change != nil {
			if err := st.change(); err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
		}
		for range 2 { // the second call may be answered from memory
			if key, code := encrypt(st.keyID); key != st.wantKey || code != st.wantCode {
				t.Errorf("%s: Encrypt = %q, %q; want %q, %q", st.name, key, code, st.wantKey, st.wantCode)
			}
		}
	}
}
