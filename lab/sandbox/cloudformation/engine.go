package cloudformation

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/seclab-dev/seclab/lab/sandbox/cloudformation/template"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// deployment is one stack operation in progress: the caller's request (every
// resource call is made as that caller), the stack, and the template and
// parameter values being applied.
type deployment struct {
	s      *Service
	r      *svc.Request
	st     *stack
	tmpl   *template.Template
	params map[string]template.Value
	ctx    *template.Context
	token  string
	// rawParams are the parameter values as given, for the stack record.
	rawParams map[string]string
	// imports are the exports the template imports.
	imports []string
	// pending makes Ref/GetAtt of resources without a physical ID resolve
	// to placeholders (change set planning) instead of failing.
	pending bool
}

const stackType = "AWS::CloudFormation::Stack"

// Ref implements template.Lookup over the stack's resources.
func (d *deployment) Ref(id string) (string, bool) {
	if v, ok := d.st.sealed.Ref[id]; ok {
		return v, true
	}
	if d.pending {
		return "{{pending:" + id + "}}", true
	}
	return "", false
}

// Attr implements template.Lookup.
func (d *deployment) Attr(id, attr string) (any, error) {
	if v, ok := d.st.sealed.Attrs[id][attr]; ok {
		return v, nil
	}
	res := d.tmpl.Resources[id]
	if res != nil && !slices.Contains(providers[res.Type].attrs, attr) {
		return nil, template.Errorf("Template error: resource %s does not support attribute type %s in Fn::GetAtt", id, attr)
	}
	if d.pending {
		return "{{pending:" + id + "." + attr + "}}", nil
	}
	return nil, template.Errorf("Template format error: Unresolved resource dependencies [%s] in the Resources block of the template", id)
}

// bind prepares d.ctx from d.tmpl and d.params.
func (d *deployment) bind() error {
	ctx, err := template.NewContext(d.tmpl, d.params, template.Pseudo{
		AccountID: d.r.Caller.Account, Region: d.r.Region, StackName: d.st.Name, StackID: d.st.ID,
		Partition: "aws", URLSuffix: "amazonaws.com",
	})
	if err != nil {
		return err
	}
	ctx.Resources = d
	ctx.Imports = func(name string) (string, bool) {
		v, ok := d.s.lookupExport(name)
		if ok && !slices.Contains(d.imports, name) {
			d.imports = append(d.imports, name)
		}
		return v, ok
	}
	d.ctx = ctx
	return nil
}

// event appends a stack event. Events that end a step (a status other
// than *_IN_PROGRESS, or any stack status) save the stack; in-progress
// events are saved with the step's outcome, which halves the store's
// durable writes without losing a physical resource ID.
func (d *deployment) event(logicalID, physicalID, typ, status, reason string) error {
	d.st.Events = append(d.st.Events, event{
		EventID: d.s.uuid(), LogicalResourceID: logicalID, PhysicalResourceID: physicalID,
		ResourceType: typ, Timestamp: d.s.env.Clock.Now(), Status: status, StatusReason: reason,
		ClientRequestToken: d.token,
	})
	if typ != stackType && strings.HasSuffix(status, "_IN_PROGRESS") {
		return nil
	}
	return d.s.persist(d.st)
}

// stackEvent moves the stack to status and records it.
func (d *deployment) stackEvent(status, reason string) error {
	d.st.Status, d.st.StatusReason = status, reason
	now := d.s.env.Clock.Now()
	if strings.HasPrefix(status, "UPDATE_") || strings.HasPrefix(status, "ROLLBACK_") {
		d.st.Updated = now
	}
	if status == statusDeleteComplete {
		d.st.Deleted = now
	}
	return d.event(d.st.Name, d.st.ID, stackType, status, reason)
}

// resEvent moves a resource to status and records it.
func (d *deployment) resEvent(id, status, reason string) error {
	res := d.st.Resources[id]
	res.Status, res.StatusReason, res.Updated = status, reason, d.s.env.Clock.Now()
	return d.event(id, res.PhysicalID, res.Type, status, reason)
}

// failure is why a resource operation failed, worded for its event.
func failure(err error) string {
	var te *template.Error
	if errors.As(err, &te) {
		return te.Message
	}
	var he *handlerError
	if errors.As(err, &he) {
		return he.reason
	}
	var ae *svc.Error
	if errors.As(err, &ae) {
		return ae.Message
	}
	return "Internal Failure"
}

// createResource creates one resource, recording its events. It returns
// a non-nil error when the resource failed (already recorded).
func (d *deployment) createResource(id string) error {
	def := d.tmpl.Resources[id]
	res := &resource{LogicalID: id, Type: def.Type, DeletionPolicy: def.DeletionPolicy, UpdateReplacePolicy: def.UpdateReplacePolicy}
	d.st.Resources[id] = res
	if !slices.Contains(d.st.Order, id) {
		d.st.Order = append(d.st.Order, id)
	}
	if err := d.resEvent(id, statusCreateInProgress, ""); err != nil {
		return err
	}
	err := d.doCreate(id, def)
	if err != nil {
		if e := d.resEvent(id, statusCreateFailed, failure(err)); e != nil {
			return e
		}
		return err
	}
	if err := d.resEvent(id, statusCreateInProgress, "Resource creation Initiated"); err != nil {
		return err
	}
	return d.resEvent(id, statusCreateComplete, providers[def.Type].note)
}

