package policy

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestContextClone checks that a clone and its original are independent,
// for small (scanned) and large (indexed) contexts.
func TestContextClone(t *testing.T) {
	for _, n := range []int{0, 3, indexAbove + 4} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			base := NewContext()
			for i := range n {
				base.Set(fmt.Sprintf("app:Key%d", i), fmt.Sprint(i))
			}
			base.Set("aws:SourceIp", "203.0.113.9")
			c := base.Clone()
			c.Set("aws:SourceIp", "198.51.100.7")
			if n > 0 {
				c.Set("APP:KEY0", "changed")
			}
			c.Set("app:New", "x")
			base.Set("aws:username", "bob")

			get := func(c *Context, k string) []string { v, _ := c.Get(k); return v }
			if diff := cmp.Diff([]string{"203.0.113.9"}, get(base, "aws:sourceip")); diff != "" {
				t.Errorf("base aws:SourceIp (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"198.51.100.7"}, get(c, "aws:SourceIp")); diff != "" {
				t.Errorf("clone aws:SourceIp (-want +got):\n%s", diff)
			}
			if _, ok := base.Get("app:New"); ok {
				t.Error("base sees a key set on the clone")
			}
			if _, ok := c.Get("aws:username"); ok {
				t.Error("clone sees a key set on the base")
			}
			if n > 0 {
				if diff := cmp.Diff([]string{"0"}, get(base, "app:key0")); diff != "" {
					t.Errorf("base app:Key0 (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff([]string{"changed"}, get(c, "app:key0")); diff != "" {
					t.Errorf("clone app:Key0 (-want +got):\n%s", diff)
				}
			}
			if len(c.Keys()) != len(base.Keys()) {
				t.Errorf("clone has %d keys, base %d", len(c.Keys()), len(base.Keys()))
			}
			// The pre-parsed address follows the value in conditions.
			id := named(t, "id", Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}]}`)
			for _, tc := range []struct {
				c    *Context
				want Result
			}{{base, Allowed}, {c, ImplicitlyDenied}} {
				in := &Input{Request: Request{Principal: bob, Action: "secretsmanager:GetSecretValue", Resource: secA, Context: tc.c}, Identity: []Named{id}}
				if got := Evaluate(in).Result; got != tc.want {
					t.Errorf("IpAddress: %v, want %v", got, tc.want)
				}
			}
		})
	}
	if (*Context)(nil).Clone() != nil {
		t.Error("nil.Clone() != nil")
	}
}

// TestContextIPValues checks IP-typed keys parsed at Set against values
// that are not addresses, padded values and multivalued keys.
func TestContextIPValues(t *testing.T) {
	id := named(t, "id", Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:db8::/32"]}}}]}`)
	tests := []struct {
		values []string
		want   Result
	}{
		{[]string{"203.0.113.9"}, Allowed},
		{[]string{" 203.0.113.9 "}, Allowed},
		{[]string{"2001:db8::1%eth0"}, Allowed},
		{[]string{"not-an-ip"}, ImplicitlyDenied},
		{[]string{"198.51.100.7", "203.0.113.1"}, Allowed},
		{[]string{"::ffff:203.0.113.9"}, ImplicitlyDenied},
	}
	for _, tt := range tests {
		c := NewContext()
		c.Set("aws:SourceIp", "192.0.2.1")
		c.Set("AWS:SOURCEIP", tt.values...)
		in := &Input{Request: Request{Principal: bob, Action: "secretsmanager:GetSecretValue", Resource: secA, Context: c}, Identity: []Named{id}}
		if got := Evaluate(in).Result; got != tt.want {
			t.Errorf("%q: %v, want %v", tt.values, got, tt.want)
		}
	}
}

// TestConditionSlotAcrossContexts evaluates one policy against contexts
// that hold the condition key at different places, or not at all, so that
// a remembered position must be checked rather than trusted.
func TestConditionSlotAcrossContexts(t *testing.T) {
	id := named(t, "id", Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"payments"}}}]}`)
	first := ctx("aws:PrincipalTag/team", "payments", "aws:username", "bob")
	later := ctx("aws:username", "bob", "aws:SourceIp", "203.0.113.9", "aws:principaltag/TEAM", "payments")
	other := ctx("aws:PrincipalTag/team", "billing")
	absent := ctx("aws:username", "bob", "aws:PrincipalTag/owner", "payments")
	tests := []struct {
		name string
		c    *Context
		want Result
	}{
		{"first", first, Allowed},
		{"later", later, Allowed},
		{"other value at the first place", other, ImplicitlyDenied},
		{"absent", absent, ImplicitlyDenied},
		{"nil context", nil, ImplicitlyDenied},
		{"first again", first, Allowed},
	}
	for _, tt := range tests {
		in := &Input{Request: Request{Principal: bob, Action: "secretsmanager:GetSecretValue", Resource: secA, Context: tt.c}, Identity: []Named{id}}
		if got := Evaluate(in).Result; got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
