package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"
)

// ErrSlugTaken is returned by InsertProject when the slug is in use.
var ErrSlugTaken = errors.New("store: project slug taken")

// Project is a monitored application.
type Project struct {
	bun.BaseModel `bun:"table:projects"`

	ID              int64      `bun:"id,pk,autoincrement"`
	UUID            uuid.UUID  `bun:"uuid,nullzero"`
	Name            string     `bun:"name"`
	Slug            string     `bun:"slug"`
	IntegrationKind string     `bun:"integration_kind"`
	ArchivedAt      *time.Time `bun:"archived_at"`
	CreatedAt       time.Time  `bun:"created_at,nullzero"`
	UpdatedAt       time.Time  `bun:"updated_at,nullzero"`
	// RateLimits are the project's overrides of the public API rate limits.
	RateLimits RateLimitOverrides `bun:"embed:"`
}

// RateLimitOverrides are a project's public API rate-limit settings (migration 0004); nil inherits
// the instance's value. Its fields match ratelimit.Overrides, to which it converts.
type RateLimitOverrides struct {
	// Requests per key, per endpoint, per window: 1..10,000,000.
	Requests *int `bun:"public_api_rate_limit_requests_override"`
	// PeriodSeconds is the window length: 1..86,400.
	PeriodSeconds *int `bun:"public_api_rate_limit_period_seconds_override"`
	// AuthFailures per client IP per window, for failed authentications with this project's keys:
	// 1..10,000,000.
	AuthFailures *int `bun:"public_api_auth_failure_rate_limit_requests_override"`
}

// APIKey is a project's ingest key. Only the digest of the plaintext is stored.
type APIKey struct {
	bun.BaseModel `bun:"table:api_keys"`

	ID          int64      `bun:"id,pk,autoincrement"`
	UUID        uuid.UUID  `bun:"uuid,nullzero"`
	ProjectID   int64      `bun:"project_id"`
	Name        string     `bun:"name"`
	TokenDigest string     `bun:"token_digest"`
	TokenHint   string     `bun:"token_hint"`
	LastUsedAt  *time.Time `bun:"last_used_at"`
	RevokedAt   *time.Time `bun:"revoked_at"`
	CreatedAt   time.Time  `bun:"created_at,nullzero"`
}

// SetProjectRateLimits stores the project's rate-limit overrides. Values out of range violate the
// columns' CHECK constraints; callers validate first.
func SetProjectRateLimits(ctx context.Context, db bun.IDB, projectID int64, o RateLimitOverrides) error {
	_, err := db.NewUpdate().Model((*Project)(nil)).
		Set("public_api_rate_limit_requests_override = ?", o.Requests).
		Set("public_api_rate_limit_period_seconds_override = ?", o.PeriodSeconds).
		Set("public_api_auth_failure_rate_limit_requests_override = ?", o.AuthFailures).
		Set("updated_at = now()").
		Where("id = ?", projectID).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: set project rate limits: %w", err)
	}
	return nil
}

// InsertProject inserts p and fills its generated columns. It returns ErrSlugTaken when the slug
// is in use.
func InsertProject(ctx context.Context, db bun.IDB, p *Project) error {
	_, err := db.NewInsert().Model(p).Returning("*").Exec(ctx)
	if isUniqueViolation(err, "projects_slug_key") {
		return ErrSlugTaken
	}
	if err != nil {
		return fmt.Errorf("store: insert project: %w", err)
	}
	return nil
}

// FindProject finds a project by slug, UUID or numeric id; it returns sql.ErrNoRows when none matches.
func FindProject(ctx context.Context, db bun.IDB, ref string) (*Project, error) {
	var p Project
	q := db.NewSelect().Model(&p).Where("slug = ?", ref)
	if id, err := uuid.Parse(ref); err == nil {
		q = q.WhereOr("uuid = ?", id)
	}
	if n, err := strconv.ParseInt(ref, 10, 64); err == nil {
		q = q.WhereOr("id = ?", n)
	}
	if err := q.Limit(1).Scan(ctx); err != nil {
		return nil, fmt.Errorf("store: find project %q: %w", ref, err)
	}
	return &p, nil
}

