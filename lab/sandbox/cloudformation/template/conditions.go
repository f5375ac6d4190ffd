package template

import "encoding/json"

// Conditions: Fn::Equals, Fn::And, Fn::Or, Fn::Not and Condition.

func (c *Context) condition(name string, visiting map[string]bool) (bool, error) {
	if v, ok := c.Conditions[name]; ok {
		return v, nil
	}
	expr, ok := c.T.Conditions[name]
	if !ok {
		return false, Errorf("Template format error: Unresolved dependencies [%s]. Cannot reference resources in the Conditions block of the template", name)
	}
	if visiting[name] {
		return false, Errorf("Template error: Circular dependency between conditions: [%s]", name)
	}
	visiting[name] = true
	v, err := c.condExpr(expr, visiting)
	delete(visiting, name)
	if err != nil {
		return false, err
	}
	c.Conditions[name] = v
	return v, nil
}

// condExpr evaluates a condition expression: Fn::Equals/And/Or/Not, or
// {"Condition": name}.
func (c *Context) condExpr(expr any, visiting map[string]bool) (bool, error) {
	m, ok := expr.(map[string]any)
	if !ok || len(m) != 1 {
		if b, ok := expr.(bool); ok {
			return b, nil
		}
		return false, Errorf("Template error: every Conditions member must be a condition function (Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition)")
	}
	for fn, arg := range m {
		switch fn {
		case "Condition":
			s, ok := arg.(string)
			if !ok {
				return false, Errorf("Template error: Condition must be a string")
			}
			return c.condition(s, visiting)
		case "Fn::Equals":
			l, ok := arg.([]any)
			if !ok || len(l) != 2 {
				return false, Errorf("Template error: Fn::Equals requires a list argument with two elements")
			}
			a, err := c.resolveIn(l[0], visiting)
			if err != nil {
				return false, err
			}
			b, err := c.resolveIn(l[1], visiting)
			if err != nil {
				return false, err
			}
			return equalValues(a, b), nil
		case "Fn::Not":
			l, ok := arg.([]any)
			if !ok || len(l) != 1 {
				return false, Errorf("Template error: Fn::Not requires a list argument with one function token")
			}
			v, err := c.condExpr(l[0], visiting)
			return !v, err
		case "Fn::And", "Fn::Or":
			l, ok := arg.([]any)
			if !ok || len(l) < 2 || len(l) > 10 {
				return false, Errorf("Template error: %s requires a list argument with between 2 and 10 function tokens", fn)
			}
			and := fn == "Fn::And"
			res := and
			for _, x := range l {
				v, err := c.condExpr(x, visiting)
				if err != nil {
					return false, err
				}
				if and {
					res = res && v
				} else {
					res = res || v
				}
			}
			return res, nil
		}
		return false, Errorf("Template error: %s is not a condition function", fn)
	}
	return false, nil
}

func equalValues(a, b any) bool {
	as, aok := scalarString(a)
	bs, bok := scalarString(b)
	if aok && bok {
		return as == bs
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}
