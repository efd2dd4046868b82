package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/logister/logister/server/internal/apperr"
)

// issueToken makes a one-time token for purpose and returns its plaintext. Earlier unused tokens of
// the same purpose for the same user (or, for invitations, the same address) stop working: only the
// newest link in someone's mailbox counts.
func (s *Service) issueToken(ctx context.Context, db bun.IDB, p purpose, userID *int64, email string, createdBy *int64, ttl time.Duration) (string, *oneTimeToken, error) {
	now := s.now()
	q := db.NewUpdate().Model((*oneTimeToken)(nil)).Set("used_at = ?", now).
		Where("purpose = ?", p).Where("used_at IS NULL")
	if userID != nil {
		q = q.Where("user_id = ?", *userID)
	} else {
		q = q.Where("user_id IS NULL").Where("email = ?", email)
	}
	if _, err := q.Exec(ctx); err != nil {
		return "", nil, fmt.Errorf("account: retire tokens: %w", err)
	}
	plaintext := newSecret()
	t := &oneTimeToken{
		Purpose: p, TokenDigest: Digest(plaintext), UserID: userID, Email: email, CreatedBy: createdBy,
		ExpiresAt: now.Add(ttl),
	}
	if _, err := db.NewInsert().Model(t).Returning("*").Exec(ctx); err != nil {
		return "", nil, fmt.Errorf("account: issue token: %w", err)
	}
	return plaintext, t, nil
}

// consumeToken uses up the one-time token plaintext if it is live and has one of the purposes.
// It runs on db, the caller's transaction, so the token is used exactly when the change commits;
// of two concurrent uses, one wins.
//
// Errors: apperr NotFound ("invalid_link") for an unknown, used or foreign token, Gone
// ("link_expired") for an expired one.
func (s *Service) consumeToken(ctx context.Context, db bun.IDB, plaintext string, purposes ...purpose) (*oneTimeToken, error) {
	var t oneTimeToken
	now := s.now()
	err := db.NewUpdate().Model(&t).Set("used_at = ?", now).
		Where("token_digest = ?", Digest(plaintext)).
		Where("purpose IN (?)", bun.List(purposes)).
		Where("used_at IS NULL").
		Where("expires_at > ?", now).
		Returning("*").Scan(ctx)
	if err == nil {
		return &t, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("account: use token: %w", err)
	}
	return nil, s.whyUnusable(ctx, db, plaintext, purposes)
}

// peekToken returns the live one-time token plaintext without using it.
//
// Errors: as consumeToken.
func (s *Service) peekToken(ctx context.Context, db bun.IDB, plaintext string, purposes ...purpose) (*oneTimeToken, error) {
	var t oneTimeToken
	err := db.NewSelect().Model(&t).
		Where("token_digest = ?", Digest(plaintext)).
		Where("purpose IN (?)", bun.List(purposes)).
		Where("used_at IS NULL").
		Where("expires_at > ?", s.now()).
		Scan(ctx)
	if err == nil {
		return &t, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("account: read token: %w", err)
	}
	return nil, s.whyUnusable(ctx, db, plaintext, purposes)
}

// whyUnusable tells an expired link (worth asking for a new one) from any other unusable one.
func (s *Service) whyUnusable(ctx context.Context, db bun.IDB, plaintext string, purposes []purpose) error {
	expired, err := db.NewSelect().Model((*oneTimeToken)(nil)).
		Where("token_digest = ?", Digest(plaintext)).
		Where("purpose IN (?)", bun.List(purposes)).
		Where("used_at IS NULL").
		Where("expires_at <= ?", s.now()).
		Exists(ctx)
	if err != nil {
		return fmt.Errorf("account: read token: %w", err)
	}
	if expired {
		return apperr.Gone("link_expired", "This link has expired. Ask for a new one.")
	}
	e := apperr.NotFound("This link is not valid: it may have been used already, or replaced by a newer one.")
	e.Code = "invalid_link"
	return e
}
