package kms_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// TestSDKConcurrentClients runs 50 SDK clients at once against one key
// while it rotates and is retagged; run under -race it checks the caches.
func TestSDKConcurrentClients(t *testing.T) {
	l := newLab(t)
	id, _ := l.createKey(nil)
	admin := l.kms("learner")
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 50 {
		wg.Go(func() {
			c := l.kms("learner")
			ctx := map[string]string{"client": fmt.Sprint(i)}
			for j := range 4 {
				pt := []byte(fmt.Sprintf("client %d message %d", i, j))
				enc, err := c.Encrypt(l.ctx, &kms.EncryptInput{KeyId: &id, Plaintext: pt, EncryptionContext: ctx})
				if err != nil {
					errs <- fmt.Errorf("encrypt: %w", err)
					return
				}
				dec, err := c.Decrypt(l.ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ctx})
				if err != nil || string(dec.Plaintext) != string(pt) {
					errs <- fmt.Errorf("decrypt: %q, %v", dec.Plaintext, err)
					return
				}
			}
		})
	}
	wg.Go(func() {
		for i := range 3 {
			if _, err := admin.RotateKeyOnDemand(l.ctx, &kms.RotateKeyOnDemandInput{KeyId: &id}); err != nil {
				errs <- fmt.Errorf("rotate: %w", err)
			}
			if _, err := admin.TagResource(l.ctx, &kms.TagResourceInput{KeyId: &id,
				Tags: []types.Tag{{TagKey: aws.String("round"), TagValue: aws.String(fmt.Sprint(i))}}}); err != nil {
				errs <- fmt.Errorf("tag: %w", err)
			}
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
