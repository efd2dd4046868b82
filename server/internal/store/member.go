package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Project roles of members. The owner is not a member row: OwnerRole is computed from
// projects.owner_id.
const (
	RoleOwner  = "owner"
	RoleAdmin  = "admin"
	RoleViewer = "viewer"
)

// ErrAlreadyMember is returned by InsertMember when the user is a member already.
var ErrAlreadyMember = errors.New("store: already a member")

// ProjectMember is a user's membership of a project (migration 0006).
type ProjectMember struct {
	bun.BaseModel `bun:"table:project_members,alias:m"`

	ProjectID int64     `bun:"project_id,pk"`
	UserID    int64     `bun:"user_id,pk"`
	Role      string    `bun:"role"`
	CreatedAt time.Time `bun:"created_at,nullzero"`
	UpdatedAt time.Time `bun:"updated_at,nullzero"`
}

// UserSummary is what a project shows of a user: an owner, a member, an inviter.
type UserSummary struct {
	ID    int64     `bun:"id"`
	UUID  uuid.UUID `bun:"uuid"`
	Email string    `bun:"email"`
	Name  string    `bun:"name"`
}

// UserSummaryByID returns a user's summary, or sql.ErrNoRows.
func UserSummaryByID(ctx context.Context, db bun.IDB, id int64) (*UserSummary, error) {
	var u UserSummary
	err := db.NewSelect().TableExpr("users").Column("id", "uuid", "email", "name").Where("id = ?", id).Scan(ctx, &u)
	if err != nil {
		return nil, fmt.Errorf("store: user %d: %w", id, err)
	}
	return &u, nil
}

// UserSummaryByUUID returns a user's summary, or sql.ErrNoRows.
func UserSummaryByUUID(ctx context.Context, db bun.IDB, id uuid.UUID) (*UserSummary, error) {
	var u UserSummary
	err := db.NewSelect().TableExpr("users").Column("id", "uuid", "email", "name").Where("uuid = ?", id).Scan(ctx, &u)
	if err != nil {
		return nil, fmt.Errorf("store: user %s: %w", id, err)
	}
	return &u, nil
}

// UserSummaryByEmail returns the summary of the user with a (normalised) address, or sql.ErrNoRows.
func UserSummaryByEmail(ctx context.Context, db bun.IDB, email string) (*UserSummary, error) {
	var u UserSummary
	err := db.NewSelect().TableExpr("users").Column("id", "uuid", "email", "name").Where("email = ?", email).Scan(ctx, &u)
	if err != nil {
		return nil, fmt.Errorf("store: user by e-mail: %w", err)
	}
	return &u, nil
}

// InsertMember adds a member. It returns ErrAlreadyMember when the user is one.
func InsertMember(ctx context.Context, db bun.IDB, m *ProjectMember) error {
	_, err := db.NewInsert().Model(m).Returning("*").Exec(ctx)
	if isUniqueViolation(err, "project_members_pkey") {
		return ErrAlreadyMember
	}
	if err != nil {
		return fmt.Errorf("store: insert member: %w", err)
	}
	return nil
}

// AddMemberIfAbsent adds a member unless the user is one already or owns the project; an existing
// membership keeps its role. It reports whether it added one.
func AddMemberIfAbsent(ctx context.Context, db bun.IDB, projectID, userID int64, role string) (bool, error) {
	res, err := db.NewRaw(`INSERT INTO project_members (project_id, user_id, role)
		SELECT p.id, ?, ? FROM projects AS p WHERE p.id = ? AND p.owner_id IS DISTINCT FROM ?
		ON CONFLICT (project_id, user_id) DO NOTHING`, userID, role, projectID, userID).Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("store: add member: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// MemberRole returns a user's member role in a project, or "" when they are not a member.
func MemberRole(ctx context.Context, db bun.IDB, projectID, userID int64) (string, error) {
	var role string
	err := db.NewSelect().Model((*ProjectMember)(nil)).Column("role").
		Where("project_id = ? AND user_id = ?", projectID, userID).Scan(ctx, &role)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: member role: %w", err)
	}
	return role, nil
}

// SetMemberRole changes a member's role and returns the membership, or sql.ErrNoRows when the user
// is not a member.
func SetMemberRole(ctx context.Context, db bun.IDB, projectID, userID int64, role string) (*ProjectMember, error) {
	var m ProjectMember
	err := db.NewUpdate().Model(&m).Set("role = ?", role).Set("updated_at = now()").
		Where("project_id = ? AND user_id = ?", projectID, userID).Returning("*").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: set member role: %w", err)
	}
	return &m, nil
}

// DeleteMember removes a membership; it returns sql.ErrNoRows when the user is not a member.
func DeleteMember(ctx context.Context, db bun.IDB, projectID, userID int64) error {
	res, err := db.NewDelete().Model((*ProjectMember)(nil)).
		Where("project_id = ? AND user_id = ?", projectID, userID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: delete member: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: delete member: %w", sql.ErrNoRows)
	}
	return nil
}

