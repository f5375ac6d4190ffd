package session

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/seclab-dev/seclab/lab/check"
	"github.com/seclab-dev/seclab/lab/console"
	"github.com/seclab-dev/seclab/lab/ledger"
	"github.com/seclab-dev/seclab/lab/target"
)

// This file is what a session does on a real account (and on an endpoint
// treated as one): it records every create in the write-ahead ledger,
// adds seclab's tags to creates that accept tags, and in read-only mode
// refuses every call that may change state.

// Tag keys seclab puts on what it creates.
const (
	TagRun    = "seclab:run"
	TagLesson = "seclab:lesson"
)

// createOp describes a create the ledger records.
type createOp struct {
	typ string
	// name builds the resource name from the input's fields.
	name func(in reflect.Value) string
	// arn and id are paths into the output tree.
	arn, id []string
}

func field(names ...string) func(reflect.Value) string {
	return func(in reflect.Value) string {
		parts := make([]string, 0, len(names))
		for _, n := range names {
			parts = append(parts, stringField(in, n))
		}
		return strings.Join(parts, "/")
	}
}

// creates maps "service:Operation" to what it creates.
var creates = map[string]createOp{
	"kms:CreateKey":                  {typ: ledger.TypeKey, name: func(reflect.Value) string { return "" }, arn: []string{"KeyMetadata", "Arn"}, id: []string{"KeyMetadata", "KeyId"}},
	"kms:CreateAlias":                {typ: ledger.TypeAlias, name: field("AliasName")},
	"secretsmanager:CreateSecret":    {typ: ledger.TypeSecret, name: field("Name"), arn: []string{"ARN"}},
	"iam:CreateRole":                 {typ: ledger.TypeRole, name: field("RoleName"), arn: []string{"Role", "Arn"}},
	"iam:CreateUser":                 {typ: ledger.TypeUser, name: field("UserName"), arn: []string{"User", "Arn"}},
	"iam:CreatePolicy":               {typ: ledger.TypePolicy, name: field("PolicyName"), arn: []string{"Policy", "Arn"}},
	"iam:PutRolePolicy":              {typ: ledger.TypeRolePolicy, name: field("RoleName", "PolicyName")},
	"iam:PutUserPolicy":              {typ: ledger.TypeUserPolicy, name: field("UserName", "PolicyName")},
	"iam:CreateAccessKey":            {typ: ledger.TypeAccessKey, name: field("UserName"), id: []string{"AccessKey", "AccessKeyId"}},
	"iam:AttachRolePolicy":           {typ: ledger.TypeAttachedRole, name: field("RoleName", "PolicyArn")},
	"iam:AttachUserPolicy":           {typ: ledger.TypeAttachedUser, name: field("UserName", "PolicyArn")},
	"cloudformation:CreateStack":     {typ: "cloudformation:stack", name: field("StackName"), arn: []string{"StackId"}},
	"secretsmanager:ReplicateSecret": {typ: ledger.TypeSecret, name: field("SecretId")},
}

// IsCreate reports whether an action ("kms:CreateKey") creates something
// the ledger records.
func IsCreate(action string) bool { _, ok := creates[action]; return ok }

// realAccount is the per-session state of the hooks.
type realAccount struct {
	mu sync.Mutex
	// tagNotice is set when seclab added its tags to a command the
	// learner typed, until the console output has said so once.
	tagNotice, tagNoticeShown bool
}

// intercept is the console's Intercept hook.
func (s *Session) intercept(ctx context.Context, persona string, inv *console.Invocation) (func(any, error), error) {
	action := inv.Service.Name + ":" + inv.Op.Name
	if s.opts.ReadOnly && !check.IsReadOnlyAction(action) {
		return nil, &console.Error{Status: console.ExitFailure, Message: fmt.Sprintf(
			"read-only mode: seclab refuses %s %s because it may change state (restart without --readonly to make changes)",
			inv.Service.Name, inv.Op.CLIName)}
	}
	op, ok := creates[action]
	if !ok || s.opts.Ledger == nil {
		return nil, nil
	}
	in := reflect.ValueOf(inv.Input)
	if in.Kind() == reflect.Pointer {
		in = in.Elem()
	}
	if in.Kind() != reflect.Struct {
		return nil, nil
	}
	run, lesson := s.RunID(), s.lesson.ID
	if s.opts.Target.Kind == target.AWS && addTags(in, map[string]string{TagRun: run, TagLesson: lesson}) {
		s.real.mu.Lock()
		s.real.tagNotice = true
		s.real.mu.Unlock()
	}
	p, err := s.opts.Ledger.Intent(ledger.Record{Run: run, Lesson: lesson, Operation: action, Type: op.typ, Name: op.name(in),
		Params: map[string]string{"persona": persona}})
	if err != nil {
		return nil, &console.Error{Status: console.ExitFailure, Message: fmt.Sprintf("seclab did not make the call: %v", err)}
	}
	return func(data any, err error) {
		code := ""
		if err != nil {
			code = apiCode(err)
		}
		// A failed outcome write leaves the intent: cleanup still looks.
		_ = p.Done(treeString(data, op.arn), treeString(data, op.id), code)
	}, nil
}

