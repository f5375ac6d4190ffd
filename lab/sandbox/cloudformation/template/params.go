package template

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Parameter is one declared template parameter.
type Parameter struct {
	Name                  string
	Type                  string
	Default               *string
	Description           string
	NoEcho                bool
	AllowedValues         []string
	AllowedPattern        string
	MinLength, MaxLength  *int
	MinValue, MaxValue    *float64
	ConstraintDescription string
}

// Masked is how CloudFormation shows a NoEcho parameter's value.
const Masked = "****"

var paramProps = []string{"Type", "Default", "Description", "NoEcho", "AllowedValues", "AllowedPattern",
	"MinLength", "MaxLength", "MinValue", "MaxValue", "ConstraintDescription"}

func parseParameter(name string, v any) (*Parameter, error) {
	if !validLogicalID(name) {
		return nil, Errorf("Template format error: Parameter name %s is non alphanumeric.", name)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, Errorf("Template format error: Every Parameters object must contain a Type member.")
	}
	for k := range m {
		if !slices.Contains(paramProps, k) {
			return nil, Errorf("Invalid template parameter property '%s'", k)
		}
	}
	p := &Parameter{Name: name}
	typ, ok := m["Type"].(string)
	if !ok {
		return nil, Errorf("Template format error: Every Parameters object must contain a Type member.")
	}
	p.Type = typ
	switch {
	case typ == "String", typ == "Number", typ == "List<Number>", typ == "CommaDelimitedList":
	case strings.HasPrefix(typ, "AWS::SSM::"), strings.HasPrefix(typ, "AWS::"), strings.HasPrefix(typ, "List<AWS::"):
		return nil, Errorf("Template format error: Parameter '%s' has type %s, which the seclab sandbox does not support (it has no Systems Manager or EC2 to look values up in); use String", name, typ)
	default:
		return nil, Errorf("Template format error: Unrecognized parameter type: %s", typ)
	}
	if d, ok := m["Default"]; ok {
		s, err := paramScalar(d)
		if err != nil {
			return nil, Errorf("Template format error: Every Default member must be a string.")
		}
		p.Default = &s
	}
	p.Description, _ = m["Description"].(string)
	p.ConstraintDescription, _ = m["ConstraintDescription"].(string)
	if ne, ok := m["NoEcho"]; ok {
		s, _ := scalarString(ne)
		p.NoEcho = strings.EqualFold(s, "true")
	}
	if av, ok := m["AllowedValues"]; ok {
		l, ok := av.([]any)
		if !ok {
			return nil, Errorf("Template format error: Every AllowedValues member must be a list.")
		}
		for _, x := range l {
			s, ok := scalarString(x)
			if !ok {
				return nil, Errorf("Template format error: Every AllowedValues member must be a list of strings.")
			}
			p.AllowedValues = append(p.AllowedValues, s)
		}
	}
	if ap, ok := m["AllowedPattern"]; ok {
		s, ok := ap.(string)
		if !ok {
			return nil, Errorf("Template format error: Every AllowedPattern member must be a string.")
		}
		if _, err := regexp.Compile(s); err != nil {
			return nil, Errorf("Template format error: AllowedPattern %s of parameter %s is not a valid regular expression", s, name)
		}
		p.AllowedPattern = s
	}
	var err error
	if p.MinLength, err = intProp(m, "MinLength"); err != nil {
		return nil, err
	}
	if p.MaxLength, err = intProp(m, "MaxLength"); err != nil {
		return nil, err
	}
	if p.MinValue, err = numProp(m, "MinValue"); err != nil {
		return nil, err
	}
	if p.MaxValue, err = numProp(m, "MaxValue"); err != nil {
		return nil, err
	}
	return p, nil
}

func paramScalar(v any) (string, error) {
	if l, ok := v.([]any); ok { // a list default for a list parameter
		parts := make([]string, 0, len(l))
		for _, x := range l {
			s, ok := scalarString(x)
			if !ok {
				return "", Errorf("bad default")
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, ","), nil
	}
	s, ok := scalarString(v)
	if !ok {
		return "", Errorf("bad default")
	}
	return s, nil
}

func intProp(m map[string]any, k string) (*int, error) {
	v, ok := m[k]
	if !ok {
		return nil, nil
	}
	s, _ := scalarString(v)
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil, Errorf("Template format error: Every %s member must be an integer.", k)
	}
	return &n, nil
}