// InsertAPIKey inserts k and fills its generated columns.
func InsertAPIKey(ctx context.Context, db bun.IDB, k *APIKey) error {
	if _, err := db.NewInsert().Model(k).Returning("*").Exec(ctx); err != nil {
		return fmt.Errorf("store: insert api key: %w", err)
	}
	return nil
}

// ActiveKey is an ingest key that may be used: not revoked, its project not archived. It carries
// what serving a request with it needs: the project, and the project's rate-limit overrides.
type ActiveKey struct {
	KeyID       int64     `bun:"key_id"`
	ProjectID   int64     `bun:"project_id"`
	ProjectUUID uuid.UUID `bun:"project_uuid"`
	// RateLimits are the project's overrides of the public API rate limits.
	RateLimits RateLimitOverrides `bun:"embed:"`
}

// FindActiveKey looks a key up by the digest of its plaintext. It returns sql.ErrNoRows when the
// key does not exist, is revoked, or belongs to an archived project.
func FindActiveKey(ctx context.Context, db bun.IDB, digest string) (*ActiveKey, error) {
	k, usable, err := FindKey(ctx, db, digest)
	if err == nil && !usable {
		err = fmt.Errorf("store: find api key: key revoked or project archived: %w", sql.ErrNoRows)
	}
	if err != nil {
		return nil, err
	}
	return k, nil
}

// FindKey looks a key up by the digest of its plaintext, whether or not it may be used: usable is
// false when it is revoked or its project archived (whose overrides still govern the limit on
// failed authentications). It returns sql.ErrNoRows when no key has the digest.
func FindKey(ctx context.Context, db bun.IDB, digest string) (k *ActiveKey, usable bool, err error) {
	var row struct {
		ActiveKey
		Usable bool `bun:"usable"`
	}
	err = db.NewSelect().
		TableExpr("api_keys AS k").
		Join("JOIN projects AS p ON p.id = k.project_id").
		ColumnExpr("k.id AS key_id, p.id AS project_id, p.uuid AS project_uuid").
		ColumnExpr("p.public_api_rate_limit_requests_override, p.public_api_rate_limit_period_seconds_override").
		ColumnExpr("p.public_api_auth_failure_rate_limit_requests_override").
		ColumnExpr("k.revoked_at IS NULL AND p.archived_at IS NULL AS usable").
		Where("k.token_digest = ?", digest).
		Scan(ctx, &row)
	if err != nil {
		return nil, false, fmt.Errorf("store: find api key: %w", err)
	}
	return &row.ActiveKey, row.Usable, nil
}

// TouchAPIKey records that a key was used, at most once per interval: it reports whether it wrote.
func TouchAPIKey(ctx context.Context, db bun.IDB, keyID int64, interval time.Duration) (bool, error) {
	res, err := db.NewUpdate().Model((*APIKey)(nil)).
		Set("last_used_at = now()").
		Where("id = ?", keyID).
		Where("last_used_at IS NULL OR last_used_at < now() - ?::interval", fmt.Sprintf("%d milliseconds", interval.Milliseconds())).
		Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("store: touch api key: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// RevokeAPIKey revokes a key now.
func RevokeAPIKey(ctx context.Context, db bun.IDB, keyID int64) error {
	_, err := db.NewUpdate().Model((*APIKey)(nil)).Set("revoked_at = now()").
		Where("id = ?", keyID).Where("revoked_at IS NULL").Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: revoke api key: %w", err)
	}
	return nil
}

// ArchiveProject archives a project now; its keys stop working.
func ArchiveProject(ctx context.Context, db bun.IDB, projectID int64) error {
	_, err := db.NewUpdate().Model((*Project)(nil)).Set("archived_at = now(), updated_at = now()").
		Where("id = ?", projectID).Where("archived_at IS NULL").Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: archive project: %w", err)
	}
	return nil
}

// isUniqueViolation reports whether err is PostgreSQL's unique_violation on the named constraint.
func isUniqueViolation(err error, constraint string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505" && pgErr.ConstraintName == constraint
}

// pgErrCode is the SQLSTATE of err, or "".
func pgErrCode(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}
