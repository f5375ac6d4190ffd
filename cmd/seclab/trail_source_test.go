package main

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

func TestPrintEventMarksChecks(t *testing.T) {
	at := time.Date(2026, 12, 4, 18, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		e    svc.Event
		want string
	}{
		{"learner", svc.Event{Time: at, PrincipalName: "bob", Action: "secretsmanager:GetSecretValue", Decision: "ImplicitlyDenied"},
			"18:00:00 bob              secretsmanager:GetSecretValue            DENY"},
		{"check", svc.Event{Time: at, PrincipalName: "bob", Action: "secretsmanager:GetSecretValue", Decision: "ImplicitlyDenied", Source: "check"},
			"18:00:00 bob (check)      secretsmanager:GetSecretValue            DENY"},
	}
	for _, tc := range tests {
		var b strings.Builder
		if err := printEvent(&b, tc.e); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want+"\n", b.String()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}
