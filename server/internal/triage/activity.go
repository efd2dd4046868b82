package triage

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"

	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/store"
)

// MaxCommentChars is the longest comment, in characters, after trimming.
const MaxCommentChars = 10000

// ActivityPage is a page of an issue's activity with the summaries of its actors.
type ActivityPage struct {
	Activities []store.Activity
	NextCursor string
	// Actors are the summaries of the page's actors, by user id.
	Actors map[int64]*store.UserSummary
}

func (s *Service) issue(ctx context.Context, db bun.IDB, projectID int64, id uuid.UUID) (*store.Issue, error) {
	is, err := store.IssueByUUID(ctx, db, projectID, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoIssue()
	}
	return is, err
}

// Activity returns a page of the project's issue's activity, newest first.
//
// Errors: apperr NotFound for an issue that is not the project's; Invalid "invalid_cursor".
func (s *Service) Activity(ctx context.Context, projectID int64, id uuid.UUID, cursor string, limit int) (*ActivityPage, error) {
	is, err := s.issue(ctx, s.st.DB, projectID, id)
	if err != nil {
		return nil, err
	}
	page, err := store.ListActivities(ctx, s.st.DB, is.ID, cursor, limit)
	if errors.Is(err, store.ErrInvalidActivityCursor) {
		return nil, apperr.Invalid("invalid_cursor", "This cursor cannot be read; start again from the first page.")
	}
	if err != nil {
		return nil, err
	}
	out := &ActivityPage{Activities: page.Activities, NextCursor: page.NextCursor}
	var users []int64
	for i := range page.Activities {
		if u := page.Activities[i].ActorUserID; u != nil {
			users = append(users, *u)
		}
	}
	if out.Actors, err = store.UserSummaries(ctx, s.st.DB, users); err != nil {
		return nil, err
	}
	return out, nil
}

// Comment adds a comment by the user to the project's issue and returns its activity entry. The
// body is trimmed and must then be 1..MaxCommentChars characters.
//
// Errors: apperr NotFound for an issue that is not the project's; Unprocessable
// "validation_failed" for an empty or too long body.
func (s *Service) Comment(ctx context.Context, projectID int64, id uuid.UUID, body string, by int64) (*store.Activity, error) {
	body = strings.TrimSpace(body)
	if n := utf8.RuneCountInString(body); n == 0 || n > MaxCommentChars {
		return nil, apperr.InvalidFields(apperr.FieldError{Field: "body", Message: "must be 1 to 10,000 characters (leading and trailing spaces aside)"})
	}
	is, err := s.issue(ctx, s.st.DB, projectID, id)
	if err != nil {
		return nil, err
	}
	a := &store.Activity{ProjectID: projectID, ErrorGroupID: is.ID, ActorUserID: actor(by), Kind: store.ActivityCommented,
		Data: store.ActivityData{Body: body}, CreatedAt: s.now()}
	if err := store.InsertActivity(ctx, s.st.DB, a); err != nil {
		if isFKViolation(err) {
			return nil, errNoIssue() // deleted meanwhile
		}
		return nil, err
	}
	return a, nil
}

func isFKViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23503"
}

// DeleteComment deletes a comment of the project's issue for good. Its author may delete it;
// anyone else needs moderate (the project's admins and owner, and instance administrators).
//
// Errors: apperr NotFound for an issue that is not the project's, or an id that is not one of its
// comments; Forbidden "insufficient_role" for someone else's comment without moderate.
func (s *Service) DeleteComment(ctx context.Context, projectID int64, id, commentID uuid.UUID, by int64, moderate bool) error {
	is, err := s.issue(ctx, s.st.DB, projectID, id)
	if err != nil {
		return err
	}
	a, err := store.ActivityByUUID(ctx, s.st.DB, is.ID, commentID)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && a.Kind != store.ActivityCommented) {
		return apperr.NotFound("No such comment.")
	}
	if err != nil {
		return err
	}
	if !moderate && (a.ActorUserID == nil || *a.ActorUserID != by) {
		return apperr.ForbiddenCode("insufficient_role", "Only the comment's author and the project's admins may delete it.")
	}
	return store.DeleteActivity(ctx, s.st.DB, a.ID)
}

