package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/store"
	"github.com/logister/logister/server/internal/testdb"
)

func newProject(t *testing.T, st *store.Store, slug string) int64 {
	t.Helper()
	p := &store.Project{Name: slug, Slug: slug, IntegrationKind: "http_api"}
	require.NoError(t, store.InsertProject(context.Background(), st.DB, p))
	return p.ID
}

func errorRecord(projectID int64, fingerprint string, at time.Time) *store.Record {
	return &store.Record{
		ProjectID: projectID, Signal: store.SignalError, Level: "error", Message: "boom " + fingerprint,
		OccurredAt: at, ReceivedAt: time.Now(), TimePrecision: "exact", Environment: "production",
		Release: "1.0.0", Context: []byte(`{"a":1}`),
		Group: &store.GroupInput{Fingerprint: fingerprint, Version: 1, Title: "boom " + fingerprint, Subtitle: "RuntimeError"},
	}
}

type groupRow struct {
	ID                  int64
	OccurrenceCount     int64
	Status              string
	ReopenCount         int
	RegressionCount     int
	RegressedInRelease  *string
	Title               string
	FirstSeenAt         time.Time
	LastSeenAt          time.Time
	LatestEventID       uuid.UUID
	IntroducedInRelease *string
}

func group(t *testing.T, st *store.Store, projectID int64, fingerprint string) groupRow {
	t.Helper()
	var g groupRow
	require.NoError(t, st.Pool.QueryRow(context.Background(), `
		SELECT id, occurrence_count, status, reopen_count, regression_count, regressed_in_release, title,
		       first_seen_at, last_seen_at, latest_event_id, introduced_in_release
		FROM error_groups WHERE project_id = $1 AND fingerprint = $2`, projectID, fingerprint).
		Scan(&g.ID, &g.OccurrenceCount, &g.Status, &g.ReopenCount, &g.RegressionCount, &g.RegressedInRelease,
			&g.Title, &g.FirstSeenAt, &g.LastSeenAt, &g.LatestEventID, &g.IntroducedInRelease))
	return g
}

func count(t *testing.T, st *store.Store, query string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, st.Pool.QueryRow(context.Background(), query, args...).Scan(&n))
	return n
}

func TestWriteBatchGroupsErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testdb.New(t)
	p := newProject(t, st, "shop")
	t0 := time.Now().Add(-time.Hour).UTC().Truncate(time.Millisecond)

	res, err := st.WriteBatch(ctx, []*store.Record{
		errorRecord(p, "fp-a", t0), errorRecord(p, "fp-a", t0.Add(time.Minute)), errorRecord(p, "fp-b", t0),
	})
	require.NoError(t, err)
	require.Equal(t, res[0].GroupID, res[1].GroupID)
	require.NotEqual(t, res[0].GroupID, res[2].GroupID)
	require.True(t, res[0].NewGroup)
	require.False(t, res[1].NewGroup, "one new-group signal per group")
	require.True(t, res[2].NewGroup)

	a := group(t, st, p, "fp-a")
	require.EqualValues(t, 2, a.OccurrenceCount)
	require.Equal(t, "unresolved", a.Status)
	require.True(t, a.FirstSeenAt.Equal(t0))
	require.True(t, a.LastSeenAt.Equal(t0.Add(time.Minute)))
	require.Equal(t, res[1].ID, a.LatestEventID)
	require.Equal(t, "1.0.0", *a.IntroducedInRelease)
	require.Equal(t, 3, count(t, st, "SELECT count(*) FROM error_events WHERE project_id = $1", p))

	// A later batch adds to the existing group; an older event does not become the latest.
	older := errorRecord(p, "fp-a", t0.Add(-time.Hour))
	older.Group.Title = "older title"
	res2, err := st.WriteBatch(ctx, []*store.Record{older})
	require.NoError(t, err)
	require.False(t, res2[0].NewGroup)
	a = group(t, st, p, "fp-a")
	require.EqualValues(t, 3, a.OccurrenceCount)
	require.True(t, a.FirstSeenAt.Equal(t0.Add(-time.Hour)))
	require.Equal(t, res[1].ID, a.LatestEventID)
	require.Equal(t, "boom fp-a", a.Title)

	// An event without a source time counts, but moves nothing.
	unknown := errorRecord(p, "fp-a", time.Now())
	unknown.TimePrecision = "received_only"
	_, err = st.WriteBatch(ctx, []*store.Record{unknown})
	require.NoError(t, err)
	a = group(t, st, p, "fp-a")
	require.EqualValues(t, 4, a.OccurrenceCount)
	require.True(t, a.LastSeenAt.Equal(t0.Add(time.Minute)))
}

