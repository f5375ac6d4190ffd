package sandbox

import (
	"strings"
	"sync"

	"github.com/seclab-dev/seclab/lab/policy"
)

var readOnlyCache sync.Map // action → bool

// isReadOnly reports whether an action changes nothing (watch mode
// re-runs checks only after writes): the evaluator's action catalog says
// so for kms, secretsmanager, iam and sts (List and Read access levels);
// other services fall back to the Get/List/Describe naming convention.
func isReadOnly(action string) bool {
	if v, ok := readOnlyCache.Load(action); ok {
		return v.(bool)
	}
	if len(policy.MatchActions(action)) > 0 {
		// Only catalog actions are cached: the set is bounded.
		ro := policy.IsReadOnly(action)
		readOnlyCache.Store(action, ro)
		return ro
	}
	if _, op, ok := strings.Cut(action, ":"); ok {
		for _, p := range []string{"Get", "List", "Describe", "Validate", "Estimate"} {
			if strings.HasPrefix(op, p) {
				return true
			}
		}
	}
	return false
}
