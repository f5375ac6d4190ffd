package sandbox

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/seclab-dev/seclab/lab/sandbox/iam"
)

// Config returns an aws-sdk-go-v2 configuration that calls this sandbox as
// persona: "learner", any IAM user of account 111122223333 that has an
// access key ("bob"), or NAME@ACCOUNT for another account
// ("learner@444455556666"). The key is looked up when first needed and
// again every second, so a persona whose key is created later works once it
// exists; until then calls fail with a clear error. Retries are off so tests see every
// failure as it happened.
func (s *Server) Config(persona string) aws.Config {
	name, account, ok := strings.Cut(persona, "@")
	if !ok {
		account = iam.LearnerAccount
	}
	provider := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		id, secret, ok, err := s.iam.PersonaKey(account, name)
		if err != nil {
			return aws.Credentials{}, fmt.Errorf("sandbox persona %q: %w", persona, err)
		}
		if !ok {
			return aws.Credentials{}, fmt.Errorf("sandbox persona %q: no active access key for IAM user %s in account %s", persona, name, account)
		}
		// Expiring after a second makes the cache below look the key up
		// again soon after it changes, without a store read per call.
		return aws.Credentials{AccessKeyID: id, SecretAccessKey: secret, Source: "seclab sandbox",
			CanExpire: true, Expires: time.Now().Add(time.Second)}, nil
	})
	return s.config(aws.NewCredentialsCache(provider))
}

// ConfigWith returns a configuration that calls this sandbox with the given
// credentials (for example the temporary ones AssumeRole returned).
func (s *Server) ConfigWith(c aws.Credentials) aws.Config {
	return s.config(aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return c, nil }))
}

func (s *Server) config(p aws.CredentialsProvider) aws.Config {
	s.httpOnce.Do(func() {
		s.httpClient = awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) {
			t.MaxIdleConnsPerHost = 64 // every call goes to one host: keep concurrent callers' connections
		})
	})
	return aws.Config{
		// One HTTP client for every config this sandbox hands out, so
		// the many SDK clients a lesson or test builds share connections.
		HTTPClient:       s.httpClient,
		Region:           s.opts.region,
		Credentials:      p,
		BaseEndpoint:     aws.String(s.URL),
		Retryer:          func() aws.Retryer { return aws.NopRetryer{} },
		RetryMaxAttempts: 1,
	}
}
