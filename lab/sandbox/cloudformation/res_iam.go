package cloudformation

import (
	"net/url"
	"slices"
	"strconv"

	"github.com/seclab-dev/seclab/lab/sandbox/cloudformation/template"
)

// AWS::IAM::Role, AWS::IAM::User and AWS::IAM::Group, made with the
// sandbox's IAM, with their inline policies (Policies) and attached managed
// policies (ManagedPolicyArns).

func init() {
	register("AWS::IAM::Role", provider{
		props:  []string{"AssumeRolePolicyDocument", "Description", "ManagedPolicyArns", "MaxSessionDuration", "Path", "PermissionsBoundary", "Policies", "RoleName", "Tags"},
		create: func(d *deployment, id string, p map[string]any) error { return createPrincipal(d, id, "Role", p) },
		update: func(d *deployment, id string, old, new map[string]any) error {
			return updatePrincipal(d, id, "Role", old, new)
		},
		del:       func(d *deployment, id string) error { return deletePrincipal(d, id, "Role") },
		replaceOn: []string{"RoleName", "Path"},
		required:  []string{"AssumeRolePolicyDocument"},
		attrs:     []string{"Arn", "RoleId"},
	})
	register("AWS::IAM::User", provider{
		props:  []string{"Groups", "LoginProfile", "ManagedPolicyArns", "Path", "PermissionsBoundary", "Policies", "Tags", "UserName"},
		create: func(d *deployment, id string, p map[string]any) error { return createPrincipal(d, id, "User", p) },
		update: func(d *deployment, id string, old, new map[string]any) error {
			return updatePrincipal(d, id, "User", old, new)
		},
		del:       func(d *deployment, id string) error { return deletePrincipal(d, id, "User") },
		replaceOn: []string{"UserName", "Path"},
		attrs:     []string{"Arn"},
	})
	register("AWS::IAM::Group", provider{
		props:  []string{"GroupName", "ManagedPolicyArns", "Path", "Policies"},
		create: func(d *deployment, id string, p map[string]any) error { return createPrincipal(d, id, "Group", p) },
		update: func(d *deployment, id string, old, new map[string]any) error {
			return updatePrincipal(d, id, "Group", old, new)
		},
		del:       func(d *deployment, id string) error { return deletePrincipal(d, id, "Group") },
		replaceOn: []string{"GroupName", "Path"},
		attrs:     []string{"Arn"},
	})
}

// iamMaxName is the longest name IAM accepts per principal kind.
var iamMaxName = map[string]int{"Role": 64, "User": 64, "Group": 128, "Policy": 128}

