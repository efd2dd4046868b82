package store_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/store"
	"github.com/logister/logister/server/internal/testdb"
)

// ignore ignores the project's group with the fingerprint at closedAt, with the snooze.
func ignore(t *testing.T, st *store.Store, projectID int64, fingerprint string, snooze store.Snooze, closedAt time.Time) {
	t.Helper()
	var id uuid.UUID
	require.NoError(t, st.Pool.QueryRow(context.Background(), `SELECT uuid FROM error_groups WHERE project_id = $1 AND fingerprint = $2`,
		projectID, fingerprint).Scan(&id))
	_, err := store.SetIssueStatus(context.Background(), st.DB, projectID, id, store.IssueIgnored, snooze, closedAt)
	require.NoError(t, err)
}

// snoozeOf returns the group's snooze columns.
func snoozeOf(t *testing.T, st *store.Store, groupID int64) (*time.Time, *int64) {
	t.Helper()
	var until *time.Time
	var left *int64
	require.NoError(t, st.Pool.QueryRow(context.Background(), `SELECT snooze_until, snooze_remaining FROM error_groups WHERE id = $1`,
		groupID).Scan(&until, &left))
	return until, left
}

type activityRow struct {
	Kind  string
	Actor *int64
	Data  map[string]any
}

// groupActivities returns the group's activity entries, oldest first.
func groupActivities(t *testing.T, st *store.Store, groupID int64) []activityRow {
	t.Helper()
	rows, err := st.Pool.Query(context.Background(), `SELECT kind, actor_user_id, data FROM issue_activities
		WHERE error_group_id = $1 ORDER BY id`, groupID)
	require.NoError(t, err)
	defer rows.Close()
	var out []activityRow
	for rows.Next() {
		var a activityRow
		var data []byte
		require.NoError(t, rows.Scan(&a.Kind, &a.Actor, &data))
		require.NoError(t, json.Unmarshal(data, &a.Data))
		out = append(out, a)
	}
	require.NoError(t, rows.Err())
	return out
}

func ptrTo[T any](v T) *T { return &v }

// A reopen by an occurrence is recorded in the issue's activity with the batch; occurrences that
// reopen nothing record nothing.
func TestWriteBatchRecordsReopen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testdb.New(t)
	p := newProject(t, st, "reopen")
	closedAt := time.Now().Add(-10 * time.Minute).UTC().Truncate(time.Millisecond)
	_, err := st.WriteBatch(ctx, []*store.Record{errorRecord(p, "fp", closedAt.Add(-time.Hour)), errorRecord(p, "open", closedAt)})
	require.NoError(t, err)
	ignore(t, st, p, "fp", store.Snooze{}, closedAt)
	g := group(t, st, p, "fp")

	// Open groups and occurrences from before the closure record nothing.
	_, err = st.WriteBatch(ctx, []*store.Record{errorRecord(p, "open", closedAt.Add(time.Minute)), errorRecord(p, "fp", closedAt.Add(-time.Minute))})
	require.NoError(t, err)
	require.Empty(t, groupActivities(t, st, g.ID))
	require.Zero(t, count(t, st, `SELECT count(*) FROM issue_activities`))

	// A plain ignore ends at the next occurrence after it: the batch's latest is recorded.
	first := errorRecord(p, "fp", closedAt.Add(time.Minute))
	latest := errorRecord(p, "fp", closedAt.Add(2*time.Minute))
	latest.Release = "2.0.0"
	res, err := st.WriteBatch(ctx, []*store.Record{latest, first, errorRecord(p, "open", closedAt.Add(3*time.Minute))})
	require.NoError(t, err)
	g = group(t, st, p, "fp")
	require.Equal(t, "unresolved", g.Status)
	require.Equal(t, 1, g.RegressionCount)
	acts := groupActivities(t, st, g.ID)
	require.Len(t, acts, 1)
	require.Equal(t, "reopened_by_event", acts[0].Kind)
	require.Nil(t, acts[0].Actor)
	require.Equal(t, map[string]any{"from": "ignored", "to": "unresolved", "eventId": res[0].ID.String(), "release": "2.0.0"}, acts[0].Data)
	require.Equal(t, 1, count(t, st, `SELECT count(*) FROM issue_activities`))
	var createdAt, reopenedAt time.Time
	require.NoError(t, st.Pool.QueryRow(ctx, `SELECT a.created_at, g.last_reopened_at FROM issue_activities a
		JOIN error_groups g ON g.id = a.error_group_id WHERE g.id = $1`, g.ID).Scan(&createdAt, &reopenedAt))
	require.True(t, createdAt.Equal(reopenedAt))

	// The entry is read back through the store like any other.
	page, err := store.ListActivities(ctx, st.DB, g.ID, "", 10)
	require.NoError(t, err)
	require.Len(t, page.Activities, 1)
	d := page.Activities[0].Data
	require.Equal(t, []string{"ignored", "unresolved", "2.0.0"}, []string{d.From, d.To, d.Release})
	require.Equal(t, res[0].ID, *d.EventID)

	// A resolved group without a release records none.
	_, err = st.Pool.Exec(ctx, `UPDATE error_groups SET status = 'resolved', resolved_at = $1 WHERE id = $2`, closedAt.Add(5*time.Minute), g.ID)
	require.NoError(t, err)
	again := errorRecord(p, "fp", closedAt.Add(6*time.Minute))
	again.Release = ""
	_, err = st.WriteBatch(ctx, []*store.Record{again})
	require.NoError(t, err)
	acts = groupActivities(t, st, g.ID)
	require.Len(t, acts, 2)
	require.Equal(t, "resolved", acts[1].Data["from"])
	require.NotContains(t, acts[1].Data, "release")
}

