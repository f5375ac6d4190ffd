package cloudformation

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// Store buckets.
const (
	bucketStacks     = "cloudformation/stacks"     // stack ID → stackRecord
	bucketNames      = "cloudformation/names"      // stack name → ID of the live stack
	bucketChangeSets = "cloudformation/changesets" // change set ARN → changeSet
)

// Stack statuses (the StackStatus enum).
const (
	statusCreateInProgress         = "CREATE_IN_PROGRESS"
	statusCreateFailed             = "CREATE_FAILED"
	statusCreateComplete           = "CREATE_COMPLETE"
	statusRollbackInProgress       = "ROLLBACK_IN_PROGRESS"
	statusRollbackFailed           = "ROLLBACK_FAILED"
	statusRollbackComplete         = "ROLLBACK_COMPLETE"
	statusDeleteInProgress         = "DELETE_IN_PROGRESS"
	statusDeleteFailed             = "DELETE_FAILED"
	statusDeleteComplete           = "DELETE_COMPLETE"
	statusUpdateInProgress         = "UPDATE_IN_PROGRESS"
	statusUpdateCleanup            = "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"
	statusUpdateComplete           = "UPDATE_COMPLETE"
	statusUpdateFailed             = "UPDATE_FAILED"
	statusUpdateRollbackInProgress = "UPDATE_ROLLBACK_IN_PROGRESS"
	statusUpdateRollbackCleanup    = "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS"
	statusUpdateRollbackComplete   = "UPDATE_ROLLBACK_COMPLETE"
	statusUpdateRollbackFailed     = "UPDATE_ROLLBACK_FAILED"
	statusReviewInProgress         = "REVIEW_IN_PROGRESS"
)

// Resource statuses used besides the stack ones.
const (
	statusDeleteSkipped = "DELETE_SKIPPED"
)

// stack is a stack as the service works with it. Values that may be
// secret (parameter values, resolved properties, attributes such as an
// access key's secret) live in sealed, and are sealed at rest.
type stack struct {
	ID           string
	Name         string
	Status       string
	StatusReason string
	Description  string
	Created      time.Time
	Updated      time.Time
	Deleted      time.Time
	// TemplateBody is the template as submitted (GetTemplate's Original).
	TemplateBody    string
	Params          []stackParam
	Capabilities    []string
	Tags            []tag
	DisableRollback bool
	OnFailure       string
	Outputs         []stackOutput
	ChangeSetID     string
	// Imports are the export names the stack imports with Fn::ImportValue.
	Imports []string
	// Order is the logical IDs in creation order (deletion runs backwards).
	Order     []string
	Resources map[string]*resource
	Events    []event
	// sealed holds the secret-bearing state; never stored in the clear.
	sealed sealedState
}

// stackParam is a parameter value; the value itself is in sealed.
type stackParam struct {
	Key    string
	NoEcho bool
}

type tag struct{ Key, Value string }

type stackOutput struct {
	Key, Value, Description, ExportName string
}

// resource is one resource of a stack.
type resource struct {
	LogicalID      string
	Type           string
	PhysicalID     string
	Status         string
	StatusReason   string
	Updated        time.Time
	DeletionPolicy string
	// UpdateReplacePolicy applies to the old resource when an update
	// replaces this one.
	UpdateReplacePolicy string
}

// sealedState is the part of a stack kept encrypted at rest.
type sealedState struct {
	Params map[string]string // parameter values as given
	// Props are each resource's resolved properties as last applied.
	Props map[string]map[string]any
	// Ref is what Ref returns per resource; Attrs its Fn::GetAtt values.
	Ref   map[string]string
	Attrs map[string]map[string]any
	// Extra is provider bookkeeping per resource (e.g. attached policies).
	Extra map[string]map[string]string
}