// RunID is the run's ID, the random part of {{run}} on real accounts.
func (s *Session) RunID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rt.RunID
}

// takeTagNotice returns the one-time notice that seclab tagged what the
// learner created, or "".
func (s *Session) takeTagNotice() string {
	s.real.mu.Lock()
	defer s.real.mu.Unlock()
	if !s.real.tagNotice || s.real.tagNoticeShown {
		return ""
	}
	s.real.tagNoticeShown = true
	return fmt.Sprintf("seclab added the tags %s and %s to what you created, so `seclab cleanup` can find it (it does so for every create that accepts tags)\n", TagRun, TagLesson)
}

func apiCode(err error) string {
	var api interface{ ErrorCode() string }
	if code := console.ErrorCode(err); code != "" {
		return code
	}
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	return "Error"
}

// addTags adds tags to the input's Tags field (a slice of {Key, Value} or
// {TagKey, TagValue} structs) unless a tag with that key is there. It
// reports whether it added any.
func addTags(in reflect.Value, tags map[string]string) bool {
	f := in.FieldByName("Tags")
	if !f.IsValid() || f.Kind() != reflect.Slice || f.Type().Elem().Kind() != reflect.Struct {
		return false
	}
	et := f.Type().Elem()
	keyField, valField := "Key", "Value"
	if _, ok := et.FieldByName("TagKey"); ok {
		keyField, valField = "TagKey", "TagValue"
	}
	kf, ok1 := et.FieldByName(keyField)
	vf, ok2 := et.FieldByName(valField)
	strPtr := reflect.TypeOf((*string)(nil))
	if !ok1 || !ok2 || kf.Type != strPtr || vf.Type != strPtr {
		return false
	}
	have := map[string]bool{}
	for i := 0; i < f.Len(); i++ {
		if k := f.Index(i).FieldByName(keyField); !k.IsNil() {
			have[k.Elem().String()] = true
		}
	}
	added := false
	for _, k := range []string{TagRun, TagLesson} {
		v, ok := tags[k]
		if !ok || have[k] {
			continue
		}
		t := reflect.New(et).Elem()
		t.FieldByName(keyField).Set(reflect.ValueOf(aws.String(k)))
		t.FieldByName(valField).Set(reflect.ValueOf(aws.String(v)))
		f.Set(reflect.Append(f, t))
		added = true
	}
	return added
}

func stringField(in reflect.Value, name string) string {
	f := in.FieldByName(name)
	if f.IsValid() && f.Kind() == reflect.Pointer && !f.IsNil() && f.Elem().Kind() == reflect.String {
		return f.Elem().String()
	}
	return ""
}

// treeString follows path through the console's output tree.
func treeString(data any, path []string) string {
	if len(path) == 0 {
		return ""
	}
	for _, p := range path {
		m, ok := data.(map[string]any)
		if !ok {
			return ""
		}
		data = m[p]
	}
	s, _ := data.(string)
	return s
}

// RetryFailuresFor is how long a failing check is retried: about ten
// seconds on real AWS, whose IAM is eventually consistent; zero elsewhere
// (the sandbox and endpoints answer consistently, and the self-test's
// checks that must fail would only wait).
func (s *Session) RetryFailuresFor() time.Duration {
	if s.opts.Target.Kind == target.AWS && s.opts.Target.Endpoint == "" {
		return 10 * time.Second
	}
	return 0
}

var _ check.Retrier = (*Session)(nil)
