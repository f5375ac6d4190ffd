package cloudformation_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cfn "github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

const samWithRole = `
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Timeout: 5
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Role: !GetAtt Role.Arn
      InlineCode: "def handler(e, c): return 1"
Outputs:
  FnArn:
    Value: !GetAtt Fn.Arn
  FnName:
    Value: !Ref Fn
`

func TestServerlessFunctionIsRecordedNotRun(t *testing.T) {
	l := newLab(t)
	ctx := context.Background()
	_, err := l.cfn.CreateStack(ctx, &cfn.CreateStackInput{StackName: aws.String("fn"), TemplateBody: aws.String(samWithRole),
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam, cfntypes.CapabilityCapabilityAutoExpand}})
	if err != nil {
		t.Fatal(err)
	}
	st := l.stack(t, "fn")
	if st.StackStatus != cfntypes.StackStatusCreateComplete {
		t.Fatalf("status = %s (%s)", st.StackStatus, aws.ToString(st.StackStatusReason))
	}
	res := l.resources(t, "fn")
	fn := res["Fn"]
	if aws.ToString(fn.ResourceType) != "AWS::Lambda::Function" || !strings.Contains(aws.ToString(fn.ResourceStatusReason), "Recorded only") {
		t.Errorf("function resource = %s %q", aws.ToString(fn.ResourceType), aws.ToString(fn.ResourceStatusReason))
	}
	name := outputs(st)["FnName"]
	if !strings.HasPrefix(name, "fn-Fn-") || outputs(st)["FnArn"] != "arn:aws:lambda:us-east-1:111122223333:function:"+name {
		t.Errorf("outputs = %v", outputs(st))
	}
	proc, err := l.cfn.GetTemplate(ctx, &cfn.GetTemplateInput{StackName: aws.String("fn"), TemplateStage: cfntypes.TemplateStageProcessed})
	if err != nil {
		t.Fatal(err)
	}
	if b := aws.ToString(proc.TemplateBody); !strings.Contains(b, `"AWS::Lambda::Function"`) || !strings.Contains(b, `"Timeout":5`) || strings.Contains(b, "Serverless::Function") {
		t.Errorf("processed template = %s", b)
	}
	orig, err := l.cfn.GetTemplate(ctx, &cfn.GetTemplateInput{StackName: aws.String("fn")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(orig.TemplateBody) != samWithRole {
		t.Errorf("original template differs from what was submitted")
	}
	tr := l.trail(t)
	for _, want := range []string{`"action":"lambda:CreateFunction"`, `"action":"iam:PassRole"`} {
		if !strings.Contains(tr, want) {
			t.Errorf("trail lacks %s", want)
		}
	}
}

func TestServerlessFunctionNeedsPassRole(t *testing.T) {
	l := newLab(t)
	ctx := context.Background()
	makeUser(t, l, "erin")
	deny := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"iam:PassRole","Resource":"*"}]}`
	if _, err := l.iam.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("erin"), PolicyName: aws.String("no-pass"), PolicyDocument: aws.String(deny)}); err != nil {
		t.Fatal(err)
	}
	erin := cfn.NewFromConfig(l.s.Config("erin"))
	if _, err := erin.CreateStack(ctx, &cfn.CreateStackInput{StackName: aws.String("fn"), TemplateBody: aws.String(samWithRole),
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam, cfntypes.CapabilityCapabilityAutoExpand}}); err != nil {
		t.Fatal(err)
	}
	if st := l.stack(t, "fn"); st.StackStatus != cfntypes.StackStatusRollbackComplete {
		t.Fatalf("status = %s", st.StackStatus)
	}
	var reason string
	for _, e := range l.events(t, "fn") {
		if e.ResourceStatus == cfntypes.ResourceStatusCreateFailed {
			reason = aws.ToString(e.ResourceStatusReason)
		}
	}
	if !strings.Contains(reason, "is not authorized to perform: iam:PassRole") || !strings.Contains(reason, "with an explicit deny") {
		t.Errorf("reason = %q", reason)
	}
}
