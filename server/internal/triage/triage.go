// Package triage runs the triage API's use cases on a project's error groups ("issues"): the inbox
// with search, counts and sparklines, an issue's details with its latest stack, its status and its
// assignee. Callers have checked the caller's access to the project (project.Access); every
// operation here is confined to that project.
package triage

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/search"
	"github.com/logister/logister/server/internal/stacktrace"
	"github.com/logister/logister/server/internal/store"
)

// Service runs the triage use cases. Its methods are safe for concurrent use.
type Service struct {
	st  *store.Store
	now func() time.Time
}

// New returns a Service on st; now is the clock (nil: time.Now).
func New(st *store.Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{st: st, now: now}
}

// ListQuery is what the inbox is asked for.
type ListQuery struct {
	Query    string
	Cursor   string
	Limit    int
	TimeZone string // an IANA zone name; "" is UTC
	// Sparkline is "", store.SparklineDay or store.SparklineWeek.
	Sparkline store.SparklinePeriod
	// ViewerID is the signed-in user (assigned:me).
	ViewerID int64
}

// List is one page of the inbox.
type List struct {
	Groups     []store.InboxGroup
	NextCursor string
	// Query is the normalised query text; Filter the parsed one.
	Query  string
	Filter search.Filter
	Counts store.StatusCounts
	// Sparklines is nil unless asked for.
	Sparklines *store.Sparklines
	// Assignees are the summaries of the page's assignees, by user id.
	Assignees map[int64]*store.UserSummary
}

// List lists the project's issues that match q.
//
// Errors: apperr Invalid "invalid_query" (the message names the character), "invalid_cursor",
// "invalid_time_zone".
func (s *Service) List(ctx context.Context, projectID int64, q ListQuery) (*List, error) {
	f, err := search.Parse(q.Query)
	if err != nil {
		var se *search.Error
		if errors.As(err, &se) {
			return nil, apperr.Invalid("invalid_query", "The search cannot be read at character %d: %s.", se.Offset+1, se.Message)
		}
		return nil, err
	}
	loc, err := location(q.TimeZone)
	if err != nil {
		return nil, err
	}
	now := s.now()
	iq := store.InboxQuery{Filter: f, ViewerID: q.ViewerID, Now: now, Location: loc}
	page, err := s.st.ListGroups(ctx, projectID, iq, q.Cursor, q.Limit)
	if errors.Is(err, store.ErrInvalidCursor) {
		return nil, apperr.Invalid("invalid_cursor", "This cursor does not belong to this search; start again from the first page.")
	}
	if err != nil {
		return nil, err
	}
	counts, err := s.st.CountGroupsByStatus(ctx, projectID, iq)
	if err != nil {
		return nil, err
	}
	out := &List{Groups: page.Groups, NextCursor: page.NextCursor, Query: search.Format(f), Filter: f, Counts: counts}
	ids := make([]int64, 0, len(page.Groups))
	var users []int64
	for i := range page.Groups {
		ids = append(ids, page.Groups[i].ID)
		if u := page.Groups[i].AssignedUserID; u != nil {
			users = append(users, *u)
		}
	}
	if q.Sparkline != "" {
		if out.Sparklines, err = s.st.GroupSparklines(ctx, projectID, ids, q.Sparkline, now, loc); err != nil {
			return nil, err
		}
	}
	if out.Assignees, err = store.UserSummaries(ctx, s.st.DB, users); err != nil {
		return nil, err
	}
	return out, nil
}

func location(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "Local" {
		return nil, apperr.Invalid("invalid_time_zone", "%q is not an IANA time zone name (such as Europe/Berlin).", name)
	}
	return loc, nil
}

// Detail is an issue with what its page shows.
type Detail struct {
	Issue    *store.Issue
	Assignee *store.UserSummary // nil when unassigned
	// Latest is the latest occurrence, nil when none is stored; Exceptions its parsed stack.
	Latest     *store.IssueEvent
	Exceptions []stacktrace.Exception
}

func errNoIssue() error { return apperr.NotFound("No such issue.") }

// Get returns the project's issue with the id and its latest occurrence's stack.
//
// Errors: apperr NotFound for an issue that is not the project's.
func (s *Service) Get(ctx context.Context, projectID int64, id uuid.UUID) (*Detail, error) {
	is, err := store.IssueByUUID(ctx, s.st.DB, projectID, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoIssue()
	}
	if err != nil {
		return nil, err
	}
	d, err := s.detail(ctx, is)
	if err != nil {
		return nil, err
	}
	if d.Latest, err = store.LatestIssueEvent(ctx, s.st.DB, is); err != nil {
		return nil, err
	}
	if d.Latest != nil {
		d.Exceptions = stacktrace.Parse(d.Latest.Context)
	}
	return d, nil
}

func (s *Service) detail(ctx context.Context, is *store.Issue) (*Detail, error) {
	d := &Detail{Issue: is}
	if is.AssignedUserID != nil {
		u, err := store.UserSummaryByID(ctx, s.st.DB, *is.AssignedUserID)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		d.Assignee = u
	}
	return d, nil
}

