package template

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDecodeShortFormTags(t *testing.T) {
	body := `
A: !Ref X
B: !GetAtt Res.Arn
C: !Sub 'arn:${AWS::Partition}:x'
D: !Join [',', [a, !Ref Y]]
E: !If [Cond, !Ref AWS::NoValue, 3]
F: !Condition Other
G: !Base64 hello
H: !GetAZs ''
I: !Select [0, !Split [',', 'a,b']]
J: !Equals [!Ref P, '']
K: !Not [!Condition C]
L: !FindInMap [M, K1, K2]
N: !ImportValue exported
O: 7
`
	got, err := Decode([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"A": map[string]any{"Ref": "X"},
		"B": map[string]any{"Fn::GetAtt": []any{"Res", "Arn"}},
		"C": map[string]any{"Fn::Sub": "arn:${AWS::Partition}:x"},
		"D": map[string]any{"Fn::Join": []any{",", []any{"a", map[string]any{"Ref": "Y"}}}},
		"E": map[string]any{"Fn::If": []any{"Cond", map[string]any{"Ref": "AWS::NoValue"}, int64(3)}},
		"F": map[string]any{"Condition": "Other"},
		"G": map[string]any{"Fn::Base64": "hello"},
		"H": map[string]any{"Fn::GetAZs": ""},
		"I": map[string]any{"Fn::Select": []any{int64(0), map[string]any{"Fn::Split": []any{",", "a,b"}}}},
		"J": map[string]any{"Fn::Equals": []any{map[string]any{"Ref": "P"}, ""}},
		"K": map[string]any{"Fn::Not": []any{map[string]any{"Condition": "C"}}},
		"L": map[string]any{"Fn::FindInMap": []any{"M", "K1", "K2"}},
		"N": map[string]any{"Fn::ImportValue": "exported"},
		"O": int64(7),
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Decode (-want +got):\n%s", d)
	}
}

func TestMalformedTemplates(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"yaml", "Resources:\n  A: [unclosed\n", "Template format error: YAML not well-formed. (line "},
		{"json", `{"Resources": {"A": }`, "Template format error: JSON not well-formed. (line 1, column "},
		{"no resources", "Description: x\n", "Template format error: At least one Resources member must be defined."},
		{"no type", "Resources:\n  A:\n    Properties: {}\n", "Template format error: [/Resources/A] Every Resources object must contain a Type member."},
		{"bad top", "Resourcez: {}\n", "Invalid template property or properties [Resourcez]"},
		{"bad version", "AWSTemplateFormatVersion: '2011-01-01'\nResources:\n  A:\n    Type: AWS::KMS::Key\n", "Template format error: '2011-01-01' is not a valid template version."},
		{"unresolved ref", "Resources:\n  A:\n    Type: AWS::KMS::Key\n    Properties:\n      Description: !Ref Nope\n", "Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template"},
		{"unresolved dependson", "Resources:\n  A:\n    Type: AWS::KMS::Key\n    DependsOn: Gone\n", "Template format error: Unresolved resource dependencies [Gone] in the Resources block of the template"},
		{"getatt", "Resources:\n  A:\n    Type: AWS::KMS::Key\n    Properties:\n      Description: !GetAtt Nope.Arn\n", "Template error: instance of Fn::GetAtt references undefined resource Nope"},
		{"cycle", "Resources:\n  A:\n    Type: AWS::KMS::Key\n    DependsOn: B\n  B:\n    Type: AWS::KMS::Key\n    Properties:\n      Description: !Sub '${A.Arn}'\n", "Circular dependency between resources: [A, B]"},
		{"param type", "Parameters:\n  P:\n    Type: Strang\nResources:\n  A:\n    Type: AWS::KMS::Key\n", "Template format error: Unrecognized parameter type: Strang"},
		{"ssm param", "Parameters:\n  P:\n    Type: AWS::SSM::Parameter::Value<String>\nResources:\n  A:\n    Type: AWS::KMS::Key\n", "AWS::SSM::Parameter::Value<String>, which the seclab sandbox does not support"},
		{"unknown tag", "Resources:\n  A:\n    Type: !Bogus x\n", "Template format error: YAML not well-formed. (line 3, column 11)"},
		{"output", "Resources:\n  A:\n    Type: AWS::KMS::Key\nOutputs:\n  O:\n    Value: !Ref Z\n", "Template format error: Unresolved resource dependencies [Z] in the Outputs block of the template"},
		{"cond if", "Resources:\n  A:\n    Type: AWS::KMS::Key\n    Properties:\n      Description: !If [Nope, a, b]\n", "Template error: unresolved condition dependency Nope in Fn::If"},
		{"bad sub", "Resources:\n  A:\n    Type: AWS::KMS::Key\n    Properties:\n      Description: !Sub '${a b}'\n", "Template error: variable names in Fn::Sub syntax must contain only alphanumeric characters, underscores, periods, and colons"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load([]byte(tt.body))
			if err == nil {
				t.Fatalf("Load succeeded, want %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestBindParameters(t *testing.T) {
	tmpl := `
Parameters:
  Secret: {Type: String, NoEcho: true, MinLength: 4, MaxLength: 8}
  Env: {Type: String, AllowedValues: [dev, prod], Default: dev}
  Count: {Type: Number, MinValue: 1, MaxValue: 5, Default: 2}
  Ids: {Type: CommaDelimitedList, Default: 'a,b'}
  Nums: {Type: List<Number>, Default: '1,2'}
  Code: {Type: String, AllowedPattern: '[a-z]+', Default: abc, ConstraintDescription: lower-case letters only}
Resources:
  A: {Type: AWS::KMS::Key}
`
	tp, err := Load([]byte(tmpl))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		given map[string]string
		want  string // error, or "" for success
	}{
		{"ok", map[string]string{"Secret": "hunter22"}, ""},
		{"missing", nil, "Parameters: [Secret] must have values"},
		{"unknown", map[string]string{"Secret": "hunter22", "Zzz": "1"}, "Parameters: [Zzz] do not exist in the template"},
		{"short", map[string]string{"Secret": "abc"}, "Parameter 'Secret' must contain at least 4 characters"},
		{"long", map[string]string{"Secret": "abcdefghi"}, "Parameter 'Secret' must contain at most 8 characters"},
		{"allowed", map[string]string{"Secret": "hunter22", "Env": "qa"}, "Parameter 'Env' must be one of AllowedValues"},
		{"number", map[string]string{"Secret": "hunter22", "Count": "x"}, "Parameter 'Count' must be a number"},
		{"min", map[string]string{"Secret": "hunter22", "Count": "0"}, "Parameter 'Count' must be a number not less than 1"},
		{"max", map[string]string{"Secret": "hunter22", "Count": "6"}, "Parameter 'Count' must be a number not greater than 5"},
		{"list number", map[string]string{"Secret": "hunter22", "Nums": "1,x"}, "Parameter 'Nums' must be a number"},
		{"constraint", map[string]string{"Secret": "hunter22", "Code": "ABC"}, "Parameter 'Code' failed to satisfy constraint: lower-case letters only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vals, err := tp.BindParameters(tt.given)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if got := vals["Secret"].Shown(); got != Masked {
					t.Errorf("NoEcho shown as %q", got)
				}
				if d := cmp.Diff([]any{"a", "b"}, vals["Ids"].Ref()); d != "" {
					t.Errorf("list Ref (-want +got):\n%s", d)
				}
				return
			}
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
			if strings.Contains(err.Error(), tt.given["Secret"]) && tt.given["Secret"] != "" {
				t.Errorf("error %q leaks the NoEcho value", err)
			}
		})
	}
}

