package policy

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Validation findings, modelled on IAM Access Analyzer's policy checks
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html).
func TestValidate(t *testing.T) {
	cases := []struct {
		name string
		kind Kind
		doc  string
		want []string // "SEVERITY CODE path"
	}{
		{"clean identity policy", Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:Decrypt","kms:DescribeKey"],"Resource":"arn:aws:kms:us-east-1:111122223333:key/*"}]}`, nil},
		{"parse failure", Identity, `{"Version":"2012-10-17",`, []string{"ERROR JSON_SYNTAX_ERROR "}},
		{"missing version", Identity, `{"Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}`, []string{"WARNING MISSING_VERSION "}},
		{"unknown actions", Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:Decrypt","kms:Decript","secretsmanager:GetSecret*","sts:Nope*","s3:Whatever"],"Resource":"*"}]}`,
			[]string{"ERROR INVALID_ACTION Statement[0].Action[1]", "ERROR INVALID_ACTION Statement[0].Action[3]"}},
		{"invalid ARNs", Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":["arn:aws:iam:us-east-1:111122223333:user/bob","arn:aws:kms::111122223333:key/x","arn:aws:kms:us-east-1:1111:key/x","arn:aws:kms:us-east-1:111122223333:keys/x","user/bob","arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/*"]}]}`,
			[]string{"ERROR INVALID_ARN_REGION Statement[0].Resource[0]", "ERROR MISSING_ARN_REGION Statement[0].Resource[1]", "ERROR INVALID_ARN_ACCOUNT Statement[0].Resource[2]", "ERROR INVALID_ARN_RESOURCE Statement[0].Resource[3]", "ERROR INVALID_ARN_PREFIX Statement[0].Resource[4]"}},
		{"type mismatch and bad values", Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"aws:SourceIp":"10.0.0.1"},"DateLessThan":{"aws:CurrentTime":"tomorrow"},"Bool":{"aws:SecureTransport":"yes"}}}]}`,
			[]string{"WARNING MISMATCHED_TYPE Statement[0].Condition.StringEquals.aws:SourceIp", "ERROR DATA_TYPE_MISMATCH Statement[0].Condition.DateLessThan.aws:CurrentTime", "ERROR DATA_TYPE_MISMATCH Statement[0].Condition.Bool.aws:SecureTransport"}},
		{"ForAllValues on a single-valued key", Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"ForAllValues:StringEquals":{"kms:ViaService":"secretsmanager.us-east-1.amazonaws.com"}}}]}`,
			[]string{"SECURITY_WARNING FORALLVALUES_WITH_SINGLE_VALUED_KEY Statement[0].Condition.ForAllValues:StringEquals.kms:ViaService"}},
		{"unknown condition keys", Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"aws:SourceIP4":"x","kms:ViaServices":"x","kms:EncryptionContext:SecretARN":"x"}}}]}`,
			[]string{"ERROR INVALID_GLOBAL_CONDITION_KEY Statement[0].Condition.StringEquals.aws:SourceIP4", "ERROR INVALID_SERVICE_CONDITION_KEY Statement[0].Condition.StringEquals.kms:ViaServices"}},
		{"Allow with NotPrincipal", Resource, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`,
			[]string{"SECURITY_WARNING ALLOW_WITH_NOT_PRINCIPAL Statement[0].NotPrincipal"}},
		{"Principal * without condition", KeyPolicy, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Decrypt","Resource":"*"}]}`,
			[]string{"SECURITY_WARNING PRINCIPAL_STAR_WITHOUT_CONDITION Statement[0].Principal"}},
		{"Action * on Resource *", Managed, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
			[]string{"SECURITY_WARNING ALLOW_ALL_ACTIONS_ALL_RESOURCES Statement[0].Action"}},
		{"duplicate Sids", Managed, `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"kms:Decrypt","Resource":"*"},{"Sid":"A","Effect":"Allow","Action":"kms:Encrypt","Resource":"*"}]}`,
			[]string{"ERROR UNIQUE_SIDS_REQUIRED Statement[1].Sid"}},
		{"empty arrays", Managed, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[],"Resource":[]}]}`,
			[]string{"SUGGESTION EMPTY_ARRAY_ACTION Statement[0].Action", "SUGGESTION EMPTY_ARRAY_RESOURCE Statement[0].Resource"}},
		{"variables in a 2008-10-17 policy", Managed, `{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::111122223333:user/${aws:username}"}]}`,
			[]string{"WARNING VARIABLE_IN_LEGACY_VERSION Statement[0].Resource"}},
		{"principal in an identity policy", Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*"}]}`,
			[]string{"ERROR UNSUPPORTED_PRINCIPAL Statement[0].Principal"}},
		{"key policy statement without Resource", KeyPolicy, `{"Version":"2012-10-17","Statement":[{"Sid":"Allow use","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":"kms:Decrypt"}]}`,
			[]string{"WARNING MISSING_RESOURCE Statement[0]"}},
		{"partial wildcard principal", Trust, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/*"},"Action":"sts:AssumeRole"}]}`,
			[]string{"ERROR INVALID_PRINCIPAL_FORMAT Statement[0].Principal.AWS"}},
		{"PassRole on *", Managed, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}]}`,
			[]string{"SECURITY_WARNING PASS_ROLE_WITH_STAR_IN_RESOURCE Statement[0].Resource"}},
		{"too large", Managed, bigPolicy(7000), []string{"ERROR POLICY_SIZE_EXCEEDED "}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, f := range Validate([]byte(tc.doc), tc.kind) {
				got = append(got, string(f.Severity)+" "+f.Code+" "+f.Path)
				if f.Line < 1 || f.Column < 1 || f.Message == "" {
					t.Errorf("finding without position or message: %+v", f)
				}
			}
			sort.Strings(got)
			want := append([]string(nil), tc.want...)
			sort.Strings(want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Validate() codes (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidatePosition(t *testing.T) {
	doc := "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\n    \"Effect\": \"Allow\",\n    \"Action\": [\"kms:Decrypt\", \"kms:Decryt\"],\n    \"Resource\": \"*\"\n  }]\n}"
	f := Validate([]byte(doc), Identity)
	if len(f) != 1 {
		t.Fatalf("Validate() = %v", f)
	}
	if got := []int{f[0].Line, f[0].Column}; !cmp.Equal(got, []int{5, 31}) {
		t.Errorf("position = %v, want [5 31]", got)
	}
}

// Access levels from the Service Authorization Reference.
func TestCatalog(t *testing.T) {
	a, ok := LookupAction("KMS:decrypt")
	if !ok {
		t.Fatal("kms:Decrypt not found")
	}
	got := []any{a.Service, a.Name, a.AccessLevel, a.Resources}
	if diff := cmp.Diff([]any{"kms", "Decrypt", "Write", []string{"key*"}}, got); diff != "" {
		t.Errorf("LookupAction (-want +got):\n%s", diff)
	}
	levels := map[string]string{
		"secretsmanager:GetSecretValue": "Read", "secretsmanager:ListSecrets": "List", "secretsmanager:PutResourcePolicy": "Permissions management",
		"kms:PutKeyPolicy": "Permissions management", "kms:TagResource": "Tagging", "iam:CreateUser": "Write", "sts:AssumeRole": "Write",
		"sts:GetCallerIdentity": "Read", "iam:ListUsers": "List",
	}
	for action, want := range levels {
		if a, ok := LookupAction(action); !ok || a.AccessLevel != want {
			t.Errorf("LookupAction(%s) = %q, %v; want %q", action, a.AccessLevel, ok, want)
		}
	}
	read := map[string]bool{"kms:DescribeKey": true, "kms:Describe*": true, "kms:List*": true, "kms:Decrypt": false, "kms:*": false, "s3:GetObject": false, "secretsmanager:GetSecretValue": true}
	for action, want := range read {
		if got := IsReadOnly(action); got != want {
			t.Errorf("IsReadOnly(%s) = %v, want %v", action, got, want)
		}
	}
	if _, ok := LookupAction("kms:Nope"); ok {
		t.Error("kms:Nope found")
	}
}

// AWS's own managed policies (embedded by the sandbox) must parse and must
// not produce ERROR findings as AWSManaged (which has no size quota). This also checks the catalog against the
// kms, secretsmanager, iam and sts actions those policies name.
func TestValidateAWSManagedPolicies(t *testing.T) {
	files, _ := filepath.Glob("../sandbox/iam/managed/*.json")
	if len(files) == 0 {
		t.Skip("no AWS managed policies in ../sandbox/iam/managed")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Parse(b); err != nil {
			if filepath.Base(f) == "index.json" {
				continue
			}
			t.Errorf("%s: %v", f, err)
			continue
		}
		for _, fi := range Validate(b, AWSManaged) {
			if fi.Severity == SeverityError {
				t.Errorf("%s: %v", filepath.Base(f), fi)
			}
		}
	}
}
