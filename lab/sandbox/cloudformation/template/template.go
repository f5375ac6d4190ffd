package template

import (
	"slices"
	"sort"
	"strings"
)

// Template is a decoded, structurally checked template.
type Template struct {
	FormatVersion string
	Description   string
	// Transforms are the template's Transform names, in order.
	Transforms []string
	Parameters map[string]*Parameter
	Mappings   map[string]any
	Conditions map[string]any
	Resources  map[string]*Resource
	Outputs    map[string]*Output
	// Metadata is the template's Metadata section, as written.
	Metadata any
	// Globals is the SAM Globals section (serverless templates only).
	Globals map[string]any
}

// Resource is one entry of the Resources section.
type Resource struct {
	LogicalID      string
	Type           string
	Properties     map[string]any
	DependsOn      []string
	Condition      string
	DeletionPolicy string // "Delete" (default), "Retain", "Snapshot"
	// UpdateReplacePolicy says what happens to the old physical resource
	// when an update replaces it: "Delete" (default), "Retain", "Snapshot".
	UpdateReplacePolicy string
	Metadata            any
}

// Output is one entry of the Outputs section.
type Output struct {
	Name        string
	Value       any
	Description any
	Condition   string
	// Export is the Export.Name expression, nil when not exported.
	Export any
}

var topLevel = []string{"AWSTemplateFormatVersion", "Description", "Metadata", "Parameters",
	"Rules", "Mappings", "Conditions", "Transform", "Resources", "Outputs", "Hooks"}

var resourceAttrs = []string{"Type", "Properties", "DependsOn", "Condition", "DeletionPolicy",
	"UpdateReplacePolicy", "Metadata", "CreationPolicy", "UpdatePolicy", "Version"}

// Parse decodes body and checks the template's structure. It does not
// check references; see Validate.
func Parse(body []byte) (*Template, error) {
	raw, err := Decode(body)
	if err != nil {
		return nil, err
	}
	return FromValue(raw)
}

// FromValue checks a decoded template value.
func FromValue(raw any) (*Template, error) {
	top, ok := raw.(map[string]any)
	if !ok {
		return nil, Errorf("Template format error: template must be a JSON or YAML object")
	}
	_, hasGlobals := top["Globals"]
	for k := range top {
		if !slices.Contains(topLevel, k) && k != "Globals" {
			return nil, Errorf("Invalid template property or properties [%s]", k)
		}
	}
	t := &Template{Metadata: top["Metadata"]}
	if v, ok := top["AWSTemplateFormatVersion"]; ok {
		s, _ := scalarString(v)
		if s != "2010-09-09" {
			return nil, Errorf("Template format error: '%s' is not a valid template version.", s)
		}
		t.FormatVersion = s
	}
	if v, ok := top["Description"]; ok {
		s, ok := v.(string)
		if !ok {
			return nil, Errorf("Template format error: Every Description member must be a string.")
		}
		t.Description = s
	}
	switch v := top["Transform"].(type) {
	case nil:
	case string:
		t.Transforms = []string{v}
	case []any:
		for _, x := range v {
			s, ok := x.(string)
			if !ok {
				return nil, Errorf("Template format error: Transform must be a string or a list of strings")
			}
			t.Transforms = append(t.Transforms, s)
		}
	default:
		return nil, Errorf("Template format error: Transform must be a string or a list of strings")
	}
	if hasGlobals {
		g, ok := top["Globals"].(map[string]any)
		if !ok || !t.HasTransform(ServerlessTransform) {
			return nil, Errorf("Invalid template property or properties [Globals]")
		}
		t.Globals = g
	}
	if err := t.parseSections(top); err != nil {
		return nil, err
	}
	return t, nil
}

