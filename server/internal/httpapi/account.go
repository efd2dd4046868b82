package httpapi

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/logister/logister/api"
	"github.com/logister/logister/server/internal/account"
	"github.com/logister/logister/server/internal/apperr"
)

// Handlers of the "auth" and "me" tags: signing up, in and out, confirmation, password reset, and
// the signed-in user's own account and tokens.

const acceptedMessage = "If the address can receive it, a message is on its way."

// SignUp creates an account: signed in at once with an invitation, else after confirmation.
func (s *Server) SignUp(ctx context.Context, req api.SignUpRequestObject) (api.SignUpResponseObject, error) {
	in := account.SignUpInput{Name: req.Body.Name, Email: req.Body.Email, Password: req.Body.Password}
	if req.Body.InvitationToken != nil {
		in.InvitationToken = *req.Body.InvitationToken
	}
	if err := s.limitAuth(ctx, authSignUp, in.Email); err != nil {
		return nil, err
	}
	info := requestInfoFrom(ctx)
	res, err := s.deps.Accounts.SignUp(ctx, in, info.client)
	if err != nil {
		return nil, err
	}
	if res.Session == nil {
		return api.SignUp202JSONResponse{AcceptedJSONResponse: api.AcceptedJSONResponse{
			Message: "Check your mailbox: follow the link we sent to confirm your address, then sign in.",
		}}, nil
	}
	return api.SignUp201JSONResponse{SignedInJSONResponse: signedIn(res.User, res.Session, info.secure)}, nil
}

// SignIn checks an e-mail and password and starts a session.
func (s *Server) SignIn(ctx context.Context, req api.SignInRequestObject) (api.SignInResponseObject, error) {
	if err := s.limitAuth(ctx, authSignIn, req.Body.Email); err != nil {
		return nil, err
	}
	info := requestInfoFrom(ctx)
	user, sess, err := s.deps.Accounts.SignIn(ctx, req.Body.Email, req.Body.Password, info.client)
	if err != nil {
		return nil, err
	}
	return api.SignIn200JSONResponse{SignedInJSONResponse: signedIn(user, sess, info.secure)}, nil
}

// SignOut ends the current session.
func (s *Server) SignOut(ctx context.Context, _ api.SignOutRequestObject) (api.SignOutResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if p.Method == account.MethodSession {
		if err := s.deps.Accounts.RevokeSession(ctx, p.SessionID); err != nil {
			return nil, err
		}
	}
	return api.SignOut204Response{Headers: api.SignOut204ResponseHeaders{
		SetCookie: ptr(clearedSessionCookie(requestInfoFrom(ctx).secure)),
	}}, nil
}

// GetSession describes the request's principal.
func (s *Server) GetSession(ctx context.Context, _ api.GetSessionRequestObject) (api.GetSessionResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	out := api.Session{
		User:      apiUser(p.User),
		Method:    api.SessionMethod(p.Method),
		Scope:     api.SessionScope(p.Scope),
		ExpiresAt: p.ExpiresAt,
	}
	if p.Method == account.MethodSession {
		out.CsrfToken = ptr(p.CSRFToken)
	}
	return api.GetSession200JSONResponse(out), nil
}

// ConfirmEmail uses a confirmation link.
func (s *Server) ConfirmEmail(ctx context.Context, req api.ConfirmEmailRequestObject) (api.ConfirmEmailResponseObject, error) {
	res, err := s.deps.Accounts.ConfirmEmail(ctx, req.Body.Token)
	if err != nil {
		return nil, err
	}
	return api.ConfirmEmail200JSONResponse{Email: res.User.Email, EmailChanged: res.EmailChanged}, nil
}

// ResendConfirmation mails a new confirmation link, if the address has an unconfirmed account.
func (s *Server) ResendConfirmation(ctx context.Context, req api.ResendConfirmationRequestObject) (api.ResendConfirmationResponseObject, error) {
	if err := s.limitAuth(ctx, authConfirmation, req.Body.Email); err != nil {
		return nil, err
	}
	if err := s.deps.Accounts.ResendConfirmation(ctx, req.Body.Email); err != nil {
		return nil, err
	}
	return api.ResendConfirmation202JSONResponse{AcceptedJSONResponse: api.AcceptedJSONResponse{Message: acceptedMessage}}, nil
}

// RequestPasswordReset mails a reset link, if the address has an account.
func (s *Server) RequestPasswordReset(ctx context.Context, req api.RequestPasswordResetRequestObject) (api.RequestPasswordResetResponseObject, error) {
	if err := s.limitAuth(ctx, authPasswordReset, req.Body.Email); err != nil {
		return nil, err
	}
	if err := s.deps.Accounts.RequestPasswordReset(ctx, req.Body.Email); err != nil {
		return nil, err
	}
	return api.RequestPasswordReset202JSONResponse{AcceptedJSONResponse: api.AcceptedJSONResponse{Message: acceptedMessage}}, nil
}

// ResetPassword sets a new password with a reset link.
func (s *Server) ResetPassword(ctx context.Context, req api.ResetPasswordRequestObject) (api.ResetPasswordResponseObject, error) {
	if err := s.deps.Accounts.ResetPassword(ctx, req.Body.Token, req.Body.Password); err != nil {
		return nil, err
	}
	return api.ResetPassword204Response{}, nil
}

