package sandbox

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// BenchmarkVerifySignature is SigV4 verification of a 1 KiB KMS-style
// request, signing key cached.
func BenchmarkVerifySignature(b *testing.B) {
	body := bytes.Repeat([]byte("x"), 1024)
	req, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1:4566/", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "TrentService.Encrypt")
	sum := sha256.Sum256(body)
	now := time.Now().UTC()
	creds := aws.Credentials{AccessKeyID: "AKIAEXAMPLE", SecretAccessKey: "secret"}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "kms", "us-east-1", now); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		a, err := parseAuthorization(req.Header.Get("Authorization"))
		if err != nil {
			b.Fatal(err)
		}
		if err := verifySignature(req, body, a, now.Format(amzDateFormat), "secret"); err != nil {
			b.Fatal(err)
		}
	}
}
