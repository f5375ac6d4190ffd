// Package cleanup removes what seclab created in an AWS account. It plans
// from two sources, the local write-ahead ledger and a scan of the account
// for seclab's tags and names, and deletes in dependency order. It never
// touches a resource unless it is both in the ledger or tagged seclab:run,
// and named as seclab names things (seclab-<run>-…, seclab-<run>/…,
// alias/seclab-<run>-…; a KMS key, which has no name, by its seclab:run
// tag).
package cleanup

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/seclab-dev/seclab/lab/ledger"
)

// Tag keys seclab puts on what it creates (lab/session writes them).
const (
	TagRun    = "seclab:run"
	TagLesson = "seclab:lesson"
)

var (
	namePattern  = regexp.MustCompile(`^seclab-([0-9a-f]{6})[-/]`)
	aliasPattern = regexp.MustCompile(`^alias/seclab-([0-9a-f]{6})-`)
	runPattern   = regexp.MustCompile(`^[0-9a-f]{6}$`)
)

// SeclabName reports whether name (a role, user, policy or secret name,
// or an alias name with its alias/ prefix) is named as seclab's, and its
// run ID.
func SeclabName(name string) (run string, ok bool) {
	m := namePattern.FindStringSubmatch(name)
	if m == nil {
		m = aliasPattern.FindStringSubmatch(name)
	}
	if m == nil {
		return "", false
	}
	return m[1], true
}

// Resource is something cleanup will delete.
type Resource struct {
	// Type is a ledger type (ledger.TypeKey …).
	Type string
	// Name is the name (alias name, secret name, role …); for a key, "".
	Name string
	// ID is a key's ID; ARN the resource's ARN when known.
	ID, ARN string
	// Run and Lesson come from the tags or the ledger.
	Run, Lesson string
	// InLedger and Tagged say why cleanup may touch it.
	InLedger, Tagged bool
	// Pending is set for a secret already scheduled for deletion (it is
	// still removed for good).
	Pending bool
	// ledgerIDs are the ledger entries the resource settles.
	ledgerIDs []string
}

// Label is how the resource is shown: type and name or ID.
func (r Resource) Label() string {
	if r.Name != "" {
		return r.Type + " " + r.Name
	}
	return r.Type + " " + r.ID
}

// Filter narrows a plan.
type Filter struct {
	// Lesson keeps only resources of that lesson ID ("" for all).
	Lesson string
	// Run keeps only that run ("" for all).
	Run string
}

func (f Filter) keep(run, lesson string) bool {
	return (f.Lesson == "" || f.Lesson == lesson) && (f.Run == "" || f.Run == run)
}

// Plan is what cleanup deletes, in deletion order.
type Plan struct {
	Resources []Resource
	// Settled are ledger entries whose resources are already gone: the
	// executor marks them deleted.
	Settled []ledger.Entry
}

// order is the deletion order of types.
var order = map[string]int{ledger.TypeAlias: 0, ledger.TypeKey: 1, ledger.TypeSecret: 2, ledger.TypeRole: 3, ledger.TypeUser: 4, ledger.TypePolicy: 5}

// ownerOf maps the types that live inside a role or user to the owner's
// type; their ledger name is "OWNER/…" (an access key's is the user's).
var ownerOf = map[string]string{ledger.TypeRolePolicy: ledger.TypeRole, ledger.TypeAttachedRole: ledger.TypeRole,
	ledger.TypeUserPolicy: ledger.TypeUser, ledger.TypeAttachedUser: ledger.TypeUser, ledger.TypeAccessKey: ledger.TypeUser}

// ledgerIndex finds live ledger entries by type and name, key ID or ARN.
type ledgerIndex struct {
	byKey map[string][]ledger.Entry
	used  map[string]bool
}

