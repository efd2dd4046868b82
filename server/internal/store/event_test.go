package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/store"
	"github.com/logister/logister/server/internal/testdb"
)

// explain returns the plan of a query with its arguments, sequential scans disabled: a plan that
// still has one cannot use an index.
func explain(t *testing.T, st *store.Store, query string, args ...any) string {
	t.Helper()
	var lines []string
	err := pgx.BeginFunc(context.Background(), st.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(context.Background(), `SET LOCAL enable_seqscan = off; SET LOCAL plan_cache_mode = force_custom_plan`); err != nil {
			return err
		}
		rows, err := tx.Query(context.Background(), "EXPLAIN "+query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				return err
			}
			lines = append(lines, line)
		}
		return rows.Err()
	})
	require.NoError(t, err)
	return strings.Join(lines, "\n")
}

func TestEventReadsUseIndexes(t *testing.T) {
	t.Parallel()
	st := testdb.New(t)
	now := time.Now().UTC()
	// Daily partitions from three weeks ago to a week ahead.
	require.NoError(t, st.EnsurePartitions(context.Background(), now.AddDate(0, 0, -21), 28))
	// Some data and statistics, so that the planner weighs real choices.
	p := inboxProject(t, st, "one")
	g := insertGroup(t, st, p, groupSpec{fp: "fp"})
	_, err := st.Pool.Exec(context.Background(), `
		INSERT INTO error_events (id, project_id, error_group_id, level, message, occurred_at, received_at, time_precision, context)
		SELECT gen_random_uuid(), $1, $2, 'error', 'boom', now() - i * interval '1 minute', now(), 'exact', '{}'
		FROM generate_series(1, 3000) i`, p, g)
	require.NoError(t, err)
	_, err = st.Pool.Exec(context.Background(), `
		INSERT INTO telemetry_events (id, project_id, event_type, level, message, occurred_at, received_at, time_precision, context)
		SELECT gen_random_uuid(), $1, (ARRAY['log','metric','transaction'])[1 + i % 3], 'info', 'line',
			now() - i * interval '10 seconds', now() - i * interval '10 minutes', 'exact', jsonb_build_object('trace_id', 't' || i)
		FROM generate_series(1, 3000) i`, p)
	require.NoError(t, err)
	_, err = st.Pool.Exec(context.Background(), `ANALYZE error_events; ANALYZE telemetry_events; ANALYZE error_groups`)
	require.NoError(t, err)

	q, args := store.OccurrencesQueryForTest(g, false)
	plan := explain(t, st, q, args...)
	require.Contains(t, plan, "error_events_group_idx", plan)
	require.NotContains(t, plan, "Seq Scan", plan)
	q, args = store.OccurrencesQueryForTest(g, true)
	plan = explain(t, st, q, args...)
	require.Contains(t, plan, "error_events_group_idx", plan)
	require.Regexp(t, `Index Cond: .*occurred_at <=`, plan, "the cursor bounds the index scan")
	require.NotContains(t, plan, "Seq Scan", plan)

	id, err := uuid.NewV7()
	require.NoError(t, err)
	errQ, errArgs, telQ, telArgs := store.EventQueriesForTest(p, id)
	plan = explain(t, st, errQ, errArgs...)
	require.Contains(t, plan, "error_events_pkey", plan)
	require.NotContains(t, plan, "Seq Scan", plan)
	plan = explain(t, st, telQ, telArgs...)
	require.NotContains(t, plan, "Seq Scan", plan)
	// Only the partitions around the id's time (and the default one) are read.
	parts := map[string]bool{}
	for _, m := range regexp.MustCompile(`telemetry_events_(p\d{8}|default)`).FindAllString(plan, -1) {
		parts[m] = true
	}
	require.LessOrEqual(t, len(parts), 3, plan)
	require.Contains(t, parts, "telemetry_events_p"+now.Format("20060102"), plan)
	// An id that is not a UUIDv7 probes every partition's primary key, still through the index.
	_, _, telQ, telArgs = store.EventQueriesForTest(p, uuid.New())
	plan = explain(t, st, telQ, telArgs...)
	require.NotContains(t, plan, "Seq Scan", plan)
	require.Contains(t, plan, "_pkey", plan)

	q, args = store.RelatedLogsQueryForTest(store.RelatedQuery{ProjectID: p, From: now.Add(-5 * time.Minute), To: now.Add(5 * time.Minute),
		IDs: map[string]string{store.RelatedTraceID: "t", store.RelatedUserID: "u"}})
	plan = explain(t, st, q, args...)
	require.NotContains(t, plan, "Seq Scan", plan)
	require.Contains(t, plan, "project_id_event_type_occurred_at_idx", plan)
	q, _ = store.RelatedLogsQueryForTest(store.RelatedQuery{ProjectID: 1, From: now, To: now})
	require.Empty(t, q, "no ids, no query")
}

