package cloudformation_test

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cfn "github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/seclab-dev/seclab/lab/sandbox"
)

const secretValue = "super_secret_string"

// lab is a per-test sandbox with clients for the learner.
type lab struct {
	s   *sandbox.Server
	dir string
	cfn *cfn.Client
	kms *kms.Client
	sm  *secretsmanager.Client
	iam *iam.Client
}

func newLab(t *testing.T) *lab {
	t.Helper()
	dir := t.TempDir()
	s := sandbox.New(sandbox.WithSeed(7), sandbox.WithStateDir(dir))
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	cfg := s.Config("learner")
	return &lab{s: s, dir: dir, cfn: cfn.NewFromConfig(cfg), kms: kms.NewFromConfig(cfg),
		sm: secretsmanager.NewFromConfig(cfg), iam: iam.NewFromConfig(cfg)}
}

// trail returns the whole trail file once the sandbox has flushed it.
func (l *lab) trail(t *testing.T) string {
	t.Helper()
	if err := l.s.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(l.dir, sandbox.TrailFile))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func readTemplate(t *testing.T, name string) string {
	t.Helper()
	s, err := readBenchTemplate(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func readBenchTemplate(name string) (string, error) {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	return string(b), err
}

func params(kv ...string) []cfntypes.Parameter {
	var out []cfntypes.Parameter
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, cfntypes.Parameter{ParameterKey: aws.String(kv[i]), ParameterValue: aws.String(kv[i+1])})
	}
	return out
}

// deploy runs the change set path `aws cloudformation deploy` takes and
// returns the stack as DescribeStacks shows it afterwards.
func (l *lab) deploy(t *testing.T, name, body string, p []cfntypes.Parameter) cfntypes.Stack {
	t.Helper()
	ctx := context.Background()
	typ := cfntypes.ChangeSetTypeCreate
	if _, err := l.cfn.DescribeStacks(ctx, &cfn.DescribeStacksInput{StackName: aws.String(name)}); err == nil {
		typ = cfntypes.ChangeSetTypeUpdate
	}
	cs, err := l.cfn.CreateChangeSet(ctx, &cfn.CreateChangeSetInput{
		StackName: aws.String(name), ChangeSetName: aws.String("deploy-1"), ChangeSetType: typ,
		TemplateBody: aws.String(body), Parameters: p,
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam},
	})
	if err != nil {
		t.Fatalf("CreateChangeSet: %v", err)
	}
	w := cfn.NewChangeSetCreateCompleteWaiter(l.cfn)
	if err := w.Wait(ctx, &cfn.DescribeChangeSetInput{ChangeSetName: cs.Id, StackName: aws.String(name)}, 5e9); err != nil {
		t.Fatalf("change set wait: %v", err)
	}
	if _, err := l.cfn.ExecuteChangeSet(ctx, &cfn.ExecuteChangeSetInput{ChangeSetName: cs.Id, StackName: aws.String(name)}); err != nil {
		t.Fatalf("ExecuteChangeSet: %v", err)
	}
	return l.stack(t, name)
}

func (l *lab) stack(t *testing.T, name string) cfntypes.Stack {
	t.Helper()
	out, err := l.cfn.DescribeStacks(context.Background(), &cfn.DescribeStacksInput{StackName: aws.String(name)})
	if err != nil {
		t.Fatalf("DescribeStacks: %v", err)
	}
	if len(out.Stacks) != 1 {
		t.Fatalf("DescribeStacks returned %d stacks", len(out.Stacks))
	}
	return out.Stacks[0]
}

func (l *lab) events(t *testing.T, name string) []cfntypes.StackEvent {
	t.Helper()
	out, err := l.cfn.DescribeStackEvents(context.Background(), &cfn.DescribeStackEventsInput{StackName: aws.String(name)})
	if err != nil {
		t.Fatalf("DescribeStackEvents: %v", err)
	}
	return out.StackEvents
}

func (l *lab) resources(t *testing.T, name string) map[string]cfntypes.StackResource {
	t.Helper()
	out, err := l.cfn.DescribeStackResources(context.Background(), &cfn.DescribeStackResourcesInput{StackName: aws.String(name)})
	if err != nil {
		t.Fatalf("DescribeStackResources: %v", err)
	}
	m := map[string]cfntypes.StackResource{}
	for _, r := range out.StackResources {
		m[aws.ToString(r.LogicalResourceId)] = r
	}
	return m
}

// policyDoc decodes a policy document as IAM returns it (URL-encoded).
func policyDoc(t *testing.T, s *string) string {
	t.Helper()
	doc, err := url.QueryUnescape(aws.ToString(s))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// makeUser creates an IAM user with an access key and managed policies.
func makeUser(t *testing.T, l *lab, name string, managed ...string) {
	t.Helper()
	ctx := context.Background()
	if _, err := l.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
	if _, err := l.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
	for _, m := range managed {
		if _, err := l.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String(name), PolicyArn: aws.String(m)}); err != nil {
			t.Fatal(err)
		}
	}
}

