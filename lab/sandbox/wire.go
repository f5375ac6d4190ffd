package sandbox

import (
	"fmt"

	"github.com/seclab-dev/seclab/lab/sandbox/cloudformation"
	"github.com/seclab-dev/seclab/lab/sandbox/iam"
	"github.com/seclab-dev/seclab/lab/sandbox/kms"
	"github.com/seclab-dev/seclab/lab/sandbox/secretsmanager"
	"github.com/seclab-dev/seclab/lab/sandbox/sts"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// wire builds the built-in services and registers them. Services never
// import each other: where one needs another, it declares a small
// interface and the implementation is passed here.
func (s *Server) wire(env svc.Env) error {
	var err error
	if s.iam, err = iam.New(env); err != nil {
		return fmt.Errorf("start iam: %w", err)
	}
	s.Register(s.iam)

	s.sts = sts.New(env, stsRoles{s.iam})
	s.Register(s.sts)

	s.Register(adminService{s})

	// KMS and Secrets Manager: build KMS first; Secrets Manager takes it as
	// its own small KMS interface.
	k := kms.New(env)
	k.UsePrincipals(s.iam)
	s.Register(k)
	s.Register(secretsmanager.New(env, k))

	// CloudFormation calls other services through env.Dispatch.
	s.Register(cloudformation.New(env))

	return nil
}

// stsRoles lets STS look roles up in IAM.
type stsRoles struct{ iam *iam.Service }

func (r stsRoles) Role(arn string) (sts.Role, bool, error) {
	info, ok, err := r.iam.LookupRole(arn)
	if err != nil || !ok {
		return sts.Role{}, ok, err
	}
	return sts.Role{ARN: info.ARN, ID: info.ID, Name: info.Name, TrustPolicy: info.TrustPolicy, MaxSession: info.MaxSession}, true, nil
}
