package store

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// The kinds of issue activity.
const (
	ActivityStatusChanged   = "status_changed"
	ActivityAssigned        = "assigned"
	ActivityUnassigned      = "unassigned"
	ActivityCommented       = "commented"
	ActivityReopenedByEvent = "reopened_by_event"
	ActivitySnoozeExpired   = "snooze_expired"
)

// ActivityUser is a user as an activity entry recorded them.
type ActivityUser struct {
	ID   uuid.UUID `json:"id"`
	Name string    `json:"name"`
}

// ActivityData is what an activity entry records, by kind: From and To (statuses) for
// status_changed, reopened_by_event and snooze_expired, with the snooze of an ignore
// (IgnoreUntil, IgnoreOccurrences) and, for reopened_by_event, the latest occurrence that reopened
// the issue and its release (EventID, Release; ingestion writes these keys in SQL); Assignee and
// Previous for assigned and unassigned; Body for commented.
type ActivityData struct {
	From              string        `json:"from,omitempty"`
	To                string        `json:"to,omitempty"`
	IgnoreUntil       *time.Time    `json:"ignoreUntil,omitempty"`
	IgnoreOccurrences *int64        `json:"ignoreOccurrences,omitempty"`
	EventID           *uuid.UUID    `json:"eventId,omitempty"`
	Release           string        `json:"release,omitempty"`
	Assignee          *ActivityUser `json:"assignee,omitempty"`
	Previous          *ActivityUser `json:"previous,omitempty"`
	Body              string        `json:"body,omitempty"`
}

// Activity is one entry of an issue's activity log.
type Activity struct {
	ID           int64        `bun:"id"`
	UUID         uuid.UUID    `bun:"uuid"`
	ProjectID    int64        `bun:"project_id"`
	ErrorGroupID int64        `bun:"error_group_id"`
	ActorUserID  *int64       `bun:"actor_user_id"`
	Kind         string       `bun:"kind"`
	Data         ActivityData `bun:"data,type:jsonb"`
	CreatedAt    time.Time    `bun:"created_at"`
}

// InsertActivity records a, setting its ID and UUID.
func InsertActivity(ctx context.Context, db bun.IDB, a *Activity) error {
	data, err := json.Marshal(a.Data)
	if err != nil {
		return fmt.Errorf("store: insert activity: %w", err)
	}
	err = db.NewRaw(`INSERT INTO issue_activities (project_id, error_group_id, actor_user_id, kind, data, created_at)
		VALUES (?, ?, ?, ?, ?::jsonb, ?) RETURNING id, uuid`,
		a.ProjectID, a.ErrorGroupID, a.ActorUserID, a.Kind, string(data), a.CreatedAt).Scan(ctx, &a.ID, &a.UUID)
	if err != nil {
		return fmt.Errorf("store: insert activity: %w", err)
	}
	return nil
}

// ActivityPage is one page of an issue's activity, newest first.
type ActivityPage struct {
	Activities []Activity
	NextCursor string // "" on the last page
}

// ErrInvalidActivityCursor is a cursor that ListActivities cannot read.
var ErrInvalidActivityCursor = errors.New("store: invalid activity cursor")

// ListActivities returns a page of the group's activity, newest first (created_at, id), after the
// cursor ("" for the first page), at most limit entries (1..100; other values mean 50).
func ListActivities(ctx context.Context, db bun.IDB, groupID int64, cursor string, limit int) (*ActivityPage, error) {
	if limit < 1 || limit > 100 {
		limit = 50
	}
	q := db.NewSelect().TableExpr("issue_activities").
		Column("id", "uuid", "project_id", "error_group_id", "actor_user_id", "kind", "data", "created_at").
		Where("error_group_id = ?", groupID).
		OrderExpr("created_at DESC, id DESC").
		Limit(int64(limit + 1))
	if cursor != "" {
		at, id, err := decodeActivityCursor(cursor)
		if err != nil {
			return nil, err
		}
		q = q.Where("(created_at, id) < (?, ?)", at, id)
	}
	var rows []Activity
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("store: list activities: %w", err)
	}
	page := &ActivityPage{Activities: rows}
	if len(rows) > limit {
		page.Activities = rows[:limit]
		last := rows[limit-1]
		page.NextCursor = encodeActivityCursor(last.CreatedAt, last.ID)
	}
	return page, nil
}

func encodeActivityCursor(at time.Time, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(at.UnixMicro(), 10) + "." + strconv.FormatInt(id, 10)))
}

func decodeActivityCursor(s string) (time.Time, int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return time.Time{}, 0, ErrInvalidActivityCursor
	}
	micros, rest, ok := strings.Cut(string(b), ".")
	if !ok {
		return time.Time{}, 0, ErrInvalidActivityCursor
	}
	us, err1 := strconv.ParseInt(micros, 10, 64)
	id, err2 := strconv.ParseInt(rest, 10, 64)
	if err1 != nil || err2 != nil || id <= 0 {
		return time.Time{}, 0, ErrInvalidActivityCursor
	}
	return time.UnixMicro(us).UTC(), id, nil
}

// ActivityByUUID returns the group's activity entry with the uuid, or sql.ErrNoRows.
func ActivityByUUID(ctx context.Context, db bun.IDB, groupID int64, id uuid.UUID) (*Activity, error) {
	var a Activity
	err := db.NewSelect().TableExpr("issue_activities").
		Column("id", "uuid", "project_id", "error_group_id", "actor_user_id", "kind", "data", "created_at").
		Where("error_group_id = ? AND uuid = ?", groupID, id).Scan(ctx, &a)
	if err != nil {
		return nil, fmt.Errorf("store: activity %s: %w", id, err)
	}
	return &a, nil
}

// DeleteActivity deletes the entry with the row id.
func DeleteActivity(ctx context.Context, db bun.IDB, id int64) error {
	if _, err := db.NewRaw(`DELETE FROM issue_activities WHERE id = ?`, id).Exec(ctx); err != nil {
		return fmt.Errorf("store: delete activity: %w", err)
	}
	return nil
}

// LockIssues returns the project's groups with the uuids, locked FOR UPDATE in row-id order (so
// that concurrent callers do not deadlock); uuids of no group of the project are left out.
func LockIssues(ctx context.Context, db bun.IDB, projectID int64, ids []uuid.UUID) ([]Issue, error) {
	var out []Issue
	if len(ids) == 0 {
		return out, nil
	}
	err := db.NewRaw(`SELECT `+issueColumns+` FROM error_groups WHERE project_id = ? AND uuid IN (?)
		ORDER BY id FOR UPDATE`, projectID, bun.List(ids)).Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("store: lock issues: %w", err)
	}
	return out, nil
}
