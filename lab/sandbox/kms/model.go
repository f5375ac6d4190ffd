package kms

import (
	"bytes"
	"encoding/json"
	"sync"
	"time"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// keyRecord is one KMS key as stored in bucketKeys.
type keyRecord struct {
	ID          string    `json:"id"`
	Account     string    `json:"account"`
	Region      string    `json:"region"`
	Description string    `json:"description"`
	Created     time.Time `json:"created"`
	State       string    `json:"state"` // Enabled, Disabled, PendingDeletion
	Spec        string    `json:"spec"`
	Usage       string    `json:"usage"`
	Origin      string    `json:"origin"`  // AWS_KMS
	Manager     string    `json:"manager"` // CUSTOMER or AWS
	// DeletionDate is set while State is PendingDeletion; from then on the
	// key no longer exists.
	DeletionDate time.Time `json:"deletionDate,omitzero"`
	PendingDays  int       `json:"pendingDays,omitempty"`
	// Policy is the key policy as GetKeyPolicy returns it.
	Policy string `json:"policy"`
	Tags   []tag  `json:"tags,omitempty"`
	// Aliases are the names of the aliases that point at the key.
	Aliases  []string     `json:"aliases,omitempty"`
	Versions []keyVersion `json:"versions"`
	Rotation rotation     `json:"rotation"`
}

// keyVersion is one generation of key material. Symmetric keys gain one
// per rotation; ciphertexts name the version that made them.
type keyVersion struct {
	MaterialID string    `json:"materialId"`
	Created    time.Time `json:"created"`
	OnDemand   bool      `json:"onDemand,omitempty"`
	// Sealed is the material sealed with env.Sealer (label: sealLabel).
	Sealed []byte `json:"sealed"`
}

type rotation struct {
	Enabled    bool      `json:"enabled,omitempty"`
	PeriodDays int       `json:"periodDays,omitempty"`
	Next       time.Time `json:"next,omitzero"`
}

type tag struct {
	TagKey   string `json:"TagKey"`
	TagValue string `json:"TagValue"`
}

// aliasRecord is one alias as stored in bucketAliases.
type aliasRecord struct {
	Name        string    `json:"name"`
	Account     string    `json:"account"`
	Region      string    `json:"region"`
	TargetKeyID string    `json:"targetKeyId"`
	Created     time.Time `json:"created"`
	Updated     time.Time `json:"updated"`
}

func keyARN(region, account, id string) string {
	return "arn:aws:kms:" + region + ":" + account + ":key/" + id
}

func aliasARN(region, account, name string) string {
	return "arn:aws:kms:" + region + ":" + account + ":" + name
}

func aliasStoreKey(account, region, name string) string { return account + "/" + region + "/" + name }

func (k *keyRecord) arn() string { return keyARN(k.Region, k.Account, k.ID) }

// gone reports whether a key scheduled for deletion has reached its
// deletion date on the sandbox clock: from then on it does not exist.
func (k *keyRecord) gone(now time.Time) bool {
	return k.State == statePendingDeletion && !now.Before(k.DeletionDate)
}

const (
	stateEnabled         = "Enabled"
	stateDisabled        = "Disabled"
	statePendingDeletion = "PendingDeletion"
)

// cachedKey is a parsed key record and what is derived from it once.
type cachedKey struct {
	raw []byte // the stored bytes it was parsed from
	rec *keyRecord
	arn string
	// authzBase are the condition keys every call on this key carries.
	authzBase map[string][]string
}

// keyCache keeps parsed records (re-parsed only when the stored bytes
// change, so writes through any path are seen) and unsealed material
// (immutable per key version).
type keyCache struct {
	mu   sync.RWMutex
	recs map[string]*cachedKey
	mats map[string]*material
}

func (c *keyCache) init() {
	c.recs = map[string]*cachedKey{}
	c.mats = map[string]*material{}
}

// lookup returns the cached form of the record stored as raw, parsing it
// if it changed. raw is only valid inside the caller's transaction.
func (c *keyCache) lookup(id string, raw []byte) (*cachedKey, error) {
	c.mu.RLock()
	ck := c.recs[id]
	c.mu.RUnlock()
	if ck != nil && bytes.Equal(ck.raw, raw) {
		return ck, nil
	}
	rec := new(keyRecord)
	if err := json.Unmarshal(raw, rec); err != nil {
		return nil, errInternal("decode key "+id, err)
	}
	ck = &cachedKey{raw: bytes.Clone(raw), rec: rec, arn: rec.arn(), authzBase: baseContext(rec)}
	c.mu.Lock()
	c.recs[id] = ck
	c.mu.Unlock()
	return ck, nil
}

// baseContext holds the kms: and aws:ResourceTag condition keys that
// describe the key itself.
func baseContext(k *keyRecord) map[string][]string {
	m := map[string][]string{
		"kms:KeySpec":     {k.Spec},
		"kms:KeyUsage":    {k.Usage},
		"kms:KeyOrigin":   {k.Origin},
		"kms:MultiRegion": {"false"},
	}
	if len(k.Aliases) > 0 {
		m["kms:ResourceAliases"] = append([]string(nil), k.Aliases...)
	}
	for _, t := range k.Tags {
		m["aws:ResourceTag/"+t.TagKey] = []string{t.TagValue}
	}
	return m
}

// getKey reads key id in tx. It returns nil when there is no such key.
func (s *Service) getKey(tx svc.Tx, id string) (*cachedKey, error) {
	raw := tx.Get(bucketKeys, id)
	if raw == nil {
		return nil, nil
	}
	return s.cache.lookup(id, raw)
}

func putKey(tx svc.Tx, k *keyRecord) error {
	return svc.PutJSON(tx, bucketKeys, k.ID, k)
}

func getAlias(tx svc.Tx, account, region, name string) (*aliasRecord, error) {
	a := new(aliasRecord)
	ok, err := svc.GetJSON(tx, bucketAliases, aliasStoreKey(account, region, name), a)
	if err != nil || !ok {
		return nil, err
	}
	return a, nil
}

func putAlias(tx svc.Tx, a *aliasRecord) error {
	return svc.PutJSON(tx, bucketAliases, aliasStoreKey(a.Account, a.Region, a.Name), a)
}

// cloneRecord returns a deep enough copy of k to mutate and store.
func cloneRecord(k *keyRecord) *keyRecord {
	c := *k
	c.Tags = append([]tag(nil), k.Tags...)
	c.Aliases = append([]string(nil), k.Aliases...)
	c.Versions = append([]keyVersion(nil), k.Versions...)
	return &c
}
