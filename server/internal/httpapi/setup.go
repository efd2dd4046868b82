package httpapi

import (
	"context"

	"github.com/logister/logister/api"
	"github.com/logister/logister/server/internal/account"
)

// GetSetupToken says whether a one-time setup link is valid.
func (s *Server) GetSetupToken(ctx context.Context, req api.GetSetupTokenRequestObject) (api.GetSetupTokenResponseObject, error) {
	if err := s.deps.Setup.Check(ctx, req.Token); err != nil {
		return nil, err
	}
	return api.GetSetupToken200JSONResponse{
		Valid:                    true,
		AccountCreationAvailable: true,
		Message:                  "This link creates the first administrator of this instance. It works once.",
	}, nil
}

// ClaimSetup redeems the setup link: it creates the first administrator and signs them in.
func (s *Server) ClaimSetup(ctx context.Context, req api.ClaimSetupRequestObject) (api.ClaimSetupResponseObject, error) {
	if err := s.limitAuth(ctx, authSetupClaim, ""); err != nil {
		return nil, err
	}
	info := requestInfoFrom(ctx)
	user, sess, err := s.deps.Setup.Claim(ctx, req.Token,
		account.NewUser{Name: req.Body.Name, Email: req.Body.Email, Password: req.Body.Password}, info.client)
	if err != nil {
		return nil, err
	}
	return api.ClaimSetup201JSONResponse{SignedInJSONResponse: signedIn(user, sess, info.secure)}, nil
}
