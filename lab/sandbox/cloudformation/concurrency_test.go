package cloudformation_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cfn "github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// TestConcurrentStacks creates, describes and deletes stacks from several
// clients at once: operations serialize, none is lost, and the race
// detector stays quiet.
func TestConcurrentStacks(t *testing.T) {
	l := newLab(t)
	ctx := context.Background()
	body := "Resources:\n  K:\n    Type: AWS::KMS::Key\n  S:\n    Type: AWS::SecretsManager::Secret\n    Properties:\n      KmsKeyId: !Ref K\n      SecretString: v\n"
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, 3*n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := cfn.NewFromConfig(l.s.Config("learner"))
			name := fmt.Sprintf("c%d", i)
			if _, err := c.CreateStack(ctx, &cfn.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(body)}); err != nil {
				errs <- err
				return
			}
			if _, err := c.DescribeStacks(ctx, &cfn.DescribeStacksInput{}); err != nil {
				errs <- err
			}
			if i%2 == 0 {
				if _, err := c.DeleteStack(ctx, &cfn.DeleteStackInput{StackName: aws.String(name)}); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	out, err := l.cfn.ListStacks(ctx, &cfn.ListStacksInput{})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[cfntypes.StackStatus]int{}
	for _, s := range out.StackSummaries {
		counts[s.StackStatus]++
	}
	if counts[cfntypes.StackStatusCreateComplete] != n/2 || counts[cfntypes.StackStatusDeleteComplete] != n/2 {
		t.Errorf("stack statuses = %v", counts)
	}
}
