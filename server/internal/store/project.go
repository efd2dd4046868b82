package store

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
)

// ErrSlugTaken is returned by InsertProject and UpdateProject when the owner already has a project
// with the slug.
var ErrSlugTaken = errors.New("store: project slug taken")

// ErrAmbiguousSlug is returned by FindProject when several owners have a project with the slug.
var ErrAmbiguousSlug = errors.New("store: project slug is ambiguous")

// Project is a monitored application.
type Project struct {
	bun.BaseModel `bun:"table:projects,alias:project"`

	ID   int64     `bun:"id,pk,autoincrement"`
	UUID uuid.UUID `bun:"uuid,nullzero"`
	// OwnerID is the owner's user id; nil for a project created by the CLI without an owner.
	OwnerID         *int64 `bun:"owner_id"`
	Name            string `bun:"name"`
	Slug            string `bun:"slug"`
	Description     string `bun:"description"`
	IntegrationKind string `bun:"integration_kind"`
	// ArchivedAt is set while the project is archived: hidden from dashboards, keys revoked.
	ArchivedAt *time.Time `bun:"archived_at"`
	// DeletionRequestedAt is set once its deletion has started (the project is archived then).
	DeletionRequestedAt *time.Time `bun:"deletion_requested_at"`
	CreatedAt           time.Time  `bun:"created_at,nullzero"`
	UpdatedAt           time.Time  `bun:"updated_at,nullzero"`
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
	if isUniqueViolation(err, "projects_owner_slug_key") {
		return ErrSlugTaken
	}
	if err != nil {
		return fmt.Errorf("store: insert project: %w", err)
	}
	return nil
}

// FindProject finds a project by UUID or slug. It returns sql.ErrNoRows when none matches, and
// ErrAmbiguousSlug when the slug names projects of several owners.
func FindProject(ctx context.Context, db bun.IDB, ref string) (*Project, error) {
	if id, err := uuid.Parse(ref); err == nil {
		return ProjectByUUID(ctx, db, id)
	}
	var found []Project
	if err := db.NewSelect().Model(&found).Where("slug = ?", ref).Order("id").Limit(2).Scan(ctx); err != nil {
		return nil, fmt.Errorf("store: find project %q: %w", ref, err)
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("store: find project %q: %w", ref, sql.ErrNoRows)
	case 1:
		return &found[0], nil
	}
	return nil, fmt.Errorf("store: find project %q: %w", ref, ErrAmbiguousSlug)
}

// ProjectByUUID returns the project with the uuid, or sql.ErrNoRows.
func ProjectByUUID(ctx context.Context, db bun.IDB, id uuid.UUID) (*Project, error) {
	var p Project
	if err := db.NewSelect().Model(&p).Where("uuid = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("store: project %s: %w", id, err)
	}
	return &p, nil
}

// ProjectByID returns the project with the id, or sql.ErrNoRows.
func ProjectByID(ctx context.Context, db bun.IDB, id int64) (*Project, error) {
	var p Project
	if err := db.NewSelect().Model(&p).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("store: project %d: %w", id, err)
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

// ArchiveProject archives a project now; its keys stop working. Use ArchiveProjectAndRevokeKeys
// to also revoke them, as the API does.
func ArchiveProject(ctx context.Context, db bun.IDB, projectID int64) error {
	_, err := db.NewUpdate().Model((*Project)(nil)).Set("archived_at = now(), updated_at = now()").
		Where("id = ?", projectID).Where("archived_at IS NULL").Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: archive project: %w", err)
	}
	return nil
}

// LockProject reads a project for update (in a transaction), or returns sql.ErrNoRows. Changes
// that must not interleave with archiving (a new key) lock the row first.
func LockProject(ctx context.Context, db bun.IDB, projectID int64) (*Project, error) {
	var p Project
	if err := db.NewSelect().Model(&p).Where("id = ?", projectID).For("UPDATE").Scan(ctx); err != nil {
		return nil, fmt.Errorf("store: lock project: %w", err)
	}
	return &p, nil
}

// ProjectChange is a change to a project's settings; nil fields stay as they are.
type ProjectChange struct {
	Name, Slug, Description, IntegrationKind *string
}

// UpdateProject applies a change and returns the project as stored. It returns ErrSlugTaken when
// the owner has another project with the new slug, and sql.ErrNoRows when there is no project.
func UpdateProject(ctx context.Context, db bun.IDB, projectID int64, c ProjectChange) (*Project, error) {
	var p Project
	q := db.NewUpdate().Model(&p).Set("updated_at = now()").Where("id = ?", projectID).Returning("*")
	for col, v := range map[string]*string{"name": c.Name, "slug": c.Slug, "description": c.Description, "integration_kind": c.IntegrationKind} {
		if v != nil {
			q = q.Set("? = ?", bun.Ident(col), *v)
		}
	}
	err := q.Scan(ctx)
	if isUniqueViolation(err, "projects_owner_slug_key") {
		return nil, ErrSlugTaken
	}
	if err != nil {
		return nil, fmt.Errorf("store: update project: %w", err)
	}
	return &p, nil
}

