package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"

	"github.com/logister/logister/server/internal/store"
)

// This file holds the account tables' bun models and their queries.

// User is a person who signs in.
type User struct {
	bun.BaseModel `bun:"table:users,alias:u"`

	ID    int64     `bun:"id,pk,autoincrement"`
	UUID  uuid.UUID `bun:"uuid,nullzero"`
	Email string    `bun:"email"`
	Name  string    `bun:"name"`
	// PasswordHash is an argon2id PHC string.
	PasswordHash string `bun:"password_hash"`
	// IsAdmin is the stored administrator flag; Admin is what counts.
	IsAdmin     bool       `bun:"is_admin"`
	ConfirmedAt *time.Time `bun:"confirmed_at"`
	// PendingEmail is an address the user is changing to, awaiting confirmation.
	PendingEmail      *string    `bun:"pending_email"`
	DisabledAt        *time.Time `bun:"disabled_at"`
	PasswordChangedAt time.Time  `bun:"password_changed_at,nullzero"`
	LastSignInAt      *time.Time `bun:"last_sign_in_at"`
	CreatedAt         time.Time  `bun:"created_at,nullzero"`
	UpdatedAt         time.Time  `bun:"updated_at,nullzero"`

	// Admin reports whether the user is an instance administrator: the stored flag, or an e-mail
	// listed in LOGISTER_ADMIN_EMAILS. The Service sets it on every user it returns.
	Admin bool `bun:"-"`
}

// Confirmed reports whether the user has confirmed their e-mail address.
func (u *User) Confirmed() bool { return u.ConfirmedAt != nil }

// Disabled reports whether an administrator has disabled the user.
func (u *User) Disabled() bool { return u.DisabledAt != nil }

// sessionRow is a browser session.
type sessionRow struct {
	bun.BaseModel `bun:"table:sessions,alias:s"`

	ID          int64      `bun:"id,pk,autoincrement"`
	UUID        uuid.UUID  `bun:"uuid,nullzero"`
	UserID      int64      `bun:"user_id"`
	TokenDigest string     `bun:"token_digest"`
	CreatedAt   time.Time  `bun:"created_at,nullzero"`
	LastSeenAt  time.Time  `bun:"last_seen_at,nullzero"`
	ExpiresAt   time.Time  `bun:"expires_at"`
	RevokedAt   *time.Time `bun:"revoked_at"`
	IP          string     `bun:"ip"`
	UserAgent   string     `bun:"user_agent"`

	User *User `bun:"rel:belongs-to,join:user_id=id"`
}

// AccessToken is a personal access token (its plaintext is never stored).
type AccessToken struct {
	bun.BaseModel `bun:"table:personal_access_tokens,alias:t"`

	ID          int64     `bun:"id,pk,autoincrement"`
	UUID        uuid.UUID `bun:"uuid,nullzero"`
	UserID      int64     `bun:"user_id"`
	Name        string    `bun:"name"`
	Scope       Scope     `bun:"scope"`
	TokenDigest string    `bun:"token_digest"`
	// TokenHint is the start of the plaintext, to tell tokens apart.
	TokenHint  string     `bun:"token_hint"`
	ExpiresAt  time.Time  `bun:"expires_at"`
	LastUsedAt *time.Time `bun:"last_used_at"`
	RevokedAt  *time.Time `bun:"revoked_at"`
	CreatedAt  time.Time  `bun:"created_at,nullzero"`

	User *User `bun:"rel:belongs-to,join:user_id=id"`
}

// purpose is what a one-time token does.
type purpose string

const (
	purposeConfirm     purpose = "confirm_email"
	purposeReset       purpose = "reset_password"
	purposeEmailChange purpose = "change_email"
	purposeInvitation  purpose = "invitation"
	// purposeProjectInvitation invites an address into a project (ProjectID, ProjectRole).
	purposeProjectInvitation purpose = "project_invitation"
)

