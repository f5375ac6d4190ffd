package template

import (
	"slices"
	"strings"
)

var pseudoNames = []string{"AWS::AccountId", "AWS::Region", "AWS::StackName", "AWS::StackId",
	"AWS::Partition", "AWS::URLSuffix", "AWS::NoValue", "AWS::NotificationARNs"}

// refs collects the names v refers to with Ref, Fn::GetAtt and Fn::Sub.
// With conds set, only the Fn::If branch that applies is walked.
type refs struct {
	names   []string // Ref targets and Sub variables (resources, parameters, pseudo)
	getAtts []string // Fn::GetAtt resource names
	conds   []string // condition names used by Fn::If
	err     error    // the first malformed Fn::Sub string
}

func (r *refs) walk(v any, conds map[string]bool, depth int) {
	if depth > maxDepth {
		return
	}
	switch v := v.(type) {
	case map[string]any:
		if len(v) == 1 {
			for k, arg := range v {
				switch k {
				case "Ref":
					if s, ok := arg.(string); ok {
						r.names = append(r.names, s)
					}
					return
				case "Fn::GetAtt":
					switch a := arg.(type) {
					case []any:
						if len(a) > 0 {
							if s, ok := a[0].(string); ok {
								r.getAtts = append(r.getAtts, s)
							}
						}
						if len(a) > 1 {
							r.walk(a[1], conds, depth+1)
						}
					case string: // "Res.Attr" long form written as one string
						res, _, _ := strings.Cut(a, ".")
						r.getAtts = append(r.getAtts, res)
					}
					return
				case "Fn::Sub":
					r.sub(arg, conds, depth)
					return
				case "Fn::If":
					if a, ok := arg.([]any); ok && len(a) == 3 {
						name, _ := a[0].(string)
						r.conds = append(r.conds, name)
						if conds != nil {
							if conds[name] {
								r.walk(a[1], conds, depth+1)
							} else {
								r.walk(a[2], conds, depth+1)
							}
							return
						}
						r.walk(a[1], conds, depth+1)
						r.walk(a[2], conds, depth+1)
						return
					}
				}
			}
		}
		for _, x := range v {
			r.walk(x, conds, depth+1)
		}
	case []any:
		for _, x := range v {
			r.walk(x, conds, depth+1)
		}
	}
}

func (r *refs) sub(arg any, conds map[string]bool, depth int) {
	var s string
	local := map[string]bool{}
	switch a := arg.(type) {
	case string:
		s = a
	case []any:
		if len(a) == 2 {
			s, _ = a[0].(string)
			if m, ok := a[1].(map[string]any); ok {
				for k, x := range m {
					local[k] = true
					r.walk(x, conds, depth+1)
				}
			}
		}
	}
	vars, err := parseSub(s)
	if err != nil {
		if r.err == nil {
			r.err = err
		}
		return
	}
	for _, v := range vars {
		if strings.HasPrefix(v.name, "!") || local[v.name] {
			continue
		}
		if res, _, dotted := strings.Cut(v.name, "."); dotted && !strings.HasPrefix(v.name, "AWS::") {
			r.getAtts = append(r.getAtts, res)
			continue
		}
		r.names = append(r.names, v.name)
	}
}

