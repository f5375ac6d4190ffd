package policy

import "testing"

const (
	acct  = "111122223333"
	other = "444455556666"
	bob   = "arn:aws:iam::111122223333:user/bob"
	alice = "arn:aws:iam::111122223333:user/alice"
	carol = "arn:aws:iam::444455556666:user/carol"
	root  = "arn:aws:iam::111122223333:root"
	sess  = "arn:aws:sts::111122223333:assumed-role/app-role/build"
	role  = "arn:aws:iam::111122223333:role/app-role"
	keyA  = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	keyB  = "arn:aws:kms:us-east-1:444455556666:key/0987dcba-09fe-87dc-65ba-ab0987654321"
	secA  = "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf"
	secB  = "arn:aws:secretsmanager:us-east-1:444455556666:secret:shared/api-XyZ123"
)

// pol parses a policy of kind k or fails the test.
func pol(t testing.TB, k Kind, doc string) *Policy {
	t.Helper()
	p, err := ParseKind([]byte(doc), k)
	if err != nil {
		t.Fatalf("parse %s policy: %v\n%s", k, err, doc)
	}
	return p
}

// named wraps a parsed policy.
func named(t testing.TB, name string, k Kind, doc string) Named {
	return Named{Name: name, Policy: pol(t, k, doc)}
}

func namedPtr(t testing.TB, name string, k Kind, doc string) *Named {
	n := named(t, name, k, doc)
	return &n
}

// ctx builds a context from alternating keys and values.
func ctx(kv ...string) *Context {
	c := NewContext()
	for i := 0; i+1 < len(kv); i += 2 {
		c.Set(kv[i], kv[i+1])
	}
	return c
}

const defaultKeyPolicy = `{"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}`

const allowAll = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
