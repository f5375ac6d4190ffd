package cloudformation

import (
	"encoding/json"
	"slices"
	"strings"
)

// runCreate creates every resource in dependency order; on failure it rolls
// back (or stops, with rollback disabled) as CloudFormation does.
func (d *deployment) runCreate() error {
	if err := d.stackEvent(statusCreateInProgress, "User Initiated"); err != nil {
		return err
	}
	order, err := d.tmpl.Order(d.ctx.Conditions)
	if err != nil {
		return d.failCreate(nil, failure(err))
	}
	for _, id := range order {
		if err := d.createResource(id); err != nil {
			return d.failCreate([]string{id}, "")
		}
	}
	outs, err := d.outputs()
	if err != nil {
		return d.failCreate(nil, failure(err))
	}
	d.st.Outputs, d.st.Imports = outs, d.imports
	return d.stackEvent(statusCreateComplete, "")
}

func failedReason(verb string, ids []string) string {
	return "The following resource(s) failed to " + verb + ": [" + strings.Join(ids, ", ") + "]. "
}

func (d *deployment) failCreate(failed []string, reason string) error {
	if reason == "" {
		reason = failedReason("create", failed)
	}
	if d.st.DisableRollback || d.st.OnFailure == "DO_NOTHING" {
		return d.stackEvent(statusCreateFailed, reason)
	}
	if len(failed) > 0 {
		reason += "Rollback requested by user."
	}
	if err := d.stackEvent(statusRollbackInProgress, reason); err != nil {
		return err
	}
	var stuck []string
	for _, id := range slices.Backward(d.st.Order) {
		if d.deleteResource(id, true) {
			stuck = append(stuck, id)
		}
	}
	if len(stuck) > 0 {
		return d.stackEvent(statusRollbackFailed, failedReason("delete", stuck))
	}
	d.st.Outputs = nil
	if err := d.stackEvent(statusRollbackComplete, ""); err != nil {
		return err
	}
	if d.st.OnFailure == "DELETE" {
		return d.runDelete(nil)
	}
	return nil
}

// runDelete deletes the stack's resources in reverse creation order,
// keeping those in retain and those with DeletionPolicy Retain.
func (d *deployment) runDelete(retain []string) error {
	if err := d.stackEvent(statusDeleteInProgress, "User Initiated"); err != nil {
		return err
	}
	var stuck []string
	for _, id := range slices.Backward(d.st.Order) {
		if slices.Contains(retain, id) {
			if res := d.st.Resources[id]; res != nil && res.Status != statusDeleteComplete {
				_ = d.resEvent(id, statusDeleteSkipped, "")
			}
			continue
		}
		if d.deleteResource(id, false) {
			stuck = append(stuck, id)
		}
	}
	if len(stuck) > 0 {
		return d.stackEvent(statusDeleteFailed, failedReason("delete", stuck))
	}
	d.st.Outputs = nil
	d.st.Imports = nil
	return d.stackEvent(statusDeleteComplete, "")
}

// snapshot is the stack state an update rolls back to.
type snapshot struct {
	TemplateBody string
	Params       []stackParam
	Capabilities []string
	Tags         []tag
	Outputs      []stackOutput
	Order        []string
	Resources    map[string]*resource
	Sealed       sealedState
	Imports      []string
}

func (d *deployment) takeSnapshot() (*snapshot, error) {
	sn := snapshot{TemplateBody: d.st.TemplateBody, Params: d.st.Params, Capabilities: d.st.Capabilities,
		Tags: d.st.Tags, Outputs: d.st.Outputs, Order: d.st.Order, Resources: d.st.Resources,
		Sealed: d.st.sealed, Imports: d.st.Imports}
	b, err := json.Marshal(sn)
	if err != nil {
		return nil, err
	}
	var cp snapshot
	if err := json.Unmarshal(b, &cp); err != nil {
		return nil, err
	}
	cp.Sealed.init()
	return &cp, nil
}

// touched records what an update did to one resource, to undo it.
type touched struct {
	id      string
	created bool // a new logical resource
	// replaced: the old physical resource, kept until cleanup.
	replaced bool
	updated  bool // changed in place
	oldRes   resource
	oldProps map[string]any
	oldRef   string
	oldAttrs map[string]any
	oldExtra map[string]string
}

