package sandbox

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// maxPresignExpiry is SigV4's longest presigned URL lifetime (7 days).
const maxPresignExpiry = 7 * 24 * time.Hour

// presigned is SigV4 carried in the query string (X-Amz-Algorithm,
// X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders,
// X-Amz-Signature, X-Amz-Security-Token), as presigned URLs are.
type presigned struct {
	auth    *authHeader
	amzDate string
	time    time.Time
	expires time.Duration
	token   string
}

func isPresigned(q url.Values) bool { return q.Get("X-Amz-Algorithm") != "" }

// parsePresigned reads query-string SigV4; it never panics on any input.
func parsePresigned(q url.Values) (*presigned, error) {
	if q.Get("X-Amz-Algorithm") != sigAlgorithm {
		return nil, &sigError{sigIncomplete, "X-Amz-Algorithm only supports \"" + sigAlgorithm + "\""}
	}
	var missing []string
	for _, k := range []string{"X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Signature"} {
		if q.Get(k) == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return nil, &sigError{sigIncomplete, "AWS query-string parameters must include " + strings.Join(missing, ", ") + ". Re-examine the query-string parameters."}
	}
	f := strings.Split(q.Get("X-Amz-Credential"), "/")
	if len(f) != 5 || f[0] == "" {
		return nil, &sigError{sigIncomplete, "Credential should be scoped to a valid date, region, service and terminator. Credential=" + q.Get("X-Amz-Credential")}
	}
	p := &presigned{
		auth: &authHeader{AccessKey: f[0], Date: f[1], Region: f[2], Service: f[3], Terminator: f[4],
			SignedHeaders: strings.Split(q.Get("X-Amz-SignedHeaders"), ";"), Signature: q.Get("X-Amz-Signature"), presigned: true},
		amzDate: q.Get("X-Amz-Date"),
		token:   q.Get("X-Amz-Security-Token"),
		expires: 15 * time.Minute,
	}
	t, err := time.Parse(amzDateFormat, p.amzDate)
	if err != nil {
		return nil, &sigError{sigIncomplete, "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\""}
	}
	p.time = t
	if v := q.Get("X-Amz-Expires"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || time.Duration(n)*time.Second > maxPresignExpiry {
			return nil, &sigError{sigIncomplete, "X-Amz-Expires must be between 1 and 604800 seconds"}
		}
		p.expires = time.Duration(n) * time.Second
	}
	return p, nil
}

// checkPresignTime rejects a URL used before its signing time (beyond the
// skew window) or after it expired.
func (p *presigned) checkTime(now time.Time, skew time.Duration) error {
	if p.time.After(now.Add(skew)) {
		return checkSkew(p.amzDate, p.time, now, skew)
	}
	if end := p.time.Add(p.expires); now.After(end) {
		return &sigError{sigMismatch, fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - %d min.)",
			end.Format(amzDateFormat), now.Add(-skew).Format(amzDateFormat), now.Format(amzDateFormat), int(skew/time.Minute))}
	}
	return nil
}
