package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"
)

// defaultAdminURL is the PostgreSQL the tests use (TEST_DATABASE_URL overrides it).
const defaultAdminURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// benchDatabase is the fresh database one run creates and drops.
type benchDatabase struct {
	adminURL string
	Name     string
	URL      string
}

// createDatabase creates logister_bench_<random> next to adminURL's database.
func createDatabase(ctx context.Context, adminURL string) (*benchDatabase, error) {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, err
	}
	name := "logister_bench_" + hex.EncodeToString(b[:])
	u, err := url.Parse(adminURL)
	if err != nil {
		return nil, fmt.Errorf("database URL: %w", err)
	}
	u.Path = "/" + name
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return nil, fmt.Errorf("connecting to %s: %w", redact(adminURL), err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return nil, fmt.Errorf("creating database %s: %w", name, err)
	}
	return &benchDatabase{adminURL: adminURL, Name: name, URL: u.String()}, nil
}

// Drop drops the database, closing any connection left to it.
func (d *benchDatabase) Drop(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, d.adminURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{d.Name}.Sanitize()+" WITH (FORCE)")
	return err
}

// PostgresInfo is the server's version and the settings that decide write throughput.
type PostgresInfo struct {
	Version  string            `json:"version"`
	Full     string            `json:"version_full"`
	Settings map[string]string `json:"settings"`
}

// postgresSettings are reported because they decide what a durable commit costs.
var postgresSettings = []string{"fsync", "synchronous_commit", "wal_level", "full_page_writes", "wal_compression",
	"commit_delay", "shared_buffers", "max_wal_size", "checkpoint_timeout", "max_connections"}

func postgresInfo(ctx context.Context, conn *pgx.Conn) (PostgresInfo, error) {
	info := PostgresInfo{Settings: map[string]string{}}
	if err := conn.QueryRow(ctx, "SELECT current_setting('server_version'), version()").Scan(&info.Version, &info.Full); err != nil {
		return info, err
	}
	for _, s := range postgresSettings {
		var v string
		if err := conn.QueryRow(ctx, "SELECT current_setting($1)", s).Scan(&v); err == nil {
			info.Settings[s] = v
		}
	}
	return info, nil
}

// RowCounts are what the server stored.
type RowCounts struct {
	ErrorEvents     int64 `json:"error_events"`
	TelemetryEvents int64 `json:"telemetry_events"`
	Spans           int64 `json:"spans"`
	ErrorGroups     int64 `json:"error_groups"`
	// Occurrences is the sum of error_groups.occurrence_count, which must equal ErrorEvents.
	Occurrences   int64 `json:"occurrences"`
	ClientGroups  int64 `json:"client_fingerprint_groups"` // groups whose fingerprint the client sent
	DatabaseBytes int64 `json:"database_bytes"`
}

// Total is every stored event.
func (r RowCounts) Total() int64 { return r.ErrorEvents + r.TelemetryEvents + r.Spans }

func countRows(ctx context.Context, conn *pgx.Conn) (RowCounts, error) {
	var r RowCounts
	err := conn.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM error_events),
		(SELECT count(*) FROM telemetry_events),
		(SELECT count(*) FROM spans),
		(SELECT count(*) FROM error_groups),
		(SELECT coalesce(sum(occurrence_count), 0)::bigint FROM error_groups),
		(SELECT count(*) FROM error_groups WHERE grouping_version = 0),
		pg_database_size(current_database())`).
		Scan(&r.ErrorEvents, &r.TelemetryEvents, &r.Spans, &r.ErrorGroups, &r.Occurrences, &r.ClientGroups, &r.DatabaseBytes)
	return r, err
}

// PGActivity is one look at pg_stat_activity.
type PGActivity struct {
	// PIDs are the processes that work for the benchmark's database: its sessions, the background
	// processes (checkpointer, WAL writer...) and the postmaster.
	PIDs map[int]bool
	// Sessions counts the database's other sessions by what they are doing: "running" (active,
	// on CPU), "idle in transaction" (waiting for the client inside a transaction), or the wait
	// event of an active session ("Lock:transactionid", "IO:WALSync", ...). Idle sessions are left out.
	Sessions map[string]int
}

// postgresActivity returns a function that reads pg_stat_activity for the database at dbURL. It
// uses its own connection, which the returned close function ends; on any error the function
// returns nil (and the monitor then keeps its last answer).
func postgresActivity(ctx context.Context, dbURL string) (func() *PGActivity, func(), error) {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return nil, nil, err
	}
	var postmaster int
	// A session's parent is the postmaster.
	_ = conn.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&postmaster)
	postmaster = parentPID(postmaster)
	read := func() *PGActivity {
		qctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		rows, err := conn.Query(qctx, `SELECT pid, datname IS NOT NULL AND pid <> pg_backend_pid(), coalesce(state, ''),
				coalesce(wait_event_type, ''), coalesce(wait_event, '')
			FROM pg_stat_activity WHERE datname = current_database() OR datname IS NULL`)
		if err != nil {
			return nil
		}
		a := &PGActivity{PIDs: map[int]bool{postmaster: true}, Sessions: map[string]int{}}
		var (
			pid                         int32
			session                     bool
			state, waitType, waitDetail string
		)
		_, err = pgx.ForEachRow(rows, []any{&pid, &session, &state, &waitType, &waitDetail}, func() error {
			a.PIDs[int(pid)] = true
			switch {
			case !session || state == "idle":
			case state == "active" && waitType == "":
				a.Sessions["running"]++
			case state == "active":
				a.Sessions[waitType+":"+waitDetail]++
			default:
				a.Sessions[state]++
			}
			return nil
		})
		if err != nil {
			return nil
		}
		return a
	}
	return read, func() { conn.Close(context.WithoutCancel(ctx)) }, nil
}

// projectID returns the id of the project the CLI created.
func projectID(ctx context.Context, conn *pgx.Conn, slug string) (int64, error) {
	var id int64
	err := conn.QueryRow(ctx, "SELECT id FROM projects WHERE slug = $1", slug).Scan(&id)
	return id, err
}

// redact hides a URL's password.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
