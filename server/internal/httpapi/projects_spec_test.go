package httpapi_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSpecProjectRoles keeps the project authorisation declared where the central check reads it:
// every operation on a project ({projectId} in its path) names the role it needs in
// x-logister-project-role, except admin-only ones (instance administrators may do anything to
// every project), and documents the 404 of projects the caller may not see and the 403 of a role
// too low.
func TestSpecProjectRoles(t *testing.T) {
	t.Parallel()
	roles := map[string]bool{"viewer": true, "admin": true, "owner": true}
	seen := 0
	for _, o := range operations(t) {
		role, declared := o.op.Extensions["x-logister-project-role"]
		if !strings.Contains(o.path, "{projectId}") {
			require.False(t, declared, "%s declares a project role but has no {projectId}", o.op.OperationID)
			continue
		}
		seen++
		require.NotNil(t, o.op.Responses.Status(404), "%s documents its 404", o.op.OperationID)
		require.NotNil(t, o.op.Responses.Status(403), "%s documents its 403", o.op.OperationID)
		if o.op.Extensions["x-logister-admin-only"] == true {
			require.False(t, declared, "%s is admin-only: it needs no project role", o.op.OperationID)
			continue
		}
		s, ok := role.(string)
		require.True(t, ok && roles[s], "%s must declare x-logister-project-role: viewer, admin or owner (got %v)", o.op.OperationID, role)
	}
	require.GreaterOrEqual(t, seen, 15)
}