// insertTelemetry stores a telemetry event with the id, received at the time.
func insertTelemetry(t *testing.T, st *store.Store, projectID int64, id uuid.UUID, typ string, occurred, received time.Time, context string) {
	t.Helper()
	_, err := st.Pool.Exec(t.Context(), `INSERT INTO telemetry_events
		(id, project_id, event_type, level, message, occurred_at, received_at, time_precision, context)
		VALUES ($1, $2, $3, 'info', 'line', $4, $5, 'exact', $6::jsonb)`, id, projectID, typ, occurred, received, context)
	require.NoError(t, err)
}

func TestEventByID(t *testing.T) {
	t.Parallel()
	st := testdb.New(t)
	ctx := context.Background()
	now := time.Now().UTC()
	require.NoError(t, st.EnsurePartitions(ctx, now, 2))
	p1, p2 := inboxProject(t, st, "one"), inboxProject(t, st, "two")
	g := insertGroup(t, st, p1, groupSpec{fp: "fp"})
	var errID uuid.UUID
	require.NoError(t, st.Pool.QueryRow(ctx, `INSERT INTO error_events
		(id, project_id, error_group_id, level, message, fingerprint, occurred_at, received_at, time_precision, context)
		VALUES (gen_random_uuid(), $1, $2, 'error', 'boom', 'fp', $3, $3, 'exact', '{"a":1}') RETURNING id`,
		p1, g, now).Scan(&errID))
	v7, err := uuid.NewV7()
	require.NoError(t, err)
	insertTelemetry(t, st, p1, v7, "log", now, now, `{"transaction_name":"x"}`)
	v4 := uuid.New() // not made by the server: found by probing every partition
	insertTelemetry(t, st, p1, v4, "metric", now.AddDate(0, 0, -30), now.AddDate(0, 0, -30), `{}`)

	ev, err := st.EventByID(ctx, p1, errID)
	require.NoError(t, err)
	require.Equal(t, "error", ev.Type)
	require.Equal(t, g, ev.GroupID)
	require.NotNil(t, ev.IssueID)
	require.Equal(t, "fp", ev.Fingerprint)
	require.JSONEq(t, `{"a":1}`, string(ev.Context))

	ev, err = st.EventByID(ctx, p1, v7)
	require.NoError(t, err)
	require.Equal(t, "log", ev.Type)
	require.Equal(t, "x", ev.Name)
	require.Nil(t, ev.IssueID)
	require.Zero(t, ev.GroupID)

	ev, err = st.EventByID(ctx, p1, v4)
	require.NoError(t, err)
	require.Equal(t, "metric", ev.Type)

	for _, id := range []uuid.UUID{errID, v7, v4} {
		_, err = st.EventByID(ctx, p2, id)
		require.ErrorIs(t, err, sql.ErrNoRows, "another project's event")
	}
	_, err = st.EventByID(ctx, p1, uuid.New())
	require.ErrorIs(t, err, sql.ErrNoRows)

	_, err = st.Occurrence(ctx, g, errID)
	require.NoError(t, err)
	_, err = st.Occurrence(ctx, g+1, errID)
	require.ErrorIs(t, err, sql.ErrNoRows)
}

func TestListOccurrencesCursor(t *testing.T) {
	t.Parallel()
	st := testdb.New(t)
	ctx := context.Background()
	p := inboxProject(t, st, "one")
	g1, g2 := insertGroup(t, st, p, groupSpec{fp: "a"}), insertGroup(t, st, p, groupSpec{fp: "b"})
	base := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	insertEvents(t, st, p, g1, base, base.Add(time.Second), base.Add(2*time.Second))

	page, err := st.ListOccurrences(ctx, g1, store.OccurrenceQuery{Limit: 2})
	require.NoError(t, err)
	require.Len(t, page.Events, 2)
	require.Nil(t, page.Events[0].Context, "no context unless asked for")
	require.NotEmpty(t, page.NextCursor)
	_, err = st.ListOccurrences(ctx, g2, store.OccurrenceQuery{Cursor: page.NextCursor})
	require.ErrorIs(t, err, store.ErrInvalidCursor)
	next, err := st.ListOccurrences(ctx, g1, store.OccurrenceQuery{Cursor: page.NextCursor, Limit: 2, WithContext: true})
	require.NoError(t, err)
	require.Len(t, next.Events, 1)
	require.Empty(t, next.NextCursor)
	require.NotNil(t, next.Events[0].Context)
	require.Equal(t, base, next.Events[0].OccurredAt.UTC())

	empty, err := st.ListOccurrences(ctx, g2, store.OccurrenceQuery{})
	require.NoError(t, err)
	require.Empty(t, empty.Events)
	require.Empty(t, empty.NextCursor)
}