func TestWriteBatchReopensOnlyAfterClosure(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testdb.New(t)
	p := newProject(t, st, "api")
	closedAt := time.Now().Add(-10 * time.Minute).UTC().Truncate(time.Millisecond)
	_, err := st.WriteBatch(ctx, []*store.Record{errorRecord(p, "fp", closedAt.Add(-time.Hour))})
	require.NoError(t, err)
	_, err = st.Pool.Exec(ctx, `UPDATE error_groups SET status = 'resolved', resolved_at = $1`, closedAt)
	require.NoError(t, err)

	before := errorRecord(p, "fp", closedAt.Add(-time.Minute))
	receivedOnly := errorRecord(p, "fp", time.Now())
	receivedOnly.TimePrecision = "received_only"
	_, err = st.WriteBatch(ctx, []*store.Record{before, receivedOnly})
	require.NoError(t, err)
	g := group(t, st, p, "fp")
	require.Equal(t, "resolved", g.Status, "neither an older event nor one without a source time reopens")
	require.EqualValues(t, 3, g.OccurrenceCount)

	after := errorRecord(p, "fp", closedAt.Add(time.Minute))
	after.Release = "1.1.0"
	_, err = st.WriteBatch(ctx, []*store.Record{after})
	require.NoError(t, err)
	g = group(t, st, p, "fp")
	require.Equal(t, "unresolved", g.Status)
	require.Equal(t, 1, g.ReopenCount)
	require.Equal(t, 1, g.RegressionCount)
	require.Equal(t, "1.1.0", *g.RegressedInRelease)
}

func TestWriteBatchIdempotency(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testdb.New(t)
	p := newProject(t, st, "idem")
	id := uuid.New()

	first := errorRecord(p, "fp", time.Now())
	first.ClientUUID = id
	repeatInBatch := errorRecord(p, "fp", time.Now())
	repeatInBatch.ClientUUID = id
	res, err := st.WriteBatch(ctx, []*store.Record{first, repeatInBatch})
	require.NoError(t, err)
	require.False(t, res[0].Duplicate)
	require.True(t, res[1].Duplicate)
	require.Equal(t, res[0].ID, res[1].ID)

	again := errorRecord(p, "fp", time.Now())
	again.ClientUUID = id
	otherSignal := &store.Record{ProjectID: p, Signal: store.SignalLog, ClientUUID: id, Level: "info", Message: "x",
		OccurredAt: time.Now(), ReceivedAt: time.Now(), TimePrecision: "exact"}
	otherProject := errorRecord(newProject(t, st, "other"), "fp", time.Now())
	otherProject.ClientUUID = id
	res, err = st.WriteBatch(ctx, []*store.Record{again, otherSignal, otherProject})
	require.NoError(t, err)
	require.True(t, res[0].Duplicate)
	require.Equal(t, res[0].ID, res[0].ID)
	require.True(t, res[1].ErrUUIDReused)
	require.False(t, res[2].Duplicate, "idempotency is per project")

	require.EqualValues(t, 1, group(t, st, p, "fp").OccurrenceCount)
	require.Equal(t, 0, count(t, st, "SELECT count(*) FROM telemetry_events"))
}

