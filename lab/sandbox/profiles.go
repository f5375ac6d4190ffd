package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/seclab-dev/seclab/lab/sandbox/iam"
)

// Files the running sandbox keeps in its state dir for other processes.
const (
	// EndpointFile holds the running sandbox's URL; it is removed on Close.
	EndpointFile = "endpoint"
	// PersonasFile lists the personas' credentials (JSON, 0600).
	PersonasFile = "personas.json"
	// CLIConfigFile and CLICredentialsFile are an AWS CLI configuration
	// with one profile per persona (both 0600).
	CLIConfigFile      = "aws/config"
	CLICredentialsFile = "aws/credentials"
)

// Persona is a set of credentials for the AWS CLI or an SDK.
type Persona struct {
	// Profile is the AWS CLI profile name: the user name in 111122223333,
	// NAME-ACCOUNT in other accounts ("learner-444455556666").
	Profile         string `json:"profile"`
	User            string `json:"user"`
	Account         string `json:"account"`
	AccessKeyID     string `json:"accessKeyId"`
	SecretAccessKey string `json:"secretAccessKey"`
}

// Endpoint is what another process needs to reach a running sandbox.
type Endpoint struct {
	URL      string    `json:"url"`
	Region   string    `json:"region"`
	Personas []Persona `json:"personas"`
}

// Persona returns the persona with the given profile name.
func (e *Endpoint) Persona(profile string) (Persona, bool) {
	for _, p := range e.Personas {
		if p.Profile == profile {
			return p, true
		}
	}
	return Persona{}, false
}

// Personas lists every IAM user with an active access key, in both
// accounts.
func (s *Server) Personas() ([]Persona, error) {
	var out []Persona
	for _, acct := range iam.Accounts {
		users, err := s.iam.KeyedUsers(acct)
		if err != nil {
			return nil, err
		}
		for _, u := range users {
			profile := u.User
			if acct != iam.LearnerAccount {
				profile = u.User + "-" + acct
			}
			out = append(out, Persona{Profile: profile, User: u.User, Account: acct,
				AccessKeyID: u.AccessKeyID, SecretAccessKey: u.SecretAccessKey})
		}
	}
	return out, nil
}

// WriteProfiles writes the endpoint, personas and AWS CLI files into the
// state dir (all 0600), so `seclab sandbox env` and the AWS CLI in another
// terminal can reach this sandbox. Call it again after personas change.
func (s *Server) WriteProfiles() error {
	ps, err := s.Personas()
	if err != nil {
		return err
	}
	ep := Endpoint{URL: s.URL, Region: s.opts.region, Personas: ps}
	b, err := json.MarshalIndent(ep, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(s.dir, "aws"), 0o700); err != nil {
		return fmt.Errorf("write profiles: %w", err)
	}
	var cfg, creds strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&cfg, "[profile %s]\nregion = %s\nendpoint_url = %s\noutput = json\n\n", p.Profile, s.opts.region, s.URL)
		fmt.Fprintf(&creds, "[%s]\naws_access_key_id = %s\naws_secret_access_key = %s\n\n", p.Profile, p.AccessKeyID, p.SecretAccessKey)
	}
	for name, data := range map[string][]byte{
		PersonasFile: b, CLIConfigFile: []byte(cfg.String()), CLICredentialsFile: []byte(creds.String()),
		EndpointFile: []byte(s.URL + "\n"),
	} {
		if err := writeAtomic(filepath.Join(s.dir, name), data); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
	}
	return nil
}

// RemoveEndpoint removes the endpoint file (the sandbox is stopping).
func (s *Server) RemoveEndpoint() {
	os.Remove(filepath.Join(s.dir, EndpointFile))
}

func writeAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := writeFileSync(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// ReadEndpoint reads what a running sandbox wrote into dir. It fails with
// a clear message when no sandbox is running there.
func ReadEndpoint(dir string) (*Endpoint, error) {
	if _, err := os.Stat(filepath.Join(dir, EndpointFile)); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("no sandbox is running with state dir %s: start one with `seclab sandbox`", dir)
		}
		return nil, err
	}
	b, err := os.ReadFile(filepath.Join(dir, PersonasFile))
	if err != nil {
		return nil, fmt.Errorf("read sandbox personas: %w", err)
	}
	var ep Endpoint
	if err := json.Unmarshal(b, &ep); err != nil {
		return nil, fmt.Errorf("read sandbox personas: %w", err)
	}
	return &ep, nil
}

// EnvLines are the shell exports that point the AWS CLI and SDKs at the
// sandbox as persona p.
func EnvLines(ep *Endpoint, p Persona) string {
	return fmt.Sprintf("export AWS_ENDPOINT_URL=%s\nexport AWS_ACCESS_KEY_ID=%s\nexport AWS_SECRET_ACCESS_KEY=%s\nexport AWS_REGION=%s\nexport AWS_DEFAULT_REGION=%s\nunset AWS_SESSION_TOKEN AWS_PROFILE\n",
		ep.URL, p.AccessKeyID, p.SecretAccessKey, ep.Region, ep.Region)
}
