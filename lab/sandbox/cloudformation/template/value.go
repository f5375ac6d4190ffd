package template

// Value renders the (processed) template back into a plain value, the
// shape GetTemplate's Processed stage returns.
func (t *Template) Value() map[string]any {
	out := map[string]any{}
	if t.FormatVersion != "" {
		out["AWSTemplateFormatVersion"] = t.FormatVersion
	}
	if t.Description != "" {
		out["Description"] = t.Description
	}
	if t.Metadata != nil {
		out["Metadata"] = t.Metadata
	}
	if len(t.Parameters) > 0 {
		ps := map[string]any{}
		for name, p := range t.Parameters {
			m := map[string]any{"Type": p.Type}
			if p.Default != nil {
				m["Default"] = *p.Default
			}
			if p.Description != "" {
				m["Description"] = p.Description
			}
			if p.NoEcho {
				m["NoEcho"] = "true"
			}
			if len(p.AllowedValues) > 0 {
				m["AllowedValues"] = p.AllowedValues
			}
			if p.AllowedPattern != "" {
				m["AllowedPattern"] = p.AllowedPattern
			}
			if p.MinLength != nil {
				m["MinLength"] = *p.MinLength
			}
			if p.MaxLength != nil {
				m["MaxLength"] = *p.MaxLength
			}
			if p.MinValue != nil {
				m["MinValue"] = *p.MinValue
			}
			if p.MaxValue != nil {
				m["MaxValue"] = *p.MaxValue
			}
			if p.ConstraintDescription != "" {
				m["ConstraintDescription"] = p.ConstraintDescription
			}
			ps[name] = m
		}
		out["Parameters"] = ps
	}
	if len(t.Mappings) > 0 {
		out["Mappings"] = t.Mappings
	}
	if len(t.Conditions) > 0 {
		out["Conditions"] = t.Conditions
	}
	rs := map[string]any{}
	for id, r := range t.Resources {
		m := map[string]any{"Type": r.Type}
		if len(r.Properties) > 0 {
			m["Properties"] = r.Properties
		}
		if len(r.DependsOn) > 0 {
			m["DependsOn"] = r.DependsOn
		}
		if r.Condition != "" {
			m["Condition"] = r.Condition
		}
		if r.DeletionPolicy != "Delete" {
			m["DeletionPolicy"] = r.DeletionPolicy
		}
		if r.UpdateReplacePolicy != "Delete" && r.UpdateReplacePolicy != "" {
			m["UpdateReplacePolicy"] = r.UpdateReplacePolicy
		}
		if r.Metadata != nil {
			m["Metadata"] = r.Metadata
		}
		rs[id] = m
	}
	out["Resources"] = rs
	if len(t.Outputs) > 0 {
		os := map[string]any{}
		for name, o := range t.Outputs {
			m := map[string]any{"Value": o.Value}
			if o.Description != nil {
				m["Description"] = o.Description
			}
			if o.Condition != "" {
				m["Condition"] = o.Condition
			}
			if o.Export != nil {
				m["Export"] = map[string]any{"Name": o.Export}
			}
			os[name] = m
		}
		out["Outputs"] = os
	}
	return out
}
