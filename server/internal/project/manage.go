package project

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/store"
)

// View is a project as an actor sees it.
type View struct {
	*store.Project
	// Owner is the owner's summary; nil for a project without one.
	Owner *store.UserSummary
	// Role and Level are the actor's own role and what they may do (see Access).
	Role, Level Role
}

// view completes acc into a View.
func (s *Service) view(ctx context.Context, acc *Access) (*View, error) {
	v := &View{Project: acc.Project, Role: acc.Role, Level: acc.Level}
	if acc.Project.OwnerID != nil {
		owner, err := store.UserSummaryByID(ctx, s.db, *acc.Project.OwnerID)
		if err != nil {
			return nil, err
		}
		v.Owner = owner
	}
	return v, nil
}

// Get describes the project of acc.
func (s *Service) Get(ctx context.Context, acc *Access) (*View, error) {
	return s.view(ctx, acc)
}

// List returns the projects the actor owns or is a member of, by name. (Instance administrators
// find every project in ListAll.)
//
// Errors: apperr Invalid for an unknown state.
func (s *Service) List(ctx context.Context, actor Actor, state store.ProjectState) ([]*View, error) {
	if state == "" {
		state = store.StateActive
	}
	if state != store.StateActive && state != store.StateArchived && state != store.StateAll {
		return nil, apperr.Invalid("invalid_state", "The state must be active, archived or all.")
	}
	rows, err := store.ProjectsOfUser(ctx, s.db, actor.User.ID, state)
	if err != nil {
		return nil, err
	}
	var owners []int64
	for _, r := range rows {
		if r.OwnerID != nil {
			owners = append(owners, *r.OwnerID)
		}
	}
	summaries, err := store.UserSummaries(ctx, s.db, owners)
	if err != nil {
		return nil, err
	}
	out := make([]*View, 0, len(rows))
	for i := range rows {
		acc, err := accessOf(actor, &rows[i])
		if err != nil {
			return nil, err
		}
		v := &View{Project: acc.Project, Role: acc.Role, Level: acc.Level}
		if v.OwnerID != nil {
			v.Owner = summaries[*v.OwnerID]
		}
		out = append(out, v)
	}
	return out, nil
}

// CreateOwned makes a project owned by the actor.
//
// Errors: as CreateProject.
func (s *Service) CreateOwned(ctx context.Context, actor Actor, in NewProject) (*View, error) {
	in.OwnerID = &actor.User.ID
	p, err := s.CreateProject(ctx, in)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, &Access{Project: p, Role: RoleOwner, Level: RoleOwner})
}

// Change is a change to a project's settings; nil fields stay.
type Change = store.ProjectChange

// Update changes the project's settings (admin).
//
// Errors: apperr Unprocessable for bad fields; Conflict "slug_taken"; Conflict
// "deletion_requested" once the project is being deleted.
func (s *Service) Update(ctx context.Context, acc *Access, c Change) (*View, error) {
	if err := checkFields(c.Name, c.Slug, c.Description, c.IntegrationKind); err != nil {
		return nil, err
	}
	if acc.Project.DeletionRequestedAt != nil {
		return nil, errDeleting()
	}
	p, err := store.UpdateProject(ctx, s.db, acc.Project.ID, c)
	if errors.Is(err, store.ErrSlugTaken) {
		return nil, apperr.Conflict("slug_taken", "The owner already has a project with the slug %q; choose another.", *c.Slug)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoProject()
	}
	if err != nil {
		return nil, err
	}
	acc.Project = p
	return s.view(ctx, acc)
}

func errDeleting() error {
	return apperr.Conflict("deletion_requested", "This project is being deleted.")
}

// Archive hides the project from dashboards and revokes every active key, in one transaction
// (owner). Ingestion with its keys stops within the Authenticator's cache time.
//
// Errors: apperr Conflict "already_archived".
func (s *Service) Archive(ctx context.Context, acc *Access) (*View, error) {
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		p, _, err := store.ArchiveProjectAndRevokeKeys(ctx, tx, acc.Project.ID)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.Conflict("already_archived", "This project is archived already.")
		}
		if err != nil {
			return err
		}
		acc.Project = p
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.view(ctx, acc)
}

// Restore brings an archived project back (owner). Its keys stay revoked: new ones must be made.
//
// Errors: apperr Conflict "not_archived", or "deletion_requested" once its deletion has started.
func (s *Service) Restore(ctx context.Context, acc *Access) (*View, error) {
	p, err := store.RestoreProject(ctx, s.db, acc.Project.ID)
	if errors.Is(err, sql.ErrNoRows) {
		if acc.Project.DeletionRequestedAt != nil {
			return nil, errDeleting()
		}
		return nil, apperr.Conflict("not_archived", "This project is not archived.")
	}
	if err != nil {
		return nil, err
	}
	acc.Project = p
	return s.view(ctx, acc)
}

