package cloudformation_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cfn "github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/google/go-cmp/cmp"
)

const everyTypeTemplate = `
Resources:
  Readers:
    Type: AWS::IAM::Group
    Properties:
      Policies:
        - PolicyName: describe
          PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'secretsmanager:DescribeSecret', Resource: '*'}]}
  Reader:
    Type: AWS::IAM::User
    Properties:
      Groups: [!Ref Readers]
      ManagedPolicyArns: [!Ref ReadPolicy]
  ReaderKey:
    Type: AWS::IAM::AccessKey
    Properties:
      UserName: !Ref Reader
  ReadPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Description: read the app secret
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - {Effect: Allow, Action: 'secretsmanager:GetSecretValue', Resource: !Ref Secret}
  ListPolicy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: list-secrets
      Users: [!Ref Reader]
      Groups: [!Ref Readers]
      PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'secretsmanager:ListSecrets', Resource: '*'}]}
  Secret:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: app/db
      SecretString: hunter2hunter2
  SecretPolicy:
    Type: AWS::SecretsManager::ResourcePolicy
    Properties:
      SecretId: !Ref Secret
      ResourcePolicy:
        Version: '2012-10-17'
        Statement:
          - Effect: Deny
            Principal: {AWS: '*'}
            Action: 'secretsmanager:DeleteSecret'
            Resource: '*'
Outputs:
  User: {Value: !Ref Reader}
  KeyId: {Value: !Ref ReaderKey}
  Group: {Value: !Ref Readers}
  GroupArn: {Value: !GetAtt Readers.Arn}
  PolicyArn: {Value: !Ref ReadPolicy}
  InlineId: {Value: !Ref ListPolicy}
`

func TestIAMAndSecretPolicyResources(t *testing.T) {
	l := newLab(t)
	ctx := context.Background()
	st := l.create(t, "every", everyTypeTemplate)
	if st.StackStatus != cfntypes.StackStatusCreateComplete {
		for _, e := range l.events(t, "every") {
			t.Log(aws.ToString(e.LogicalResourceId), e.ResourceStatus, aws.ToString(e.ResourceStatusReason))
		}
		t.Fatalf("status = %s", st.StackStatus)
	}
	out := outputs(st)
	user, group := out["User"], out["Group"]
	if !strings.HasPrefix(user, "every-Reader-") || !strings.HasPrefix(group, "every-Readers-") {
		t.Errorf("generated names: user %s, group %s", user, group)
	}
	if out["GroupArn"] != "arn:aws:iam::111122223333:group/"+group {
		t.Errorf("group ARN = %s", out["GroupArn"])
	}
	if !strings.HasPrefix(out["PolicyArn"], "arn:aws:iam::111122223333:policy/every-ReadPolicy-") {
		t.Errorf("managed policy ARN = %s", out["PolicyArn"])
	}
	if !strings.HasPrefix(out["InlineId"], "every-List-") {
		t.Errorf("inline policy ID = %s", out["InlineId"])
	}
	groups, err := l.iam.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String(user)})
	if err != nil {
		t.Fatal(err)
	}
	if len(groups.Groups) != 1 || aws.ToString(groups.Groups[0].GroupName) != group {
		t.Errorf("user's groups = %+v", groups.Groups)
	}
	keys, err := l.iam.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String(user)})
	if err != nil {
		t.Fatal(err)
	}
	if len(keys.AccessKeyMetadata) != 1 || aws.ToString(keys.AccessKeyMetadata[0].AccessKeyId) != out["KeyId"] {
		t.Errorf("access keys = %+v, output %s", keys.AccessKeyMetadata, out["KeyId"])
	}
	for _, p := range []struct{ kind, name string }{{"user", user}, {"group", group}} {
		var doc *string
		if p.kind == "user" {
			r, err := l.iam.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String(p.name), PolicyName: aws.String("list-secrets")})
			if err != nil {
				t.Fatal(err)
			}
			doc = r.PolicyDocument
		} else {
			r, err := l.iam.GetGroupPolicy(ctx, &iam.GetGroupPolicyInput{GroupName: aws.String(p.name), PolicyName: aws.String("list-secrets")})
			if err != nil {
				t.Fatal(err)
			}
			doc = r.PolicyDocument
		}
		if d, _ := url.QueryUnescape(aws.ToString(doc)); !strings.Contains(d, "secretsmanager:ListSecrets") {
			t.Errorf("%s inline policy = %s", p.kind, d)
		}
	}
	// The stack's user reads the secret with the key the stack made.
	reader := secretsmanager.NewFromConfig(l.s.Config(user))
	val, err := reader.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("app/db")})
	if err != nil {
		t.Fatalf("the stack's reader cannot read: %v", err)
	}
	if aws.ToString(val.SecretString) != "hunter2hunter2" {
		t.Errorf("value differs")
	}
	pol, err := l.sm.GetResourcePolicy(ctx, &secretsmanager.GetResourcePolicyInput{SecretId: aws.String("app/db")})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(aws.ToString(pol.ResourcePolicy), "secretsmanager:DeleteSecret") {
		t.Errorf("secret policy = %s", aws.ToString(pol.ResourcePolicy))
	}

	if _, err := l.cfn.DeleteStack(ctx, &cfn.DeleteStackInput{StackName: aws.String("every")}); err != nil {
		t.Fatal(err)
	}
	gone := l.stack(t, aws.ToString(st.StackId))
	if gone.StackStatus != cfntypes.StackStatusDeleteComplete {
		for _, e := range l.events(t, aws.ToString(st.StackId)) {
			t.Log(aws.ToString(e.LogicalResourceId), e.ResourceStatus, aws.ToString(e.ResourceStatusReason))
		}
		t.Fatalf("delete: %s (%s)", gone.StackStatus, aws.ToString(gone.StackStatusReason))
	}
	var left []string
	if _, err := l.iam.GetUser(ctx, &iam.GetUserInput{UserName: aws.String(user)}); err == nil {
		left = append(left, "user")
	}
	if _, err := l.iam.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String(group)}); err == nil {
		left = append(left, "group")
	}
	if _, err := l.iam.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(out["PolicyArn"])}); err == nil {
		left = append(left, "managed policy")
	}
	if _, err := l.sm.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("app/db")}); err == nil {
		left = append(left, "secret")
	}
	if d := cmp.Diff([]string(nil), left); d != "" {
		t.Errorf("left behind (-want +got):\n%s", d)
	}
}
