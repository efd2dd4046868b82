package store_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/logister/logister/migrations"
	"github.com/logister/logister/server/internal/search"
	"github.com/logister/logister/server/internal/store"
	"github.com/logister/logister/server/internal/testdb"
)

// inboxNow is the time the inbox tests look from: 12:30 UTC.
var inboxNow = time.Date(2026, 11, 24, 12, 30, 0, 0, time.UTC)

func inboxProject(t *testing.T, st *store.Store, slug string) int64 {
	t.Helper()
	var id int64
	require.NoError(t, st.Pool.QueryRow(context.Background(),
		`INSERT INTO projects (name, slug) VALUES ($1, $1) RETURNING id`, slug).Scan(&id))
	return id
}

type inboxUser struct {
	ID   int64
	UUID uuid.UUID
}

func insertUser(t *testing.T, st *store.Store, email string) inboxUser {
	t.Helper()
	var u inboxUser
	require.NoError(t, st.Pool.QueryRow(context.Background(),
		`INSERT INTO users (email, name, password_hash) VALUES ($1, $1, '!') RETURNING id, uuid`, email).Scan(&u.ID, &u.UUID))
	return u
}

// groupSpec is an error group for the inbox tests; empty fields take defaults.
type groupSpec struct {
	fp, title, subtitle, stage, severity, status string
	count                                        int64
	first, last                                  time.Time
	introduced, lastRelease                      string
	assignee                                     int64
}

func insertGroup(t *testing.T, st *store.Store, projectID int64, g groupSpec) int64 {
	t.Helper()
	or := func(s, def string) string {
		if s == "" {
			return def
		}
		return s
	}
	if g.last.IsZero() {
		g.last = inboxNow.Add(-time.Hour)
	}
	if g.first.IsZero() {
		g.first = g.last.Add(-time.Hour)
	}
	if g.count == 0 {
		g.count = 1
	}
	null := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	var assignee *int64
	if g.assignee != 0 {
		assignee = &g.assignee
	}
	var id int64
	require.NoError(t, st.Pool.QueryRow(context.Background(), `
		INSERT INTO error_groups (project_id, fingerprint, title, subtitle, stage, severity, status,
		    occurrence_count, first_seen_at, last_seen_at, introduced_in_release, last_seen_release,
		    assigned_user_id, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $10) RETURNING id`,
		projectID, g.fp, or(g.title, "Error in "+g.fp), null(or(g.subtitle, "RuntimeError")), or(g.stage, "production"),
		or(g.severity, "error"), or(g.status, "unresolved"), g.count, g.first, g.last, null(g.introduced),
		null(g.lastRelease), assignee).Scan(&id))
	return id
}

// insertEvents stores one error event of the group at each of the times.
func insertEvents(t *testing.T, st *store.Store, projectID, groupID int64, times ...time.Time) {
	t.Helper()
	rows := make([][]any, len(times))
	for i, at := range times {
		rows[i] = []any{uuid.New(), projectID, groupID, "error", "boom", at, at, "exact", []byte(`{}`)}
	}
	_, err := st.Pool.CopyFrom(context.Background(), pgx.Identifier{"error_events"},
		[]string{"id", "project_id", "error_group_id", "level", "message", "occurred_at", "received_at", "time_precision", "context"},
		pgx.CopyFromRows(rows))
	require.NoError(t, err)
}

func inboxQuery(t *testing.T, q string, viewer int64) store.InboxQuery {
	t.Helper()
	f, err := search.Parse(q)
	require.NoError(t, err, q)
	return store.InboxQuery{Filter: f, ViewerID: viewer, Now: inboxNow}
}

// listAll pages through the inbox with the given page size and returns the fingerprints in order.
func listAll(t *testing.T, st *store.Store, projectID int64, q store.InboxQuery, limit int) []string {
	t.Helper()
	var fps []string
	cursor := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 100, "paging does not end")
		page, err := st.ListGroups(context.Background(), projectID, q, cursor, limit)
		require.NoError(t, err)
		require.LessOrEqual(t, len(page.Groups), limit)
		for _, g := range page.Groups {
			fps = append(fps, g.Fingerprint)
		}
		if page.NextCursor == "" {
			return fps
		}
		require.Len(t, page.Groups, limit, "only the last page is short")
		cursor = page.NextCursor
	}
}

