package secretsmanager

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// Store buckets. Secrets are keyed by ARN; names index the current secret
// of each name, keyed by the partial ARN (the ARN without its random
// suffix), so names are per account and region as in AWS.
const (
	bucketSecrets = "secretsmanager/secrets"
	bucketNames   = "secretsmanager/names"
)

// Staging labels Secrets Manager moves itself.
const (
	stageCurrent  = "AWSCURRENT"
	stagePrevious = "AWSPREVIOUS"
	stagePending  = "AWSPENDING"
)

// maxVersions is the number of versions a secret keeps before unlabeled
// ones older than a day are removed (Secrets Manager quotas).
const maxVersions = 100

// secret is one secret as stored. It holds no plaintext.
type secret struct {
	ARN         string `json:"arn"`
	Name        string `json:"name"`
	Account     string `json:"account"`
	Description string `json:"description,omitempty"`
	// KmsKeyID is the key as the caller named it; empty means
	// aws/secretsmanager.
	KmsKeyID string `json:"kmsKeyId,omitempty"`
	// KeyARN is the resolved ARN of the key new versions use, once known.
	KeyARN          string     `json:"keyArn,omitempty"`
	Tags            []tag      `json:"tags,omitempty"`
	Policy          string     `json:"policy,omitempty"`
	Created         time.Time  `json:"created"`
	LastChanged     time.Time  `json:"lastChanged"`
	LastAccessed    time.Time  `json:"lastAccessed,omitzero"`
	Deleted         time.Time  `json:"deleted,omitzero"`
	DeletionDate    time.Time  `json:"deletionDate,omitzero"`
	Versions        []*version `json:"versions,omitempty"`
	RotationEnabled bool       `json:"rotationEnabled,omitempty"`
	RotationLambda  string     `json:"rotationLambda,omitempty"`
}

// version is one secret version: its value encrypted under a data key, and
// that data key encrypted by KMS.
type version struct {
	ID      string    `json:"id"`
	Stages  []string  `json:"stages,omitempty"`
	Created time.Time `json:"created"`
	KeyARN  string    `json:"keyArn"`
	DataKey []byte    `json:"dataKey"` // KMS ciphertext blob
	Sealed  []byte    `json:"sealed"`  // nonce || AES-256-GCM(value)
	Binary  bool      `json:"binary,omitempty"`
	// LastAccessed is the day GetSecretValue last read this version.
	LastAccessed time.Time `json:"lastAccessed,omitzero"`
}

type tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// partialARN is the ARN without the "-" and six random characters.
func (sec *secret) partialARN() string {
	if len(sec.ARN) < 7 {
		return sec.ARN
	}
	return sec.ARN[:len(sec.ARN)-7]
}

// scheduled reports whether the secret is marked for deletion at now.
func (sec *secret) scheduled() bool { return !sec.Deleted.IsZero() }

// expired reports whether the recovery window has ended at now: the secret
// is gone.
func (sec *secret) expired(now time.Time) bool {
	return sec.scheduled() && !now.Before(sec.DeletionDate)
}

func (sec *secret) version(id string) *version {
	for _, v := range sec.Versions {
		if v.ID == id {
			return v
		}
	}
	return nil
}

func (sec *secret) staged(stage string) *version {
	for _, v := range sec.Versions {
		if hasString(v.Stages, stage) {
			return v
		}
	}
	return nil
}

// stageMap is VersionIdsToStages: labeled versions only.
func (sec *secret) stageMap() map[string][]string {
	m := map[string][]string{}
	for _, v := range sec.Versions {
		if len(v.Stages) > 0 {
			m[v.ID] = append([]string(nil), v.Stages...)
		}
	}
	return m
}

func (sec *secret) tagMap() map[string]string {
	m := make(map[string]string, len(sec.Tags))
	for _, t := range sec.Tags {
		m[t.Key] = t.Value
	}
	return m
}

// addVersion appends v and moves the labels it carries away from every other
// version, as PutSecretValue does: when AWSCURRENT moves, the version that
// had it becomes AWSPREVIOUS.
func (sec *secret) addVersion(v *version, now time.Time) error {
	labels := v.Stages
	v.Stages = nil
	sec.Versions = append(sec.Versions, v)
	for _, l := range labels {
		sec.moveStage(l, v)
	}
	return sec.prune(now)
}

// moveStage attaches stage to to (nil: detach everywhere), applying the
// AWSCURRENT → AWSPREVIOUS rule.
func (sec *secret) moveStage(stage string, to *version) {
	var from *version
	for _, v := range sec.Versions {
		if v != to && hasString(v.Stages, stage) {
			from = v
			v.Stages = removeString(v.Stages, stage)
		}
	}
	if to != nil && !hasString(to.Stages, stage) {
		to.Stages = append(to.Stages, stage)
	}
	if stage == stageCurrent && from != nil && to != nil {
		for _, v := range sec.Versions {
			v.Stages = removeString(v.Stages, stagePrevious)
		}
		from.Stages = append(from.Stages, stagePrevious)
		to.Stages = removeString(to.Stages, stagePrevious)
	}
}