func query(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

func setTags(v url.Values, tags []tag) {
	for i, t := range tags {
		n := strconv.Itoa(i + 1)
		v.Set("Tags.member."+n+".Key", t.Key)
		v.Set("Tags.member."+n+".Value", t.Value)
	}
}

// inlinePolicy is one entry of a Policies property.
type inlinePolicy struct{ name, doc string }

func inlinePolicies(props map[string]any) ([]inlinePolicy, error) {
	var out []inlinePolicy
	l, _ := props["Policies"].([]any)
	for _, x := range l {
		m, _ := x.(map[string]any)
		name, _ := template.String(m["PolicyName"])
		if name == "" || m["PolicyDocument"] == nil {
			return nil, &handlerError{reason: "Properties validation failed for resource with message: [#/Policies: required key [PolicyName] or [PolicyDocument] not found]"}
		}
		doc, err := policyJSON(m["PolicyDocument"])
		if err != nil {
			return nil, err
		}
		out = append(out, inlinePolicy{name, doc})
	}
	return out, nil
}

func createPrincipal(d *deployment, id, kind string, props map[string]any) error {
	if kind == "User" && has(props, "LoginProfile") {
		return &handlerError{reason: "Properties validation failed for resource with message: [LoginProfile is not supported by the seclab sandbox, which has no console sign-in]"}
	}
	nameKey := kind + "Name"
	name := str(props, nameKey)
	if name == "" {
		name = d.physicalName(id, iamMaxName[kind])
	}
	in := query(nameKey, name)
	if has(props, "Path") {
		in.Set("Path", str(props, "Path"))
	}
	if kind != "Group" {
		if has(props, "PermissionsBoundary") {
			in.Set("PermissionsBoundary", str(props, "PermissionsBoundary"))
		}
		setTags(in, tagList(props))
	}
	if kind == "Role" {
		doc, err := policyJSON(props["AssumeRolePolicyDocument"])
		if err != nil {
			return err
		}
		in.Set("AssumeRolePolicyDocument", doc)
		if has(props, "Description") {
			in.Set("Description", str(props, "Description"))
		}
		if has(props, "MaxSessionDuration") {
			in.Set("MaxSessionDuration", str(props, "MaxSessionDuration"))
		}
	}
	var out map[string]struct {
		Arn    string
		RoleID string `json:"RoleId"`
	}
	if err := d.callJSON("iam", "Create"+kind, in, &out); err != nil {
		return err
	}
	got := out[kind]
	attrs := map[string]any{"Arn": got.Arn}
	if kind == "Role" {
		attrs["RoleId"] = got.RoleID
	}
	d.created(id, name, name, attrs)
	return applyPolicies(d, kind, name, nil, props)
}

// applyPolicies brings a principal's inline policies, managed policies and
// (users) groups from what old declared to what new declares.
func applyPolicies(d *deployment, kind, name string, old, new map[string]any) error {
	nameKey := kind + "Name"
	oldInline, err := inlinePolicies(old)
	if err != nil {
		return err
	}
	newInline, err := inlinePolicies(new)
	if err != nil {
		return err
	}
	for _, p := range newInline {
		if slices.Contains(oldInline, p) {
			continue
		}
		if _, err := d.call("iam", "Put"+kind+"Policy", query(nameKey, name, "PolicyName", p.name, "PolicyDocument", p.doc)); err != nil {
			return err
		}
	}
	for _, p := range oldInline {
		if !slices.ContainsFunc(newInline, func(n inlinePolicy) bool { return n.name == p.name }) {
			if _, err := d.call("iam", "Delete"+kind+"Policy", query(nameKey, name, "PolicyName", p.name)); err != nil && !isNotFound(err) {
				return err
			}
		}
	}
	oldArns, newArns := stringList(old, "ManagedPolicyArns"), stringList(new, "ManagedPolicyArns")
	for _, arn := range diff(oldArns, newArns) {
		if _, err := d.call("iam", "Attach"+kind+"Policy", query(nameKey, name, "PolicyArn", arn)); err != nil {
			return err
		}
	}
	for _, arn := range diff(newArns, oldArns) {
		if _, err := d.call("iam", "Detach"+kind+"Policy", query(nameKey, name, "PolicyArn", arn)); err != nil && !isNotFound(err) {
			return err
		}
	}
	if kind == "User" {
		oldGroups, newGroups := stringList(old, "Groups"), stringList(new, "Groups")
		for _, g := range diff(oldGroups, newGroups) {
			if _, err := d.call("iam", "AddUserToGroup", query("UserName", name, "GroupName", g)); err != nil {
				return err
			}
		}
		for _, g := range diff(newGroups, oldGroups) {
			if _, err := d.call("iam", "RemoveUserFromGroup", query("UserName", name, "GroupName", g)); err != nil && !isNotFound(err) {
				return err
			}
		}
	}
	return nil
}

func updatePrincipal(d *deployment, id, kind string, old, new map[string]any) error {
	name := d.st.sealed.Ref[id]
	nameKey := kind + "Name"
	if kind == "Role" {
		if !sameProps(map[string]any{"d": old["AssumeRolePolicyDocument"]}, map[string]any{"d": new["AssumeRolePolicyDocument"]}) {
			doc, err := policyJSON(new["AssumeRolePolicyDocument"])
			if err != nil {
				return err
			}
			if _, err := d.call("iam", "UpdateAssumeRolePolicy", query("RoleName", name, "PolicyDocument", doc)); err != nil {
				return err
			}
		}
		if str(old, "Description") != str(new, "Description") || str(old, "MaxSessionDuration") != str(new, "MaxSessionDuration") {
			in := query("RoleName", name, "Description", str(new, "Description"))
			if has(new, "MaxSessionDuration") {
				in.Set("MaxSessionDuration", str(new, "MaxSessionDuration"))
			}
			if _, err := d.call("iam", "UpdateRole", in); err != nil {
				return err
			}
		}
	}
	if kind != "Group" && str(old, "PermissionsBoundary") != str(new, "PermissionsBoundary") {
		var err error
		if has(new, "PermissionsBoundary") {
			_, err = d.call("iam", "Put"+kind+"PermissionsBoundary", query(nameKey, name, "PermissionsBoundary", str(new, "PermissionsBoundary")))
		} else {
			_, err = d.call("iam", "Delete"+kind+"PermissionsBoundary", query(nameKey, name))
		}
		if err != nil {
			return err
		}
	}
	return applyPolicies(d, kind, name, old, new)
}

func deletePrincipal(d *deployment, id, kind string) error {
	name := d.st.sealed.Ref[id]
	if err := applyPolicies(d, kind, name, d.st.sealed.Props[id], map[string]any{}); err != nil && !isNotFound(err) {
		return err
	}
	_, err := d.call("iam", "Delete"+kind, query(kind+"Name", name))
	return err
}
