package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/seclab-dev/seclab/lab/ledger"
	"github.com/seclab-dev/seclab/lab/sandbox"
)

func TestOfferCleanup(t *testing.T) {
	a := startAsAWS(t)
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(a.dir, sandbox.CLIConfigFile))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(a.dir, sandbox.CLICredentialsFile))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	g := &globals{Target: a.sb.URL, Profile: "learner", StateDir: a.stateDir, Real: realFlags{AsAWS: true}}
	ctx := context.Background()
	led, err := ledger.Open(ledger.Path(a.stateDir))
	if err != nil {
		t.Fatal(err)
	}
	defer led.Close()
	p, err := led.Intent(ledger.Record{Run: "abc123", Lesson: "secrets-manager", Operation: "secretsmanager:CreateSecret", Type: ledger.TypeSecret, Name: "seclab-abc123/db"})
	if err != nil {
		t.Fatal(err)
	}
	sm := secretsmanager.NewFromConfig(a.sb.Config("learner"))
	if _, err := sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("seclab-abc123/db"), SecretString: aws.String("x")}); err != nil {
		t.Fatal(err)
	}
	p.Done("", "", "")
	exists := func() bool {
		_, err := sm.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("seclab-abc123/db")})
		return err == nil
	}
	tests := []struct {
		name, input string
		tty         bool
		want        []string
		gone        bool
	}{
		{"no terminal: a reminder only", "y\n", false, []string{"seclab: 1 resource(s) seclab created may still exist", "remove them with `seclab cleanup --target " + a.sb.URL + " --as-aws --profile learner --state-dir "}, false},
		{"declined", "n\n", true, []string{"Clean up now? [y/N] "}, false},
		{"accepted", "y\n", true, []string{"deleted secretsmanager:secret seclab-abc123/db", "Cleaned up 1 resource(s)."}, true},
		{"nothing left: silent", "y\n", true, nil, true},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		offerCleanup(ctx, strings.NewReader(tt.input), &out, g, tt.tty)
		for _, w := range tt.want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("%s: output lacks %q:\n%s", tt.name, w, out.String())
			}
		}
		if tt.want == nil && out.Len() != 0 {
			t.Errorf("%s: output %q, want none", tt.name, out.String())
		}
		if exists() == tt.gone {
			t.Errorf("%s: secret exists = %v", tt.name, !tt.gone)
		}
	}
}
