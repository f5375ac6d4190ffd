package policy

// Kind is the type of a policy document; it decides which grammar rules and
// size limit apply (see [ParseKind]).
type Kind int

// Policy kinds.
const (
	// Identity is an inline identity-based policy (user, group or role).
	Identity Kind = iota + 1
	// Managed is a managed policy (customer or AWS managed); permissions
	// boundaries are managed policies too.
	Managed
	// Resource is a resource-based policy such as a secret's resource policy.
	Resource
	// KeyPolicy is a KMS key policy.
	KeyPolicy
	// Trust is an IAM role trust policy (AssumeRolePolicyDocument).
	Trust
	// SCP is an AWS Organizations service control policy.
	SCP
	// RCP is an AWS Organizations resource control policy.
	RCP
	// Session is a session policy passed to AssumeRole and similar calls.
	Session
	// AWSManaged is an AWS managed policy (arn:aws:iam::aws:policy/…):
	// the rules of Managed without its size quota, which AWS's own policies
	// exceed (ReadOnlyAccess has about 91,000 characters).
	AWSManaged
)

var kindNames = [...]string{"", "identity", "managed", "resource", "key", "trust", "scp", "rcp", "session", "aws-managed"}

// String returns the kind's short name as the CLI spells it ("identity",
// "managed", "resource", "key", "trust", "scp", "rcp", "session",
// "aws-managed").
func (k Kind) String() string {
	if k < Identity || k > AWSManaged {
		return "unknown"
	}
	return kindNames[k]
}

// ParseKindName maps a CLI name ("identity", "resource", "key", ...) to a Kind.
func ParseKindName(s string) (Kind, bool) {
	for i, n := range kindNames {
		if i > 0 && n == s {
			return Kind(i), true
		}
	}
	switch s {
	case "keypolicy", "key-policy":
		return KeyPolicy, true
	case "inline":
		return Identity, true
	case "boundary":
		return Managed, true
	}
	return 0, false
}

// Size limits AWS enforces on policy documents. IAM counts characters other
// than whitespace; KMS counts bytes. Sources: IAM quotas page
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html),
// KMS quotas (https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html),
// Organizations quotas (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html),
// STS AssumeRole Policy parameter, Secrets Manager PutResourcePolicy.
const (
	// LimitInlineUser is the aggregate inline-policy size per IAM user.
	LimitInlineUser = 2048
	// LimitInlineGroup is the aggregate inline-policy size per IAM group.
	LimitInlineGroup = 5120
	// LimitInlineRole is the aggregate inline-policy size per IAM role; it
	// is also the largest single inline policy AWS accepts.
	LimitInlineRole = 10240
	// LimitManaged is the size limit of a managed policy.
	LimitManaged = 6144
	// LimitTrust is the default size limit of a role trust policy
	// (adjustable to 4,096).
	LimitTrust = 2048
	// LimitKeyPolicy is the size limit of a KMS key policy, in bytes.
	LimitKeyPolicy = 32768
	// LimitSCP is the size limit of a service or resource control policy.
	LimitSCP = 5120
	// LimitSession is the size limit of an inline session policy.
	LimitSession = 2048
	// LimitSecretPolicy is the size limit of a Secrets Manager resource policy.
	LimitSecretPolicy = 20480
)

// sizeLimit returns the limit for k and whether it counts bytes (true) or
// non-whitespace characters (false).
func sizeLimit(k Kind) (int, bool) {
	switch k {
	case Identity:
		return LimitInlineRole, false
	case Managed:
		return LimitManaged, false
	case Resource:
		return LimitSecretPolicy, false
	case KeyPolicy:
		return LimitKeyPolicy, true
	case Trust:
		return LimitTrust, false
	case SCP, RCP:
		return LimitSCP, false
	case Session:
		return LimitSession, false
	}
	return 0, false
}

// PolicySize returns the size AWS compares with the limit for k: the byte
// length for key policies, otherwise the number of characters that are not
// whitespace.
func PolicySize(doc []byte, k Kind) int {
	if _, bytes := sizeLimit(k); bytes {
		return len(doc)
	}
	n := 0
	for _, r := range string(doc) {
		switch r {
		case ' ', '\t', '\n', '\r':
		default:
			n++
		}
	}
	return n
}
