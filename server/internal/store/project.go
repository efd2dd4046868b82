package store

import (
	"context"
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

// ActiveKey is an ingest key that may be used: not revoked, its project not archived.
type ActiveKey struct {
	KeyID       int64     `bun:"key_id"`
	ProjectID   int64     `bun:"project_id"`
	ProjectUUID uuid.UUID `bun:"project_uuid"`
}

// FindActiveKey looks a key up by the digest of its plaintext. It returns sql.ErrNoRows when the
// key does not exist, is revoked, or belongs to an archived project.
func FindActiveKey(ctx context.Context, db bun.IDB, digest string) (*ActiveKey, error) {
	var k ActiveKey
	err := db.NewSelect().
		TableExpr("api_keys AS k").
		Join("JOIN projects AS p ON p.id = k.project_id").
		ColumnExpr("k.id AS key_id, p.id AS project_id, p.uuid AS project_uuid").
		Where("k.token_digest = ?", digest).
		Where("k.revoked_at IS NULL").
		Where("p.archived_at IS NULL").
		Scan(ctx, &k)
	if err != nil {
		return nil, fmt.Errorf("store: find api key: %w", err)
	}
	return &k, nil
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