// Validate checks every reference in the template: Ref and Fn::Sub
// targets, Fn::GetAtt resources, DependsOn, Conditions, and that the
// resource graph has no cycle.
func (t *Template) Validate() error {
	var unresolved []string
	known := func(name string) bool {
		_, p := t.Parameters[name]
		_, r := t.Resources[name]
		return p || r || slices.Contains(pseudoNames, name)
	}
	for _, id := range t.ResourceIDs() {
		res := t.Resources[id]
		var r refs
		r.walk(res.Properties, nil, 0)
		if r.err != nil {
			return r.err
		}
		for _, n := range r.names {
			if !known(n) {
				unresolved = append(unresolved, n)
			}
		}
		for _, n := range res.DependsOn {
			if _, ok := t.Resources[n]; !ok {
				unresolved = append(unresolved, n)
			}
		}
		for _, n := range r.getAtts {
			if _, ok := t.Resources[n]; !ok {
				return Errorf("Template error: instance of Fn::GetAtt references undefined resource %s", n)
			}
		}
		if err := t.checkConds("Resources", res.Condition, r.conds); err != nil {
			return err
		}
	}
	if len(unresolved) > 0 {
		return Errorf("Template format error: Unresolved resource dependencies [%s] in the Resources block of the template", strings.Join(uniq(unresolved), ", "))
	}
	for _, name := range t.OutputNames() {
		o := t.Outputs[name]
		var r refs
		r.walk(map[string]any{"v": o.Value, "e": o.Export}, nil, 0)
		if r.err != nil {
			return r.err
		}
		for _, n := range r.names {
			if !known(n) {
				unresolved = append(unresolved, n)
			}
		}
		for _, n := range r.getAtts {
			if _, ok := t.Resources[n]; !ok {
				return Errorf("Template error: instance of Fn::GetAtt references undefined resource %s", n)
			}
		}
		if err := t.checkConds("Outputs", o.Condition, r.conds); err != nil {
			return err
		}
	}
	if len(unresolved) > 0 {
		return Errorf("Template format error: Unresolved resource dependencies [%s] in the Outputs block of the template", strings.Join(uniq(unresolved), ", "))
	}
	for _, name := range sortedKeys(t.Conditions) {
		var r refs
		r.walk(t.Conditions[name], nil, 0)
		for _, n := range r.names {
			if _, isRes := t.Resources[n]; isRes || !known(n) {
				return Errorf("Template format error: Unresolved dependencies [%s]. Cannot reference resources in the Conditions block of the template", n)
			}
		}
	}
	_, err := t.Order(nil)
	return err
}

func (t *Template) checkConds(block, own string, used []string) error {
	if own != "" {
		if _, ok := t.Conditions[own]; !ok {
			// UNCONFIRMED: AWS's exact wording for a Condition attribute
			// naming no declared condition.
			return Errorf("Template format error: Unresolved condition dependencies [%s] in the %s block of the template", own, block)
		}
	}
	for _, c := range used {
		if _, ok := t.Conditions[c]; !ok {
			return Errorf("Template error: unresolved condition dependency %s in Fn::If", c)
		}
	}
	return nil
}

// Dependencies returns the resources id depends on, explicitly (DependsOn)
// or through Ref, Fn::GetAtt and Fn::Sub, sorted and without duplicates.
// conds selects Fn::If branches; nil walks both.
func (t *Template) Dependencies(id string, conds map[string]bool) []string {
	res := t.Resources[id]
	if res == nil {
		return nil
	}
	var r refs
	r.walk(res.Properties, conds, 0)
	var out []string
	for _, n := range append(append(r.names, r.getAtts...), res.DependsOn...) {
		if _, ok := t.Resources[n]; ok && n != id || n == id && slices.Contains(res.DependsOn, id) {
			out = append(out, n)
		}
	}
	return uniq(out)
}

// Order returns the resources that apply under conds (all of them when
// conds is nil) in creation order: every resource after the resources it
// depends on, ties broken by logical ID. A cycle is an error naming the
// resources that cannot be ordered.
func (t *Template) Order(conds map[string]bool) ([]string, error) {
	active := map[string]bool{}
	for id, r := range t.Resources {
		if conds == nil || r.Condition == "" || conds[r.Condition] {
			active[id] = true
		}
	}
	deps := map[string][]string{}
	var missing []string
	for id := range active {
		for _, d := range t.Dependencies(id, conds) {
			if !active[d] {
				missing = append(missing, d)
				continue
			}
			deps[id] = append(deps[id], d)
		}
	}
	if len(missing) > 0 {
		return nil, Errorf("Template format error: Unresolved resource dependencies [%s] in the Resources block of the template", strings.Join(uniq(missing), ", "))
	}
	var order []string
	done := map[string]bool{}
	for len(done) < len(active) {
		var ready []string
		for id := range active {
			if done[id] {
				continue
			}
			ok := true
			for _, d := range deps[id] {
				if !done[d] {
					ok = false
					break
				}
			}
			if ok {
				ready = append(ready, id)
			}
		}
		if len(ready) == 0 {
			var stuck []string
			for id := range active {
				if !done[id] {
					stuck = append(stuck, id)
				}
			}
			slices.Sort(stuck)
			return nil, Errorf("Circular dependency between resources: [%s]", strings.Join(stuck, ", "))
		}
		slices.Sort(ready)
		for _, id := range ready {
			done[id] = true
		}
		order = append(order, ready...)
	}
	return order, nil
}

func uniq(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}
