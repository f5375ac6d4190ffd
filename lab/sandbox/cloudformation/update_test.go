package cloudformation_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cfn "github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/google/go-cmp/cmp"
)

const updateV1 = `
Parameters:
  Note: {Type: String, Default: v1}
Resources:
  Key:
    Type: AWS::KMS::Key
  Secret:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: app/secret
      Description: !Ref Note
      KmsKeyId: !Ref Key
      GenerateSecretString:
        SecretStringTemplate: '{"user":"app"}'
        GenerateStringKey: password
        PasswordLength: 20
        ExcludePunctuation: true
`

const updateV2 = updateV1 + `  Alias:
    Type: AWS::KMS::Alias
    Properties:
      AliasName: alias/app
      TargetKeyId: !Ref Key
`

func TestUpdateCreatesChangesAndRemoves(t *testing.T) {
	l := newLab(t)
	ctx := context.Background()
	st := l.deploy(t, "app", updateV1, nil)
	if st.StackStatus != cfntypes.StackStatusCreateComplete {
		t.Fatalf("create: %s", st.StackStatus)
	}
	val, err := l.sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("app/secret")})
	if err != nil {
		t.Fatal(err)
	}
	if s := aws.ToString(val.SecretString); !strings.HasPrefix(s, `{"password":"`) || !strings.Contains(s, `"user":"app"`) || len(s) != len(`{"password":"","user":"app"}`)+20 {
		t.Errorf("generated secret has the wrong shape (length %d)", len(s))
	}

	// v2: a new parameter value (in-place update of the secret) and a new alias.
	cs, err := l.cfn.CreateChangeSet(ctx, &cfn.CreateChangeSetInput{StackName: aws.String("app"), ChangeSetName: aws.String("v2"),
		TemplateBody: aws.String(updateV2), Parameters: params("Note", "v2")})
	if err != nil {
		t.Fatal(err)
	}
	desc, err := l.cfn.DescribeChangeSet(ctx, &cfn.DescribeChangeSetInput{ChangeSetName: cs.Id})
	if err != nil {
		t.Fatal(err)
	}
	var changes []string
	for _, c := range desc.Changes {
		rc := c.ResourceChange
		changes = append(changes, string(rc.Action)+" "+aws.ToString(rc.LogicalResourceId)+" "+string(rc.Replacement))
	}
	if d := cmp.Diff([]string{"Add Alias ", "Modify Secret False"}, changes); d != "" {
		t.Errorf("changes (-want +got):\n%s", d)
	}
	if _, err := l.cfn.ExecuteChangeSet(ctx, &cfn.ExecuteChangeSetInput{ChangeSetName: cs.Id}); err != nil {
		t.Fatal(err)
	}
	if err := cfn.NewStackUpdateCompleteWaiter(l.cfn).Wait(ctx, &cfn.DescribeStacksInput{StackName: aws.String("app")}, 5e9); err != nil {
		t.Fatalf("update waiter: %v", err)
	}
	d, err := l.sm.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("app/secret")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(d.Description) != "v2" {
		t.Errorf("description = %q", aws.ToString(d.Description))
	}
	if _, err := l.kms.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/app")}); err != nil {
		t.Errorf("alias after update: %v", err)
	}

	// A failing update rolls back: the description returns to v2.
	bad := updateV2 + "  Broken:\n    Type: AWS::KMS::Alias\n    DependsOn: Secret\n    Properties:\n      AliasName: not-an-alias\n      TargetKeyId: !Ref Key\n"
	if _, err := l.cfn.UpdateStack(ctx, &cfn.UpdateStackInput{StackName: aws.String("app"), TemplateBody: aws.String(bad), Parameters: params("Note", "v3")}); err != nil {
		t.Fatal(err)
	}
	st = l.stack(t, "app")
	if st.StackStatus != cfntypes.StackStatusUpdateRollbackComplete {
		t.Fatalf("after failing update: %s", st.StackStatus)
	}
	all := statuses(l.events(t, "app"))
	last := 0
	for i, e := range all {
		if e == "app UPDATE_IN_PROGRESS" {
			last = i
		}
	}
	want := []string{
		"app UPDATE_IN_PROGRESS",
		"Secret UPDATE_IN_PROGRESS", "Secret UPDATE_COMPLETE",
		"Broken CREATE_IN_PROGRESS", "Broken CREATE_FAILED",
		"app UPDATE_ROLLBACK_IN_PROGRESS",
		"Secret UPDATE_IN_PROGRESS", "Secret UPDATE_COMPLETE",
		"app UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS",
		"Broken DELETE_IN_PROGRESS", "Broken DELETE_COMPLETE",
		"app UPDATE_ROLLBACK_COMPLETE",
	}
	if d := cmp.Diff(want, all[last:]); d != "" {
		t.Errorf("failing update's events (-want +got):\n%s", d)
	}
	d, err = l.sm.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("app/secret")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(d.Description) != "v2" {
		t.Errorf("description after rollback = %q, want v2", aws.ToString(d.Description))
	}
	if got := st.Parameters[0]; aws.ToString(got.ParameterValue) != "v2" {
		t.Errorf("parameter after rollback = %s", aws.ToString(got.ParameterValue))
	}

	// Back to v1: the alias is removed during cleanup.
	if _, err := l.cfn.UpdateStack(ctx, &cfn.UpdateStackInput{StackName: aws.String("app"), TemplateBody: aws.String(updateV1), Parameters: params("Note", "v1")}); err != nil {
		t.Fatal(err)
	}
	if st := l.stack(t, "app"); st.StackStatus != cfntypes.StackStatusUpdateComplete {
		t.Fatalf("after removing the alias: %s", st.StackStatus)
	}
	if _, err := l.kms.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/app")}); !strings.HasPrefix(apiCode(err), "NotFoundException") {
		t.Errorf("alias after removal: %s", apiCode(err))
	}
	if _, ok := l.resources(t, "app")["Alias"]; ok {
		t.Errorf("removed alias still listed")
	}

	// The same template and parameters again: nothing to do.
	cs2, err := l.cfn.CreateChangeSet(ctx, &cfn.CreateChangeSetInput{StackName: aws.String("app"), ChangeSetName: aws.String("same"),
		TemplateBody: aws.String(updateV1), Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("Note"), UsePreviousValue: aws.Bool(true)}}})
	if err != nil {
		t.Fatal(err)
	}
	err = cfn.NewChangeSetCreateCompleteWaiter(l.cfn).Wait(ctx, &cfn.DescribeChangeSetInput{ChangeSetName: cs2.Id}, 5e9)
	if err == nil {
		t.Fatal("the empty change set did not fail")
	}
	same, err := l.cfn.DescribeChangeSet(ctx, &cfn.DescribeChangeSetInput{ChangeSetName: cs2.Id})
	if err != nil {
		t.Fatal(err)
	}
	if same.Status != cfntypes.ChangeSetStatusFailed || aws.ToString(same.StatusReason) != "The submitted information didn't contain changes. Submit different information to create a change set." {
		t.Errorf("empty change set: %s %q", same.Status, aws.ToString(same.StatusReason))
	}
}

