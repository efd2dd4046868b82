package httpapi

import (
	"context"

	"github.com/logister/logister/api"
)

// GetSetupToken says whether a one-time setup link is valid.
func (s *Server) GetSetupToken(ctx context.Context, req api.GetSetupTokenRequestObject) (api.GetSetupTokenResponseObject, error) {
	if err := s.deps.Setup.Check(ctx, req.Token); err != nil {
		return nil, err
	}
	return api.GetSetupToken200JSONResponse{
		Valid:                    true,
		AccountCreationAvailable: false,
		Message: "This version of Logister cannot create the first administrator " +
			"yet; that arrives with the accounts feature. Restarting the server prints a new link.",
	}, nil
}
