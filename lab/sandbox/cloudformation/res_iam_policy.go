package cloudformation

import (
	"slices"
	"strings"
)

// AWS::IAM::Policy (inline policies put on roles, users and groups),
// AWS::IAM::ManagedPolicy and AWS::IAM::AccessKey.

func init() {
	register("AWS::IAM::Policy", provider{
		props:  []string{"Groups", "PolicyDocument", "PolicyName", "Roles", "Users"},
		create: createInline, update: updateInline, del: deleteInline,
		replaceOn: []string{"PolicyName"},
		required:  []string{"PolicyName", "PolicyDocument"},
		attrs:     []string{"Id"},
	})
	register("AWS::IAM::ManagedPolicy", provider{
		props:  []string{"Description", "Groups", "ManagedPolicyName", "Path", "PolicyDocument", "Roles", "Users"},
		create: createManaged, update: updateManaged, del: deleteManaged,
		replaceOn: []string{"ManagedPolicyName", "Path", "Description"},
		required:  []string{"PolicyDocument"},
		attrs:     []string{"PolicyArn", "PolicyId", "DefaultVersionId", "AttachmentCount", "IsAttachable", "CreateDate", "UpdateDate"},
	})
	register("AWS::IAM::AccessKey", provider{
		props:  []string{"Serial", "Status", "UserName"},
		create: createAccessKey, update: updateAccessKey, del: deleteAccessKey,
		replaceOn: []string{"UserName", "Serial"},
		required:  []string{"UserName"},
		attrs:     []string{"SecretAccessKey"},
	})
}

var inlineTargets = []struct{ prop, kind string }{{"Roles", "Role"}, {"Users", "User"}, {"Groups", "Group"}}

func putInlineOn(d *deployment, props map[string]any, skip map[string]any) error {
	doc, err := policyJSON(props["PolicyDocument"])
	if err != nil {
		return err
	}
	name := str(props, "PolicyName")
	for _, t := range inlineTargets {
		for _, target := range stringList(props, t.prop) {
			if skip != nil && slices.Contains(stringList(skip, t.prop), target) {
				continue
			}
			if _, err := d.call("iam", "Put"+t.kind+"Policy", query(t.kind+"Name", target, "PolicyName", name, "PolicyDocument", doc)); err != nil {
				return err
			}
		}
	}
	return nil
}

func deleteInlineFrom(d *deployment, props map[string]any, keep map[string]any) error {
	name := str(props, "PolicyName")
	for _, t := range inlineTargets {
		for _, target := range stringList(props, t.prop) {
			if keep != nil && slices.Contains(stringList(keep, t.prop), target) {
				continue
			}
			if _, err := d.call("iam", "Delete"+t.kind+"Policy", query(t.kind+"Name", target, "PolicyName", name)); err != nil && !isNotFound(err) {
				return err
			}
		}
	}
	return nil
}

func createInline(d *deployment, id string, props map[string]any) error {
	if len(stringList(props, "Roles"))+len(stringList(props, "Users"))+len(stringList(props, "Groups")) == 0 {
		return &handlerError{reason: "Properties validation failed for resource with message: [At least one of [Groups,Roles,Users] must be non-empty.]"}
	}
	if err := putInlineOn(d, props, nil); err != nil {
		return err
	}
	// CloudFormation's physical ID for an inline policy is the first
	// letters of the stack name and the logical ID and a random suffix,
	// like "mysta-MyPo-1ABCDEFGHIJK".
	pid := prefix(d.st.Name, 5) + "-" + prefix(id, 4) + "-" + d.s.randString(13, upperDigits)
	d.created(id, pid, pid, map[string]any{"Id": pid})
	return nil
}

func updateInline(d *deployment, id string, old, new map[string]any) error {
	// An unchanged document only needs putting on newly listed principals.
	var skip map[string]any
	if sameProps(map[string]any{"d": old["PolicyDocument"]}, map[string]any{"d": new["PolicyDocument"]}) {
		skip = old
	}
	if err := putInlineOn(d, new, skip); err != nil {
		return err
	}
	return deleteInlineFrom(d, old, new)
}

func deleteInline(d *deployment, id string) error {
	return deleteInlineFrom(d, d.st.sealed.Props[id], nil)
}

func attachManaged(d *deployment, arn string, old, new map[string]any) error {
	for _, t := range inlineTargets {
		for _, target := range diff(stringList(old, t.prop), stringList(new, t.prop)) {
			if _, err := d.call("iam", "Attach"+t.kind+"Policy", query(t.kind+"Name", target, "PolicyArn", arn)); err != nil {
				return err
			}
		}
		for _, target := range diff(stringList(new, t.prop), stringList(old, t.prop)) {
			if _, err := d.call("iam", "Detach"+t.kind+"Policy", query(t.kind+"Name", target, "PolicyArn", arn)); err != nil && !isNotFound(err) {
				return err
			}
		}
	}
	return nil
}