func TestListGroupsFilters(t *testing.T) {
	t.Parallel()
	st := testdb.New(t)
	p := inboxProject(t, st, "shop")
	other := inboxProject(t, st, "other")
	alice, bob := insertUser(t, st, "alice@example.test"), insertUser(t, st, "bob@example.test")
	today := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

	// Last seen in this order (newest first): a, b, c, ...
	specs := []groupSpec{
		{fp: "a", title: "TypeError: Cannot read properties of undefined (reading 'total')", subtitle: "TypeError",
			stage: "Production", first: today.Add(time.Hour), introduced: "1.4.0", lastRelease: "1.4.2", assignee: alice.ID},
		{fp: "b", title: "card declined for amount 4200", subtitle: "PaymentDeclinedError", stage: "staging",
			severity: "warn", first: today.Add(-time.Minute), introduced: "1.3.0", lastRelease: "1.4.0", assignee: bob.ID},
		{fp: "c", title: "100% of quota_used", stage: "qa eu", severity: "warning", status: "resolved"},
		{fp: "d", title: "Timeout after 3000ms", subtitle: "Net::ReadTimeout", severity: "fatal", status: "ignored", assignee: alice.ID},
		{fp: "e", title: "ActiveRecord::RecordNotFound", subtitle: "ActiveRecord::RecordNotFound", severity: "critical", status: "archived", lastRelease: "2.0"},
		{fp: "payment-declined", title: "declined", stage: "development", severity: "info", first: inboxNow.Add(-10 * 24 * time.Hour)},
	}
	for i := range specs {
		specs[i].last = inboxNow.Add(-time.Duration(i+1) * time.Hour)
		if specs[i].first.IsZero() {
			specs[i].first = specs[i].last.Add(-48 * time.Hour)
		}
		insertGroup(t, st, p, specs[i])
	}
	insertGroup(t, st, other, groupSpec{fp: "x", title: "TypeError in another project", last: inboxNow})

	cases := map[string][]string{
		"":                                         {"a", "b", "payment-declined"},
		"is:unresolved":                            {"a", "b", "payment-declined"},
		"is:new":                                   {"a"},
		"is:resolved":                              {"c"},
		"is:ignored":                               {"d"},
		"is:archived":                              {"e"},
		"is:all":                                   {"a", "b", "c", "d", "e", "payment-declined"},
		"is:all assigned:me":                       {"a", "d"},
		"is:all assigned:none":                     {"c", "e", "payment-declined"},
		"is:all assigned:any":                      {"a", "b", "d"},
		"is:all assigned:bob@example.test":         {"b"},
		"is:all assigned:BOB@example.test":         {"b"},
		"is:all assigned:" + alice.UUID.String():   {"a", "d"},
		fmt.Sprint("is:all assigned:", bob.ID):     {"b"},
		"is:all assigned:nobody@example.test":      {},
		"is:all env:production":                    {"a", "d", "e"},
		"is:all env:PRODUCTION env:staging":        {"a", "b", "d", "e"},
		`is:all env:"qa eu"`:                       {"c"},
		"is:all env:qa*":                           {"c"},
		"is:all -env:production -env:staging":      {"c", "payment-declined"},
		"is:all env:prod":                          {},
		"release:1.4.0":                            {"a", "b"},
		"release:1.4.*":                            {"a", "b"},
		"is:all release:2.*":                       {"e"},
		"is:all -release:1.4.*":                    {"c", "d", "e", "payment-declined"},
		"is:all level:warning":                     {"b", "c"},
		"is:all level:warn":                        {"b", "c"},
		"is:all level:fatal":                       {"d", "e"},
		"is:all -level:error -level:fatal":         {"b", "c", "payment-declined"},
		"is:all level:info level:ERROR":            {"a", "payment-declined"},
		"is:all first-seen:<7d":                    {"a", "b", "c", "d", "e"},
		"is:all first-seen:>7d":                    {"payment-declined"},
		"is:all last-seen:<3h":                     {"a", "b", "c"},
		"is:all last-seen:>3h last-seen:<5h":       {"d", "e"},
		"is:all first-seen:2026-11-24":             {"a"},
		"is:all first-seen:>=2026-11-23":           {"a", "b"},
		"is:all first-seen:2026-11-01..2026-11-14": {"payment-declined"},
		"is:all last-seen:<2026-11-24T10:30:00Z":   {"c", "d", "e", "payment-declined"},
		"is:all typeerror":                         {"a"},
		"is:all reading total":                     {"a"},
		`is:all "reading 'total'"`:                 {"a"},
		`is:all "reading total"`:                   {},
		"is:all paymentdeclined":                   {"b"},
		"is:all payment-declined":                  {"payment-declined"},
		"is:all declined -amount":                  {"payment-declined"},
		"is:all -declined":                         {"a", "c", "d", "e"},
		"is:all qa":                                {"c"},
		`is:all "qa eu"`:                           {"c"},
		"is:all 100%":                              {"c"},
		"is:all 0%":                                {"c"},
		"is:all quota_used":                        {"c"},
		"is:all t_meout":                           {},
		`is:all %`:                                 {"c"},
		"is:all net::readtimeout":                  {"d"},
		"is:all recordnotfound":                    {"e"},
		"is:all development":                       {"payment-declined"},
		"is:all x":                                 {},
	}
	for q, want := range cases {
		t.Run(q, func(t *testing.T) {
			t.Parallel()
			got := listAll(t, st, p, inboxQuery(t, q, alice.ID), 50)
			if got == nil {
				got = []string{}
			}
			require.Equal(t, want, got)
		})
	}

	t.Run("assigned:me without a viewer matches nothing", func(t *testing.T) {
		t.Parallel()
		require.Empty(t, listAll(t, st, p, inboxQuery(t, "is:all assigned:me", 0), 50))
	})
	t.Run("today is the viewer's", func(t *testing.T) {
		t.Parallel()
		// 23:59 UTC on the 23rd is the 24th in Tokyo: "b" is new there.
		q := inboxQuery(t, "is:new", alice.ID)
		tokyo, err := time.LoadLocation("Asia/Tokyo")
		require.NoError(t, err)
		q.Location = tokyo
		require.Equal(t, []string{"a", "b"}, listAll(t, st, p, q, 50))
	})
}