func indexLedger(entries []ledger.Entry) *ledgerIndex {
	ix := &ledgerIndex{byKey: map[string][]ledger.Entry{}, used: map[string]bool{}}
	for _, e := range entries {
		if !e.Live() {
			continue
		}
		for _, k := range []string{e.Name, e.ResourceID, e.ARN} {
			if k != "" {
				ix.byKey[e.Type+"|"+k] = append(ix.byKey[e.Type+"|"+k], e)
			}
		}
	}
	return ix
}

// find returns the live entries naming the resource.
func (ix *ledgerIndex) find(typ string, keys ...string) []ledger.Entry {
	var out []ledger.Entry
	seen := map[string]bool{}
	for _, k := range keys {
		if k == "" {
			continue
		}
		for _, e := range ix.byKey[typ+"|"+k] {
			if !seen[e.ID] {
				seen[e.ID] = true
				out = append(out, e)
			}
		}
	}
	return out
}

// Scan plans the cleanup: it lists the account's KMS keys and aliases,
// secrets, IAM roles, users and customer managed policies, and keeps those
// that qualify (see the package comment) and pass the filter.
func Scan(ctx context.Context, cfg aws.Config, entries []ledger.Entry, f Filter) (*Plan, error) {
	ix := indexLedger(entries)
	p := &Plan{}
	add := func(r Resource, found []ledger.Entry) {
		r.InLedger = len(found) > 0
		for _, e := range found {
			ix.used[e.ID] = true
			r.ledgerIDs = append(r.ledgerIDs, e.ID)
			if r.Run == "" {
				r.Run = e.Run
			}
			if r.Lesson == "" {
				r.Lesson = e.Lesson
			}
		}
		if (r.InLedger || r.Tagged) && f.keep(r.Run, r.Lesson) {
			p.Resources = append(p.Resources, r)
		}
	}
	keys, err := scanKeys(ctx, kms.NewFromConfig(cfg), ix, add)
	if err != nil {
		return nil, err
	}
	if err := scanAliases(ctx, kms.NewFromConfig(cfg), ix, keys, add); err != nil {
		return nil, err
	}
	if err := scanSecrets(ctx, secretsmanager.NewFromConfig(cfg), ix, add); err != nil {
		return nil, err
	}
	if err := scanIAM(ctx, iam.NewFromConfig(cfg), ix, add); err != nil {
		return nil, err
	}
	sort.SliceStable(p.Resources, func(i, j int) bool {
		a, b := p.Resources[i], p.Resources[j]
		if order[a.Type] != order[b.Type] {
			return order[a.Type] < order[b.Type]
		}
		return a.Label() < b.Label()
	})
	// What was created inside a role or user (inline policies, access
	// keys, attachments) goes with it.
	owners := map[string]int{}
	for i, r := range p.Resources {
		if r.Type == ledger.TypeRole || r.Type == ledger.TypeUser {
			owners[r.Type+"|"+r.Name] = i
		}
	}
	for _, e := range entries {
		owner, _, _ := strings.Cut(e.Name, "/")
		if i, ok := owners[ownerOf[e.Type]+"|"+owner]; ok && e.Live() {
			ix.used[e.ID] = true
			p.Resources[i].ledgerIDs = append(p.Resources[i].ledgerIDs, e.ID)
		}
	}
	// Live ledger entries the scan did not find are gone already (or
	// were never created): settle them. Dependents of a resource that is
	// not seclab's stay: cleanup never touches it.
	for _, e := range entries {
		if !e.Live() || ix.used[e.ID] || !f.keep(e.Run, e.Lesson) {
			continue
		}
		_, deletable := order[e.Type]
		owner, _, _ := strings.Cut(e.Name, "/")
		_, seclabOwner := SeclabName(owner)
		if deletable || ownerOf[e.Type] != "" && seclabOwner {
			p.Settled = append(p.Settled, e)
		}
	}
	return p, nil
}

// tagValue returns the value of key in tags of any SDK tag type.
func kmsTag(tags []kmstypes.Tag, key string) (string, bool) {
	for _, t := range tags {
		if aws.ToString(t.TagKey) == key {
			return aws.ToString(t.TagValue), true
		}
	}
	return "", false
}

