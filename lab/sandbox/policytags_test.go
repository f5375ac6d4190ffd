package sandbox

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/google/go-cmp/cmp"
)

func TestPolicyTags(t *testing.T) {
	s := start(t)
	ctx := context.Background()
	c := iam.NewFromConfig(s.Config("learner"))
	out, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("reader"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`),
		Tags:           []types.Tag{{Key: aws.String("seclab"), Value: aws.String("lesson-1")}}})
	if err != nil {
		t.Fatal(err)
	}
	arn := out.Policy.Arn
	tags := func() map[string]string {
		t.Helper()
		out, err := c.ListPolicyTags(ctx, &iam.ListPolicyTagsInput{PolicyArn: arn})
		if err != nil {
			t.Fatalf("ListPolicyTags: %v", err)
		}
		m := map[string]string{}
		for _, tg := range out.Tags {
			m[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
		}
		return m
	}
	if diff := cmp.Diff(map[string]string{"seclab": "lesson-1"}, tags()); diff != "" {
		t.Errorf("tags from CreatePolicy (-want +got):\n%s", diff)
	}
	if _, err := c.TagPolicy(ctx, &iam.TagPolicyInput{PolicyArn: arn, Tags: []types.Tag{
		{Key: aws.String("seclab"), Value: aws.String("lesson-2")}, {Key: aws.String("team"), Value: aws.String("blue")}}}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"seclab": "lesson-2", "team": "blue"}, tags()); diff != "" {
		t.Errorf("after TagPolicy (-want +got):\n%s", diff)
	}
	if _, err := c.UntagPolicy(ctx, &iam.UntagPolicyInput{PolicyArn: arn, TagKeys: []string{"team", "absent"}}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"seclab": "lesson-2"}, tags()); diff != "" {
		t.Errorf("after UntagPolicy (-want +got):\n%s", diff)
	}
	got, err := c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: arn})
	if err != nil || len(got.Policy.Tags) != 1 || aws.ToString(got.Policy.Tags[0].Value) != "lesson-2" {
		t.Errorf("GetPolicy tags = %+v, %v", got, err)
	}

	errs := []struct {
		name string
		call func() error
		code string
	}{
		{"list tags of a missing policy", func() error {
			_, err := c.ListPolicyTags(ctx, &iam.ListPolicyTagsInput{PolicyArn: aws.String("arn:aws:iam::111122223333:policy/nope")})
			return err
		}, "NoSuchEntity"},
		{"tag a missing policy", func() error {
			_, err := c.TagPolicy(ctx, &iam.TagPolicyInput{PolicyArn: aws.String("arn:aws:iam::111122223333:policy/nope"),
				Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
			return err
		}, "NoSuchEntity"},
		{"malformed ARN", func() error {
			_, err := c.ListPolicyTags(ctx, &iam.ListPolicyTagsInput{PolicyArn: aws.String("reader")})
			return err
		}, "ValidationError"},
		{"tag as a user without permission", func() error {
			makeUser(t, s, "bob")
			_, err := iam.NewFromConfig(s.Config("bob")).TagPolicy(ctx, &iam.TagPolicyInput{PolicyArn: arn,
				Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
			return err
		}, "AccessDenied"},
	}
	for _, tc := range errs {
		t.Run(tc.name, func(t *testing.T) {
			if code, _ := apiError(t, tc.call()); code != tc.code {
				t.Errorf("code = %q, want %q", code, tc.code)
			}
		})
	}
	tooMany := make([]types.Tag, 50)
	for i := range tooMany {
		tooMany[i] = types.Tag{Key: aws.String("k" + string(rune('A'+i))), Value: aws.String("v")}
	}
	_, err = c.TagPolicy(ctx, &iam.TagPolicyInput{PolicyArn: arn, Tags: tooMany})
	if code, msg := apiError(t, err); code != "LimitExceeded" || msg != "The number of tags has reached the maximum limit." {
		t.Errorf("51st tag = %s: %s", code, msg)
	}
	if diff := cmp.Diff(map[string]string{"seclab": "lesson-2"}, tags()); diff != "" {
		t.Errorf("a refused TagPolicy changed the tags (-want +got):\n%s", diff)
	}
}