// An ignore snoozed until a time holds off earlier occurrences; a later one reopens it as usual.
func TestWriteBatchSnoozeUntil(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testdb.New(t)
	p := newProject(t, st, "until")
	closedAt := time.Now().Add(-time.Hour).UTC().Truncate(time.Millisecond)
	until := closedAt.Add(30 * time.Minute)
	_, err := st.WriteBatch(ctx, []*store.Record{errorRecord(p, "fp", closedAt.Add(-time.Hour))})
	require.NoError(t, err)
	ignore(t, st, p, "fp", store.Snooze{Until: &until}, closedAt)

	_, err = st.WriteBatch(ctx, []*store.Record{errorRecord(p, "fp", closedAt.Add(time.Minute)), errorRecord(p, "fp", until)})
	require.NoError(t, err)
	g := group(t, st, p, "fp")
	require.Equal(t, "ignored", g.Status, "occurrences up to the snooze's time do not reopen it")
	require.EqualValues(t, 3, g.OccurrenceCount)
	at, left := snoozeOf(t, st, g.ID)
	require.True(t, until.Equal(*at))
	require.Nil(t, left)
	require.Empty(t, groupActivities(t, st, g.ID))

	_, err = st.WriteBatch(ctx, []*store.Record{errorRecord(p, "fp", until.Add(time.Second))})
	require.NoError(t, err)
	g = group(t, st, p, "fp")
	require.Equal(t, "unresolved", g.Status)
	require.Equal(t, 1, g.ReopenCount)
	require.Equal(t, 1, g.RegressionCount)
	at, left = snoozeOf(t, st, g.ID)
	require.Nil(t, at)
	require.Nil(t, left)
	acts := groupActivities(t, st, g.ID)
	require.Len(t, acts, 1)
	require.Equal(t, "reopened_by_event", acts[0].Kind)
}

