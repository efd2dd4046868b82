package httpapi

import (
	"context"
	"errors"

	"github.com/logister/logister/api"
)

// ListDeployments is not built yet.
func (s *Server) ListDeployments(context.Context, api.ListDeploymentsRequestObject) (api.ListDeploymentsResponseObject, error) {
	return nil, errors.New("httpapi: ListDeployments is not built yet")
}

// GetIssueDeploymentContext is not built yet.
func (s *Server) GetIssueDeploymentContext(context.Context, api.GetIssueDeploymentContextRequestObject) (api.GetIssueDeploymentContextResponseObject, error) {
	return nil, errors.New("httpapi: GetIssueDeploymentContext is not built yet")
}
