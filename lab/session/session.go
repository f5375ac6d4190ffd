// Package session runs one lesson for one learner: it owns the target the
// lesson's calls go to, the personas' credentials, the workspace folder,
// the template variables, the console, the step checks, hints, solutions
// and progress. The TUI and `seclab check` drive lessons only through it.
//
// A session reaches AWS only through the target's aws.Config values; it
// never imports the sandbox or any UI package.
package session

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/seclab-dev/seclab/lab/check"
	"github.com/seclab-dev/seclab/lab/console"
	"github.com/seclab-dev/seclab/lab/ledger"
	"github.com/seclab-dev/seclab/lab/progress"
	"github.com/seclab-dev/seclab/lab/target"
	"github.com/seclab-dev/seclab/lessons"
)

// Options configure a session.
type Options struct {
	// Lesson is the lesson to run. Required.
	Lesson *lessons.Lesson
	// Target is where calls go. Required.
	Target target.Target
	// StateDir is the state folder (see WorkspaceDir etc.). Required.
	StateDir string
	// Progress records the learner's progress; nil loads it from StateDir.
	Progress *progress.Progress
	// CheckTimeout limits each check (check.DefaultTimeout when zero).
	CheckTimeout time.Duration
	// Width is the console's table width (default 80).
	Width int
	// SkipProgress leaves progress to the caller (the TUI records it
	// itself): the session reads Progress but never changes or saves it.
	SkipProgress bool
	// DeferSave records progress in memory only; the caller saves it
	// (seclab check saves once at the end instead of after every step).
	DeferSave bool
	// Ledger, if set, records every create before it is made (real
	// accounts and endpoints treated as one).
	Ledger *ledger.Ledger
	// ReadOnly makes the console refuse every call that may change state.
	ReadOnly bool
}

// Session is a running lesson. Its methods are safe for concurrent use.
type Session struct {
	opts     Options
	lesson   *lessons.Lesson
	progress *progress.Progress
	console  *console.Console
	ws       string
	dir      string

	mu       sync.Mutex
	rt       runtime
	creds    map[string]personaCreds
	account  string
	current  int
	trailLog *trailLog
	// marks are the trail positions at which steps started in this
	// process; steps started earlier fall back to their start time.
	marks map[string]int64

	updates updates
	watch   watcher
	real    realAccount

	closeOnce sync.Once
}

