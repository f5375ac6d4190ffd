package secretsmanager

import (
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

type filter struct {
	Key    string   `json:"Key"`
	Values []string `json:"Values"`
}

type listSecretsInput struct {
	IncludePlannedDeletion bool     `json:"IncludePlannedDeletion"`
	MaxResults             *int     `json:"MaxResults"`
	NextToken              string   `json:"NextToken"`
	Filters                []filter `json:"Filters"`
	SortOrder              string   `json:"SortOrder"`
	SortBy                 string   `json:"SortBy"`
}

// secretEntry is a secret's metadata as DescribeSecret and ListSecrets show
// it. KmsKeyId is left out for aws/secretsmanager, as AWS does.
type secretEntry struct {
	ARN                    string              `json:"ARN"`
	Name                   string              `json:"Name"`
	Description            string              `json:"Description,omitempty"`
	KmsKeyID               string              `json:"KmsKeyId,omitempty"`
	RotationEnabled        *bool               `json:"RotationEnabled,omitempty"`
	RotationLambdaARN      string              `json:"RotationLambdaARN,omitempty"`
	LastChangedDate        *epoch              `json:"LastChangedDate,omitempty"`
	LastAccessedDate       *epoch              `json:"LastAccessedDate,omitempty"`
	DeletedDate            *epoch              `json:"DeletedDate,omitempty"`
	Tags                   []tag               `json:"Tags,omitempty"`
	VersionIdsToStages     map[string][]string `json:"VersionIdsToStages,omitempty"`
	SecretVersionsToStages map[string][]string `json:"SecretVersionsToStages,omitempty"`
	CreatedDate            *epoch              `json:"CreatedDate"`
}

func entryFor(sec *secret) secretEntry {
	e := secretEntry{ARN: sec.ARN, Name: sec.Name, Description: sec.Description,
		LastChangedDate: ts(sec.LastChanged), LastAccessedDate: ts(sec.LastAccessed),
		DeletedDate: ts(sec.Deleted), Tags: sec.Tags, CreatedDate: ts(sec.Created)}
	if sec.KmsKeyID != "" {
		e.KmsKeyID = sec.KeyARN
		if e.KmsKeyID == "" {
			e.KmsKeyID = sec.KmsKeyID
		}
	}
	if sec.RotationEnabled {
		t := true
		e.RotationEnabled = &t
		e.RotationLambdaARN = sec.RotationLambda
	}
	return e
}

type listSecretsOutput struct {
	SecretList []secretEntry `json:"SecretList"`
	NextToken  string        `json:"NextToken,omitempty"`
}

func (s *Service) listSecrets(r *svc.Request) (any, error) {
	var in listSecretsInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if err := s.authorize(r, access{action: "ListSecrets"}); err != nil {
		return nil, err
	}
	page, next, err := s.listPage(r, in)
	if err != nil {
		return nil, err
	}
	return listSecretsOutput{SecretList: page, NextToken: next}, nil
}

var filterKeys = []string{"description", "name", "tag-key", "tag-value", "primary-region", "owning-service", "all"}

// listPage returns one page of the caller's account's secrets that pass
// the filters.
func (s *Service) listPage(r *svc.Request, in listSecretsInput) ([]secretEntry, string, error) {
	max, err := maxResults(in.MaxResults)
	if err != nil {
		return nil, "", err
	}
	for i, f := range in.Filters {
		if !hasString(filterKeys, f.Key) {
			return nil, "", errValidation("1 validation error detected: Value '%s' at 'filters.%d.member.key' failed to satisfy constraint: Member must satisfy enum value set: [%s]", f.Key, i+1, strings.Join(filterKeys, ", "))
		}
		if len(f.Values) == 0 || len(f.Values) > 10 {
			return nil, "", errValidation("1 validation error detected: Value at 'filters.%d.member.values' failed to satisfy constraint: Member must have length between 1 and 10", i+1)
		}
	}
	switch in.SortOrder {
	case "", "asc", "desc":
	default:
		return nil, "", errValidation("1 validation error detected: Value '%s' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [asc, desc]", in.SortOrder)
	}
	var all []*secret
	prefix := s.arnPrefix(r)
	err = s.env.Store.View(func(tx svc.Tx) error {
		return tx.ForEach(bucketSecrets, func(_ string, b []byte) error {
			var sec secret
			if err := jsonUnmarshal(b, &sec); err != nil {
				return err
			}
			if !strings.HasPrefix(sec.ARN, prefix) || sec.expired(r.Now) {
				return nil
			}
			if sec.scheduled() && !in.IncludePlannedDeletion {
				return nil
			}
			if matches(&sec, s.region(r), in.Filters) {
				all = append(all, &sec)
			}
			return nil
		})
	})
	if err != nil {
		return nil, "", err
	}
	// The API documents CreatedDate as the default key; the default
	// direction (newest first here) is UNCONFIRMED.
	less := func(a, b *secret) int { return a.Created.Compare(b.Created) }
	switch in.SortBy {
	case "", "created-date":
	case "last-accessed-date":
		less = func(a, b *secret) int { return a.LastAccessed.Compare(b.LastAccessed) }
	case "last-changed-date":
		less = func(a, b *secret) int { return a.LastChanged.Compare(b.LastChanged) }
	case "name":
		less = func(a, b *secret) int { return strings.Compare(a.Name, b.Name) }
	default:
		return nil, "", errValidation("1 validation error detected: Value '%s' at 'sortBy' failed to satisfy constraint: Member must satisfy enum value set: [created-date, last-accessed-date, last-changed-date, name]", in.SortBy)
	}
	sort.SliceStable(all, func(i, j int) bool {
		if in.SortOrder == "asc" {
			return less(all[i], all[j]) < 0
		}
		return less(all[i], all[j]) > 0
	})
	bounds, next, err := paginate(len(all), max, in.NextToken)
	if err != nil {
		return nil, "", err
	}
	out := []secretEntry{}
	for _, sec := range all[bounds[0]:bounds[1]] {
		e := entryFor(sec)
		e.SecretVersionsToStages = sec.stageMap()
		out = append(out, e)
	}
	return out, next, nil
}

// matches applies ListSecrets filters: filters AND together, the values of
// one filter OR together, "!" negates a value.
func matches(sec *secret, region string, filters []filter) bool {
	for _, f := range filters {
		ok := false
		for _, v := range f.Values {
			neg := strings.HasPrefix(v, "!")
			v = strings.TrimPrefix(v, "!")
			if matchOne(sec, region, f.Key, v) != neg {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

func matchOne(sec *secret, region, key, v string) bool {
	switch key {
	case "name":
		return strings.HasPrefix(sec.Name, v)
	case "description":
		return strings.HasPrefix(strings.ToLower(sec.Description), strings.ToLower(v))
	case "tag-key":
		for _, t := range sec.Tags {
			if strings.HasPrefix(t.Key, v) {
				return true
			}
		}
	case "tag-value":
		for _, t := range sec.Tags {
			if strings.HasPrefix(t.Value, v) {
				return true
			}
		}
	case "primary-region":
		return strings.HasPrefix(region, v)
	case "owning-service":
		return false // no secret in the sandbox is managed by another service
	case "all":
		attrs := []string{sec.Name, sec.Description}
		for _, t := range sec.Tags {
			attrs = append(attrs, t.Key, t.Value)
		}
		var words []string
		for _, a := range attrs {
			words = append(words, splitWords(a)...)
		}
		for _, q := range splitWords(v) {
			for _, w := range words {
				if strings.HasPrefix(w, q) {
					return true
				}
			}
		}
	}
	return false
}

// splitWords breaks s into lower-case words at every change between upper
// and lower case, letters and digits, or at punctuation, as the Secrets
// Manager search does.
func splitWords(s string) []string {
	var words []string
	var cur []rune
	kind := func(r rune) int {
		switch {
		case unicode.IsUpper(r):
			return 1
		case unicode.IsLower(r):
			return 2
		case unicode.IsDigit(r):
			return 3
		}
		return 0
	}
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	prev := 0
	for _, r := range s {
		k := kind(r)
		switch {
		case k == 0:
			flush()
		case len(cur) > 0 && k != prev && !(prev == 1 && k == 2):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
		prev = k
	}
	flush()
	return words
}

// maxResults checks MaxResults (1–100) and applies the default.
func maxResults(p *int) (int, error) {
	if p == nil {
		return 100, nil
	}
	if *p < 1 || *p > 100 {
		return 0, errValidation("1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100", *p)
	}
	return *p, nil
}

// paginate returns the [start, end) of the page after token and the next
// token. Tokens are opaque to callers.
func paginate(n, max int, token string) ([2]int, string, error) {
	start := 0
	if token != "" {
		i, err := strconv.Atoi(strings.TrimPrefix(token, "p"))
		if err != nil || !strings.HasPrefix(token, "p") || i < 0 || i > n {
			return [2]int{}, "", &svc.Error{Status: 400, Code: "InvalidNextTokenException", Message: "The NextToken value is invalid."}
		}
		start = i
	}
	end := min(start+max, n)
	next := ""
	if end < n {
		next = "p" + strconv.Itoa(end)
	}
	return [2]int{start, end}, next, nil
}
