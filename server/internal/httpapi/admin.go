package httpapi

import (
	"context"

	"github.com/google/uuid"

	"github.com/logister/logister/api"
	"github.com/logister/logister/server/internal/account"
	"github.com/logister/logister/server/internal/apperr"
)

// Handlers of the "admin" tag. openapi.yaml marks each `x-logister-admin-only`, so the validator
// has already refused anyone who is not an instance administrator (auth.go).

// AdminListUsers lists and searches users.
func (s *Server) AdminListUsers(ctx context.Context, req api.AdminListUsersRequestObject) (api.AdminListUsersResponseObject, error) {
	q := account.UserQuery{}
	q.Search = deref(req.Params.Q)
	q.Cursor = deref(req.Params.Cursor)
	q.Limit = deref(req.Params.Limit)
	page, err := s.deps.Accounts.ListUsers(ctx, q)
	if err != nil {
		return nil, err
	}
	out := api.UserPage{Users: make([]api.User, 0, len(page.Users))}
	for _, u := range page.Users {
		out.Users = append(out.Users, apiUser(u))
	}
	if page.NextCursor != "" {
		out.NextCursor = ptr(page.NextCursor)
	}
	return api.AdminListUsers200JSONResponse(out), nil
}

// AdminConfirmUser confirms a user's address.
func (s *Server) AdminConfirmUser(ctx context.Context, req api.AdminConfirmUserRequestObject) (api.AdminConfirmUserResponseObject, error) {
	id, err := parseUserID(req.UserId)
	if err != nil {
		return nil, err
	}
	u, err := s.deps.Accounts.ConfirmUser(ctx, id)
	if err != nil {
		return nil, err
	}
	return api.AdminConfirmUser200JSONResponse(apiUser(u)), nil
}

// AdminResendConfirmation mails an unconfirmed user a new confirmation link.
func (s *Server) AdminResendConfirmation(ctx context.Context, req api.AdminResendConfirmationRequestObject) (api.AdminResendConfirmationResponseObject, error) {
	id, err := parseUserID(req.UserId)
	if err != nil {
		return nil, err
	}
	if err := s.deps.Accounts.ResendConfirmationTo(ctx, id); err != nil {
		return nil, err
	}
	return api.AdminResendConfirmation202JSONResponse{AcceptedJSONResponse: api.AcceptedJSONResponse{
		Message: "A new confirmation link is in the outbox.",
	}}, nil
}

// AdminDisableUser disables a user, ending their sessions and tokens.
func (s *Server) AdminDisableUser(ctx context.Context, req api.AdminDisableUserRequestObject) (api.AdminDisableUserResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	id, err := parseUserID(req.UserId)
	if err != nil {
		return nil, err
	}
	u, err := s.deps.Accounts.SetDisabled(ctx, p.User, id, true)
	if err != nil {
		return nil, err
	}
	return api.AdminDisableUser200JSONResponse(apiUser(u)), nil
}

// AdminEnableUser re-enables a disabled user.
func (s *Server) AdminEnableUser(ctx context.Context, req api.AdminEnableUserRequestObject) (api.AdminEnableUserResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	id, err := parseUserID(req.UserId)
	if err != nil {
		return nil, err
	}
	u, err := s.deps.Accounts.SetDisabled(ctx, p.User, id, false)
	if err != nil {
		return nil, err
	}
	return api.AdminEnableUser200JSONResponse(apiUser(u)), nil
}

// AdminDeleteUser deletes a user other than the caller.
func (s *Server) AdminDeleteUser(ctx context.Context, req api.AdminDeleteUserRequestObject) (api.AdminDeleteUserResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	id, err := parseUserID(req.UserId)
	if err != nil {
		return nil, err
	}
	if err := s.deps.Accounts.DeleteUser(ctx, p.User, id); err != nil {
		return nil, err
	}
	return api.AdminDeleteUser204Response{}, nil
}

// AdminCreateInvitation invites an address to sign up.
func (s *Server) AdminCreateInvitation(ctx context.Context, req api.AdminCreateInvitationRequestObject) (api.AdminCreateInvitationResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	inv, err := s.deps.Accounts.Invite(ctx, p.User, req.Body.Email)
	if err != nil {
		return nil, err
	}
	return api.AdminCreateInvitation201JSONResponse{Email: inv.Email, ExpiresAt: inv.ExpiresAt}, nil
}

// AdminListMail lists the e-mail outbox, newest first.
func (s *Server) AdminListMail(ctx context.Context, req api.AdminListMailRequestObject) (api.AdminListMailResponseObject, error) {
	page, err := s.deps.Mail.List(ctx, deref(req.Params.Cursor), deref(req.Params.Limit))
	if err != nil {
		return nil, err
	}
	out := api.MailPage{Messages: make([]api.MailMessage, 0, len(page.Messages))}
	for _, m := range page.Messages {
		out.Messages = append(out.Messages, api.MailMessage{
			Id: m.UUID, Kind: m.Kind, To: m.To, Subject: m.Subject, Text: m.Text,
			Status: api.MailMessageStatus(m.Status), CreatedAt: m.CreatedAt, SentAt: m.SentAt,
		})
	}
	if page.NextCursor != "" {
		out.NextCursor = ptr(page.NextCursor)
	}
	return api.AdminListMail200JSONResponse(out), nil
}

// AdminGetInstance describes the instance and its services for administrators.
func (s *Server) AdminGetInstance(ctx context.Context, _ api.AdminGetInstanceRequestObject) (api.AdminGetInstanceResponseObject, error) {
	out := api.AdminInstance{
		Name:    s.deps.InstanceName,
		Version: s.deps.Version,
		Signup:  api.AdminInstanceSignup(s.deps.Accounts.Signup()),
	}
	if s.deps.Commit != "" {
		out.Commit = ptr(s.deps.Commit)
	}
	// The database always exists; Redis when configured (the readiness checker pings it then).
	// SMTP, S3, ClickHouse and GitHub are not supported yet, so never configured.
	checks := map[string]*api.ServiceStatus{}
	for _, c := range s.deps.Health.Check(ctx).Checks {
		if c.Name != "database" && c.Name != "redis" {
			continue
		}
		st := &api.ServiceStatus{Name: api.ServiceStatusName(c.Name), Configured: true, Ok: ptr(c.OK)}
		if c.Message != "" {
			st.Message = ptr(c.Message)
		}
		checks[c.Name] = st
	}
	for _, name := range []api.ServiceStatusName{api.Database, api.Redis, api.Smtp, api.S3, api.Clickhouse, api.Github} {
		if st, ok := checks[string(name)]; ok {
			out.Services = append(out.Services, *st)
		} else {
			out.Services = append(out.Services, api.ServiceStatus{Name: name, Configured: false})
		}
	}
	return api.AdminGetInstance200JSONResponse(out), nil
}

// parseUserID reads a user id from a path; anything but a UUID names no user.
func parseUserID(s string) (uuid.UUID, error) {
	id, err := uuid.Parse(s)
	if err != nil {
		return uuid.Nil, apperr.NotFound("No such user.")
	}
	return id, nil
}