func (s *sealedState) init() {
	if s.Params == nil {
		s.Params = map[string]string{}
	}
	if s.Props == nil {
		s.Props = map[string]map[string]any{}
	}
	if s.Ref == nil {
		s.Ref = map[string]string{}
	}
	if s.Attrs == nil {
		s.Attrs = map[string]map[string]any{}
	}
	if s.Extra == nil {
		s.Extra = map[string]map[string]string{}
	}
}

// event is one stack event.
type event struct {
	EventID            string
	LogicalResourceID  string
	PhysicalResourceID string
	ResourceType       string
	Timestamp          time.Time
	Status             string
	StatusReason       string
	ClientRequestToken string
}

// stackRecord is a stack as stored.
type stackRecord struct {
	stack
	Sealed []byte `json:"Sealed"`
}

// changeSet is a change set as stored.
type changeSet struct {
	ID              string
	Name            string
	StackID         string
	StackName       string
	Type            string // CREATE | UPDATE
	Description     string
	Created         time.Time
	Status          string // CREATE_COMPLETE | FAILED | DELETE_COMPLETE
	StatusReason    string
	ExecutionStatus string // AVAILABLE | UNAVAILABLE | EXECUTE_COMPLETE | EXECUTE_FAILED | OBSOLETE
	TemplateBody    string
	Params          []stackParam
	Capabilities    []string
	Tags            []tag
	Changes         []change
	// SealedParams are the parameter values, sealed.
	SealedParams []byte
}

// change is one planned resource change.
type change struct {
	Action      string // Add | Modify | Remove
	LogicalID   string
	PhysicalID  string
	Type        string
	Replacement string // True | False | Conditional (Modify only)
}

func (s *Service) sealLabel(id string) []byte { return []byte("cloudformation:" + id) }

func (s *Service) loadStack(tx svc.Tx, id string) (*stack, error) {
	var rec stackRecord
	ok, err := svc.GetJSON(tx, bucketStacks, id, &rec)
	if err != nil || !ok {
		return nil, err
	}
	st := rec.stack
	if len(rec.Sealed) > 0 {
		plain, err := s.env.Sealer.Open(rec.Sealed, s.sealLabel(st.ID))
		if err != nil {
			return nil, fmt.Errorf("open stack %s: %w", st.Name, err)
		}
		if err := json.Unmarshal(plain, &st.sealed); err != nil {
			return nil, fmt.Errorf("decode stack %s: %w", st.Name, err)
		}
	}
	st.sealed.init()
	if st.Resources == nil {
		st.Resources = map[string]*resource{}
	}
	return &st, nil
}

func (s *Service) saveStack(tx svc.Tx, st *stack) error {
	plain, err := json.Marshal(st.sealed)
	if err != nil {
		return fmt.Errorf("encode stack %s: %w", st.Name, err)
	}
	sealed, err := s.env.Sealer.Seal(plain, s.sealLabel(st.ID))
	if err != nil {
		return fmt.Errorf("seal stack %s: %w", st.Name, err)
	}
	if err := svc.PutJSON(tx, bucketStacks, st.ID, stackRecord{stack: *st, Sealed: sealed}); err != nil {
		return err
	}
	if st.Status == statusDeleteComplete {
		if cur := tx.Get(bucketNames, st.Name); cur != nil && string(cur) == st.ID {
			return tx.Delete(bucketNames, st.Name)
		}
		return nil
	}
	return tx.Put(bucketNames, st.Name, []byte(st.ID))
}

func (s *Service) sealParams(id string, params map[string]string) ([]byte, error) {
	plain, err := json.Marshal(params)
	if err != nil {
		return nil, err
	}
	return s.env.Sealer.Seal(plain, s.sealLabel(id))
}

func (s *Service) openParams(id string, sealed []byte) (map[string]string, error) {
	out := map[string]string{}
	if len(sealed) == 0 {
		return out, nil
	}
	plain, err := s.env.Sealer.Open(sealed, s.sealLabel(id))
	if err != nil {
		return nil, fmt.Errorf("open change set parameters: %w", err)
	}
	return out, json.Unmarshal(plain, &out)
}