// oneTimeToken is a token sent by e-mail, used at most once.
type oneTimeToken struct {
	bun.BaseModel `bun:"table:account_tokens"`

	ID          int64      `bun:"id,pk,autoincrement"`
	UUID        uuid.UUID  `bun:"uuid,nullzero"`
	Purpose     purpose    `bun:"purpose"`
	TokenDigest string     `bun:"token_digest"`
	UserID      *int64     `bun:"user_id"`
	Email       string     `bun:"email"`
	CreatedBy   *int64     `bun:"created_by"`
	ExpiresAt   time.Time  `bun:"expires_at"`
	UsedAt      *time.Time `bun:"used_at"`
	CreatedAt   time.Time  `bun:"created_at,nullzero"`
	// ProjectID and ProjectRole are set for project invitations only.
	ProjectID   *int64  `bun:"project_id"`
	ProjectRole *string `bun:"project_role"`
}

var errEmailTaken = errors.New("account: e-mail taken")

func insertUser(ctx context.Context, db bun.IDB, u *User) error {
	_, err := db.NewInsert().Model(u).Returning("*").Exec(ctx)
	if isUniqueViolation(err, "users_email_key") {
		return errEmailTaken
	}
	if err != nil {
		return fmt.Errorf("account: insert user: %w", err)
	}
	return nil
}

// findUser returns the user matching where, or nil when there is none.
func findUser(ctx context.Context, db bun.IDB, where string, arg any) (*User, error) {
	var u User
	err := db.NewSelect().Model(&u).Where(where, arg).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("account: find user: %w", err)
	}
	return &u, nil
}

// lockUser reads a user for update, or returns nil when there is none.
func lockUser(ctx context.Context, db bun.IDB, id int64) (*User, error) {
	var u User
	err := db.NewSelect().Model(&u).Where("id = ?", id).For("UPDATE").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("account: lock user: %w", err)
	}
	return &u, nil
}

// updateUser sets columns of user id and reads the row back into u.
func updateUser(ctx context.Context, db bun.IDB, id int64, u *User, sets map[string]any) error {
	var fresh User // a fresh row: scanning NULL into u would keep u's old pointers
	q := db.NewUpdate().Model(&fresh).Where("id = ?", id).Set("updated_at = now()").Returning("*")
	for col, v := range sets {
		q = q.Set("? = ?", bun.Ident(col), v)
	}
	res, err := q.Exec(ctx)
	if isUniqueViolation(err, "users_email_key") {
		return errEmailTaken
	}
	if err != nil {
		return fmt.Errorf("account: update user: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return sql.ErrNoRows
	}
	*u = fresh
	return nil
}

// revokeSessions ends every live session of a user except keep (0 keeps none).
func revokeSessions(ctx context.Context, db bun.IDB, userID, keep int64) error {
	q := db.NewUpdate().Model((*sessionRow)(nil)).Set("revoked_at = now()").
		Where("user_id = ?", userID).Where("revoked_at IS NULL")
	if keep != 0 {
		q = q.Where("id <> ?", keep)
	}
	if _, err := q.Exec(ctx); err != nil {
		return fmt.Errorf("account: revoke sessions: %w", err)
	}
	return nil
}

// revokeAccessTokens revokes every live personal access token of a user.
func revokeAccessTokens(ctx context.Context, db bun.IDB, userID int64) error {
	_, err := db.NewUpdate().Model((*AccessToken)(nil)).Set("revoked_at = now()").
		Where("user_id = ?", userID).Where("revoked_at IS NULL").Exec(ctx)
	if err != nil {
		return fmt.Errorf("account: revoke tokens: %w", err)
	}
	return nil
}

// completeSetup marks the first-run setup complete (an administrator now exists) and forgets the
// setup token. It does nothing when setup is already complete.
func completeSetup(ctx context.Context, db bun.IDB) error {
	_, err := db.NewUpdate().Model((*store.Instance)(nil)).
		Set("setup_completed_at = now()").
		Set("setup_token_digest = NULL").
		Set("setup_token_expires_at = NULL").
		Where("id = 1").Where("setup_completed_at IS NULL").
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("account: complete setup: %w", err)
	}
	return nil
}

// setupRequired reports whether the instance still waits for its first administrator.
func setupRequired(ctx context.Context, db bun.IDB) (bool, error) {
	inst, err := store.GetInstance(ctx, db)
	if err != nil {
		return false, err
	}
	return inst.SetupCompletedAt == nil, nil
}

// likePattern escapes s for use inside an ILIKE pattern.
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

func isUniqueViolation(err error, constraint string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505" && pgErr.ConstraintName == constraint
}

func isForeignKeyViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23503"
}