type policyResult struct {
	Policy struct {
		PolicyName, Arn, CreateDate, UpdateDate string
		PolicyID                                string `json:"PolicyId"`
		DefaultVersionID                        string `json:"DefaultVersionId"`
		AttachmentCount                         int
		IsAttachable                            bool
	}
}

func createManaged(d *deployment, id string, props map[string]any) error {
	name := str(props, "ManagedPolicyName")
	if name == "" {
		name = d.physicalName(id, iamMaxName["Policy"])
	}
	doc, err := policyJSON(props["PolicyDocument"])
	if err != nil {
		return err
	}
	in := query("PolicyName", name, "PolicyDocument", doc)
	if has(props, "Path") {
		in.Set("Path", str(props, "Path"))
	}
	if has(props, "Description") {
		in.Set("Description", str(props, "Description"))
	}
	var out policyResult
	if err := d.callJSON("iam", "CreatePolicy", in, &out); err != nil {
		return err
	}
	p := out.Policy
	d.created(id, p.Arn, p.Arn, map[string]any{"PolicyArn": p.Arn, "PolicyId": p.PolicyID,
		"DefaultVersionId": p.DefaultVersionID, "AttachmentCount": p.AttachmentCount,
		"IsAttachable": p.IsAttachable, "CreateDate": p.CreateDate, "UpdateDate": p.UpdateDate})
	return attachManaged(d, p.Arn, map[string]any{}, props)
}

func updateManaged(d *deployment, id string, old, new map[string]any) error {
	arn := d.st.sealed.Ref[id]
	if !sameProps(map[string]any{"d": old["PolicyDocument"]}, map[string]any{"d": new["PolicyDocument"]}) {
		doc, err := policyJSON(new["PolicyDocument"])
		if err != nil {
			return err
		}
		var out struct {
			PolicyVersion struct {
				VersionID string `json:"VersionId"`
			}
		}
		if err := d.callJSON("iam", "CreatePolicyVersion", query("PolicyArn", arn, "PolicyDocument", doc, "SetAsDefault", "true"), &out); err != nil {
			return err
		}
		if v := out.PolicyVersion.VersionID; v != "" {
			d.st.sealed.Attrs[id]["DefaultVersionId"] = v
		}
	}
	return attachManaged(d, arn, old, new)
}

func deleteManaged(d *deployment, id string) error {
	arn := d.st.sealed.Ref[id]
	if err := attachManaged(d, arn, d.st.sealed.Props[id], map[string]any{}); err != nil && !isNotFound(err) {
		return err
	}
	var versions struct {
		Versions []struct {
			VersionID        string `json:"VersionId"`
			IsDefaultVersion bool
		}
	}
	if err := d.callJSON("iam", "ListPolicyVersions", query("PolicyArn", arn), &versions); err != nil {
		return err
	}
	for _, v := range versions.Versions {
		if !v.IsDefaultVersion {
			if _, err := d.call("iam", "DeletePolicyVersion", query("PolicyArn", arn, "VersionId", v.VersionID)); err != nil && !isNotFound(err) {
				return err
			}
		}
	}
	_, err := d.call("iam", "DeletePolicy", query("PolicyArn", arn))
	return err
}

func createAccessKey(d *deployment, id string, props map[string]any) error {
	user := str(props, "UserName")
	var out struct {
		AccessKey struct {
			AccessKeyID     string `json:"AccessKeyId"`
			SecretAccessKey string
		}
	}
	if err := d.callJSON("iam", "CreateAccessKey", query("UserName", user), &out); err != nil {
		return err
	}
	key := out.AccessKey
	d.created(id, key.AccessKeyID, key.AccessKeyID, map[string]any{"SecretAccessKey": key.SecretAccessKey})
	d.extra(id)["UserName"] = user
	if strings.EqualFold(str(props, "Status"), "Inactive") {
		if _, err := d.call("iam", "UpdateAccessKey", query("UserName", user, "AccessKeyId", key.AccessKeyID, "Status", "Inactive")); err != nil {
			return err
		}
	}
	return nil
}

func updateAccessKey(d *deployment, id string, old, new map[string]any) error {
	status := "Active"
	if strings.EqualFold(str(new, "Status"), "Inactive") {
		status = "Inactive"
	}
	_, err := d.call("iam", "UpdateAccessKey", query("UserName", str(new, "UserName"), "AccessKeyId", d.st.sealed.Ref[id], "Status", status))
	return err
}

func deleteAccessKey(d *deployment, id string) error {
	_, err := d.call("iam", "DeleteAccessKey", query("UserName", d.extra(id)["UserName"], "AccessKeyId", d.st.sealed.Ref[id]))
	return err
}

func prefix(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
