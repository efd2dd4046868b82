package store

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// The events feed (reference 6.4): a project's telemetry (logs, metrics, transactions and
// check-ins; errors live in the inbox), newest first, filtered, a page at a time.
//
// There is no index on (project_id, occurred_at) across types: every telemetry event would pay for
// it at ingestion. The feed instead reads telemetry_events_project_idx (project_id, event_type,
// occurred_at DESC) once per type, each branch stopping after a page, and merges the branches.

// TelemetryTypes are the event types of telemetry_events, in the feed's order of branches.
var TelemetryTypes = []string{"log", "metric", "transaction", "check_in"}

// Page sizes of the events feed and the trace list.
const (
	DefaultFeedLimit = 50
	MaxFeedLimit     = 100
)

// FeedQuery is what the events feed is asked for. Empty fields do not filter.
type FeedQuery struct {
	// Type is one of TelemetryTypes, or "" for all of them.
	Type string
	// Since bounds occurred_at from below (inclusive); zero means no bound.
	Since time.Time
	// Period names Since for the cursor ("24h", "7d", ...): a cursor is bound to it, not to the
	// moving instant.
	Period string
	// Text must occur, case-insensitively, in the message, the level or the context's name fields
	// (transaction_name, transactionName, name, check_in_slug, logger_name).
	Text        string
	Environment string
	Release     string
}

// EventSummary is an event as lists show it: its columns and what its context says of its
// duration, name, status and trace. The events feed, an issue's occurrences and a trace's errors
// all read it with EventSummaryColumns and ScanEventSummary.
type EventSummary struct {
	ID            uuid.UUID
	Type          string // error, log, metric, transaction or check_in
	Level         string
	Message       string // cut at 1,000 characters
	OccurredAt    time.Time
	ReceivedAt    time.Time
	TimePrecision string
	Environment   string // "" when none
	Release       string // "" when none
	EventExtras
	// IssueID is the error group of an error occurrence; nil for telemetry.
	IssueID *uuid.UUID
}

// EventExtras are the fields of an event summary that come from its context; empty when not sent.
type EventExtras struct {
	DurationMS *float64
	TraceID    string
	Name       string
	Status     string
}

// EventSummaryColumns select an EventSummary's columns from an events table aliased e
// (error_events or telemetry_events), in ScanEventSummary's order, without the type and issue id.
// Only the context members the summary reads leave the database, not the whole context.
const EventSummaryColumns = `e.id, e.level, left(e.message, 1000), e.occurred_at, e.received_at, e.time_precision,
	coalesce(e.environment, ''), coalesce(e.release, ''),
	jsonb_build_object('duration_ms', e.context->'duration_ms', 'durationMs', e.context->'durationMs',
		'trace_id', e.context->'trace_id', 'traceId', e.context->'traceId',
		'trace_trace_id', e.context#>'{trace,trace_id}', 'trace_traceId', e.context#>'{trace,traceId}',
		'contexts_trace_id', e.context#>'{contexts,trace,trace_id}',
		'transaction_name', e.context->'transaction_name', 'transactionName', e.context->'transactionName',
		'check_in_slug', e.context->'check_in_slug', 'metric_name', e.context#>'{metric,name}',
		'name', e.context->'name', 'logger_name', e.context->'logger_name',
		'check_in_status', e.context->'check_in_status', 'transaction_status', e.context->'transaction_status',
		'status', e.context->'status', 'http_status', e.context#>'{http,status_code}')`

// ScanEventSummary scans EventSummaryColumns into s, then the extra columns after them into extra.
func ScanEventSummary(row pgx.Row, s *EventSummary, extra ...any) error {
	var extras []byte
	dest := append([]any{&s.ID, &s.Level, &s.Message, &s.OccurredAt, &s.ReceivedAt, &s.TimePrecision,
		&s.Environment, &s.Release, &extras}, extra...)
	if err := row.Scan(dest...); err != nil {
		return err
	}
	s.EventExtras = ContextExtras(extras)
	return nil
}

