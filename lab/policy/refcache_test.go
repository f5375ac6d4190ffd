package policy

import (
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestStatementRefsReuse checks that a remembered decisive-statement list
// is only returned when it names the same policies and statements.
func TestStatementRefsReuse(t *testing.T) {
	p := pol(t, Identity, `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"secretsmanager:*","Resource":"*"},{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`)
	in := &Input{Request: Request{Principal: bob, Action: "secretsmanager:GetSecretValue", Resource: secA}, Identity: []Named{{Name: "first", Policy: p}}}
	want := []StatementRef{{Policy: "first", Sid: "A", Index: 0, Effect: "Allow"}, {Policy: "first", Index: 1, Effect: "Allow"}}
	for range 2 {
		if diff := cmp.Diff(want, Evaluate(in).Statements); diff != "" {
			t.Errorf("statements (-want +got):\n%s", diff)
		}
	}
	in.Identity[0].Name = "renamed"
	want[0].Policy, want[1].Policy = "renamed", "renamed"
	if diff := cmp.Diff(want, Evaluate(in).Statements); diff != "" {
		t.Errorf("after rename (-want +got):\n%s", diff)
	}
	in.Request.Action = "secretsmanager:DescribeSecret"
	if diff := cmp.Diff(want[:1], Evaluate(in).Statements); diff != "" {
		t.Errorf("one statement (-want +got):\n%s", diff)
	}
}

// TestStatementRefsConcurrent evaluates the same policies under two names
// from several goroutines: every decision must name its own policy.
func TestStatementRefsConcurrent(t *testing.T) {
	p := pol(t, Identity, `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"secretsmanager:*","Resource":"*"}]}`)
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 8 {
		name := []string{"even", "odd"}[g%2]
		wg.Go(func() {
			in := &Input{Request: Request{Principal: bob, Action: "secretsmanager:GetSecretValue", Resource: secA}, Identity: []Named{{Name: name, Policy: p}}}
			for range 500 {
				d := Evaluate(in)
				if len(d.Statements) != 1 || d.Statements[0].Policy != name {
					errs <- name + ": " + fmtRefs(d.Statements)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func fmtRefs(refs []StatementRef) string {
	out := ""
	for _, r := range refs {
		out += r.String() + " "
	}
	return out
}
