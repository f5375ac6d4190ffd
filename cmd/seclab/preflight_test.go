package main

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/seclab-dev/seclab/lab/sandbox"
	"github.com/seclab-dev/seclab/lessons"
)

// The sandbox's learner is in account 111122223333.
const sandboxAccount = "111122223333"

func TestPreflight(t *testing.T) {
	sb := sandbox.New(sandbox.WithStateDir(t.TempDir()))
	if err := sb.Start(); err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	cfg := sb.Config("learner")
	l := &lessons.Lesson{Number: 3, Title: "Secrets", Minutes: 20, Cost: lessons.Cost{KMSKeys: 1, Secrets: 2, Requests: 40},
		Personas: []lessons.Persona{{Name: "app"}}}
	tests := []struct {
		name    string
		real    realFlags
		env     string
		file    string
		tty     bool
		input   string
		wantErr string
	}{
		{name: "typed account ID", tty: true, input: sandboxAccount + "\n"},
		{name: "--yes without a terminal", real: realFlags{Yes: true}},
		{name: "declined", tty: true, input: "yes\n", wantErr: "AWS account 111122223333 not confirmed: nothing was created"},
		{name: "no answer", tty: true, input: "", wantErr: "not confirmed"},
		{name: "no terminal, no --yes", wantErr: "there is no terminal to ask on; run in a terminal, or pass --yes"},
		{name: "not allow-listed by flag", real: realFlags{Yes: true, AllowAccounts: []string{"444455556666"}},
			wantErr: "AWS account 111122223333 (arn:aws:iam::111122223333:user/learner) is not on the allow-list (444455556666)"},
		{name: "not allow-listed by env", real: realFlags{Yes: true}, env: "444455556666, 777788889999", wantErr: "is not on the allow-list (444455556666, 777788889999)"},
		{name: "not allow-listed by file", real: realFlags{Yes: true}, file: "# lab accounts\n444455556666\n", wantErr: "is not on the allow-list (444455556666)"},
		{name: "allow-listed", real: realFlags{Yes: true, AllowAccounts: []string{"444455556666", sandboxAccount}}},
		{name: "bad allow-list entry", real: realFlags{Yes: true, AllowAccounts: []string{"12345"}}, wantErr: `allow-list entry "12345" is not a 12-digit AWS account ID`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(allowedAccountsEnv, tt.env)
			g := &globals{Target: "aws", StateDir: t.TempDir(), Real: tt.real}
			if tt.file != "" {
				if err := os.WriteFile(filepath.Join(g.StateDir, allowedAccountsFile), []byte(tt.file), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			var out bytes.Buffer
			account, err := preflight(context.Background(), g, cfg, strings.NewReader(tt.input), &out, tt.tty, []*lessons.Lesson{l})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("preflight: %v\n%s", err, out.String())
			}
			if account != sandboxAccount {
				t.Errorf("account = %q", account)
			}
			for _, want := range []string{"account:   111122223333", "principal: arn:aws:iam::111122223333:user/learner",
				"region:    us-east-1", "3. Secrets: 1 KMS key(s), 2 secret(s), ~40 requests, role seclab-<run>-app", "estimated cost: $0."} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("preflight output lacks %q:\n%s", want, out.String())
				}
			}
		})
	}
}

func TestDeclinedIsErrDeclined(t *testing.T) {
	sb := sandbox.New(sandbox.WithStateDir(t.TempDir()))
	if err := sb.Start(); err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	g := &globals{Target: "aws", StateDir: t.TempDir()}
	_, err := preflight(context.Background(), g, sb.Config("learner"), strings.NewReader("444455556666\n"), &bytes.Buffer{}, true, nil)
	if !errors.Is(err, errDeclined) {
		t.Fatalf("err = %v, want errDeclined", err)
	}
}

func TestRealConfigNeedsProfile(t *testing.T) {
	t.Setenv("AWS_PROFILE", "")
	for _, g := range []*globals{{Target: "aws"}, {Target: "http://127.0.0.1:1", Real: realFlags{AsAWS: true}}} {
		_, err := realConfig(context.Background(), g)
		if err == nil || !strings.Contains(err.Error(), "needs --profile (or AWS_PROFILE): seclab never falls back to default credentials") {
			t.Errorf("%s: err = %v", g.Target, err)
		}
	}
}

func TestEstimateCost(t *testing.T) {
	ls := []*lessons.Lesson{
		{Minutes: 20, Cost: lessons.Cost{KMSKeys: 3, Requests: 120}},
		{Minutes: 90, Cost: lessons.Cost{KMSKeys: 1, Secrets: 2, Requests: 40}},
	}
	got := estimateCost(ls)
	// 20 minutes bill as 1 hour, 90 as 2.
	want := estimate{Keys: 4, Secrets: 2, Requests: 160, Hours: 3,
		Dollars: 3*1.0*1/730 + 1*1.0*2/730 + 2*0.40*2/730 + 160*0.03/10000}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b float64) bool { return math.Abs(a-b) < 1e-12 })); diff != "" {
		t.Errorf("estimate (-want +got):\n%s", diff)
	}
}
