package account

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/logister/logister/server/internal/apperr"
)

// Personal access token lifetimes.
const (
	// DefaultTokenTTL is a new token's lifetime when none is asked for.
	DefaultTokenTTL = 30 * 24 * time.Hour
	// MaxTokenTTL is the longest lifetime a token may have.
	MaxTokenTTL = 366 * 24 * time.Hour
)

// NewToken is what CreateToken needs.
type NewToken struct {
	Name  string
	Scope Scope
	// TTL is the token's lifetime: 0 for DefaultTokenTTL, at most MaxTokenTTL.
	TTL time.Duration
	// Within, when set, is the scope of the token creating this one: a token cannot make a
	// stronger one (a write token must not mint an admin token).
	Within Scope
}

// CreateToken makes a personal access token for user and returns its plaintext, which is shown
// once: <prefix>_pat_<64 hex>. Any user may create an admin-scoped token; it reaches the admin API
// only while the user is an instance administrator.
//
// Errors: apperr Unprocessable for a bad name, scope or lifetime; Forbidden "insufficient_scope"
// for a scope above in.Within.
func (s *Service) CreateToken(ctx context.Context, user *User, in NewToken) (string, *AccessToken, error) {
	var problems fieldErrors
	name, ferr := checkName(in.Name)
	problems.add(ferr)
	if !in.Scope.Valid() {
		problems.add(&apperr.FieldError{Field: "scope", Message: "must be read, write or admin"})
	}
	ttl := in.TTL
	if ttl == 0 {
		ttl = DefaultTokenTTL
	}
	if ttl < time.Hour || ttl > MaxTokenTTL {
		problems.add(&apperr.FieldError{Field: "expiresInDays", Message: "must be between 1 and 366 days"})
	}
	if err := problems.err(); err != nil {
		return "", nil, err
	}
	if in.Within != "" && !in.Within.Includes(in.Scope) {
		return "", nil, apperr.ForbiddenCode("insufficient_scope",
			"A token of scope %q cannot create a token of scope %q.", in.Within, in.Scope)
	}
	raw := make([]byte, 32)
	_, _ = rand.Read(raw)
	plaintext := s.opts.TokenPrefix + "_pat_" + hex.EncodeToString(raw)
	t := &AccessToken{
		UserID:      user.ID,
		Name:        name,
		Scope:       in.Scope,
		TokenDigest: Digest(plaintext),
		TokenHint:   plaintext[:len(s.opts.TokenPrefix)+9],
		ExpiresAt:   s.now().Add(ttl).Truncate(time.Second),
	}
	if _, err := s.db.NewInsert().Model(t).Returning("*").Exec(ctx); err != nil {
		return "", nil, fmt.Errorf("account: create token: %w", err)
	}
	return plaintext, t, nil
}

// ListTokens returns a user's tokens that are not revoked (expired ones included), newest first.
func (s *Service) ListTokens(ctx context.Context, userID int64) ([]AccessToken, error) {
	var tokens []AccessToken
	err := s.db.NewSelect().Model(&tokens).Where("user_id = ?", userID).Where("revoked_at IS NULL").
		Order("id DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("account: list tokens: %w", err)
	}
	return tokens, nil
}

// RevokeToken revokes one of a user's tokens.
//
// Errors: apperr NotFound when the user has no such live token.
func (s *Service) RevokeToken(ctx context.Context, userID int64, id uuid.UUID) error {
	res, err := s.db.NewUpdate().Model((*AccessToken)(nil)).Set("revoked_at = now()").
		Where("uuid = ?", id).Where("user_id = ?", userID).Where("revoked_at IS NULL").Exec(ctx)
	if err != nil {
		return fmt.Errorf("account: revoke token: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.NotFound("You have no such access token.")
	}
	return nil
}

// errTokenInvalid is the answer for any bearer token that cannot be used. Which reason is not said.
func errTokenInvalid() error {
	return apperr.UnauthorizedCode("invalid_token", "The access token is not valid, has expired or was revoked.")
}

// AuthenticateToken returns the principal of a personal access token's plaintext.
//
// Errors: apperr Unauthorized ("invalid_token") when the token cannot be used.
func (s *Service) AuthenticateToken(ctx context.Context, plaintext string) (*Principal, error) {
	if plaintext == "" || len(plaintext) > 200 {
		return nil, errTokenInvalid()
	}
	now := s.now()
	var t AccessToken
	err := s.db.NewSelect().Model(&t).Relation("User").
		Where("t.token_digest = ?", Digest(plaintext)).
		Where("t.revoked_at IS NULL").
		Where("t.expires_at > ?", now).
		Where(`"user".disabled_at IS NULL`).
		Where(`"user".confirmed_at IS NOT NULL`).
		Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errTokenInvalid()
	}
	if err != nil {
		return nil, fmt.Errorf("account: authenticate token: %w", err)
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= touchInterval {
		_, err := s.db.NewUpdate().Model((*AccessToken)(nil)).Set("last_used_at = ?", now).
			Where("id = ?", t.ID).Where("last_used_at IS NULL OR last_used_at < ?", now.Add(-touchInterval)).Exec(ctx)
		if err != nil {
			return nil, fmt.Errorf("account: touch token: %w", err)
		}
	}
	return &Principal{User: s.present(t.User), Method: MethodToken, Scope: t.Scope, ExpiresAt: t.ExpiresAt, TokenID: t.ID}, nil
}