func TestListGroupsSortsAndPaging(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testdb.New(t)
	p := inboxProject(t, st, "shop")
	base := inboxNow.Add(-100 * time.Hour)
	// Keys with ties, so that ids break them: g1..g7 inserted in order (ids ascending).
	specs := []groupSpec{
		{fp: "g1", last: base.Add(5 * time.Hour), first: base.Add(1 * time.Hour), count: 10},
		{fp: "g2", last: base.Add(7 * time.Hour), first: base.Add(1 * time.Hour), count: 30},
		{fp: "g3", last: base.Add(5 * time.Hour), first: base.Add(3 * time.Hour), count: 10},
		{fp: "g4", last: base.Add(9 * time.Hour), first: base, count: 20},
		{fp: "g5", last: base.Add(5 * time.Hour), first: base.Add(4 * time.Hour), count: 10},
		{fp: "g6", last: base.Add(1 * time.Hour), first: base, count: 5},
		{fp: "g7", last: base.Add(8 * time.Hour), first: base.Add(2 * time.Hour), count: 30},
	}
	for _, g := range specs {
		insertGroup(t, st, p, g)
	}
	want := map[search.Sort][]string{
		search.SortLastSeen:  {"g4", "g7", "g2", "g5", "g3", "g1", "g6"},
		search.SortFirstSeen: {"g5", "g3", "g7", "g2", "g1", "g6", "g4"},
		search.SortCount:     {"g7", "g2", "g4", "g5", "g3", "g1", "g6"},
		search.SortTrend:     {"g7", "g6", "g5", "g4", "g3", "g2", "g1"}, // no occurrences: all 0, by id
	}
	for sort, order := range want {
		q := inboxQuery(t, "sort:"+string(sort), 0)
		for _, limit := range []int{1, 2, 3, 7, 50} {
			require.Equal(t, order, listAll(t, st, p, q, limit), "sort %s, limit %d", sort, limit)
		}
	}

	q := inboxQuery(t, "sort:count", 0)
	first, err := st.ListGroups(ctx, p, q, "", 3)
	require.NoError(t, err)
	require.NotEmpty(t, first.NextCursor)
	middle, err := st.ListGroups(ctx, p, q, first.NextCursor, 3)
	require.NoError(t, err)
	require.Equal(t, []string{"g5", "g3", "g1"}, fingerprints(middle))
	last, err := st.ListGroups(ctx, p, q, middle.NextCursor, 3)
	require.NoError(t, err)
	require.Equal(t, []string{"g6"}, fingerprints(last))
	require.Empty(t, last.NextCursor, "the last page has no next cursor")

	exact, err := st.ListGroups(ctx, p, q, "", 7)
	require.NoError(t, err)
	require.Len(t, exact.Groups, 7)
	require.Empty(t, exact.NextCursor, "a page that ends exactly at the end has no next cursor")

	def, err := st.ListGroups(ctx, p, q, "", 0)
	require.NoError(t, err)
	require.Len(t, def.Groups, 7, "0 means the default page size")

	empty, err := st.ListGroups(ctx, inboxProject(t, st, "empty"), q, "", 10)
	require.NoError(t, err)
	require.Empty(t, empty.Groups)
	require.Empty(t, empty.NextCursor)

	// Cursors are bound to their order, filter and project, and must be intact.
	for name, c := range map[string]struct {
		query   string
		project int64
		cursor  string
		reason  string
	}{
		"another sort":    {"sort:first-seen", p, first.NextCursor, "another sort order"},
		"another filter":  {"sort:count env:production", p, first.NextCursor, "another filter or project"},
		"another project": {"sort:count", p + 1000, first.NextCursor, "another filter or project"},
		"garbage":         {"sort:count", p, "not a cursor!", "malformed"},
		"truncated":       {"sort:count", p, first.NextCursor[:len(first.NextCursor)-2], "malformed"},
		"altered":         {"sort:count", p, alter(first.NextCursor), "malformed"},
	} {
		_, err := st.ListGroups(ctx, c.project, inboxQuery(t, c.query, 0), c.cursor, 3)
		require.True(t, errors.Is(err, store.ErrInvalidCursor), "%s: %v", name, err)
		require.ErrorContains(t, err, c.reason, name)
	}
}

