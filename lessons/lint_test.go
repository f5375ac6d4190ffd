package lessons

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

// minimal is a valid lesson; each malformed case edits it.
const minimal = `---
id: tiny
title: Tiny
summary: The smallest valid lesson.
minutes: 5
targets: [sandbox]
personas:
  - name: bob
    managed_policies: [ReadOnlyAccess]
---

# Tiny

Intro.

## Step 1: Make a key

Make a key.

` + "```seclab-step" + `
id: make-key
setup:
  - run: aws kms create-key
    save: {key_id: KeyMetadata.KeyId}
checks:
  - name: the key exists
    run: aws kms describe-key --key-id {{key_id}}
    expect: ok
    fail: No key yet.
hints: [Use create-key.]
solution:
  - run: aws kms create-key
` + "```\n"

func lintOne(t *testing.T, lesson string, extra fstest.MapFS) []string {
	t.Helper()
	fsys := fstest.MapFS{"01-tiny/lesson.md": {Data: []byte(lesson)}}
	for k, v := range extra {
		fsys[k] = v
	}
	var out []string
	for _, p := range Lint(fsys) {
		out = append(out, p.String())
	}
	return out
}

func TestLintMinimalIsValid(t *testing.T) {
	if got := lintOne(t, minimal, nil); len(got) != 0 {
		t.Fatalf("minimal lesson has problems:\n%s", strings.Join(got, "\n"))
	}
}