func (d *deployment) doCreate(id string, def *template.Resource) error {
	p, ok := providers[def.Type]
	if !ok {
		return &handlerError{reason: fmt.Sprintf("Resource type %s is not supported by the seclab sandbox, which emulates only KMS, Secrets Manager, IAM and (recorded, not run) Lambda functions", def.Type)}
	}
	v, err := d.ctx.Resolve(def.Properties)
	if err != nil {
		return err
	}
	props, _ := v.(map[string]any)
	if props == nil {
		props = map[string]any{}
	}
	if err := d.checkProperties(id, def.Type, props); err != nil {
		return err
	}
	// Record the properties first: if create fails halfway (a role made,
	// one of its policies refused), rollback must know what to undo.
	d.st.sealed.Props[id] = normalize(props)
	return p.create(d, id, props)
}

// checkProperties validates props against the type's schema the way
// CloudFormation does before calling a handler: required keys present, no
// keys the type does not have.
func (d *deployment) checkProperties(id, typ string, props map[string]any) error {
	p := providers[typ]
	var problems []string
	for _, k := range p.required {
		if _, ok := props[k]; !ok {
			problems = append(problems, "#: required key ["+k+"] not found")
		}
	}
	for _, k := range template.Keys(props) {
		if !slices.Contains(p.props, k) {
			problems = append(problems, "#: extraneous key ["+k+"] is not permitted")
		}
	}
	if len(problems) > 0 {
		return &handlerError{reason: "Properties validation failed for resource " + id + " with message: [" + strings.Join(problems, ", ") + "]"}
	}
	return nil
}

// deleteResource deletes one resource (or skips it under DeletionPolicy
// Retain), recording its events; it reports whether deletion failed.
func (d *deployment) deleteResource(id string, rollback bool) bool {
	res := d.st.Resources[id]
	if res == nil || res.Status == statusDeleteComplete || res.Status == statusDeleteSkipped {
		return false
	}
	retain := res.DeletionPolicy == "Retain" || res.DeletionPolicy == "Snapshot" ||
		res.DeletionPolicy == "RetainExceptOnCreate" && !rollback
	if retain && res.PhysicalID != "" {
		_ = d.resEvent(id, statusDeleteSkipped, "")
		return false
	}
	_ = d.resEvent(id, statusDeleteInProgress, "")
	if res.PhysicalID != "" {
		if p, ok := providers[res.Type]; ok {
			if err := p.del(d, id); err != nil && !isNotFound(err) {
				_ = d.resEvent(id, statusDeleteFailed, failure(err))
				return true
			}
		}
	}
	d.forget(id)
	_ = d.resEvent(id, statusDeleteComplete, "")
	return false
}

func (d *deployment) forget(id string) {
	delete(d.st.sealed.Props, id)
	delete(d.st.sealed.Ref, id)
	delete(d.st.sealed.Attrs, id)
	delete(d.st.sealed.Extra, id)
}

// outputs resolves the template's Outputs and checks export names.
func (d *deployment) outputs() ([]stackOutput, error) {
	var out []stackOutput
	for _, name := range d.tmpl.OutputNames() {
		o := d.tmpl.Outputs[name]
		if o.Condition != "" && !d.ctx.Conditions[o.Condition] {
			continue
		}
		v, err := d.ctx.Resolve(o.Value)
		if err != nil {
			return nil, err
		}
		so := stackOutput{Key: name, Value: outputText(v)}
		if o.Description != nil {
			so.Description, _ = template.String(o.Description)
		}
		if o.Export != nil {
			e, err := d.ctx.Resolve(o.Export)
			if err != nil {
				return nil, err
			}
			so.ExportName = outputText(e)
			if owner, ok := d.s.exportOwner(so.ExportName); ok && owner != d.st.ID {
				return nil, template.Errorf("Export with name %s is already exported by stack %s", so.ExportName, stackNameOf(owner))
			}
		}
		out = append(out, so)
	}
	return out, nil
}

func outputText(v any) string {
	if l, ok := v.([]any); ok {
		parts := make([]string, 0, len(l))
		for _, x := range l {
			s, _ := template.String(x)
			parts = append(parts, s)
		}
		return strings.Join(parts, ",")
	}
	if s, ok := template.String(v); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// normalize gives resolved properties the shape they have after a JSON
// round trip, so stored and fresh properties compare equal.
func normalize(m map[string]any) map[string]any {
	b, err := json.Marshal(m)
	if err != nil {
		return m
	}
	var out map[string]any
	if json.Unmarshal(b, &out) != nil {
		return m
	}
	return out
}

func sameProps(a, b map[string]any) bool {
	ja, _ := json.Marshal(normalize(a))
	jb, _ := json.Marshal(normalize(b))
	return string(ja) == string(jb)
}

func stackNameOf(id string) string {
	parts := strings.Split(id, "/")
	if len(parts) >= 2 {
		return parts[1]
	}
	return id
}