func outputs(st cfntypes.Stack) map[string]string {
	m := map[string]string{}
	for _, o := range st.Outputs {
		m[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
	}
	return m
}

func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode() + ": " + ae.ErrorMessage()
	}
	if err == nil {
		return ""
	}
	return err.Error()
}

// statuses lists the events' (logical ID, status) pairs oldest first.
func statuses(ev []cfntypes.StackEvent) []string {
	var out []string
	for i := len(ev) - 1; i >= 0; i-- {
		out = append(out, aws.ToString(ev[i].LogicalResourceId)+" "+string(ev[i].ResourceStatus))
	}
	return out
}

// needsLambdaBasicRole skips a test of the SAM transform when the sandbox's
// IAM does not yet ship the AWS managed policy the transform attaches to
// every function role.
func needsLambdaBasicRole(t *testing.T, l *lab) {
	t.Helper()
	_, err := l.iam.GetPolicy(context.Background(), &iam.GetPolicyInput{
		PolicyArn: aws.String("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")})
	if err != nil {
		t.Skipf("the sandbox's IAM lacks AWSLambdaBasicExecutionRole, which the SAM transform attaches: %v", err)
	}
}

var notesTemplates = []struct {
	file string
	sam  bool
	// readPolicy and decryptPolicy are the role's inline policy names.
	readPolicy, decryptPolicy string
}{
	{"notes-plain.yaml", false, "ReadTheSecret", "DecryptWithTheKey"},
	{"notes.yaml", true, "ReaderFunctionRolePolicy0", "ReaderFunctionRolePolicy1"},
}

func TestDeployNotesTemplateWithItsOwnKey(t *testing.T) {
	for _, tc := range notesTemplates {
		t.Run(tc.file, func(t *testing.T) {
			l := newLab(t)
			if tc.sam {
				needsLambdaBasicRole(t, l)
			}
			checkOwnKey(t, l, tc.file, tc.sam, tc.readPolicy)
		})
	}
}