// MemberListItem is one line of a project's team: the owner (Role RoleOwner) or a member.
type MemberListItem struct {
	User UserSummary `bun:"embed:user_"`
	Role string      `bun:"role"`
	// AddedAt is when the member joined, or when the owner created the project.
	AddedAt time.Time `bun:"added_at"`
}

// ListMembers returns a project's owner (when it has one) and members: the owner first, then the
// admins and the viewers, each by address.
func ListMembers(ctx context.Context, db bun.IDB, projectID int64) ([]MemberListItem, error) {
	var items []MemberListItem
	err := db.NewRaw(`
		SELECT user_id, user_uuid, user_email, user_name, role, added_at FROM (
			SELECT u.id AS user_id, u.uuid AS user_uuid, u.email AS user_email, u.name AS user_name,
			       'owner' AS role, p.created_at AS added_at, 0 AS rank
			FROM projects AS p JOIN users AS u ON u.id = p.owner_id
			WHERE p.id = ?
			UNION ALL
			SELECT u.id, u.uuid, u.email, u.name, m.role, m.created_at, CASE m.role WHEN 'admin' THEN 1 ELSE 2 END
			FROM project_members AS m JOIN users AS u ON u.id = m.user_id
			WHERE m.project_id = ?
		) AS team
		ORDER BY rank, user_email`, projectID, projectID).Scan(ctx, &items)
	if err != nil {
		return nil, fmt.Errorf("store: list members: %w", err)
	}
	return items, nil
}

// ProjectWithRole is a project as one user sees it.
type ProjectWithRole struct {
	Project `bun:",extend"`
	// Role is the user's own role: RoleOwner, RoleAdmin, RoleViewer, or "" for none.
	Role string `bun:"member_role"`
}

// ProjectForUser returns the project with the uuid and the user's own role in it (userID 0: none).
// It returns sql.ErrNoRows when there is no such project.
func ProjectForUser(ctx context.Context, db bun.IDB, id uuid.UUID, userID int64) (*ProjectWithRole, error) {
	var p ProjectWithRole
	err := db.NewSelect().Model(&p).
		ColumnExpr("project.*").
		ColumnExpr("CASE WHEN project.owner_id = ? THEN 'owner' ELSE coalesce(m.role, '') END AS member_role", userID).
		Join("LEFT JOIN project_members AS m ON m.project_id = project.id AND m.user_id = ?", userID).
		Where("project.uuid = ?", id).
		Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: project %s for user: %w", id, err)
	}
	return &p, nil
}

// ProjectState selects projects by whether they are archived.
type ProjectState string

// The project states a list may ask for.
const (
	StateActive   ProjectState = "active"
	StateArchived ProjectState = "archived"
	StateAll      ProjectState = "all"
)

func (s ProjectState) apply(q *bun.SelectQuery) *bun.SelectQuery {
	switch s {
	case StateArchived:
		return q.Where("project.archived_at IS NOT NULL")
	case StateAll:
		return q
	}
	return q.Where("project.archived_at IS NULL")
}

// ProjectsOfUser returns the projects a user owns or is a member of, by name, with the user's role.
func ProjectsOfUser(ctx context.Context, db bun.IDB, userID int64, state ProjectState) ([]ProjectWithRole, error) {
	var out []ProjectWithRole
	q := db.NewSelect().Model(&out).
		ColumnExpr("project.*").
		ColumnExpr("CASE WHEN project.owner_id = ? THEN 'owner' ELSE m.role END AS member_role", userID).
		Join("LEFT JOIN project_members AS m ON m.project_id = project.id AND m.user_id = ?", userID).
		Where("(project.owner_id = ? OR m.user_id IS NOT NULL)", userID).
		OrderExpr("lower(project.name), project.id")
	if err := state.apply(q).Scan(ctx); err != nil {
		return nil, fmt.Errorf("store: projects of user: %w", err)
	}
	return out, nil
}

// UserSummaries returns the summaries of users by id.
func UserSummaries(ctx context.Context, db bun.IDB, ids []int64) (map[int64]*UserSummary, error) {
	out := make(map[int64]*UserSummary, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var users []UserSummary
	err := db.NewSelect().TableExpr("users").Column("id", "uuid", "email", "name").
		Where("id IN (?)", bun.List(ids)).Scan(ctx, &users)
	if err != nil {
		return nil, fmt.Errorf("store: user summaries: %w", err)
	}
	for i := range users {
		out[users[i].ID] = &users[i]
	}
	return out, nil
}

// ClearAssignments unassigns a user from every error group of a project (when they leave it), in
// the caller's transaction, with the membership's removal. The groups are locked in id order, the
// order the ingestion path locks them in, so the two never deadlock.
func ClearAssignments(ctx context.Context, db bun.IDB, projectID, userID int64) error {
	_, err := db.NewRaw(`UPDATE error_groups SET assigned_user_id = NULL, assigned_by_user_id = NULL, assigned_at = NULL
		WHERE id IN (SELECT id FROM error_groups WHERE project_id = ? AND assigned_user_id = ? ORDER BY id FOR UPDATE)`,
		projectID, userID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: clear assignments: %w", err)
	}
	return nil
}
