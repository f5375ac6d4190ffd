package cloudformation

import (
	"slices"
	"strings"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// DescribeStacks, ListStacks, DescribeStackEvents, DescribeStackResources,
// DescribeStackResource and ListStackResources.

func (s *Service) xmlStack(st *stack) xmlStack {
	x := xmlStack{
		StackID: st.ID, StackName: st.Name, ChangeSetID: st.ChangeSetID, Description: st.Description,
		Parameters: shownParams(st.Params, st.sealed.Params), CreationTime: ts(st.Created),
		DeletionTime: tsPtr(st.Deleted), LastUpdatedTime: tsPtr(st.Updated),
		StackStatus: st.Status, StackStatusReason: st.StatusReason, DisableRollback: st.DisableRollback,
		NotificationARNs: []string{}, Capabilities: st.Capabilities, Tags: []xmlTag{},
		DriftInformation: xmlDrift{StackDriftStatus: "NOT_CHECKED"},
	}
	for _, o := range st.Outputs {
		x.Outputs = append(x.Outputs, xmlOutput{OutputKey: o.Key, OutputValue: o.Value, Description: o.Description, ExportName: o.ExportName})
	}
	for _, t := range st.Tags {
		x.Tags = append(x.Tags, xmlTag{Key: t.Key, Value: t.Value})
	}
	return x
}

// allStacks loads every stack, newest first.
func (s *Service) allStacks() ([]*stack, error) {
	var out []*stack
	err := s.env.Store.View(func(tx svc.Tx) error {
		var ids []string
		if err := tx.ForEach(bucketStacks, func(k string, _ []byte) error {
			ids = append(ids, k)
			return nil
		}); err != nil {
			return err
		}
		for _, id := range ids {
			st, err := s.loadStack(tx, id)
			if err != nil {
				return err
			}
			if st != nil {
				out = append(out, st)
			}
		}
		return nil
	})
	slices.SortStableFunc(out, func(a, b *stack) int { return b.Created.Compare(a.Created) })
	return out, err
}

func (s *Service) describeStacks(r *svc.Request) (any, error) {
	name := r.Params.Get("StackName")
	if name == "" {
		if err := s.authorize(r, "DescribeStacks", "*"); err != nil {
			return nil, err
		}
		all, err := s.liveStacks()
		if err != nil {
			return nil, err
		}
		res := describeStacksResult{Stacks: []xmlStack{}}
		for _, st := range all {
			if st.Status != statusDeleteComplete {
				res.Stacks = append(res.Stacks, s.xmlStack(st))
			}
		}
		return res, nil
	}
	st, err := s.describable(r, "DescribeStacks", name)
	if err != nil {
		return nil, err
	}
	return describeStacksResult{Stacks: []xmlStack{s.xmlStack(st)}}, nil
}

// describable authorizes action on the stack and loads it.
func (s *Service) describable(r *svc.Request, action, name string) (*stack, error) {
	if name == "" {
		return nil, checkStackName(name)
	}
	if err := s.authorize(r, action, s.stackResource(r, name)); err != nil {
		return nil, err
	}
	st, err := s.viewStack(name)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return nil, stackNotFound(name)
	}
	return st, nil
}

func (s *Service) listStacks(r *svc.Request) (any, error) {
	if err := s.authorize(r, "ListStacks", "*"); err != nil {
		return nil, err
	}
	filter := members(r.Params, "StackStatusFilter")
	all, err := s.allStacks()
	if err != nil {
		return nil, err
	}
	res := listStacksResult{StackSummaries: []xmlStackSummary{}}
	for _, st := range all {
		if len(filter) > 0 && !slices.Contains(filter, st.Status) {
			continue
		}
		res.StackSummaries = append(res.StackSummaries, xmlStackSummary{
			StackID: st.ID, StackName: st.Name, TemplateDescription: st.Description,
			CreationTime: ts(st.Created), LastUpdatedTime: tsPtr(st.Updated), DeletionTime: tsPtr(st.Deleted),
			StackStatus: st.Status, StackStatusReason: st.StatusReason,
			DriftInformation: xmlDrift{StackDriftStatus: "NOT_CHECKED"},
		})
	}
	return res, nil
}

