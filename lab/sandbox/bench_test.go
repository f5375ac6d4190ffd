package sandbox

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// benchCalls runs call b.N times on conc goroutines and reports p50
// latency and throughput.
func benchCalls(b *testing.B, conc int, call func() error) {
	b.Helper()
	lat := make([]time.Duration, b.N)
	var next int
	var mu sync.Mutex
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for g := 0; g < conc; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= b.N {
					return
				}
				t0 := time.Now()
				if err := call(); err != nil {
					b.Error(err)
					return
				}
				lat[i] = time.Since(t0)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "ops/s")
}

func BenchmarkGetCallerIdentity(b *testing.B) {
	for _, conc := range []int{1, 8} {
		b.Run(map[int]string{1: "c1", 8: "c8"}[conc], func(b *testing.B) {
			s := start(b)
			c := sts.NewFromConfig(s.Config("learner"))
			ctx := context.Background()
			benchCalls(b, conc, func() error {
				_, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
				return err
			})
		})
	}
}

// BenchmarkDeniedIAMCall is bob's iam:ListUsers, denied: SigV4, the
// caller's policies, evaluation, explanation and the AccessDenied message.
func BenchmarkDeniedIAMCall(b *testing.B) {
	for _, conc := range []int{1, 8} {
		b.Run(map[int]string{1: "c1", 8: "c8"}[conc], func(b *testing.B) {
			s := start(b)
			makeUser(b, s, "bob")
			c := iam.NewFromConfig(s.Config("bob"))
			ctx := context.Background()
			benchCalls(b, conc, func() error {
				if _, err := c.ListUsers(ctx, &iam.ListUsersInput{}); err == nil {
					b.Fatal("bob was allowed")
				}
				return nil
			})
		})
	}
}

// BenchmarkGetCallerIdentityFloor is the same SDK call against a
// do-nothing endpoint with a canned answer: the SDK + loopback floor that
// BenchmarkGetCallerIdentity is compared with.
func BenchmarkGetCallerIdentityFloor(b *testing.B) {
	const canned = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
		`<Arn>arn:aws:iam::111122223333:user/learner</Arn><UserId>AIDAEXAMPLE</UserId><Account>111122223333</Account>` +
		`</GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>`
	for _, conc := range []int{1, 8} {
		b.Run(map[int]string{1: "c1", 8: "c8"}[conc], func(b *testing.B) {
			floor := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body)
				w.Header().Set("Content-Type", "text/xml")
				io.WriteString(w, canned)
			}))
			defer floor.Close()
			cfg := aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(floor.URL),
				Retryer: func() aws.Retryer { return aws.NopRetryer{} },
				Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
					return aws.Credentials{AccessKeyID: "AKIAFLOOR", SecretAccessKey: "x"}, nil
				})}
			c := sts.NewFromConfig(cfg)
			ctx := context.Background()
			benchCalls(b, conc, func() error {
				_, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
				return err
			})
		})
	}
}
