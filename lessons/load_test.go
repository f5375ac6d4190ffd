package lessons

import (
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestLoadGoodPack(t *testing.T) {
	p, err := LoadDir("testdata/good")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range p.Lessons {
		got = append(got, l.Dir+" "+l.ID)
	}
	if diff := cmp.Diff([]string{"01-first-steps first-steps", "02-lock-it-down lock-it-down"}, got); diff != "" {
		t.Fatalf("lessons (-want +got):\n%s", diff)
	}
	l, err := p.Find("2")
	if err != nil {
		t.Fatal(err)
	}
	want := &Lesson{
		Number: 2, Dir: "02-lock-it-down", ID: "lock-it-down", Title: "Lock it down",
		Summary: "Another user can read your secret; fix it with a key policy.", Minutes: 20,
		Targets: []string{"sandbox", "aws"},
		Personas: []Persona{
			{Name: "alice", ManagedPolicies: []string{"AdministratorAccess"}},
			{Name: "bob", ManagedPolicies: []string{"ReadOnlyAccess"}, InlinePolicy: "bob-extra.json"},
		},
		Cost: Cost{KMSKeys: 1, Secrets: 1, Requests: 40},
		Steps: []Step{
			{
				Number: 1, ID: "alice-secret", Title: "Store the secret", Line: 24,
				Task: "As `alice`, store the secret `{{run}}/db` with her own key.",
				Setup: []Action{{As: "alice", Run: `aws kms create-key --description "alice's key"`,
					Save: map[string]string{"alice_key": "KeyMetadata.KeyId"}, Line: 31}},
				Checks: []Check{{Name: "the secret uses alice's key", As: "alice",
					Run:    "aws secretsmanager describe-secret --secret-id {{run}}/db",
					Expect: Expect{Query: "KmsKeyId", Contains: "{{alice_key}}"},
					Fail:   "No secret named {{run}}/db encrypted with alice's key yet.", Line: 35}},
				Hints: []string{
					"Secrets Manager uses `aws/secretsmanager` unless you pass `--kms-key-id`.",
					"`aws secretsmanager create-secret --name {{run}}/db --kms-key-id …`",
				},
				Solution: []Action{{As: "alice", Line: 44,
					Run: "aws secretsmanager create-secret --name {{run}}/db --kms-key-id {{alice_key}} --secret-string hunter2"}},
			},
			{
				Number: 2, ID: "bob-reads", Title: "Prove bob can read it", Line: 48,
				Task: "Switch to bob with `as bob` and read the secret.",
				Checks: []Check{
					{Name: "bob read the secret", Line: 55, Fail: "bob has not read {{run}}/db yet.",
						Trail: &TrailMatch{Action: "secretsmanager:GetSecretValue", As: "bob", Outcome: "allowed"}},
					{Name: "bob's read used alice's key", Line: 58, Fail: "The trail shows no decrypt through Secrets Manager for bob.",
						Trail: &TrailMatch{Action: "kms:Decrypt", As: "bob", Via: "secretsmanager"}},
				},
				Hints:    []string{"`as bob`, then `aws secretsmanager get-secret-value --secret-id {{run}}/db`"},
				Solution: []Action{{As: "bob", Run: "aws secretsmanager get-secret-value --secret-id {{run}}/db", Line: 64}},
			},
			{
				Number: 3, ID: "secure-policy", Title: "Apply a secure key policy", Line: 68,
				Task: "Edit `secure-kms-key-policy.json` so that only alice may use the key, then apply it.",
				Checks: []Check{
					{Name: "the policy file is valid", File: "secure-kms-key-policy.json", Line: 75,
						Expect: Expect{Policy: "key", MaxSeverity: "warning"}, Fail: "The policy file has problems; see the findings."},
					{Name: "bob is denied", As: "bob", Run: "aws secretsmanager get-secret-value --secret-id {{run}}/db", Line: 79,
						Expect: Expect{Error: "AccessDeniedException"}, Fail: "bob can still read the secret."},
					{Name: "alice still reads", As: "alice", Run: "aws secretsmanager get-secret-value --secret-id {{run}}/db", Line: 84,
						Expect: Expect{OK: true}, Fail: "Your policy locked alice out too."},
					{Name: "the policy names alice", Line: 89,
						Run: "aws kms get-key-policy --key-id {{alice_key}} --policy-name default --output json",
						Expect: Expect{Query: "Policy", HasEquals: true, Equals: map[string]any{
							"Version": "2012-10-17", "Owner": "{{persona.alice.arn}}", "Count": float64(2),
							"Tags": []any{"a", true, nil},
						}},
						Fail: "The key policy does not name alice."},
				},
				Hints: []string{
					"Which statement still lets bob use the key?",
					"Name alice's ARN, `{{persona.alice.arn}}`, in the statement that allows kms:Decrypt.",
				},
				Solution: []Action{
					{Write: "secure-kms-key-policy.json", From: "secure-kms-key-policy.json", Line: 99},
					{As: "alice", Line: 101, Run: "aws kms put-key-policy --key-id {{alice_key}} --policy-name default --policy file://secure-kms-key-policy.json"},
					{Write: "notes.txt", Content: "Applied the secure policy to {{alice_key}}.\n", Line: 103},
				},
			},
		},
	}
	opts := cmp.Options{cmpopts.IgnoreFields(Lesson{}, "Intro", "Body", "Files", "Solutions")}
	if diff := cmp.Diff(want, l, opts); diff != "" {
		t.Errorf("lesson 2 (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(l.Intro, "# Lock it down") || !strings.Contains(l.Intro, "but can he?") {
		t.Errorf("Intro = %q", l.Intro)
	}
	if !strings.Contains(l.Intro, "## Why could Bob") || strings.Contains(l.Intro, "Step 1") {
		t.Errorf("Intro is not everything before the first step: %q", l.Intro)
	}
	for _, s := range []string{"## Why could Bob read it?", "## Step 3: Apply a secure key policy", "## Read more"} {
		if !strings.Contains(l.Body, s) {
			t.Errorf("Body lacks %q", s)
		}
	}
	if strings.Contains(l.Body, "seclab-step") || strings.Contains(l.Body, "alice-secret") {
		t.Errorf("Body still holds step blocks:\n%s", l.Body)
	}
	if _, err := fs.Stat(l.Files, "secure-kms-key-policy.json"); err != nil {
		t.Errorf("Files: %v", err)
	}
	if _, err := fs.Stat(l.Solutions, "secure-kms-key-policy.json"); err != nil {
		t.Errorf("Solutions: %v", err)
	}
	first, _ := p.Find("first-steps")
	entries, err := fs.ReadDir(first.Files, ".")
	if err != nil || len(entries) != 0 {
		t.Errorf("lesson 1 Files = %v, %v; want an empty folder", entries, err)
	}
	// A non-step level-2 section ends the last step's task.
	if got := first.Steps[1].Task; strings.Contains(got, "Recap") {
		t.Errorf("step 2 task runs into the recap: %q", got)
	}
}

func TestFind(t *testing.T) {
	p, err := LoadDir("testdata/good")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in, wantID, wantErr string
	}{
		{in: "1", wantID: "first-steps"},
		{in: "02", wantID: "lock-it-down"},
		{in: " lock-it-down ", wantID: "lock-it-down"},
		{in: "02-lock-it-down", wantID: "lock-it-down"},
		{in: "3", wantErr: `no lesson "3"; valid lesson numbers are 1, 2 (or a lesson ID; see "seclab list")`},
		{in: "nope", wantErr: `no lesson "nope"; valid lesson numbers are 1, 2 (or a lesson ID; see "seclab list")`},
	}
	for _, tt := range tests {
		l, err := p.Find(tt.in)
		var gotID, gotErr string
		if l != nil {
			gotID = l.ID
		}
		if err != nil {
			gotErr = err.Error()
		}
		if gotID != tt.wantID || gotErr != tt.wantErr {
			t.Errorf("Find(%q) = %q, %q; want %q, %q", tt.in, gotID, gotErr, tt.wantID, tt.wantErr)
		}
	}
	if _, err := (&Pack{}).Find("1"); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty pack: err = %v", err)
	}
}

