package cloudformation_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cfn "github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/seclab-dev/seclab/lab/sandbox"
)

// BenchmarkNotesStackLifecycle creates the notes stack (a KMS key with its
// policy, an alias, a secret under the key, a role with two inline
// policies) through aws-sdk-go-v2 and deletes it again: one iteration is a
// CreateStack and a DeleteStack, each running every resource call as the
// caller with SigV4, authorization and the trail on.
func BenchmarkNotesStackLifecycle(b *testing.B) {
	s := sandbox.New(sandbox.WithSeed(3))
	if err := s.Start(); err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	c := cfn.NewFromConfig(s.Config("learner"))
	body, err := readBenchTemplate("notes-plain.yaml")
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	i := 0
	for b.Loop() {
		name := fmt.Sprintf("notes%d", i)
		i++
		if _, err := c.CreateStack(ctx, &cfn.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(body),
			Parameters:   params("MySecret", secretValue),
			Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}}); err != nil {
			b.Fatal(err)
		}
		if _, err := c.DeleteStack(ctx, &cfn.DeleteStackInput{StackName: aws.String(name)}); err != nil {
			b.Fatal(err)
		}
	}
}
