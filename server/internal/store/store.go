// Package store holds every PostgreSQL model and query of Logister, through bun on the pgx driver.
// Functions take a bun.IDB so they run inside or outside a transaction.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// Store is the database handle shared by the whole process: bun for ordinary queries, and the
// pgx pool under it for the ingestion hot path (COPY, batched statements).
type Store struct {
	DB   *bun.DB
	Pool *pgxpool.Pool

	groups groupCache // error group ids of the ingestion path
}

// OpenOptions tune Open.
type OpenOptions struct {
	// MaxConns caps the connection pool (default 20).
	MaxConns int
	// WaitFor is how long Open keeps retrying while the server refuses connections (default 0: one try).
	WaitFor time.Duration
}

// Open connects to the PostgreSQL server at databaseURL and checks that it answers.
func Open(ctx context.Context, databaseURL string, opts OpenOptions) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		// The parse error can echo the URL, password included; keep it out of logs.
		return nil, errors.New("store: DATABASE_URL is not a valid PostgreSQL connection string")
	}
	if _, ok := cfg.ConnConfig.RuntimeParams["application_name"]; !ok {
		cfg.ConnConfig.RuntimeParams["application_name"] = "logister"
	}
	// Logister's queries are short: compiling them with LLVM costs more than running them, and
	// PostgreSQL's cost estimates can switch JIT on for inbox queries over large projects.
	if _, ok := cfg.ConnConfig.RuntimeParams["jit"]; !ok {
		cfg.ConnConfig.RuntimeParams["jit"] = "off"
	}
	maxConns := opts.MaxConns
	if maxConns <= 0 {
		maxConns = 20
	}
	cfg.MaxConns = int32(min(maxConns, 10_000)) //nolint:gosec // bounded just above
	cfg.MaxConnIdleTime = 5 * time.Minute
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: connect: %w", err)
	}

	deadline := time.Now().Add(opts.WaitFor)
	for {
		pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err = pool.Ping(pingCtx)
		cancel()
		if err == nil {
			break
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			pool.Close()
			return nil, fmt.Errorf("store: cannot reach PostgreSQL at %s:%d: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Port, err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(250 * time.Millisecond):
		}
	}
	// database/sql (for bun and River's driver) borrows connections from the same pool.
	sqldb := stdlib.OpenDBFromPool(pool)
	return &Store{DB: bun.NewDB(sqldb, pgdialect.New()), Pool: pool}, nil
}

// Close closes the connection pool.
func (s *Store) Close() error {
	err := s.DB.Close()
	s.Pool.Close()
	return err
}

// SQLDB is the underlying database/sql handle, for River's driver and pool metrics.
func (s *Store) SQLDB() *sql.DB { return s.DB.DB }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	return s.Pool.Ping(ctx)
}