// GetInvitation says which address an invitation is for.
func (s *Server) GetInvitation(ctx context.Context, req api.GetInvitationRequestObject) (api.GetInvitationResponseObject, error) {
	inv, err := s.deps.Accounts.InvitationByToken(ctx, req.Token)
	if err != nil {
		return nil, err
	}
	out := api.Invitation{Email: inv.Email, ExpiresAt: inv.ExpiresAt}
	if inv.ProjectName != "" {
		out.ProjectName, out.Role = ptr(inv.ProjectName), ptr(api.InvitationRole(inv.ProjectRole))
	}
	return api.GetInvitation200JSONResponse(out), nil
}

// UpdateMe changes the user's name.
func (s *Server) UpdateMe(ctx context.Context, req api.UpdateMeRequestObject) (api.UpdateMeResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	u, err := s.deps.Accounts.UpdateProfile(ctx, p.User.ID, req.Body.Name)
	if err != nil {
		return nil, err
	}
	return api.UpdateMe200JSONResponse(apiUser(u)), nil
}

// ChangePassword changes the user's password; other sessions end.
func (s *Server) ChangePassword(ctx context.Context, req api.ChangePasswordRequestObject) (api.ChangePasswordResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	err = s.deps.Accounts.ChangePassword(ctx, p.User.ID, p.SessionID, req.Body.CurrentPassword, req.Body.NewPassword)
	if err != nil {
		return nil, err
	}
	return api.ChangePassword204Response{}, nil
}

// ChangeEmail starts a change of address.
func (s *Server) ChangeEmail(ctx context.Context, req api.ChangeEmailRequestObject) (api.ChangeEmailResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.deps.Accounts.RequestEmailChange(ctx, p.User.ID, req.Body.CurrentPassword, req.Body.Email); err != nil {
		return nil, err
	}
	return api.ChangeEmail202JSONResponse{AcceptedJSONResponse: api.AcceptedJSONResponse{
		Message: "Follow the link we sent to the new address to confirm it; until then your address stays the same.",
	}}, nil
}

// ListTokens lists the user's personal access tokens.
func (s *Server) ListTokens(ctx context.Context, _ api.ListTokensRequestObject) (api.ListTokensResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	tokens, err := s.deps.Accounts.ListTokens(ctx, p.User.ID)
	if err != nil {
		return nil, err
	}
	out := api.PersonalAccessTokenList{Tokens: make([]api.PersonalAccessToken, 0, len(tokens))}
	for i := range tokens {
		out.Tokens = append(out.Tokens, apiToken(&tokens[i]))
	}
	return api.ListTokens200JSONResponse(out), nil
}

// CreateToken makes a personal access token and shows it once.
func (s *Server) CreateToken(ctx context.Context, req api.CreateTokenRequestObject) (api.CreateTokenResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	in := account.NewToken{Name: req.Body.Name, Scope: account.Scope(req.Body.Scope), Within: p.Scope}
	if req.Body.ExpiresInDays != nil {
		in.TTL = time.Duration(*req.Body.ExpiresInDays) * 24 * time.Hour
	}
	plaintext, t, err := s.deps.Accounts.CreateToken(ctx, p.User, in)
	if err != nil {
		return nil, err
	}
	v := apiToken(t)
	return api.CreateToken201JSONResponse{
		Id: v.Id, Name: v.Name, Scope: api.CreatedPersonalAccessTokenScope(v.Scope), Hint: v.Hint,
		CreatedAt: v.CreatedAt, ExpiresAt: v.ExpiresAt, LastUsedAt: v.LastUsedAt, Token: plaintext,
	}, nil
}

// RevokeToken revokes one of the user's tokens.
func (s *Server) RevokeToken(ctx context.Context, req api.RevokeTokenRequestObject) (api.RevokeTokenResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	id, err := uuid.Parse(req.TokenId)
	if err != nil {
		return nil, apperr.NotFound("You have no such access token.")
	}
	if err := s.deps.Accounts.RevokeToken(ctx, p.User.ID, id); err != nil {
		return nil, err
	}
	return api.RevokeToken204Response{}, nil
}

// signedIn is the answer that starts a session: the cookie and the principal.
func signedIn(u *account.User, sess *account.NewSession, secure bool) api.SignedInJSONResponse {
	return api.SignedInJSONResponse{
		Body: api.Session{
			User:      apiUser(u),
			Method:    api.SessionMethod(account.MethodSession),
			Scope:     api.SessionScope(account.ScopeAdmin),
			ExpiresAt: sess.ExpiresAt,
			CsrfToken: ptr(sess.CSRFToken),
		},
		Headers: api.SignedInResponseHeaders{SetCookie: ptr(sessionCookie(sess, secure))},
	}
}

func apiUser(u *account.User) api.User {
	return api.User{
		Id:           u.UUID,
		Email:        u.Email,
		Name:         u.Name,
		Admin:        u.Admin,
		Confirmed:    u.Confirmed(),
		Disabled:     u.Disabled(),
		PendingEmail: u.PendingEmail,
		CreatedAt:    u.CreatedAt,
		LastSignInAt: u.LastSignInAt,
	}
}

func apiToken(t *account.AccessToken) api.PersonalAccessToken {
	return api.PersonalAccessToken{
		Id:         t.UUID,
		Name:       t.Name,
		Scope:      api.PersonalAccessTokenScope(t.Scope),
		Hint:       t.TokenHint,
		CreatedAt:  t.CreatedAt,
		ExpiresAt:  t.ExpiresAt,
		LastUsedAt: t.LastUsedAt,
	}
}
