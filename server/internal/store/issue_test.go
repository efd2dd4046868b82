package store_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/store"
	"github.com/logister/logister/server/internal/testdb"
)

func TestIssueStatusAndAssignee(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testdb.New(t)
	shop, other := inboxProject(t, st, "shop"), inboxProject(t, st, "other")
	owner, member, stranger := insertUser(t, st, "o@example.com"), insertUser(t, st, "m@example.com"), insertUser(t, st, "s@example.com")
	_, err := st.Pool.Exec(ctx, `UPDATE projects SET owner_id = $1 WHERE id = $2`, owner.ID, shop)
	require.NoError(t, err)
	require.NoError(t, store.InsertMember(ctx, st.DB, &store.ProjectMember{ProjectID: shop, UserID: member.ID, Role: store.RoleViewer}))
	gid := insertGroup(t, st, shop, groupSpec{fp: "a", lastRelease: "3.1.0"})
	insertGroup(t, st, other, groupSpec{fp: "b"})
	var id, foreign [16]byte
	require.NoError(t, st.Pool.QueryRow(ctx, `SELECT uuid FROM error_groups WHERE id = $1`, gid).Scan(&id))
	require.NoError(t, st.Pool.QueryRow(ctx, `SELECT uuid FROM error_groups WHERE project_id = $1`, other).Scan(&foreign))

	is, err := store.IssueByUUID(ctx, st.DB, shop, id)
	require.NoError(t, err)
	require.Equal(t, gid, is.ID)
	require.Equal(t, "RuntimeError", is.Subtitle)
	_, err = store.IssueByUUID(ctx, st.DB, shop, foreign)
	require.ErrorIs(t, err, sql.ErrNoRows)

	at := inboxNow.Truncate(time.Microsecond)
	is, err = store.SetIssueStatus(ctx, st.DB, shop, id, store.IssueResolved, store.Snooze{}, at)
	require.NoError(t, err)
	require.Equal(t, "resolved", is.Status)
	require.True(t, at.Equal(*is.ResolvedAt))
	require.Equal(t, "3.1.0", is.ResolvedInRelease)
	is, err = store.SetIssueStatus(ctx, st.DB, shop, id, store.IssueUnresolved, store.Snooze{}, at.Add(time.Minute))
	require.NoError(t, err)
	require.Nil(t, is.ResolvedAt)
	require.Equal(t, 1, is.ReopenCount)
	require.Equal(t, 0, is.RegressionCount)
	_, err = store.SetIssueStatus(ctx, st.DB, shop, foreign, store.IssueResolved, store.Snooze{}, at)
	require.ErrorIs(t, err, sql.ErrNoRows)
	_, err = store.SetIssueStatus(ctx, st.DB, shop, id, "fixed", store.Snooze{}, at)
	require.Error(t, err)

	for _, u := range []inboxUser{owner, member} {
		got, err := store.AssignableUser(ctx, st.DB, shop, u.UUID)
		require.NoError(t, err)
		require.Equal(t, u.ID, got.ID)
	}
	_, err = store.AssignableUser(ctx, st.DB, shop, stranger.UUID)
	require.ErrorIs(t, err, sql.ErrNoRows)
	_, err = store.AssignableUser(ctx, st.DB, other, member.UUID)
	require.ErrorIs(t, err, sql.ErrNoRows)

	is, err = store.SetIssueAssignee(ctx, st.DB, shop, id, &member.ID, owner.ID, at)
	require.NoError(t, err)
	require.Equal(t, member.ID, *is.AssignedUserID)
	require.Equal(t, owner.ID, *is.AssignedByUserID)
	is, err = store.SetIssueAssignee(ctx, st.DB, shop, id, nil, owner.ID, at)
	require.NoError(t, err)
	require.Nil(t, is.AssignedUserID)
	require.Nil(t, is.AssignedByUserID)
	require.Nil(t, is.AssignedAt)
	_, err = store.SetIssueAssignee(ctx, st.DB, shop, foreign, nil, owner.ID, at)
	require.ErrorIs(t, err, sql.ErrNoRows)

	ev, err := store.LatestIssueEvent(ctx, st.DB, is)
	require.NoError(t, err)
	require.Nil(t, ev)
	insertEvents(t, st, shop, gid, at.Add(-time.Hour), at)
	ev, err = store.LatestIssueEvent(ctx, st.DB, is)
	require.NoError(t, err)
	require.True(t, at.Equal(ev.OccurredAt))
	require.JSONEq(t, `{}`, string(ev.Context))
}

// A member removed while they are being assigned is never left assigned: the assignment waits for
// the removal in flight, then finds no member.
func TestAssignWhileMemberRemoved(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testdb.New(t)
	shop := inboxProject(t, st, "shop")
	owner, member := insertUser(t, st, "o@example.com"), insertUser(t, st, "m@example.com")
	_, err := st.Pool.Exec(ctx, `UPDATE projects SET owner_id = $1 WHERE id = $2`, owner.ID, shop)
	require.NoError(t, err)
	require.NoError(t, store.InsertMember(ctx, st.DB, &store.ProjectMember{ProjectID: shop, UserID: member.ID, Role: store.RoleViewer}))
	gid := insertGroup(t, st, shop, groupSpec{fp: "a"})
	var id [16]byte
	require.NoError(t, st.Pool.QueryRow(ctx, `SELECT uuid FROM error_groups WHERE id = $1`, gid).Scan(&id))

	// The removal, as project.Service does it, left open.
	removal, err := st.DB.BeginTx(ctx, nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = removal.Rollback() }) // before the database is dropped, should the test fail
	require.NoError(t, store.DeleteMember(ctx, removal, shop, member.ID))
	require.NoError(t, store.ClearAssignments(ctx, removal, shop, member.ID))

	assigned := make(chan error, 1)
	go func() {
		_, err := store.SetIssueAssignee(ctx, st.DB, shop, id, &member.ID, owner.ID, inboxNow)
		assigned <- err
	}()
	// The assignment is waiting for the removal's row lock.
	require.Eventually(t, func() bool {
		var n int
		require.NoError(t, st.Pool.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'UPDATE error_groups SET assigned_user_id%'`).Scan(&n))
		return n == 1
	}, 10*time.Second, 10*time.Millisecond)
	require.NoError(t, removal.Commit())
	require.ErrorIs(t, <-assigned, sql.ErrNoRows)
	var assignee *int64
	require.NoError(t, st.Pool.QueryRow(ctx, `SELECT assigned_user_id FROM error_groups WHERE id = $1`, gid).Scan(&assignee))
	require.Nil(t, assignee)
}
