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
	"github.com/google/go-cmp/cmp"
)

const roleTemplate = `
Parameters:
  Suffix: {Type: String, Default: a}
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
`

func TestAPIErrors(t *testing.T) {
	l := newLab(t)
	ctx := context.Background()
	l.create(t, "exists", "Resources:\n  K:\n    Type: AWS::KMS::Key\n")
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"describe missing", func() error {
			_, err := l.cfn.DescribeStacks(ctx, &cfn.DescribeStacksInput{StackName: aws.String("nope")})
			return err
		}, "ValidationError: Stack with id nope does not exist"},
		{"events missing", func() error {
			_, err := l.cfn.DescribeStackEvents(ctx, &cfn.DescribeStackEventsInput{StackName: aws.String("nope")})
			return err
		}, "ValidationError: Stack with id nope does not exist"},
		{"already exists", func() error {
			_, err := l.cfn.CreateStack(ctx, &cfn.CreateStackInput{StackName: aws.String("exists"), TemplateBody: aws.String("Resources:\n  K:\n    Type: AWS::KMS::Key\n")})
			return err
		}, "AlreadyExistsException: Stack [exists] already exists"},
		{"bad name", func() error {
			_, err := l.cfn.CreateStack(ctx, &cfn.CreateStackInput{StackName: aws.String("bad_name"), TemplateBody: aws.String("Resources: {}")})
			return err
		}, "ValidationError: 1 validation error detected: Value 'bad_name' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*"},
		{"yaml", func() error {
			_, err := l.cfn.CreateStack(ctx, &cfn.CreateStackInput{StackName: aws.String("y"), TemplateBody: aws.String("Resources:\n  K: [\n")})
			return err
		}, "ValidationError: Template format error: YAML not well-formed. (line 2, column 6)"},
		{"json", func() error {
			_, err := l.cfn.ValidateTemplate(ctx, &cfn.ValidateTemplateInput{TemplateBody: aws.String(`{"Resources": {"K": }}`)})
			return err
		}, "ValidationError: Template format error: JSON not well-formed. (line 1, column 21)"},
		{"unresolved", func() error {
			_, err := l.cfn.ValidateTemplate(ctx, &cfn.ValidateTemplateInput{TemplateBody: aws.String("Resources:\n  K:\n    Type: AWS::KMS::Key\n    Properties:\n      Description: !Ref Missing\n")})
			return err
		}, "ValidationError: Template format error: Unresolved resource dependencies [Missing] in the Resources block of the template"},
		{"capabilities", func() error {
			_, err := l.cfn.CreateStack(ctx, &cfn.CreateStackInput{StackName: aws.String("r"), TemplateBody: aws.String(roleTemplate)})
			return err
		}, "InsufficientCapabilitiesException: Requires capabilities : [CAPABILITY_IAM]"},
		{"named capabilities", func() error {
			_, err := l.cfn.CreateStack(ctx, &cfn.CreateStackInput{StackName: aws.String("r"),
				TemplateBody: aws.String(strings.Replace(roleTemplate, "    Properties:\n", "    Properties:\n      RoleName: named\n", 1)),
				Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}})
			return err
		}, "InsufficientCapabilitiesException: Requires capabilities : [CAPABILITY_NAMED_IAM]"},
		{"transform needs auto expand", func() error {
			_, err := l.cfn.CreateStack(ctx, &cfn.CreateStackInput{StackName: aws.String("sam"), TemplateBody: aws.String(readTemplate(t, "notes.yaml")),
				Parameters: params("MySecret", secretValue), Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}})
			return err
		}, "InsufficientCapabilitiesException: Requires capabilities : [CAPABILITY_AUTO_EXPAND]"},
		{"unknown capability", func() error {
			_, err := l.cfn.CreateStack(ctx, &cfn.CreateStackInput{StackName: aws.String("r"), TemplateBody: aws.String(roleTemplate),
				Capabilities: []cfntypes.Capability{"CAPABILITY_EVERYTHING"}})
			return err
		}, "ValidationError: 1 validation error detected: Value '[CAPABILITY_EVERYTHING]' at 'capabilities' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [CAPABILITY_AUTO_EXPAND, CAPABILITY_NAMED_IAM, CAPABILITY_IAM]]"},
		{"missing parameter", func() error {
			_, err := l.cfn.CreateStack(ctx, &cfn.CreateStackInput{StackName: aws.String("p"), TemplateBody: aws.String(readTemplate(t, "notes-plain.yaml")),
				Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}})
			return err
		}, "ValidationError: Parameters: [MySecret] must have values"},
		{"short NoEcho parameter", func() error {
			_, err := l.cfn.CreateStack(ctx, &cfn.CreateStackInput{StackName: aws.String("p"), TemplateBody: aws.String(readTemplate(t, "notes-plain.yaml")),
				Parameters: params("MySecret", "short"), Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}})
			return err
		}, "ValidationError: Parameter 'MySecret' must contain at least 8 characters"},
		{"no updates", func() error {
			_, err := l.cfn.UpdateStack(ctx, &cfn.UpdateStackInput{StackName: aws.String("exists"), UsePreviousTemplate: aws.Bool(true)})
			return err
		}, "ValidationError: No updates are to be performed."},
		{"update missing", func() error {
			_, err := l.cfn.UpdateStack(ctx, &cfn.UpdateStackInput{StackName: aws.String("nope"), UsePreviousTemplate: aws.Bool(true)})
			return err
		}, "ValidationError: Stack with id nope does not exist"},
		{"change set missing", func() error {
			_, err := l.cfn.DescribeChangeSet(ctx, &cfn.DescribeChangeSetInput{StackName: aws.String("exists"), ChangeSetName: aws.String("none")})
			return err
		}, "ChangeSetNotFound: ChangeSet [none] does not exist"},
		{"template url", func() error {
			_, err := l.cfn.ValidateTemplate(ctx, &cfn.ValidateTemplateInput{TemplateURL: aws.String("https://s3.amazonaws.com/b/t.yaml")})
			return err
		}, "ValidationError: TemplateURL must reference a valid S3 object to which you have access."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := apiCode(tt.call()); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestValidateTemplateAndSummary(t *testing.T) {
	l := newLab(t)
	ctx := context.Background()
	body := readTemplate(t, "notes.yaml")
	v, err := l.cfn.ValidateTemplate(ctx, &cfn.ValidateTemplateInput{TemplateBody: aws.String(body)})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range v.Parameters {
		got = append(got, aws.ToString(p.ParameterKey)+" noecho="+map[bool]string{true: "yes", false: "no"}[aws.ToBool(p.NoEcho)])
	}
	if d := cmp.Diff([]string{"KeyOwner noecho=no", "KmsCmkId noecho=no", "MySecret noecho=yes"}, got); d != "" {
		t.Errorf("parameters (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]cfntypes.Capability{cfntypes.CapabilityCapabilityAutoExpand, cfntypes.CapabilityCapabilityIam}, v.Capabilities); d != "" {
		t.Errorf("capabilities (-want +got):\n%s", d)
	}
	if got, want := aws.ToString(v.CapabilitiesReason), "The following resource(s) require capabilities: [AWS::Serverless-2016-10-31, AWS::IAM::Role]"; got != want {
		t.Errorf("capabilities reason = %q, want %q", got, want)
	}
	if d := cmp.Diff([]string{"AWS::Serverless-2016-10-31"}, v.DeclaredTransforms); d != "" {
		t.Errorf("transforms (-want +got):\n%s", d)
	}
	sum, err := l.cfn.GetTemplateSummary(ctx, &cfn.GetTemplateSummaryInput{TemplateBody: aws.String(body)})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"AWS::IAM::Role", "AWS::KMS::Alias", "AWS::KMS::Key", "AWS::Lambda::Function", "AWS::SecretsManager::Secret"}
	types := append([]string(nil), sum.ResourceTypes...)
	slices.Sort(types)
	if d := cmp.Diff(want, types); d != "" {
		t.Errorf("resource types (-want +got):\n%s", d)
	}
}

func TestCallerPermissionsApply(t *testing.T) {
	l := newLab(t)
	ctx := context.Background()
	// carol may do nothing at all.
	makeUser(t, l, "carol")
	carol := cfn.NewFromConfig(l.s.Config("carol"))
	_, err := carol.CreateStack(ctx, &cfn.CreateStackInput{StackName: aws.String("c"), TemplateBody: aws.String("Resources:\n  K:\n    Type: AWS::KMS::Key\n")})
	want := "AccessDenied: User: arn:aws:iam::111122223333:user/carol is not authorized to perform: cloudformation:CreateStack on resource: arn:aws:cloudformation:us-east-1:111122223333:stack/c/* because no identity-based policy allows the cloudformation:CreateStack action"
	if got := apiCode(err); got != want {
		t.Errorf("carol's CreateStack:\ngot  %s\nwant %s", got, want)
	}
	// dave may use CloudFormation but not KMS: the stack he asks for is
	// created with his permissions, so the key fails and the stack rolls back.
	makeUser(t, l, "dave")
	if _, err := l.iam.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("dave"), PolicyName: aws.String("cfn"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"cloudformation:*","Resource":"*"}]}`)}); err != nil {
		t.Fatal(err)
	}
	dave := cfn.NewFromConfig(l.s.Config("dave"))
	if _, err := dave.CreateStack(ctx, &cfn.CreateStackInput{StackName: aws.String("d"), TemplateBody: aws.String("Resources:\n  K:\n    Type: AWS::KMS::Key\n")}); err != nil {
		t.Fatal(err)
	}
	out, err := dave.DescribeStackEvents(ctx, &cfn.DescribeStackEventsInput{StackName: aws.String("d")})
	if err != nil {
		t.Fatal(err)
	}
	var reason string
	for _, e := range out.StackEvents {
		if e.ResourceStatus == cfntypes.ResourceStatusCreateFailed {
			reason = aws.ToString(e.ResourceStatusReason)
		}
	}
	if !strings.Contains(reason, "user/dave is not authorized to perform: kms:CreateKey") || !strings.Contains(reason, "(HandlerErrorCode: AccessDenied)") {
		t.Errorf("key failure reason = %q", reason)
	}
	if st := l.stack(t, "d"); st.StackStatus != cfntypes.StackStatusRollbackComplete {
		t.Errorf("dave's stack = %s", st.StackStatus)
	}
}