// runUpdate applies the new template: creates added resources, updates or
// replaces changed ones, then deletes removed and replaced ones during
// cleanup. On failure it rolls back to old.
func (d *deployment) runUpdate(old *snapshot) error {
	if err := d.stackEvent(statusUpdateInProgress, "User Initiated"); err != nil {
		return err
	}
	order, err := d.tmpl.Order(d.ctx.Conditions)
	if err != nil {
		return d.failUpdate(old, nil, nil, failure(err))
	}
	var done []touched
	for _, id := range order {
		prev := d.st.Resources[id]
		if prev == nil || prev.Status == statusDeleteComplete || prev.PhysicalID == "" {
			done = append(done, touched{id: id, created: true})
			if err := d.createResource(id); err != nil {
				return d.failUpdate(old, done, []string{id}, "")
			}
			continue
		}
		t, changed, err := d.updateResource(id)
		if !changed {
			continue
		}
		done = append(done, t)
		if err != nil {
			return d.failUpdate(old, done, []string{id}, "")
		}
	}
	outs, err := d.outputs()
	if err != nil {
		return d.failUpdate(old, done, nil, failure(err))
	}
	d.st.Outputs, d.st.Imports = outs, d.imports
	if err := d.stackEvent(statusUpdateCleanup, ""); err != nil {
		return err
	}
	// Cleanup: replaced physical resources, then resources no longer in
	// the template, newest first.
	for _, t := range slices.Backward(done) {
		if t.replaced {
			d.deleteOld(t)
		}
	}
	for _, id := range slices.Backward(old.Order) {
		if !slices.Contains(order, id) {
			d.deleteResource(id, false)
		}
	}
	d.st.Order = slices.DeleteFunc(d.st.Order, func(id string) bool {
		res := d.st.Resources[id]
		return res == nil || res.Status == statusDeleteComplete
	})
	return d.stackEvent(statusUpdateComplete, "")
}

// updateResource updates one existing resource if its properties changed:
// in place when the type supports it, else by creating a replacement.
func (d *deployment) updateResource(id string) (touched, bool, error) {
	def := d.tmpl.Resources[id]
	res := d.st.Resources[id]
	v, err := d.ctx.Resolve(def.Properties)
	t := touched{id: id, oldRes: *res, oldProps: d.st.sealed.Props[id], oldRef: d.st.sealed.Ref[id],
		oldAttrs: d.st.sealed.Attrs[id], oldExtra: d.st.sealed.Extra[id]}
	res.DeletionPolicy, res.UpdateReplacePolicy = def.DeletionPolicy, def.UpdateReplacePolicy
	if err != nil {
		_ = d.resEvent(id, statusUpdateInProgress, "")
		_ = d.resEvent(id, statusUpdateFailed, failure(err))
		return t, true, err
	}
	props, _ := v.(map[string]any)
	if props == nil {
		props = map[string]any{}
	}
	if sameProps(props, t.oldProps) {
		return t, false, nil
	}
	p := providers[def.Type]
	if err := d.resEvent(id, statusUpdateInProgress, ""); err != nil {
		return t, true, err
	}
	if err := d.checkProperties(id, def.Type, props); err != nil {
		_ = d.resEvent(id, statusUpdateFailed, failure(err))
		return t, true, err
	}
	if p.update != nil && !p.needsReplacement(t.oldProps, props) {
		t.updated = true
		if err := p.update(d, id, t.oldProps, props); err != nil {
			_ = d.resEvent(id, statusUpdateFailed, failure(err))
			return t, true, err
		}
		d.st.sealed.Props[id] = normalize(props)
		return t, true, d.resEvent(id, statusUpdateComplete, "")
	}
	t.replaced = true
	if err := d.resEvent(id, statusUpdateInProgress, "Requested update requires the creation of a new physical resource; hence creating one."); err != nil {
		return t, true, err
	}
	delete(d.st.sealed.Extra, id)
	if err := p.create(d, id, props); err != nil {
		res.PhysicalID = t.oldRes.PhysicalID
		_ = d.resEvent(id, statusUpdateFailed, failure(err))
		return t, true, err
	}
	d.st.sealed.Props[id] = normalize(props)
	if err := d.resEvent(id, statusUpdateInProgress, "Resource creation Initiated"); err != nil {
		return t, true, err
	}
	return t, true, d.resEvent(id, statusUpdateComplete, "")
}