func (s *Service) describeStackEvents(r *svc.Request) (any, error) {
	st, err := s.describable(r, "DescribeStackEvents", r.Params.Get("StackName"))
	if err != nil {
		return nil, err
	}
	res := describeStackEventsResult{StackEvents: []xmlEvent{}}
	for _, e := range slices.Backward(st.Events) {
		res.StackEvents = append(res.StackEvents, xmlEvent{
			StackID: st.ID, EventID: e.EventID, StackName: st.Name, LogicalResourceID: e.LogicalResourceID,
			PhysicalResourceID: e.PhysicalResourceID, ResourceType: e.ResourceType, Timestamp: ts(e.Timestamp),
			ResourceStatus: e.Status, ResourceStatusReason: e.StatusReason, ClientRequestToken: e.ClientRequestToken,
		})
	}
	return res, nil
}

// stackByPhysicalID finds the live stack that owns a physical resource.
func (s *Service) stackByPhysicalID(physical string) (*stack, string, error) {
	all, err := s.liveStacks()
	if err != nil {
		return nil, "", err
	}
	for _, st := range all {
		if st.Status == statusDeleteComplete {
			continue
		}
		for _, id := range st.Order {
			if res := st.Resources[id]; res != nil && res.PhysicalID == physical {
				return st, id, nil
			}
		}
	}
	return nil, "", nil
}

func (s *Service) stackResources(st *stack, logical string) []xmlStackResource {
	out := []xmlStackResource{}
	for _, id := range st.Order {
		res := st.Resources[id]
		if res == nil || logical != "" && id != logical {
			continue
		}
		out = append(out, xmlStackResource{
			StackName: st.Name, StackID: st.ID, LogicalResourceID: id, PhysicalResourceID: res.PhysicalID,
			ResourceType: res.Type, Timestamp: ts(res.Updated), ResourceStatus: res.Status,
			ResourceStatusReason: res.StatusReason, DriftInformation: xmlResourceDrift{StackResourceDriftStatus: "NOT_CHECKED"},
		})
	}
	return out
}

func (s *Service) describeStackResources(r *svc.Request) (any, error) {
	name, physical := r.Params.Get("StackName"), r.Params.Get("PhysicalResourceId")
	logical := r.Params.Get("LogicalResourceId")
	if name == "" && physical == "" {
		return nil, validationError("Either StackName or PhysicalResourceId must be specified.")
	}
	if name == "" {
		st, id, err := s.stackByPhysicalID(physical)
		if err != nil {
			return nil, err
		}
		if st == nil {
			return nil, validationError("Stack for %s does not exist", physical)
		}
		if err := s.authorize(r, "DescribeStackResources", st.ID); err != nil {
			return nil, err
		}
		if logical == "" {
			logical = id
		}
		return describeStackResourcesResult{StackResources: s.stackResources(st, logical)}, nil
	}
	st, err := s.describable(r, "DescribeStackResources", name)
	if err != nil {
		return nil, err
	}
	return describeStackResourcesResult{StackResources: s.stackResources(st, logical)}, nil
}

func (s *Service) describeStackResource(r *svc.Request) (any, error) {
	st, err := s.describable(r, "DescribeStackResource", r.Params.Get("StackName"))
	if err != nil {
		return nil, err
	}
	id := r.Params.Get("LogicalResourceId")
	res := st.Resources[id]
	if res == nil {
		return nil, validationError("Resource %s does not exist for stack %s", id, st.Name)
	}
	return describeStackResourceResult{StackResourceDetail: xmlStackResourceDetail{
		StackName: st.Name, StackID: st.ID, LogicalResourceID: id, PhysicalResourceID: res.PhysicalID,
		ResourceType: res.Type, LastUpdatedTimestamp: ts(res.Updated), ResourceStatus: res.Status,
		ResourceStatusReason: res.StatusReason, DriftInformation: xmlResourceDrift{StackResourceDriftStatus: "NOT_CHECKED"},
	}}, nil
}

