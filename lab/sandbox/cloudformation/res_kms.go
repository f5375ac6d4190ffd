package cloudformation

import "slices"

// AWS::KMS::Key and AWS::KMS::Alias, made with the sandbox's KMS.

func init() {
	register("AWS::KMS::Key", provider{
		props:  []string{"BypassPolicyLockoutSafetyCheck", "Description", "EnableKeyRotation", "Enabled", "KeyPolicy", "KeySpec", "KeyUsage", "MultiRegion", "Origin", "PendingWindowInDays", "RotationPeriodInDays", "Tags"},
		create: createKey, update: updateKey, del: deleteKey,
		replaceOn: []string{"KeySpec", "KeyUsage", "MultiRegion", "Origin"},
		attrs:     []string{"Arn", "KeyId"},
	})
	register("AWS::KMS::Alias", provider{
		props:  []string{"AliasName", "TargetKeyId"},
		create: createAlias, update: updateAlias, del: deleteAlias,
		replaceOn: []string{"AliasName"},
		required:  []string{"AliasName", "TargetKeyId"},
	})
}

type keyMetadata struct {
	KeyMetadata struct {
		KeyID string `json:"KeyId"`
		Arn   string `json:"Arn"`
	} `json:"KeyMetadata"`
}

func kmsTags(props map[string]any) []map[string]string {
	var out []map[string]string
	for _, t := range tagList(props) {
		out = append(out, map[string]string{"TagKey": t.Key, "TagValue": t.Value})
	}
	return out
}

func createKey(d *deployment, id string, props map[string]any) error {
	in := map[string]any{}
	for _, k := range []string{"Description", "KeySpec", "KeyUsage", "Origin"} {
		if has(props, k) {
			in[k] = str(props, k)
		}
	}
	if has(props, "MultiRegion") {
		in["MultiRegion"] = boolProp(props, "MultiRegion", false)
	}
	if has(props, "BypassPolicyLockoutSafetyCheck") {
		in["BypassPolicyLockoutSafetyCheck"] = boolProp(props, "BypassPolicyLockoutSafetyCheck", false)
	}
	if has(props, "KeyPolicy") {
		pol, err := policyJSON(props["KeyPolicy"])
		if err != nil {
			return err
		}
		in["Policy"] = pol
	}
	if tags := kmsTags(props); len(tags) > 0 {
		in["Tags"] = tags
	}
	var out keyMetadata
	if err := d.callJSON("kms", "CreateKey", in, &out); err != nil {
		return err
	}
	keyID := out.KeyMetadata.KeyID
	d.created(id, keyID, keyID, map[string]any{"Arn": out.KeyMetadata.Arn, "KeyId": keyID})
	if !boolProp(props, "Enabled", true) {
		if _, err := d.call("kms", "DisableKey", map[string]any{"KeyId": keyID}); err != nil {
			return err
		}
	}
	if boolProp(props, "EnableKeyRotation", false) {
		in := map[string]any{"KeyId": keyID}
		if n, ok, err := intProp(props, "RotationPeriodInDays"); err != nil {
			return err
		} else if ok {
			in["RotationPeriodInDays"] = n
		}
		if _, err := d.call("kms", "EnableKeyRotation", in); err != nil {
			return err
		}
	}
	return nil
}

func updateKey(d *deployment, id string, old, new map[string]any) error {
	keyID := d.st.sealed.Ref[id]
	if str(old, "Description") != str(new, "Description") {
		if _, err := d.call("kms", "UpdateKeyDescription", map[string]any{"KeyId": keyID, "Description": str(new, "Description")}); err != nil {
			return err
		}
	}
	if !sameProps(map[string]any{"p": old["KeyPolicy"]}, map[string]any{"p": new["KeyPolicy"]}) && has(new, "KeyPolicy") {
		pol, err := policyJSON(new["KeyPolicy"])
		if err != nil {
			return err
		}
		in := map[string]any{"KeyId": keyID, "PolicyName": "default", "Policy": pol}
		if boolProp(new, "BypassPolicyLockoutSafetyCheck", false) {
			in["BypassPolicyLockoutSafetyCheck"] = true
		}
		if _, err := d.call("kms", "PutKeyPolicy", in); err != nil {
			return err
		}
	}
	if was, is := boolProp(old, "Enabled", true), boolProp(new, "Enabled", true); was != is {
		op := "DisableKey"
		if is {
			op = "EnableKey"
		}
		if _, err := d.call("kms", op, map[string]any{"KeyId": keyID}); err != nil {
			return err
		}
	}
	if was, is := boolProp(old, "EnableKeyRotation", false), boolProp(new, "EnableKeyRotation", false); was != is || is && str(old, "RotationPeriodInDays") != str(new, "RotationPeriodInDays") {
		in := map[string]any{"KeyId": keyID}
		op := "DisableKeyRotation"
		if is {
			op = "EnableKeyRotation"
			if n, ok, err := intProp(new, "RotationPeriodInDays"); err != nil {
				return err
			} else if ok {
				in["RotationPeriodInDays"] = n
			}
		}
		if _, err := d.call("kms", op, in); err != nil {
			return err
		}
	}
	return updateKMSTags(d, keyID, old, new)
}

func updateKMSTags(d *deployment, keyID string, old, new map[string]any) error {
	oldTags, newTags := tagList(old), tagList(new)
	if slices.Equal(oldTags, newTags) {
		return nil
	}
	var gone []string
	for _, t := range oldTags {
		if !slices.ContainsFunc(newTags, func(n tag) bool { return n.Key == t.Key }) {
			gone = append(gone, t.Key)
		}
	}
	if len(gone) > 0 {
		if _, err := d.call("kms", "UntagResource", map[string]any{"KeyId": keyID, "TagKeys": gone}); err != nil {
			return err
		}
	}
	if tags := kmsTags(new); len(tags) > 0 {
		if _, err := d.call("kms", "TagResource", map[string]any{"KeyId": keyID, "Tags": tags}); err != nil {
			return err
		}
	}
	return nil
}

func deleteKey(d *deployment, id string) error {
	window := 30
	if n, ok, _ := intProp(d.st.sealed.Props[id], "PendingWindowInDays"); ok {
		window = n
	}
	_, err := d.call("kms", "ScheduleKeyDeletion", map[string]any{"KeyId": d.st.sealed.Ref[id], "PendingWindowInDays": window})
	return err
}

func createAlias(d *deployment, id string, props map[string]any) error {
	name := str(props, "AliasName")
	if _, err := d.call("kms", "CreateAlias", map[string]any{"AliasName": name, "TargetKeyId": str(props, "TargetKeyId")}); err != nil {
		return err
	}
	d.created(id, name, name, nil)
	return nil
}

func updateAlias(d *deployment, id string, old, new map[string]any) error {
	_, err := d.call("kms", "UpdateAlias", map[string]any{"AliasName": str(new, "AliasName"), "TargetKeyId": str(new, "TargetKeyId")})
	return err
}

func deleteAlias(d *deployment, id string) error {
	_, err := d.call("kms", "DeleteAlias", map[string]any{"AliasName": d.st.sealed.Ref[id]})
	return err
}
