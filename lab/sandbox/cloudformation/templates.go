package cloudformation

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/seclab-dev/seclab/lab/sandbox/cloudformation/template"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// Capabilities.
const (
	capIAM        = "CAPABILITY_IAM"
	capNamedIAM   = "CAPABILITY_NAMED_IAM"
	capAutoExpand = "CAPABILITY_AUTO_EXPAND"
)

// templateError turns a template problem into CloudFormation's
// ValidationError.
func templateError(err error) error {
	var te *template.Error
	if errors.As(err, &te) {
		return validationError("%s", te.Message)
	}
	return err
}

// templateBody reads TemplateBody / TemplateURL from the request.
func templateBody(r *svc.Request) (string, error) {
	body, url := r.Params.Get("TemplateBody"), r.Params.Get("TemplateURL")
	switch {
	case body != "" && url != "":
		return "", validationError("Exactly one of TemplateBody or TemplateUrl must be specified.")
	case url != "":
		// The sandbox has no S3 to fetch the template from.
		return "", validationError("TemplateURL must reference a valid S3 object to which you have access.")
	case body == "":
		return "", validationError("Either Template URL or Template Body must be specified.")
	case len(body) > template.MaxBodySize:
		return "", validationError("1 validation error detected: Value at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to %d", template.MaxBodySize)
	}
	return body, nil
}

func loadTemplate(body string) (*template.Template, error) {
	t, err := template.Load([]byte(body))
	if err != nil {
		return nil, templateError(err)
	}
	return t, nil
}

// requiredCapabilities reports the capabilities the template needs and
// why: IAM resources need CAPABILITY_IAM, IAM resources with custom names
// CAPABILITY_NAMED_IAM, and a template with a transform
// CAPABILITY_AUTO_EXPAND (which ValidateTemplate and GetTemplateSummary
// report; change sets do not require it). The reason lists the resource
// types, the transform's name first (INFERENCE: the order AWS uses is
// unconfirmed).
func requiredCapabilities(t *template.Template) (caps []string, reason string) {
	types := slices.Clone(t.Transforms)
	if len(t.Transforms) > 0 {
		caps = append(caps, capAutoExpand)
	}
	named, iamUsed := false, false
	nameProps := map[string]string{"AWS::IAM::Role": "RoleName", "AWS::IAM::User": "UserName",
		"AWS::IAM::Group": "GroupName", "AWS::IAM::ManagedPolicy": "ManagedPolicyName"}
	for _, id := range t.ResourceIDs() {
		r := t.Resources[id]
		if !strings.HasPrefix(r.Type, "AWS::IAM::") {
			continue
		}
		iamUsed = true
		if !slices.Contains(types, r.Type) {
			types = append(types, r.Type)
		}
		if k, ok := nameProps[r.Type]; ok {
			if _, set := r.Properties[k]; set {
				named = true
			}
		}
	}
	switch {
	case named:
		caps = append(caps, capNamedIAM)
	case iamUsed:
		caps = append(caps, capIAM)
	}
	if len(caps) == 0 {
		return nil, ""
	}
	return caps, "The following resource(s) require capabilities: [" + strings.Join(types, ", ") + "]"
}

// capabilities reads and checks the Capabilities list.
func capabilities(r *svc.Request) ([]string, error) {
	caps := members(r.Params, "Capabilities")
	for _, c := range caps {
		if c != capIAM && c != capNamedIAM && c != capAutoExpand {
			return nil, validationError("1 validation error detected: Value '[%s]' at 'capabilities' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [CAPABILITY_AUTO_EXPAND, CAPABILITY_NAMED_IAM, CAPABILITY_IAM]]", strings.Join(caps, ", "))
		}
	}
	return caps, nil
}

func checkCapabilities(t *template.Template, given []string, changeSet bool) error {
	if len(t.Transforms) > 0 && !changeSet && !slices.Contains(given, capAutoExpand) {
		return svc.Errorf(400, "InsufficientCapabilitiesException", "Requires capabilities : [%s]", capAutoExpand)
	}
	need, _ := requiredCapabilities(t)
	for _, c := range need {
		if c == capAutoExpand {
			continue // checked above
		}
		if c == capIAM && slices.Contains(given, capNamedIAM) {
			continue
		}
		if !slices.Contains(given, c) {
			return svc.Errorf(400, "InsufficientCapabilitiesException", "Requires capabilities : [%s]", c)
		}
	}
	return nil
}

// bindParams works out the parameter values for a create or update:
// given values, UsePreviousValue entries from prev (nil for a new stack),
// and defaults.
func bindParams(t *template.Template, given []inputParam, prev map[string]string) (map[string]template.Value, map[string]string, error) {
	raw := map[string]string{}
	for _, p := range given {
		if p.UsePreviousValue {
			v, ok := prev[p.Key]
			if !ok {
				return nil, nil, validationError("Invalid input for parameter key %s. Cannot specify usePreviousValue as true for a parameter key not in the previous template", p.Key)
			}
			raw[p.Key] = v
			continue
		}
		raw[p.Key] = p.Value
	}
	vals, err := t.BindParameters(raw)
	if err != nil {
		return nil, nil, templateError(err)
	}
	out := map[string]string{}
	for k, v := range vals {
		out[k] = v.Text
	}
	return vals, out, nil
}