// alter flips one bit of the cursor's key.
func alter(cursor string) string {
	b := []byte(cursor)
	if b[4] == 'A' {
		b[4] = 'B'
	} else {
		b[4] = 'A'
	}
	return string(b)
}

func fingerprints(p *store.InboxPage) []string {
	out := []string{}
	for _, g := range p.Groups {
		out = append(out, g.Fingerprint)
	}
	return out
}

func TestListGroupsTrend(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testdb.New(t)
	p := inboxProject(t, st, "shop")
	day := 24 * time.Hour
	at := func(d time.Duration) time.Time { return inboxNow.Add(-d) }

	rising := insertGroup(t, st, p, groupSpec{fp: "rising", last: at(time.Minute)})
	insertEvents(t, st, p, rising, at(time.Minute), at(2*time.Hour), at(3*time.Hour), at(day), at(day+time.Hour)) // 4 - 1
	falling := insertGroup(t, st, p, groupSpec{fp: "falling", last: at(day + time.Second)})
	insertEvents(t, st, p, falling, at(day+time.Second), at(2*day), at(47*time.Hour)) // 0 - 3
	steady := insertGroup(t, st, p, groupSpec{fp: "steady", last: at(time.Hour)})
	insertEvents(t, st, p, steady, at(time.Hour), at(25*time.Hour), at(2*day+time.Second), at(40*day)) // 1 - 1
	future := insertGroup(t, st, p, groupSpec{fp: "future", last: inboxNow.Add(time.Hour)})
	insertEvents(t, st, p, future, inboxNow, inboxNow.Add(time.Hour), at(3*time.Hour)) // 1 - 0: now itself is excluded
	// Occurrences without a source time do not move last_seen_at: they count all the same.
	late := insertGroup(t, st, p, groupSpec{fp: "late", last: at(10 * day)})
	insertEvents(t, st, p, late, at(time.Hour), at(2*time.Hour))
	old := insertGroup(t, st, p, groupSpec{fp: "old", last: at(3 * day)})
	insertEvents(t, st, p, old, at(3*day), at(4*day))

	// Another project's occurrences do not count.
	otherProject := inboxProject(t, st, "other")
	insertEvents(t, st, otherProject, old, at(time.Hour), at(time.Hour))

	page, err := st.ListGroups(ctx, p, inboxQuery(t, "sort:trend", 0), "", 50)
	require.NoError(t, err)
	type row struct {
		fp         string
		last, prev int64
	}
	var got []row
	for _, g := range page.Groups {
		got = append(got, row{g.Fingerprint, g.Last24h, g.Previous24h})
	}
	require.Equal(t, []row{
		{"rising", 4, 1}, {"late", 2, 0}, {"future", 1, 0}, {"old", 0, 0}, {"steady", 1, 1}, {"falling", 0, 3},
	}, got)
	require.Equal(t, []string{"rising", "late", "future", "old", "steady", "falling"},
		listAll(t, st, p, inboxQuery(t, "sort:trend", 0), 2), "paging through trends")

	other, err := st.ListGroups(ctx, p, inboxQuery(t, "sort:last-seen", 0), "", 50)
	require.NoError(t, err)
	for _, g := range other.Groups {
		require.Zero(t, g.Last24h+g.Previous24h, "only the trend sort counts")
	}
}

