package httpapi

import (
	"context"
	"time"

	"github.com/logister/logister/api"
	"github.com/logister/logister/server/internal/project"
	"github.com/logister/logister/server/internal/store"
)

// Handlers of the admin API's projects (the "admin" tag; instance administrators only).

// AdminListProjects lists and searches every project.
func (s *Server) AdminListProjects(ctx context.Context, req api.AdminListProjectsRequestObject) (api.AdminListProjectsResponseObject, error) {
	q := project.AdminQuery{}
	q.Search = deref(req.Params.Q)
	if req.Params.State != nil {
		q.State = store.ProjectState(*req.Params.State)
	}
	q.Cursor = deref(req.Params.Cursor)
	q.Limit = deref(req.Params.Limit)
	page, err := s.deps.Projects.ListAll(ctx, q)
	if err != nil {
		return nil, err
	}
	out := api.AdminProjectPage{Projects: make([]api.AdminProject, 0, len(page.Projects))}
	for _, e := range page.Projects {
		p := apiProject(e.View)
		out.Projects = append(out.Projects, api.AdminProject{
			Id: p.Id, Name: p.Name, Slug: p.Slug, Description: p.Description, IntegrationKind: p.IntegrationKind,
			Archived: p.Archived, ArchivedAt: p.ArchivedAt, DeletionRequestedAt: p.DeletionRequestedAt,
			Owner: p.Owner, Access: api.AdminProjectAccess(p.Access), CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
			MemberCount: e.MemberCount,
		})
	}
	if page.NextCursor != "" {
		out.NextCursor = ptr(page.NextCursor)
	}
	return api.AdminListProjects200JSONResponse(out), nil
}

// AdminGetProjectRateLimits shows a project's overrides and effective limits.
func (s *Server) AdminGetProjectRateLimits(ctx context.Context, _ api.AdminGetProjectRateLimitsRequestObject) (api.AdminGetProjectRateLimitsResponseObject, error) {
	acc, err := projectAccess(ctx)
	if err != nil {
		return nil, err
	}
	return api.AdminGetProjectRateLimits200JSONResponse(s.apiRateLimits(acc.Project)), nil
}

// AdminSetProjectRateLimits replaces a project's overrides.
func (s *Server) AdminSetProjectRateLimits(ctx context.Context, req api.AdminSetProjectRateLimitsRequestObject) (api.AdminSetProjectRateLimitsResponseObject, error) {
	acc, err := projectAccess(ctx)
	if err != nil {
		return nil, err
	}
	change := project.RateLimitChange{
		Requests:      overrideOf(req.Body.Requests),
		PeriodSeconds: overrideOf(req.Body.PeriodSeconds),
		AuthFailures:  overrideOf(req.Body.AuthFailures),
	}
	p, err := s.deps.Projects.SetProjectRateLimits(ctx, acc.Project, change)
	if err != nil {
		return nil, err
	}
	return api.AdminSetProjectRateLimits200JSONResponse(s.apiRateLimits(p)), nil
}

func overrideOf(v *int) project.Override {
	if v == nil {
		return project.Inherit
	}
	return project.SetTo(*v)
}

func (s *Server) apiRateLimits(p *store.Project) api.ProjectRateLimits {
	effective := project.RateLimits(s.deps.RateLimits.WithDefaults(), p.RateLimits)
	return api.ProjectRateLimits{
		Overrides: api.RateLimitOverrides{
			Requests: p.RateLimits.Requests, PeriodSeconds: p.RateLimits.PeriodSeconds, AuthFailures: p.RateLimits.AuthFailures,
		},
		Effective: api.EffectiveRateLimits{
			Requests:      int(effective.Requests),
			PeriodSeconds: int(effective.Period / time.Second),
			AuthFailures:  int(effective.AuthFailures),
			PreAuth:       int(effective.PreAuth),
		},
	}
}
