package secretsmanager_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/seclab-dev/seclab/lab/sandbox"
)

// TestSeededIDs checks that a seeded sandbox gives the same ARN suffix and
// password for the same calls, as golden files need. (Version IDs come
// from the ClientRequestToken the SDK generates, so they differ unless the
// caller passes one.)
func TestSeededIDs(t *testing.T) {
	run := func() [2]string {
		srv := sandbox.New(sandbox.WithSeed(42))
		if err := srv.Start(); err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		c := sm.NewFromConfig(srv.Config("learner"))
		ctx := context.Background()
		out, err := c.CreateSecret(ctx, &sm.CreateSecretInput{Name: aws.String("seeded"), SecretString: aws.String("v")})
		if err != nil {
			t.Fatal(err)
		}
		pw, err := c.GetRandomPassword(ctx, &sm.GetRandomPasswordInput{})
		if err != nil {
			t.Fatal(err)
		}
		return [2]string{aws.ToString(out.ARN), aws.ToString(pw.RandomPassword)}
	}
	a, b := run(), run()
	if a != b {
		t.Errorf("seeded runs differ:\n%v\n%v", a, b)
	}
}