func (s *Service) listStackResources(r *svc.Request) (any, error) {
	st, err := s.describable(r, "ListStackResources", r.Params.Get("StackName"))
	if err != nil {
		return nil, err
	}
	res := listStackResourcesResult{StackResourceSummaries: []xmlResourceSummary{}}
	for _, x := range s.stackResources(st, "") {
		if st.Status != statusDeleteComplete && x.ResourceStatus == statusDeleteComplete {
			continue
		}
		res.StackResourceSummaries = append(res.StackResourceSummaries, xmlResourceSummary{
			LogicalResourceID: x.LogicalResourceID, PhysicalResourceID: x.PhysicalResourceID,
			ResourceType: x.ResourceType, LastUpdatedTimestamp: x.Timestamp, ResourceStatus: x.ResourceStatus,
			ResourceStatusReason: x.ResourceStatusReason, DriftInformation: x.DriftInformation,
		})
	}
	return res, nil
}

// Exports.

// liveStacks loads the stacks that are not deleted (the name index holds
// exactly those), so lookups do not grow with the deleted stacks kept for
// DescribeStacks by ID.
func (s *Service) liveStacks() ([]*stack, error) {
	var out []*stack
	err := s.env.Store.View(func(tx svc.Tx) error {
		var ids []string
		if err := tx.ForEach(bucketNames, func(_ string, v []byte) error {
			ids = append(ids, string(v))
			return nil
		}); err != nil {
			return err
		}
		for _, id := range ids {
			st, err := s.loadStack(tx, id)
			if err != nil {
				return err
			}
			if st != nil && st.Status != statusDeleteComplete {
				out = append(out, st)
			}
		}
		return nil
	})
	slices.SortStableFunc(out, func(a, b *stack) int { return b.Created.Compare(a.Created) })
	return out, err
}

// lookupExport returns the value of the export called name.
func (s *Service) lookupExport(name string) (string, bool) {
	all, err := s.liveStacks()
	if err != nil {
		return "", false
	}
	for _, st := range all {
		for _, o := range st.Outputs {
			if o.ExportName == name {
				return o.Value, true
			}
		}
	}
	return "", false
}

// exportOwner returns the ID of the stack exporting name.
func (s *Service) exportOwner(name string) (string, bool) {
	all, _ := s.liveStacks()
	for _, st := range all {
		for _, o := range st.Outputs {
			if o.ExportName == name {
				return st.ID, true
			}
		}
	}
	return "", false
}

// exportUser returns the name of a live stack other than owner that
// imports the export called name.
func (s *Service) exportUser(name, owner string) (string, bool) {
	all, _ := s.liveStacks()
	for _, st := range all {
		if st.ID != owner && slices.Contains(st.Imports, name) {
			return st.Name, true
		}
	}
	return "", false
}

func (s *Service) listExports(r *svc.Request) (any, error) {
	if err := s.authorize(r, "ListExports", "*"); err != nil {
		return nil, err
	}
	all, err := s.liveStacks()
	if err != nil {
		return nil, err
	}
	res := listExportsResult{Exports: []xmlExport{}}
	for _, st := range all {
		if st.Status == statusDeleteComplete {
			continue
		}
		for _, o := range st.Outputs {
			if o.ExportName != "" {
				res.Exports = append(res.Exports, xmlExport{ExportingStackID: st.ID, Name: o.ExportName, Value: o.Value})
			}
		}
	}
	slices.SortFunc(res.Exports, func(a, b xmlExport) int { return strings.Compare(a.Name, b.Name) })
	return res, nil
}