func TestLoadErrors(t *testing.T) {
	if _, err := LoadDir("testdata/does-not-exist"); err == nil {
		t.Error("LoadDir of a missing folder succeeded")
	}
	if _, err := LoadDir("testdata/good/01-first-steps/lesson.md"); err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("LoadDir of a file: %v", err)
	}
	_, err := Load(fstest.MapFS{"README.md": {Data: []byte("hi")}})
	if diff := cmp.Diff(Problems{{Msg: `no lessons found: a pack holds folders named like "01-welcome" with a lesson.md`}}, ProblemsOf(err)); diff != "" {
		t.Errorf("empty pack (-want +got):\n%s", diff)
	}
	_, err = Load(fstest.MapFS{"01-a/files/x.json": {Data: []byte("{}")}})
	if diff := cmp.Diff(Problems{{File: "01-a/lesson.md", Msg: "missing: every lesson folder needs a lesson.md"}}, ProblemsOf(err)); diff != "" {
		t.Errorf("missing lesson.md (-want +got):\n%s", diff)
	}
	if _, err := LoadDir("testdata/bad"); err == nil || !strings.Contains(err.Error(), "problems in the lesson pack:\n01-broken/lesson.md:5: ") {
		t.Errorf("bad pack: %v", err)
	}
}

func TestBuiltinIsValid(t *testing.T) {
	p, err := Builtin()
	if err != nil {
		t.Fatalf("the built-in course does not load:\n%v", err)
	}
	if len(p.Lessons) == 0 {
		t.Fatal("the built-in course is empty")
	}
	for _, prob := range LintBuiltin() {
		t.Errorf("lint: %s", prob)
	}
}

func TestExpand(t *testing.T) {
	got, missing := Expand("{{run}}/db {{ key }} {{nope}}", map[string]string{"run": "seclab", "key": "k-1"})
	if diff := cmp.Diff("seclab/db k-1 {{nope}}", got); diff != "" {
		t.Error(diff)
	}
	if diff := cmp.Diff([]string{"nope"}, missing); diff != "" {
		t.Error(diff)
	}
	if diff := cmp.Diff([]string{"run", "persona.bob.arn"}, TemplateVars("a {{run}} b {{persona.bob.arn}}")); diff != "" {
		t.Error(diff)
	}
}

func TestMain(m *testing.M) { os.Exit(m.Run()) }