func TestCountGroupsByStatus(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testdb.New(t)
	p := inboxProject(t, st, "shop")
	today := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	for i, g := range []groupSpec{
		{status: "unresolved", stage: "production", first: today.Add(time.Hour)},
		{status: "unresolved", stage: "production", first: today.Add(-time.Hour)},
		{status: "unresolved", stage: "staging", first: today.Add(time.Hour)},
		{status: "resolved", stage: "production"},
		{status: "resolved", stage: "production"},
		{status: "ignored", stage: "staging"},
		{status: "archived", stage: "production", title: "timeout"},
	} {
		g.fp = fmt.Sprint("g", i)
		insertGroup(t, st, p, g)
	}
	insertGroup(t, st, inboxProject(t, st, "other"), groupSpec{fp: "x"})

	for q, want := range map[string]store.StatusCounts{
		"":                          {Unresolved: 3, New: 2, Resolved: 2, Ignored: 1, Archived: 1, All: 7},
		"is:resolved":               {Unresolved: 3, New: 2, Resolved: 2, Ignored: 1, Archived: 1, All: 7},
		"env:production sort:trend": {Unresolved: 2, New: 1, Resolved: 2, Archived: 1, All: 5},
		"timeout":                   {Archived: 1, All: 1},
		"env:nowhere":               {},
	} {
		got, err := st.CountGroupsByStatus(ctx, p, inboxQuery(t, q, 0))
		require.NoError(t, err)
		require.Equal(t, want, got, q)
	}
}