// An ignore snoozed for N occurrences counts down the occurrences provably after the ignore, batch
// by batch, and the Nth reopens it.
func TestWriteBatchSnoozeOccurrences(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testdb.New(t)
	p := newProject(t, st, "count")
	closedAt := time.Now().Add(-time.Hour).UTC().Truncate(time.Millisecond)
	_, err := st.WriteBatch(ctx, []*store.Record{errorRecord(p, "fp", closedAt.Add(-time.Hour)), errorRecord(p, "other", closedAt.Add(-time.Hour))})
	require.NoError(t, err)
	ignore(t, st, p, "fp", store.Snooze{Occurrences: ptrTo[int64](5)}, closedAt)
	ignore(t, st, p, "other", store.Snooze{Occurrences: ptrTo[int64](2)}, closedAt)
	g := group(t, st, p, "fp")
	after := func(minutes int) *store.Record {
		return errorRecord(p, "fp", closedAt.Add(time.Duration(minutes)*time.Minute))
	}
	left := func() int64 {
		t.Helper()
		_, n := snoozeOf(t, st, g.ID)
		require.NotNil(t, n)
		return *n
	}

	// Two count; one from before the ignore and one without a source time do not.
	receivedOnly := after(1)
	receivedOnly.TimePrecision = "received_only"
	_, err = st.WriteBatch(ctx, []*store.Record{after(1), errorRecord(p, "fp", closedAt.Add(-time.Minute)), receivedOnly, after(2),
		errorRecord(p, "other", closedAt.Add(time.Minute))})
	require.NoError(t, err)
	require.EqualValues(t, 3, left())
	require.Equal(t, "ignored", group(t, st, p, "fp").Status)
	require.Equal(t, "ignored", group(t, st, p, "other").Status, "another group's occurrences are its own")
	_, n := snoozeOf(t, st, group(t, st, p, "other").ID)
	require.EqualValues(t, 1, *n)

	_, err = st.WriteBatch(ctx, []*store.Record{after(3), after(4)})
	require.NoError(t, err)
	require.EqualValues(t, 1, left())
	require.Equal(t, "ignored", group(t, st, p, "fp").Status, "one short")
	require.Empty(t, groupActivities(t, st, g.ID))

	// The fifth reopens it, however many more the batch holds.
	last := after(6)
	last.Release = "3.0.0"
	_, err = st.WriteBatch(ctx, []*store.Record{after(5), last})
	require.NoError(t, err)
	g = group(t, st, p, "fp")
	require.Equal(t, "unresolved", g.Status)
	require.Equal(t, 1, g.RegressionCount)
	require.Equal(t, "3.0.0", *g.RegressedInRelease)
	until, n := snoozeOf(t, st, g.ID)
	require.Nil(t, until)
	require.Nil(t, n)
	acts := groupActivities(t, st, g.ID)
	require.Len(t, acts, 1)
	require.Equal(t, "reopened_by_event", acts[0].Kind)
	require.Equal(t, "3.0.0", acts[0].Data["release"])

	// Exactly N in one batch reopens it too.
	o := group(t, st, p, "other")
	_, err = st.WriteBatch(ctx, []*store.Record{errorRecord(p, "other", closedAt.Add(2*time.Minute))})
	require.NoError(t, err)
	require.Equal(t, "unresolved", group(t, st, p, "other").Status)
	require.Len(t, groupActivities(t, st, o.ID), 1)
}

// With both a time and a count, whichever comes first ends the snooze.
func TestWriteBatchSnoozeBoth(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testdb.New(t)
	p := newProject(t, st, "both")
	closedAt := time.Now().Add(-time.Hour).UTC().Truncate(time.Millisecond)
	until := closedAt.Add(10 * time.Minute)
	_, err := st.WriteBatch(ctx, []*store.Record{errorRecord(p, "fp", closedAt.Add(-time.Hour))})
	require.NoError(t, err)
	ignore(t, st, p, "fp", store.Snooze{Until: &until, Occurrences: ptrTo[int64](100)}, closedAt)
	_, err = st.WriteBatch(ctx, []*store.Record{errorRecord(p, "fp", closedAt.Add(time.Minute))})
	require.NoError(t, err)
	g := group(t, st, p, "fp")
	require.Equal(t, "ignored", g.Status)
	_, left := snoozeOf(t, st, g.ID)
	require.EqualValues(t, 99, *left)
	_, err = st.WriteBatch(ctx, []*store.Record{errorRecord(p, "fp", until.Add(time.Minute))})
	require.NoError(t, err)
	require.Equal(t, "unresolved", group(t, st, p, "fp").Status, "the time came first")
}