// deleteOld deletes the physical resource a replacement superseded.
func (d *deployment) deleteOld(t touched) {
	cur := d.saveCurrent(t.id)
	d.st.Resources[t.id].PhysicalID = t.oldRes.PhysicalID
	d.st.sealed.Ref[t.id], d.st.sealed.Attrs[t.id], d.st.sealed.Extra[t.id] = t.oldRef, t.oldAttrs, t.oldExtra
	d.st.sealed.Props[t.id] = t.oldProps
	if pol := d.st.Resources[t.id].UpdateReplacePolicy; pol != "Retain" && pol != "Snapshot" {
		_ = d.resEvent(t.id, statusDeleteInProgress, "")
		if err := providers[t.oldRes.Type].del(d, t.id); err != nil && !isNotFound(err) {
			_ = d.resEvent(t.id, statusDeleteFailed, failure(err))
		} else {
			_ = d.resEvent(t.id, statusDeleteComplete, "")
		}
	} else {
		_ = d.resEvent(t.id, statusDeleteSkipped, "")
	}
	d.restoreCurrent(t.id, cur)
	d.st.Resources[t.id].Status = statusUpdateComplete
}

type current struct {
	physical string
	ref      string
	attrs    map[string]any
	extra    map[string]string
	props    map[string]any
}

func (d *deployment) saveCurrent(id string) current {
	return current{physical: d.st.Resources[id].PhysicalID, ref: d.st.sealed.Ref[id],
		attrs: d.st.sealed.Attrs[id], extra: d.st.sealed.Extra[id], props: d.st.sealed.Props[id]}
}

func (d *deployment) restoreCurrent(id string, c current) {
	d.st.Resources[id].PhysicalID = c.physical
	d.st.sealed.Ref[id], d.st.sealed.Attrs[id], d.st.sealed.Extra[id] = c.ref, c.attrs, c.extra
	d.st.sealed.Props[id] = c.props
}

// failUpdate undoes what the update did, newest first, and restores the
// previous template, parameters and outputs.
func (d *deployment) failUpdate(old *snapshot, done []touched, failed []string, reason string) error {
	if reason == "" {
		verb := "update"
		if len(done) > 0 && done[len(done)-1].created {
			verb = "create"
		}
		reason = failedReason(verb, failed)
	}
	if d.st.DisableRollback {
		return d.stackEvent(statusUpdateFailed, reason)
	}
	if err := d.stackEvent(statusUpdateRollbackInProgress, reason); err != nil {
		return err
	}
	// First put changed resources back as they were; then, in the cleanup
	// phase, delete what the update created (new resources and
	// replacements), newest first, as CloudFormation orders it.
	for _, t := range slices.Backward(done) {
		if !t.updated {
			continue
		}
		_ = d.resEvent(t.id, statusUpdateInProgress, "")
		if err := providers[t.oldRes.Type].update(d, t.id, d.st.sealed.Props[t.id], t.oldProps); err != nil {
			_ = d.resEvent(t.id, statusUpdateFailed, failure(err))
			return d.stackEvent(statusUpdateRollbackFailed, failedReason("update", []string{t.id}))
		}
		d.st.sealed.Props[t.id] = t.oldProps
		_ = d.resEvent(t.id, statusUpdateComplete, "")
	}
	if err := d.stackEvent(statusUpdateRollbackCleanup, ""); err != nil {
		return err
	}
	for _, t := range slices.Backward(done) {
		switch {
		case t.created:
			d.deleteResource(t.id, true)
		case t.replaced && d.st.Resources[t.id].PhysicalID != t.oldRes.PhysicalID:
			// The replacement goes; the old resource stays.
			_ = d.resEvent(t.id, statusDeleteInProgress, "")
			if err := providers[t.oldRes.Type].del(d, t.id); err != nil && !isNotFound(err) {
				_ = d.resEvent(t.id, statusDeleteFailed, failure(err))
			} else {
				_ = d.resEvent(t.id, statusDeleteComplete, "")
			}
		}
	}
	events := d.st.Events
	d.st.TemplateBody, d.st.Params, d.st.Capabilities, d.st.Tags = old.TemplateBody, old.Params, old.Capabilities, old.Tags
	d.st.Outputs, d.st.Order, d.st.Imports = old.Outputs, old.Order, old.Imports
	d.st.sealed = old.Sealed
	for _, t := range done {
		if res := old.Resources[t.id]; res != nil && !t.created {
			res.Status = statusUpdateComplete
		}
	}
	d.st.Resources = old.Resources
	d.st.Events = events
	return d.stackEvent(statusUpdateRollbackComplete, "")
}
