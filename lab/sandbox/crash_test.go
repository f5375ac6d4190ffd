package sandbox

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

const crashHelperEnv = "SECLAB_SANDBOX_CRASH_HELPER"

// TestCrashHelper is the subprocess of TestKillNineKeepsAcknowledgedWrites:
// it serves a sandbox on the given state dir until it is killed.
func TestCrashHelper(t *testing.T) {
	dir := os.Getenv(crashHelperEnv)
	if dir == "" {
		t.Skip("helper process for TestKillNineKeepsAcknowledgedWrites")
	}
	s := New(WithStateDir(dir))
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteProfiles(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Minute) // killed long before
}

func TestKillNineKeepsAcknowledgedWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a subprocess")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$")
	cmd.Env = append(os.Environ(), crashHelperEnv+"="+dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	var ep *Endpoint
	for deadline := time.Now().Add(20 * time.Second); ; {
		var err error
		if ep, err = ReadEndpoint(dir); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("helper sandbox did not start: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	learner, _ := ep.Persona("learner")
	client := iam.NewFromConfig(aws.Config{
		Region: ep.Region, BaseEndpoint: aws.String(ep.URL), Retryer: func() aws.Retryer { return aws.NopRetryer{} },
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: learner.AccessKeyID, SecretAccessKey: learner.SecretAccessKey}, nil
		}),
	})

	// A burst of writes from 8 clients; kill -9 the sandbox mid-burst.
	var mu sync.Mutex
	var acked []string
	var wg sync.WaitGroup
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil && i < 500; i++ {
				name := fmt.Sprintf("u%d-%d", w, i)
				if _, err := client.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
					return // the sandbox is gone
				}
				mu.Lock()
				acked = append(acked, name)
				mu.Unlock()
			}
		}()
	}
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 60 || ctx.Err() != nil {
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()

	// Reopen the same state: every acknowledged user is there.
	s := New(WithStateDir(dir))
	if err := s.Start(); err != nil {
		t.Fatalf("reopen after kill -9: %v", err)
	}
	defer s.Close()
	present := map[string]bool{}
	err := s.store.View(func(tx svc.Tx) error {
		return tx.ForEach("iam/users", func(k string, _ []byte) error {
			present[k] = true
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range acked {
		if !present["111122223333/"+name] {
			t.Errorf("acknowledged user %s lost after kill -9", name)
		}
	}
	t.Logf("%d acknowledged writes, %d users present after kill -9", len(acked), len(present))
	// The reopened sandbox serves requests, and the trail is readable.
	if _, err := iam.NewFromConfig(s.Config("learner")).ListUsers(context.Background(), &iam.ListUsersInput{}); err != nil {
		t.Errorf("ListUsers after reopen: %v", err)
	}
	if err := ReadTrail(context.Background(), dir+"/"+TrailFile, false, func(svc.Event) error { return nil }); err != nil {
		t.Errorf("read trail after kill -9: %v", err)
	}
}

func TestRestartKeepsState(t *testing.T) {
	dir := t.TempDir()
	s := New(WithStateDir(dir))
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	makeUser(t, s, "zoe")
	if err := s.Advance(48 * time.Hour); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s.Close() // idempotent

	s2 := start(t, WithStateDir(dir))
	out, err := iam.NewFromConfig(s2.Config("learner")).GetUser(context.Background(), &iam.GetUserInput{UserName: aws.String("zoe")})
	if err != nil {
		t.Fatalf("zoe after restart: %v", err)
	}
	if aws.ToString(out.User.UserName) != "zoe" {
		t.Errorf("GetUser = %s", aws.ToString(out.User.UserName))
	}
	if d := time.Until(s2.Now()); d < 47*time.Hour {
		t.Errorf("clock offset lost: sandbox time is %s ahead", d)
	}
	for _, f := range []string{"state.db", "master.key", TrailFile} {
		fi, err := os.Stat(dir + "/" + f)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", f, fi.Mode().Perm())
		}
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("state dir mode %v, want 0700", fi.Mode().Perm())
	}
}
