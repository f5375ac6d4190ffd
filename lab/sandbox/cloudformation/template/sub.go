package template

import "strings"

// Fn::Sub in both forms.

// subVar is one ${...} reference in a Fn::Sub string.
type subVar struct {
	start, end int // the ${...} span
	name       string
}

// parseSub finds the ${Var} references in s; ${!Literal} is an escape.
func parseSub(s string) ([]subVar, error) {
	var vars []subVar
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], "${")
		if j < 0 {
			break
		}
		j += i
		k := strings.IndexByte(s[j:], '}')
		if k < 0 {
			break
		}
		k += j
		name := strings.TrimSpace(s[j+2 : k])
		if strings.HasPrefix(name, "!") {
			vars = append(vars, subVar{start: j, end: k + 1, name: name})
			i = k + 1
			continue
		}
		if name == "" {
			return nil, Errorf("Template error: variable names in Fn::Sub syntax must contain only alphanumeric characters, underscores, periods, and colons")
		}
		for _, r := range name {
			if !(r == '_' || r == '.' || r == ':' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
				return nil, Errorf("Template error: variable names in Fn::Sub syntax must contain only alphanumeric characters, underscores, periods, and colons")
			}
		}
		vars = append(vars, subVar{start: j, end: k + 1, name: name})
		i = k + 1
	}
	return vars, nil
}

func (c *Context) sub(arg any, res func(any) (any, error)) (any, error) {
	var tmpl string
	vars := map[string]any{}
	switch a := arg.(type) {
	case string:
		tmpl = a
	case []any:
		if len(a) != 2 {
			return nil, Errorf("Template error: One or more Fn::Sub intrinsic functions don't specify expected arguments. Specify a string as first argument, and an optional second argument to specify a mapping of values to replace in the string")
		}
		s, ok := a[0].(string)
		m, ok2 := a[1].(map[string]any)
		if !ok || !ok2 {
			return nil, Errorf("Template error: One or more Fn::Sub intrinsic functions don't specify expected arguments. Specify a string as first argument, and an optional second argument to specify a mapping of values to replace in the string")
		}
		tmpl = s
		for k, x := range m {
			r, err := res(x)
			if err != nil {
				return nil, err
			}
			vars[k] = r
		}
	default:
		return nil, Errorf("Template error: One or more Fn::Sub intrinsic functions don't specify expected arguments. Specify a string as first argument, and an optional second argument to specify a mapping of values to replace in the string")
	}
	refs, err := parseSub(tmpl)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	last := 0
	for _, v := range refs {
		b.WriteString(tmpl[last:v.start])
		last = v.end
		if strings.HasPrefix(v.name, "!") {
			b.WriteString("${" + v.name[1:] + "}")
			continue
		}
		var val any
		if x, ok := vars[v.name]; ok {
			val = x
		} else if res, attr, dotted := strings.Cut(v.name, "."); dotted && !strings.HasPrefix(v.name, "AWS::") {
			if val, err = c.getAtt([]any{res, attr}, func(x any) (any, error) { return x, nil }); err != nil {
				return nil, err
			}
		} else if val, err = c.ref(v.name); err != nil {
			return nil, err
		}
		s, ok := scalarString(val)
		if !ok {
			return nil, Errorf("Template error: variable %s in Fn::Sub expression does not resolve to a string", v.name)
		}
		b.WriteString(s)
	}
	b.WriteString(tmpl[last:])
	return b.String(), nil
}