func TestReplacementHonoursUpdateReplacePolicy(t *testing.T) {
	l := newLab(t)
	ctx := context.Background()
	tmpl := func(name, policy string) string {
		return "Resources:\n  Kept:\n    Type: AWS::SecretsManager::Secret\n    UpdateReplacePolicy: Retain\n    Properties:\n      Name: kept-" + name +
			"\n      SecretString: x\n  Gone:\n    Type: AWS::SecretsManager::Secret\n    Properties:\n      Name: gone-" + name + "\n      SecretString: y\n" + policy
	}
	l.create(t, "repl", tmpl("a", ""))
	if _, err := l.cfn.UpdateStack(ctx, &cfn.UpdateStackInput{StackName: aws.String("repl"), TemplateBody: aws.String(tmpl("b", ""))}); err != nil {
		t.Fatal(err)
	}
	if st := l.stack(t, "repl"); st.StackStatus != cfntypes.StackStatusUpdateComplete {
		t.Fatalf("status = %s", st.StackStatus)
	}
	exists := func(name string) bool {
		_, err := l.sm.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(name)})
		return err == nil
	}
	got := map[string]bool{"kept-a": exists("kept-a"), "kept-b": exists("kept-b"), "gone-a": exists("gone-a"), "gone-b": exists("gone-b")}
	if d := cmp.Diff(map[string]bool{"kept-a": true, "kept-b": true, "gone-a": false, "gone-b": true}, got); d != "" {
		t.Errorf("secrets after replacement (-want +got):\n%s", d)
	}
	var reasons []string
	for _, e := range l.events(t, "repl") {
		if r := aws.ToString(e.ResourceStatusReason); strings.HasPrefix(r, "Requested update requires the creation of a new physical resource") {
			reasons = append(reasons, aws.ToString(e.LogicalResourceId))
		}
	}
	slices.Sort(reasons)
	if d := cmp.Diff([]string{"Gone", "Kept"}, reasons); d != "" {
		t.Errorf("replacement events (-want +got):\n%s", d)
	}
}

func TestRenamingARoleReplacesIt(t *testing.T) {
	l := newLab(t)
	ctx := context.Background()
	tmpl := func(name string) string {
		return "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: " + name +
			"\n      AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: 'sts:AssumeRole'}]}" +
			"\n      Policies:\n        - PolicyName: p-" + name + "\n          PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 's3:GetObject', Resource: '*'}]}\n"
	}
	caps := []cfntypes.Capability{cfntypes.CapabilityCapabilityNamedIam}
	if _, err := l.cfn.CreateStack(ctx, &cfn.CreateStackInput{StackName: aws.String("ren"), TemplateBody: aws.String(tmpl("first")), Capabilities: caps}); err != nil {
		t.Fatal(err)
	}
	if _, err := l.cfn.UpdateStack(ctx, &cfn.UpdateStackInput{StackName: aws.String("ren"), TemplateBody: aws.String(tmpl("second")), Capabilities: caps}); err != nil {
		t.Fatal(err)
	}
	if st := l.stack(t, "ren"); st.StackStatus != cfntypes.StackStatusUpdateComplete {
		for _, e := range l.events(t, "ren") {
			t.Log(aws.ToString(e.LogicalResourceId), e.ResourceStatus, aws.ToString(e.ResourceStatusReason))
		}
		t.Fatalf("status = %s", st.StackStatus)
	}
	if _, err := l.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("first")}); !strings.HasPrefix(apiCode(err), "NoSuchEntity") {
		t.Errorf("old role: %s", apiCode(err))
	}
	if _, err := l.iam.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String("second"), PolicyName: aws.String("p-second")}); err != nil {
		t.Errorf("new role's policy: %v", err)
	}
}
