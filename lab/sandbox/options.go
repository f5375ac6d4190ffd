package sandbox

import "github.com/seclab-dev/seclab/lab/sandbox/svc"

// DefaultRegion is the sandbox's region unless WithRegion says otherwise.
const DefaultRegion = "us-east-1"

// Option configures a Server.
type Option func(*options)

type options struct {
	stateDir string
	seed     uint64
	clock    svc.Clock
	region   string
	addr     string
	maxBody  int64
}

// WithStateDir keeps the sandbox's state (store, trail, master key, CLI
// profiles) in dir, created 0700 if needed. Without it the sandbox lives in
// a temporary directory removed by Close.
func WithStateDir(dir string) Option { return func(o *options) { o.stateDir = dir } }

// WithSeed makes IDs, access keys and key material deterministic: the same
// seed and the same calls give the same values. Zero means crypto/rand.
func WithSeed(seed uint64) Option { return func(o *options) { o.seed = seed } }

// WithClock sets the base clock the virtual clock runs on (tests).
func WithClock(c svc.Clock) Option { return func(o *options) { o.clock = c } }

// WithRegion sets the sandbox's region (default us-east-1).
func WithRegion(r string) Option { return func(o *options) { o.region = r } }

// WithAddr sets the listen address. It must be a loopback address; the
// default is 127.0.0.1 on a random port.
func WithAddr(addr string) Option { return func(o *options) { o.addr = addr } }

// WithMaxBody sets the largest request body accepted, in bytes (default
// 1 MiB).
func WithMaxBody(n int64) Option { return func(o *options) { o.maxBody = n } }
