package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/logister/logister/server/internal/benchenv"
	"github.com/logister/logister/server/internal/search"
	"github.com/logister/logister/server/internal/store"
)

// targetP95 is issue 6's target for the inbox's first page with any single filter.
const targetP95 = 50 * time.Millisecond

// pageSize is the inbox's first page.
const pageSize = 50

// benchCase is one timed query.
type benchCase struct {
	Section string // sorts, filters, text, paging, counts, sparklines
	Name    string
	Query   string // search syntax; "" is the default inbox
	run     func(ctx context.Context) (rows int, err error)
}

// benchmark seeds a throwaway database, measures the inbox queries and writes the report.
func benchmark(ctx context.Context, cfg *config) error {
	began := time.Now()
	root, err := benchenv.ModuleRoot()
	if err != nil {
		return err
	}
	name, dbURL, err := createDatabase(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	logf("database %s", name)
	defer func() {
		if cfg.KeepDB {
			logf("kept database %s", name)
			return
		}
		if err := dropDatabase(context.WithoutCancel(ctx), cfg.DatabaseURL, name); err != nil {
			logf("dropping %s: %v", name, err)
		}
	}()

	seededData, err := seedInto(ctx, cfg, dbURL)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, dbURL, store.OpenOptions{MaxConns: 4})
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	if err := vacuumAnalyze(ctx, st.Pool); err != nil {
		return fmt.Errorf("VACUUM ANALYZE: %w", err)
	}
	vacuum := time.Since(start).Seconds()
	logf("VACUUM ANALYZE in %.1f s", vacuum)

	rep := &Report{
		GeneratedAt: time.Now().UTC(), Command: "logister-seed " + strings.Join(os.Args[1:], " "),
		Iterations: cfg.Iterations, TargetP95Ms: ms(targetP95), Seed: cfg.Seed, Days: cfg.Days,
	}
	rep.Commit, rep.Dirty = benchenv.Git(ctx, root)
	rep.Environment = environment(ctx, st)
	rep.Data, err = describeData(ctx, st, seededData.ProjectID)
	if err != nil {
		return err
	}
	now := time.Now()
	cases, err := benchCases(ctx, st, seededData, now)
	if err != nil {
		return err
	}
	logf("timing %d queries, %d runs each", len(cases), cfg.Iterations)
	load := startLoadSample()
	measureStart := time.Now()
	for _, c := range cases {
		res, err := measure(ctx, c, cfg.Iterations)
		if err != nil {
			return fmt.Errorf("%s %q: %w", c.Name, c.Query, err)
		}
		logf("  %-44s p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  (%d rows)", c.Name, res.P50Ms, res.P95Ms, res.P99Ms, res.Rows)
		rep.Cases = append(rep.Cases, res)
	}
	rep.Load = load.stop()
	rep.Timings = Timings{
		GenerateSeconds: seededData.GenerateSeconds, GroupsSeconds: seededData.GroupsSeconds,
		EventsSeconds: seededData.EventsSeconds, VacuumSeconds: vacuum,
		MeasureSeconds: time.Since(measureStart).Seconds(), TotalSeconds: time.Since(began).Seconds(),
	}
	rep.Pass = true
	for _, c := range rep.Cases {
		rep.Pass = rep.Pass && c.Pass
	}
	out := cfg.Out
	if !filepath.IsAbs(out) {
		out = filepath.Join(root, out)
	}
	jsonPath, mdPath, err := rep.write(out)
	if err != nil {
		return err
	}
	logf("report: %s and %s", jsonPath, mdPath)
	if !rep.Pass {
		logf("not every query met the %s p95 target", targetP95)
	}
	return nil
}

