package policy

import "strings"

// Templated condition keys. The Service Authorization Reference lists some
// condition keys as templates: a placeholder stands for a name the policy
// author picks, e.g. aws:ResourceTag/${TagKey} (written aws:ResourceTag/team
// in a policy) or kms:EncryptionContext:${EncryptionContextKey}. Most pages
// write the placeholder as ${Name}; the Secrets Manager page spells its tag
// key secretsmanager:ResourceTag/tag-key, with the literal word tag-key as
// the placeholder, and it is read the same way here.

// keyTemplate is a templated condition key, split at its placeholders:
// parts holds the literal text around them (lowercased, possibly empty),
// one more than there are placeholders. Each placeholder stands for one or
// more characters of any kind: tag keys may hold '/' and ':'.
type keyTemplate struct {
	parts []string
	typ   string
	// literal is the length of the literal text: when several templates
	// match a key, the one with the most literal text decides its type.
	literal int
}

// parseKeyTemplate splits a catalog condition key at its placeholders; ok
// is false when the key has none.
func parseKeyTemplate(key, typ string) (keyTemplate, bool) {
	lk := strings.ToLower(key)
	var parts []string
	for {
		i := strings.Index(lk, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(lk[i:], '}')
		if j < 0 {
			break // an unclosed placeholder is literal text
		}
		parts = append(parts, lk[:i])
		lk = lk[i+j+1:]
	}
	if len(parts) == 0 && strings.HasSuffix(lk, "tag/tag-key") {
		parts = append(parts, strings.TrimSuffix(lk, "tag-key"))
		lk = ""
	}
	if len(parts) == 0 {
		return keyTemplate{}, false
	}
	parts = append(parts, lk)
	t := keyTemplate{parts: parts, typ: typ}
	for _, p := range parts {
		t.literal += len(p)
	}
	return t, true
}

// match reports whether a lowercased condition key is an instance of the
// template: its literal parts in order, each placeholder at least one
// character long.
func (t keyTemplate) match(lk string) bool {
	first, last := t.parts[0], t.parts[len(t.parts)-1]
	if len(lk) < t.literal+len(t.parts)-1 || !strings.HasPrefix(lk, first) || !strings.HasSuffix(lk, last) {
		return false
	}
	pos, end := len(first), len(lk)-len(last)
	for _, mid := range t.parts[1 : len(t.parts)-1] {
		// The placeholder before mid takes at least one character; the
		// leftmost place for mid leaves the most room for the rest.
		if pos+1 > end {
			return false
		}
		i := strings.Index(lk[pos+1:end], mid)
		if i < 0 {
			return false
		}
		pos += 1 + i + len(mid)
	}
	return end-pos >= 1
}
