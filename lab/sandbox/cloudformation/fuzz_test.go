package cloudformation

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// Fakes for running the service without the sandbox: a map store, an
// authorizer that allows everything, and a dispatcher that answers every
// call with a plausible success.

type memStore struct {
	mu sync.Mutex
	m  map[string]map[string][]byte
}

type memTx struct{ s *memStore }

func (t memTx) Get(b, k string) []byte { return t.s.m[b][k] }
func (t memTx) Put(b, k string, v []byte) error {
	if t.s.m[b] == nil {
		t.s.m[b] = map[string][]byte{}
	}
	t.s.m[b][k] = append([]byte(nil), v...)
	return nil
}
func (t memTx) Delete(b, k string) error { delete(t.s.m[b], k); return nil }
func (t memTx) ForEach(b string, fn func(string, []byte) error) error {
	keys := make([]string, 0, len(t.s.m[b]))
	for k := range t.s.m[b] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := fn(k, t.s.m[b][k]); err != nil {
			return err
		}
	}
	return nil
}
func (s *memStore) View(fn func(svc.Tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fn(memTx{s})
}
func (s *memStore) Update(fn func(svc.Tx) error) error { return s.View(fn) }

type allowAll struct{}

func (allowAll) Authorize(*svc.Request, svc.AuthzRequest) error { return nil }

type noTrail struct{}

func (noTrail) Record(*svc.Event) {}

type plainSealer struct{}

func (plainSealer) Seal(p, _ []byte) ([]byte, error) { return append([]byte(nil), p...), nil }
func (plainSealer) Open(p, _ []byte) ([]byte, error) { return append([]byte(nil), p...), nil }

type fixedClock struct{}

func (fixedClock) Now() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }

type cannedDispatch struct{}

func (cannedDispatch) Call(_ *svc.Request, service, op string, _ any) (json.RawMessage, error) {
	switch service + ":" + op {
	case "kms:CreateKey":
		return json.RawMessage(`{"KeyMetadata":{"KeyId":"k-1","Arn":"arn:aws:kms:us-east-1:111122223333:key/k-1"}}`), nil
	case "secretsmanager:CreateSecret":
		return json.RawMessage(`{"ARN":"arn:aws:secretsmanager:us-east-1:111122223333:secret:s-abcdef","Name":"s"}`), nil
	case "secretsmanager:GetRandomPassword":
		return json.RawMessage(`{"RandomPassword":"pw"}`), nil
	case "iam:CreateRole":
		return json.RawMessage(`{"Role":{"Arn":"arn:aws:iam::111122223333:role/r","RoleId":"AROA1"}}`), nil
	case "iam:CreatePolicy":
		return json.RawMessage(`{"Policy":{"Arn":"arn:aws:iam::111122223333:policy/p"}}`), nil
	case "iam:CreateAccessKey":
		return json.RawMessage(`{"AccessKey":{"AccessKeyId":"AKIA1","SecretAccessKey":"x"}}`), nil
	}
	return json.RawMessage(`{}`), nil
}

func fakeService() *Service {
	return New(svc.Env{
		Store: &memStore{m: map[string]map[string][]byte{}}, Clock: fixedClock{}, Authz: allowAll{},
		Trail: noTrail{}, Sealer: plainSealer{}, Rand: bytes.NewReader(bytes.Repeat([]byte{7}, 1<<20)),
		Region: "us-east-1", Dispatch: cannedDispatch{},
	})
}

func fakeRequest(op string, p url.Values) *svc.Request {
	r := &svc.Request{Ctx: context.Background(), ID: "req-1", Service: "cloudformation", Operation: op,
		Region: "us-east-1", Now: fixedClock{}.Now(), Params: p,
		Caller: svc.Caller{Type: svc.CallerUser, Account: "111122223333", ARN: "arn:aws:iam::111122223333:user/learner", Name: "learner"}}
	r.Event = svc.NewEvent(r)
	return r
}

// FuzzCreateStack runs arbitrary templates through the whole service
// (parse, validate, resolve, create, roll back, describe, delete) against
// canned services: any outcome but a panic is fine.
func FuzzCreateStack(f *testing.F) {
	for _, name := range []string{"testdata/notes.yaml", "testdata/notes-plain.yaml"} {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(string(b), "MySecret", "super_secret_string")
		}
	}
	f.Add("Resources:\n  S:\n    Type: AWS::SecretsManager::Secret\n    Properties:\n      GenerateSecretString: {SecretStringTemplate: '{}', GenerateStringKey: p}\n", "", "")
	f.Add("Resources:\n  U:\n    Type: AWS::IAM::User\n  K:\n    Type: AWS::IAM::AccessKey\n    Properties: {UserName: !Ref U, Status: Inactive}\n", "", "")
	f.Add(`{"Resources":{"P":{"Type":"AWS::IAM::ManagedPolicy","Properties":{"PolicyDocument":{"Statement":[]},"Roles":["r"]}}}}`, "", "")
	f.Fuzz(func(t *testing.T, body, key, value string) {
		s := fakeService()
		p := url.Values{"StackName": {"fz"}, "TemplateBody": {body},
			"Capabilities.member.1": {"CAPABILITY_NAMED_IAM"}, "Capabilities.member.2": {"CAPABILITY_AUTO_EXPAND"}}
		if key != "" {
			p.Set("Parameters.member.1.ParameterKey", key)
			p.Set("Parameters.member.1.ParameterValue", value)
		}
		if _, err := s.Handle(fakeRequest("CreateStack", p)); err != nil {
			if _, ok := err.(*svc.Error); !ok {
				t.Fatalf("CreateStack: %T %v", err, err)
			}
			return
		}
		for _, op := range []string{"DescribeStacks", "DescribeStackEvents", "ListStackResources", "GetTemplateSummary", "DeleteStack"} {
			if _, err := s.Handle(fakeRequest(op, url.Values{"StackName": {"fz"}})); err != nil {
				if _, ok := err.(*svc.Error); !ok {
					t.Fatalf("%s: %T %v", op, err, err)
				}
			}
		}
		st, err := s.viewStack(s.stackResource(fakeRequest("", nil), "fz"))
		if err == nil && st != nil && value != "" && len(value) > 3 {
			for _, e := range st.Events {
				if strings.Contains(e.StatusReason, value) && !strings.Contains(body, value) {
					t.Fatalf("event reason shows a parameter value: %q", e.StatusReason)
				}
			}
		}
	})
}
