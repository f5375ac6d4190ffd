package console

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseErrors(t *testing.T) {
	ws := testWorkspace(t)
	resolve := func(p string) string { return filepath.Join(ws, p) }
	tests := []struct {
		line string
		want string
	}{
		{"aws", "aws: error: the following arguments are required: command"},
		{"aws kms", "aws: error: the following arguments are required: operation"},
		{"aws kmss list-keys", "aws: error: argument command: Invalid choice: 'kmss', maybe you meant:\n\n  * kms"},
		{"aws ec2 describe-instances", "aws: error: argument command: Invalid choice, valid choices are:\n\n" +
			"cloudformation                           | iam\n" +
			"kms                                      | secretsmanager\n" +
			"sts"},
		{"aws kms encryt --key-id k", "aws: error: argument operation: Invalid choice: 'encryt', maybe you meant:\n\n  * encrypt"},
		{"aws kms encrypt --kye-id k --plaintext aGk=", "aws: error: Unknown options: --kye-id, k\n\nUnknown option: '--kye-id', maybe you meant:\n\n  * --key-id"},
		{"aws kms encrypt --key-id", "aws: error: argument --key-id: expected one argument"},
		{"aws kms encrypt --key-id k --grant-tokens", "aws: error: argument --grant-tokens: expected at least one argument"},
		{"aws kms encrypt --key-id k --plaintext 'not base64!'", `Invalid base64: "not base64!"`},
		{"aws kms encrypt --key-id k --plaintext file://missing.txt", "Error parsing parameter '--plaintext': Unable to load paramfile file://missing.txt: [Errno 2] No such file or directory: 'missing.txt'"},
		{"aws kms create-key --tags TagKey", "Error parsing parameter '--tags': Expected: '=', received: 'EOF' for input:\nTagKey\n      ^"},
		{"aws kms create-key --tags Foo=bar", "Parameter validation failed:\nUnknown parameter in Tags[0]: \"Foo\", must be one of: TagKey, TagValue"},
		{`aws kms encrypt --key-id k --encryption-context '{"a": 1}'`, "Parameter validation failed:\nInvalid type for parameter EncryptionContext.a, value: 1, type: number, valid types: string"},
		{`aws kms encrypt --key-id k --encryption-context '{"a": '`, "Error parsing parameter '--encryption-context': Invalid JSON: unexpected EOF\nJSON received: {\"a\": "},
		{"aws kms schedule-key-deletion --key-id k --pending-window-in-days seven", "Parameter validation failed:\nInvalid type for parameter PendingWindowInDays, value: seven, type: string, valid types: integer"},
		{"aws kms create-key --multi-region=yes", "aws: error: argument --multi-region: ignored explicit argument 'yes'"},
		{"aws kms list-keys --output xml", "aws: error: argument --output: Invalid choice, valid choices are:\n\njson                                     | text\ntable                                    | yaml\nyaml-stream                              | off"},
		{"aws kms list-keys --output yaml", "aws: error: --output yaml is not available in the lab console: use json, text or table"},
		{"aws kms list-keys --endpoint-url http://x", "aws: error: --endpoint-url is not available in the lab console: it always talks to the current target"},
		{"aws kms list-keys stray", "aws: error: Unknown options: stray"},
		{"aws --bogus kms list-keys", "aws: error: the following arguments are required: command"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			words, err := Split(tt.line)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Parse(words, resolve)
			if err == nil {
				t.Fatal("Parse succeeded, want an error")
			}
			got := cliError(nil, "", err).Message
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("message (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		line string
		want []string
		err  bool
	}{
		{"aws kms  list-keys", []string{"aws", "kms", "list-keys"}, false},
		{`a 'b c' "d \"e\" \$f" g\ h`, []string{"a", "b c", `d "e" $f`, "g h"}, false},
		{`--x='{"a": "b"}'`, []string{`--x={"a": "b"}`}, false},
		{`''`, []string{""}, false},
		{`'unterminated`, nil, true},
		{`"unterminated`, nil, true},
		{`trailing\`, nil, true},
	}
	for _, tt := range tests {
		got, err := Split(tt.line)
		if (err != nil) != tt.err {
			t.Errorf("Split(%q) error = %v, want error %v", tt.line, err, tt.err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Split(%q) (-want +got):\n%s", tt.line, diff)
		}
	}
}

func TestKebab(t *testing.T) {
	tests := map[string]string{
		"GetCallerIdentity":                   "get-caller-identity",
		"ListMFADevices":                      "list-mfa-devices",
		"GenerateDataKeyPairWithoutPlaintext": "generate-data-key-pair-without-plaintext",
		"ReEncrypt":                           "re-encrypt",
		"KmsKeyId":                            "kms-key-id",
		"SecretARN":                           "secret-arn",
		"CreateSAMLProvider":                  "create-saml-provider",
		"ListOpenIDConnectProviders":          "list-open-id-connect-providers",
		"GetSSHPublicKey":                     "get-ssh-public-key",
		"PolicyARNs":                          "policy-arns",
		"DurationSeconds":                     "duration-seconds",
	}
	for in, want := range tests {
		if got := Kebab(in); got != want {
			t.Errorf("Kebab(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"aws kms encrypt --key-id alias/demo --plaintext aGVsbG8=",
		`aws kms create-key --tags TagKey=a,TagValue=b "TagKey=c,TagValue=[d]"`,
		`aws kms encrypt --encryption-context '{"a":{"b":[1,2]}}' --cli-input-json '{"KeyId":1}'`,
		`aws iam simulate-principal-policy --context-entries ContextKeyName=k,ContextKeyValues=[a,b],ContextKeyType=string`,
		`aws secretsmanager list-secrets --filters Key=name,Values={a=b}`,
		`aws --output table --query 'Keys[0]' kms list-keys --no-cli-pager`,
	} {
		f.Add(s)
	}
	dir := f.TempDir()
	resolve := func(p string) string { return filepath.Join(dir, p) }
	f.Fuzz(func(t *testing.T, line string) {
		words, err := Split(line)
		if err != nil {
			return
		}
		if len(words) == 0 || words[0] != "aws" {
			words = append([]string{"aws"}, words...)
		}
		inv, err := Parse(words, resolve)
		if err != nil {
			if cliError(nil, "", err).Message == "" {
				t.Fatalf("empty error message for %q", line)
			}
			return
		}
		if !inv.Help && inv.Input == nil {
			t.Fatalf("no input for %q", line)
		}
	})
}

func FuzzShorthand(f *testing.F) {
	for _, s := range []string{"Key=a,Value=b", "Values=a,b,c,Name=x", "Tags=[{Key=a,Value=b}]", `Name='a,b',Other="c\"d"`, "a=[", "k={x=[1,2],y={z=w}}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := parseShorthand(s)
		if err == nil && m == nil {
			t.Fatalf("parseShorthand(%q) returned neither a value nor an error", s)
		}
		if _, err := splitShorthandList(s); err != nil && err.Error() == "" {
			t.Fatalf("empty error for %q", s)
		}
	})
}