type fakeLookup map[string]string

func (f fakeLookup) Ref(id string) (string, bool) { v, ok := f[id]; return v, ok }
func (f fakeLookup) Attr(id, attr string) (any, error) {
	return "arn:" + f[id] + ":" + attr, nil
}

func TestResolveIntrinsics(t *testing.T) {
	tmpl := `
Parameters:
  Env: {Type: String, Default: prod}
  Ids: {Type: CommaDelimitedList, Default: 'x,y,z'}
Mappings:
  Sizes:
    prod: {Count: 3}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  NotProd: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Equals [a, a]]
  Either: !Or [!Condition NotProd, !Equals [a, b]]
Resources:
  Key: {Type: AWS::KMS::Key}
Outputs:
  O: {Value: x}
`
	tp, err := Load([]byte(tmpl))
	if err != nil {
		t.Fatal(err)
	}
	vals, err := tp.BindParameters(nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, err := NewContext(tp, vals, Pseudo{AccountID: "111122223333", Region: "us-east-1", StackName: "st",
		StackID: "arn:aws:cloudformation:us-east-1:111122223333:stack/st/id", Partition: "aws", URLSuffix: "amazonaws.com"})
	if err != nil {
		t.Fatal(err)
	}
	ctx.Resources = fakeLookup{"Key": "key-1"}
	if d := cmp.Diff(map[string]bool{"IsProd": true, "NotProd": false, "Both": true, "Either": false}, ctx.Conditions); d != "" {
		t.Errorf("conditions (-want +got):\n%s", d)
	}
	tests := []struct {
		name string
		in   string
		want any
	}{
		{"ref param", "!Ref Env", "prod"},
		{"ref resource", "!Ref Key", "key-1"},
		{"pseudo", "!Sub '${AWS::AccountId}/${AWS::Region}/${AWS::StackName}/${AWS::Partition}/${AWS::URLSuffix}'", "111122223333/us-east-1/st/aws/amazonaws.com"},
		{"sub getatt", "!Sub '${Key.Arn}'", "arn:key-1:Arn"},
		{"getatt string", "{'Fn::GetAtt': Key.Arn}", "arn:key-1:Arn"},
		{"sub map", "!Sub ['${a}-${Env}', {a: !Ref Key}]", "key-1-prod"},
		{"sub escape", "!Sub '${!Literal}'", "${Literal}"},
		{"join", "!Join ['-', !Ref Ids]", "x-y-z"},
		{"select split", "!Select [1, !Split [',', 'a,b,c']]", "b"},
		{"if", "!If [IsProd, yes, no]", "yes"},
		{"novalue", "[a, !If [NotProd, b, !Ref AWS::NoValue]]", []any{"a"}},
		{"getazs", "!Select [0, !GetAZs '']", "us-east-1a"},
		{"base64", "!Base64 hi", "aGk="},
		{"findinmap", "!FindInMap [Sizes, !Ref Env, Count]", int64(3)},
		{"stackid", "!Ref AWS::StackId", "arn:aws:cloudformation:us-east-1:111122223333:stack/st/id"},
		{"equals", "!Equals [1, '1']", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := Decode([]byte("V: " + tt.in))
			if err != nil {
				t.Fatal(err)
			}
			got, err := ctx.Resolve(v.(map[string]any)["V"])
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("Resolve (-want +got):\n%s", d)
			}
		})
	}
	bad := map[string]string{
		"select range": "!Select [5, [a]]",
		"missing map":  "!FindInMap [Sizes, dev, Count]",
		"join args":    "!Join [',']",
		"import":       "!ImportValue nothing",
	}
	for name, in := range bad {
		v, _ := Decode([]byte("V: " + in))
		if _, err := ctx.Resolve(v.(map[string]any)["V"]); err == nil {
			t.Errorf("%s: Resolve succeeded, want an error", name)
		}
	}
}

