package check

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/seclab-dev/seclab/lessons"
)

func TestLint(t *testing.T) {
	src := "---\nid: lint\ntitle: Lint\nsummary: s\nminutes: 1\ntargets: [sandbox]\n---\n\n# Lint\n\n## Step 1: One\n\nDo it.\n\n```seclab-step\nid: one\nsetup:\n" +
		"  - run: aws kms create-key --descripton x\n" +
		"checks:\n" +
		"  - name: good\n    run: aws kms describe-key --key-id alias/{{run}}-k --query KeyMetadata.KeyId\n    expect: ok\n    fail: f\n" +
		"  - name: writes\n    run: aws kms schedule-key-deletion --key-id {{run}}\n    expect: ok\n    fail: f\n" +
		"  - name: typo\n    run: aws kms descrbe-key --key-id x\n    expect: ok\n    fail: f\n" +
		"hints:\n  - h\nsolution:\n  - run: aws secretsmanager create-secret --name {{run}}/s --secret-string\n" +
		"  - run: aws kms encrypt --key-id k --plaintext fileb://message.txt\n```\n"
	l, probs := lessons.Parse("01-lint/lesson.md", []byte(src))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	l.Dir = "01-lint"
	var got []string
	for _, p := range Lint(l) {
		got = append(got, p.Msg)
	}
	want := []string{
		`step "one": setup 1: "aws kms create-key --descripton x": aws: error: Unknown options: --descripton, x` + "\n\nUnknown option: '--descripton', maybe you meant:\n\n  * --description",
		`step "one": check 2 (writes): check command "aws kms schedule-key-deletion --key-id x": kms:ScheduleKeyDeletion may change state; checks must be read-only (get-*, describe-*, list-*, decrypt, verify, simulate-*, …)`,
		`step "one": check 3 (typo): "aws kms descrbe-key --key-id x": aws: error: argument operation: Invalid choice: 'descrbe-key', maybe you meant:` + "\n\n  * describe-key",
		`step "one": solution 1: "aws secretsmanager create-secret --name {{run}}/s --secret-string": aws: error: argument --secret-string: expected one argument`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestLintCourse(t *testing.T) {
	pack, err := lessons.Builtin()
	if err != nil {
		t.Skipf("the built-in course does not load: %v", err)
	}
	for _, l := range pack.Lessons {
		for _, p := range Lint(l) {
			t.Errorf("%s", p)
		}
	}
}