func numProp(m map[string]any, k string) (*float64, error) {
	v, ok := m[k]
	if !ok {
		return nil, nil
	}
	s, _ := scalarString(v)
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, Errorf("Template format error: Every %s member must be a number.", k)
	}
	return &f, nil
}

// Value is a resolved parameter value.
type Value struct {
	Text   string   // the value as given ("a,b" for lists)
	List   []string // the items, for list types
	IsList bool
	NoEcho bool
}

// Ref is what Ref returns for the parameter: a string, or a list of strings.
func (v Value) Ref() any {
	if v.IsList {
		out := make([]any, len(v.List))
		for i, s := range v.List {
			out[i] = s
		}
		return out
	}
	return v.Text
}

// Shown is the value as DescribeStacks shows it: "****" for NoEcho.
func (v Value) Shown() string {
	if v.NoEcho {
		return Masked
	}
	return v.Text
}

// BindParameters checks given values against the template's declarations
// and returns the value of every parameter (given, or its Default). Errors
// use CloudFormation's words and never contain a value.
func (t *Template) BindParameters(given map[string]string) (map[string]Value, error) {
	var unknown []string
	for k := range given {
		if _, ok := t.Parameters[k]; !ok {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		if len(t.Parameters) == 0 {
			return nil, Errorf("Parameter values specified for a template which does not require them.")
		}
		return nil, Errorf("Parameters: [%s] do not exist in the template", strings.Join(unknown, ", "))
	}
	out := map[string]Value{}
	var missing []string
	for _, name := range t.ParameterNames() {
		p := t.Parameters[name]
		text, ok := given[name]
		if !ok {
			if p.Default == nil {
				missing = append(missing, name)
				continue
			}
			text = *p.Default
		}
		v, err := p.check(text)
		if err != nil {
			return nil, err
		}
		out[name] = v
	}
	if len(missing) > 0 {
		return nil, Errorf("Parameters: [%s] must have values", strings.Join(missing, ", "))
	}
	return out, nil
}

func (p *Parameter) fail(format string, args ...any) error {
	if p.ConstraintDescription != "" {
		return Errorf("Parameter '%s' failed to satisfy constraint: %s", p.Name, p.ConstraintDescription)
	}
	return Errorf(format, args...)
}

func (p *Parameter) check(text string) (Value, error) {
	v := Value{Text: text, NoEcho: p.NoEcho}
	items := []string{text}
	if p.Type == "CommaDelimitedList" || p.Type == "List<Number>" {
		v.IsList = true
		v.List = []string{}
		if text != "" {
			v.List = strings.Split(text, ",")
		}
		items = v.List
	}
	for _, s := range items {
		if p.Type == "Number" || p.Type == "List<Number>" {
			f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil {
				return v, p.fail("Parameter '%s' must be a number", p.Name)
			}
			if p.MinValue != nil && f < *p.MinValue {
				return v, p.fail("Parameter '%s' must be a number not less than %s", p.Name, fmtNum(*p.MinValue))
			}
			if p.MaxValue != nil && f > *p.MaxValue {
				return v, p.fail("Parameter '%s' must be a number not greater than %s", p.Name, fmtNum(*p.MaxValue))
			}
		}
		if len(p.AllowedValues) > 0 && !slices.Contains(p.AllowedValues, s) {
			return v, p.fail("Parameter '%s' must be one of AllowedValues", p.Name)
		}
		if p.AllowedPattern != "" {
			re := regexp.MustCompile("^(?:" + p.AllowedPattern + ")$")
			if !re.MatchString(s) {
				return v, p.fail("Parameter '%s' must match pattern %s", p.Name, p.AllowedPattern)
			}
		}
		n := len([]rune(s))
		if p.MinLength != nil && n < *p.MinLength {
			return v, p.fail("Parameter '%s' must contain at least %d characters", p.Name, *p.MinLength)
		}
		if p.MaxLength != nil && n > *p.MaxLength {
			return v, p.fail("Parameter '%s' must contain at most %d characters", p.Name, *p.MaxLength)
		}
	}
	return v, nil
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
