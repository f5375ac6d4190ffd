package policy

import (
	"strings"
	"testing"
)

// TestActionSetAgreesWithPatterns checks that the per-statement catalog
// action set decides every catalog action, in every spelling, exactly as
// the compiled patterns do.
func TestActionSetAgreesWithPatterns(t *testing.T) {
	lists := [][]string{
		{"*"},
		{"kms:*"},
		{"KMS:Describe*", "kms:Get*", "kms:List*", "kms:PutKeyPolicy"},
		{"kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Encrypt"},
		{"kms:*Key*", "secretsmanager:?etSecretValue"},
		{"*:Get*", "s*:Describe*", "iam:PassRole", "sts:AssumeRole"},
		{"ec2:DescribeInstances", "s3:GetObject"},
		{"k*s:Decrypt"},
		{"iam:*Policy", "iam:Create?ccessKey"},
	}
	names := loadCatalog().names
	for _, list := range lists {
		pats := compileActions(list)
		bits := compileActionSet(pats)
		for _, name := range names {
			for _, spelling := range []string{name, strings.ToUpper(name), canonical(name)} {
				id := catalogActionID(spelling)
				if id < 0 {
					t.Fatalf("catalogActionID(%q) = -1", spelling)
				}
				if got, want := actionSetHas(bits, id), matchAnyAction(pats, spelling); got != want {
					t.Errorf("%v on %q: action set %v, patterns %v", list, spelling, got, want)
				}
			}
		}
	}
}

// canonical returns the catalog's own spelling of a lowercased action.
func canonical(lower string) string {
	a, ok := LookupAction(lower)
	if !ok {
		return lower
	}
	return a.Service + ":" + a.Name
}

func TestCatalogActionIDOutsideCatalog(t *testing.T) {
	for _, a := range []string{"", "kms", "kms:", "ec2:DescribeInstances", "kms:DecryptX", strings.Repeat("k", 200)} {
		if id := catalogActionID(a); id != -1 {
			t.Errorf("catalogActionID(%q) = %d, want -1", a, id)
		}
	}
}

// TestNotActionWithActionSet covers the inversion for NotAction statements
// on catalog and non-catalog actions.
func TestNotActionWithActionSet(t *testing.T) {
	id := named(t, "id", Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["kms:Decrypt","iam:*"],"Resource":"*"}]}`)
	tests := []struct {
		action string
		want   Result
	}{
		{"kms:Decrypt", ImplicitlyDenied},
		{"KMS:DECRYPT", ImplicitlyDenied},
		{"kms:Encrypt", Allowed},
		{"iam:GetRole", ImplicitlyDenied},
		{"secretsmanager:GetSecretValue", Allowed},
		{"ec2:DescribeInstances", Allowed},
	}
	for _, tt := range tests {
		in := &Input{Request: Request{Principal: bob, Action: tt.action, Resource: "*"}, Identity: []Named{id}}
		if got := Evaluate(in).Result; got != tt.want {
			t.Errorf("%s: %v, want %v", tt.action, got, tt.want)
		}
	}
}
