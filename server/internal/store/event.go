package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// Reads of single events: an issue's occurrences, any event of a project by id, and the logs
// related to an occurrence (reference §3.7, §6.3).

// The time precisions of events (ingestion's telemetry evidence).
const (
	PrecisionExact             = "exact"
	PrecisionReportingInterval = "reporting_interval"
	PrecisionReceivedOnly      = "received_only"
)

// Event is one event with what lists show of it (EventSummary) and, when asked for, its whole
// context.
type Event struct {
	EventSummary
	// GroupID is the error group of an error occurrence (its IssueID is the group's uuid); 0 for
	// telemetry.
	GroupID     int64
	Fingerprint string // "" when none was sent
	// Context is the context as stored, not redacted; nil when not read.
	Context json.RawMessage
}

// contextColumn selects the context: none (NULL) unless with, else the whole context, or only a
// context whose JSON text is at most limit bytes (when limit > 0; a larger one reads as NULL, which
// a stored context never is).
func contextColumn(with bool, limit int) string {
	switch {
	case !with:
		return "NULL::jsonb"
	case limit > 0:
		return "CASE WHEN octet_length(e.context::text) <= " + strconv.Itoa(limit) + " THEN e.context END"
	}
	return "e.context"
}

// errorEventColumns select an Event of error_events e joined to error_groups g, in scanEvent's
// order; ctxCol is one of contextColumn's.
func errorEventColumns(ctxCol string) string {
	return EventSummaryColumns + `, 'error', e.error_group_id, g.uuid, coalesce(e.fingerprint, ''), ` + ctxCol
}

// telemetryEventColumns select an Event of telemetry_events e, in scanEvent's order.
func telemetryEventColumns(ctxCol string) string {
	return EventSummaryColumns + `, e.event_type, 0::bigint, NULL::uuid, coalesce(e.fingerprint, ''), ` + ctxCol
}

func scanEvent(row pgx.Row) (Event, error) {
	var ev Event
	var group pgtype.UUID
	var ctxJSON []byte
	err := ScanEventSummary(row, &ev.EventSummary, &ev.Type, &ev.GroupID, &group, &ev.Fingerprint, &ctxJSON)
	if group.Valid {
		id := uuid.UUID(group.Bytes)
		ev.IssueID = &id
	}
	if ctxJSON != nil {
		ev.Context = json.RawMessage(ctxJSON)
	}
	return ev, err
}

// queryEvents runs a query of events in a read-only transaction.
func (s *Store) queryEvents(ctx context.Context, query string, args ...any) ([]Event, error) {
	out := []Event{}
	err := s.readTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			ev, err := scanEvent(rows)
			if err != nil {
				return err
			}
			out = append(out, ev)
		}
		return rows.Err()
	})
	return out, err
}

// OccurrencePage is one page of an issue's occurrences, newest first.
type OccurrencePage struct {
	Events     []Event // Context is set only when asked for
	NextCursor string  // "" on the last page
}

// OccurrenceQuery is what ListOccurrences is asked for.
type OccurrenceQuery struct {
	// Cursor is the NextCursor of the previous page; "" for the first page.
	Cursor string
	// Limit is the page size, 1..MaxFeedLimit; 0 means DefaultFeedLimit.
	Limit int
	// WithContext also reads each occurrence's whole context.
	WithContext bool
	// MaxContextBytes, when positive, leaves out (nil) the contexts whose JSON text is larger:
	// a caller that would cut them anyway need not hold them.
	MaxContextBytes int
}

// listOccurrences is the time cursors' list byte of an issue's occurrences (telemetry.go has the
// others).
const listOccurrences byte = 16

// ListOccurrences returns a page of the group's occurrences, newest first (occurred_at, then id),
// read from error_events_group_idx. A cursor is bound to the group (ErrInvalidCursor otherwise).
func (s *Store) ListOccurrences(ctx context.Context, groupID int64, q OccurrenceQuery) (*OccurrencePage, error) {
	limit := clampFeedLimit(q.Limit)
	digest := listDigest("occurrences", strconv.FormatInt(groupID, 10))
	after, err := decodeTimeCursor(q.Cursor, listOccurrences, digest)
	if err != nil {
		return nil, err
	}
	query, args := occurrencesQuery(groupID, contextColumn(q.WithContext, q.MaxContextBytes), after, limit)
	rows, err := s.queryEvents(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list occurrences: %w", err)
	}
	page := &OccurrencePage{Events: rows}
	if len(rows) > limit {
		page.Events = rows[:limit]
		last := rows[limit-1]
		page.NextCursor = encodeTimeCursor(listOccurrences, timeKey{at: last.OccurredAt, id: last.ID}, digest)
	}
	return page, nil
}

