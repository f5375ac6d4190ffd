package kms_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// The benchmarks drive Encrypt, Decrypt and Sign through aws-sdk-go-v2 on
// loopback, with SigV4 verification, authorization and real cryptography
// on, side by side with a canned-response endpoint that does nothing (the
// SDK + loopback floor, like /work/shared/tools/kmsfloor). The sandbox's
// share of the floor's throughput is the figure docs/kms.md records.
//
//	go test -run '^$' -bench SDK -benchtime 3000x -count 3 ./lab/sandbox/kms

// cannedKMS answers like a KMS that does nothing: fixed bodies of the
// sizes real responses have.
func cannedKMS() http.Handler {
	arn := "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	blob := base64.StdEncoding.EncodeToString(make([]byte, 1073))
	pt := base64.StdEncoding.EncodeToString(make([]byte, 1024))
	sig := base64.StdEncoding.EncodeToString(make([]byte, 71))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		target := r.Header.Get("X-Amz-Target")
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		switch {
		case strings.HasSuffix(target, ".Decrypt"):
			fmt.Fprintf(w, `{"KeyId":%q,"Plaintext":%q,"EncryptionAlgorithm":"SYMMETRIC_DEFAULT"}`, arn, pt)
		case strings.HasSuffix(target, ".Sign"):
			fmt.Fprintf(w, `{"KeyId":%q,"Signature":%q,"SigningAlgorithm":"ECDSA_SHA_256"}`, arn, sig)
		default:
			fmt.Fprintf(w, `{"KeyId":%q,"CiphertextBlob":%q,"EncryptionAlgorithm":"SYMMETRIC_DEFAULT"}`, arn, blob)
		}
	})
}

// benchTarget is one endpoint with the inputs the operations need.
type benchTarget struct {
	client  *kms.Client
	keyID   string
	signKey string
	blob    []byte
}

var benchContext = map[string]string{"app": "kmsbench"}

func sandboxTarget(b *testing.B) *benchTarget {
	l := newLab(b)
	// Fixed credentials, as the floor's client has: the persona lookup of
	// Config would otherwise run in the client on every call.
	creds, err := l.srv.Config("learner").Credentials.Retrieve(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	c := kms.NewFromConfig(l.srv.ConfigWith(creds))
	id, _ := l.createKey(nil)
	signKey, _ := l.createKey(&kms.CreateKeyInput{KeySpec: types.KeySpecEccNistP256, KeyUsage: types.KeyUsageTypeSignVerify})
	out, err := c.Encrypt(context.Background(), &kms.EncryptInput{KeyId: &id, Plaintext: make([]byte, 1024), EncryptionContext: benchContext})
	if err != nil {
		b.Fatal(err)
	}
	return &benchTarget{client: c, keyID: id, signKey: signKey, blob: out.CiphertextBlob}
}

func floorTarget(b *testing.B) *benchTarget {
	srv := httptest.NewServer(cannedKMS())
	b.Cleanup(srv.Close)
	c := kms.NewFromConfig(aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIAEXAMPLE", "secret", ""),
		BaseEndpoint: aws.String(srv.URL),
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
	})
	id := "1234abcd-12ab-34cd-56ef-1234567890ab"
	return &benchTarget{client: c, keyID: id, signKey: id, blob: make([]byte, 1073)}
}

type benchOp func(ctx context.Context, t *benchTarget) error

var benchOps = []struct {
	name string
	op   benchOp
}{
	{"Encrypt", func(ctx context.Context, t *benchTarget) error {
		_, err := t.client.Encrypt(ctx, &kms.EncryptInput{KeyId: &t.keyID, Plaintext: make([]byte, 1024), EncryptionContext: benchContext})
		return err
	}},
	{"Decrypt", func(ctx context.Context, t *benchTarget) error {
		_, err := t.client.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: t.blob, EncryptionContext: benchContext})
		return err
	}},
	{"Sign", func(ctx context.Context, t *benchTarget) error {
		_, err := t.client.Sign(ctx, &kms.SignInput{KeyId: &t.signKey, Message: []byte("benchmark message"),
			SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
		return err
	}},
}

// BenchmarkSDK runs each operation against the floor and the sandbox, at
// concurrency 1 and 8. The two endpoints take turns in rounds of 200 calls
// within one benchmark, so a busy machine slows both alike; b.N is the
// number of calls per endpoint. It reports each endpoint's median latency
// and throughput and the sandbox's share of the floor's throughput.
func BenchmarkSDK(b *testing.B) {
	for _, o := range benchOps {
		for _, conc := range []int{1, 8} {
			b.Run(fmt.Sprintf("%s/c%d", o.name, conc), func(b *testing.B) {
				ctx := context.Background()
				targets := []*benchTarget{floorTarget(b), sandboxTarget(b)}
				for _, t := range targets {
					for range 50 { // warm connections and caches
						if err := o.op(ctx, t); err != nil {
							b.Fatal(err)
						}
					}
				}
				var stats [2]loadStats
				b.ResetTimer()
				for done := 0; done < b.N; {
					n := min(200, b.N-done)
					for i, t := range targets {
						if err := stats[i].run(conc, n, func() error { return o.op(ctx, t) }); err != nil {
							b.Fatal(err)
						}
					}
					done += n
				}
				b.StopTimer()
				floor, sandbox := stats[0].opsPerSec(), stats[1].opsPerSec()
				b.ReportMetric(stats[0].p50(), "floor-p50-µs")
				b.ReportMetric(stats[1].p50(), "sandbox-p50-µs")
				b.ReportMetric(floor, "floor-ops/s")
				b.ReportMetric(sandbox, "sandbox-ops/s")
				b.ReportMetric(100*sandbox/floor, "%-of-floor")
				b.ReportMetric(0, "ns/op")
			})
		}
	}
}

// loadStats accumulates latencies and busy time over rounds of calls.
type loadStats struct {
	lat     []time.Duration
	elapsed time.Duration
}

// run makes n calls of op from conc goroutines.
func (s *loadStats) run(conc, n int, op func() error) error {
	lat := make([]time.Duration, n)
	var next atomic.Int64
	var failed atomic.Value
	start := time.Now()
	var wg sync.WaitGroup
	for range conc {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				t0 := time.Now()
				if err := op(); err != nil {
					failed.CompareAndSwap(nil, err)
					return
				}
				lat[i] = time.Since(t0)
			}
		})
	}
	wg.Wait()
	s.elapsed += time.Since(start)
	s.lat = append(s.lat, lat...)
	if err, _ := failed.Load().(error); err != nil {
		return err
	}
	return nil
}

func (s *loadStats) opsPerSec() float64 { return float64(len(s.lat)) / s.elapsed.Seconds() }

func (s *loadStats) p50() float64 {
	l := slices.Clone(s.lat)
	slices.Sort(l)
	return float64(l[len(l)/2].Nanoseconds()) / 1e3
}