// ContextExtras reads an event's duration, trace id, name and status from its context, or from
// the object EventSummaryColumns builds of it (which has a metric_name member, always). The first
// member present wins:
//   - duration: duration_ms, durationMs (a number, or a string holding one);
//   - trace id: trace_id, traceId, trace.trace_id, trace.traceId, contexts.trace.trace_id (where
//     store.RelatedLogs looks for one);
//   - name: transaction_name, transactionName, check_in_slug, metric.name, name, logger_name;
//   - status: check_in_status, transaction_status, status, http.status_code.
//
// Decoding in Go rather than casting in SQL: a duration such as 1e400 or "12 ms" is dropped
// instead of failing the query.
func ContextExtras(raw []byte) EventExtras {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil || m == nil {
		return EventExtras{}
	}
	if _, built := m["metric_name"]; !built {
		// A whole context: lift the nested members to where EventSummaryColumns puts them.
		m["metric_name"] = member(m["metric"], "name")
		m["http_status"] = member(m["http"], "status_code")
		m["trace_trace_id"] = member(m["trace"], "trace_id")
		m["trace_traceId"] = member(m["trace"], "traceId")
		m["contexts_trace_id"] = member(member(m["contexts"], "trace"), "trace_id")
	}
	first := func(keys ...string) string {
		for _, k := range keys {
			if s := scalarText(m[k]); s != "" {
				return s
			}
		}
		return ""
	}
	var x EventExtras
	if d := first("duration_ms", "durationMs"); d != "" {
		if f, err := strconv.ParseFloat(d, 64); err == nil && f >= 0 && f < 1e15 {
			x.DurationMS = &f
		}
	}
	x.TraceID = first("trace_id", "traceId", "trace_trace_id", "trace_traceId", "contexts_trace_id")
	x.Name = first("transaction_name", "transactionName", "check_in_slug", "metric_name", "name", "logger_name")
	x.Status = first("check_in_status", "transaction_status", "status", "http_status")
	return x
}

// member is the member key of a JSON object, or nil.
func member(raw json.RawMessage, key string) json.RawMessage {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	return m[key]
}

// scalarText is a JSON string's text (trimmed) or a number as written; "" for anything else.
func scalarText(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return ""
		}
		return strings.TrimSpace(s)
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return string(raw)
	}
	return ""
}

// FeedPage is one page of ListFeed.
type FeedPage struct {
	Events []EventSummary
	// NextCursor fetches the next page; "" on the last page.
	NextCursor string
}

// ListFeed returns a page of the project's telemetry that matches q, newest first (occurred_at,
// then id, descending), after the position cursor names ("" for the first page). limit is clamped
// to 1..MaxFeedLimit; 0 means DefaultFeedLimit. A cursor is bound to the project and the filters
// (ErrInvalidCursor otherwise).
func (s *Store) ListFeed(ctx context.Context, projectID int64, q FeedQuery, cursor string, limit int) (*FeedPage, error) {
	limit = clampFeedLimit(limit)
	digest := listDigest("events", strconv.FormatInt(projectID, 10), q.Type, q.Period, q.Text, q.Environment, q.Release)
	after, err := decodeTimeCursor(cursor, listEvents, digest)
	if err != nil {
		return nil, err
	}
	types := TelemetryTypes
	if q.Type != "" {
		types = []string{q.Type}
	}

	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	conds := []string{"e.project_id = " + arg(projectID)}
	if !q.Since.IsZero() {
		conds = append(conds, "e.occurred_at >= "+arg(q.Since))
	}
	if q.Environment != "" {
		conds = append(conds, "e.environment = "+arg(q.Environment))
	}
	if q.Release != "" {
		conds = append(conds, "e.release = "+arg(q.Release))
	}
	if q.Text != "" {
		p := arg(containsLike(q.Text))
		var ors []string
		for _, expr := range feedTextColumns {
			ors = append(ors, expr+" ILIKE "+p)
		}
		conds = append(conds, "("+strings.Join(ors, " OR ")+")")
	}
	if after != nil {
		at, id := arg(after.at), arg(after.id)
		// "t <= k AND (t < k OR id < i)" rather than a row comparison, so the index bounds the scan.
		conds = append(conds, fmt.Sprintf("e.occurred_at <= %[1]s AND (e.occurred_at < %[1]s OR e.id < %[2]s)", at, id))
	}
	where := strings.Join(conds, " AND ")
	n := strconv.Itoa(limit + 1)
	branches := make([]string, 0, len(types))
	for _, t := range types {
		branches = append(branches, "(SELECT "+EventSummaryColumns+", e.event_type FROM telemetry_events e WHERE "+
			where+" AND e.event_type = "+arg(t)+" ORDER BY e.occurred_at DESC, e.id DESC LIMIT "+n+")")
	}
	// The branches' columns are unnamed: the merge orders them by position (occurred_at, id).
	sql := "SELECT * FROM (" + strings.Join(branches, " UNION ALL ") + ") f ORDER BY 4 DESC, 1 DESC LIMIT " + n

	page := &FeedPage{Events: make([]EventSummary, 0, limit+1)}
	err = s.readTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e EventSummary
			if err := ScanEventSummary(rows, &e, &e.Type); err != nil {
				return err
			}
			page.Events = append(page.Events, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: list events: %w", err)
	}
	if len(page.Events) > limit {
		page.Events = page.Events[:limit]
		last := page.Events[limit-1]
		page.NextCursor = encodeTimeCursor(listEvents, timeKey{at: last.OccurredAt, id: last.ID}, digest)
	}
	return page, nil
}

