package secretsmanager

import (
	"bytes"
	"testing"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// FuzzHandle feeds arbitrary JSON bodies to every operation of a service
// that already holds a secret: nothing may panic, and every failure must be
// an AWS error, never an internal one.
func FuzzHandle(f *testing.F) {
	seeds := []struct{ op, body string }{
		{"CreateSecret", `{"Name":"n","SecretString":"v","Tags":[{"Key":"a","Value":"b"}]}`},
		{"GetSecretValue", `{"SecretId":"s","VersionStage":"AWSCURRENT"}`},
		{"PutSecretValue", `{"SecretId":"s","SecretBinary":"AAE=","VersionStages":["x"]}`},
		{"UpdateSecretVersionStage", `{"SecretId":"s","VersionStage":"AWSCURRENT","MoveToVersionId":"00000000-0000-4000-8000-000000000000"}`},
		{"ListSecrets", `{"Filters":[{"Key":"all","Values":["!aB1"]}],"NextToken":"p1"}`},
		{"DeleteSecret", `{"SecretId":"s","RecoveryWindowInDays":7}`},
		{"PutResourcePolicy", `{"SecretId":"s","ResourcePolicy":"{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"*\"]}}}","BlockPublicPolicy":true}`},
		{"GetRandomPassword", `{"PasswordLength":5,"ExcludeCharacters":"abc"}`},
		{"BatchGetSecretValue", `{"Filters":[{"Key":"name","Values":["s"]}],"MaxResults":1}`},
		{"UpdateSecret", `{"SecretId":"s","KmsKeyId":"alias/k","Description":""}`},
	}
	for _, s := range seeds {
		f.Add(s.op, []byte(s.body))
	}
	h := newHarness(&testing.T{})
	h.kms.createKey("alias/k")
	h.must("alice", "CreateSecret", m{"Name": "s", "SecretString": "v"})
	f.Fuzz(func(t *testing.T, op string, body []byte) {
		r := &svc.Request{ID: "req", Service: ServiceName, Operation: op, Region: "us-east-1", Now: h.clock.Now(), Body: body,
			Caller: svc.Caller{Account: "111122223333", Name: "alice", ARN: "arn:aws:iam::111122223333:user/alice"}}
		r.Event = svc.NewEvent(r)
		_, err := h.s.Handle(r)
		if err == nil {
			return
		}
		if _, ok := err.(*svc.Error); !ok && err != svc.ErrUnknownOperation {
			t.Fatalf("%s %s: internal error %v", op, body, err)
		}
	})
}

func FuzzParsePolicy(f *testing.F) {
	for _, s := range []string{`{"Statement":[]}`, `{"Statement":{"Effect":"Allow","Principal":"*"}}`, `{"Statement":[{"Effect":"Allow","Principal":{"AWS":["*"]},"Condition":{"StringEquals":{"aws:PrincipalAccount":"1"}}}]}`, `[]`, `null`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		doc, err := parsePolicy(s)
		if err == nil {
			doc.public()
		}
	})
}

func FuzzEnvelope(f *testing.F) {
	f.Add([]byte("value"), []byte{})
	f.Fuzz(func(t *testing.T, value, tamper []byte) {
		key := bytes.Repeat([]byte{7}, 32)
		sealed, err := sealValue(nil, key, value, aad("arn", "v"))
		if err != nil {
			t.Fatal(err)
		}
		got, err := openValue(key, sealed, aad("arn", "v"))
		if err != nil || !bytes.Equal(got, value) {
			t.Fatalf("round trip: %v", err)
		}
		if _, err := openValue(key, sealed, aad("arn", "w")); err == nil {
			t.Fatal("opened under another version's AAD")
		}
		if _, err := openValue(key, tamper, aad("arn", "v")); err == nil && !bytes.Equal(tamper, sealed) {
			t.Fatal("opened a foreign ciphertext")
		}
	})
}