// prune removes unlabeled versions beyond the quota, oldest first, but
// never ones created in the last 24 hours.
func (sec *secret) prune(now time.Time) error {
	if len(sec.Versions) <= maxVersions {
		return nil
	}
	sort.SliceStable(sec.Versions, func(i, j int) bool { return sec.Versions[i].Created.Before(sec.Versions[j].Created) })
	keep := sec.Versions[:0]
	excess := len(sec.Versions) - maxVersions
	for _, v := range sec.Versions {
		if excess > 0 && len(v.Stages) == 0 && now.Sub(v.Created) >= 24*time.Hour {
			excess--
			continue
		}
		keep = append(keep, v)
	}
	sec.Versions = keep
	if excess > 0 {
		// The message is this package's wording; AWS's exact text for this
		// quota is UNCONFIRMED.
		return &svc.Error{Status: 400, Code: "LimitExceededException", Message: fmt.Sprintf("You can't create more than %d versions of a secret in 24 hours without staging labels.", maxVersions)}
	}
	return nil
}

func hasString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func removeString(list []string, s string) []string {
	out := list[:0]
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func sortStrings(s []string) { sort.Strings(s) }

// lookup is the result of resolving a SecretId.
type lookup struct {
	sec *secret // nil when no live secret matches
	// resource is the ARN the request is authorized against: the secret's
	// ARN, or the ARN the id names (a name gets an ARN without suffix).
	resource string
}

// find resolves id (name, full ARN or partial ARN without the random
// suffix) to the stored secret. A secret whose recovery window has ended
// counts as absent.
func (s *Service) find(tx svc.Tx, r *svc.Request, id string) (*secret, error) {
	sec, err := s.record(tx, r, id)
	if sec != nil && sec.expired(r.Now) {
		return nil, err
	}
	return sec, err
}

// record is find without the recovery-window check.
func (s *Service) record(tx svc.Tx, r *svc.Request, id string) (*secret, error) {
	arn := ""
	switch {
	case !strings.HasPrefix(id, "arn:"):
		arn = string(tx.Get(bucketNames, s.arnPrefix(r)+id))
	case tx.Get(bucketSecrets, id) != nil:
		arn = id
	default:
		arn = string(tx.Get(bucketNames, id)) // a partial ARN
	}
	if arn == "" {
		return nil, nil
	}
	var sec secret
	ok, err := svc.GetJSON(tx, bucketSecrets, arn, &sec)
	if err != nil {
		return nil, fmt.Errorf("read secret %s: %w", arn, err)
	}
	if !ok {
		return nil, nil
	}
	return &sec, nil
}

// resolve looks id up in a read transaction.
func (s *Service) resolve(r *svc.Request, id string) (lookup, error) {
	var l lookup
	err := s.env.Store.View(func(tx svc.Tx) error {
		sec, err := s.record(tx, r, id)
		l.sec = sec
		return err
	})
	if err != nil {
		return l, err
	}
	if l.sec != nil && l.sec.expired(r.Now) {
		// The recovery window has ended: the secret is gone for good.
		gone := l.sec
		l.sec = nil
		if err := s.env.Store.Update(func(tx svc.Tx) error {
			var cur secret
			if ok, err := svc.GetJSON(tx, bucketSecrets, gone.ARN, &cur); err != nil || !ok || !cur.expired(r.Now) {
				return err
			}
			return purge(tx, &cur)
		}); err != nil {
			return l, err
		}
	}
	switch {
	case l.sec != nil:
		l.resource = l.sec.ARN
	case strings.HasPrefix(id, "arn:"):
		l.resource = id
	default:
		l.resource = s.arnPrefix(r) + id
	}
	return l, nil
}

func (s *Service) arnPrefix(r *svc.Request) string {
	return fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:", s.region(r), r.Caller.Account)
}

// save writes sec and its name index.
func save(tx svc.Tx, sec *secret) error {
	if err := svc.PutJSON(tx, bucketSecrets, sec.ARN, sec); err != nil {
		return fmt.Errorf("write secret %s: %w", sec.ARN, err)
	}
	return tx.Put(bucketNames, sec.partialARN(), []byte(sec.ARN))
}

// purge removes a secret for good.
func purge(tx svc.Tx, sec *secret) error {
	if err := tx.Delete(bucketSecrets, sec.ARN); err != nil {
		return fmt.Errorf("delete secret %s: %w", sec.ARN, err)
	}
	if string(tx.Get(bucketNames, sec.partialARN())) == sec.ARN {
		return tx.Delete(bucketNames, sec.partialARN())
	}
	return nil
}

// mutate re-reads the secret with arn inside a write transaction, applies
// fn and saves it. The secret may have changed since the caller's read (KMS
// calls happen outside transactions); fn sees the fresh copy.
func (s *Service) mutate(r *svc.Request, arn string, fn func(sec *secret) error) (*secret, error) {
	var out *secret
	err := s.env.Store.Update(func(tx svc.Tx) error {
		var sec secret
		ok, err := svc.GetJSON(tx, bucketSecrets, arn, &sec)
		if err != nil {
			return fmt.Errorf("read secret %s: %w", arn, err)
		}
		if !ok {
			return nil
		}
		if sec.expired(r.Now) {
			// Its recovery window has ended: remove it for good (the
			// transaction commits; the caller still sees not-found).
			return purge(tx, &sec)
		}
		if err := fn(&sec); err != nil {
			return err
		}
		out = &sec
		return save(tx, &sec)
	})
	if err == nil && out == nil {
		err = errNotFound()
	}
	return out, err
}

// clone deep-copies a secret through JSON (it holds only JSON types).
func (sec *secret) clone() *secret {
	b, _ := json.Marshal(sec)
	var c secret
	_ = json.Unmarshal(b, &c)
	return &c
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
