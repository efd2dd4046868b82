package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/store"
	"github.com/logister/logister/server/internal/testdb"
)

func TestIssueActivities(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testdb.New(t)
	shop, other := inboxProject(t, st, "shop"), inboxProject(t, st, "other")
	u := insertUser(t, st, "a@example.com")
	gid := insertGroup(t, st, shop, groupSpec{fp: "a"})
	otherGid := insertGroup(t, st, other, groupSpec{fp: "b"})

	// Five entries, three at the same time: the order is (created_at, id) descending.
	at := inboxNow.Truncate(time.Microsecond)
	var want []uuid.UUID
	for i, dt := range []time.Duration{0, time.Second, time.Second, time.Second, 2 * time.Second} {
		a := &store.Activity{ProjectID: shop, ErrorGroupID: gid, ActorUserID: &u.ID, Kind: store.ActivityCommented,
			Data: store.ActivityData{Body: string(rune('a' + i))}, CreatedAt: at.Add(dt)}
		require.NoError(t, store.InsertActivity(ctx, st.DB, a))
		require.NotZero(t, a.ID)
		want = append([]uuid.UUID{a.UUID}, want...)
	}
	require.NoError(t, store.InsertActivity(ctx, st.DB, &store.Activity{ProjectID: other, ErrorGroupID: otherGid,
		Kind: store.ActivityStatusChanged, Data: store.ActivityData{From: "unresolved", To: "resolved"}, CreatedAt: at}))

	var got []uuid.UUID
	cursor := ""
	for range 3 {
		page, err := store.ListActivities(ctx, st.DB, gid, cursor, 2)
		require.NoError(t, err)
		for _, a := range page.Activities {
			got = append(got, a.UUID)
		}
		cursor = page.NextCursor
		if cursor == "" {
			break
		}
	}
	require.Equal(t, want, got)
	require.Empty(t, cursor)

	page, err := store.ListActivities(ctx, st.DB, gid, "", 0)
	require.NoError(t, err)
	require.Len(t, page.Activities, 5)
	require.Equal(t, "e", page.Activities[0].Data.Body)
	require.Equal(t, u.ID, *page.Activities[0].ActorUserID)
	require.True(t, at.Add(2*time.Second).Equal(page.Activities[0].CreatedAt))

	_, err = store.ListActivities(ctx, st.DB, gid, "not a cursor", 10)
	require.ErrorIs(t, err, store.ErrInvalidActivityCursor)

	// Locking skips other projects' groups; deleting a group deletes its activity.
	var id, foreign uuid.UUID
	require.NoError(t, st.Pool.QueryRow(ctx, `SELECT uuid FROM error_groups WHERE id = $1`, gid).Scan(&id))
	require.NoError(t, st.Pool.QueryRow(ctx, `SELECT uuid FROM error_groups WHERE id = $1`, otherGid).Scan(&foreign))
	locked, err := store.LockIssues(ctx, st.DB, shop, []uuid.UUID{foreign, id, uuid.New()})
	require.NoError(t, err)
	require.Len(t, locked, 1)
	require.Equal(t, gid, locked[0].ID)

	_, err = st.Pool.Exec(ctx, `DELETE FROM error_groups WHERE id = $1`, gid)
	require.NoError(t, err)
	var n int
	require.NoError(t, st.Pool.QueryRow(ctx, `SELECT count(*) FROM issue_activities WHERE error_group_id = $1`, gid).Scan(&n))
	require.Zero(t, n)
}
