package secretsmanager

import (
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

type rotateSecretInput struct {
	SecretID           string `json:"SecretId"`
	ClientRequestToken string `json:"ClientRequestToken"`
	RotationLambdaARN  string `json:"RotationLambdaARN"`
	RotateImmediately  *bool  `json:"RotateImmediately"`
	RotationRules      *struct {
		AutomaticallyAfterDays *int64 `json:"AutomaticallyAfterDays"`
		Duration               string `json:"Duration"`
		ScheduleExpression     string `json:"ScheduleExpression"`
	} `json:"RotationRules"`
}

// rotateSecret is present so lessons can show why rotation needs a Lambda
// function: the sandbox runs no Lambda, so a rotation function is never
// reachable, and a secret without one gets AWS's error for that.
func (s *Service) rotateSecret(r *svc.Request) (any, error) {
	var in rotateSecretInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if err := validSecretID(in.SecretID); err != nil {
		return nil, err
	}
	if err := validToken("clientRequestToken", in.ClientRequestToken); err != nil {
		return nil, err
	}
	l, err := s.resolve(r, in.SecretID)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(r, access{action: "RotateSecret", id: in.SecretID, l: l}); err != nil {
		return nil, err
	}
	if l.sec == nil {
		return nil, errNotFound()
	}
	if l.sec.scheduled() {
		return nil, errMarkedForDeletion()
	}
	if in.RotationLambdaARN == "" && l.sec.RotationLambda == "" {
		return nil, errInvalidRequest("No Lambda rotation function ARN is associated with this secret.")
	}
	// Secrets Manager invokes the function as its service principal; with
	// no Lambda in the sandbox the invocation can never be allowed.
	return nil, &svc.Error{Status: 400, Code: "AccessDeniedException", Message: "Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants access to the principal secretsmanager.amazonaws.com."}
}

type cancelRotateOutput struct {
	ARN       string `json:"ARN"`
	Name      string `json:"Name"`
	VersionID string `json:"VersionId,omitempty"`
}

// cancelRotateSecret turns rotation off. Rotation never starts in the
// sandbox, so there is no AWSPENDING version of its own to report.
func (s *Service) cancelRotateSecret(r *svc.Request) (any, error) {
	var in describeSecretInput
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if err := validSecretID(in.SecretID); err != nil {
		return nil, err
	}
	l, err := s.resolve(r, in.SecretID)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(r, access{action: "CancelRotateSecret", id: in.SecretID, l: l}); err != nil {
		return nil, err
	}
	if l.sec == nil {
		return nil, errNotFound()
	}
	sec, err := s.mutate(r, l.sec.ARN, func(sec *secret) error {
		if sec.scheduled() {
			return errMarkedForDeletion()
		}
		sec.RotationEnabled = false
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := cancelRotateOutput{ARN: sec.ARN, Name: sec.Name}
	if v := sec.staged(stagePending); v != nil {
		out.VersionID = v.ID
	}
	return out, nil
}
