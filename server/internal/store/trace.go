package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Traces: root spans newest first (spans_roots_idx), and a trace's spans in start order
// (spans_trace_idx, then a sort), with the error occurrences that carry its trace id.

// MaxTraceSpans is the most spans GetTraceSpans returns; a larger trace is truncated.
const MaxTraceSpans = 2000

// TraceErrorWindow widens a trace's time window when looking for its error occurrences.
const TraceErrorWindow = 5 * time.Minute

// maxTraceErrors caps the error occurrences of a trace.
const maxTraceErrors = 100

// TraceQuery is what the trace list is asked for. Empty fields do not filter.
type TraceQuery struct {
	// Since bounds the root span's start from below (inclusive); zero means no bound.
	Since time.Time
	// Period names Since for the cursor ("24h", "7d", ...).
	Period string
	// Text must occur, case-insensitively, in the root span's name.
	Text string
}

// TraceSummary is a trace as the list shows it: its root span.
type TraceSummary struct {
	ID          uuid.UUID // the root span's row id (the cursor's tie-breaker)
	TraceID     string
	Name        string
	Kind        string
	Status      string // "" when none
	StartedAt   time.Time
	DurationMS  float64
	Environment string
	Release     string
}

// TracePage is one page of ListTraces.
type TracePage struct {
	Traces []TraceSummary
	// NextCursor fetches the next page; "" on the last page.
	NextCursor string
}

// ListTraces returns a page of the project's root spans (spans without a parent) that match q,
// newest first (started_at, then id, descending), after the position cursor names ("" for the
// first page). limit is clamped as ListFeed's; a cursor is bound to the project and the filters.
func (s *Store) ListTraces(ctx context.Context, projectID int64, q TraceQuery, cursor string, limit int) (*TracePage, error) {
	limit = clampFeedLimit(limit)
	digest := listDigest("traces", strconv.FormatInt(projectID, 10), q.Period, q.Text)
	after, err := decodeTimeCursor(cursor, listTraces, digest)
	if err != nil {
		return nil, err
	}
	args := []any{projectID}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	conds := []string{"project_id = $1", "parent_span_id IS NULL"}
	if !q.Since.IsZero() {
		conds = append(conds, "started_at >= "+arg(q.Since))
	}
	if q.Text != "" {
		conds = append(conds, "name ILIKE "+arg(containsLike(q.Text)))
	}
	if after != nil {
		at, id := arg(after.at), arg(after.id)
		conds = append(conds, fmt.Sprintf("started_at <= %[1]s AND (started_at < %[1]s OR id < %[2]s)", at, id))
	}
	sql := `SELECT id, trace_id, name, kind, coalesce(status, ''), started_at, duration_ms,
		coalesce(environment, ''), coalesce(release, '')
		FROM spans WHERE ` + strings.Join(conds, " AND ") + `
		ORDER BY started_at DESC, id DESC LIMIT ` + strconv.Itoa(limit+1)

	page := &TracePage{Traces: make([]TraceSummary, 0, limit)}
	err = s.readTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var t TraceSummary
			if err := rows.Scan(&t.ID, &t.TraceID, &t.Name, &t.Kind, &t.Status, &t.StartedAt, &t.DurationMS,
				&t.Environment, &t.Release); err != nil {
				return err
			}
			page.Traces = append(page.Traces, t)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: list traces: %w", err)
	}
	if len(page.Traces) > limit {
		page.Traces = page.Traces[:limit]
		last := page.Traces[limit-1]
		page.NextCursor = encodeTimeCursor(listTraces, timeKey{at: last.StartedAt, id: last.ID}, digest)
	}
	return page, nil
}

// TraceSpan is one stored span of a trace.
type TraceSpan struct {
	ID           uuid.UUID
	SpanID       string
	ParentSpanID string // "" for a root
	Name         string
	Kind         string
	Status       string // "" when none
	StartedAt    time.Time
	EndedAt      time.Time
	DurationMS   float64
	// Context is the span's stored context (JSON), unredacted.
	Context []byte
}

// TraceSpans are the stored spans of a trace.
type TraceSpans struct {
	// Spans are the first MaxTraceSpans spans by start (then id).
	Spans []TraceSpan
	// Truncated is true when the trace has more spans than Spans holds.
	Truncated bool
}

// GetTraceSpans returns the project's spans of the trace, in start order (then id), at most
// MaxTraceSpans of them. A trace without spans gives no spans.
func (s *Store) GetTraceSpans(ctx context.Context, projectID int64, traceID string) (*TraceSpans, error) {
	out := &TraceSpans{}
	err := s.readTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT id, span_id, coalesce(parent_span_id, ''), name, kind, coalesce(status, ''),
			started_at, ended_at, duration_ms, context
			FROM spans WHERE project_id = $1 AND trace_id = $2
			ORDER BY started_at, id LIMIT $3`, projectID, traceID, MaxTraceSpans+1)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var sp TraceSpan
			if err := rows.Scan(&sp.ID, &sp.SpanID, &sp.ParentSpanID, &sp.Name, &sp.Kind, &sp.Status,
				&sp.StartedAt, &sp.EndedAt, &sp.DurationMS, &sp.Context); err != nil {
				return err
			}
			out.Spans = append(out.Spans, sp)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: trace spans: %w", err)
	}
	if len(out.Spans) > MaxTraceSpans {
		out.Spans, out.Truncated = out.Spans[:MaxTraceSpans], true
	}
	return out, nil
}

// TraceErrors returns the project's error occurrences whose context carries the trace id (in any
// of the places RelatedLogs looks for one) and that occurred between from and to, widened by
// TraceErrorWindow on each side, newest first, at most 100. error_events has no index on trace
// ids: error_events_project_idx bounds the scan to the project and the window.
func (s *Store) TraceErrors(ctx context.Context, projectID int64, traceID string, from, to time.Time) ([]EventSummary, error) {
	var conds []string
	for _, path := range relatedPaths[RelatedTraceID] {
		// The paths are constants: never client input.
		conds = append(conds, `e.context #>> '{`+strings.Join(path, ",")+`}' = $4`)
	}
	sql := `SELECT ` + EventSummaryColumns + `, g.uuid
		FROM error_events e JOIN error_groups g ON g.id = e.error_group_id
		WHERE e.project_id = $1 AND e.occurred_at >= $2 AND e.occurred_at <= $3 AND (` + strings.Join(conds, " OR ") + `)
		ORDER BY e.occurred_at DESC, e.id DESC LIMIT $5`
	out := []EventSummary{}
	err := s.readTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, sql, projectID, from.Add(-TraceErrorWindow), to.Add(TraceErrorWindow), traceID, maxTraceErrors)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e := EventSummary{Type: "error"}
			var issue uuid.UUID
			if err := ScanEventSummary(rows, &e, &issue); err != nil {
				return err
			}
			e.IssueID = &issue
			out = append(out, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: trace errors: %w", err)
	}
	return out, nil
}
