package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Issue is one error group as the triage API shows it.
type Issue struct {
	ID                  int64      `bun:"id"`
	UUID                uuid.UUID  `bun:"uuid"`
	Title               string     `bun:"title"`
	Subtitle            string     `bun:"subtitle"` // the exception type; "" when unknown
	Environment         string     `bun:"stage"`    // of the latest occurrence
	Level               string     `bun:"severity"` // of the latest occurrence
	Status              string     `bun:"status"`
	OccurrenceCount     int64      `bun:"occurrence_count"`
	FirstSeenAt         time.Time  `bun:"first_seen_at"`
	LastSeenAt          time.Time  `bun:"last_seen_at"`
	ResolvedAt          *time.Time `bun:"resolved_at"`
	IgnoredAt           *time.Time `bun:"ignored_at"`
	ArchivedAt          *time.Time `bun:"archived_at"`
	ReopenCount         int        `bun:"reopen_count"`
	LastReopenedAt      *time.Time `bun:"last_reopened_at"`
	RegressionCount     int        `bun:"regression_count"`
	IntroducedInRelease string     `bun:"introduced_in_release"` // "" when unknown, as the other releases
	LastSeenRelease     string     `bun:"last_seen_release"`
	ResolvedInRelease   string     `bun:"resolved_in_release"`
	RegressedInRelease  string     `bun:"regressed_in_release"`
	AssignedUserID      *int64     `bun:"assigned_user_id"`
	AssignedByUserID    *int64     `bun:"assigned_by_user_id"`
	AssignedAt          *time.Time `bun:"assigned_at"`
	LatestEventID       *uuid.UUID `bun:"latest_event_id"`
	// SnoozeUntil and SnoozeRemaining are the snooze of an ignored group (nil when none): it
	// reopens at SnoozeUntil, or once SnoozeRemaining more occurrences after its closure have come.
	SnoozeUntil     *time.Time `bun:"snooze_until"`
	SnoozeRemaining *int64     `bun:"snooze_remaining"`
}

// Snooze is how an issue being ignored reopens by itself: at Until, or once Occurrences more
// occurrences (provably after it was ignored) have come, whichever comes first. Nil fields are
// not set; the zero Snooze is a plain ignore, which the next such occurrence ends.
type Snooze struct {
	Until       *time.Time
	Occurrences *int64
}

// IsZero reports whether s snoozes nothing.
func (s Snooze) IsZero() bool { return s.Until == nil && s.Occurrences == nil }

// Equal reports whether s and o are the same snooze.
func (s Snooze) Equal(o Snooze) bool {
	sameTime := (s.Until == nil) == (o.Until == nil) && (s.Until == nil || s.Until.Equal(*o.Until))
	sameCount := (s.Occurrences == nil) == (o.Occurrences == nil) && (s.Occurrences == nil || *s.Occurrences == *o.Occurrences)
	return sameTime && sameCount
}

// Snooze returns the issue's current snooze.
func (is *Issue) Snooze() Snooze {
	return Snooze{Until: is.SnoozeUntil, Occurrences: is.SnoozeRemaining}
}

// issueColumns are the columns of Issue, for SELECT and RETURNING.
const issueColumns = `id, uuid, title, coalesce(subtitle, '') AS subtitle, stage, severity, status,
	occurrence_count, first_seen_at, last_seen_at, resolved_at, ignored_at, archived_at, reopen_count,
	last_reopened_at, regression_count, coalesce(introduced_in_release, '') AS introduced_in_release,
	coalesce(last_seen_release, '') AS last_seen_release, coalesce(resolved_in_release, '') AS resolved_in_release,
	coalesce(regressed_in_release, '') AS regressed_in_release, assigned_user_id, assigned_by_user_id,
	assigned_at, latest_event_id, snooze_until, snooze_remaining`

// IssueByUUID returns the project's error group with the uuid, or sql.ErrNoRows (also for a group
// of another project).
func IssueByUUID(ctx context.Context, db bun.IDB, projectID int64, id uuid.UUID) (*Issue, error) {
	var is Issue
	err := db.NewRaw(`SELECT `+issueColumns+` FROM error_groups WHERE project_id = ? AND uuid = ?`, projectID, id).Scan(ctx, &is)
	if err != nil {
		return nil, fmt.Errorf("store: issue %s: %w", id, err)
	}
	return &is, nil
}

// IssueEvent is an occurrence of an error group.
type IssueEvent struct {
	ID         uuid.UUID       `bun:"id"`
	OccurredAt time.Time       `bun:"occurred_at"`
	Message    string          `bun:"message"`
	Context    json.RawMessage `bun:"context,type:jsonb"`
}

// LatestIssueEvent returns the group's latest occurrence: the one the group names, else the last
// by occurred_at. It returns nil, nil when the group has none.
func LatestIssueEvent(ctx context.Context, db bun.IDB, is *Issue) (*IssueEvent, error) {
	var ev IssueEvent
	var err error
	if is.LatestEventID != nil {
		err = db.NewRaw(`SELECT id, occurred_at, message, context FROM error_events
			WHERE id = ? AND error_group_id = ?`, *is.LatestEventID, is.ID).Scan(ctx, &ev)
		if err == nil {
			return &ev, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("store: latest event of issue %s: %w", is.UUID, err)
		}
	}
	err = db.NewRaw(`SELECT id, occurred_at, message, context FROM error_events
		WHERE error_group_id = ? ORDER BY occurred_at DESC, id DESC LIMIT 1`, is.ID).Scan(ctx, &ev)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: latest event of issue %s: %w", is.UUID, err)
	}
	return &ev, nil
}

