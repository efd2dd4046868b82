package httpapi

import (
	"context"

	"github.com/logister/logister/api"
	"github.com/logister/logister/server/internal/store"
)

// Handlers of a project's ingest keys ("projects" tag).

// ListApiKeys lists a project's keys.
func (s *Server) ListApiKeys(ctx context.Context, _ api.ListApiKeysRequestObject) (api.ListApiKeysResponseObject, error) {
	acc, err := projectAccess(ctx)
	if err != nil {
		return nil, err
	}
	keys, err := s.deps.Projects.Keys(ctx, acc)
	if err != nil {
		return nil, err
	}
	out := api.ApiKeyList{ApiKeys: make([]api.ApiKey, 0, len(keys))}
	for i := range keys {
		out.ApiKeys = append(out.ApiKeys, apiKey(&keys[i], acc.Project))
	}
	return api.ListApiKeys200JSONResponse(out), nil
}

// CreateApiKey makes a key and shows it once.
func (s *Server) CreateApiKey(ctx context.Context, req api.CreateApiKeyRequestObject) (api.CreateApiKeyResponseObject, error) {
	acc, err := projectAccess(ctx)
	if err != nil {
		return nil, err
	}
	plaintext, k, err := s.deps.Projects.CreateProjectKey(ctx, acc, req.Body.Name)
	if err != nil {
		return nil, err
	}
	a := apiKey(k, acc.Project)
	return api.CreateApiKey201JSONResponse{
		Id: a.Id, Name: a.Name, Hint: a.Hint, Active: a.Active, CreatedAt: a.CreatedAt,
		LastUsedAt: a.LastUsedAt, RevokedAt: a.RevokedAt, Key: plaintext,
	}, nil
}

// RevokeApiKey revokes a key.
func (s *Server) RevokeApiKey(ctx context.Context, req api.RevokeApiKeyRequestObject) (api.RevokeApiKeyResponseObject, error) {
	acc, err := projectAccess(ctx)
	if err != nil {
		return nil, err
	}
	id, err := parseID(req.KeyId, "key")
	if err != nil {
		return nil, err
	}
	if _, err := s.deps.Projects.RevokeKey(ctx, acc, id); err != nil {
		return nil, err
	}
	return api.RevokeApiKey204Response{}, nil
}

func apiKey(k *store.APIKey, p *store.Project) api.ApiKey {
	return api.ApiKey{
		Id: k.UUID, Name: k.Name, Hint: k.TokenHint,
		Active:    k.RevokedAt == nil && p.ArchivedAt == nil,
		CreatedAt: k.CreatedAt, LastUsedAt: k.LastUsedAt, RevokedAt: k.RevokedAt,
	}
}