// ArchiveProjectAndRevokeKeys archives a project and revokes every active key of it, on db (the
// caller's transaction, so both happen or neither). It returns the project as stored and how many
// keys it revoked. The project must not be archived already.
func ArchiveProjectAndRevokeKeys(ctx context.Context, db bun.IDB, projectID int64) (*Project, int, error) {
	var p Project
	err := db.NewUpdate().Model(&p).Set("archived_at = now(), updated_at = now()").
		Where("id = ?", projectID).Where("archived_at IS NULL").Returning("*").Scan(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("store: archive project: %w", err)
	}
	n, err := RevokeProjectKeys(ctx, db, projectID)
	return &p, n, err
}

// RevokeProjectKeys revokes every active key of a project and says how many.
func RevokeProjectKeys(ctx context.Context, db bun.IDB, projectID int64) (int, error) {
	res, err := db.NewUpdate().Model((*APIKey)(nil)).Set("revoked_at = now()").
		Where("project_id = ?", projectID).Where("revoked_at IS NULL").Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: revoke project keys: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// RestoreProject clears archived_at and returns the project as stored. Keys stay revoked. It
// returns sql.ErrNoRows unless the project is archived and its deletion has not been requested.
func RestoreProject(ctx context.Context, db bun.IDB, projectID int64) (*Project, error) {
	var p Project
	err := db.NewUpdate().Model(&p).Set("archived_at = NULL, updated_at = now()").
		Where("id = ?", projectID).Where("archived_at IS NOT NULL").Where("deletion_requested_at IS NULL").
		Returning("*").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: restore project: %w", err)
	}
	return &p, nil
}

// ListAPIKeys returns a project's keys, revoked ones included, newest first.
func ListAPIKeys(ctx context.Context, db bun.IDB, projectID int64) ([]APIKey, error) {
	var keys []APIKey
	err := db.NewSelect().Model(&keys).Where("project_id = ?", projectID).Order("created_at DESC", "id DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: list api keys: %w", err)
	}
	return keys, nil
}

// RevokeProjectKey revokes the key with the uuid if it belongs to the project (a key already
// revoked keeps its time) and returns it; sql.ErrNoRows when the project has no such key.
func RevokeProjectKey(ctx context.Context, db bun.IDB, projectID int64, keyID uuid.UUID) (*APIKey, error) {
	var k APIKey
	err := db.NewUpdate().Model(&k).Set("revoked_at = coalesce(revoked_at, now())").
		Where("project_id = ?", projectID).Where("uuid = ?", keyID).Returning("*").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: revoke api key: %w", err)
	}
	return &k, nil
}

// AdminProjectQuery selects a page of every project (the admin API).
type AdminProjectQuery struct {
	// Search keeps projects whose name or slug contains it (case-insensitive), or whose uuid or
	// owner's address it is.
	Search string
	State  ProjectState
	// Before continues a listing: only projects with a smaller id (0: from the newest).
	Before int64
	// Limit is the page size; one more row is read to tell whether a next page exists.
	Limit int
}

// AdminProject is a project with what the admin list shows beside it.
type AdminProject struct {
	Project     `bun:",extend"`
	MemberCount int `bun:"member_count"`
}

// ListAllProjects returns projects newest first by keyset paging: up to q.Limit+1 rows.
func ListAllProjects(ctx context.Context, db bun.IDB, q AdminProjectQuery) ([]AdminProject, error) {
	var out []AdminProject
	sel := db.NewSelect().Model(&out).
		ColumnExpr("project.*").
		ColumnExpr("(SELECT count(*) FROM project_members AS m WHERE m.project_id = project.id) AS member_count").
		Order("project.id DESC").Limit(int64(q.Limit) + 1)
	if search := strings.TrimSpace(q.Search); search != "" {
		pattern := containsPattern(strings.ToLower(search))
		sel = sel.WhereGroup(" AND ", func(w *bun.SelectQuery) *bun.SelectQuery {
			w = w.Where("lower(project.name) LIKE ?", pattern).WhereOr("project.slug LIKE ?", pattern).
				WhereOr("project.owner_id IN (SELECT id FROM users WHERE email = ?)", strings.ToLower(search))
			if id, err := uuid.Parse(search); err == nil {
				w = w.WhereOr("project.uuid = ?", id)
			}
			return w
		})
	}
	if q.Before > 0 {
		sel = sel.Where("project.id < ?", q.Before)
	}
	if err := q.State.apply(sel).Scan(ctx); err != nil {
		return nil, fmt.Errorf("store: list projects: %w", err)
	}
	return out, nil
}

// containsPattern escapes s for a LIKE pattern that matches it anywhere.
func containsPattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
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