// The statuses of error groups.
const (
	IssueUnresolved = "unresolved"
	IssueResolved   = "resolved"
	IssueIgnored    = "ignored"
	IssueArchived   = "archived"
)

// SetIssueStatus sets a group's status in one statement and returns the group, or sql.ErrNoRows.
// Closing (resolved, ignored, archived) sets the matching time to now and clears the others;
// resolving also records the release the group was last seen in as resolved_in_release.
// Reopening (unresolved) clears the three times and counts a reopen, not a regression. The group's
// snooze becomes snooze, which only ignored may have (any other status clears it; ignoring an
// ignored group again keeps its ignored_at and only replaces the snooze, microsecond precision).
// Setting the status and snooze a group already has changes nothing.
func SetIssueStatus(ctx context.Context, db bun.IDB, projectID int64, id uuid.UUID, status string, snooze Snooze, now time.Time) (*Issue, error) {
	switch status {
	case IssueUnresolved, IssueResolved, IssueIgnored, IssueArchived:
	default:
		return nil, fmt.Errorf("store: set issue status: unknown status %q", status)
	}
	if status != IssueIgnored && !snooze.IsZero() {
		return nil, fmt.Errorf("store: set issue status: only an ignored issue can be snoozed, not %s", status)
	}
	var is Issue
	err := db.NewRaw(`UPDATE error_groups AS g SET
			status = ?0,
			resolved_at = CASE WHEN g.status = ?0 THEN g.resolved_at WHEN ?0 = 'resolved' THEN ?1::timestamptz END,
			ignored_at = CASE WHEN g.status = ?0 THEN g.ignored_at WHEN ?0 = 'ignored' THEN ?1::timestamptz END,
			archived_at = CASE WHEN g.status = ?0 THEN g.archived_at WHEN ?0 = 'archived' THEN ?1::timestamptz END,
			resolved_in_release = CASE WHEN ?0 = 'resolved' AND g.status <> ?0 THEN g.last_seen_release
				ELSE g.resolved_in_release END,
			reopen_count = g.reopen_count + CASE WHEN ?0 = 'unresolved' AND g.status <> ?0 THEN 1 ELSE 0 END,
			last_reopened_at = CASE WHEN ?0 = 'unresolved' AND g.status <> ?0 THEN ?1::timestamptz
				ELSE g.last_reopened_at END,
			snooze_until = ?4::timestamptz,
			snooze_remaining = ?5::bigint,
			updated_at = CASE WHEN g.status = ?0 AND g.snooze_until IS NOT DISTINCT FROM ?4::timestamptz
				AND g.snooze_remaining IS NOT DISTINCT FROM ?5::bigint THEN g.updated_at ELSE ?1::timestamptz END
		WHERE g.project_id = ?2 AND g.uuid = ?3
		RETURNING `+issueColumns, status, now, projectID, id, snooze.Until, snooze.Occurrences).Scan(ctx, &is)
	if err != nil {
		return nil, fmt.Errorf("store: set status of issue %s: %w", id, err)
	}
	return &is, nil
}

// SetIssueAssignee assigns the project's group to assignee, recording by and now, or clears the
// assignment when assignee is nil. It returns the group, or sql.ErrNoRows when there is no such
// group or assignee is neither the project's owner nor a member.
func SetIssueAssignee(ctx context.Context, db bun.IDB, projectID int64, id uuid.UUID, assignee *int64, by int64, now time.Time) (*Issue, error) {
	var is Issue
	var err error
	if assignee == nil {
		err = db.NewRaw(`UPDATE error_groups SET assigned_user_id = NULL, assigned_by_user_id = NULL, assigned_at = NULL,
				updated_at = ?
			WHERE project_id = ? AND uuid = ? RETURNING `+issueColumns, now, projectID, id).Scan(ctx, &is)
	} else {
		// The membership is checked by the UPDATE itself and key-share locked until the transaction
		// ends: a removal in flight is waited for (and then the member is not found), and a removal
		// that comes after waits for this assignment, so that its clearing of the member's
		// assignments sees it.
		err = db.NewRaw(`UPDATE error_groups SET assigned_user_id = ?, assigned_by_user_id = ?, assigned_at = ?,
				updated_at = ?
			WHERE project_id = ? AND uuid = ?
			  AND (EXISTS (SELECT 1 FROM projects p WHERE p.id = error_groups.project_id AND p.owner_id = ?)
			    OR EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = error_groups.project_id AND m.user_id = ?
			               FOR KEY SHARE))
			RETURNING `+issueColumns, *assignee, by, now, now, projectID, id, *assignee, *assignee).Scan(ctx, &is)
	}
	if err != nil {
		return nil, fmt.Errorf("store: assign issue %s: %w", id, err)
	}
	return &is, nil
}

// AssignableUser returns the summary of the user with the uuid when they are the project's owner
// or one of its members, or sql.ErrNoRows.
func AssignableUser(ctx context.Context, db bun.IDB, projectID int64, userID uuid.UUID) (*UserSummary, error) {
	var u UserSummary
	err := db.NewRaw(`SELECT u.id, u.uuid, u.email, u.name FROM users u
		WHERE u.uuid = ? AND (
			EXISTS (SELECT 1 FROM projects p WHERE p.id = ? AND p.owner_id = u.id)
			OR EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = ? AND m.user_id = u.id))`,
		userID, projectID, projectID).Scan(ctx, &u)
	if err != nil {
		return nil, fmt.Errorf("store: assignable user %s: %w", userID, err)
	}
	return &u, nil
}