func TestLintMalformed(t *testing.T) {
	const f = "01-tiny/lesson.md:"
	tests := []struct {
		name     string
		old, new string // replace old with new in minimal
		want     []string
	}{
		{"no front matter", "---\nid: tiny", "id: tiny", []string{f + "1: missing front matter: the file must start with a \"---\" line"}},
		{"unclosed front matter", "---\n\n# Tiny", "\n# Tiny", []string{f + "1: front matter is never closed: add a \"---\" line after it"}},
		{"unknown front matter key", "minutes: 5", "minutes: 5\nauthor: me", []string{f + `6: front matter: unknown key "author"`}},
		{"misspelt front matter key", "summary:", "sumary:", []string{
			f + `2: front matter: missing required key "summary"`,
			f + `4: front matter: unknown key "sumary" (did you mean "summary"?)`,
		}},
		{"bad id", "id: tiny", "id: Tiny_1", []string{f + `2: front matter: id "Tiny_1": use lower-case letters, digits and single dashes`}},
		{"minutes not a number", "minutes: 5", "minutes: five", []string{f + "5: front matter: minutes: want a whole number, got a string"}},
		{"minutes out of range", "minutes: 5", "minutes: 0", []string{f + "5: front matter: minutes: 0 is out of range 1–120"}},
		{"unknown target", "[sandbox]", "[sandbox, azure]", []string{f + `6: front matter: targets: unknown target "azure": want "sandbox", "aws" or "endpoint"`}},
		{"persona named learner", "name: bob", "name: learner", []string{f + `8: front matter: persona 1: "learner" is the learner's own identity; pick another persona name`}},
		{"missing inline policy file", "[ReadOnlyAccess]", "[ReadOnlyAccess]\n    inline_policy: extra.json", []string{f + `2: front matter: persona "bob": inline_policy "extra.json" is not in 01-tiny/files/`}},
		{"yaml syntax error", "targets: [sandbox]", "targets: [sandbox", []string{f + "7: front matter: invalid YAML: ',' or ']' must be specified"}},
		{"no title heading", "# Tiny\n", "", []string{f + "11: the body has no \"# Title\" heading"}},
		{"no steps", "## Step 1: Make a key", "## Make a key", []string{f + "11: the lesson has no steps: add a \"## Step 1: Title\" section with a seclab-step block", f + "20: a seclab-step block must be inside a \"## Step N: Title\" section"}},
		{"malformed step heading", "## Step 1: Make a key", "## Step one: Make a key", []string{f + "11: the lesson has no steps: add a \"## Step 1: Title\" section with a seclab-step block", f + "16: malformed step heading: want \"## Step N: Title\"", f + "20: a seclab-step block must be inside a \"## Step N: Title\" section"}},
		{"step numbered wrong", "## Step 1:", "## Step 2:", []string{f + "16: step 2: steps must be numbered 1, 2, 3… in order; this should be step 1"}},
		{"step without block", "```seclab-step", "```yaml", nil},
		{"unclosed fence", "solution:\n  - run: aws kms create-key\n```\n", "solution:\n  - run: aws kms create-key\n", []string{f + "20: fenced code block is never closed"}},
		{"unknown step key", "hints:", "hint: [x]\nhints:", []string{f + "30: step \"make-key\": unknown key \"hint\" (did you mean \"hints\"?)"}},
		{"missing hints", "hints: [Use create-key.]\n", "", []string{f + "21: step \"make-key\": missing required key \"hints\""}},
		{"empty hints", "hints: [Use create-key.]", "hints: []", []string{f + "30: step \"make-key\": hints: give at least one hint"}},
		{"missing solution", "solution:\n  - run: aws kms create-key\n", "", []string{f + "21: step \"make-key\": missing required key \"solution\""}},
		{"unknown expect key", "expect: ok", "expect: {query: KeyMetadata.KeyId, equal: 1}", []string{f + "28: step \"make-key\": check 1 (the key exists): expect: unknown key \"equal\" (did you mean \"equals\"?)", f + "28: step \"make-key\": check 1 (the key exists): expect: \"query\" needs exactly one of \"equals\", \"contains\" or \"matches\""}},
		{"expect typo", "expect: ok", "expect: okay", []string{f + "28: step \"make-key\": check 1 (the key exists): expect: want ok, {error: CODE} or {query: Q, equals|contains|matches: V}, got \"okay\" (did you mean \"ok\"?)"}},
		{"run check without expect", "    expect: ok\n", "", []string{f + "26: step \"make-key\": check 1 (the key exists): a \"run\" check needs \"expect\" (ok, {error: CODE} or {query: …})"}},
		{"check without fail", "    fail: No key yet.\n", "", []string{f + "26: step \"make-key\": check 1 (the key exists): missing required key \"fail\" (the message the learner sees)"}},
		{"check with two forms", "expect: ok", "expect: ok\n    file: x.json", []string{f + "26: step \"make-key\": check 1 (the key exists): a check has exactly one of \"run\", \"trail\" or \"file\""}},
		{"bad regexp", "expect: ok", "expect: {query: KeyMetadata.KeyId, matches: \"(\"}", []string{f + "28: step \"make-key\": check 1 (the key exists): expect: matches: invalid regular expression: error parsing regexp: missing closing ): `(`"}},
		{"bad query", "expect: ok", "expect: {query: \"a.[\", equals: 1}", []string{f + "26: step \"make-key\": check 1 (the key exists): expect: invalid JMESPath query \"a.[\": SyntaxError: Incomplete expression"}},
		{"error code with query", "expect: ok", "expect: {error: NotFoundException, query: x}", []string{f + "28: step \"make-key\": check 1 (the key exists): expect: \"error\" stands alone: it cannot be combined with a query"}},
		{"trail outcome typo", "    run: aws kms describe-key --key-id {{key_id}}\n    expect: ok\n", "    trail: {action: kms:CreateKey, outcome: allow}\n", []string{f + "27: step \"make-key\": check 1 (the key exists): trail: outcome: unknown outcome \"allow\": want \"allowed\", \"denied\", \"error\" or \"ok\" (did you mean \"allowed\"?)"}},
		{"trail action shape", "    run: aws kms describe-key --key-id {{key_id}}\n    expect: ok\n", "    trail: {action: CreateKey}\n", []string{f + "27: step \"make-key\": check 1 (the key exists): trail: action \"CreateKey\": want service:Operation, e.g. kms:Decrypt"}},
		{"file check policy typo", "    run: aws kms describe-key --key-id {{key_id}}\n    expect: ok\n", "    file: p.json\n    expect: {policy: kye}\n", []string{f + "26: step \"make-key\": check 1 (the key exists): file \"p.json\" is neither a starter file in 01-tiny/files/ nor written by a write action", f + "28: step \"make-key\": check 1 (the key exists): expect: policy: unknown policy type \"kye\": want \"identity\", \"resource\", \"key\" or \"trust\" (did you mean \"key\"?)"}},
		{"unknown persona", "    run: aws kms describe", "    as: bbo\n    run: aws kms describe", []string{f + "26: step \"make-key\": check 1 (the key exists): as: unknown persona \"bbo\": declare it in the front matter's personas (known: bob, learner) (did you mean \"bob\"?)"}},
		{"variable used before save", "  - run: aws kms create-key\n    save", "  - run: aws kms describe-key --key-id {{key_id}}\n  - run: aws kms create-key\n    save", []string{f + "23: step \"make-key\": setup 1: {{key_id}}: used before it is saved (step 1's setup saves it)"}},
		{"unknown variable", "{{key_id}}", "{{kye_id}}", []string{f + "26: step \"make-key\": check 1 (the key exists): {{kye_id}}: unknown variable (did you mean \"key_id\"?)"}},
		{"unknown persona variable", "{{key_id}}", "{{persona.eve.arn}}", []string{f + "26: step \"make-key\": check 1 (the key exists): {{persona.eve.arn}}: persona \"eve\" is not declared in the front matter"}},
		{"unbalanced braces", "{{key_id}}", "{{key_id}", []string{f + "26: step \"make-key\": check 1 (the key exists): unbalanced template braces in \"aws kms describe-key --key-id {{key_id}\""}},
		{"saving a built-in", "save: {key_id:", "save: {run:", []string{f + "24: step \"make-key\": setup 1: save: \"run\" is a built-in variable; pick another name", f + "26: step \"make-key\": check 1 (the key exists): {{key_id}}: unknown variable"}},
		{"write from missing file", "solution:\n  - run: aws kms create-key", "solution:\n  - write: p.json\n    from: p.json", []string{f + "32: step \"make-key\": solution 1: from \"p.json\" is not in 01-tiny/solutions/"}},
		{"write with both", "solution:\n  - run: aws kms create-key", "solution:\n  - write: p.json\n    from: p.json\n    content: x", []string{f + "32: step \"make-key\": solution 1: \"write\" takes either \"from\" or \"content\", not both"}},
		{"write outside workspace", "solution:\n  - run: aws kms create-key", "solution:\n  - write: ../p.json\n    content: x", []string{f + "32: step \"make-key\": solution 1: write: \"../p.json\" must be a relative path inside the workspace"}},
		{"action with neither", "solution:\n  - run: aws kms create-key", "solution:\n  - as: bob", []string{f + "32: step \"make-key\": solution 1: an action needs \"run\" (a command) or \"write\" (a workspace file)"}},
		{"yaml alias", "hints: [Use create-key.]", "hints: [&h Use create-key., *h]", []string{f + "30: step \"make-key\": YAML aliases are not supported; repeat the value"}},
		{"hint not a string", "hints: [Use create-key.]", "hints: [42]", []string{f + "30: step \"make-key\": hints[1]: want a string, got a number (quote it)", f + "30: step \"make-key\": hints: give at least one hint"}},
		{"empty task", "Make a key.\n", "", []string{f + `16: step "make-key": the section has no task text for the learner`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(minimal, tt.old) {
				t.Fatalf("test edit %q does not apply", tt.old)
			}
			src := strings.Replace(minimal, tt.old, tt.new, 1)
			want := tt.want
			if tt.name == "step without block" {
				want = []string{f + `16: step 1: no seclab-step block in this section`}
			}
			if diff := cmp.Diff(want, lintOne(t, src, nil)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLintPackLevel(t *testing.T) {
	fsys := fstest.MapFS{
		"01-tiny/lesson.md":  {Data: []byte(minimal)},
		"01-other/lesson.md": {Data: []byte(strings.Replace(minimal, "id: tiny", "id: other", 1))},
		"02-again/lesson.md": {Data: []byte(minimal)},
		"00-zero/lesson.md":  {Data: []byte(minimal)},
		"notes/lesson.md":    {Data: []byte("ignored")},
	}
	var got []string
	for _, p := range Lint(fsys) {
		got = append(got, p.String())
	}
	want := []string{
		"00-zero: lesson numbers start at 01",
		"01-tiny: lesson number 1 is also used by 01-other",
		`02-again/lesson.md:2: front matter: id "tiny" is also used by 01-tiny`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

func TestLintFiles(t *testing.T) {
	src := strings.Replace(minimal, "solution:\n  - run: aws kms create-key", "solution:\n  - write: p.json\n    from: p.json", 1)
	src = strings.Replace(src, "[ReadOnlyAccess]", "[ReadOnlyAccess]\n    inline_policy: extra.json", 1)
	src = strings.Replace(src, "    run: aws kms describe-key --key-id {{key_id}}\n    expect: ok\n", "    file: p.json\n    expect: {policy: identity}\n", 1)
	got := lintOne(t, src, fstest.MapFS{
		"01-tiny/solutions/p.json": {Data: []byte("{}")},
		"01-tiny/files/extra.json": {Data: []byte("{}")},
	})
	if len(got) != 0 {
		t.Errorf("problems with every file present:\n%s", strings.Join(got, "\n"))
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct{ word, want string }{
		{"equal", ` (did you mean "equals"?)`},
		{"kye", ` (did you mean "key"?)`},
		{"colour", ""},
		{"x", ""},
	}
	for _, tt := range tests {
		if got := suggest(tt.word, []string{"equals", "key", "contains", "query"}); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}