func paramList(t *template.Template) []stackParam {
	var out []stackParam
	for _, name := range t.ParameterNames() {
		out = append(out, stackParam{Key: name, NoEcho: t.Parameters[name].NoEcho})
	}
	return out
}

// shownParams renders parameters for DescribeStacks / DescribeChangeSet,
// masking NoEcho values.
func shownParams(params []stackParam, values map[string]string) []xmlParameter {
	out := []xmlParameter{}
	for _, p := range params {
		v := values[p.Key]
		if p.NoEcho {
			v = template.Masked
		}
		out = append(out, xmlParameter{ParameterKey: p.Key, ParameterValue: v})
	}
	return out
}

func (s *Service) validateTemplate(r *svc.Request) (any, error) {
	if err := s.authorize(r, "ValidateTemplate", "*"); err != nil {
		return nil, err
	}
	body, err := templateBody(r)
	if err != nil {
		return nil, err
	}
	t, err := loadTemplate(body)
	if err != nil {
		return nil, err
	}
	res := validateTemplateResult{Description: t.Description, Parameters: []xmlTemplateParameter{}, DeclaredTransforms: t.Transforms}
	for _, name := range t.ParameterNames() {
		p := t.Parameters[name]
		xp := xmlTemplateParameter{ParameterKey: name, NoEcho: p.NoEcho, Description: p.Description}
		if p.Default != nil {
			xp.DefaultValue = *p.Default
		}
		res.Parameters = append(res.Parameters, xp)
	}
	res.Capabilities, res.CapabilitiesReason = requiredCapabilities(t)
	return res, nil
}

func (s *Service) getTemplateSummary(r *svc.Request) (any, error) {
	var t *template.Template
	if name := r.Params.Get("StackName"); name != "" {
		if err := s.authorize(r, "GetTemplateSummary", s.stackResource(r, name)); err != nil {
			return nil, err
		}
		st, err := s.viewStack(name)
		if err != nil {
			return nil, err
		}
		if st == nil || st.TemplateBody == "" {
			return nil, stackNotFound(name)
		}
		if t, err = loadTemplate(st.TemplateBody); err != nil {
			return nil, err
		}
	} else {
		if err := s.authorize(r, "GetTemplateSummary", "*"); err != nil {
			return nil, err
		}
		body, err := templateBody(r)
		if err != nil {
			return nil, err
		}
		if t, err = loadTemplate(body); err != nil {
			return nil, err
		}
	}
	res := getTemplateSummaryResult{Description: t.Description, Version: t.FormatVersion,
		Parameters: []xmlParameterDeclaration{}, ResourceTypes: []string{}, DeclaredTransforms: t.Transforms}
	if res.Version == "" {
		res.Version = "2010-09-09"
	}
	for _, name := range t.ParameterNames() {
		p := t.Parameters[name]
		xp := xmlParameterDeclaration{ParameterKey: name, ParameterType: p.Type, NoEcho: p.NoEcho, Description: p.Description}
		if p.Default != nil {
			xp.DefaultValue = *p.Default
		}
		xp.ParameterConstraints.AllowedValues = p.AllowedValues
		res.Parameters = append(res.Parameters, xp)
	}
	for _, id := range t.ResourceIDs() {
		if typ := t.Resources[id].Type; !slices.Contains(res.ResourceTypes, typ) {
			res.ResourceTypes = append(res.ResourceTypes, typ)
		}
	}
	if t.Metadata != nil {
		b, _ := json.Marshal(t.Metadata)
		res.Metadata = string(b)
	}
	res.Capabilities, res.CapabilitiesReason = requiredCapabilities(t)
	return res, nil
}

func (s *Service) getTemplate(r *svc.Request) (any, error) {
	name, csName := r.Params.Get("StackName"), r.Params.Get("ChangeSetName")
	var body string
	if csName != "" {
		cs, err := s.findChangeSet(r, name, csName)
		if err != nil {
			return nil, err
		}
		if err := s.authorize(r, "GetTemplate", cs.StackID); err != nil {
			return nil, err
		}
		body = cs.TemplateBody
	} else {
		if name == "" {
			return nil, validationError("1 validation error detected: Value null at 'stackName' failed to satisfy constraint: Member must not be null")
		}
		if err := s.authorize(r, "GetTemplate", s.stackResource(r, name)); err != nil {
			return nil, err
		}
		st, err := s.viewStack(name)
		if err != nil {
			return nil, err
		}
		if st == nil {
			return nil, stackNotFound(name)
		}
		body = st.TemplateBody
	}
	res := getTemplateResult{TemplateBody: body, StagesAvailable: []string{"Original", "Processed"}}
	if r.Params.Get("TemplateStage") == "Processed" {
		t, err := loadTemplate(body)
		if err != nil {
			return nil, err
		}
		b, err := json.Marshal(t.Value())
		if err != nil {
			return nil, err
		}
		res.TemplateBody = string(b)
	}
	return res, nil
}
