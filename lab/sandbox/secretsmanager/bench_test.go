package secretsmanager_test

import (
	"fmt"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// The benchmarks drive the sandbox through aws-sdk-go-v2 over loopback, with
// SigV4 verification, authorization, the KMS data-key calls and AES-GCM on:
// what a learner's console pays per call. They report the median latency
// (p50-µs) besides ns/op; docs/secretsmanager.md records the figures.

func BenchmarkCreateSecret(b *testing.B) {
	l := newLab(b)
	c := l.sm("learner")
	var n atomic.Int64
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		_, err := c.CreateSecret(l.ctx, &sm.CreateSecretInput{Name: aws.String(fmt.Sprint("bench/", n.Add(1))), SecretString: aws.String("value")})
		lat = append(lat, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
	}
	reportP50(b, lat)
}

func BenchmarkGetSecretValue(b *testing.B) {
	l := newLab(b)
	c := l.sm("learner")
	if _, err := c.CreateSecret(l.ctx, &sm.CreateSecretInput{Name: aws.String("bench"), SecretString: aws.String("value")}); err != nil {
		b.Fatal(err)
	}
	in := &sm.GetSecretValueInput{SecretId: aws.String("bench")}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		_, err := c.GetSecretValue(l.ctx, in)
		lat = append(lat, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
	}
	reportP50(b, lat)
}

// BenchmarkGetSecretValueParallel runs GOMAXPROCS×8 clients at once.
func BenchmarkGetSecretValueParallel(b *testing.B) {
	l := newLab(b)
	c := l.sm("learner")
	if _, err := c.CreateSecret(l.ctx, &sm.CreateSecretInput{Name: aws.String("bench"), SecretString: aws.String("value")}); err != nil {
		b.Fatal(err)
	}
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		in := &sm.GetSecretValueInput{SecretId: aws.String("bench")}
		for pb.Next() {
			if _, err := c.GetSecretValue(l.ctx, in); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func reportP50(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
}