// Delete removes the project and all its data (owner). Irreversible.
//
// First, in one transaction, the project is archived, marked for deletion and its keys revoked, so
// ingestion stops at once (within the key cache's time on every instance). Then its rows are
// deleted table by table in bounded chunks, each its own transaction, so a large project never
// holds one giant transaction. Once DeletionGrace has passed since the revocation, a last
// transaction deletes anything written meanwhile and the project row. The work continues if the
// client goes away; if it is interrupted (a restart), the project stays archived and marked, and
// Delete again resumes it.
func (s *Service) Delete(ctx context.Context, acc *Access) error {
	// Finish what was started even when the client disconnects.
	ctx = context.WithoutCancel(ctx)
	id := acc.Project.ID
	var p *store.Project
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		p, err = store.RequestProjectDeletion(ctx, tx, id)
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil // deleted meanwhile
	}
	if err != nil {
		return err
	}
	revoked := time.Now()
	log := s.opts.Logger.With("project_uuid", p.UUID.String(), "project_id", id)
	log.InfoContext(ctx, "deleting project: keys revoked, purging its data")
	deleted, err := store.PurgeProjectData(ctx, s.db, id, s.opts.PurgeChunk, nil)
	if err != nil {
		return err
	}
	if wait := s.opts.DeletionGrace - time.Since(revoked); wait > 0 {
		time.Sleep(wait)
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		late, err := store.PurgeProjectData(ctx, tx, id, s.opts.PurgeChunk, nil)
		if err != nil {
			return err
		}
		for table, n := range late {
			deleted[table] += n
		}
		_, err = store.DeleteProjectRow(ctx, tx, id)
		return err
	})
	if err != nil {
		return err
	}
	args := []any{}
	for _, table := range store.PurgeTableNames() {
		args = append(args, table, deleted[table])
	}
	log.InfoContext(ctx, "deleted project", args...)
	return nil
}

// AdminQuery selects a page of every project.
type AdminQuery struct {
	// Search keeps projects whose name or slug contains it, or whose id or owner's address it is.
	Search string
	State  store.ProjectState
	// Cursor continues an earlier page; "" starts with the newest project.
	Cursor string
	// Limit is the page size (1..200; default 50).
	Limit int
}

// AdminEntry is one project of the admin list.
type AdminEntry struct {
	*View
	MemberCount int
}

// AdminPage is a page of projects, newest first.
type AdminPage struct {
	Projects []*AdminEntry
	// NextCursor continues the listing; "" on the last page.
	NextCursor string
}

// ListAll lists every project, newest first, by keyset paging (instance administrators).
//
// Errors: apperr Invalid for a malformed cursor or an unknown state.
func (s *Service) ListAll(ctx context.Context, q AdminQuery) (*AdminPage, error) {
	limit := q.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	if q.State == "" {
		q.State = store.StateAll
	}
	if q.State != store.StateActive && q.State != store.StateArchived && q.State != store.StateAll {
		return nil, apperr.Invalid("invalid_state", "The state must be active, archived or all.")
	}
	sq := store.AdminProjectQuery{Search: q.Search, State: q.State, Limit: limit}
	if q.Cursor != "" {
		before, err := decodeCursor(q.Cursor)
		if err != nil {
			return nil, err
		}
		sq.Before = before
	}
	rows, err := store.ListAllProjects(ctx, s.db, sq)
	if err != nil {
		return nil, err
	}
	page := &AdminPage{}
	if len(rows) > limit {
		rows = rows[:limit]
		page.NextCursor = encodeCursor(rows[limit-1].ID)
	}
	var owners []int64
	for _, r := range rows {
		if r.OwnerID != nil {
			owners = append(owners, *r.OwnerID)
		}
	}
	summaries, err := store.UserSummaries(ctx, s.db, owners)
	if err != nil {
		return nil, err
	}
	for i := range rows {
		v := &View{Project: &rows[i].Project, Level: RoleOwner}
		if v.OwnerID != nil {
			v.Owner = summaries[*v.OwnerID]
		}
		page.Projects = append(page.Projects, &AdminEntry{View: v, MemberCount: rows[i].MemberCount})
	}
	return page, nil
}

func encodeCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(id, 10)))
}

func decodeCursor(cursor string) (int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err == nil {
		if id, err := strconv.ParseInt(string(b), 10, 64); err == nil && id > 0 {
			return id, nil
		}
	}
	return 0, apperr.Invalid("invalid_cursor", "The cursor is not valid; start again without it.")
}
