package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/seclab-dev/seclab/lab/check"
	"github.com/seclab-dev/seclab/lab/ledger"
	"github.com/seclab-dev/seclab/lab/progress"
	"github.com/seclab-dev/seclab/lab/sandbox"
	"github.com/seclab-dev/seclab/lab/sandbox/trailsource"
	"github.com/seclab-dev/seclab/lab/session"
	"github.com/seclab-dev/seclab/lab/target"
	"github.com/seclab-dev/seclab/lessons"
)

// This file is the glue between the lab runtime and where calls go: it
// starts the embedded sandbox for a lesson (or builds the endpoint / real
// account configuration) and opens a lab session on it.

// labEnv is a lesson's running lab: its sandbox (if any) and session.
type labEnv struct {
	sb      *sandbox.Server // nil unless the target is the sandbox
	pub     *publisher      // the sandbox's published endpoint, or nil
	ledger  *ledger.Ledger  // nil unless the target is a real account
	session *session.Session
}

// Close closes the session, then the sandbox.
func (e *labEnv) Close() error {
	var errs []error
	if e.session != nil {
		errs = append(errs, e.session.Close())
	}
	if e.ledger != nil {
		errs = append(errs, e.ledger.Close())
	}
	if e.pub != nil {
		e.pub.stop()
	}
	if e.sb != nil {
		errs = append(errs, e.sb.Close())
	}
	return errors.Join(errs...)
}

// targetKind maps --target to a target kind.
func targetKind(t string) (string, error) {
	switch {
	case t == "" || t == target.Sandbox:
		return target.Sandbox, nil
	case t == target.AWS:
		return target.AWS, nil
	case strings.HasPrefix(t, "http://") || strings.HasPrefix(t, "https://"):
		return target.Endpoint, nil
	}
	return "", fmt.Errorf("--target %q: use sandbox, aws, or an endpoint URL such as http://localhost:4566", t)
}

// supports reports whether lesson l can run on a target kind.
func supports(l *lessons.Lesson, kind string) bool {
	for _, t := range l.Targets {
		if t == kind {
			return true
		}
	}
	return false
}

// openLab starts the target for lesson l and opens a session on it; the
// session records progress into prog.
func openLab(ctx context.Context, g *globals, l *lessons.Lesson, stateDir string, prog *progress.Progress) (*labEnv, error) {
	return openLabWith(ctx, g, l, stateDir, prog, recordProgress)
}

// progressMode says how a session treats progress.
type progressMode int

const (
	recordProgress progressMode = iota // record and save after each check
	deferProgress                      // record; the caller saves
	skipProgress                       // the caller records (the TUI)
)

// openLabWith is openLab with a progress mode.
func openLabWith(ctx context.Context, g *globals, l *lessons.Lesson, stateDir string, prog *progress.Progress, mode progressMode) (*labEnv, error) {
	kind, err := targetKind(g.Target)
	if err != nil {
		return nil, err
	}
	if g.isRealTarget() {
		kind = target.AWS // an endpoint --as-aws runs what runs on AWS
	}
	if !supports(l, kind) {
		return nil, fmt.Errorf("lesson %d (%s) does not run on the %s target; it supports %s", l.Number, l.ID, kind, strings.Join(l.Targets, ", "))
	}
	env := &labEnv{}
	var t target.Target
	switch kind {
	case target.Sandbox:
		opts := []sandbox.Option{sandbox.WithStateDir(session.SandboxDir(stateDir, l.ID))}
		if g.Region != "" {
			opts = append(opts, sandbox.WithRegion(g.Region))
		}
		if err := os.MkdirAll(session.SandboxDir(stateDir, l.ID), 0o700); err != nil {
			return nil, fmt.Errorf("create the sandbox state folder: %w", err)
		}
		sb := sandbox.New(opts...)
		if err := sb.Start(); err != nil {
			if strings.Contains(err.Error(), "another sandbox") {
				return nil, fmt.Errorf("start the sandbox of lesson %d: %w (is the lesson open in seclab in another terminal?)", l.Number, err)
			}
			return nil, fmt.Errorf("start the sandbox: %w", err)
		}
		env.sb = sb
		// Another terminal's `seclab sandbox env` finds the sandbox by
		// the files this publishes once the personas exist.
		if !g.NoPublish {
			env.pub = newPublisher(sb)
		}
		// Checks' calls carry a marker the sandbox records as the event's
		// Source, so the trail tells them from the learner's.
		t = target.Target{Kind: target.Sandbox, Endpoint: sb.URL, Learner: check.MarkCalls(sb.Config("learner")),
			WithCredentials: func(c aws.Credentials) aws.Config { return check.MarkCalls(sb.ConfigWith(c)) },
			Trail:           trailsource.New(sb)}
	case target.Endpoint:
		t, err = endpointTarget(ctx, g)
	case target.AWS:
		if t, err = realTarget(ctx, g, l); err == nil {
			// Every create on a real account is written here before the
			// call, so `seclab cleanup` can find it (DESIGN.md §6).
			env.ledger, err = ledger.Open(ledgerPath(g, stateDir))
		}
	}
	if err != nil {
		env.Close()
		return nil, err
	}
	s, err := session.Open(ctx, session.Options{Lesson: l, Target: t, StateDir: stateDir, Progress: prog,
		SkipProgress: mode == skipProgress, DeferSave: mode == deferProgress, Ledger: env.ledger,
		ReadOnly: g.Real.ReadOnly})
	if err != nil {
		env.Close()
		return nil, err
	}
	env.session = s
	if env.pub != nil {
		if err := env.pub.publish(); err != nil {
			env.Close()
			return nil, fmt.Errorf("publish the personas' profiles: %w", err)
		}
	}
	return env, nil
}

// endpointTarget is an AWS-compatible endpoint (LocalStack and the like):
// the profile's credentials when --profile is given, else LocalStack's
// conventional test credentials.
func endpointTarget(ctx context.Context, g *globals) (target.Target, error) {
	region := g.Region
	if region == "" {
		region = sandbox.DefaultRegion
	}
	var opts []func(*config.LoadOptions) error
	opts = append(opts, config.WithRegion(region))
	if g.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(g.Profile))
	} else {
		opts = append(opts, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("test", "test", "")))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return target.Target{}, fmt.Errorf("configure the endpoint %s: %w", g.Target, err)
	}
	cfg.BaseEndpoint = aws.String(g.Target)
	return target.Target{Kind: target.Endpoint, Endpoint: g.Target, Learner: cfg, WithCredentials: withCredentials(cfg)}, nil
}

func withCredentials(base aws.Config) func(aws.Credentials) aws.Config {
	return func(c aws.Credentials) aws.Config {
		cfg := base.Copy()
		cfg.Credentials = credentials.StaticCredentialsProvider{Value: c}
		return cfg
	}
}
