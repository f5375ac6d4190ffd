package cleanup

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/google/go-cmp/cmp"

	"github.com/seclab-dev/seclab/lab/ledger"
	"github.com/seclab-dev/seclab/lab/sandbox"
)

func startSandbox(t *testing.T) aws.Config {
	t.Helper()
	sb := sandbox.New(sandbox.WithStateDir(t.TempDir()))
	if err := sb.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	return sb.Config("learner")
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func TestSeclabName(t *testing.T) {
	tests := []struct {
		name, run string
		ok        bool
	}{
		{"seclab-3fa9c1-alice", "3fa9c1", true},
		{"seclab-3fa9c1/app/db", "3fa9c1", true},
		{"alias/seclab-3fa9c1-sym", "3fa9c1", true},
		{"seclab-3fa9c1", "", false},
		{"seclab-XYZ123-alice", "", false},
		{"my-seclab-3fa9c1-x", "", false},
		{"seclab/db", "", false},
		{"alias/seclab-3fa9c1/x", "", false},
	}
	for _, tt := range tests {
		run, ok := SeclabName(tt.name)
		if run != tt.run || ok != tt.ok {
			t.Errorf("SeclabName(%q) = %q, %v; want %q, %v", tt.name, run, ok, tt.run, tt.ok)
		}
	}
}

// TestCleanupTouchesOnlySeclabs seeds an account with the learner's own
// resources, seclab-named resources that are neither tagged nor in the
// ledger, and a run's resources (some only in the ledger, some only
// tagged, one only intended); cleanup removes exactly the run's.
func TestCleanupTouchesOnlySeclabs(t *testing.T) {
	ctx := context.Background()
	cfg := startSandbox(t)
	k, sm, im := kms.NewFromConfig(cfg), secretsmanager.NewFromConfig(cfg), iam.NewFromConfig(cfg)
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}`
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:DescribeKey","Resource":"*"}]}`

	// The learner's own, some named like seclab's but untagged and unknown.
	ownKey := must[*kms.CreateKeyOutput](t)(k.CreateKey(ctx, &kms.CreateKeyInput{}))
	must[*kms.CreateAliasOutput](t)(k.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/seclab-000000-mine"), TargetKeyId: ownKey.KeyMetadata.KeyId}))
	must[*secretsmanager.CreateSecretOutput](t)(sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("seclab-000000/mine"), SecretString: aws.String("x")}))
	must[*iam.CreateRoleOutput](t)(im.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("seclab-000000-mine"), AssumeRolePolicyDocument: aws.String(trust)}))
	// Tagged, but not named as seclab's.
	must[*iam.CreateUserOutput](t)(im.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("dev"), Tags: []iamtypes.Tag{{Key: aws.String(TagRun), Value: aws.String("abc123")}}}))
	before := must[Inventory](t)(TakeInventory(ctx, cfg))

	led := must[*ledger.Ledger](t)(ledger.Open(filepath.Join(t.TempDir(), ledger.FileName)))
	defer led.Close()
	rec := func(typ, op, name string) *ledger.Pending {
		return must[*ledger.Pending](t)(led.Intent(ledger.Record{Run: "abc123", Lesson: "kms", Operation: op, Type: typ, Name: name}))
	}
	ktags := []kmstypes.Tag{{TagKey: aws.String(TagRun), TagValue: aws.String("abc123")}}
	p := rec(ledger.TypeKey, "kms:CreateKey", "")
	key := must[*kms.CreateKeyOutput](t)(k.CreateKey(ctx, &kms.CreateKeyInput{Tags: ktags}))
	p.Done(aws.ToString(key.KeyMetadata.Arn), aws.ToString(key.KeyMetadata.KeyId), "")
	rec(ledger.TypeAlias, "kms:CreateAlias", "alias/seclab-abc123-sym").Done("", "", "")
	must[*kms.CreateAliasOutput](t)(k.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/seclab-abc123-sym"), TargetKeyId: key.KeyMetadata.KeyId}))
	// Only tagged (another machine's run): still seclab's.
	must[*secretsmanager.CreateSecretOutput](t)(sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("seclab-abc123/app/db"), SecretString: aws.String("x"),
		Tags: []smtypes.Tag{{Key: aws.String(TagRun), Value: aws.String("abc123")}}}))
	// Already scheduled for deletion with a recovery window.
	rec(ledger.TypeSecret, "secretsmanager:CreateSecret", "seclab-abc123/old").Done("", "", "")
	must[*secretsmanager.CreateSecretOutput](t)(sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("seclab-abc123/old"), SecretString: aws.String("x")}))
	must[*secretsmanager.DeleteSecretOutput](t)(sm.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: aws.String("seclab-abc123/old"), RecoveryWindowInDays: aws.Int64(7)}))
	// Only intended: the process died before the outcome was written.
	rec(ledger.TypeRole, "iam:CreateRole", "seclab-abc123-alice")
	must[*iam.CreateRoleOutput](t)(im.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("seclab-abc123-alice"), AssumeRolePolicyDocument: aws.String(trust)}))
	must[*iam.AttachRolePolicyOutput](t)(im.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("seclab-abc123-alice"), PolicyArn: aws.String("arn:aws:iam::aws:policy/SecretsManagerReadWrite")}))
	rec(ledger.TypeRolePolicy, "iam:PutRolePolicy", "seclab-abc123-alice/inline").Done("", "", "")
	must[*iam.PutRolePolicyOutput](t)(im.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("seclab-abc123-alice"), PolicyName: aws.String("inline"), PolicyDocument: aws.String(doc)}))
	rec(ledger.TypeUser, "iam:CreateUser", "seclab-abc123-dev").Done("", "", "")
	must[*iam.CreateUserOutput](t)(im.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("seclab-abc123-dev")}))
	must[*iam.CreateAccessKeyOutput](t)(im.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("seclab-abc123-dev")}))
	must[*iam.PutUserPolicyOutput](t)(im.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("seclab-abc123-dev"), PolicyName: aws.String("no-delete"), PolicyDocument: aws.String(doc)}))
	rec(ledger.TypePolicy, "iam:CreatePolicy", "seclab-abc123-read").Done("", "", "")
	pol := must[*iam.CreatePolicyOutput](t)(im.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("seclab-abc123-read"), PolicyDocument: aws.String(doc)}))
	must[*iam.CreatePolicyVersionOutput](t)(im.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: pol.Policy.Arn, PolicyDocument: aws.String(doc), SetAsDefault: true}))
	must[*iam.AttachUserPolicyOutput](t)(im.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("seclab-abc123-dev"), PolicyArn: pol.Policy.Arn}))
	// A ledger entry whose resource was never made.
	rec(ledger.TypeSecret, "secretsmanager:CreateSecret", "seclab-abc123/never")

	entries := load(t, led.Path())
	plan := must[*Plan](t)(Scan(ctx, cfg, entries, Filter{}))
	var labels []string
	for _, r := range plan.Resources {
		labels = append(labels, r.Label())
	}
	want := []string{"kms:alias alias/seclab-abc123-sym", "kms:key " + aws.ToString(key.KeyMetadata.KeyId),
		"secretsmanager:secret seclab-abc123/app/db", "secretsmanager:secret seclab-abc123/old",
		"iam:role seclab-abc123-alice", "iam:user seclab-abc123-dev", "iam:policy seclab-abc123-read"}
	if diff := cmp.Diff(want, labels); diff != "" {
		t.Fatalf("plan (-want +got):\n%s", diff)
	}
	if len(plan.Settled) != 1 || plan.Settled[0].Name != "seclab-abc123/never" {
		t.Errorf("settled = %+v, want the never-created secret", plan.Settled)
	}
	for _, r := range Execute(ctx, cfg, plan, led, nil) {
		if r.Err != nil {
			t.Errorf("%s: %v", r.Resource.Label(), r.Err)
		}
	}
	after := must[Inventory](t)(TakeInventory(ctx, cfg))
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("account after cleanup differs from before (-before +after):\n%s", diff)
	}
	// Idempotent: a second run finds nothing and leaves no live entry.
	entries = load(t, led.Path())
	for _, e := range entries {
		if e.Live() {
			t.Errorf("ledger entry still live after cleanup: %+v", e)
		}
	}
	plan = must[*Plan](t)(Scan(ctx, cfg, entries, Filter{}))
	if len(plan.Resources) != 0 {
		t.Errorf("second scan plans %d resources, want 0", len(plan.Resources))
	}
}

