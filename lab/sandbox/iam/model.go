package iam

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// Accounts the sandbox knows.
const (
	// LearnerAccount is the learner's own account.
	LearnerAccount = "111122223333"
	// OtherAccount is a second account for cross-account lessons.
	OtherAccount = "444455556666"
	// Learner is the seeded administrator user in both accounts.
	Learner = "learner"
)

// Accounts lists the sandbox's accounts.
var Accounts = []string{LearnerAccount, OtherAccount}

const (
	bucketKeys     = "iam/accesskeys"
	bucketPolicies = "iam/policies"
	bucketMeta     = "iam/meta"
)

// kind describes one of the three principal-like entities (users, groups,
// roles) so their shared operations (inline policies, attachments, tags)
// are written once.
type kind struct {
	name        string // "user"
	title       string // "User" (operation names, XML elements)
	bucket      string
	idPrefix    string
	param       string // "UserName"
	inlineLimit int    // aggregate inline policy size, non-whitespace characters
	quotaName   string // "PoliciesPerUser"
}

var (
	userKind  = &kind{"user", "User", "iam/users", "AIDA", "UserName", 2048, "PoliciesPerUser"}
	groupKind = &kind{"group", "Group", "iam/groups", "AGPA", "GroupName", 5120, "PoliciesPerGroup"}
	roleKind  = &kind{"role", "Role", "iam/roles", "AROA", "RoleName", 10240, "PoliciesPerRole"}
)

// entity is a stored user, group or role.
type entity struct {
	Kind     string            `json:"kind"`
	Account  string            `json:"account"`
	Name     string            `json:"name"`
	Path     string            `json:"path"`
	ID       string            `json:"id"`
	ARN      string            `json:"arn"`
	Created  time.Time         `json:"created"`
	Inline   map[string]string `json:"inline,omitempty"`
	Attached []string          `json:"attached,omitempty"`
	Boundary string            `json:"boundary,omitempty"`
	Tags     []Tag             `json:"tags,omitempty"`
	// Groups are a user's group names.
	Groups []string `json:"groups,omitempty"`
	// TrustPolicy is a role's assume-role policy document.
	TrustPolicy string `json:"trustPolicy,omitempty"`
	Description string `json:"description,omitempty"`
	MaxSession  int    `json:"maxSession,omitempty"`
}

// Tag is an IAM tag.
type Tag struct {
	Key   string `xml:"Key" json:"key"`
	Value string `xml:"Value" json:"value"`
}

// managedPolicy is a customer managed policy (or an embedded AWS one).
type managedPolicy struct {
	Account     string          `json:"account"` // "aws" for AWS managed
	Name        string          `json:"name"`
	Path        string          `json:"path"`
	ID          string          `json:"id"`
	ARN         string          `json:"arn"`
	Description string          `json:"description,omitempty"`
	Created     time.Time       `json:"created"`
	Updated     time.Time       `json:"updated"`
	Versions    []policyVersion `json:"versions"`
	Default     string          `json:"default"`
	NextVersion int             `json:"nextVersion"`
	Tags        []Tag           `json:"tags,omitempty"`
}

type policyVersion struct {
	ID       string    `json:"id"`
	Document string    `json:"document"`
	Created  time.Time `json:"created"`
}

func (p *managedPolicy) defaultDocument() string {
	for _, v := range p.Versions {
		if v.ID == p.Default {
			return v.Document
		}
	}
	return ""
}

// accessKey is a stored access key; the secret is sealed at rest.
type accessKey struct {
	ID      string    `json:"id"`
	Account string    `json:"account"`
	User    string    `json:"user"`
	Sealed  []byte    `json:"sealed"`
	Status  string    `json:"status"`
	Created time.Time `json:"created"`
}

func entityKey(account, name string) string { return account + "/" + strings.ToLower(name) }

func arnFor(account, typ, path, name string) string {
	return "arn:aws:iam::" + account + ":" + typ + path + name
}

func getEntity(tx svc.Tx, k *kind, account, name string) (*entity, error) {
	var e entity
	ok, err := svc.GetJSON(tx, k.bucket, entityKey(account, name), &e)
	if err != nil {
		return nil, fmt.Errorf("read %s %s: %w", k.name, name, err)
	}
	if !ok {
		return nil, nil
	}
	return &e, nil
}

// mustEntity is getEntity with AWS's NoSuchEntity for a missing entity.
func mustEntity(tx svc.Tx, k *kind, account, name string) (*entity, error) {
	e, err := getEntity(tx, k, account, name)
	if err != nil {
		return nil, err
	}
	if e == nil {
		return nil, noSuchEntity("The %s with name %s cannot be found.", k.name, name)
	}
	return e, nil
}

func putEntity(tx svc.Tx, k *kind, e *entity) error {
	return svc.PutJSON(tx, k.bucket, entityKey(e.Account, e.Name), e)
}

// listEntities returns the account's entities of kind k, sorted by name.
func listEntities(tx svc.Tx, k *kind, account string) ([]*entity, error) {
	var out []*entity
	prefix := account + "/"
	err := tx.ForEach(k.bucket, func(key string, v []byte) error {
		if !strings.HasPrefix(key, prefix) {
			return nil
		}
		var e entity
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("read %s %s: %w", k.name, key, err)
		}
		out = append(out, &e)
		return nil
	})
	return out, err
}

func getPolicy(tx svc.Tx, account, name string) (*managedPolicy, error) {
	var p managedPolicy
	ok, err := svc.GetJSON(tx, bucketPolicies, entityKey(account, name), &p)
	if err != nil {
		return nil, fmt.Errorf("read policy %s: %w", name, err)
	}
	if !ok {
		return nil, nil
	}
	return &p, nil
}

// policyByARN finds a managed policy (AWS or customer) by ARN; nil if none.
func policyByARN(tx svc.Tx, arn string) (*managedPolicy, error) {
	if p, ok := awsManaged[arn]; ok {
		return p, nil
	}
	account, name, ok := parsePolicyARN(arn)
	if !ok {
		return nil, nil
	}
	p, err := getPolicy(tx, account, name)
	if err != nil || p == nil || p.ARN != arn {
		return nil, err
	}
	return p, nil
}

// parsePolicyARN splits arn:aws:iam::ACCOUNT:policy/PATH/NAME.
func parsePolicyARN(arn string) (account, name string, ok bool) {
	rest, ok := strings.CutPrefix(arn, "arn:aws:iam::")
	if !ok {
		return "", "", false
	}
	account, res, ok := strings.Cut(rest, ":")
	if !ok || !strings.HasPrefix(res, "policy/") {
		return "", "", false
	}
	i := strings.LastIndex(res, "/")
	name = res[i+1:]
	return account, name, name != ""
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func equalFold(a, b string) bool { return strings.EqualFold(a, b) }
