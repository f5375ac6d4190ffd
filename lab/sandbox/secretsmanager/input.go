package secretsmanager

import (
	"regexp"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// epoch is a timestamp on the wire: epoch seconds as a JSON number with
// millisecond precision, as awsJson1.1 sends it.
type epoch time.Time

// MarshalJSON writes seconds since the epoch.
func (e epoch) MarshalJSON() ([]byte, error) {
	t := time.Time(e)
	ms := t.UnixMilli()
	return []byte(strconv.FormatFloat(float64(ms)/1000, 'f', 3, 64)), nil
}

// UnmarshalJSON reads seconds since the epoch.
func (e *epoch) UnmarshalJSON(b []byte) error {
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return err
	}
	*e = epoch(time.UnixMilli(int64(f * 1000)).UTC())
	return nil
}

func ts(t time.Time) *epoch {
	if t.IsZero() {
		return nil
	}
	e := epoch(t)
	return &e
}

// day truncates to the date, as LastAccessedDate is reported.
func day(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Limits from the Secrets Manager API model (aws-semantics.md §2).
const (
	maxName        = 512
	maxValue       = 65536
	minToken       = 32
	maxToken       = 64
	maxSecretID    = 2048
	maxStage       = 256
	maxDescription = 2048
	maxPolicy      = 20480
	maxTags        = 50
	maxStages      = 20
)

var nameRE = regexp.MustCompile(`^[A-Za-z0-9/_+=.@-]+$`)

func validName(name string) error {
	if name == "" || len(name) > maxName || !nameRE.MatchString(name) {
		return errValidation("Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!")
	}
	return nil
}

func validSecretID(id string) error {
	if id == "" {
		return errRequired("secretId")
	}
	if len(id) > maxSecretID {
		return errLength("secretId", 1, maxSecretID)
	}
	return nil
}

func validToken(member, tok string) error {
	if tok == "" {
		return nil
	}
	if len(tok) < minToken || len(tok) > maxToken {
		return errLength(member, minToken, maxToken)
	}
	return nil
}

func validDescription(d *string) error {
	if d != nil && utf8.RuneCountInString(*d) > maxDescription {
		return errMaxLength("description", maxDescription)
	}
	return nil
}

// value is the SecretString/SecretBinary pair of a request.
type value struct {
	str *string
	bin []byte
}

func (v value) present() bool { return v.str != nil || v.bin != nil }

func (v value) bytes() []byte {
	if v.str != nil {
		return []byte(*v.str)
	}
	return v.bin
}

func (v value) check() error {
	if v.str != nil && v.bin != nil {
		return errInvalidParameter("You can't specify both a binary secret value and a string secret value in the same secret.")
	}
	if v.str != nil && len(*v.str) > maxValue {
		return errMaxLength("secretString", maxValue)
	}
	if v.bin != nil && len(v.bin) > maxValue {
		return errMaxLength("secretBinary", maxValue)
	}
	return nil
}

func checkTags(tags []tag) error {
	if len(tags) > maxTags {
		return errValidation("1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to %d", maxTags)
	}
	for _, t := range tags {
		if t.Key == "" || len(t.Key) > 128 {
			return errValidation("1 validation error detected: Value at 'tags.member.key' failed to satisfy constraint: Member must have length between 1 and 128")
		}
		if len(t.Value) > 256 {
			return errValidation("1 validation error detected: Value at 'tags.member.value' failed to satisfy constraint: Member must have length between 0 and 256")
		}
	}
	return nil
}

// newUUID is a random (version 4) UUID from the environment's randomness,
// deterministic when the sandbox is seeded.
func (s *Service) newUUID() (string, error) {
	var b [16]byte
	if _, err := readFull(s.env.Rand, b[:]); err != nil {
		return "", err
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	const hx = "0123456789abcdef"
	out := make([]byte, 0, 36)
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, hx[c>>4], hx[c&0xf])
	}
	return string(out), nil
}

// suffix is the 6 random characters AWS appends to a secret's ARN.
func (s *Service) suffix() (string, error) {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	var b [6]byte
	out := make([]byte, 6)
	for i := range out {
		for {
			if _, err := readFull(s.env.Rand, b[:1]); err != nil {
				return "", err
			}
			if int(b[0]) < 256-256%len(alphabet) {
				out[i] = alphabet[int(b[0])%len(alphabet)]
				break
			}
		}
	}
	return string(out), nil
}

// now is the request's virtual time.
func now(r *svc.Request) time.Time { return r.Now.UTC() }
