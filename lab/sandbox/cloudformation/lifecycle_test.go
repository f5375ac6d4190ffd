package cloudformation_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cfn "github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/google/go-cmp/cmp"
)

func (l *lab) create(t *testing.T, name, body string, p ...string) cfntypes.Stack {
	t.Helper()
	_, err := l.cfn.CreateStack(context.Background(), &cfn.CreateStackInput{
		StackName: aws.String(name), TemplateBody: aws.String(body), Parameters: params(p...),
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam},
	})
	if err != nil {
		t.Fatalf("CreateStack: %v", err)
	}
	return l.stack(t, name)
}

const failingTemplate = `
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      Description: rolled back
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: rollback-role
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: inline
          PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 's3:GetObject', Resource: '*'}]}
  BadSecret:
    Type: AWS::SecretsManager::Secret
    DependsOn: [Key, Role]
    Properties:
      Name: rollback-secret
      KmsKeyId: alias/does-not-exist
      SecretString: !Ref AWS::StackName
`

func TestFailingResourceRollsBackAndLeavesNothing(t *testing.T) {
	l := newLab(t)
	ctx := context.Background()
	_, err := l.cfn.CreateStack(ctx, &cfn.CreateStackInput{StackName: aws.String("broken"), TemplateBody: aws.String(failingTemplate),
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityNamedIam}})
	if err != nil {
		t.Fatal(err)
	}
	st := l.stack(t, "broken")
	if st.StackStatus != cfntypes.StackStatusRollbackComplete {
		t.Fatalf("status = %s", st.StackStatus)
	}
	if got, want := aws.ToString(st.StackStatusReason), ""; got != want {
		t.Errorf("final reason = %q", got)
	}
	want := []string{
		"broken CREATE_IN_PROGRESS",
		"Key CREATE_IN_PROGRESS", "Key CREATE_IN_PROGRESS", "Key CREATE_COMPLETE",
		"Role CREATE_IN_PROGRESS", "Role CREATE_IN_PROGRESS", "Role CREATE_COMPLETE",
		"BadSecret CREATE_IN_PROGRESS", "BadSecret CREATE_FAILED",
		"broken ROLLBACK_IN_PROGRESS",
		"BadSecret DELETE_IN_PROGRESS", "BadSecret DELETE_COMPLETE",
		"Role DELETE_IN_PROGRESS", "Role DELETE_COMPLETE",
		"Key DELETE_IN_PROGRESS", "Key DELETE_COMPLETE",
		"broken ROLLBACK_COMPLETE",
	}
	ev := l.events(t, "broken")
	if d := cmp.Diff(want, statuses(ev)); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}
	for _, e := range ev {
		switch {
		case e.ResourceStatus == cfntypes.ResourceStatusCreateFailed:
			if r := aws.ToString(e.ResourceStatusReason); !strings.HasPrefix(r, "Resource handler returned message: \"") || !strings.Contains(r, "(Service: SecretsManager, Status Code: 400") {
				t.Errorf("failure reason = %q", r)
			}
		case e.ResourceStatus == cfntypes.ResourceStatusRollbackInProgress:
			if r := aws.ToString(e.ResourceStatusReason); r != "The following resource(s) failed to create: [BadSecret]. Rollback requested by user." {
				t.Errorf("rollback reason = %q", r)
			}
		}
	}
	if _, err := l.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("rollback-role")}); !strings.HasPrefix(apiCode(err), "NoSuchEntity") {
		t.Errorf("role after rollback: %v", apiCode(err))
	}
	keys, err := l.kms.ListKeys(ctx, &kms.ListKeysInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys.Keys {
		d, err := l.kms.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: k.KeyId})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(d.KeyMetadata.Description) == "rolled back" && d.KeyMetadata.KeyState != kmstypes.KeyStatePendingDeletion {
			t.Errorf("key state after rollback = %s, want PendingDeletion", d.KeyMetadata.KeyState)
		}
	}
	secrets, err := l.sm.ListSecrets(ctx, &secretsmanager.ListSecretsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(secrets.SecretList) != 0 {
		t.Errorf("secrets after rollback: %d", len(secrets.SecretList))
	}
	// A stack in ROLLBACK_COMPLETE cannot be updated, only deleted.
	_, err = l.cfn.UpdateStack(ctx, &cfn.UpdateStackInput{StackName: aws.String("broken"), UsePreviousTemplate: aws.Bool(true)})
	if got := apiCode(err); got != "ValidationError: Stack:"+aws.ToString(st.StackId)+" is in ROLLBACK_COMPLETE state and can not be updated." {
		t.Errorf("update after rollback: %s", got)
	}
}

