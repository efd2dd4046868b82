package main

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/search"
	"github.com/logister/logister/server/internal/store"
	"github.com/logister/logister/server/internal/testdb"
)

func TestGenerateIsDeterministicAndShaped(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	a, b := generate(20_000, 500, 30, 7, now), generate(20_000, 500, 30, 7, now)
	require.Equal(t, a.Events, b.Events)
	require.Len(t, a.Events, 20_000)
	require.Len(t, a.Groups, 500)

	total, largest := 0, 0
	statuses := map[string]int{}
	for _, g := range a.Groups {
		require.GreaterOrEqual(t, g.Count, 1)
		total += g.Count
		largest = max(largest, g.Count)
		statuses[g.Status]++
		require.False(t, g.First.Before(a.Start) || g.Last.After(now) || g.Last.Before(g.First), "group %d", g.Index)
		if g.Status != "unresolved" {
			require.True(t, g.ClosedAt.After(g.Last), "a closed group is closed after its last occurrence")
		}
	}
	require.Equal(t, 20_000, total)
	require.Greater(t, largest, 20_000/50, "Zipf: the largest group holds over 2 %% of the events")
	for _, s := range []string{"unresolved", "resolved", "ignored", "archived"} {
		require.Positive(t, statuses[s], s)
	}
	for i := 1; i < len(a.Events); i++ {
		require.LessOrEqual(t, a.Events[i-1].At, a.Events[i].At, "events are in time order")
	}
}

// TestSeedDatabase seeds a small history and checks that groups agree with their events, and
// that the store's inbox reads it.
func TestSeedDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testdb.New(t)
	now := time.Now()
	h := generate(5_000, 200, 30, 3, now)
	s, err := seedDatabase(ctx, st.Pool, h, "seed-test", 2, t.Logf)
	require.NoError(t, err)

	var mismatched, events, docs int
	require.NoError(t, st.Pool.QueryRow(ctx, `
		SELECT count(*) FROM error_groups g JOIN (
		    SELECT error_group_id, count(*) AS n, min(occurred_at) AS first, max(occurred_at) AS last
		    FROM error_events GROUP BY 1) e ON e.error_group_id = g.id
		WHERE g.occurrence_count <> e.n OR g.first_seen_at <> e.first OR g.last_seen_at <> e.last
		   OR NOT EXISTS (SELECT 1 FROM error_events x WHERE x.id = g.latest_event_id AND x.occurred_at = g.last_seen_at)`).Scan(&mismatched))
	require.Zero(t, mismatched, "groups agree with their events")
	require.NoError(t, st.Pool.QueryRow(ctx, `SELECT count(*) FROM error_events WHERE project_id = $1`, s.ProjectID).Scan(&events))
	require.Equal(t, 5_000, events)
	require.NoError(t, st.Pool.QueryRow(ctx, `SELECT count(*) FROM error_group_search WHERE project_id = $1`, s.ProjectID).Scan(&docs))
	require.Equal(t, 200, docs, "the search documents come with the groups")

	counts, err := st.CountGroupsByStatus(ctx, s.ProjectID, store.InboxQuery{Filter: search.DefaultFilter(), Now: now})
	require.NoError(t, err)
	require.EqualValues(t, 200, counts.All)
	page, err := st.ListGroups(ctx, s.ProjectID, store.InboxQuery{Filter: must(search.Parse("is:all sort:count")), Now: now}, "", 1)
	require.NoError(t, err)
	largest := 0
	for _, g := range h.Groups {
		largest = max(largest, g.Count)
	}
	require.EqualValues(t, largest, page.Groups[0].OccurrenceCount)

	_, err = seedDatabase(ctx, st.Pool, h, "seed-test", 2, t.Logf)
	require.ErrorContains(t, err, `a project with the slug "seed-test" exists`)
}
