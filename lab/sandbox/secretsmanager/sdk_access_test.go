package secretsmanager_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/google/go-cmp/cmp"
)

// TestSDKAccessDenied checks AWS's ordering and wording: authorization
// comes before the existence check, and the message names the SecretId as
// passed.
func TestSDKAccessDenied(t *testing.T) {
	l := newLab(t)
	l.persona("carol") // no policies at all
	arn := ""
	if out, err := l.sm("learner").CreateSecret(l.ctx, &sm.CreateSecretInput{Name: aws.String("team/db"), SecretString: aws.String("v")}); err != nil {
		t.Fatal(err)
	} else {
		arn = aws.ToString(out.ARN)
	}
	c := l.sm("carol")
	prefix := "AccessDeniedException: User: arn:aws:iam::111122223333:user/carol is not authorized to perform: secretsmanager:GetSecretValue on resource: "
	for _, id := range []string{"team/db", arn, "no/such/secret"} {
		_, err := c.GetSecretValue(l.ctx, &sm.GetSecretValueInput{SecretId: aws.String(id)})
		want := prefix + id + " because no identity-based policy allows the secretsmanager:GetSecretValue action"
		if got := apiError(err); got != want {
			t.Errorf("GetSecretValue(%s):\n got %s\nwant %s", id, got, want)
		}
	}
	_, err := c.ListSecrets(l.ctx, &sm.ListSecretsInput{})
	if got := apiError(err); got != "AccessDeniedException: User: arn:aws:iam::111122223333:user/carol is not authorized to perform: secretsmanager:ListSecrets because no identity-based policy allows the secretsmanager:ListSecrets action" {
		t.Errorf("ListSecrets: %s", got)
	}
}

// TestSDKConditionKeys checks that the condition keys Secrets Manager sets
// reach lab/policy: a tag condition and a stage condition in an inline
// policy.
func TestSDKConditionKeys(t *testing.T) {
	l := newLab(t)
	l.persona("dave")
	policy := `{"Version":"2012-10-17","Statement":[
	  {"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*",
	   "Condition":{"StringEquals":{"secretsmanager:ResourceTag/team":"data","secretsmanager:VersionStage":"AWSCURRENT"}}},
	  {"Effect":"Allow","Action":"secretsmanager:CreateSecret","Resource":"*",
	   "Condition":{"StringEquals":{"aws:RequestTag/team":"data"},"ForAllValues:StringEquals":{"aws:TagKeys":["team"]}}}]}`
	if _, err := iam.NewFromConfig(l.srv.Config("learner")).PutUserPolicy(l.ctx, &iam.PutUserPolicyInput{
		UserName: aws.String("dave"), PolicyName: aws.String("tagged"), PolicyDocument: aws.String(policy)}); err != nil {
		t.Fatal(err)
	}
	admin := l.sm("learner")
	for name, team := range map[string]string{"data/db": "data", "web/db": "web"} {
		if _, err := admin.CreateSecret(l.ctx, &sm.CreateSecretInput{Name: aws.String(name), SecretString: aws.String("v"),
			Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String(team)}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := admin.PutSecretValue(l.ctx, &sm.PutSecretValueInput{SecretId: aws.String(name), SecretString: aws.String("v2")}); err != nil {
			t.Fatal(err)
		}
	}
	c := l.sm("dave")
	tests := []struct {
		id, stage string
		ok        bool
	}{
		{"data/db", "AWSCURRENT", true},
		{"data/db", "AWSPREVIOUS", false},
		{"data/db", "", false}, // no VersionStage in the request: the key is absent
		{"web/db", "AWSCURRENT", false},
	}
	for _, tc := range tests {
		in := &sm.GetSecretValueInput{SecretId: aws.String(tc.id)}
		if tc.stage != "" {
			in.VersionStage = aws.String(tc.stage)
		}
		_, err := c.GetSecretValue(l.ctx, in)
		if (err == nil) != tc.ok {
			t.Errorf("GetSecretValue(%s, %q): %s", tc.id, tc.stage, apiError(err))
		}
	}
	_, err := c.CreateSecret(l.ctx, &sm.CreateSecretInput{Name: aws.String("data/new"), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("data")}}})
	if err != nil {
		t.Errorf("CreateSecret with the required tag: %s", apiError(err))
	}
	_, err = c.CreateSecret(l.ctx, &sm.CreateSecretInput{Name: aws.String("data/untagged")})
	if !strings.HasPrefix(apiError(err), "AccessDeniedException: ") {
		t.Errorf("CreateSecret without the tag: %s", apiError(err))
	}
}