func TestOrderAndConditions(t *testing.T) {
	tmpl := `
Parameters:
  On: {Type: String, Default: 'no'}
Conditions:
  Enabled: !Equals [!Ref On, 'yes']
Resources:
  Alias: {Type: AWS::KMS::Alias, Properties: {AliasName: alias/x, TargetKeyId: !Ref Key}}
  Key: {Type: AWS::KMS::Key, Properties: {Description: !If [Enabled, !Ref Extra, none]}}
  Extra: {Type: AWS::KMS::Key, Condition: Enabled}
  Late: {Type: AWS::KMS::Key, DependsOn: [Alias]}
`
	tp, err := Load([]byte(tmpl))
	if err != nil {
		t.Fatal(err)
	}
	all, err := tp.Order(nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"Extra", "Key", "Alias", "Late"}, all); d != "" {
		t.Errorf("Order(nil) (-want +got):\n%s", d)
	}
	off, err := tp.Order(map[string]bool{"Enabled": false})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"Key", "Alias", "Late"}, off); d != "" {
		t.Errorf("Order(disabled) (-want +got):\n%s", d)
	}
}

func TestServerlessTransform(t *testing.T) {
	body, err := os.ReadFile("../testdata/notes.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tp, err := Load(body)
	if err != nil {
		t.Fatal(err)
	}
	fn := tp.Resources["ReaderFunction"]
	if fn.Type != "AWS::Lambda::Function" {
		t.Errorf("function type = %s", fn.Type)
	}
	role := tp.Resources["ReaderFunctionRole"]
	if role == nil || role.Type != "AWS::IAM::Role" {
		t.Fatalf("no generated role: %+v", role)
	}
	pols := role.Properties["Policies"].([]any)
	var names []string
	for _, p := range pols {
		names = append(names, p.(map[string]any)["PolicyName"].(string))
	}
	if d := cmp.Diff([]string{"ReaderFunctionRolePolicy0", "ReaderFunctionRolePolicy1"}, names); d != "" {
		t.Errorf("inline policy names (-want +got):\n%s", d)
	}
	order, err := tp.Order(nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"SecretKey", "AppSecret", "SecretKeyAlias", "ReaderFunctionRole", "ReaderFunction"}, order); d != "" {
		t.Errorf("order (-want +got):\n%s", d)
	}
}