func TestGroupSparklines(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testdb.New(t)
	p := inboxProject(t, st, "shop")
	hour := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC) // the current hour: 12:00-13:00 (now is 12:30)
	a := insertGroup(t, st, p, groupSpec{fp: "a"})
	insertEvents(t, st, p, a,
		hour,                                // the last bucket's first instant
		hour.Add(59*time.Minute),            // still the last bucket
		hour.Add(time.Hour),                 // the end: excluded
		hour.Add(-23*time.Hour),             // the first bucket's first instant
		hour.Add(-23*time.Hour-time.Second), // before the first bucket: excluded
		hour.Add(-time.Nanosecond*1000),     // the 23rd bucket's last microsecond
	)
	b := insertGroup(t, st, p, groupSpec{fp: "b"}) // no occurrences
	otherProject := inboxProject(t, st, "other")
	c := insertGroup(t, st, otherProject, groupSpec{fp: "c"})
	insertEvents(t, st, otherProject, c, hour)

	sl, err := st.GroupSparklines(ctx, p, []int64{a, b, c, 1_000_000}, store.SparklineDay, inboxNow, nil)
	require.NoError(t, err)
	require.Len(t, sl.Buckets, 24)
	require.Equal(t, hour.Add(-23*time.Hour), sl.Buckets[0])
	require.Equal(t, hour, sl.Buckets[23])
	require.Equal(t, hour.Add(time.Hour), sl.End)
	wantA := make([]int64, 24)
	wantA[0], wantA[22], wantA[23] = 1, 1, 2
	require.Equal(t, map[int64][]int64{a: wantA, b: make([]int64, 24)}, sl.Counts, "other projects' groups are absent")

	// Daily buckets in the viewer's time zone: in New York it is 07:30 on the 24th.
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	d := insertGroup(t, st, p, groupSpec{fp: "d"})
	midnight := time.Date(2026, 11, 24, 0, 0, 0, 0, ny)
	insertEvents(t, st, p, d,
		midnight,                           // today's first instant
		midnight.Add(-time.Microsecond),    // yesterday
		midnight.AddDate(0, 0, -6),         // the first day
		midnight.AddDate(0, 0, -6).Add(-1), // before it: excluded (the nanosecond is lost: microseconds)
		midnight.AddDate(0, 0, -7),         // excluded
		midnight.AddDate(0, 0, 1),          // tomorrow: excluded
	)
	sl, err = st.GroupSparklines(ctx, p, []int64{d}, store.SparklineWeek, inboxNow, ny)
	require.NoError(t, err)
	require.Len(t, sl.Buckets, 7)
	require.Equal(t, midnight.AddDate(0, 0, -6), sl.Buckets[0])
	require.Equal(t, midnight.AddDate(0, 0, 1), sl.End)
	require.Equal(t, []int64{1, 0, 0, 0, 0, 1, 1}, sl.Counts[d])

	sl, err = st.GroupSparklines(ctx, p, nil, store.SparklineWeek, inboxNow, nil)
	require.NoError(t, err)
	require.Empty(t, sl.Counts)
	_, err = st.GroupSparklines(ctx, p, []int64{a}, "30d", inboxNow, nil)
	require.Error(t, err)
}

