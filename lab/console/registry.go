package console

import (
	"context"
	"reflect"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// Service is one AWS service the console speaks, discovered by reflection
// over its aws-sdk-go-v2 client.
type Service struct {
	// Name is the CLI's service command ("secretsmanager").
	Name string
	// ID is the SDK's service ID, used in "operation error" texts ("KMS").
	ID         string
	newClient  func(aws.Config) any
	operations map[string]*Operation // by CLI name
	names      []string              // CLI names, sorted
}

// Operation is one API operation of a Service.
type Operation struct {
	Service *Service
	// Name is the API name ("GenerateDataKey").
	Name string
	// CLIName is the kebab-case command ("generate-data-key").
	CLIName string
	method  reflect.Method
	input   reflect.Type // the input struct type (not a pointer)
	params  map[string]*Param
	flags   []string // sorted flag names, without "--"
}

// Param is one input member of an Operation, as a CLI flag.
type Param struct {
	// Member is the API member name ("KeyId").
	Member string
	// Flag is the CLI flag without dashes ("key-id").
	Flag  string
	index []int
	typ   reflect.Type
}

// IsBool reports whether the flag takes no value (--flag / --no-flag).
func (p *Param) IsBool() bool { return deref(p.typ).Kind() == reflect.Bool }

// IsList reports whether the flag takes one or more words.
func (p *Param) IsList() bool {
	t := deref(p.typ)
	return t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

var (
	registryOnce sync.Once
	registry     map[string]*Service
	serviceNames []string
)

// services returns the console's services by CLI name. The set is fixed:
// the services the course teaches.
func services() map[string]*Service {
	registryOnce.Do(func() {
		registry = map[string]*Service{}
		add := func(name, id string, nc func(aws.Config) any, client any) {
			s := &Service{Name: name, ID: id, newClient: nc, operations: map[string]*Operation{}}
			discover(s, reflect.TypeOf(client))
			registry[name] = s
			serviceNames = append(serviceNames, name)
		}
		add("cloudformation", cloudformation.ServiceID, func(c aws.Config) any { return cloudformation.NewFromConfig(c) }, (*cloudformation.Client)(nil))
		add("iam", iam.ServiceID, func(c aws.Config) any { return iam.NewFromConfig(c) }, (*iam.Client)(nil))
		add("kms", kms.ServiceID, func(c aws.Config) any { return kms.NewFromConfig(c) }, (*kms.Client)(nil))
		add("secretsmanager", secretsmanager.ServiceID, func(c aws.Config) any { return secretsmanager.NewFromConfig(c) }, (*secretsmanager.Client)(nil))
		add("sts", sts.ServiceID, func(c aws.Config) any { return sts.NewFromConfig(c) }, (*sts.Client)(nil))
		sort.Strings(serviceNames)
	})
	return registry
}

// ServiceNames lists the services the console speaks, sorted.
func ServiceNames() []string {
	services()
	return append([]string(nil), serviceNames...)
}

// LookupService returns the service with the CLI name, or nil.
func LookupService(name string) *Service { return services()[name] }

// Operation returns the operation with the CLI name, or nil.
func (s *Service) Operation(cliName string) *Operation { return s.operations[cliName] }

// OperationNames lists the service's CLI operation names, sorted.
func (s *Service) OperationNames() []string { return append([]string(nil), s.names...) }

var (
	ctxType   = reflect.TypeOf((*context.Context)(nil)).Elem()
	errorType = reflect.TypeOf((*error)(nil)).Elem()
	timeType  = reflect.TypeOf(time.Time{})
)

// discover finds every method shaped like an API operation:
// func (c *Client) Op(ctx, *OpInput, ...func(*Options)) (*OpOutput, error).
func discover(s *Service, client reflect.Type) {
	for i := 0; i < client.NumMethod(); i++ {
		m := client.Method(i)
		t := m.Type // receiver first
		if t.NumIn() != 4 || !t.IsVariadic() || t.NumOut() != 2 || t.In(1) != ctxType || t.Out(1) != errorType {
			continue
		}
		in, out := t.In(2), t.Out(0)
		if in.Kind() != reflect.Pointer || in.Elem().Name() != m.Name+"Input" ||
			out.Kind() != reflect.Pointer || out.Elem().Name() != m.Name+"Output" {
			continue
		}
		op := &Operation{Service: s, Name: m.Name, CLIName: Kebab(m.Name), method: m, input: in.Elem(), params: map[string]*Param{}}
		for j := 0; j < op.input.NumField(); j++ {
			f := op.input.Field(j)
			if !f.IsExported() {
				continue
			}
			p := &Param{Member: f.Name, Flag: Kebab(f.Name), index: f.Index, typ: f.Type}
			op.params[p.Flag] = p
			op.flags = append(op.flags, p.Flag)
		}
		sort.Strings(op.flags)
		s.operations[op.CLIName] = op
		s.names = append(s.names, op.CLIName)
	}
	sort.Strings(s.names)
}

// Param returns the parameter for the flag name (without dashes), or nil.
func (o *Operation) Param(flag string) *Param { return o.params[strings.TrimPrefix(flag, "--")] }

// Flags lists the operation's flag names without dashes, sorted.
func (o *Operation) Flags() []string { return append([]string(nil), o.flags...) }

// paramByMember finds a parameter by its API member name.
func (o *Operation) paramByMember(member string) *Param {
	return o.params[Kebab(member)]
}