// Many concurrent batches of one new fingerprint create exactly one group with the exact count.
func TestWriteBatchConcurrentNewGroup(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testdb.New(t)
	p := newProject(t, st, "busy")
	const writers, perBatch = 16, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Go(func() {
			var batch []*store.Record
			for i := range perBatch {
				// Every batch touches the shared group and a few others, in varying order.
				fp := "shared"
				if i%3 == 1 {
					fp = fmt.Sprintf("g%d", (w+i)%5)
				}
				batch = append(batch, errorRecord(p, fp, time.Now()))
			}
			_, err := st.WriteBatch(ctx, batch)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.Equal(t, 1, count(t, st, "SELECT count(*) FROM error_groups WHERE fingerprint = 'shared'"))
	require.Equal(t, writers*perBatch, count(t, st, "SELECT sum(occurrence_count)::int FROM error_groups"))
	require.Equal(t, writers*perBatch, count(t, st, "SELECT count(*) FROM error_events"))
}

func TestWriteBatchTelemetrySpansAndMonitors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testdb.New(t)
	require.NoError(t, st.EnsurePartitions(ctx, time.Now(), 2))
	require.NoError(t, st.EnsurePartitions(ctx, time.Now(), 2), "idempotent")
	p := newProject(t, st, "tele")
	now := time.Now().UTC()

	rec := func(signal string) *store.Record {
		return &store.Record{ProjectID: p, Signal: signal, Level: "info", Message: signal, OccurredAt: now,
			ReceivedAt: now, TimePrecision: "exact", Environment: "staging", Context: []byte(`{"k":"v"}`)}
	}
	span := rec(store.SignalSpan)
	span.Span = &store.SpanInput{TraceID: "req-flask-2", SpanID: "abc", Name: "GET /", Kind: "server", DurationMS: 12.5,
		StartedAt: now.Add(-12 * time.Millisecond), EndedAt: now}
	checkOK := rec(store.SignalCheckIn)
	checkOK.CheckIn = &store.CheckInInput{Slug: "nightly", Status: "ok", ExpectedIntervalSeconds: 3600}
	checkErr := rec(store.SignalCheckIn)
	checkErr.OccurredAt = now.Add(-time.Minute)
	checkErr.CheckIn = &store.CheckInInput{Slug: "nightly", Status: "error", ExpectedIntervalSeconds: 60}

	res, err := st.WriteBatch(ctx, []*store.Record{rec(store.SignalLog), rec(store.SignalMetric), rec(store.SignalTransaction), span, checkOK, checkErr})
	require.NoError(t, err)
	require.Equal(t, 5, count(t, st, "SELECT count(*) FROM telemetry_events WHERE project_id = $1", p))
	require.Equal(t, 0, count(t, st, "SELECT count(*) FROM telemetry_events_default"), "rows land in the daily partition")
	require.Equal(t, 1, count(t, st, "SELECT count(*) FROM spans"))

	var status string
	var interval, checkIns int
	var lastErr *time.Time
	require.NoError(t, st.Pool.QueryRow(ctx, `SELECT last_status, expected_interval_seconds, check_in_count, last_error_at
		FROM check_in_monitors WHERE project_id = $1 AND slug = 'nightly' AND environment = 'staging'`, p).
		Scan(&status, &interval, &checkIns, &lastErr))
	require.Equal(t, "ok", status, "the latest check-in wins")
	require.Equal(t, 3600, interval)
	require.Equal(t, 2, checkIns)
	require.NotNil(t, lastErr)

	// A span re-sent without a uuid is recognised by its trace and span ids.
	again := rec(store.SignalSpan)
	again.Span = span.Span
	res2, err := st.WriteBatch(ctx, []*store.Record{again})
	require.NoError(t, err)
	require.True(t, res2[0].Duplicate)
	require.Equal(t, res[3].ID, res2[0].ID)
	require.Equal(t, 1, count(t, st, "SELECT count(*) FROM spans"))
}

// A group deleted after its id was cached is created again, and no event is stored against the
// deleted id.
func TestWriteBatchAfterGroupDeleted(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testdb.New(t)
	p := newProject(t, st, "deleted")
	results, err := st.WriteBatch(ctx, []*store.Record{errorRecord(p, "fp", time.Now())})
	require.NoError(t, err)
	old := results[0].GroupID
	_, err = st.Pool.Exec(ctx, `DELETE FROM error_events WHERE error_group_id = $1`, old)
	require.NoError(t, err)
	_, err = st.Pool.Exec(ctx, `DELETE FROM error_groups WHERE id = $1`, old)
	require.NoError(t, err)

	results, err = st.WriteBatch(ctx, []*store.Record{errorRecord(p, "fp", time.Now())})
	require.NoError(t, err)
	require.NotEqual(t, old, results[0].GroupID)
	require.True(t, results[0].NewGroup)
	g := group(t, st, p, "fp")
	require.Equal(t, results[0].GroupID, g.ID)
	require.Equal(t, int64(1), g.OccurrenceCount)
	require.Zero(t, count(t, st, "SELECT count(*) FROM error_events WHERE error_group_id = $1", old))
	require.Equal(t, 1, count(t, st, "SELECT count(*) FROM error_events"))
}

func TestPruneIdempotencyKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testdb.New(t)
	p := newProject(t, st, "prune")
	old, recent := errorRecord(p, "fp", time.Now()), errorRecord(p, "fp", time.Now())
	old.ClientUUID, recent.ClientUUID = uuid.New(), uuid.New()
	old.ReceivedAt = time.Now().Add(-store.IdempotencyRetention - time.Hour)
	_, err := st.WriteBatch(ctx, []*store.Record{old, recent})
	require.NoError(t, err)

	n, err := st.PruneIdempotencyKeys(ctx, time.Now().Add(-store.IdempotencyRetention))
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	require.Equal(t, 1, count(t, st, "SELECT count(*) FROM idempotency_keys WHERE client_uuid = $1", recent.ClientUUID))
	require.Equal(t, 2, count(t, st, "SELECT count(*) FROM error_events"), "pruning keys keeps the events")
}

// Deleting an assignee's user clears the whole assignment, not only the foreign key.
func TestAssignmentClearedWithItsUser(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testdb.New(t)
	p := newProject(t, st, "assigned")
	results, err := st.WriteBatch(ctx, []*store.Record{errorRecord(p, "fp", time.Now())})
	require.NoError(t, err)
	var userID int64
	require.NoError(t, st.Pool.QueryRow(ctx, `INSERT INTO users (email, name, password_hash)
		VALUES ('gone@example.com', 'Gone', 'x') RETURNING id`).Scan(&userID))
	_, err = st.Pool.Exec(ctx, `UPDATE error_groups SET assigned_user_id = $1, assigned_by_user_id = $1,
		assigned_at = now() WHERE id = $2`, userID, results[0].GroupID)
	require.NoError(t, err)

	_, err = st.Pool.Exec(ctx, `DELETE FROM users WHERE id = $1`, userID)
	require.NoError(t, err)
	require.Equal(t, 1, count(t, st, `SELECT count(*) FROM error_groups WHERE id = $1 AND assigned_user_id IS NULL
		AND assigned_by_user_id IS NULL AND assigned_at IS NULL`, results[0].GroupID))

	// Ingestion keeps working on the group.
	_, err = st.WriteBatch(ctx, []*store.Record{errorRecord(p, "fp", time.Now())})
	require.NoError(t, err)
	require.Equal(t, int64(2), group(t, st, p, "fp").OccurrenceCount)
}