// TestSearchFollowsIngestion checks that groups created and retitled by the ingestion path are
// found by text search: the search documents are kept by triggers, not by the ingestion code. A
// document holds every environment a group was seen in and one title per shape.
func TestSearchFollowsIngestion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testdb.New(t)
	p := inboxProject(t, st, "shop")
	rec := func(fp, msg, subtitle, env string, at time.Time) *store.Record {
		return &store.Record{
			ProjectID: p, Signal: store.SignalError, Level: "error", Message: msg, OccurredAt: at, ReceivedAt: at,
			TimePrecision: "exact", Environment: env, Context: []byte(`{}`),
			Group: &store.GroupInput{Fingerprint: fp, Version: 1, Title: msg, Subtitle: subtitle},
		}
	}
	find := func(q string) []string {
		t.Helper()
		return listAll(t, st, p, store.InboxQuery{Filter: must(search.Parse("is:all " + q)), Now: inboxNow}, 50)
	}
	document := func(fp string) string {
		t.Helper()
		var doc string
		require.NoError(t, st.Pool.QueryRow(ctx, `SELECT s.document FROM error_group_search s
			JOIN error_groups g ON g.id = s.error_group_id WHERE g.fingerprint = $1`, fp).Scan(&doc))
		return doc
	}
	at := inboxNow.Add(-time.Hour)
	write := func(recs ...*store.Record) {
		t.Helper()
		at = at.Add(time.Minute)
		_, err := st.WriteBatch(ctx, recs)
		require.NoError(t, err)
	}
	write(rec("fp-1", "Card declined for 4200", "PaymentError", "production", at), rec("fp-2", "gateway timeout", "PaymentError", "staging", at))
	require.Equal(t, []string{"fp-1"}, find("4200"))
	require.Equal(t, []string{"fp-2", "fp-1"}, find("paymenterror"), "same last seen: the newer group first")
	require.Equal(t, "paymenterror\nfp-1\nproduction\ncard declined for 4200", document("fp-1"))

	// Later occurrences: another amount (the same shape: the document does not change), another
	// environment, then new words and another exception type.
	write(rec("fp-1", "Card declined for 4300", "PaymentError", "canary", at))
	write(rec("fp-1", "Card declined for 4400", "PaymentError", "production", at))
	require.Equal(t, "paymenterror\nfp-1\nproduction\ncard declined for 4200\ncanary", document("fp-1"))
	require.Equal(t, []string{"fp-1"}, find("4200"), "the first title of a shape stays")
	require.Empty(t, find("4300"), "titles that differ only in digits are not added")
	require.Equal(t, []string{"fp-1"}, find("canary"), "every environment the group was seen in")
	write(rec("fp-1", "Card expired for 4500", "CardError", "production", at))
	require.Equal(t, []string{"fp-1"}, find("expired cardError"))
	require.Equal(t, []string{"fp-1"}, find("fp-1"))

	// Triage updates and repeats write nothing.
	before := document("fp-1")
	_, err := st.Pool.Exec(ctx, `UPDATE error_groups SET status = 'resolved', resolved_at = now()`)
	require.NoError(t, err)
	write(rec("fp-1", "Card expired for 4501", "CardError", "production", at))
	require.Equal(t, before, document("fp-1"))

	// A document grows by at most 16 title shapes and 16 environments.
	for i := range 40 {
		write(rec("fp-2", fmt.Sprintf("timeout %c", 'a'+i%26)+strings.Repeat("x", i/26), "PaymentError", fmt.Sprint("env-", strings.Repeat("e", i)), at))
	}
	var shapes, envs int
	require.NoError(t, st.Pool.QueryRow(ctx, `SELECT cardinality(title_shapes), cardinality(environments) FROM error_group_search s
		JOIN error_groups g ON g.id = s.error_group_id WHERE g.fingerprint = 'fp-2'`).Scan(&shapes, &envs))
	require.Equal(t, []int{16, 16}, []int{shapes, envs})

	var docs int
	require.NoError(t, st.Pool.QueryRow(ctx, `SELECT count(*) FROM error_group_search`).Scan(&docs))
	require.Equal(t, 2, docs)
	_, err = st.Pool.Exec(ctx, `DELETE FROM error_groups WHERE fingerprint = 'fp-2'`)
	require.NoError(t, err)
	require.NoError(t, st.Pool.QueryRow(ctx, `SELECT count(*) FROM error_group_search`).Scan(&docs))
	require.Equal(t, 1, docs, "documents go with their groups")
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestTriageMigrationDown runs 0007's down migration and its up migration again.
func TestTriageMigrationDown(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testdb.New(t)
	p := inboxProject(t, st, "shop")
	insertGroup(t, st, p, groupSpec{fp: "a", title: "kept across the round trip"})
	run := func(name string) {
		sql, err := fs.ReadFile(migrations.FS, name)
		require.NoError(t, err)
		_, err = st.DB.ExecContext(ctx, string(sql))
		require.NoError(t, err, name)
	}
	// Later migrations are rolled back first, and applied again at the end.
	var later []string
	names, err := fs.Glob(migrations.FS, "*.tx.up.sql")
	require.NoError(t, err)
	for _, name := range names {
		if version := strings.TrimSuffix(name, ".tx.up.sql"); version > "0007_triage" {
			later = append(later, version)
		}
	}
	slices.Sort(later)
	for _, version := range slices.Backward(later) {
		run(version + ".tx.down.sql")
	}
	run("0007_triage.tx.down.sql")
	var n int
	require.NoError(t, st.Pool.QueryRow(ctx, `SELECT count(*) FROM information_schema.columns
		WHERE table_name = 'error_groups' AND column_name LIKE 'assigned%'`).Scan(&n))
	require.Zero(t, n)
	run("0007_triage.tx.up.sql")
	for _, version := range later {
		run(version + ".tx.up.sql")
	}
	require.Equal(t, []string{"a"}, listAll(t, st, p, store.InboxQuery{Filter: must(search.Parse("round trip")), Now: inboxNow}, 50),
		"the up migration indexes existing groups")
}
