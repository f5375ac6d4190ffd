package sandbox

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/seclab-dev/seclab/lab/sandbox/iam"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// adminService is the sandbox's own control API, a JSON-protocol service
// with target prefix "seclab" and signing name "seclab". Its calls are
// SigV4-verified and authorized like any other (action
// seclab:AdvanceClock), so only an administrator persona can move time.
type adminService struct{ s *Server }

func (adminService) Name() string           { return "seclab" }
func (adminService) Protocol() svc.Protocol { return svc.JSON }

type clockState struct {
	Now           time.Time `json:"Now"`
	OffsetSeconds int64     `json:"OffsetSeconds"`
}

func (a adminService) Handle(r *svc.Request) (any, error) {
	switch r.Operation {
	case "GetClock":
	case "AdvanceClock":
		var in struct{ Seconds int64 }
		if err := r.Decode(&in); err != nil {
			return nil, err
		}
		if in.Seconds <= 0 || in.Seconds > 10*365*24*3600 {
			return nil, svc.Errorf(400, "ValidationException", "Seconds must be between 1 and 315360000")
		}
		if err := a.s.env.Authz.Authorize(r, svc.AuthzRequest{Action: "seclab:AdvanceClock", Resource: "*"}); err != nil {
			return nil, err
		}
		if err := a.s.Advance(time.Duration(in.Seconds) * time.Second); err != nil {
			return nil, err
		}
	default:
		return nil, svc.ErrUnknownOperation
	}
	return clockState{Now: a.s.clock.Now(), OffsetSeconds: int64(a.s.clock.Offset() / time.Second)}, nil
}

// AdvanceClock moves the clock of the sandbox whose state is in dir: via
// its control API when it is running, or directly in its store when it is
// not. It returns the sandbox's new time.
func AdvanceClock(ctx context.Context, dir string, d time.Duration) (time.Time, error) {
	if d <= 0 {
		return time.Time{}, errors.New("advance the clock by a positive duration, e.g. 7d")
	}
	if ep, err := ReadEndpoint(dir); err == nil {
		t, err := advanceRemote(ctx, ep, d)
		var ne *net.OpError
		if !errors.As(err, &ne) {
			return t, err
		}
		// The endpoint file is stale (the sandbox was killed): the store
		// is free, so move the clock there.
	}
	s := New(WithStateDir(dir))
	if err := s.open(); err != nil {
		s.cleanup()
		return time.Time{}, err
	}
	defer s.cleanup()
	if err := s.Advance(d); err != nil {
		return time.Time{}, err
	}
	return s.Now(), nil
}

func advanceRemote(ctx context.Context, ep *Endpoint, d time.Duration) (time.Time, error) {
	p, ok := ep.Persona(iam.Learner)
	if !ok {
		return time.Time{}, errors.New("the running sandbox has no learner persona")
	}
	body, _ := json.Marshal(map[string]int64{"Seconds": int64(d / time.Second)})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL+"/", bytes.NewReader(body))
	if err != nil {
		return time.Time{}, err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "seclab.AdvanceClock")
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: p.AccessKeyID, SecretAccessKey: p.SecretAccessKey}
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "seclab", ep.Region, time.Now()); err != nil {
		return time.Time{}, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return time.Time{}, fmt.Errorf("reach the sandbox at %s: %w", ep.URL, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode != http.StatusOK {
		return time.Time{}, fmt.Errorf("advance the sandbox clock: %s", bytes.TrimSpace(b))
	}
	var st clockState
	if err := json.Unmarshal(b, &st); err != nil {
		return time.Time{}, fmt.Errorf("advance the sandbox clock: %w", err)
	}
	return st.Now, nil
}
