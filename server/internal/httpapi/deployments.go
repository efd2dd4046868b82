package httpapi

import (
	"context"
	"errors"

	"github.com/logister/logister/api"
	"github.com/logister/logister/server/internal/deploy"
)

// Handlers of the "deployments" tag, and the deployment context of an issue (tag "issues").

// deployments returns the deployment service.
func (s *Server) deployments() (*deploy.Service, error) {
	if s.deps.Deployments == nil {
		return nil, errors.New("httpapi: no deployment service")
	}
	return s.deps.Deployments, nil
}

// ListDeployments lists a page of the project's deployments, newest first, with their links.
func (s *Server) ListDeployments(ctx context.Context, req api.ListDeploymentsRequestObject) (api.ListDeploymentsResponseObject, error) {
	acc, err := projectAccess(ctx)
	if err != nil {
		return nil, err
	}
	svc, err := s.deployments()
	if err != nil {
		return nil, err
	}
	var q deploy.ListQuery
	q.Repository = deref(req.Params.Repository)
	q.Environment = deref(req.Params.Environment)
	if v := req.Params.Source; v != nil {
		q.Source = string(*v)
	}
	q.Q = deref(req.Params.Q)
	q.Cursor = deref(req.Params.Cursor)
	q.Limit = deref(req.Params.Limit)
	page, err := svc.List(ctx, acc.Project.ID, q)
	if err != nil {
		return nil, err
	}
	out := api.DeploymentPage{Deployments: make([]api.Deployment, 0, len(page.Deployments)), Total: page.Total}
	if page.NextCursor != "" {
		out.NextCursor = ptr(page.NextCursor)
	}
	for i := range page.Deployments {
		out.Deployments = append(out.Deployments, apiDeployment(&page.Deployments[i]))
	}
	return api.ListDeployments200JSONResponse(out), nil
}

// GetIssueDeploymentContext tells which deployment an issue started after.
func (s *Server) GetIssueDeploymentContext(ctx context.Context, req api.GetIssueDeploymentContextRequestObject) (api.GetIssueDeploymentContextResponseObject, error) {
	acc, err := projectAccess(ctx)
	if err != nil {
		return nil, err
	}
	svc, err := s.deployments()
	if err != nil {
		return nil, err
	}
	id, err := parseID(req.IssueId, "issue")
	if err != nil {
		return nil, err
	}
	c, err := svc.Context(ctx, acc.Project.ID, id)
	if err != nil {
		return nil, err
	}
	return api.GetIssueDeploymentContext200JSONResponse(apiDeploymentContext(c)), nil
}

// apiDeploymentContext is a deployment context as the API shows it.
func apiDeploymentContext(c *deploy.Context) api.DeploymentContext {
	out := api.DeploymentContext{Match: api.DeploymentContextMatch(c.Match), MinutesAfterDeploy: c.MinutesAfterDeploy}
	if c.Deployment != nil {
		out.Deployment = ptr(apiDeployment(c.Deployment))
	}
	if c.Previous != nil {
		out.Previous = ptr(apiDeployment(c.Previous))
	}
	return out
}

// apiDeployment is a deployment as the API shows it.
func apiDeployment(d *deploy.Deployment) api.Deployment {
	return api.Deployment{
		Id: d.UUID, Repository: d.RepositoryFullName, Environment: d.Environment, Release: d.Release,
		CommitSha: d.CommitSHA, ShortCommitSha: deploy.ShortSHA(d.CommitSHA), Branch: nonEmptyPtr(d.Branch),
		DeployedAt: d.DeployedAt, PullRequestNumber: d.PullRequestNumber, Source: api.DeploymentSource(d.Source),
		PreviousCommitSha: nonEmpty(d.PreviousCommitSHA),
		Links: api.DeploymentLinks{
			Commit: nonEmpty(d.Links.Commit), Compare: nonEmpty(d.Links.Compare),
			PullRequest: nonEmpty(d.Links.PullRequest), Release: nonEmpty(d.Links.Release),
		},
	}
}

// nonEmptyPtr is s when it points to a non-empty string, else nil.
func nonEmptyPtr(s *string) *string {
	if s == nil {
		return nil
	}
	return nonEmpty(*s)
}
