package project

import (
	"context"
	"database/sql"
	"errors"

	"github.com/google/uuid"

	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/store"
)

// Keys lists the project's ingest keys, revoked ones included, newest first (admin).
func (s *Service) Keys(ctx context.Context, acc *Access) ([]store.APIKey, error) {
	return store.ListAPIKeys(ctx, s.db, acc.Project.ID)
}

// CreateProjectKey makes an ingest key (admin) and returns its plaintext, shown once.
//
// Errors: apperr Unprocessable for a bad name; Conflict "project_archived".
func (s *Service) CreateProjectKey(ctx context.Context, acc *Access, name string) (string, *store.APIKey, error) {
	return s.createKey(ctx, acc.Project.ID, name)
}

// RevokeKey revokes one of the project's keys (admin). There is no un-revoke; the key stays listed.
// Revoking a revoked key changes nothing. Ingestion with it stops within the Authenticator's cache
// time.
//
// Errors: apperr NotFound when the project has no such key.
func (s *Service) RevokeKey(ctx context.Context, acc *Access, keyID uuid.UUID) (*store.APIKey, error) {
	k, err := store.RevokeProjectKey(ctx, s.db, acc.Project.ID, keyID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.NotFound("No such key.")
	}
	return k, err
}