func clampFeedLimit(limit int) int {
	switch {
	case limit <= 0:
		return DefaultFeedLimit
	case limit > MaxFeedLimit:
		return MaxFeedLimit
	}
	return limit
}

// feedTextColumns are what the feed's text filter looks in.
var feedTextColumns = []string{"e.message", "e.level", "e.context->>'transaction_name'", "e.context->>'transactionName'",
	"e.context->>'name'", "e.context->>'check_in_slug'", "e.context->>'logger_name'"}

// containsLike is the ILIKE pattern of a substring: the text with LIKE's wildcards escaped.
func containsLike(text string) string {
	return "%" + escapeLike(text) + "%"
}

// Cursors of lists ordered by (time, uuid) descending: the events feed and the trace list. Same
// approach as the inbox's: version, list, key, digest of project and filters, and the inbox's
// checksum; 42 bytes, 56 characters of base64url.

// The lists a time cursor can belong to.
const (
	listEvents byte = 1
	listTraces byte = 2
)

const (
	timeCursorVersion = 2 // the inbox's are version 1 (and shorter)
	timeCursorBytes   = 1 + 1 + 8 + 16 + 8 + 8
)

// timeKey is the position a time cursor holds: the time and id of the last row of its page.
type timeKey struct {
	at time.Time
	id uuid.UUID
}

// listDigest identifies the list, project and filters a cursor belongs to.
func listDigest(parts ...string) uint64 {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return binary.BigEndian.Uint64(sum[:8])
}

func encodeTimeCursor(list byte, k timeKey, digest uint64) string {
	b := make([]byte, 0, timeCursorBytes)
	b = append(b, timeCursorVersion, list)
	b = binary.BigEndian.AppendUint64(b, uint64(k.at.UnixMicro())) //nolint:gosec // a two's complement round trip
	b = append(b, k.id[:]...)
	b = binary.BigEndian.AppendUint64(b, digest)
	b = binary.BigEndian.AppendUint64(b, cursorChecksum(b))
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeTimeCursor reads a cursor of the list; "" is the first page (nil).
func decodeTimeCursor(s string, list byte, digest uint64) (*timeKey, error) {
	if s == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != timeCursorBytes || b[0] != timeCursorVersion ||
		binary.BigEndian.Uint64(b[timeCursorBytes-8:]) != cursorChecksum(b[:timeCursorBytes-8]) {
		return nil, fmt.Errorf("%w: malformed", ErrInvalidCursor)
	}
	if b[1] != list {
		return nil, fmt.Errorf("%w: it was made for another list", ErrInvalidCursor)
	}
	if binary.BigEndian.Uint64(b[26:34]) != digest {
		return nil, fmt.Errorf("%w: it was made for another filter or project", ErrInvalidCursor)
	}
	k := &timeKey{at: time.UnixMicro(int64(binary.BigEndian.Uint64(b[2:10]))).UTC()} //nolint:gosec // the round trip of encodeTimeCursor
	copy(k.id[:], b[10:26])
	return k, nil
}