// Open prepares a lesson: the workspace (starter files copied once, never
// over the learner's edits), the personas (created on the target when
// missing), the variables, and the console. It does not run any step's
// setup; StartStep does.
func Open(ctx context.Context, opts Options) (*Session, error) {
	if opts.Lesson == nil || opts.StateDir == "" {
		return nil, errors.New("open session: a lesson and a state folder are required")
	}
	l := opts.Lesson
	s := &Session{
		opts: opts, lesson: l,
		ws:    WorkspaceDir(opts.StateDir, l.ID),
		dir:   LessonDir(opts.StateDir, l.ID),
		creds: map[string]personaCreds{},
		marks: map[string]int64{},
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return nil, fmt.Errorf("open session: %w", err)
	}
	if err := s.loadState(); err != nil {
		return nil, fmt.Errorf("open session for lesson %s: %w", l.ID, err)
	}
	s.progress = opts.Progress
	if s.progress == nil {
		p, err := progress.Load(opts.StateDir)
		if err != nil {
			return nil, err
		}
		s.progress = p
	}
	if err := s.copyStarterFiles(); err != nil {
		return nil, err
	}
	s.current = s.progress.Resume(l)
	if s.current >= len(l.Steps) && len(l.Steps) > 0 {
		s.current = len(l.Steps) - 1
	}
	if tr := opts.Target.Trail; tr != nil {
		s.trailLog = startTrailLog(tr, s.onTrailEvent)
	}
	personas := make([]string, len(l.Personas))
	for i, p := range l.Personas {
		personas[i] = p.Name
	}
	s.console = console.New(console.Options{
		Configs: console.ConfigsFunc(s.Config), Personas: personas, Workspace: s.ws,
		HistoryFile: HistoryFile(opts.StateDir), Width: opts.Width, Endpoint: opts.Target.Endpoint,
		OnCall: s.onConsoleCall, Intercept: s.intercept,
	})
	if err := s.identify(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.provisionPersonas(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close stops watch mode and the trail feed. It is idempotent.
func (s *Session) Close() error {
	s.closeOnce.Do(func() {
		s.watch.stop()
		if s.trailLog != nil {
			s.trailLog.close()
		}
		s.updates.closeAll()
	})
	return nil
}

func (s *Session) loadState() error {
	s.rt = runtime{}
	if err := readJSONFile(filepath.Join(s.dir, "runtime.json"), &s.rt); err != nil {
		return err
	}
	if s.rt.Vars == nil {
		s.rt.Vars = map[string]string{}
	}
	if s.rt.SetupDone == nil {
		s.rt.SetupDone = map[string]bool{}
	}
	if s.rt.StepStarted == nil {
		s.rt.StepStarted = map[string]time.Time{}
	}
	if s.rt.RunID == "" {
		b := make([]byte, 3)
		if _, err := rand.Read(b); err != nil {
			return err
		}
		s.rt.RunID = hex.EncodeToString(b)
	}
	return readJSONFile(filepath.Join(s.dir, "personas.json"), &s.creds)
}

// saveState persists the runtime state; s.mu must be held.
func (s *Session) saveState() error {
	return writeJSONFile(filepath.Join(s.dir, "runtime.json"), s.rt)
}

// identify learns the learner's account from the target.
func (s *Session) identify(ctx context.Context) error {
	out, err := sts.NewFromConfig(s.opts.Target.Learner).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return fmt.Errorf("reach the %s target: %w", s.opts.Target.Kind, err)
	}
	s.mu.Lock()
	s.account = aws.ToString(out.Account)
	s.mu.Unlock()
	return nil
}

// Lesson is the session's lesson.
func (s *Session) Lesson() *lessons.Lesson { return s.lesson }

// Console is the session's console.
func (s *Session) Console() *console.Console { return s.console }

// Progress is the progress the session records into.
func (s *Session) Progress() *progress.Progress { return s.progress }

// Workspace is the lesson's workspace folder.
func (s *Session) Workspace() string { return s.ws }

// Target is the session's target.
func (s *Session) Target() target.Target { return s.opts.Target }

// ResolvePath maps a workspace-relative path (what `edit FILE` and
// file://FILE name) to a file path.
func (s *Session) ResolvePath(p string) string { return s.console.ResolvePath(p) }

// Exec runs a console line as the current persona; see console.Exec.
// Watch mode re-checks the step after AWS calls.
func (s *Session) Exec(ctx context.Context, line string) (string, error) {
	out, err := s.console.Exec(ctx, line)
	return s.takeTagNotice() + out, err
}

// Config is the SDK configuration for a persona.
func (s *Session) Config(ctx context.Context, persona string) (aws.Config, error) {
	if persona == "" || persona == console.Learner {
		return s.opts.Target.Learner, nil
	}
	if s.opts.Target.Kind == target.AWS {
		return s.roleConfig(ctx, persona)
	}
	s.mu.Lock()
	c, ok := s.creds[persona]
	s.mu.Unlock()
	if !ok || s.opts.Target.WithCredentials == nil {
		return aws.Config{}, fmt.Errorf("persona %q is not set up in this lesson", persona)
	}
	return s.opts.Target.WithCredentials(aws.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, Source: "seclab persona " + persona}), nil
}

// Vars returns the template variables: run, account, region,
// persona.NAME.arn and the saved ones.
func (s *Session) Vars() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := make(map[string]string, len(s.rt.Vars)+3+len(s.creds))
	for k, x := range s.rt.Vars {
		v[k] = x
	}
	v["run"] = "seclab"
	if s.opts.Target.Kind == target.AWS {
		v["run"] = "seclab-" + s.rt.RunID
	}
	v["account"] = s.account
	v["region"] = s.opts.Target.Learner.Region
	for name, c := range s.creds {
		v["persona."+name+".arn"] = c.ARN
	}
	return v
}

// Expand replaces {{VAR}} templates; an unknown variable is an error.
func (s *Session) Expand(str string) (string, error) {
	out, missing := lessons.Expand(str, s.Vars())
	if len(missing) > 0 {
		return out, fmt.Errorf("unknown template variable {{%s}}: no earlier step saved it", strings.Join(missing, "}}, {{"))
	}
	return out, nil
}

// Run runs an `aws …` line as persona ("" for the console's persona).
func (s *Session) Run(ctx context.Context, persona, line string) console.Result {
	words, err := console.Split(line)
	if err != nil {
		return console.Result{Persona: persona, Err: &console.Error{Status: console.ExitUsage, Message: err.Error()}}
	}
	r := s.console.Run(ctx, persona, words)
	return r
}

// ReadFile reads a workspace file; the name may not leave the workspace.
func (s *Session) ReadFile(name string) ([]byte, error) {
	p, err := s.workspacePath(name)
	if err != nil {
		return nil, err
	}
	return os.ReadFile(p)
}

// Trail returns the trail events since the current step started.
func (s *Session) Trail(ctx context.Context) ([]target.Event, bool, error) {
	if s.trailLog == nil {
		return nil, false, nil
	}
	s.mu.Lock()
	var since time.Time
	mark, marked := int64(0), false
	if st := s.currentStepLocked(); st != nil {
		since = s.rt.StepStarted[st.ID]
		mark, marked = s.marks[st.ID]
	}
	s.mu.Unlock()
	if marked {
		return s.asPersonas(s.trailLog.from(ctx, mark)), true, nil
	}
	return s.asPersonas(s.trailLog.since(ctx, since)), true, nil
}

var _ check.Env = (*Session)(nil)

func (s *Session) currentStepLocked() *lessons.Step {
	if s.current < 0 || s.current >= len(s.lesson.Steps) {
		return nil
	}
	return &s.lesson.Steps[s.current]
}

func (s *Session) workspacePath(name string) (string, error) {
	clean := filepath.Clean(filepath.FromSlash(name))
	if filepath.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s: %w (workspace files only)", name, fs.ErrPermission)
	}
	return filepath.Join(s.ws, clean), nil
}
