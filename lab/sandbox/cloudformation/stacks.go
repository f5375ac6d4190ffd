package cloudformation

import (
	"maps"
	"slices"

	"github.com/seclab-dev/seclab/lab/sandbox/cloudformation/template"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// CreateStack, UpdateStack and DeleteStack.

func (s *Service) createStack(r *svc.Request) (any, error) {
	name := r.Params.Get("StackName")
	if err := checkStackName(name); err != nil {
		return nil, err
	}
	if err := s.authorize(r, "CreateStack", s.stackARN(r, name, "*")); err != nil {
		return nil, err
	}
	onFailure := r.Params.Get("OnFailure")
	if onFailure != "" && r.Params.Has("DisableRollback") {
		return nil, validationError("You cannot specify both DisableRollback and OnFailure.")
	}
	if onFailure != "" && !slices.Contains([]string{"DO_NOTHING", "ROLLBACK", "DELETE"}, onFailure) {
		return nil, validationError("1 validation error detected: Value '%s' at 'onFailure' failed to satisfy constraint: Member must satisfy enum value set: [DO_NOTHING, ROLLBACK, DELETE]", onFailure)
	}
	body, err := templateBody(r)
	if err != nil {
		return nil, err
	}
	t, err := loadTemplate(body)
	if err != nil {
		return nil, err
	}
	caps, err := capabilities(r)
	if err != nil {
		return nil, err
	}
	if err := checkCapabilities(t, caps, false); err != nil {
		return nil, err
	}
	vals, raw, err := bindParams(t, inputParams(r.Params), nil)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	existing, err := s.viewStack(name)
	if err != nil {
		return nil, err
	}
	if existing != nil {
		return nil, svc.Errorf(400, "AlreadyExistsException", "Stack [%s] already exists", name)
	}
	st := &stack{
		ID: s.stackARN(r, name, s.uuid()), Name: name, Created: s.env.Clock.Now(),
		Description: t.Description, TemplateBody: body, Params: paramList(t), Capabilities: caps,
		Tags: inputTags(r.Params), DisableRollback: boolParam(r.Params, "DisableRollback"), OnFailure: onFailure,
		Resources: map[string]*resource{},
	}
	st.sealed.init()
	st.sealed.Params = raw
	d := &deployment{s: s, r: r, st: st, tmpl: t, params: vals, token: r.Params.Get("ClientRequestToken")}
	if err := d.bind(); err != nil {
		return nil, templateError(err)
	}
	if _, err := t.Order(d.ctx.Conditions); err != nil {
		return nil, templateError(err)
	}
	r.Event.Resources = []string{st.ID}
	if err := d.runCreate(); err != nil {
		return nil, err
	}
	return stackIDResult{StackID: st.ID}, nil
}

// updatable are the statuses from which a stack can be updated.
var updatable = []string{statusCreateComplete, statusUpdateComplete, statusUpdateRollbackComplete, "IMPORT_COMPLETE", "IMPORT_ROLLBACK_COMPLETE"}

func (s *Service) updateStack(r *svc.Request) (any, error) {
	name := r.Params.Get("StackName")
	if name == "" {
		return nil, checkStackName(name)
	}
	if err := s.authorize(r, "UpdateStack", s.stackResource(r, name)); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.viewStack(name)
	if err != nil {
		return nil, err
	}
	if st == nil || st.Status == statusDeleteComplete {
		return nil, stackNotFound(name)
	}
	body := st.TemplateBody
	if !boolParam(r.Params, "UsePreviousTemplate") {
		if body, err = templateBody(r); err != nil {
			return nil, err
		}
	}
	caps, err := capabilities(r)
	if err != nil {
		return nil, err
	}
	tags := inputTags(r.Params)
	if !r.Params.Has("Tags.member.1") {
		tags = st.Tags
	}
	d, err := s.prepareUpdate(r, st, body, inputParams(r.Params), caps, tags, false)
	if err != nil {
		return nil, err
	}
	if d == nil {
		return nil, validationError("No updates are to be performed.")
	}
	old, err := d.takeSnapshot()
	if err != nil {
		return nil, err
	}
	r.Event.Resources = []string{st.ID}
	d.apply(body, caps, tags)
	if err := d.runUpdate(old); err != nil {
		return nil, err
	}
	return stackIDResult{StackID: st.ID}, nil
}

// prepareUpdate checks an update of st to body and parameters; it returns
// nil (and no error) when nothing would change.
func (s *Service) prepareUpdate(r *svc.Request, st *stack, body string, given []inputParam, caps []string, tags []tag, changeSet bool) (*deployment, error) {
	if !slices.Contains(updatable, st.Status) {
		return nil, validationError("Stack:%s is in %s state and can not be updated.", st.ID, st.Status)
	}
	t, err := loadTemplate(body)
	if err != nil {
		return nil, err
	}
	if err := checkCapabilities(t, caps, changeSet); err != nil {
		return nil, err
	}
	vals, raw, err := bindParams(t, given, st.sealed.Params)
	if err != nil {
		return nil, err
	}
	var changedType []string
	for _, id := range t.ResourceIDs() {
		if res := st.Resources[id]; res != nil && res.Status != statusDeleteComplete && res.Type != t.Resources[id].Type {
			changedType = append(changedType, id)
		}
	}
	if len(changedType) > 0 {
		return nil, validationError("Update of resource type is not permitted. The new template modifies resource type of the following resources: %v", changedType)
	}
	if body == st.TemplateBody && maps.Equal(raw, st.sealed.Params) && slices.Equal(tags, st.Tags) {
		return nil, nil
	}
	d := &deployment{s: s, r: r, st: st, tmpl: t, params: vals, rawParams: raw, token: r.Params.Get("ClientRequestToken")}
	if err := d.bind(); err != nil {
		return nil, templateError(err)
	}
	if _, err := t.Order(d.ctx.Conditions); err != nil {
		return nil, templateError(err)
	}
	return d, nil
}

// apply installs the new template and parameters on the stack.
func (d *deployment) apply(body string, caps []string, tags []tag) {
	d.st.TemplateBody, d.st.Capabilities, d.st.Tags = body, caps, tags
	d.st.Params = paramList(d.tmpl)
	d.st.Description = d.tmpl.Description
	d.st.sealed.Params = d.rawParams
}

func (s *Service) deleteStack(r *svc.Request) (any, error) {
	name := r.Params.Get("StackName")
	if name == "" {
		return nil, checkStackName(name)
	}
	if err := s.authorize(r, "DeleteStack", s.stackResource(r, name)); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.viewStack(name)
	if err != nil {
		return nil, err
	}
	if st == nil || st.Status == statusDeleteComplete {
		return nil, nil // deleting a stack that is gone succeeds
	}
	retain := members(r.Params, "RetainResources")
	if len(retain) > 0 && st.Status != statusDeleteFailed {
		return nil, validationError("Invalid operation on stack %s. RetainResources can only be specified when the stack is in the DELETE_FAILED state.", st.ID)
	}
	for _, e := range st.Outputs {
		if e.ExportName == "" {
			continue
		}
		if user, ok := s.exportUser(e.ExportName, st.ID); ok {
			return nil, validationError("Export %s cannot be deleted as it is in use by %s", e.ExportName, user)
		}
	}
	t, err := template.Load([]byte(st.TemplateBody))
	if err != nil || st.TemplateBody == "" {
		t = &template.Template{Resources: map[string]*template.Resource{}}
	}
	r.Event.Resources = []string{st.ID}
	d := &deployment{s: s, r: r, st: st, tmpl: t, token: r.Params.Get("ClientRequestToken")}
	if err := d.runDelete(retain); err != nil {
		return nil, err
	}
	return nil, s.dropChangeSets(st.ID, "")
}