// benchCases builds the queries from the seeded data: a member to filter by, a release in the
// middle of the window, a fingerprint, a rare word.
func benchCases(ctx context.Context, st *store.Store, s *seeded, now time.Time) ([]benchCase, error) {
	var midRelease, fingerprint, rareWord string
	err := st.Pool.QueryRow(ctx, `
		SELECT (SELECT last_seen_release FROM error_groups WHERE project_id = $1 GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1),
		       (SELECT left(fingerprint, 12) FROM error_groups WHERE project_id = $1 AND grouping_version = 1 AND status = 'unresolved' ORDER BY id LIMIT 1 OFFSET 100),
		       (SELECT substring(title FROM '[0-9]{4}') FROM error_groups WHERE project_id = $1 AND title ~ '[0-9]{4}' AND status = 'unresolved' ORDER BY id LIMIT 1 OFFSET 200)`,
		s.ProjectID).Scan(&midRelease, &fingerprint, &rareWord)
	if err != nil {
		return nil, fmt.Errorf("choosing the query values: %w", err)
	}
	viewer := s.Members[0].ID
	list := func(section, name, query string) benchCase {
		f, perr := search.Parse(query)
		c := benchCase{Section: section, Name: name, Query: query}
		c.run = func(ctx context.Context) (int, error) {
			if perr != nil {
				return 0, perr
			}
			page, err := st.ListGroups(ctx, s.ProjectID, store.InboxQuery{Filter: f, ViewerID: viewer, Now: now}, "", pageSize)
			if err != nil {
				return 0, err
			}
			return len(page.Groups), nil
		}
		return c
	}
	cases := []benchCase{
		list("sorts", "sort by last seen (default)", ""),
		list("sorts", "sort by first seen", "sort:first-seen"),
		list("sorts", "sort by occurrences", "sort:count"),
		list("sorts", "sort by trend", "sort:trend"),
		list("sorts", "all statuses, by last seen", "is:all"),
		list("sorts", "all statuses, by first seen", "is:all sort:first-seen"),
		list("sorts", "all statuses, by occurrences", "is:all sort:count"),
		list("sorts", "all statuses, by trend", "is:all sort:trend"),

		list("filters", "status: new today", "is:new"),
		list("filters", "status: resolved", "is:resolved"),
		list("filters", "status: ignored", "is:ignored"),
		list("filters", "status: archived", "is:archived"),
		list("filters", "assigned to me", "assigned:me"),
		list("filters", "unassigned", "assigned:none"),
		list("filters", "assigned", "assigned:any"),
		list("filters", "assigned to a member", "assigned:"+s.Members[1].Email),
		list("filters", "environment", "env:production"),
		list("filters", "rare environment", `env:"qa eu"`),
		list("filters", "not an environment", "-env:production"),
		list("filters", "release", "release:"+midRelease),
		list("filters", "release wildcard", "release:1.1*"),
		list("filters", "level", "level:warning"),
		list("filters", "rare level", "level:debug"),
		list("filters", "not a level", "-level:error"),
		list("filters", "first seen in the last 24 h", "first-seen:<24h"),
		list("filters", "first seen over 7 days ago", "first-seen:>7d"),
		list("filters", "last seen in the last hour", "last-seen:<1h"),
		list("filters", "last seen over 7 days ago", "last-seen:>7d"),
		list("filters", "first seen on given days", fmt.Sprintf("first-seen:%s..%s",
			now.AddDate(0, 0, -20).Format(time.DateOnly), now.AddDate(0, 0, -10).Format(time.DateOnly))),

		list("text", "common word", "timeout"),
		list("text", "rare word", rareWord),
		list("text", "two words", "card declined"),
		list("text", "exception type", "ActiveRecord::RecordNotFound"),
		list("text", "fingerprint prefix", fingerprint),
		list("text", "environment as text", "staging"),
		list("text", "two letters (no trigram)", "id"),
		list("text", "excluded word", "-timeout"),
		list("text", "word, all statuses", "is:all timeout"),
	}

	// A deep page: the 21st page of all groups by last seen, through 20 cursors.
	all := search.Filter{Status: search.StatusAll, Sort: search.SortLastSeen}
	q := store.InboxQuery{Filter: all, Now: now}
	cursor := ""
	for range 20 {
		page, err := st.ListGroups(ctx, s.ProjectID, q, cursor, pageSize)
		if err != nil {
			return nil, err
		}
		cursor = page.NextCursor
	}
	cases = append(cases, benchCase{Section: "paging", Name: "21st page (keyset cursor)", Query: "is:all",
		run: func(ctx context.Context) (int, error) {
			page, err := st.ListGroups(ctx, s.ProjectID, q, cursor, pageSize)
			if err != nil {
				return 0, err
			}
			return len(page.Groups), nil
		}})

	for _, c := range []struct{ name, query string }{
		{"counts per status", ""}, {"counts per status, environment", "env:production"}, {"counts per status, word", "timeout"},
	} {
		f := must(search.Parse(c.query))
		cases = append(cases, benchCase{Section: "counts", Name: c.name, Query: c.query, run: func(ctx context.Context) (int, error) {
			_, err := st.CountGroupsByStatus(ctx, s.ProjectID, store.InboxQuery{Filter: f, ViewerID: viewer, Now: now})
			return 6, err
		}})
	}

	for _, c := range []struct {
		name, query string
		period      store.SparklinePeriod
	}{
		{"24 hourly buckets, first page", "", store.SparklineDay},
		{"7 daily buckets, first page", "", store.SparklineWeek},
		{"24 hourly buckets, 50 largest groups", "is:all sort:count", store.SparklineDay},
		{"7 daily buckets, 50 largest groups", "is:all sort:count", store.SparklineWeek},
	} {
		page, err := st.ListGroups(ctx, s.ProjectID, store.InboxQuery{Filter: must(search.Parse(c.query)), Now: now}, "", pageSize)
		if err != nil {
			return nil, err
		}
		ids := make([]int64, len(page.Groups))
		for i, g := range page.Groups {
			ids[i] = g.ID
		}
		cases = append(cases, benchCase{Section: "sparklines", Name: c.name, Query: c.query, run: func(ctx context.Context) (int, error) {
			sl, err := st.GroupSparklines(ctx, s.ProjectID, ids, c.period, now, nil)
			if err != nil {
				return 0, err
			}
			return len(sl.Counts), nil
		}})
	}
	return cases, nil
}