// The bulk actions.
const (
	BulkResolve  = "resolve"
	BulkIgnore   = "ignore"
	BulkArchive  = "archive"
	BulkReopen   = "reopen"
	BulkAssign   = "assign"
	BulkUnassign = "unassign"
)

// The results of a bulk action, per issue.
const (
	BulkChanged   = "changed"
	BulkUnchanged = "unchanged"
	BulkNotFound  = "not_found"
)

// BulkResult is what a bulk action did to one issue.
type BulkResult struct {
	ID     uuid.UUID
	Result string
}

var bulkStatuses = map[string]string{
	BulkResolve: store.IssueResolved, BulkIgnore: store.IssueIgnored, BulkArchive: store.IssueArchived,
	BulkReopen: store.IssueUnresolved,
}

// MaxBulkIssues is the most issues one bulk action takes.
const MaxBulkIssues = 100

// Bulk applies the action to the project's issues with the ids in one transaction, by the same
// rules as SetStatus and SetAssignee (assignee is for BulkAssign, snooze for BulkIgnore), recording
// one activity entry per issue that changed. The results follow the ids' order, each id once; ids
// of no issue of the project are BulkNotFound.
//
// Errors: apperr Unprocessable "validation_failed" for no ids, too many, an unknown action, assign
// without an assignee or a snooze that CheckSnooze refuses (any with another action than ignore);
// "not_a_member" for an assignee who is neither the project's owner nor a member (nothing changes).
func (s *Service) Bulk(ctx context.Context, projectID int64, ids []uuid.UUID, action string, assignee *uuid.UUID, snooze store.Snooze, by int64) ([]BulkResult, error) {
	var unique []uuid.UUID
	seen := make(map[uuid.UUID]bool, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			unique = append(unique, id)
		}
	}
	if len(unique) == 0 || len(unique) > MaxBulkIssues {
		return nil, apperr.InvalidFields(apperr.FieldError{Field: "ids", Message: "must name 1 to 100 issues"})
	}
	status, isStatus := bulkStatuses[action]
	switch {
	case isStatus, action == BulkUnassign:
		assignee = nil
	case action == BulkAssign:
		if assignee == nil {
			return nil, apperr.InvalidFields(apperr.FieldError{Field: "userId", Message: "is required to assign"})
		}
	default:
		return nil, apperr.InvalidFields(apperr.FieldError{Field: "action", Message: "is not a bulk action"})
	}
	start := s.now()
	snooze, err := CheckSnooze(action == BulkIgnore, snooze, start)
	if err != nil {
		return nil, err
	}
	results := make(map[uuid.UUID]string, len(unique))
	err = s.st.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		clear(results)
		u, err := s.assignable(ctx, tx, projectID, assignee)
		if err != nil {
			return err
		}
		locked, err := store.LockIssues(ctx, tx, projectID, unique)
		if err != nil {
			return err
		}
		now := start
		for i := range locked {
			is := &locked[i]
			var changed bool
			if isStatus {
				_, changed, err = s.applyStatus(ctx, tx, projectID, is, status, snooze, by, now)
			} else {
				_, changed, err = s.applyAssignee(ctx, tx, projectID, is, u, by, now)
			}
			if err != nil {
				return err
			}
			results[is.UUID] = BulkUnchanged
			if changed {
				results[is.UUID] = BulkChanged
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]BulkResult, 0, len(unique))
	for _, id := range unique {
		r := results[id]
		if r == "" {
			r = BulkNotFound
		}
		out = append(out, BulkResult{ID: id, Result: r})
	}
	return out, nil
}