// The sweep reopens the snoozes whose time has come, across projects, skipping groups locked by
// someone else, and records snooze_expired without counting a regression.
func TestReopenExpiredSnoozes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testdb.New(t)
	p, q := newProject(t, st, "sweep-p"), newProject(t, st, "sweep-q")
	now := time.Now().UTC().Truncate(time.Microsecond)
	closedAt := now.Add(-time.Hour)
	var recs []*store.Record
	for _, fp := range []string{"due", "later", "plain", "locked"} {
		recs = append(recs, errorRecord(p, fp, closedAt.Add(-time.Hour)))
	}
	recs = append(recs, errorRecord(q, "due", closedAt.Add(-time.Hour)))
	_, err := st.WriteBatch(ctx, recs)
	require.NoError(t, err)
	past, future := now.Add(-time.Second), now.Add(time.Minute)
	ignore(t, st, p, "due", store.Snooze{Until: &now}, closedAt)
	ignore(t, st, q, "due", store.Snooze{Until: &past, Occurrences: ptrTo[int64](3)}, closedAt)
	ignore(t, st, p, "later", store.Snooze{Until: &future}, closedAt)
	ignore(t, st, p, "plain", store.Snooze{}, closedAt)
	ignore(t, st, p, "locked", store.Snooze{Until: &past}, closedAt)

	tx, err := st.Pool.Begin(ctx)
	require.NoError(t, err)
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit, a no-op
	_, err = tx.Exec(ctx, `SELECT 1 FROM error_groups WHERE id = $1 FOR UPDATE`, group(t, st, p, "locked").ID)
	require.NoError(t, err)

	n, err := store.ReopenExpiredSnoozes(ctx, st.DB, now, 1) // one at a time: the limit holds
	require.NoError(t, err)
	require.Equal(t, 1, n)
	n, err = store.ReopenExpiredSnoozes(ctx, st.DB, now, 10)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	for _, c := range []struct {
		project    int64
		fp, status string
	}{{p, "due", "unresolved"}, {q, "due", "unresolved"}, {p, "later", "ignored"}, {p, "plain", "ignored"}, {p, "locked", "ignored"}} {
		g := group(t, st, c.project, c.fp)
		require.Equal(t, c.status, g.Status, c.fp)
		if c.status == "unresolved" {
			require.Equal(t, 1, g.ReopenCount)
			require.Zero(t, g.RegressionCount, "an expired snooze is no regression")
			until, left := snoozeOf(t, st, g.ID)
			require.Nil(t, until)
			require.Nil(t, left)
			acts := groupActivities(t, st, g.ID)
			require.Len(t, acts, 1)
			require.Equal(t, activityRow{Kind: "snooze_expired", Data: map[string]any{"from": "ignored", "to": "unresolved"}}, acts[0])
		}
	}
	require.Zero(t, count(t, st, `SELECT count(*) FROM error_groups WHERE status = 'unresolved' AND (ignored_at IS NOT NULL OR last_reopened_at <> $1)`, now))

	// Once released, the locked one goes with the next sweep.
	require.NoError(t, tx.Commit(ctx))
	n, err = store.ReopenExpiredSnoozes(ctx, st.DB, now, 10)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Equal(t, "unresolved", group(t, st, p, "locked").Status)
	n, err = store.ReopenExpiredSnoozes(ctx, st.DB, now, 10)
	require.NoError(t, err)
	require.Zero(t, n)
}

// Only an ignored group can be snoozed, and any other status clears its snooze.
func TestSnoozeOnlyWhileIgnored(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testdb.New(t)
	p := newProject(t, st, "invariant")
	now := time.Now().UTC().Truncate(time.Microsecond)
	_, err := st.WriteBatch(ctx, []*store.Record{errorRecord(p, "fp", now.Add(-time.Hour))})
	require.NoError(t, err)
	g := group(t, st, p, "fp")
	var id uuid.UUID
	require.NoError(t, st.Pool.QueryRow(ctx, `SELECT uuid FROM error_groups WHERE id = $1`, g.ID).Scan(&id))
	until := now.Add(time.Hour)

	_, err = store.SetIssueStatus(ctx, st.DB, p, id, store.IssueResolved, store.Snooze{Until: &until}, now)
	require.Error(t, err)
	_, err = st.Pool.Exec(ctx, `UPDATE error_groups SET snooze_remaining = 3 WHERE id = $1`, g.ID)
	require.ErrorContains(t, err, "error_groups_snooze_ignored")

	is, err := store.SetIssueStatus(ctx, st.DB, p, id, store.IssueIgnored, store.Snooze{Until: &until, Occurrences: ptrTo[int64](7)}, now)
	require.NoError(t, err)
	require.True(t, until.Equal(*is.SnoozeUntil))
	require.EqualValues(t, 7, *is.SnoozeRemaining)
	require.True(t, is.Snooze().Equal(store.Snooze{Until: &until, Occurrences: ptrTo[int64](7)}))
	_, err = st.Pool.Exec(ctx, `UPDATE error_groups SET snooze_remaining = 0 WHERE id = $1`, g.ID)
	require.Error(t, err, "a count is positive")

	// Ignoring again replaces the snooze and keeps the time of the ignore.
	is, err = store.SetIssueStatus(ctx, st.DB, p, id, store.IssueIgnored, store.Snooze{}, now.Add(time.Minute))
	require.NoError(t, err)
	require.True(t, is.Snooze().IsZero())
	require.True(t, now.Equal(*is.IgnoredAt))

	_, err = store.SetIssueStatus(ctx, st.DB, p, id, store.IssueIgnored, store.Snooze{Occurrences: ptrTo[int64](2)}, now)
	require.NoError(t, err)
	is, err = store.SetIssueStatus(ctx, st.DB, p, id, store.IssueArchived, store.Snooze{}, now)
	require.NoError(t, err)
	require.Nil(t, is.SnoozeUntil)
	require.Nil(t, is.SnoozeRemaining)
}
