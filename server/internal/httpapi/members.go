package httpapi

import (
	"context"

	"github.com/logister/logister/api"
	"github.com/logister/logister/server/internal/account"
	"github.com/logister/logister/server/internal/project"
	"github.com/logister/logister/server/internal/store"
)

// Handlers of a project's team: members and invitations ("projects" tag).

// ListProjectMembers lists the owner and the members.
func (s *Server) ListProjectMembers(ctx context.Context, _ api.ListProjectMembersRequestObject) (api.ListProjectMembersResponseObject, error) {
	acc, err := projectAccess(ctx)
	if err != nil {
		return nil, err
	}
	items, err := s.deps.Projects.Members(ctx, acc)
	if err != nil {
		return nil, err
	}
	out := api.ProjectMemberList{Members: make([]api.ProjectMember, 0, len(items))}
	for i := range items {
		out.Members = append(out.Members, apiMember(&items[i]))
	}
	return api.ListProjectMembers200JSONResponse(out), nil
}

// AddProjectMember adds an existing user, or invites an address.
func (s *Server) AddProjectMember(ctx context.Context, req api.AddProjectMemberRequestObject) (api.AddProjectMemberResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	acc, err := projectAccess(ctx)
	if err != nil {
		return nil, err
	}
	role := project.RoleViewer
	if req.Body.Role != nil {
		role = project.Role(*req.Body.Role)
	}
	res, err := s.deps.Projects.AddMember(ctx, project.ActorOf(p), acc, req.Body.Email, role)
	if err != nil {
		return nil, err
	}
	if res.Member != nil {
		return api.AddProjectMember201JSONResponse(apiMember(res.Member)), nil
	}
	inv, err := s.apiInvitation(ctx, res.Invitation)
	if err != nil {
		return nil, err
	}
	return api.AddProjectMember202JSONResponse(inv), nil
}

// UpdateProjectMember changes a member's role.
func (s *Server) UpdateProjectMember(ctx context.Context, req api.UpdateProjectMemberRequestObject) (api.UpdateProjectMemberResponseObject, error) {
	acc, err := projectAccess(ctx)
	if err != nil {
		return nil, err
	}
	id, err := parseID(req.UserId, "member")
	if err != nil {
		return nil, err
	}
	m, err := s.deps.Projects.UpdateMember(ctx, acc, id, project.Role(req.Body.Role))
	if err != nil {
		return nil, err
	}
	return api.UpdateProjectMember200JSONResponse(apiMember(m)), nil
}

// RemoveProjectMember removes a member, or lets one leave.
func (s *Server) RemoveProjectMember(ctx context.Context, req api.RemoveProjectMemberRequestObject) (api.RemoveProjectMemberResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	acc, err := projectAccess(ctx)
	if err != nil {
		return nil, err
	}
	id, err := parseID(req.UserId, "member")
	if err != nil {
		return nil, err
	}
	if err := s.deps.Projects.RemoveMember(ctx, project.ActorOf(p), acc, id); err != nil {
		return nil, err
	}
	return api.RemoveProjectMember204Response{}, nil
}

// ListProjectInvitations lists pending invitations.
func (s *Server) ListProjectInvitations(ctx context.Context, _ api.ListProjectInvitationsRequestObject) (api.ListProjectInvitationsResponseObject, error) {
	acc, err := projectAccess(ctx)
	if err != nil {
		return nil, err
	}
	invs, err := s.deps.Projects.Invitations(ctx, acc)
	if err != nil {
		return nil, err
	}
	out := api.ProjectInvitationList{Invitations: make([]api.ProjectInvitation, 0, len(invs))}
	for _, inv := range invs {
		a, err := s.apiInvitation(ctx, inv)
		if err != nil {
			return nil, err
		}
		out.Invitations = append(out.Invitations, a)
	}
	return api.ListProjectInvitations200JSONResponse(out), nil
}

// RevokeProjectInvitation withdraws a pending invitation.
func (s *Server) RevokeProjectInvitation(ctx context.Context, req api.RevokeProjectInvitationRequestObject) (api.RevokeProjectInvitationResponseObject, error) {
	acc, err := projectAccess(ctx)
	if err != nil {
		return nil, err
	}
	id, err := parseID(req.InvitationId, "invitation")
	if err != nil {
		return nil, err
	}
	if err := s.deps.Projects.RevokeInvitation(ctx, acc, id); err != nil {
		return nil, err
	}
	return api.RevokeProjectInvitation204Response{}, nil
}

func apiMember(m *store.MemberListItem) api.ProjectMember {
	return api.ProjectMember{User: apiUserSummary(&m.User), Role: api.ProjectMemberRole(m.Role), AddedAt: m.AddedAt}
}

func (s *Server) apiInvitation(ctx context.Context, inv *account.ProjectInvitation) (api.ProjectInvitation, error) {
	out := api.ProjectInvitation{
		Id: inv.ID, Email: inv.Email, Role: api.ProjectInvitationRole(inv.Role),
		CreatedAt: inv.CreatedAt, ExpiresAt: inv.ExpiresAt,
	}
	if inv.InvitedBy != nil {
		u, err := s.deps.Projects.UserSummary(ctx, *inv.InvitedBy)
		if err != nil {
			return out, err
		}
		if u != nil {
			out.InvitedBy = ptr(apiUserSummary(u))
		}
	}
	return out, nil
}
