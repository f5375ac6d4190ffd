package console

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/google/go-cmp/cmp"
)

// exportAll lets cmp look into the SDK's unexported marker fields.
var exportAll = cmp.Exporter(func(reflect.Type) bool { return true })

func testWorkspace(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"policy.json":  `{"Version":"2012-10-17","Statement":[]}`,
		"plain.bin":    "\x00\x01binary",
		"input.json":   `{"KeyId":"alias/from-json","Plaintext":"aGk=","EncryptionContext":{"app":"x"}}`,
		"b64.txt":      "aGVsbG8=",
		"tags.json":    `[{"TagKey":"team","TagValue":"blue"}]`,
		"template.yml": "Resources: {}\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestParseInputs(t *testing.T) {
	ws := testWorkspace(t)
	resolve := func(p string) string { return filepath.Join(ws, p) }
	tests := []struct {
		line   string
		want   any
		output string
		query  string
	}{
		{line: "aws sts get-caller-identity", want: &sts.GetCallerIdentityInput{}},
		{line: `aws kms encrypt --key-id alias/demo --plaintext aGVsbG8=`,
			want: &kms.EncryptInput{KeyId: aws.String("alias/demo"), Plaintext: []byte("hello")}},
		{line: `aws kms encrypt --key-id=alias/demo --plaintext fileb://plain.bin --output text --query CiphertextBlob`,
			want: &kms.EncryptInput{KeyId: aws.String("alias/demo"), Plaintext: []byte("\x00\x01binary")}, output: "text", query: "CiphertextBlob"},
		{line: `aws kms encrypt --key-id k --plaintext file://b64.txt`,
			want: &kms.EncryptInput{KeyId: aws.String("k"), Plaintext: []byte("hello")}},
		{line: `aws --cli-binary-format raw-in-base64-out kms encrypt --key-id k --plaintext 'hi there'`,
			want: &kms.EncryptInput{KeyId: aws.String("k"), Plaintext: []byte("hi there")}},
		{line: `aws kms encrypt --key-id k --plaintext aGk= --encryption-context purpose=test,app=seclab`,
			want: &kms.EncryptInput{KeyId: aws.String("k"), Plaintext: []byte("hi"), EncryptionContext: map[string]string{"purpose": "test", "app": "seclab"}}},
		{line: `aws kms encrypt --key-id k --plaintext aGk= --encryption-context '{"a": "b"}' --grant-tokens t1 t2`,
			want: &kms.EncryptInput{KeyId: aws.String("k"), Plaintext: []byte("hi"), EncryptionContext: map[string]string{"a": "b"}, GrantTokens: []string{"t1", "t2"}}},
		{line: `aws kms encrypt --cli-input-json file://input.json --key-id override`,
			want: &kms.EncryptInput{KeyId: aws.String("override"), Plaintext: []byte("hi"), EncryptionContext: map[string]string{"app": "x"}}},
		{line: `aws kms create-key --key-spec RSA_2048 --key-usage ENCRYPT_DECRYPT --description "alice's key" --tags TagKey=team,TagValue=red TagKey=env,TagValue=dev`,
			want: &kms.CreateKeyInput{KeySpec: kmstypes.KeySpecRsa2048, KeyUsage: kmstypes.KeyUsageTypeEncryptDecrypt, Description: aws.String("alice's key"),
				Tags: []kmstypes.Tag{{TagKey: aws.String("team"), TagValue: aws.String("red")}, {TagKey: aws.String("env"), TagValue: aws.String("dev")}}}},
		{line: `aws kms create-key --tags file://tags.json --bypass-policy-lockout-safety-check`,
			want: &kms.CreateKeyInput{Tags: []kmstypes.Tag{{TagKey: aws.String("team"), TagValue: aws.String("blue")}}, BypassPolicyLockoutSafetyCheck: true}},
		{line: `aws kms create-key --no-multi-region`, want: &kms.CreateKeyInput{MultiRegion: aws.Bool(false)}},
		{line: `aws kms schedule-key-deletion --key-id k --pending-window-in-days 7`,
			want: &kms.ScheduleKeyDeletionInput{KeyId: aws.String("k"), PendingWindowInDays: aws.Int32(7)}},
		{line: `aws kms generate-data-key --key-id k --number-of-bytes 32`,
			want: &kms.GenerateDataKeyInput{KeyId: aws.String("k"), NumberOfBytes: aws.Int32(32)}},
		{line: `aws secretsmanager create-secret --name seclab/db --kms-key-id alias/alice --secret-string hunter2`,
			want: &secretsmanager.CreateSecretInput{Name: aws.String("seclab/db"), KmsKeyId: aws.String("alias/alice"), SecretString: aws.String("hunter2")}},
		{line: `aws secretsmanager delete-secret --secret-id s --force-delete-without-recovery`,
			want: &secretsmanager.DeleteSecretInput{SecretId: aws.String("s"), ForceDeleteWithoutRecovery: aws.Bool(true)}},
		{line: `aws secretsmanager update-secret-version-stage --secret-id s --version-stage AWSCURRENT --move-to-version-id v2`,
			want: &secretsmanager.UpdateSecretVersionStageInput{SecretId: aws.String("s"), VersionStage: aws.String("AWSCURRENT"), MoveToVersionId: aws.String("v2")}},
		{line: `aws iam put-user-policy --user-name bob --policy-name p --policy-document file://policy.json`,
			want: &iam.PutUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("p"), PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[]}`)}},
		{line: `aws iam list-users --max-items 5`, want: &iam.ListUsersInput{MaxItems: aws.Int32(5)}},
		{line: `aws iam simulate-principal-policy --policy-source-arn arn:aws:iam::111122223333:user/bob --action-names kms:Decrypt kms:Encrypt --resource-arns '*'`,
			want: &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String("arn:aws:iam::111122223333:user/bob"), ActionNames: []string{"kms:Decrypt", "kms:Encrypt"}, ResourceArns: []string{"*"}}},
		{line: `aws iam simulate-principal-policy --policy-source-arn a --action-names kms:Decrypt,kms:Encrypt --context-entries ContextKeyName=aws:SourceIp,ContextKeyValues=10.0.0.1,ContextKeyType=ip`,
			want: &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String("a"), ActionNames: []string{"kms:Decrypt", "kms:Encrypt"},
				ContextEntries: []iamtypes.ContextEntry{{ContextKeyName: aws.String("aws:SourceIp"), ContextKeyValues: []string{"10.0.0.1"}, ContextKeyType: iamtypes.ContextKeyTypeEnumIp}}}},
		{line: `aws cloudformation create-stack --stack-name s --template-body file://template.yml --parameters ParameterKey=MySecret,ParameterValue=x ParameterKey=KmsCmkId,ParameterValue=alias/k --capabilities CAPABILITY_IAM`,
			want: &cloudformation.CreateStackInput{StackName: aws.String("s"), TemplateBody: aws.String("Resources: {}\n"),
				Parameters:   []cftypes.Parameter{{ParameterKey: aws.String("MySecret"), ParameterValue: aws.String("x")}, {ParameterKey: aws.String("KmsCmkId"), ParameterValue: aws.String("alias/k")}},
				Capabilities: []cftypes.Capability{cftypes.CapabilityCapabilityIam}}},
		{line: `aws kms list-keys --limit 10 --output table --region eu-west-1`, want: &kms.ListKeysInput{Limit: aws.Int32(10)}, output: "table"},
		{line: `aws iam get-account-authorization-details --filter User Role`,
			want: &iam.GetAccountAuthorizationDetailsInput{Filter: []iamtypes.EntityType{iamtypes.EntityTypeUser, iamtypes.EntityTypeRole}}},
		{line: `aws cloudformation list-stacks --stack-status-filter CREATE_COMPLETE`,
			want: &cloudformation.ListStacksInput{StackStatusFilter: []cftypes.StackStatus{cftypes.StackStatusCreateComplete}}},
		{line: `aws cloudformation describe-stack-events --stack-name s --no-cli-pager`, want: &cloudformation.DescribeStackEventsInput{StackName: aws.String("s")}},
		{line: `aws secretsmanager list-secrets --filters Key=name,Values=seclab,prod`,
			want: &secretsmanager.ListSecretsInput{Filters: []smtypes.Filter{{Key: smtypes.FilterNameStringTypeName, Values: []string{"seclab", "prod"}}}}},
		{line: `aws kms get-key-rotation-status --key-id k --query 'KeyRotationEnabled'`, want: &kms.GetKeyRotationStatusInput{KeyId: aws.String("k")}, query: "KeyRotationEnabled"},
		{line: `aws iam create-policy-version --policy-arn a --policy-document '{"Version": "2012-10-17"}' --set-as-default`,
			want: &iam.CreatePolicyVersionInput{PolicyArn: aws.String("a"), PolicyDocument: aws.String(`{"Version": "2012-10-17"}`), SetAsDefault: true}},
		{line: `aws iam list-policies --scope Local --only-attached`, want: &iam.ListPoliciesInput{Scope: iamtypes.PolicyScopeTypeLocal, OnlyAttached: true}},
		{line: `aws cloudformation describe-stack-events --stack-name "my stack"`, want: &cloudformation.DescribeStackEventsInput{StackName: aws.String("my stack")}},
		{line: `aws cloudformation list-stacks --stack-status-filter CREATE_COMPLETE,DELETE_COMPLETE`,
			want: &cloudformation.ListStacksInput{StackStatusFilter: []cftypes.StackStatus{cftypes.StackStatusCreateComplete, cftypes.StackStatusDeleteComplete}}},
		{line: `aws cloudformation create-change-set --stack-name s --change-set-name c --template-body x --change-set-type CREATE`,
			want: &cloudformation.CreateChangeSetInput{StackName: aws.String("s"), ChangeSetName: aws.String("c"), TemplateBody: aws.String("x"), ChangeSetType: cftypes.ChangeSetTypeCreate}},
		{line: `aws sts assume-role --role-arn arn:aws:iam::111122223333:role/r --role-session-name s --duration-seconds 900`,
			want: &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::111122223333:role/r"), RoleSessionName: aws.String("s"), DurationSeconds: aws.Int32(900)}},
		{line: `aws cloudformation describe-stack-events --stack-name s`, want: &cloudformation.DescribeStackEventsInput{StackName: aws.String("s")}},
		{line: `aws secretsmanager get-random-password --password-length 20 --exclude-punctuation`,
			want: &secretsmanager.GetRandomPasswordInput{PasswordLength: aws.Int64(20), ExcludePunctuation: aws.Bool(true)}},
		{line: `aws iam list-roles --path-prefix /seclab/`, want: &iam.ListRolesInput{PathPrefix: aws.String("/seclab/")}},
		{line: `aws cloudformation describe-stack-events --stack-name s --output text`, want: &cloudformation.DescribeStackEventsInput{StackName: aws.String("s")}, output: "text"},
		{line: `aws kms describe-key --key-id k`, want: &kms.DescribeKeyInput{KeyId: aws.String("k")}},
		{line: `aws secretsmanager get-secret-value --secret-id s --version-stage AWSPREVIOUS`,
			want: &secretsmanager.GetSecretValueInput{SecretId: aws.String("s"), VersionStage: aws.String("AWSPREVIOUS")}},
		{line: `aws cloudformation list-stacks --stack-status-filter CREATE_COMPLETE UPDATE_COMPLETE`,
			want: &cloudformation.ListStacksInput{StackStatusFilter: []cftypes.StackStatus{cftypes.StackStatusCreateComplete, cftypes.StackStatusUpdateComplete}}},
		{line: `aws kms get-public-key --key-id k`, want: &kms.GetPublicKeyInput{KeyId: aws.String("k")}},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			words, err := Split(tt.line)
			if err != nil {
				t.Fatal(err)
			}
			inv, err := Parse(words, resolve)
			if tt.want == nil {
				if err == nil {
					t.Fatalf("Parse succeeded, want an error")
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, inv.Input, exportAll); diff != "" {
				t.Errorf("input (-want +got):\n%s", diff)
			}
			wantOut := tt.output
			if wantOut == "" {
				wantOut = "json"
			}
			if inv.Output != wantOut || inv.Query != tt.query {
				t.Errorf("output %q query %q, want %q %q", inv.Output, inv.Query, wantOut, tt.query)
			}
			if strings.Contains(tt.line, "--region eu-west-1") && inv.Region != "eu-west-1" {
				t.Errorf("region %q", inv.Region)
			}
		})
	}
}