func TestDeepNestingIsRejectedQuickly(t *testing.T) {
	for name, body := range map[string]string{
		"flow":  "Resources: " + strings.Repeat("[", 20000),
		"dash":  "Resources:\n  " + strings.Repeat("- ", 20000),
		"mixed": "Resources: " + strings.Repeat("{a: [", 5000),
	} {
		_, err := Load([]byte(body))
		if err == nil || !strings.HasPrefix(err.Error(), "Template format error: YAML not well-formed. (line ") {
			t.Errorf("%s: error = %v", name, err)
		}
	}
	// Brackets in quotes and comments are text, not nesting.
	ok := "Resources:\n  A:\n    Type: AWS::KMS::Key\n    Properties:\n      Description: '" + strings.Repeat("[", 300) + "'\n# " + strings.Repeat("{", 300) + "\n"
	if _, err := Load([]byte(ok)); err != nil {
		t.Errorf("quoted brackets: %v", err)
	}
}

func TestConditionCycles(t *testing.T) {
	for name, conds := range map[string]string{
		"self":   "  A: !Equals [!If [A, x, y], x]\n",
		"pair":   "  A: !Condition B\n  B: !Not [!Condition A]\n",
		"via if": "  A: !Equals [!If [B, x, y], x]\n  B: !Equals [!If [A, x, y], x]\n",
		"nested": "  A: !And [!Condition B, !Equals [a, a]]\n  B: !Or [!Condition A, !Equals [a, b]]\n",
	} {
		body := "Conditions:\n" + conds + "Resources:\n  K:\n    Type: AWS::KMS::Key\n"
		tp, err := Load([]byte(body))
		if err != nil {
			continue // rejected up front is fine
		}
		if _, err := NewContext(tp, nil, Pseudo{}); err == nil || !strings.Contains(err.Error(), "Circular dependency between conditions") {
			t.Errorf("%s: NewContext error = %v", name, err)
		}
	}
}
