package cloudformation

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"

	"github.com/seclab-dev/seclab/lab/sandbox/cloudformation/template"
	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// CreateChangeSet, DescribeChangeSet, ExecuteChangeSet, DeleteChangeSet and
// ListChangeSets: the path `aws cloudformation deploy` takes.

const noChanges = "The submitted information didn't contain changes. Submit different information to create a change set."

var changeSetNameRE = regexp.MustCompile(`^[a-zA-Z][-a-zA-Z0-9]*$`)

func changeSetNotFound(name string) error {
	return svc.Errorf(404, "ChangeSetNotFound", "ChangeSet [%s] does not exist", name)
}

func (s *Service) createChangeSet(r *svc.Request) (any, error) {
	name, csName := r.Params.Get("StackName"), r.Params.Get("ChangeSetName")
	if err := checkStackName(name); err != nil {
		return nil, err
	}
	if len(csName) > 128 || !changeSetNameRE.MatchString(csName) {
		return nil, validationError("1 validation error detected: Value '%s' at 'changeSetName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*", csName)
	}
	typ := r.Params.Get("ChangeSetType")
	if typ == "" {
		typ = "UPDATE"
	}
	if typ != "CREATE" && typ != "UPDATE" {
		return nil, validationError("ChangeSetType %s is not supported by the seclab sandbox; use CREATE or UPDATE", typ)
	}
	if err := s.authorize(r, "CreateChangeSet", s.stackResource(r, name)); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.viewStack(name)
	if err != nil {
		return nil, err
	}
	switch {
	case typ == "CREATE" && st != nil && st.Status != statusReviewInProgress:
		return nil, svc.Errorf(400, "AlreadyExistsException", "Stack [%s] already exists and cannot be created again with the changeSet [%s].", name, csName)
	case typ == "UPDATE" && st == nil:
		return nil, validationError("Stack [%s] does not exist", name)
	case typ == "UPDATE" && st.Status == statusReviewInProgress:
		return nil, validationError("Stack [%s] does not exist. Use ChangeSetType CREATE to create it.", name)
	}
	if st != nil {
		if cs, _ := s.findChangeSet(r, st.ID, csName); cs != nil {
			return nil, svc.Errorf(400, "AlreadyExistsException", "ChangeSet [%s] already exists", csName)
		}
	}
	body := ""
	if typ == "UPDATE" && boolParam(r.Params, "UsePreviousTemplate") {
		body = st.TemplateBody
	} else if body, err = templateBody(r); err != nil {
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
	if err := checkCapabilities(t, caps, true); err != nil {
		return nil, err
	}
	tags := inputTags(r.Params)
	cs := &changeSet{Name: csName, Type: typ, Description: r.Params.Get("Description"), Created: s.env.Clock.Now(),
		TemplateBody: body, Params: paramList(t), Capabilities: caps, Tags: tags,
		Status: "CREATE_COMPLETE", ExecutionStatus: "AVAILABLE"}
	var raw map[string]string
	if typ == "CREATE" {
		var vals map[string]template.Value
		vals, raw, err = bindParams(t, inputParams(r.Params), nil)
		if err != nil {
			return nil, err
		}
		if st == nil {
			st = &stack{ID: s.stackARN(r, name, s.uuid()), Name: name, Created: s.env.Clock.Now(),
				Description: t.Description, Resources: map[string]*resource{}}
			st.sealed.init()
		}
		d := &deployment{s: s, r: r, st: st, tmpl: t, params: vals}
		if err := d.bind(); err != nil {
			return nil, templateError(err)
		}
		order, err := t.Order(d.ctx.Conditions)
		if err != nil {
			return nil, templateError(err)
		}
		for _, id := range order {
			cs.Changes = append(cs.Changes, change{Action: "Add", LogicalID: id, Type: t.Resources[id].Type})
		}
		if st.Status == "" {
			d.token = r.Params.Get("ClientRequestToken")
			if err := d.stackEvent(statusReviewInProgress, "User Initiated"); err != nil {
				return nil, err
			}
		}
	} else {
		if !r.Params.Has("Tags.member.1") {
			tags = st.Tags
			cs.Tags = tags
		}
		d, err := s.prepareUpdate(r, st, body, inputParams(r.Params), caps, tags, true)
		if err != nil {
			return nil, err
		}
		if d == nil {
			cs.Status, cs.StatusReason, cs.ExecutionStatus = "FAILED", noChanges, "UNAVAILABLE"
			raw = st.sealed.Params
		} else {
			raw = d.rawParams
			cs.Changes = d.plan()
		}
	}
	cs.StackID, cs.StackName = st.ID, st.Name
	cs.ID = s.changeSetARN(r, csName, s.uuid())
	if cs.SealedParams, err = s.sealParams(cs.ID, raw); err != nil {
		return nil, err
	}
	r.Event.Resources = []string{st.ID}
	if err := s.env.Store.Update(func(tx svc.Tx) error { return svc.PutJSON(tx, bucketChangeSets, cs.ID, cs) }); err != nil {
		return nil, err
	}
	return createChangeSetResult{ID: cs.ID, StackID: st.ID}, nil
}

// plan lists what an update would do, resource by resource.
func (d *deployment) plan() []change {
	d.pending = true
	defer func() { d.pending = false }()
	var out []change
	order, _ := d.tmpl.Order(d.ctx.Conditions)
	for _, id := range order {
		def := d.tmpl.Resources[id]
		res := d.st.Resources[id]
		if res == nil || res.Status == statusDeleteComplete || res.PhysicalID == "" {
			out = append(out, change{Action: "Add", LogicalID: id, Type: def.Type})
			continue
		}
		v, err := d.ctx.Resolve(def.Properties)
		props, _ := v.(map[string]any)
		if err == nil && sameProps(props, d.st.sealed.Props[id]) {
			continue
		}
		p := providers[def.Type]
		repl := "False"
		if p.update == nil || p.needsReplacement(d.st.sealed.Props[id], props) {
			repl = "True"
		}
		out = append(out, change{Action: "Modify", LogicalID: id, PhysicalID: res.PhysicalID, Type: def.Type, Replacement: repl})
	}
	for _, id := range d.st.Order {
		if res := d.st.Resources[id]; res != nil && res.Status != statusDeleteComplete && !slices.Contains(order, id) {
			out = append(out, change{Action: "Remove", LogicalID: id, PhysicalID: res.PhysicalID, Type: res.Type})
		}
	}
	return out
}

// findChangeSet finds a change set by ARN, or by name within stack (a
// name or ID). It returns a ChangeSetNotFound error when there is none.
func (s *Service) findChangeSet(r *svc.Request, stackName, csName string) (*changeSet, error) {
	var found *changeSet
	err := s.env.Store.View(func(tx svc.Tx) error {
		if strings.HasPrefix(csName, "arn:") {
			var cs changeSet
			ok, err := svc.GetJSON(tx, bucketChangeSets, csName, &cs)
			if ok {
				found = &cs
			}
			return err
		}
		if stackName == "" {
			return validationError("StackName must be specified if ChangeSetName is not specified as an ARN.")
		}
		stackID := stackName
		if !strings.HasPrefix(stackName, "arn:") {
			stackID = string(tx.Get(bucketNames, stackName))
		}
		return tx.ForEach(bucketChangeSets, func(_ string, v []byte) error {
			var cs changeSet
			if err := json.Unmarshal(v, &cs); err != nil {
				return err
			}
			if cs.StackID == stackID && cs.Name == csName {
				found = &cs
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	if found == nil {
		return nil, changeSetNotFound(csName)
	}
	return found, nil
}

func (s *Service) describeChangeSet(r *svc.Request) (any, error) {
	cs, err := s.findChangeSet(r, r.Params.Get("StackName"), r.Params.Get("ChangeSetName"))
	if err != nil {
		return nil, err
	}
	if err := s.authorize(r, "DescribeChangeSet", cs.StackID); err != nil {
		return nil, err
	}
	raw, err := s.openParams(cs.ID, cs.SealedParams)
	if err != nil {
		return nil, err
	}
	res := describeChangeSetResult{
		ChangeSetName: cs.Name, ChangeSetID: cs.ID, StackID: cs.StackID, StackName: cs.StackName,
		Description: cs.Description, Parameters: shownParams(cs.Params, raw), CreationTime: ts(cs.Created),
		ExecutionStatus: cs.ExecutionStatus, Status: cs.Status, StatusReason: cs.StatusReason,
		NotificationARNs: []string{}, Capabilities: cs.Capabilities, Tags: []xmlTag{}, Changes: []xmlChange{},
	}
	for _, t := range cs.Tags {
		res.Tags = append(res.Tags, xmlTag{Key: t.Key, Value: t.Value})
	}
	for _, c := range cs.Changes {
		res.Changes = append(res.Changes, xmlChange{Type: "Resource", ResourceChange: xmlResourceChange{
			Action: c.Action, LogicalResourceID: c.LogicalID, PhysicalResourceID: c.PhysicalID,
			ResourceType: c.Type, Replacement: c.Replacement}})
	}
	return res, nil
}

func (s *Service) executeChangeSet(r *svc.Request) (any, error) {
	cs, err := s.findChangeSet(r, r.Params.Get("StackName"), r.Params.Get("ChangeSetName"))
	if err != nil {
		return nil, err
	}
	if err := s.authorize(r, "ExecuteChangeSet", cs.StackID); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if cs.ExecutionStatus != "AVAILABLE" {
		return nil, svc.Errorf(400, "InvalidChangeSetStatus", "ChangeSet [%s] cannot be executed in its current execution status of [%s]", cs.ID, cs.ExecutionStatus)
	}
	st, err := s.viewStack(cs.StackID)
	if err != nil {
		return nil, err
	}
	if st == nil || st.Status == statusDeleteComplete {
		return nil, stackNotFound(cs.StackName)
	}
	raw, err := s.openParams(cs.ID, cs.SealedParams)
	if err != nil {
		return nil, err
	}
	given := make([]inputParam, 0, len(raw))
	for k, v := range raw {
		given = append(given, inputParam{Key: k, Value: v})
	}
	r.Event.Resources = []string{st.ID}
	token := r.Params.Get("ClientRequestToken")
	if r.Params.Has("DisableRollback") {
		st.DisableRollback = boolParam(r.Params, "DisableRollback")
	}
	if cs.Type == "CREATE" {
		if st.Status != statusReviewInProgress {
			return nil, svc.Errorf(400, "InvalidChangeSetStatus", "ChangeSet [%s] cannot be executed in its current execution status of [OBSOLETE]", cs.ID)
		}
		t, err := loadTemplate(cs.TemplateBody)
		if err != nil {
			return nil, err
		}
		vals, raw, err := bindParams(t, given, nil)
		if err != nil {
			return nil, err
		}
		d := &deployment{s: s, r: r, st: st, tmpl: t, params: vals, rawParams: raw, token: token}
		if err := d.bind(); err != nil {
			return nil, templateError(err)
		}
		d.apply(cs.TemplateBody, cs.Capabilities, cs.Tags)
		st.ChangeSetID = cs.ID
		err = d.runCreate()
		return s.finishChangeSet(cs, st, err)
	}
	d, err := s.prepareUpdate(r, st, cs.TemplateBody, given, cs.Capabilities, cs.Tags, true)
	if err != nil {
		return nil, err
	}
	if d == nil {
		return nil, validationError("No updates are to be performed.")
	}
	d.token = token
	old, err := d.takeSnapshot()
	if err != nil {
		return nil, err
	}
	d.apply(cs.TemplateBody, cs.Capabilities, cs.Tags)
	st.ChangeSetID = cs.ID
	err = d.runUpdate(old)
	return s.finishChangeSet(cs, st, err)
}

// finishChangeSet marks cs executed and removes the stack's other change
// sets, as CloudFormation does once one of them runs.
func (s *Service) finishChangeSet(cs *changeSet, st *stack, runErr error) (any, error) {
	if runErr != nil {
		return nil, runErr
	}
	cs.ExecutionStatus = "EXECUTE_COMPLETE"
	if st.Status == statusRollbackComplete || st.Status == statusUpdateRollbackComplete || strings.HasSuffix(st.Status, "_FAILED") {
		cs.ExecutionStatus = "EXECUTE_FAILED"
	}
	if err := s.env.Store.Update(func(tx svc.Tx) error { return svc.PutJSON(tx, bucketChangeSets, cs.ID, cs) }); err != nil {
		return nil, err
	}
	return emptyResult{}, s.dropChangeSets(st.ID, cs.ID)
}

// dropChangeSets deletes the change sets of stackID except keep.
func (s *Service) dropChangeSets(stackID, keep string) error {
	return s.env.Store.Update(func(tx svc.Tx) error {
		var drop []string
		if err := tx.ForEach(bucketChangeSets, func(k string, v []byte) error {
			var cs changeSet
			if err := json.Unmarshal(v, &cs); err != nil {
				return err
			}
			if cs.StackID == stackID && k != keep {
				drop = append(drop, k)
			}
			return nil
		}); err != nil {
			return err
		}
		for _, k := range drop {
			if err := tx.Delete(bucketChangeSets, k); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *Service) deleteChangeSet(r *svc.Request) (any, error) {
	cs, err := s.findChangeSet(r, r.Params.Get("StackName"), r.Params.Get("ChangeSetName"))
	if err != nil {
		return nil, err
	}
	if err := s.authorize(r, "DeleteChangeSet", cs.StackID); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return emptyResult{}, s.env.Store.Update(func(tx svc.Tx) error { return tx.Delete(bucketChangeSets, cs.ID) })
}

func (s *Service) listChangeSets(r *svc.Request) (any, error) {
	st, err := s.describable(r, "ListChangeSets", r.Params.Get("StackName"))
	if err != nil {
		return nil, err
	}
	res := listChangeSetsResult{Summaries: []xmlChangeSetSummary{}}
	err = s.env.Store.View(func(tx svc.Tx) error {
		return tx.ForEach(bucketChangeSets, func(_ string, v []byte) error {
			var cs changeSet
			if err := json.Unmarshal(v, &cs); err != nil {
				return err
			}
			if cs.StackID == st.ID {
				res.Summaries = append(res.Summaries, xmlChangeSetSummary{
					StackID: cs.StackID, StackName: cs.StackName, ChangeSetID: cs.ID, ChangeSetName: cs.Name,
					ExecutionStatus: cs.ExecutionStatus, Status: cs.Status, StatusReason: cs.StatusReason,
					CreationTime: ts(cs.Created), Description: cs.Description})
			}
			return nil
		})
	})
	return res, err
}
