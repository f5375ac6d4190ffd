package template

import (
	"encoding/base64"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
)

// NoValue is what Ref AWS::NoValue resolves to; Resolve drops it from maps
// and lists.
type noValue struct{}

// NoValue is the resolved form of Ref AWS::NoValue.
var NoValue any = noValue{}

// Pseudo holds the pseudo parameters' values.
type Pseudo struct {
	AccountID, Region, StackName, StackID, Partition, URLSuffix string
	NotificationARNs                                            []string
}

// Lookup gives the values Ref and Fn::GetAtt return for created resources.
type Lookup interface {
	// Ref returns what Ref returns for the resource (its physical ID for
	// most types), or ok=false when the resource has no value yet.
	Ref(logicalID string) (string, bool)
	// Attr returns a Fn::GetAtt attribute value.
	Attr(logicalID, attr string) (any, error)
}

// Context is everything intrinsic functions can see.
type Context struct {
	T          *Template
	Params     map[string]Value
	Pseudo     Pseudo
	Conditions map[string]bool
	Resources  Lookup
	// Imports resolves Fn::ImportValue; nil means no exports exist.
	Imports func(name string) (string, bool)
}

// NewContext binds the template to parameter values and pseudo parameters
// and evaluates its conditions.
func NewContext(t *Template, params map[string]Value, p Pseudo) (*Context, error) {
	c := &Context{T: t, Params: params, Pseudo: p, Conditions: map[string]bool{}}
	for _, name := range sortedKeys(t.Conditions) {
		if _, err := c.condition(name, map[string]bool{}); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// Resolve evaluates every intrinsic function in v and drops AWS::NoValue.
func (c *Context) Resolve(v any) (any, error) { return c.resolveIn(v, nil) }

func (c *Context) resolveIn(v any, visiting map[string]bool) (any, error) {
	return c.resolve(v, visiting, 0)
}

func (c *Context) resolve(v any, visiting map[string]bool, depth int) (any, error) {
	if depth > maxDepth {
		return nil, Errorf("Template error: intrinsic functions are nested too deeply")
	}
	switch v := v.(type) {
	case map[string]any:
		if len(v) == 1 {
			for k, arg := range v {
				if k == "Ref" || strings.HasPrefix(k, "Fn::") || (k == "Condition" && visiting != nil) {
					return c.fn(k, arg, visiting, depth)
				}
			}
		}
		out := make(map[string]any, len(v))
		for k, x := range v {
			r, err := c.resolve(x, visiting, depth+1)
			if err != nil {
				return nil, err
			}
			if r == NoValue {
				continue
			}
			out[k] = r
		}
		return out, nil
	case []any:
		out := make([]any, 0, len(v))
		for _, x := range v {
			r, err := c.resolve(x, visiting, depth+1)
			if err != nil {
				return nil, err
			}
			if r == NoValue {
				continue
			}
			out = append(out, r)
		}
		return out, nil
	}
	return v, nil
}

func (c *Context) fn(name string, arg any, visiting map[string]bool, depth int) (any, error) {
	res := func(x any) (any, error) { return c.resolve(x, visiting, depth+1) }
	switch name {
	case "Ref":
		s, ok := arg.(string)
		if !ok {
			return nil, Errorf("Template format error: Every Ref object must have a single String value.")
		}
		return c.ref(s)
	case "Condition":
		s, _ := arg.(string)
		return c.condition(s, visiting)
	case "Fn::GetAtt":
		return c.getAtt(arg, res)
	case "Fn::Sub":
		return c.sub(arg, res)
	case "Fn::Join":
		return c.join(arg, res)
	case "Fn::Select":
		return c.selectFn(arg, res)
	case "Fn::Split":
		return c.split(arg, res)
	case "Fn::If":
		l, ok := arg.([]any)
		if !ok || len(l) != 3 {
			return nil, Errorf("Template error: Fn::If requires a list argument with three elements")
		}
		cond, ok := l[0].(string)
		if !ok {
			return nil, Errorf("Template error: Fn::If requires a condition name as its first element")
		}
		if _, declared := c.T.Conditions[cond]; !declared {
			return nil, Errorf("Template error: unresolved condition dependency %s in Fn::If", cond)
		}
		if visiting == nil {
			visiting = map[string]bool{}
		}
		b, err := c.condition(cond, visiting)
		if err != nil {
			return nil, err
		}
		if b {
			return res(l[1])
		}
		return res(l[2])
	case "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or":
		if visiting == nil {
			visiting = map[string]bool{}
		}
		return c.condExpr(map[string]any{name: arg}, visiting)
	case "Fn::GetAZs":
		r, err := res(arg)
		if err != nil {
			return nil, err
		}
		region, _ := r.(string)
		if region == "" {
			region = c.Pseudo.Region
		}
		return []any{region + "a", region + "b", region + "c"}, nil
	case "Fn::Base64":
		r, err := res(arg)
		if err != nil {
			return nil, err
		}
		s, ok := scalarString(r)
		if !ok {
			return nil, Errorf("Template error: Fn::Base64 requires a string argument")
		}
		return base64.StdEncoding.EncodeToString([]byte(s)), nil
	case "Fn::FindInMap":
		return c.findInMap(arg, res)
	case "Fn::ImportValue":
		r, err := res(arg)
		if err != nil {
			return nil, err
		}
		s, _ := r.(string)
		if c.Imports != nil {
			if v, ok := c.Imports(s); ok {
				return v, nil
			}
		}
		return nil, Errorf("No export named %s found.", s)
	case "Fn::ToJsonString":
		r, err := res(arg)
		if err != nil {
			return nil, err
		}
		b, _ := json.Marshal(r)
		return string(b), nil
	case "Fn::Length":
		r, err := res(arg)
		if err != nil {
			return nil, err
		}
		l, ok := r.([]any)
		if !ok {
			return nil, Errorf("Template error: Fn::Length requires a list argument")
		}
		return int64(len(l)), nil
	}
	return nil, Errorf("Template format error: Unsupported intrinsic function %s", name)
}

func (c *Context) ref(name string) (any, error) {
	switch name {
	case "AWS::AccountId":
		return c.Pseudo.AccountID, nil
	case "AWS::Region":
		return c.Pseudo.Region, nil
	case "AWS::StackName":
		return c.Pseudo.StackName, nil
	case "AWS::StackId":
		return c.Pseudo.StackID, nil
	case "AWS::Partition":
		return c.Pseudo.Partition, nil
	case "AWS::URLSuffix":
		return c.Pseudo.URLSuffix, nil
	case "AWS::NoValue":
		return NoValue, nil
	case "AWS::NotificationARNs":
		out := []any{}
		for _, a := range c.Pseudo.NotificationARNs {
			out = append(out, a)
		}
		return out, nil
	}
	if p, ok := c.Params[name]; ok {
		return p.Ref(), nil
	}
	if _, ok := c.T.Resources[name]; ok && c.Resources != nil {
		if v, ok := c.Resources.Ref(name); ok {
			return v, nil
		}
	}
	return nil, Errorf("Template format error: Unresolved resource dependencies [%s] in the Resources block of the template", name)
}

func (c *Context) getAtt(arg any, res func(any) (any, error)) (any, error) {
	if s, ok := arg.(string); ok { // "Resource.Attribute", as the short form writes it
		if r, a, found := strings.Cut(s, "."); found {
			arg = []any{r, a}
		}
	}
	l, ok := arg.([]any)
	if !ok || len(l) != 2 {
		return nil, Errorf("Template error: every Fn::GetAtt object requires two non-empty parameters, the resource name and the resource attribute")
	}
	id, _ := l[0].(string)
	a, err := res(l[1])
	if err != nil {
		return nil, err
	}
	attr, _ := a.(string)
	if id == "" || attr == "" {
		return nil, Errorf("Template error: every Fn::GetAtt object requires two non-empty parameters, the resource name and the resource attribute")
	}
	if _, ok := c.T.Resources[id]; !ok || c.Resources == nil {
		return nil, Errorf("Template error: instance of Fn::GetAtt references undefined resource %s", id)
	}
	return c.Resources.Attr(id, attr)
}

func (c *Context) join(arg any, res func(any) (any, error)) (any, error) {
	l, ok := arg.([]any)
	if !ok || len(l) != 2 {
		return nil, Errorf("Template error: every Fn::Join object requires two parameters, (1) a string delimiter and (2) a list of strings to be joined or a function that returns a list of strings (such as Fn::GetAZs) to be joined.")
	}
	delim, ok := l[0].(string)
	if !ok {
		return nil, Errorf("Template error: every Fn::Join object requires two parameters, (1) a string delimiter and (2) a list of strings to be joined or a function that returns a list of strings (such as Fn::GetAZs) to be joined.")
	}
	r, err := res(l[1])
	if err != nil {
		return nil, err
	}
	items, ok := r.([]any)
	if !ok {
		return nil, Errorf("Template error: every Fn::Join object requires two parameters, (1) a string delimiter and (2) a list of strings to be joined or a function that returns a list of strings (such as Fn::GetAZs) to be joined.")
	}
	parts := make([]string, 0, len(items))
	for _, x := range items {
		s, ok := scalarString(x)
		if !ok {
			return nil, Errorf("Template error: every Fn::Join object requires two parameters, (1) a string delimiter and (2) a list of strings to be joined or a function that returns a list of strings (such as Fn::GetAZs) to be joined.")
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, delim), nil
}

func (c *Context) selectFn(arg any, res func(any) (any, error)) (any, error) {
	l, ok := arg.([]any)
	if !ok || len(l) != 2 {
		return nil, Errorf("Template error: Fn::Select requires a list argument with two elements: an integer index and a list")
	}
	ir, err := res(l[0])
	if err != nil {
		return nil, err
	}
	is, _ := scalarString(ir)
	idx, err := strconv.Atoi(is)
	if err != nil {
		return nil, Errorf("Template error: Fn::Select requires a list argument with two elements: an integer index and a list")
	}
	r, err := res(l[1])
	if err != nil {
		return nil, err
	}
	items, ok := r.([]any)
	if !ok {
		return nil, Errorf("Template error: Fn::Select requires a list argument with two elements: an integer index and a list")
	}
	if idx < 0 || idx >= len(items) {
		return nil, Errorf("Template error: Fn::Select cannot select nonexistent value at index %d", idx)
	}
	return items[idx], nil
}

func (c *Context) split(arg any, res func(any) (any, error)) (any, error) {
	l, ok := arg.([]any)
	if !ok || len(l) != 2 {
		return nil, Errorf("Template error: every Fn::Split object requires two parameters, (1) a string delimiter and (2) a string to be split or a function that returns a string to be split.")
	}
	delim, ok := l[0].(string)
	if !ok || delim == "" {
		return nil, Errorf("Template error: every Fn::Split object requires two parameters, (1) a string delimiter and (2) a string to be split or a function that returns a string to be split.")
	}
	r, err := res(l[1])
	if err != nil {
		return nil, err
	}
	s, ok := scalarString(r)
	if !ok {
		return nil, Errorf("Template error: every Fn::Split object requires two parameters, (1) a string delimiter and (2) a string to be split or a function that returns a string to be split.")
	}
	out := []any{}
	for _, p := range strings.Split(s, delim) {
		out = append(out, p)
	}
	return out, nil
}

func (c *Context) findInMap(arg any, res func(any) (any, error)) (any, error) {
	l, ok := arg.([]any)
	if !ok || len(l) < 3 {
		return nil, Errorf("Template error: every Fn::FindInMap object requires three parameters, the map name, map key and the attribute for return value")
	}
	keys := make([]string, 3)
	for i := range 3 {
		r, err := res(l[i])
		if err != nil {
			return nil, err
		}
		s, ok := scalarString(r)
		if !ok {
			return nil, Errorf("Template error: every Fn::FindInMap object requires three parameters, the map name, map key and the attribute for return value")
		}
		keys[i] = s
	}
	m1, _ := c.T.Mappings[keys[0]].(map[string]any)
	m2, _ := m1[keys[1]].(map[string]any)
	v, ok := m2[keys[2]]
	if !ok {
		if len(l) == 4 {
			if dm, ok := l[3].(map[string]any); ok {
				if d, ok := dm["DefaultValue"]; ok {
					return res(d)
				}
			}
		}
		return nil, Errorf("Template error: Unable to get mapping for %s::%s::%s", keys[0], keys[1], keys[2])
	}
	return v, nil
}

// String renders a resolved scalar as text (numbers, booleans included).
func String(v any) (string, bool) { return scalarString(v) }

// Keys returns m's keys sorted.
func Keys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
