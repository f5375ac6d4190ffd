package console

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var created = time.Date(2026, 3, 4, 5, 6, 7, 891000000, time.UTC)

// cannedOutputs are SDK outputs as a service would return them.
var cannedOutputs = map[string]struct {
	op  string
	out any
}{
	"caller": {"GetCallerIdentity", &sts.GetCallerIdentityOutput{
		Account: aws.String("111122223333"), Arn: aws.String("arn:aws:iam::111122223333:user/learner"), UserId: aws.String("AIDAEXAMPLEID12345678")}},
	"describe-key": {"DescribeKey", &kms.DescribeKeyOutput{KeyMetadata: &kmstypes.KeyMetadata{
		KeyId: aws.String("1234abcd-12ab-34cd-56ef-1234567890ab"), Arn: aws.String("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
		AWSAccountId: aws.String("111122223333"), CreationDate: &created, Enabled: true, Description: aws.String("alice's key"),
		KeyUsage: kmstypes.KeyUsageTypeEncryptDecrypt, KeyState: kmstypes.KeyStateEnabled, Origin: kmstypes.OriginTypeAwsKms,
		KeyManager: kmstypes.KeyManagerTypeCustomer, KeySpec: kmstypes.KeySpecSymmetricDefault, CustomerMasterKeySpec: kmstypes.CustomerMasterKeySpecSymmetricDefault,
		EncryptionAlgorithms: []kmstypes.EncryptionAlgorithmSpec{kmstypes.EncryptionAlgorithmSpecSymmetricDefault}, MultiRegion: aws.Bool(false)}}},
	"encrypt": {"Encrypt", &kms.EncryptOutput{CiphertextBlob: []byte("\x01\x02\x03ciphertext"), KeyId: aws.String("arn:aws:kms:us-east-1:111122223333:key/k1"),
		EncryptionAlgorithm: kmstypes.EncryptionAlgorithmSpecSymmetricDefault}},
	"list-aliases": {"ListAliases", &kms.ListAliasesOutput{Aliases: []kmstypes.AliasListEntry{
		{AliasName: aws.String("alias/alice"), AliasArn: aws.String("arn:aws:kms:us-east-1:111122223333:alias/alice"), TargetKeyId: aws.String("k1"), CreationDate: &created},
		{AliasName: aws.String("alias/aws/secretsmanager"), AliasArn: aws.String("arn:aws:kms:us-east-1:111122223333:alias/aws/secretsmanager")},
	}, Truncated: false}},
	"secret-value": {"GetSecretValue", &secretsmanager.GetSecretValueOutput{ARN: aws.String("arn:aws:secretsmanager:us-east-1:111122223333:secret:seclab/db-a1B2c3"),
		Name: aws.String("seclab/db"), VersionId: aws.String("v1"), SecretString: aws.String(`{"password":"<hunter2>"}`),
		VersionStages: []string{"AWSCURRENT"}, CreatedDate: &created}},
	"list-users": {"ListUsers", &iam.ListUsersOutput{Users: []iamtypes.User{
		{UserName: aws.String("alice"), UserId: aws.String("AIDAALICE"), Arn: aws.String("arn:aws:iam::111122223333:user/alice"), Path: aws.String("/"), CreateDate: &created,
			Tags: []iamtypes.Tag{{Key: aws.String("team"), Value: aws.String("red")}}},
		{UserName: aws.String("bob"), UserId: aws.String("AIDABOB"), Arn: aws.String("arn:aws:iam::111122223333:user/bob"), Path: aws.String("/"), CreateDate: &created},
	}}},
	"enable-key": {"EnableKey", &kms.EnableKeyOutput{}},
	"context":    {"Decrypt", &kms.DecryptOutput{KeyId: aws.String("k1"), Plaintext: []byte("hello"), EncryptionAlgorithm: kmstypes.EncryptionAlgorithmSpecSymmetricDefault}},
}

func TestFormatGolden(t *testing.T) {
	cases := []struct {
		name, canned, query, format string
		width                       int
	}{
		{"caller.json", "caller", "", "json", 80},
		{"caller.text", "caller", "", "text", 80},
		{"caller.table", "caller", "", "table", 80},
		{"describe-key.json", "describe-key", "", "json", 80},
		{"describe-key.text", "describe-key", "", "text", 80},
		{"describe-key.table", "describe-key", "", "table", 200},
		{"describe-key.narrow.table", "describe-key", "", "table", 80},
		{"describe-key.query.json", "describe-key", "KeyMetadata.[KeyId, KeyState]", "json", 80},
		{"describe-key.query.text", "describe-key", "KeyMetadata.KeyState", "text", 80},
		{"encrypt.json", "encrypt", "", "json", 80},
		{"encrypt.query.text", "encrypt", "CiphertextBlob", "text", 80},
		{"list-aliases.json", "list-aliases", "", "json", 80},
		{"list-aliases.text", "list-aliases", "", "text", 80},
		{"list-aliases.table", "list-aliases", "", "table", 200},
		{"list-aliases.query.json", "list-aliases", "Aliases[?starts_with(AliasName, 'alias/aws/')].AliasName", "json", 80},
		{"secret-value.json", "secret-value", "", "json", 80},
		{"list-users.text", "list-users", "", "text", 80},
		{"list-users.table", "list-users", "", "table", 200},
		{"enable-key.json", "enable-key", "", "json", 80},
		{"context.query.json", "context", "Missing", "json", 80},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := cannedOutputs[tc.canned]
			got, err := Format(toTree(c.out), tc.query, tc.format, c.op, tc.width)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name, got)
		})
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", name, diff)
	}
}

func TestFormatTimestamps(t *testing.T) {
	got := []string{
		formatTime(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)),
		formatTime(time.Date(2026, 1, 2, 3, 4, 5, 120000000, time.FixedZone("x", 3600))),
	}
	want := []string{"2026-01-02T03:04:05+00:00", "2026-01-02T02:04:05.120000+00:00"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Error(diff)
	}
}

func TestFormatBadQuery(t *testing.T) {
	_, err := Format(map[string]any{}, "Keys[", "json", "ListKeys", 80)
	if err == nil || !strings.HasPrefix(cliError(nil, "", err).Message, "aws: error: argument --query: Bad value for --query Keys[") {
		t.Fatalf("err = %v", err)
	}
}

func TestLegacyLiterals(t *testing.T) {
	tests := map[string]string{
		"Aliases[?AliasName==`alias/demo`]": "Aliases[?AliasName==`\"alias/demo\"`]",
		"Keys[?Enabled==`true`]":            "Keys[?Enabled==`true`]",
		"length(Keys) > `0`":                "length(Keys) > `0`",
		"Name == 'a`b'":                     "Name == 'a`b'",
		"Tags[?Key==`team`].Value | [0]":    "Tags[?Key==`\"team\"`].Value | [0]",
		"unterminated `x":                   "unterminated `x",
	}
	for in, want := range tests {
		if got := legacyLiterals(in); got != want {
			t.Errorf("legacyLiterals(%q) = %q, want %q", in, got, want)
		}
	}
	got, err := Search("Aliases[?AliasName==`alias/demo`].TargetKeyId", map[string]any{"Aliases": []any{map[string]any{"AliasName": "alias/demo", "TargetKeyId": "k1"}}})
	if err != nil || !cmp.Equal(got, []any{"k1"}) {
		t.Errorf("Search = %v, %v", got, err)
	}
}