func TestRelatedLogs(t *testing.T) {
	t.Parallel()
	st := testdb.New(t)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	require.NoError(t, st.EnsurePartitions(ctx, now, 1))
	p1, p2 := inboxProject(t, st, "one"), inboxProject(t, st, "two")
	ins := func(project int64, typ string, d time.Duration, context string) uuid.UUID {
		id, err := uuid.NewV7()
		require.NoError(t, err)
		insertTelemetry(t, st, project, id, typ, now.Add(d), now, context)
		return id
	}
	trace := ins(p1, "log", time.Minute, `{"trace":{"trace_id":"tr"}}`)
	request := ins(p1, "log", 2*time.Minute, `{"trace":{"requestId":"rq"}}`)
	session := ins(p1, "log", 3*time.Minute, `{"session":{"id":"se"}}`)
	user := ins(p1, "log", 4*time.Minute, `{"userId":7}`)
	ins(p1, "log", 6*time.Minute, `{"trace_id":"tr"}`)
	ins(p1, "transaction", 0, `{"trace_id":"tr"}`)
	ins(p2, "log", 0, `{"trace_id":"tr"}`)
	ins(p1, "log", 0, `{"trace_id":"other"}`)

	q := store.RelatedQuery{ProjectID: p1, From: now.Add(-5 * time.Minute), To: now.Add(5 * time.Minute),
		IDs: map[string]string{store.RelatedTraceID: "tr", store.RelatedRequestID: "rq", store.RelatedSessionID: "se", store.RelatedUserID: "7"}}
	logs, err := st.RelatedLogs(ctx, q)
	require.NoError(t, err)
	var got []uuid.UUID
	for _, l := range logs {
		got = append(got, l.ID)
		require.Nil(t, l.Context)
	}
	require.Equal(t, []uuid.UUID{user, session, request, trace}, got)

	q.Limit, q.WithContext = 2, true
	logs, err = st.RelatedLogs(ctx, q)
	require.NoError(t, err)
	require.Len(t, logs, 2)
	require.NotNil(t, logs[0].Context)

	q.IDs = nil
	logs, err = st.RelatedLogs(ctx, q)
	require.NoError(t, err)
	require.Empty(t, logs)
}

func TestRelatedID(t *testing.T) {
	t.Parallel()
	decode := func(s string) map[string]any {
		dec := json.NewDecoder(bytes.NewReader([]byte(s)))
		dec.UseNumber()
		var m map[string]any
		require.NoError(t, dec.Decode(&m))
		return m
	}
	tests := []struct {
		context, kind, want string
	}{
		{`{"trace_id":"a","traceId":"b"}`, store.RelatedTraceID, "a"},
		{`{"traceId":"b"}`, store.RelatedTraceID, "b"},
		{`{"trace":{"traceId":"c"}}`, store.RelatedTraceID, "c"},
		{`{"trace_id":"  ","trace":{"trace_id":"d"}}`, store.RelatedTraceID, "d"},
		{`{"request":{"id":"r1"}}`, store.RelatedRequestID, "r1"},
		{`{"trace":{"requestId":"r2"}}`, store.RelatedRequestID, "r2"},
		{`{"session":{"id":"s"}}`, store.RelatedSessionID, "s"},
		{`{"user":{"id":42}}`, store.RelatedUserID, "42"},
		{`{"user_id":12345678901234567890}`, store.RelatedUserID, "12345678901234567890"},
		{`{"user":"ann"}`, store.RelatedUserID, ""},
		{`{"user_id":true}`, store.RelatedUserID, ""},
		{`{"trace_id":{"x":1}}`, store.RelatedTraceID, ""},
		{`{}`, store.RelatedSessionID, ""},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, store.RelatedID(decode(tc.context), tc.kind), "%s %s", tc.kind, tc.context)
	}
}
