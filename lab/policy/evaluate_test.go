package policy

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

type evalCase struct {
	name  string
	in    func(t *testing.T) *Input
	want  Result
	layer string
}

func runEvalCases(t *testing.T, cases []evalCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in(t)
			d := Evaluate(in)
			got := struct{ Result, Layer string }{d.Result.String(), d.Layer}
			want := struct{ Result, Layer string }{tc.want.String(), tc.layer}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Evaluate() mismatch (-want +got):\n%s\n%s", diff, Explain(in))
			}
		})
	}
}

func req(principal, action, resource string) Request {
	return Request{Principal: principal, Action: action, Resource: resource}
}

// Same-account evaluation: identity and resource policies form a union.
func TestEvaluateSameAccount(t *testing.T) {
	readSecrets := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:*","Resource":"*"}]}`
	secretPolicyBob := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`
	runEvalCases(t, []evalCase{
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
		{"no policy is an implicit deny", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "secretsmanager:GetSecretValue", secA)}
		}, ImplicitlyDenied, LayerIdentity},
		{"identity allow", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "secretsmanager:GetSecretValue", secA), Identity: []Named{named(t, "sm", Managed, readSecrets)}}
		}, Allowed, LayerIdentity},
		{"explicit deny beats allow", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "secretsmanager:GetSecretValue", secA), Identity: []Named{
				named(t, "sm", Managed, readSecrets),
				named(t, "deny", Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`)}}
		}, ExplicitlyDenied, LayerIdentity},
		// https://docs.aws.amazon.com/secretsmanager/latest/userguide/determine-acccess_understanding-policy-evaluation.html
		{"secret policy naming the user is enough on its own", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "secretsmanager:GetSecretValue", secA), Resource: namedPtr(t, "secret policy", Resource, secretPolicyBob)}
		}, Allowed, LayerResource},
		{"secret policy naming another user does not help", func(t *testing.T) *Input {
			return &Input{Request: req(alice, "secretsmanager:GetSecretValue", secA), Resource: namedPtr(t, "secret policy", Resource, secretPolicyBob)}
		}, ImplicitlyDenied, LayerIdentity},
		{"identity deny overrides the secret policy", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "secretsmanager:GetSecretValue", secA), Resource: namedPtr(t, "secret policy", Resource, secretPolicyBob),
				Identity: []Named{named(t, "deny", Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"secretsmanager:*","Resource":"*"}]}`)}}
		}, ExplicitlyDenied, LayerIdentity},
		{"resource policy deny beats identity allow", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "secretsmanager:GetSecretValue", secA), Identity: []Named{named(t, "sm", Managed, readSecrets)},
				Resource: namedPtr(t, "secret policy", Resource, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`)}
		}, ExplicitlyDenied, LayerResource},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html (account principal delegates to IAM)
		{"secret policy naming only the account needs an identity allow", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "secretsmanager:GetSecretValue", secA),
				Resource: namedPtr(t, "secret policy", Resource, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"secretsmanager:*","Resource":"*"}]}`)}
		}, ImplicitlyDenied, LayerIdentity},
		// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
		{"GetCallerIdentity is always allowed", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "sts:GetCallerIdentity", "*"),
				Identity: []Named{named(t, "deny", Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`)}}
		}, Allowed, ""},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html (root user)
		{"account root user has full access in its own account", func(t *testing.T) *Input {
			return &Input{Request: req(root, "secretsmanager:DeleteSecret", secA)}
		}, Allowed, LayerIdentity},
		{"account root user is still subject to SCPs", func(t *testing.T) *Input {
			return &Input{Request: req(root, "secretsmanager:DeleteSecret", secA), SCPs: []Level{{Org: "r-root", Policies: []Named{
				named(t, "FullAWSAccess", SCP, allowAll),
				named(t, "NoDelete", SCP, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"secretsmanager:DeleteSecret","Resource":"*"}]}`)}}}}
		}, ExplicitlyDenied, LayerSCP},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
		{"actions without resource-level permissions need Resource *", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "secretsmanager:ListSecrets", "*"), Identity: []Named{named(t, "scoped", Managed,
				`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:*","Resource":"arn:aws:secretsmanager:*:111122223333:secret:*"}]}`)}}
		}, ImplicitlyDenied, LayerIdentity},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
		{"Allow with NotAction allows every other action", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "kms:ListKeys", "*"), Identity: []Named{named(t, "PowerUserAccess", Managed,
				`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*"}]}`)}}
		}, Allowed, LayerIdentity},
		{"Allow with NotAction does not allow the listed actions", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "iam:CreateUser", "arn:aws:iam::111122223333:user/eve"), Identity: []Named{named(t, "PowerUserAccess", Managed,
				`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*"}]}`)}}
		}, ImplicitlyDenied, LayerIdentity},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html
		{"Deny with NotResource denies everything else", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "secretsmanager:GetSecretValue", secA), Identity: []Named{
				named(t, "sm", Managed, readSecrets),
				named(t, "fence", Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"secretsmanager:*","NotResource":"arn:aws:secretsmanager:*:111122223333:secret:dev/*"}]}`)}}
		}, ExplicitlyDenied, LayerIdentity},
	})
}

// Cross-account access needs both sides.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
func TestEvaluateCrossAccount(t *testing.T) {
	idAllow := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:us-east-1:444455556666:secret:*"}]}`
	sharedToAcct := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`
	cross := func(in *Input) *Input { in.Request.ResourceAccount = other; return in }
	runEvalCases(t, []evalCase{
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
		{"identity allow alone is not enough", func(t *testing.T) *Input {
			return cross(&Input{Request: req(bob, "secretsmanager:GetSecretValue", secB), Identity: []Named{named(t, "id", Identity, idAllow)}})
		}, ImplicitlyDenied, LayerResource},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
		{"resource policy alone is not enough", func(t *testing.T) *Input {
			return cross(&Input{Request: req(bob, "secretsmanager:GetSecretValue", secB), Resource: namedPtr(t, "secret policy", Resource, sharedToAcct)})
		}, ImplicitlyDenied, LayerIdentity},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
		{"both sides allow", func(t *testing.T) *Input {
			return cross(&Input{Request: req(bob, "secretsmanager:GetSecretValue", secB), Identity: []Named{named(t, "id", Identity, idAllow)},
				Resource: namedPtr(t, "secret policy", Resource, sharedToAcct)})
		}, Allowed, LayerIdentity},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
		{"resource policy naming another account", func(t *testing.T) *Input {
			return cross(&Input{Request: req(bob, "secretsmanager:GetSecretValue", secB), Identity: []Named{named(t, "id", Identity, idAllow)},
				Resource: namedPtr(t, "secret policy", Resource, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:root"},"Action":"*","Resource":"*"}]}`)})
		}, ImplicitlyDenied, LayerResource},
		// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
		{"cross-account key use needs the key policy and IAM", func(t *testing.T) *Input {
			return cross(&Input{Request: req(bob, "kms:Decrypt", keyB),
				Identity: []Named{named(t, "use-shared-key", Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:us-east-1:444455556666:key/*"}]}`)},
				Resource: namedPtr(t, "key policy", KeyPolicy, `{"Version":"2012-10-17","Statement":[{"Sid":"Allow an external account to use this KMS key","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["kms:Decrypt","kms:DescribeKey"],"Resource":"*"}]}`)})
		}, Allowed, LayerIdentity},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
		{"account root of another account is limited by the resource policy", func(t *testing.T) *Input {
			return cross(&Input{Request: req(root, "kms:Decrypt", keyB), Resource: namedPtr(t, "key policy", KeyPolicy, strings444())})
		}, ImplicitlyDenied, LayerResource},
	})
}

// strings444 is key B's default key policy (delegating to its own account).
func strings444() string {
	return `{"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"kms:*","Resource":"*"}]}`
}

// KMS key policies must allow; IAM policies alone never grant key access.
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
func TestEvaluateKeyPolicy(t *testing.T) {
	admin := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	onlyAlice := `{"Version":"2012-10-17","Statement":[{"Sid":"Allow use of the key","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":["kms:Decrypt","kms:Encrypt"],"Resource":"*"}]}`
	runEvalCases(t, []evalCase{
		// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
		{"default key policy delegates to IAM", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "kms:Decrypt", keyA), Identity: []Named{named(t, "AdministratorAccess", Managed, admin)}, Resource: namedPtr(t, "key policy", KeyPolicy, defaultKeyPolicy)}
		}, Allowed, LayerIdentity},
		// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
		{"default key policy without IAM permission", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "kms:Decrypt", keyA), Resource: namedPtr(t, "key policy", KeyPolicy, defaultKeyPolicy)}
		}, ImplicitlyDenied, LayerIdentity},
		// https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
		{"IAM admin is not enough when the key policy does not delegate", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "kms:Decrypt", keyA), Identity: []Named{named(t, "AdministratorAccess", Managed, admin)}, Resource: namedPtr(t, "key policy", KeyPolicy, onlyAlice)}
		}, ImplicitlyDenied, LayerResource},
		// https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
		{"key policy naming the user needs no IAM policy", func(t *testing.T) *Input {
			return &Input{Request: req(alice, "kms:Decrypt", keyA), Resource: namedPtr(t, "key policy", KeyPolicy, onlyAlice)}
		}, Allowed, LayerResource},
		// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
		{"root user needs the key policy too", func(t *testing.T) *Input {
			return &Input{Request: req(root, "kms:Decrypt", keyA), Resource: namedPtr(t, "key policy", KeyPolicy, onlyAlice)}
		}, ImplicitlyDenied, LayerResource},
		// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
		{"root user with the default key policy", func(t *testing.T) *Input {
			return &Input{Request: req(root, "kms:ScheduleKeyDeletion", keyA), Resource: namedPtr(t, "key policy", KeyPolicy, defaultKeyPolicy)}
		}, Allowed, LayerIdentity},
		// https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
		{"no key policy given means no access", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "kms:Decrypt", keyA), Identity: []Named{named(t, "AdministratorAccess", Managed, admin)}}
		}, ImplicitlyDenied, LayerResource},
		// https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
		{"aws/secretsmanager style statement through Secrets Manager", func(t *testing.T) *Input {
			in := &Input{Request: req(bob, "kms:Decrypt", keyA), Identity: []Named{named(t, "sm", Managed, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`)},
				Resource: namedPtr(t, "key policy", KeyPolicy, `{"Version":"2012-10-17","Statement":[{"Sid":"Allow access through AWS Secrets Manager for all principals in the account that are authorized to use AWS Secrets Manager","Effect":"Allow","Principal":{"AWS":"*"},"Action":["kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*","kms:CreateGrant","kms:DescribeKey"],"Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"secretsmanager.us-east-1.amazonaws.com","kms:CallerAccount":"111122223333"}}}]}`)}
			in.Request.Context = ctx("kms:ViaService", "secretsmanager.us-east-1.amazonaws.com", "kms:CallerAccount", acct)
			return in
		}, Allowed, LayerResource},
		// https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
		{"the same statement without kms:ViaService", func(t *testing.T) *Input {
			in := &Input{Request: req(bob, "kms:Decrypt", keyA),
				Resource: namedPtr(t, "key policy", KeyPolicy, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"secretsmanager.us-east-1.amazonaws.com","kms:CallerAccount":"111122223333"}}}]}`)}
			in.Request.Context = ctx("kms:CallerAccount", acct)
			return in
		}, ImplicitlyDenied, LayerResource},
		// https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
		{"key policy deny beats the IAM allow", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "kms:Decrypt", keyA), Identity: []Named{named(t, "AdministratorAccess", Managed, admin)},
				Resource: namedPtr(t, "key policy", KeyPolicy, `{"Version":"2012-10-17","Statement":[`+
					`{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},`+
					`{"Sid":"Deny everyone but alice","Effect":"Deny","Principal":{"AWS":"*"},"Action":"kms:Decrypt","Resource":"*","Condition":{"ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:user/alice"}}}]}`)}
		}, ExplicitlyDenied, LayerResource},
	})
}

// Role trust policies must allow sts:AssumeRole.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_aws-accounts.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html
func TestEvaluateTrustPolicy(t *testing.T) {
	opsRole := "arn:aws:iam::111122223333:role/ops"
	trustBob := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":"sts:AssumeRole"}]}`
	trustAcct := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}`
	assume := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::111122223333:role/ops"}]}`
	runEvalCases(t, []evalCase{
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_aws-accounts.html
		{"trust policy naming the user", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "sts:AssumeRole", opsRole), Resource: namedPtr(t, "trust policy", Trust, trustBob)}
		}, Allowed, LayerResource},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_aws-accounts.html
		{"trust policy naming the account needs an identity allow", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "sts:AssumeRole", opsRole), Resource: namedPtr(t, "trust policy", Trust, trustAcct)}
		}, ImplicitlyDenied, LayerIdentity},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_aws-accounts.html
		{"trust policy naming the account with an identity allow", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "sts:AssumeRole", opsRole), Resource: namedPtr(t, "trust policy", Trust, trustAcct), Identity: []Named{named(t, "assume", Identity, assume)}}
		}, Allowed, LayerIdentity},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_aws-accounts.html
		{"identity allow without trust", func(t *testing.T) *Input {
			return &Input{Request: req(alice, "sts:AssumeRole", opsRole), Resource: namedPtr(t, "trust policy", Trust, trustBob), Identity: []Named{named(t, "assume", Identity, assume)}}
		}, ImplicitlyDenied, LayerResource},
	})
}

// Permissions boundaries and session policies.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
func TestEvaluateBoundaryAndSession(t *testing.T) {
	smAll := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:*","Resource":"*"}]}`
	kmsOnly := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}`
	secretFor := func(principal string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + principal + `"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`
	}
	runEvalCases(t, []evalCase{
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
		{"boundary limits the identity policy", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "secretsmanager:GetSecretValue", secA), Identity: []Named{named(t, "sm", Managed, smAll)}, Boundaries: []Named{named(t, "boundary", Managed, kmsOnly)}}
		}, ImplicitlyDenied, LayerBoundary},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
		{"boundary and identity both allow", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "secretsmanager:GetSecretValue", secA), Identity: []Named{named(t, "sm", Managed, smAll)}, Boundaries: []Named{named(t, "boundary", Managed, smAll)}}
		}, Allowed, LayerIdentity},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
		{"resource policy naming the user is not limited by the boundary", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "secretsmanager:GetSecretValue", secA), Boundaries: []Named{named(t, "boundary", Managed, kmsOnly)}, Resource: namedPtr(t, "secret policy", Resource, secretFor(bob))}
		}, Allowed, LayerResource},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
		{"resource policy naming the role is limited by the boundary", func(t *testing.T) *Input {
			return &Input{Request: req(sess, "secretsmanager:GetSecretValue", secA), Boundaries: []Named{named(t, "boundary", Managed, kmsOnly)}, Resource: namedPtr(t, "secret policy", Resource, secretFor(role))}
		}, ImplicitlyDenied, LayerBoundary},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
		{"resource policy naming the session is not limited by the boundary", func(t *testing.T) *Input {
			return &Input{Request: req(sess, "secretsmanager:GetSecretValue", secA), Boundaries: []Named{named(t, "boundary", Managed, kmsOnly)}, Resource: namedPtr(t, "secret policy", Resource, secretFor(sess))}
		}, Allowed, LayerResource},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
		{"session policy limits the role's identity policies", func(t *testing.T) *Input {
			return &Input{Request: req(sess, "secretsmanager:GetSecretValue", secA), Identity: []Named{named(t, "sm", Managed, smAll)}, Session: namedPtr(t, "session", Session, kmsOnly)}
		}, ImplicitlyDenied, LayerSession},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
		{"resource policy naming the role is limited by the session policy", func(t *testing.T) *Input {
			return &Input{Request: req(sess, "secretsmanager:GetSecretValue", secA), Session: namedPtr(t, "session", Session, kmsOnly), Resource: namedPtr(t, "secret policy", Resource, secretFor(role))}
		}, ImplicitlyDenied, LayerSession},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
		{"resource policy naming the session ARN is not limited by the session policy", func(t *testing.T) *Input {
			return &Input{Request: req(sess, "secretsmanager:GetSecretValue", secA), Session: namedPtr(t, "session", Session, kmsOnly), Resource: namedPtr(t, "secret policy", Resource, secretFor(sess))}
		}, Allowed, LayerResource},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
		{"session policy deny wins", func(t *testing.T) *Input {
			return &Input{Request: req(sess, "secretsmanager:GetSecretValue", secA), Resource: namedPtr(t, "secret policy", Resource, secretFor(sess)),
				Session: namedPtr(t, "session", Session, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`)}
		}, ExplicitlyDenied, LayerSession},
	})
}

// Service and resource control policies.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html
func TestEvaluateOrganizations(t *testing.T) {
	id := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	runEvalCases(t, []evalCase{
		// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
		{"every level must allow", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "kms:ListKeys", "*"), Identity: []Named{named(t, "admin", Managed, id)}, SCPs: []Level{
				{Org: "r-root", Policies: []Named{named(t, "FullAWSAccess", SCP, allowAll)}},
				{Org: "ou-1", Policies: []Named{named(t, "OnlySecrets", SCP, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:*","Resource":"*"}]}`)}}}}
		}, ImplicitlyDenied, LayerSCP},
		// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
		{"SCP allows do not grant anything", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "kms:ListKeys", "*"), SCPs: []Level{{Org: "r-root", Policies: []Named{named(t, "FullAWSAccess", SCP, allowAll)}}}}
		}, ImplicitlyDenied, LayerIdentity},
		// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html
		{"RCP without a matching deny", func(t *testing.T) *Input {
			in := &Input{Request: req(bob, "secretsmanager:GetSecretValue", secA), Identity: []Named{named(t, "admin", Managed, id)}, RCPs: []Level{{Org: "r-root", Policies: []Named{
				named(t, "NoInsecure", RCP, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"secretsmanager:*","Resource":"*","Condition":{"BoolIfExists":{"aws:SecureTransport":"false"}}}]}`)}}}}
			in.Request.Context = ctx("aws:SecureTransport", "true")
			return in
		}, Allowed, LayerIdentity},
		// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html
		{"RCPs do not apply to IAM", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "iam:GetUser", bob), Identity: []Named{named(t, "admin", Managed, id)}, RCPs: []Level{{Org: "r-root", Policies: []Named{
				named(t, "DenyAll", RCP, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}`)}}}}
		}, Allowed, LayerIdentity},
		// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html
		{"RCP deny on plain HTTP", func(t *testing.T) *Input {
			in := &Input{Request: req(bob, "secretsmanager:GetSecretValue", secA), Identity: []Named{named(t, "admin", Managed, id)}, RCPs: []Level{{Org: "r-root", Policies: []Named{
				named(t, "NoInsecure", RCP, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"secretsmanager:*","Resource":"*","Condition":{"BoolIfExists":{"aws:SecureTransport":"false"}}}]}`)}}}}
			in.Request.Context = ctx("aws:SecureTransport", "false")
			return in
		}, ExplicitlyDenied, LayerRCP},
	})
}

// NotPrincipal with Deny.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
func TestEvaluateNotPrincipal(t *testing.T) {
	smAll := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:*","Resource":"*"}]}`
	denyOthers := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::111122223333:user/bob","arn:aws:iam::111122223333:root"]},"Action":"secretsmanager:*","Resource":"*"}]}`
	runEvalCases(t, []evalCase{
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
		{"listed user is not denied", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "secretsmanager:GetSecretValue", secA), Identity: []Named{named(t, "sm", Managed, smAll)}, Resource: namedPtr(t, "secret policy", Resource, denyOthers)}
		}, Allowed, LayerIdentity},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
		{"other users are denied", func(t *testing.T) *Input {
			return &Input{Request: req(alice, "secretsmanager:GetSecretValue", secA), Identity: []Named{named(t, "sm", Managed, smAll)}, Resource: namedPtr(t, "secret policy", Resource, denyOthers)}
		}, ExplicitlyDenied, LayerResource},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
		{"a principal with a permissions boundary is always denied", func(t *testing.T) *Input {
			return &Input{Request: req(bob, "secretsmanager:GetSecretValue", secA), Identity: []Named{named(t, "sm", Managed, smAll)}, Boundaries: []Named{named(t, "b", Managed, smAll)}, Resource: namedPtr(t, "secret policy", Resource, denyOthers)}
		}, ExplicitlyDenied, LayerResource},
	})
}

func TestNilInput(t *testing.T) {
	if d := Evaluate(nil); d.Result != ImplicitlyDenied {
		t.Errorf("Evaluate(nil) = %v", d.Result)
	}
	if x := Explain(nil); x.Decision.Result != ImplicitlyDenied {
		t.Errorf("Explain(nil) = %v", x.Decision.Result)
	}
	if m := DeniedMessage(nil, Decision{}); m != "" {
		t.Errorf("DeniedMessage(nil) = %q", m)
	}
	in := &Input{Request: req(bob, "kms:ListKeys", "*"), Identity: []Named{{Name: "empty"}}, Boundaries: []Named{{Name: "nil"}}, Resource: &Named{Name: "nil"}}
	if d := Evaluate(in); d.Result != ImplicitlyDenied {
		t.Errorf("Evaluate with nil policies = %v", d.Result)
	}
	_ = Explain(in).String()
}

func TestDecisionStatementsAndMissingKeys(t *testing.T) {
	in := &Input{Request: req(bob, "kms:Decrypt", keyA),
		Identity: []Named{named(t, "bob-inline", Identity, `{"Version":"2012-10-17","Statement":[{"Sid":"ViaSM","Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"secretsmanager.us-east-1.amazonaws.com"}}},{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}`)},
		Resource: namedPtr(t, "key policy", KeyPolicy, defaultKeyPolicy)}
	in.Request.Context = ctx("aws:SecureTransport", "true")
	got := Evaluate(in)
	want := Decision{Result: Allowed, Layer: LayerIdentity,
		Statements:  []StatementRef{{Policy: "key policy", Sid: "Enable IAM User Permissions", Effect: "Allow"}, {Policy: "bob-inline", Index: 1, Effect: "Allow"}},
		MissingKeys: []string{"kms:ViaService"}}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Evaluate() mismatch (-want +got):\n%s", diff)
	}
	if s := got.Statements[1].String(); s != "bob-inline:Statement[1]" {
		t.Errorf("StatementRef.String() = %q", s)
	}
}