func checkOwnKey(t *testing.T, l *lab, file string, sam bool, readPolicy string) {
	ctx := context.Background()
	body := readTemplate(t, file)
	st := l.deploy(t, "notes", body, params("MySecret", secretValue, "KmsCmkId", ""))
	if st.StackStatus != cfntypes.StackStatusCreateComplete {
		for _, e := range l.events(t, "notes") {
			t.Log(aws.ToString(e.LogicalResourceId), e.ResourceStatus, aws.ToString(e.ResourceStatusReason))
		}
		t.Fatalf("status = %s (%s)", st.StackStatus, aws.ToString(st.StackStatusReason))
	}
	var shown []string
	for _, p := range st.Parameters {
		shown = append(shown, aws.ToString(p.ParameterKey)+"="+aws.ToString(p.ParameterValue))
	}
	if d := cmp.Diff([]string{"KeyOwner=learner", "KmsCmkId=", "MySecret=****"}, shown); d != "" {
		t.Errorf("parameters (-want +got):\n%s", d)
	}
	res := l.resources(t, "notes")
	ids := []string{"SecretKey", "SecretKeyAlias", "AppSecret", "ReaderFunctionRole"}
	if sam {
		ids = append(ids, "ReaderFunction")
		if r := aws.ToString(res["ReaderFunction"].ResourceStatusReason); !strings.Contains(r, "Recorded only") {
			t.Errorf("function status reason = %q, want it to say it was only recorded", r)
		}
	}
	for _, id := range ids {
		if res[id].ResourceStatus != cfntypes.ResourceStatusCreateComplete {
			t.Errorf("%s status = %s", id, res[id].ResourceStatus)
		}
	}
	keyID := aws.ToString(res["SecretKey"].PhysicalResourceId)
	pol, err := l.kms.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(keyID), PolicyName: aws.String("default")})
	if err != nil {
		t.Fatal(err)
	}
	if p := aws.ToString(pol.Policy); !strings.Contains(p, "secure-kms-policy") || !strings.Contains(p, "role/notes-ReaderFunctionRole-*") {
		t.Errorf("key policy is not the template's: %s", p)
	}
	aliases, err := l.kms.ListAliases(ctx, &kms.ListAliasesInput{KeyId: aws.String(keyID)})
	if err != nil {
		t.Fatal(err)
	}
	if len(aliases.Aliases) != 1 || aws.ToString(aliases.Aliases[0].AliasName) != "alias/notes-secret" {
		t.Errorf("aliases = %+v", aliases.Aliases)
	}
	secretARN := outputs(st)["SecretArn"]
	desc, err := l.sm.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(secretARN)})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(desc.KmsKeyId); !strings.HasSuffix(got, keyID) {
		t.Errorf("secret KmsKeyId = %s, want the stack's key %s", got, keyID)
	}
	val, err := l.sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(secretARN)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(val.SecretString) != secretValue {
		t.Errorf("secret value differs from the MySecret parameter")
	}
	roleName := aws.ToString(res["ReaderFunctionRole"].PhysicalResourceId)
	if !strings.HasPrefix(roleName, "notes-ReaderFunctionRole-") {
		t.Errorf("role name = %s", roleName)
	}
	inline, err := l.iam.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String(roleName), PolicyName: aws.String(readPolicy)})
	if err != nil {
		t.Fatal(err)
	}
	if doc := policyDoc(t, inline.PolicyDocument); !strings.Contains(doc, "secretsmanager:GetSecretValue") || !strings.Contains(doc, secretARN) {
		t.Errorf("role's read policy = %s", doc)
	}
	// The key policy names who may use the key: another administrator in
	// the account cannot read the secret.
	makeUser(t, l, "bob", "arn:aws:iam::aws:policy/AdministratorAccess")
	bob := secretsmanager.NewFromConfig(l.s.Config("bob"))
	_, err = bob.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(secretARN)})
	if got := apiCode(err); got != "AccessDeniedException: Access to KMS is not allowed" {
		t.Errorf("bob's GetSecretValue: %s, want AccessDeniedException: Access to KMS is not allowed", got)
	}
	if sam {
		attached, err := l.iam.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String(roleName)})
		if err != nil {
			t.Fatal(err)
		}
		if len(attached.AttachedPolicies) != 1 || aws.ToString(attached.AttachedPolicies[0].PolicyName) != "AWSLambdaBasicExecutionRole" {
			t.Errorf("attached policies = %+v", attached.AttachedPolicies)
		}
	}
	if outputs(st)["FunctionRoleArn"] != "arn:aws:iam::111122223333:role/"+roleName {
		t.Errorf("FunctionRoleArn output = %s", outputs(st)["FunctionRoleArn"])
	}
	for _, e := range l.events(t, "notes") {
		if strings.Contains(aws.ToString(e.ResourceStatusReason), secretValue) {
			t.Errorf("event leaks MySecret: %+v", e)
		}
	}
	for k, v := range outputs(st) {
		if strings.Contains(v, secretValue) {
			t.Errorf("output %s leaks MySecret", k)
		}
	}
	if tr := l.trail(t); strings.Contains(tr, secretValue) {
		t.Errorf("the trail contains MySecret")
	} else if !strings.Contains(tr, `"operation":"CreateSecret"`) || !strings.Contains(tr, "cloudformation.us-east-1.amazonaws.com") {
		t.Errorf("the trail lacks the CreateSecret call CloudFormation made for the caller")
	}
}

func TestDeployNotesTemplateWithExistingKey(t *testing.T) {
	for _, tc := range notesTemplates {
		t.Run(tc.file, func(t *testing.T) {
			l := newLab(t)
			if tc.sam {
				needsLambdaBasicRole(t, l)
			}
			ctx := context.Background()
			key, err := l.kms.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("learner's key")})
			if err != nil {
				t.Fatal(err)
			}
			keyID := aws.ToString(key.KeyMetadata.KeyId)
			st := l.deploy(t, "notes", readTemplate(t, tc.file), params("MySecret", secretValue, "KmsCmkId", keyID))
			if st.StackStatus != cfntypes.StackStatusCreateComplete {
				t.Fatalf("status = %s (%s)", st.StackStatus, aws.ToString(st.StackStatusReason))
			}
			res := l.resources(t, "notes")
			if _, ok := res["SecretKey"]; ok {
				t.Errorf("the stack created its own key although KmsCmkId was given")
			}
			if _, ok := outputs(st)["KeyArn"]; ok {
				t.Errorf("the conditional KeyArn output is present")
			}
			desc, err := l.sm.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(outputs(st)["SecretArn"])})
			if err != nil {
				t.Fatal(err)
			}
			if got := aws.ToString(desc.KmsKeyId); !strings.HasSuffix(got, keyID) {
				t.Errorf("secret KmsKeyId = %s, want %s", got, keyID)
			}
			roleName := aws.ToString(res["ReaderFunctionRole"].PhysicalResourceId)
			inline, err := l.iam.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String(roleName), PolicyName: aws.String(tc.decryptPolicy)})
			if err != nil {
				t.Fatal(err)
			}
			if doc := policyDoc(t, inline.PolicyDocument); !strings.Contains(doc, "kms:Decrypt") || !strings.Contains(doc, "key/"+keyID) {
				t.Errorf("decrypt policy = %s", doc)
			}
		})
	}
}