func TestSDKStages(t *testing.T) {
	l := newLab(t)
	c := l.sm("learner")
	v1, err := c.CreateSecret(l.ctx, &sm.CreateSecretInput{Name: aws.String("s"), SecretString: aws.String("1")})
	if err != nil {
		t.Fatal(err)
	}
	v2, _ := c.PutSecretValue(l.ctx, &sm.PutSecretValueInput{SecretId: aws.String("s"), SecretString: aws.String("2"), VersionStages: []string{"AWSPENDING"}})
	_, err = c.UpdateSecretVersionStage(l.ctx, &sm.UpdateSecretVersionStageInput{SecretId: aws.String("s"), VersionStage: aws.String("AWSCURRENT"), MoveToVersionId: v2.VersionId})
	want := fmt.Sprintf("InvalidParameterException: The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version %s, so you must explicitly reference that version in RemoveFromVersionId.", aws.ToString(v1.VersionId))
	if got := apiError(err); got != want {
		t.Errorf("move without remove:\n got %s\nwant %s", got, want)
	}
	if _, err := c.UpdateSecretVersionStage(l.ctx, &sm.UpdateSecretVersionStageInput{SecretId: aws.String("s"), VersionStage: aws.String("AWSCURRENT"),
		MoveToVersionId: v2.VersionId, RemoveFromVersionId: v1.VersionId}); err != nil {
		t.Fatal(err)
	}
	list, err := c.ListSecretVersionIds(l.ctx, &sm.ListSecretVersionIdsInput{SecretId: aws.String("s")})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, v := range list.Versions {
		got[aws.ToString(v.VersionId)] = v.VersionStages
	}
	wantStages := map[string][]string{aws.ToString(v1.VersionId): {"AWSPREVIOUS"}, aws.ToString(v2.VersionId): {"AWSPENDING", "AWSCURRENT"}}
	if d := cmp.Diff(wantStages, got); d != "" {
		t.Errorf("stages (-want +got):\n%s", d)
	}
	_, err = c.GetSecretValue(l.ctx, &sm.GetSecretValueInput{SecretId: aws.String("s"), VersionId: v1.VersionId, VersionStage: aws.String("AWSCURRENT")})
	if got := apiError(err); got != "InvalidRequestException: You provided a VersionStage that is not associated to the provided VersionId." {
		t.Errorf("mismatch: %s", got)
	}
}

// TestSDKConcurrentClients runs 50 SDK clients at once (run with -race).
func TestSDKConcurrentClients(t *testing.T) {
	l := newLab(t)
	c := l.sm("learner")
	if _, err := c.CreateSecret(l.ctx, &sm.CreateSecretInput{Name: aws.String("shared"), SecretString: aws.String("0")}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := l.sm("learner")
			name := fmt.Sprint("own/", i)
			if _, err := c.CreateSecret(l.ctx, &sm.CreateSecretInput{Name: aws.String(name), SecretString: aws.String("v")}); err != nil {
				errs <- err
				return
			}
			if _, err := c.PutSecretValue(l.ctx, &sm.PutSecretValueInput{SecretId: aws.String("shared"), SecretString: aws.String(fmt.Sprint(i))}); err != nil {
				errs <- err
				return
			}
			if _, err := c.GetSecretValue(l.ctx, &sm.GetSecretValueInput{SecretId: aws.String("shared")}); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	list, err := c.ListSecretVersionIds(l.ctx, &sm.ListSecretVersionIdsInput{SecretId: aws.String("shared"), IncludeDeprecated: aws.Bool(true)})
	if err != nil || len(list.Versions) != 51 {
		t.Errorf("shared has %d versions, want 51 (%v)", len(list.Versions), err)
	}
	cur, prev := 0, 0
	for _, v := range list.Versions {
		for _, s := range v.VersionStages {
			switch s {
			case "AWSCURRENT":
				cur++
			case "AWSPREVIOUS":
				prev++
			}
		}
	}
	if cur != 1 || prev != 1 {
		t.Errorf("%d AWSCURRENT and %d AWSPREVIOUS labels after concurrent puts, want 1 and 1", cur, prev)
	}
}