func iamTag(tags []iamtypes.Tag, key string) (string, bool) {
	for _, t := range tags {
		if aws.ToString(t.Key) == key {
			return aws.ToString(t.Value), true
		}
	}
	return "", false
}

func scanKeys(ctx context.Context, c *kms.Client, ix *ledgerIndex, add func(Resource, []ledger.Entry)) (map[string]bool, error) {
	seclabKeys := map[string]bool{}
	pg := kms.NewListKeysPaginator(c, &kms.ListKeysInput{})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list KMS keys: %w", err)
		}
		for _, k := range page.Keys {
			id := aws.ToString(k.KeyId)
			d, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: k.KeyId})
			if isGone(err) {
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("describe KMS key %s: %w", id, err)
			}
			// AWS managed keys are not the learner's; a key pending
			// deletion is on its way out already (its ledger entries are
			// settled).
			if d.KeyMetadata.KeyManager == kmstypes.KeyManagerTypeAws || d.KeyMetadata.KeyState == kmstypes.KeyStatePendingDeletion {
				continue
			}
			tags, err := c.ListResourceTags(ctx, &kms.ListResourceTagsInput{KeyId: k.KeyId})
			if err != nil && !isGone(err) {
				return nil, fmt.Errorf("list tags of KMS key %s: %w", id, err)
			}
			var run, lesson string
			tagged := false
			if tags != nil {
				run, tagged = kmsTag(tags.Tags, TagRun)
				lesson, _ = kmsTag(tags.Tags, TagLesson)
			}
			// A key has no name: its seclab:run tag is its seclab name.
			if !tagged || !runPattern.MatchString(run) {
				continue
			}
			seclabKeys[id] = true
			r := Resource{Type: ledger.TypeKey, ID: id, ARN: aws.ToString(k.KeyArn), Run: run, Lesson: lesson, Tagged: true}
			add(r, ix.find(ledger.TypeKey, id, r.ARN))
		}
	}
	return seclabKeys, nil
}

func scanAliases(ctx context.Context, c *kms.Client, ix *ledgerIndex, keys map[string]bool, add func(Resource, []ledger.Entry)) error {
	pg := kms.NewListAliasesPaginator(c, &kms.ListAliasesInput{})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list KMS aliases: %w", err)
		}
		for _, a := range page.Aliases {
			name := aws.ToString(a.AliasName)
			run, ok := SeclabName(name)
			if !ok {
				continue
			}
			// An alias cannot be tagged: it counts as tagged when it
			// points at a seclab key.
			r := Resource{Type: ledger.TypeAlias, Name: name, ARN: aws.ToString(a.AliasArn), Run: run,
				Tagged: a.TargetKeyId != nil && keys[aws.ToString(a.TargetKeyId)]}
			add(r, ix.find(ledger.TypeAlias, name))
		}
	}
	return nil
}

func scanSecrets(ctx context.Context, c *secretsmanager.Client, ix *ledgerIndex, add func(Resource, []ledger.Entry)) error {
	pg := secretsmanager.NewListSecretsPaginator(c, &secretsmanager.ListSecretsInput{IncludePlannedDeletion: aws.Bool(true)})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list secrets: %w", err)
		}
		for _, s := range page.SecretList {
			name := aws.ToString(s.Name)
			run, ok := SeclabName(name)
			if !ok {
				continue
			}
			r := Resource{Type: ledger.TypeSecret, Name: name, ARN: aws.ToString(s.ARN), Run: run, Pending: s.DeletedDate != nil}
			for _, t := range s.Tags {
				switch aws.ToString(t.Key) {
				case TagRun:
					r.Tagged = aws.ToString(t.Value) == run
				case TagLesson:
					r.Lesson = aws.ToString(t.Value)
				}
			}
			add(r, ix.find(ledger.TypeSecret, name, r.ARN))
		}
	}
	return nil
}

// Deletable reports whether cleanup deletes resources of a ledger type
// itself (the others go with their role or user).
func Deletable(typ string) bool { _, ok := order[typ]; return ok }
