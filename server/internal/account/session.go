package account

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/logister/logister/server/internal/apperr"
)

// touchInterval is how stale a session's last_seen_at (or a token's last_used_at) may get before a
// request refreshes it: at most one write per session per interval.
const touchInterval = 5 * time.Minute

// NewSession is a session just created. Secret goes into the session cookie and is never stored.
type NewSession struct {
	ID        int64
	Secret    string
	CSRFToken string
	ExpiresAt time.Time
	// TTL is the session's whole lifetime, the cookie's Max-Age.
	TTL time.Duration
}

// CreateSession starts a session for user, which must be able to sign in.
func (s *Service) CreateSession(ctx context.Context, user *User, client ClientInfo) (*NewSession, error) {
	secret := newSecret()
	now := s.now()
	row := &sessionRow{
		UserID:      user.ID,
		TokenDigest: Digest(secret),
		LastSeenAt:  now,
		ExpiresAt:   now.Add(s.opts.SessionTTL),
		IP:          truncate(client.IP, 64),
		UserAgent:   truncate(client.UserAgent, 512),
	}
	if _, err := s.db.NewInsert().Model(row).Returning("*").Exec(ctx); err != nil {
		return nil, fmt.Errorf("account: create session: %w", err)
	}
	// Housekeeping: the user's sessions that can no longer be used.
	_, err := s.db.NewDelete().Model((*sessionRow)(nil)).Where("user_id = ?", user.ID).
		Where("expires_at < ? OR revoked_at IS NOT NULL OR last_seen_at < ?", now, now.Add(-s.opts.SessionIdleTimeout)).
		Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("account: prune sessions: %w", err)
	}
	return &NewSession{ID: row.ID, Secret: secret, CSRFToken: csrfToken(secret), ExpiresAt: row.ExpiresAt, TTL: s.opts.SessionTTL}, nil
}

// errSessionEnded is the answer for any session cookie that cannot be used: unknown, expired, idle
// too long, revoked, or of a user who can no longer sign in. Which one is not said.
func errSessionEnded() error {
	return apperr.UnauthorizedCode("session_expired", "Your session has ended. Sign in again.")
}

// AuthenticateSession returns the principal of the session whose cookie holds secret.
//
// Errors: apperr Unauthorized ("session_expired") when the session cannot be used.
func (s *Service) AuthenticateSession(ctx context.Context, secret string) (*Principal, error) {
	if secret == "" || len(secret) > 128 {
		return nil, errSessionEnded()
	}
	now := s.now()
	var row sessionRow
	err := s.db.NewSelect().Model(&row).Relation("User").
		Where("s.token_digest = ?", Digest(secret)).
		Where("s.revoked_at IS NULL").
		Where("s.expires_at > ?", now).
		Where("s.last_seen_at > ?", now.Add(-s.opts.SessionIdleTimeout)).
		Where(`"user".disabled_at IS NULL`).
		Where(`"user".confirmed_at IS NOT NULL`).
		Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errSessionEnded()
	}
	if err != nil {
		return nil, fmt.Errorf("account: authenticate session: %w", err)
	}
	if now.Sub(row.LastSeenAt) >= touchInterval {
		// Sliding idle expiry; the condition keeps concurrent requests from writing twice.
		_, err := s.db.NewUpdate().Model((*sessionRow)(nil)).Set("last_seen_at = ?", now).
			Where("id = ?", row.ID).Where("last_seen_at < ?", now.Add(-touchInterval)).Exec(ctx)
		if err != nil {
			return nil, fmt.Errorf("account: touch session: %w", err)
		}
	}
	return &Principal{
		User:      s.present(row.User),
		Method:    MethodSession,
		Scope:     ScopeAdmin,
		ExpiresAt: row.ExpiresAt,
		SessionID: row.ID,
		CSRFToken: csrfToken(secret),
	}, nil
}

// RevokeSession ends a session (sign-out).
func (s *Service) RevokeSession(ctx context.Context, sessionID int64) error {
	_, err := s.db.NewUpdate().Model((*sessionRow)(nil)).Set("revoked_at = now()").
		Where("id = ?", sessionID).Where("revoked_at IS NULL").Exec(ctx)
	if err != nil {
		return fmt.Errorf("account: revoke session: %w", err)
	}
	return nil
}

// csrfToken derives a session's anti-forgery token from its secret: HMAC-SHA256 keyed by the secret.
// Only someone who holds the session cookie (which scripts on other sites cannot read) can compute
// it, so nothing more needs storing.
func csrfToken(secret string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("logister csrf v1"))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	// Cut on a rune boundary.
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
