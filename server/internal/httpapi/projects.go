package httpapi

import (
	"context"

	"github.com/google/uuid"

	"github.com/logister/logister/api"
	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/project"
	"github.com/logister/logister/server/internal/store"
)

// Handlers of the "projects" tag. Operations on /api/v1/projects/{projectId}/... reach their
// handler only once authorizeProject (auth.go) has resolved the caller's access to the project and
// checked the role openapi.yaml declares; handlers read it with projectAccess(ctx).

// ListProjects lists the caller's projects.
func (s *Server) ListProjects(ctx context.Context, req api.ListProjectsRequestObject) (api.ListProjectsResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	state := store.StateActive
	if req.Params.State != nil {
		state = store.ProjectState(*req.Params.State)
	}
	views, err := s.deps.Projects.List(ctx, project.ActorOf(p), state)
	if err != nil {
		return nil, err
	}
	out := api.ProjectList{Projects: make([]api.Project, 0, len(views))}
	for _, v := range views {
		out.Projects = append(out.Projects, apiProject(v))
	}
	return api.ListProjects200JSONResponse(out), nil
}

// CreateProject creates a project owned by the caller.
func (s *Server) CreateProject(ctx context.Context, req api.CreateProjectRequestObject) (api.CreateProjectResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	in := project.NewProject{Name: req.Body.Name}
	if req.Body.Slug != nil {
		in.Slug = *req.Body.Slug
	}
	if req.Body.Description != nil {
		in.Description = *req.Body.Description
	}
	if req.Body.IntegrationKind != nil {
		in.Kind = string(*req.Body.IntegrationKind)
	}
	v, err := s.deps.Projects.CreateOwned(ctx, project.ActorOf(p), in)
	if err != nil {
		return nil, err
	}
	return api.CreateProject201JSONResponse(apiProject(v)), nil
}

// GetProject describes a project.
func (s *Server) GetProject(ctx context.Context, _ api.GetProjectRequestObject) (api.GetProjectResponseObject, error) {
	acc, err := projectAccess(ctx)
	if err != nil {
		return nil, err
	}
	v, err := s.deps.Projects.Get(ctx, acc)
	if err != nil {
		return nil, err
	}
	return api.GetProject200JSONResponse(apiProject(v)), nil
}

// UpdateProject changes a project's settings.
func (s *Server) UpdateProject(ctx context.Context, req api.UpdateProjectRequestObject) (api.UpdateProjectResponseObject, error) {
	acc, err := projectAccess(ctx)
	if err != nil {
		return nil, err
	}
	c := project.Change{Name: req.Body.Name, Slug: req.Body.Slug, Description: req.Body.Description}
	if k := req.Body.IntegrationKind; k != nil {
		c.IntegrationKind = ptr(string(*k))
	}
	v, err := s.deps.Projects.Update(ctx, acc, c)
	if err != nil {
		return nil, err
	}
	return api.UpdateProject200JSONResponse(apiProject(v)), nil
}

// ArchiveProject archives a project and revokes its keys.
func (s *Server) ArchiveProject(ctx context.Context, _ api.ArchiveProjectRequestObject) (api.ArchiveProjectResponseObject, error) {
	acc, err := projectAccess(ctx)
	if err != nil {
		return nil, err
	}
	v, err := s.deps.Projects.Archive(ctx, acc)
	if err != nil {
		return nil, err
	}
	return api.ArchiveProject200JSONResponse(apiProject(v)), nil
}

// RestoreProject restores an archived project.
func (s *Server) RestoreProject(ctx context.Context, _ api.RestoreProjectRequestObject) (api.RestoreProjectResponseObject, error) {
	acc, err := projectAccess(ctx)
	if err != nil {
		return nil, err
	}
	v, err := s.deps.Projects.Restore(ctx, acc)
	if err != nil {
		return nil, err
	}
	return api.RestoreProject200JSONResponse(apiProject(v)), nil
}

// DeleteProject deletes a project and all its data.
func (s *Server) DeleteProject(ctx context.Context, _ api.DeleteProjectRequestObject) (api.DeleteProjectResponseObject, error) {
	acc, err := projectAccess(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.deps.Projects.Delete(ctx, acc); err != nil {
		return nil, err
	}
	return api.DeleteProject204Response{}, nil
}

// AcceptProjectInvitation makes the signed-in user a member of the project they were invited into.
func (s *Server) AcceptProjectInvitation(ctx context.Context, req api.AcceptProjectInvitationRequestObject) (api.AcceptProjectInvitationResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	v, err := s.deps.Projects.AcceptInvitation(ctx, project.ActorOf(p), req.Token)
	if err != nil {
		return nil, err
	}
	return api.AcceptProjectInvitation200JSONResponse(apiProject(v)), nil
}

func apiProject(v *project.View) api.Project {
	out := api.Project{
		Id:                  v.UUID,
		Name:                v.Name,
		Slug:                v.Slug,
		Description:         v.Description,
		IntegrationKind:     api.IntegrationKind(v.IntegrationKind),
		Archived:            v.ArchivedAt != nil,
		ArchivedAt:          v.ArchivedAt,
		DeletionRequestedAt: v.DeletionRequestedAt,
		Access:              api.ProjectAccess(v.Level),
		CreatedAt:           v.CreatedAt,
		UpdatedAt:           v.UpdatedAt,
	}
	if v.Owner != nil {
		out.Owner = ptr(apiUserSummary(v.Owner))
	}
	if v.Role != "" {
		out.Role = ptr(api.ProjectRole(v.Role))
	}
	return out
}

func apiUserSummary(u *store.UserSummary) api.UserSummary {
	return api.UserSummary{Id: u.UUID, Email: u.Email, Name: u.Name}
}

// parseID reads the id of a thing in a path; anything but a UUID names nothing, as what says.
func parseID(s, what string) (uuid.UUID, error) {
	id, err := uuid.Parse(s)
	if err != nil {
		return uuid.Nil, apperr.NotFound("No such %s.", what)
	}
	return id, nil
}