func TestFilterByLesson(t *testing.T) {
	ctx := context.Background()
	cfg := startSandbox(t)
	sm := secretsmanager.NewFromConfig(cfg)
	for _, l := range []string{"one", "two"} {
		must[*secretsmanager.CreateSecretOutput](t)(sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("seclab-abc123/" + l), SecretString: aws.String("x"),
			Tags: []smtypes.Tag{{Key: aws.String(TagRun), Value: aws.String("abc123")}, {Key: aws.String(TagLesson), Value: aws.String(l)}}}))
	}
	plan := must[*Plan](t)(Scan(ctx, cfg, nil, Filter{Lesson: "two"}))
	if len(plan.Resources) != 1 || plan.Resources[0].Name != "seclab-abc123/two" {
		t.Fatalf("plan = %+v, want only lesson two's secret", plan.Resources)
	}
}

func load(t *testing.T, path string) []ledger.Entry {
	t.Helper()
	e, bad, err := ledger.Load(path)
	if err != nil || bad != 0 {
		t.Fatalf("load ledger: %v (%d bad lines)", err, bad)
	}
	return e
}

// FuzzSeclabName: a name is seclab's only when it starts with seclab's
// prefix and the run it reports.
func FuzzSeclabName(f *testing.F) {
	for _, s := range []string{"seclab-3fa9c1-alice", "alias/seclab-3fa9c1-x", "seclab-3fa9c1/db", "seclab", "alias/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		run, ok := SeclabName(name)
		if !ok {
			if run != "" {
				t.Fatalf("SeclabName(%q) = %q, false", name, run)
			}
			return
		}
		if !runPattern.MatchString(run) {
			t.Fatalf("SeclabName(%q) run %q is not a run ID", name, run)
		}
		if !strings.HasPrefix(name, "seclab-"+run) && !strings.HasPrefix(name, "alias/seclab-"+run+"-") {
			t.Fatalf("SeclabName(%q) = %q, but the name does not start with it", name, run)
		}
	})
}
