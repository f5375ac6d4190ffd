package sandbox

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// TestLoadConcurrentClients runs 50 SDK clients × 200 mixed calls (run it
// with -race): reads, writes, role sessions and calls that must be denied.
// Nothing may fail except the expected denials.
func TestLoadConcurrentClients(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	const clients, calls = 50, 200
	s := start(t)
	ctx := context.Background()
	makeUser(t, s, "bob")
	roleARN := makeRole(t, s, "learner", "loader", trust("arn:aws:iam::111122223333:root"), "arn:aws:iam::aws:policy/IAMReadOnlyAccess")

	var denied, ok atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// One HTTP client per simulated process, as a real program has.
			hc := awshttp.NewBuildableClient()
			cfg := func(c aws.Config) aws.Config { c.HTTPClient = hc; return c }
			learnerIAM := iam.NewFromConfig(cfg(s.Config("learner")))
			learnerSTS := sts.NewFromConfig(cfg(s.Config("learner")))
			bobIAM := iam.NewFromConfig(cfg(s.Config("bob")))
			for i := 0; i < calls; i++ {
				var err error
				expectDenied := false
				switch i % 10 {
				case 0, 1:
					_, err = learnerSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
				case 2, 3:
					_, err = learnerIAM.ListUsers(ctx, &iam.ListUsersInput{})
				case 4:
					expectDenied = true
					_, err = bobIAM.ListUsers(ctx, &iam.ListUsersInput{})
				case 5:
					name := fmt.Sprintf("load-%d-%d", c, i)
					if _, err = learnerIAM.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err == nil {
						_, err = learnerIAM.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String(name)})
					}
				case 6:
					_, err = learnerIAM.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("bob")})
				case 7:
					var out *sts.AssumeRoleOutput
					out, err = learnerSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String(fmt.Sprintf("c%d", c))})
					if err == nil {
						sess := iam.NewFromConfig(cfg(s.ConfigWith(aws.Credentials{AccessKeyID: aws.ToString(out.Credentials.AccessKeyId),
							SecretAccessKey: aws.ToString(out.Credentials.SecretAccessKey), SessionToken: aws.ToString(out.Credentials.SessionToken)})))
						_, err = sess.ListRoles(ctx, &iam.ListRolesInput{})
					}
				case 8:
					_, err = learnerIAM.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("bob"),
						PolicyName: aws.String(fmt.Sprintf("p%d", c%3)), PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:CreateUser","Resource":"*"}]}`)})
				case 9:
					_, err = learnerIAM.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("loader")})
				}
				switch {
				case expectDenied && err != nil && strings.Contains(err.Error(), "AccessDenied"):
					denied.Add(1)
				case err != nil:
					errs <- fmt.Errorf("client %d call %d: %w", c, i, err)
					return
				case expectDenied:
					errs <- fmt.Errorf("client %d call %d: bob was allowed to ListUsers", c, i)
					return
				default:
					ok.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if want := int64(clients * calls / 10); denied.Load() != want {
		t.Errorf("%d expected denials, want %d", denied.Load(), want)
	}
	t.Logf("%d calls succeeded, %d denied as expected", ok.Load(), denied.Load())
}
