// Command logister-seed fills a PostgreSQL database with a realistic history of one project's
// errors, and measures the inbox on it.
//
// Seeding (the default) writes, with COPY rather than the HTTP API, 1,000,000 error events in
// 10,000 error groups spread over 30 days, with skewed occurrence counts, several environments,
// releases and levels, triage statuses and assignees (generate.go describes the distributions),
// into a project of its own in the database at -database-url (migrated first), so that the web
// app and the API have something to show:
//
//	go run ./server/cmd/logister-seed -database-url postgres://localhost/logister
//
// With -bench it creates a throwaway database next to -database-url (by default the tests'
// server), migrates and seeds it, runs VACUUM ANALYZE, then times the inbox's queries as the store
// runs them: the first page (50 rows) for every sort and every single filter, the counts per
// status, and the sparklines; it writes inbox.json and inbox.md to -out and drops the database.
// `make bench` runs it:
//
//	go run ./server/cmd/logister-seed -bench -out docs/benchmarks
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/logister/logister/server/internal/store"
)

// defaultAdminURL is the PostgreSQL the tests use (TEST_DATABASE_URL overrides it).
const defaultAdminURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

type config struct {
	DatabaseURL string
	Bench       bool
	Quick       bool
	Out         string
	Events      int
	Groups      int
	Days        int
	Seed        uint64
	Project     string
	Copiers     int
	Iterations  int
	KeepDB      bool
}

func parseFlags(args []string) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("logister-seed", flag.ContinueOnError)
	fs.StringVar(&c.DatabaseURL, "database-url", "", "the database to seed; with -bench, the server on which a logister_inboxbench_* "+
		"database is created and dropped (default: DATABASE_URL when seeding, TEST_DATABASE_URL with -bench, else "+defaultAdminURL+")")
	fs.BoolVar(&c.Bench, "bench", false, "seed a throwaway database and benchmark the inbox queries on it")
	fs.BoolVar(&c.Quick, "quick", false, "with -bench: 100,000 events in 1,000 groups and fewer iterations, for a smoke run")
	fs.StringVar(&c.Out, "out", "docs/benchmarks", "with -bench: the directory for inbox.json and inbox.md (relative to the repository root)")
	fs.IntVar(&c.Events, "events", 1_000_000, "error events to write")
	fs.IntVar(&c.Groups, "groups", 10_000, "error groups to write")
	fs.IntVar(&c.Days, "days", 30, "the days the history spans, up to now")
	fs.Uint64Var(&c.Seed, "seed", 1, "the random seed: the same seed and day give the same history")
	fs.StringVar(&c.Project, "project", "", "the slug of the project to create (default seed-<seed>-<events>)")
	fs.IntVar(&c.Copiers, "copiers", 2, "concurrent COPY connections")
	fs.IntVar(&c.Iterations, "iterations", 60, "with -bench: timed runs of each query (after 3 warm-up runs)")
	fs.BoolVar(&c.KeepDB, "keep-db", false, "with -bench: keep the database for inspection")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if c.Quick {
		if !set["events"] {
			c.Events = 100_000
		}
		if !set["groups"] {
			c.Groups = 1_000
		}
		if !set["iterations"] {
			c.Iterations = 15
		}
		if !set["out"] {
			c.Out = filepath.Join(os.TempDir(), "logister-seed-quick")
		}
	}
	if c.DatabaseURL == "" && !c.Bench {
		c.DatabaseURL = os.Getenv("DATABASE_URL")
	}
	if c.DatabaseURL == "" {
		c.DatabaseURL = os.Getenv("TEST_DATABASE_URL")
	}
	if c.DatabaseURL == "" {
		c.DatabaseURL = defaultAdminURL
	}
	if c.Project == "" {
		c.Project = fmt.Sprintf("seed-%d-%d", c.Seed, c.Events)
	}
	switch {
	case c.Groups < 1 || c.Events < c.Groups:
		return nil, errors.New("-groups must be at least 1 and -events at least -groups")
	case c.Days < 1 || c.Copiers < 1 || c.Iterations < 1:
		return nil, errors.New("-days, -copiers and -iterations must be at least 1")
	}
	return c, nil
}

func main() {
	os.Exit(run())
}

func run() int {
	cfg, err := parseFlags(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "logister-seed:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if cfg.Bench {
		err = benchmark(ctx, cfg)
	} else {
		_, err = seedInto(ctx, cfg, cfg.DatabaseURL)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "logister-seed:", err)
		return 1
	}
	return 0
}

func logf(format string, args ...any) {
	fmt.Printf("%s  %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

// seedInto migrates the database at databaseURL and seeds it.
func seedInto(ctx context.Context, cfg *config, databaseURL string) (*seeded, error) {
	st, err := store.Open(ctx, databaseURL, store.OpenOptions{MaxConns: cfg.Copiers + 2})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		return nil, err
	}
	start := time.Now()
	h := generate(cfg.Events, cfg.Groups, cfg.Days, cfg.Seed, time.Now())
	gen := time.Since(start).Seconds()
	logf("generated %d events in %d groups over %d days in %.1f s (GOMAXPROCS %d)", len(h.Events), len(h.Groups), cfg.Days, gen, runtime.GOMAXPROCS(0))
	s, err := seedDatabase(ctx, st.Pool, h, cfg.Project, cfg.Copiers, logf)
	if err != nil {
		return nil, err
	}
	s.GenerateSeconds = gen
	logf("project %q (id %d) seeded", s.ProjectSlug, s.ProjectID)
	return s, nil
}

// createDatabase creates logister_inboxbench_<time> on the server of adminURL and returns its URL.
func createDatabase(ctx context.Context, adminURL string) (name, dbURL string, err error) {
	name = fmt.Sprintf("logister_inboxbench_%d", time.Now().UnixNano())
	u, err := url.Parse(adminURL)
	if err != nil {
		return "", "", fmt.Errorf("database URL: %w", err)
	}
	u.Path = "/" + name
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return "", "", fmt.Errorf("connecting to %s: %w", u.Redacted(), err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return "", "", fmt.Errorf("creating database %s: %w", name, err)
	}
	return name, u.String(), nil
}

func dropDatabase(ctx context.Context, adminURL, name string) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	return err
}

// vacuumAnalyze runs VACUUM ANALYZE on the whole database: what autovacuum does on a live
// server, so that the planner has statistics and index-only scans find all-visible pages.
func vacuumAnalyze(ctx context.Context, pool *pgxpool.Pool) error {
	_, err := pool.Exec(ctx, "VACUUM (ANALYZE)")
	return err
}