func TestResourceFailuresRollBack(t *testing.T) {
	tests := []struct {
		name, body, reason string
	}{
		{"unsupported type", "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n",
			"Resource type AWS::S3::Bucket is not supported by the seclab sandbox"},
		{"misspelt property", "Resources:\n  S:\n    Type: AWS::SecretsManager::Secret\n    Properties:\n      KmsKeyID: alias/aws/secretsmanager\n",
			"Properties validation failed for resource S with message: [#: extraneous key [KmsKeyID] is not permitted]"},
		{"missing property", "Resources:\n  A:\n    Type: AWS::KMS::Alias\n    Properties:\n      AliasName: alias/x\n",
			"Properties validation failed for resource A with message: [#: required key [TargetKeyId] not found]"},
		{"replicas", "Resources:\n  S:\n    Type: AWS::SecretsManager::Secret\n    Properties:\n      ReplicaRegions: [{Region: eu-west-1}]\n",
			"ReplicaRegions is not supported by the seclab sandbox"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLab(t)
			st := l.create(t, "failing", tt.body)
			if st.StackStatus != cfntypes.StackStatusRollbackComplete {
				t.Fatalf("status = %s", st.StackStatus)
			}
			var reasons []string
			for _, e := range l.events(t, "failing") {
				if e.ResourceStatus == cfntypes.ResourceStatusCreateFailed {
					reasons = append(reasons, aws.ToString(e.ResourceStatusReason))
				}
			}
			if len(reasons) != 1 || !strings.Contains(reasons[0], tt.reason) {
				t.Errorf("CREATE_FAILED reasons = %q, want one containing %q", reasons, tt.reason)
			}
		})
	}
}

const retainTemplate = `
Resources:
  KeptKey:
    Type: AWS::KMS::Key
    DeletionPolicy: Retain
    Properties:
      Description: kept
  GoneUser:
    Type: AWS::IAM::User
  GoneKey:
    Type: AWS::KMS::Key
    Properties:
      Description: gone
      PendingWindowInDays: 7
Outputs:
  User:
    Value: !Ref GoneUser
`

func TestDeleteRemovesAllButRetained(t *testing.T) {
	l := newLab(t)
	ctx := context.Background()
	st := l.create(t, "keep", retainTemplate)
	if st.StackStatus != cfntypes.StackStatusCreateComplete {
		t.Fatalf("status = %s", st.StackStatus)
	}
	res := l.resources(t, "keep")
	user := outputs(st)["User"]
	if !strings.HasPrefix(user, "keep-GoneUser-") {
		t.Errorf("generated user name = %q", user)
	}
	if _, err := l.cfn.DeleteStack(ctx, &cfn.DeleteStackInput{StackName: aws.String("keep")}); err != nil {
		t.Fatal(err)
	}
	_, err := l.cfn.DescribeStacks(ctx, &cfn.DescribeStacksInput{StackName: aws.String("keep")})
	if got := apiCode(err); got != "ValidationError: Stack with id keep does not exist" {
		t.Errorf("DescribeStacks after delete: %s", got)
	}
	gone := l.stack(t, aws.ToString(st.StackId))
	if gone.StackStatus != cfntypes.StackStatusDeleteComplete || gone.DeletionTime == nil {
		t.Errorf("by ID: status %s, deletion time %v", gone.StackStatus, gone.DeletionTime)
	}
	kept, err := l.kms.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: res["KeptKey"].PhysicalResourceId})
	if err != nil {
		t.Fatal(err)
	}
	if kept.KeyMetadata.KeyState != kmstypes.KeyStateEnabled {
		t.Errorf("retained key state = %s", kept.KeyMetadata.KeyState)
	}
	deleted, err := l.kms.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: res["GoneKey"].PhysicalResourceId})
	if err != nil {
		t.Fatal(err)
	}
	if dd := deleted.KeyMetadata.DeletionDate; deleted.KeyMetadata.KeyState != kmstypes.KeyStatePendingDeletion || dd == nil ||
		dd.Sub(l.s.Now()) > 8*24*time.Hour || dd.Sub(l.s.Now()) < 6*24*time.Hour {
		t.Errorf("deleted key: %s, deletion date %v (PendingWindowInDays 7)", deleted.KeyMetadata.KeyState, dd)
	}
	if _, err := l.iam.GetUser(ctx, &iam.GetUserInput{UserName: aws.String(user)}); !strings.HasPrefix(apiCode(err), "NoSuchEntity") {
		t.Errorf("user after delete: %s", apiCode(err))
	}
	var skipped []string
	for _, e := range l.events(t, aws.ToString(st.StackId)) {
		if e.ResourceStatus == cfntypes.ResourceStatusDeleteSkipped {
			skipped = append(skipped, aws.ToString(e.LogicalResourceId))
		}
	}
	if d := cmp.Diff([]string{"KeptKey"}, skipped); d != "" {
		t.Errorf("DELETE_SKIPPED (-want +got):\n%s", d)
	}
	// Deleting again is a no-op, as in AWS.
	if _, err := l.cfn.DeleteStack(ctx, &cfn.DeleteStackInput{StackName: aws.String("keep")}); err != nil {
		t.Errorf("second DeleteStack: %v", err)
	}
	// The delete waiter treats the vanished stack as success.
	if err := cfn.NewStackDeleteCompleteWaiter(l.cfn).Wait(ctx, &cfn.DescribeStacksInput{StackName: aws.String("keep")}, 5e9); err != nil {
		t.Errorf("delete waiter: %v", err)
	}
}