// Load parses body, applies its transforms and validates every reference:
// what CloudFormation does before it creates anything.
func Load(body []byte) (*Template, error) {
	t, err := Parse(body)
	if err != nil {
		return nil, err
	}
	for _, tr := range t.Transforms {
		if tr != ServerlessTransform {
			return nil, Errorf("Template format error: Unsupported transform %s: the seclab sandbox runs only %s", tr, ServerlessTransform)
		}
	}
	if t.HasTransform(ServerlessTransform) {
		if err := t.ExpandServerless(t.Globals); err != nil {
			return nil, err
		}
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	return t, nil
}

func section(top map[string]any, name string) (map[string]any, error) {
	v, ok := top[name]
	if !ok || v == nil {
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, Errorf("Template format error: %s section must be an object", name)
	}
	return m, nil
}

func (t *Template) parseSections(top map[string]any) error {
	params, err := section(top, "Parameters")
	if err != nil {
		return err
	}
	t.Parameters = map[string]*Parameter{}
	for _, name := range sortedKeys(params) {
		p, err := parseParameter(name, params[name])
		if err != nil {
			return err
		}
		t.Parameters[name] = p
	}
	if t.Mappings, err = section(top, "Mappings"); err != nil {
		return err
	}
	if t.Conditions, err = section(top, "Conditions"); err != nil {
		return err
	}
	res, err := section(top, "Resources")
	if err != nil {
		return err
	}
	if len(res) == 0 {
		return Errorf("Template format error: At least one Resources member must be defined.")
	}
	t.Resources = map[string]*Resource{}
	for _, id := range sortedKeys(res) {
		r, err := parseResource(id, res[id])
		if err != nil {
			return err
		}
		if _, dup := t.Parameters[id]; dup {
			return Errorf("Template format error: Parameter and resource names must be unique: %s", id)
		}
		t.Resources[id] = r
	}
	outs, err := section(top, "Outputs")
	if err != nil {
		return err
	}
	t.Outputs = map[string]*Output{}
	for _, name := range sortedKeys(outs) {
		o, err := parseOutput(name, outs[name])
		if err != nil {
			return err
		}
		t.Outputs[name] = o
	}
	return nil
}

func parseResource(id string, v any) (*Resource, error) {
	if !validLogicalID(id) {
		return nil, Errorf("Template format error: Resource name %s is non alphanumeric.", id)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, Errorf("Template format error: [/Resources/%s] resource definition is malformed", id)
	}
	for k := range m {
		if !slices.Contains(resourceAttrs, k) {
			return nil, Errorf("Invalid template resource property '%s'", k)
		}
	}
	typ, ok := m["Type"].(string)
	if !ok || typ == "" {
		return nil, Errorf("Template format error: [/Resources/%s] Every Resources object must contain a Type member.", id)
	}
	r := &Resource{LogicalID: id, Type: typ, Metadata: m["Metadata"], DeletionPolicy: "Delete", UpdateReplacePolicy: "Delete"}
	switch p := m["Properties"].(type) {
	case nil:
		r.Properties = map[string]any{}
	case map[string]any:
		r.Properties = p
	default:
		return nil, Errorf("Template format error: [/Resources/%s/Properties] Every Properties member must be an object.", id)
	}
	switch d := m["DependsOn"].(type) {
	case nil:
	case string:
		r.DependsOn = []string{d}
	case []any:
		for _, x := range d {
			s, ok := x.(string)
			if !ok {
				return nil, Errorf("Template format error: DependsOn must be a string or list of strings.")
			}
			r.DependsOn = append(r.DependsOn, s)
		}
	default:
		return nil, Errorf("Template format error: DependsOn must be a string or list of strings.")
	}
	if c, ok := m["Condition"]; ok {
		s, ok := c.(string)
		if !ok {
			return nil, Errorf("Template format error: Every Condition member must be a string.")
		}
		r.Condition = s
	}
	if up, ok := m["UpdateReplacePolicy"]; ok {
		s, _ := up.(string)
		switch s {
		case "Delete", "Retain", "Snapshot":
			r.UpdateReplacePolicy = s
		default:
			return nil, Errorf("Template format error: Unrecognized UpdateReplacePolicy %v for resource %s", up, id)
		}
	}
	if dp, ok := m["DeletionPolicy"]; ok {
		s, _ := dp.(string)
		switch s {
		case "Delete", "Retain", "RetainExceptOnCreate", "Snapshot":
			r.DeletionPolicy = s
		default:
			return nil, Errorf("Template format error: Unrecognized DeletionPolicy %v for resource %s", dp, id)
		}
	}
	return r, nil
}

func parseOutput(name string, v any) (*Output, error) {
	if !validLogicalID(name) {
		return nil, Errorf("Template format error: Output name %s is non alphanumeric.", name)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, Errorf("Template format error: Output %s is malformed. The Value field must not be null.", name)
	}
	for k := range m {
		switch k {
		case "Value", "Description", "Condition", "Export":
		default:
			return nil, Errorf("Template format error: Invalid outputs property : [%s]", k)
		}
	}
	val, ok := m["Value"]
	if !ok || val == nil {
		return nil, Errorf("Template format error: Output %s is malformed. The Value field must not be null.", name)
	}
	o := &Output{Name: name, Value: val, Description: m["Description"]}
	if c, ok := m["Condition"].(string); ok {
		o.Condition = c
	}
	if e, ok := m["Export"]; ok {
		em, ok := e.(map[string]any)
		if !ok || em["Name"] == nil {
			return nil, Errorf("Template format error: Output %s is malformed. The Export field must contain a Name.", name)
		}
		o.Export = em["Name"]
	}
	return o, nil
}

func validLogicalID(s string) bool {
	if s == "" || len(s) > 255 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ResourceIDs returns the logical IDs in sorted order.
func (t *Template) ResourceIDs() []string { return sortedKeys(t.Resources) }

// ParameterNames returns the parameter names in sorted order.
func (t *Template) ParameterNames() []string { return sortedKeys(t.Parameters) }

// OutputNames returns the output names in sorted order.
func (t *Template) OutputNames() []string { return sortedKeys(t.Outputs) }

// HasTransform reports whether the template declares transform name.
func (t *Template) HasTransform(name string) bool {
	return slices.ContainsFunc(t.Transforms, func(s string) bool { return strings.EqualFold(s, name) })
}