// SetStatus resolves, ignores, archives or reopens (store.IssueUnresolved) the project's issue; by
// is who does it. snooze, for store.IssueIgnored only, makes the ignore end by itself (see
// CheckSnooze); any other status clears an issue's snooze. A change is recorded in the issue's
// activity in the same transaction; setting the status (and snooze) the issue already has changes
// and records nothing.
//
// Errors: apperr NotFound for an issue that is not the project's; Unprocessable
// "validation_failed" for a snooze that CheckSnooze refuses.
func (s *Service) SetStatus(ctx context.Context, projectID int64, id uuid.UUID, status string, snooze store.Snooze, by int64) (*Detail, error) {
	now := s.now()
	snooze, err := CheckSnooze(status == store.IssueIgnored, snooze, now)
	if err != nil {
		return nil, err
	}
	var is *store.Issue
	err = s.st.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		locked, err := store.LockIssues(ctx, tx, projectID, []uuid.UUID{id})
		if err != nil {
			return err
		}
		if len(locked) == 0 {
			return errNoIssue()
		}
		is, _, err = s.applyStatus(ctx, tx, projectID, &locked[0], status, snooze, by, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.detail(ctx, is)
}

// applyStatus sets the locked issue's status and snooze and records the change; changed is false
// (and nothing is written) when it already had them.
func (s *Service) applyStatus(ctx context.Context, tx bun.IDB, projectID int64, is *store.Issue, status string, snooze store.Snooze, by int64, now time.Time) (out *store.Issue, changed bool, err error) {
	if is.Status == status && is.Snooze().Equal(snooze) {
		return is, false, nil
	}
	out, err = store.SetIssueStatus(ctx, tx, projectID, is.UUID, status, snooze, now)
	if err != nil {
		return nil, false, err
	}
	data := store.ActivityData{From: is.Status, To: status, IgnoreUntil: snooze.Until, IgnoreOccurrences: snooze.Occurrences}
	err = store.InsertActivity(ctx, tx, &store.Activity{ProjectID: projectID, ErrorGroupID: is.ID, ActorUserID: actor(by),
		Kind: store.ActivityStatusChanged, Data: data, CreatedAt: now})
	if err != nil {
		return nil, false, err
	}
	return out, true, nil
}

func actor(by int64) *int64 {
	if by == 0 {
		return nil
	}
	return &by
}

func errNotAMember() error {
	return &apperr.Error{Kind: apperr.KindUnprocessable, Code: "not_a_member",
		Message: "Issues can be assigned only to the project's owner and members."}
}

// SetAssignee assigns the project's issue to the user with the uuid, or unassigns it (nil); by is
// who does it. A change is recorded in the issue's activity in the same transaction; assigning
// the issue to its assignee (or unassigning an unassigned one) changes and records nothing.
//
// Errors: apperr NotFound for an issue that is not the project's; Unprocessable "not_a_member"
// for an assignee who is neither the project's owner nor one of its members.
func (s *Service) SetAssignee(ctx context.Context, projectID int64, id uuid.UUID, assignee *uuid.UUID, by int64) (*Detail, error) {
	var is *store.Issue
	err := s.st.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		u, err := s.assignable(ctx, tx, projectID, assignee)
		if err != nil {
			return err
		}
		locked, err := store.LockIssues(ctx, tx, projectID, []uuid.UUID{id})
		if err != nil {
			return err
		}
		if len(locked) == 0 {
			return errNoIssue()
		}
		is, _, err = s.applyAssignee(ctx, tx, projectID, &locked[0], u, by, s.now())
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.detail(ctx, is)
}

// assignable returns the summary of the would-be assignee (nil for nil).
func (s *Service) assignable(ctx context.Context, db bun.IDB, projectID int64, assignee *uuid.UUID) (*store.UserSummary, error) {
	if assignee == nil {
		return nil, nil
	}
	u, err := store.AssignableUser(ctx, db, projectID, *assignee)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotAMember()
	}
	return u, err
}

// applyAssignee assigns the locked issue to u (nil: unassigns it) and records the change; changed
// is false (and nothing is written) when it already was so.
func (s *Service) applyAssignee(ctx context.Context, tx bun.IDB, projectID int64, is *store.Issue, u *store.UserSummary, by int64, now time.Time) (out *store.Issue, changed bool, err error) {
	cur := is.AssignedUserID
	if (u == nil && cur == nil) || (u != nil && cur != nil && *cur == u.ID) {
		return is, false, nil
	}
	data := store.ActivityData{}
	if cur != nil {
		prev, err := store.UserSummaryByID(ctx, tx, *cur)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, false, err
		}
		if prev != nil {
			data.Previous = &store.ActivityUser{ID: prev.UUID, Name: prev.Name}
		}
	}
	kind := store.ActivityUnassigned
	var userID *int64
	if u != nil {
		kind = store.ActivityAssigned
		userID = &u.ID
		data.Assignee = &store.ActivityUser{ID: u.UUID, Name: u.Name}
	}
	out, err = store.SetIssueAssignee(ctx, tx, projectID, is.UUID, userID, by, now)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, errNotAMember() // removed from the project since the check
	}
	if err != nil {
		return nil, false, err
	}
	err = store.InsertActivity(ctx, tx, &store.Activity{ProjectID: projectID, ErrorGroupID: is.ID, ActorUserID: actor(by),
		Kind: kind, Data: data, CreatedAt: now})
	if err != nil {
		return nil, false, err
	}
	return out, true, nil
}
