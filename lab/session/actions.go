package session

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"

	"github.com/seclab-dev/seclab/lab/console"
	"github.com/seclab-dev/seclab/lessons"
)

// ActionError is a setup or solution action that failed.
type ActionError struct {
	Step   string // step ID
	Action int    // 1-based index
	Err    error
}

// Error names the step and action.
func (e *ActionError) Error() string {
	return fmt.Sprintf("step %s, action %d: %v", e.Step, e.Action, e.Err)
}

// Unwrap returns the action's error.
func (e *ActionError) Unwrap() error { return e.Err }

// runActions runs setup (ignore_errors honoured) or solution actions.
func (s *Session) runActions(ctx context.Context, st *lessons.Step, actions []lessons.Action) error {
	for i, a := range actions {
		if err := s.runAction(ctx, a); err != nil {
			return &ActionError{Step: st.ID, Action: i + 1, Err: err}
		}
	}
	return nil
}

func (s *Session) runAction(ctx context.Context, a lessons.Action) error {
	switch {
	case a.Run != "":
		line, err := s.Expand(a.Run)
		if err != nil {
			return err
		}
		persona := a.As
		if persona == "" {
			persona = console.Learner
		}
		r := s.Run(ctx, persona, line)
		if r.Err != nil {
			if r.Err.Code != "" && slices.Contains(a.IgnoreErrors, r.Err.Code) {
				return nil
			}
			return fmt.Errorf("%s: %s", line, r.Err.Message)
		}
		return s.save(a.Save, r.Data)
	case a.Write != "":
		name, err := s.Expand(a.Write)
		if err != nil {
			return err
		}
		dst, err := s.workspacePath(name)
		if err != nil {
			return err
		}
		var body []byte
		if a.From != "" {
			if body, err = fs.ReadFile(s.lesson.Solutions, a.From); err != nil {
				return fmt.Errorf("read solution file %s: %w", a.From, err)
			}
		} else {
			text, err := s.Expand(a.Content)
			if err != nil {
				return err
			}
			body = []byte(text)
		}
		return writeWorkspaceFile(dst, body)
	}
	return fmt.Errorf("the action has neither run nor write")
}

// save stores JMESPath results of an action's output as variables.
func (s *Session) save(vars map[string]string, data any) error {
	if len(vars) == 0 {
		return nil
	}
	got := map[string]string{}
	for name, q := range vars {
		v, err := console.Search(q, data)
		if err != nil {
			return fmt.Errorf("save %s: %w", name, err)
		}
		switch v := v.(type) {
		case nil:
			return fmt.Errorf("save %s: %s found nothing in the output", name, q)
		case string:
			got[name] = v
		default:
			b, _ := json.Marshal(v)
			got[name] = string(b)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, v := range got {
		s.rt.Vars[k] = v
	}
	return s.saveState()
}