// occurrencesQuery is ListOccurrences' query: a page of the group's occurrences after the key.
func occurrencesQuery(groupID int64, ctxCol string, after *timeKey, limit int) (string, []any) {
	args := []any{groupID, limit + 1}
	keyset := ""
	if after != nil {
		// "t <= k AND (t < k OR id < i)" rather than a row comparison, so the index bounds the scan.
		keyset = ` AND e.occurred_at <= $3 AND (e.occurred_at < $3 OR e.id < $4)`
		args = append(args, after.at, after.id)
	}
	return `SELECT ` + errorEventColumns(ctxCol) + `
		FROM error_events e JOIN error_groups g ON g.id = e.error_group_id
		WHERE e.error_group_id = $1` + keyset + `
		ORDER BY e.occurred_at DESC, e.id DESC LIMIT $2`, args
}

// Occurrence returns the group's occurrence with the id, context included, or sql.ErrNoRows.
func (s *Store) Occurrence(ctx context.Context, groupID int64, id uuid.UUID) (*Event, error) {
	rows, err := s.queryEvents(ctx, `SELECT `+errorEventColumns("e.context")+`
		FROM error_events e JOIN error_groups g ON g.id = e.error_group_id
		WHERE e.id = $1 AND e.error_group_id = $2`, id, groupID)
	if err != nil {
		return nil, fmt.Errorf("store: occurrence %s: %w", id, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("store: occurrence %s: %w", id, sql.ErrNoRows)
	}
	return &rows[0], nil
}

// EventByID returns the project's event with the id, an error occurrence or telemetry, context
// included, or sql.ErrNoRows (also for an event of another project).
//
// error_events is read by its primary key. telemetry_events is partitioned by received_at and its
// primary key is (id, received_at): an id alone would probe every partition's index. Event ids are
// UUIDv7 made just after the server received the event, so the id's time bounds received_at and
// only the partitions around it (and the default one) are read; an id of another version (never
// made by the server) falls back to probing every partition.
func (s *Store) EventByID(ctx context.Context, projectID int64, id uuid.UUID) (*Event, error) {
	query, args := errorEventQuery(projectID, id)
	rows, err := s.queryEvents(ctx, query, args...)
	if err == nil && len(rows) == 0 {
		query, args = telemetryEventQuery(projectID, id)
		rows, err = s.queryEvents(ctx, query, args...)
	}
	if err != nil {
		return nil, fmt.Errorf("store: event %s: %w", id, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("store: event %s: %w", id, sql.ErrNoRows)
	}
	return &rows[0], nil
}

// errorEventQuery is EventByID's query of error_events.
func errorEventQuery(projectID int64, id uuid.UUID) (string, []any) {
	return `SELECT ` + errorEventColumns("e.context") + `
		FROM error_events e JOIN error_groups g ON g.id = e.error_group_id
		WHERE e.id = $1 AND e.project_id = $2`, []any{id, projectID}
}

// telemetryEventQuery is EventByID's query of telemetry_events.
func telemetryEventQuery(projectID int64, id uuid.UUID) (string, []any) {
	q := `SELECT ` + telemetryEventColumns("e.context") + ` FROM telemetry_events e WHERE e.id = $1 AND e.project_id = $2`
	args := []any{id, projectID}
	if id.Version() == 7 {
		at := time.UnixMilli(v7Millis(id)).UTC()
		q += ` AND e.received_at BETWEEN $3 AND $4`
		args = append(args, at.Add(-v7Slack), at.Add(v7Slack))
	}
	return q + ` LIMIT 1`, args
}

// v7Slack is how far an event's received_at may be from its id's time: received_at is taken
// before the id is made, and a batch can wait and be retried in between.
const v7Slack = 6 * time.Hour

// v7Millis is the Unix time in milliseconds a UUIDv7 holds.
func v7Millis(id uuid.UUID) int64 {
	var b [8]byte
	copy(b[2:], id[:6])
	return int64(binary.BigEndian.Uint64(b[:])) //nolint:gosec // 48 bits
}

// The kinds of id related logs are matched on.
const (
	RelatedTraceID   = "trace_id"
	RelatedRequestID = "request_id"
	RelatedSessionID = "session_id"
	RelatedUserID    = "user_id"
)

// RelatedKinds are the kinds of id related logs are matched on, in order.
var RelatedKinds = []string{RelatedTraceID, RelatedRequestID, RelatedSessionID, RelatedUserID}

// relatedPaths are where SDKs put each id in a context: at the top (where ingestion also copies the
// event's own fields), camelCase or snake_case, or nested (the Ruby SDK's trace object, request.id,
// user.id, session.id).
var relatedPaths = map[string][][]string{
	RelatedTraceID: {{"trace_id"}, {"traceId"}, {"trace", "trace_id"}, {"trace", "traceId"},
		{"contexts", "trace", "trace_id"}},
	RelatedRequestID: {{"request_id"}, {"requestId"}, {"request", "request_id"}, {"request", "requestId"},
		{"request", "id"}, {"trace", "request_id"}, {"trace", "requestId"}},
	RelatedSessionID: {{"session_id"}, {"sessionId"}, {"session", "id"}, {"session", "session_id"},
		{"session", "sessionId"}},
	RelatedUserID: {{"user_id"}, {"userId"}, {"user", "id"}, {"user", "user_id"}, {"user", "userId"}},
}

// RelatedID reads the id of the kind from a decoded context: the first of the places SDKs put it
// that holds a string that is not blank (nor over 512 bytes) or a number (as written). It returns ""
// when there is none.
func RelatedID(context map[string]any, kind string) string {
	for _, path := range relatedPaths[kind] {
		var v any = context
		for _, k := range path {
			m, ok := v.(map[string]any)
			if !ok {
				v = nil
				break
			}
			v = m[k]
		}
		switch x := v.(type) {
		case string:
			if strings.TrimSpace(x) != "" && len(x) <= 512 {
				return x
			}
		case json.Number:
			return x.String()
		case float64:
			return strconv.FormatFloat(x, 'f', -1, 64)
		}
	}
	return ""
}

// RelatedQuery is what RelatedLogs looks for.
type RelatedQuery struct {
	ProjectID int64
	// From and To bound the logs' occurred_at, both included.
	From, To time.Time
	// IDs are the ids to match, by kind (RelatedTraceID...); a log matches when any of them is
	// found in any of the places its kind is looked for.
	IDs map[string]string
	// Limit is the most logs returned (1..100; other values mean 50).
	Limit int
	// WithContext also reads each log's whole context.
	WithContext bool
	// MaxContextBytes is as OccurrenceQuery's.
	MaxContextBytes int
}

// RelatedLogs returns the project's log events within the window that carry any of the ids,
// newest first. The window is read from telemetry_events_project_idx (project, type, time); the
// ids are checked on the rows in it. It returns none when IDs is empty.
func (s *Store) RelatedLogs(ctx context.Context, q RelatedQuery) ([]Event, error) {
	query, args := relatedLogsQuery(q)
	if query == "" {
		return []Event{}, nil
	}
	rows, err := s.queryEvents(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: related logs: %w", err)
	}
	return rows, nil
}

// relatedLogsQuery is RelatedLogs' query; "" when there is no id to look for.
func relatedLogsQuery(q RelatedQuery) (string, []any) {
	limit := q.Limit
	if limit < 1 || limit > 100 {
		limit = 50
	}
	args := []any{q.ProjectID, "log", q.From, q.To}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	var conds []string
	for _, kind := range RelatedKinds {
		v := q.IDs[kind]
		if v == "" {
			continue
		}
		p := arg(v)
		for _, path := range relatedPaths[kind] {
			// The paths are constants of this file: never client input.
			conds = append(conds, `e.context #>> '{`+strings.Join(path, ",")+`}' = `+p)
		}
	}
	if len(conds) == 0 {
		return "", nil
	}
	return `SELECT ` + telemetryEventColumns(contextColumn(q.WithContext, q.MaxContextBytes)) + ` FROM telemetry_events e
		WHERE e.project_id = $1 AND e.event_type = $2 AND e.occurred_at BETWEEN $3 AND $4
			AND (` + strings.Join(conds, " OR ") + `)
		ORDER BY e.occurred_at DESC, e.id DESC LIMIT ` + strconv.Itoa(limit), args
}
