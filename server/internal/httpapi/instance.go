package httpapi

import (
	"context"

	"github.com/logister/logister/api"
)

// GetInstance describes this instance: name, version, health and whether setup is still open.
func (s *Server) GetInstance(ctx context.Context, _ api.GetInstanceRequestObject) (api.GetInstanceResponseObject, error) {
	report := s.deps.Health.Check(ctx)
	out := api.Instance{
		Name:    s.deps.InstanceName,
		Version: s.deps.Version,
		Ready:   report.Ready,
		Checks:  apiChecks(report),
		Signup:  api.InstanceSignup(s.deps.Accounts.Signup()),
	}
	if s.deps.Commit != "" {
		out.Commit = ptr(s.deps.Commit)
	}
	if report.Ready {
		required, err := s.deps.Setup.Required(ctx)
		if err != nil {
			return nil, err
		}
		out.SetupRequired = required
	}
	return api.GetInstance200JSONResponse(out), nil
}