// measure runs a case 3 times to warm up, then n timed times.
func measure(ctx context.Context, c benchCase, n int) (CaseResult, error) {
	res := CaseResult{Section: c.Section, Name: c.Name, Query: c.Query}
	for range 3 {
		if _, err := c.run(ctx); err != nil {
			return res, err
		}
	}
	samples := make([]time.Duration, n)
	for i := range samples {
		start := time.Now()
		rows, err := c.run(ctx)
		samples[i] = time.Since(start)
		if err != nil {
			return res, err
		}
		res.Rows = rows
	}
	slices.Sort(samples)
	var sum time.Duration
	for _, d := range samples {
		sum += d
	}
	res.P50Ms, res.P95Ms, res.P99Ms = ms(percentile(samples, 50)), ms(percentile(samples, 95)), ms(percentile(samples, 99))
	res.MaxMs, res.MeanMs = ms(samples[n-1]), ms(sum/time.Duration(n))
	res.Pass = percentile(samples, 95) < targetP95
	return res, nil
}

// percentile is the nearest-rank percentile of sorted samples.
func percentile(sorted []time.Duration, p int) time.Duration {
	rank := (p*len(sorted) + 99) / 100
	return sorted[max(rank, 1)-1]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// describeData counts what the seeded project holds.
func describeData(ctx context.Context, st *store.Store, projectID int64) (Data, error) {
	var d Data
	err := st.Pool.QueryRow(ctx, `
		SELECT count(*), count(*) FILTER (WHERE status = 'unresolved'), count(*) FILTER (WHERE status = 'resolved'),
		       count(*) FILTER (WHERE status = 'ignored'), count(*) FILTER (WHERE status = 'archived'),
		       count(*) FILTER (WHERE assigned_user_id IS NOT NULL), max(occurrence_count),
		       percentile_disc(0.5) WITHIN GROUP (ORDER BY occurrence_count),
		       count(*) FILTER (WHERE last_seen_at >= now() - interval '48 hours'),
		       count(DISTINCT stage), count(DISTINCT last_seen_release), count(DISTINCT severity)
		FROM error_groups WHERE project_id = $1`, projectID).Scan(&d.Groups, &d.Unresolved, &d.Resolved, &d.Ignored,
		&d.Archived, &d.Assigned, &d.LargestGroup, &d.MedianGroup, &d.GroupsSeenLast48h, &d.Environments, &d.Releases, &d.Levels)
	if err != nil {
		return d, fmt.Errorf("describing the data: %w", err)
	}
	err = st.Pool.QueryRow(ctx, `
		SELECT count(*), count(*) FILTER (WHERE occurred_at >= now() - interval '24 hours'),
		       count(*) FILTER (WHERE occurred_at >= now() - interval '48 hours'),
		       count(*) FILTER (WHERE occurred_at >= now() - interval '7 days')
		FROM error_events WHERE project_id = $1`, projectID).Scan(&d.Events, &d.EventsLast24h, &d.EventsLast48h, &d.EventsLast7d)
	if err != nil {
		return d, fmt.Errorf("describing the data: %w", err)
	}
	d.SizesMB = map[string]float64{}
	rows, err := st.Pool.Query(ctx, `SELECT c.relname, pg_relation_size(c.oid) FROM pg_class c
		WHERE c.relname IN ('error_events', 'error_events_pkey', 'error_events_group_idx', 'error_events_project_idx',
		    'error_groups', 'error_groups_inbox_idx', 'error_groups_assignee_idx', 'error_group_search',
		    'error_group_search_document_idx')`)
	if err != nil {
		return d, err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var size int64
		if err := rows.Scan(&name, &size); err != nil {
			return d, err
		}
		d.SizesMB[name] = float64(size*10/(1<<20)) / 10
	}
	return d, rows.Err()
}

// environment describes the machine and the PostgreSQL server.
func environment(ctx context.Context, st *store.Store) Environment {
	e := Environment{CPUs: runtime.NumCPU(), CPUModel: benchenv.CPUModel(), MemTotalMB: benchenv.MemTotalMB(), GoVersion: runtime.Version(),
		PostgresSettings: map[string]string{}}
	_ = st.Pool.QueryRow(ctx, "SELECT version()").Scan(&e.Postgres)
	for _, s := range []string{"shared_buffers", "work_mem", "effective_cache_size", "random_page_cost", "jit", "max_parallel_workers_per_gather"} {
		var v string
		if st.Pool.QueryRow(ctx, "SELECT current_setting($1)", s).Scan(&v) == nil {
			e.PostgresSettings[s] = v
		}
	}
	return e
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// loadSample measures how busy the machine was while the queries ran: one client runs one query at
// a time, so about one core's worth of work is ours; more means other processes competed.
type loadSample struct {
	before      string
	busy, total uint64
}

func startLoadSample() *loadSample {
	busy, total := cpuTimes()
	return &loadSample{before: loadAvg(), busy: busy, total: total}
}

func (l *loadSample) stop() Load {
	busy, total := cpuTimes()
	pct := 0.0
	if total > l.total {
		pct = float64(busy-l.busy) * 100 / float64(total-l.total)
	}
	return Load{LoadAvgBefore: l.before, LoadAvgAfter: loadAvg(), MachineBusyPercent: float64(int(pct*10)) / 10}
}

func loadAvg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

// cpuTimes returns the busy and total jiffies of all CPUs from /proc/stat.
func cpuTimes() (busy, total uint64) {
	b, _ := os.ReadFile("/proc/stat")
	line, _, _ := strings.Cut(string(b), "\n")
	for i, f := range strings.Fields(line) {
		if i == 0 {
			continue
		}
		n, _ := strconv.ParseUint(f, 10, 64)
		total += n
		if i != 4 && i != 5 { // idle, iowait
			busy += n
		}
	}
	return busy, total
}
