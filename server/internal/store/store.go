// Package store holds every PostgreSQL model and query of Logister, through bun on the pgx driver.
// Functions take a bun.IDB so they run inside or outside a transaction.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// Store is the database handle shared by the whole process.
type Store struct {
	DB *bun.DB
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
	cfg, err := pgx.ParseConfig(databaseURL)
	if err != nil {
		// The parse error can echo the URL, password included; keep it out of logs.
		return nil, errors.New("store: DATABASE_URL is not a valid PostgreSQL connection string")
	}
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	if _, ok := cfg.RuntimeParams["application_name"]; !ok {
		cfg.RuntimeParams["application_name"] = "logister"
	}
	sqldb := stdlib.OpenDB(*cfg)
	maxConns := opts.MaxConns
	if maxConns <= 0 {
		maxConns = 20
	}
	sqldb.SetMaxOpenConns(maxConns)
	sqldb.SetMaxIdleConns(maxConns)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)

	deadline := time.Now().Add(opts.WaitFor)
	for {
		pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err = sqldb.PingContext(pingCtx)
		cancel()
		if err == nil {
			break
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			_ = sqldb.Close()
			return nil, fmt.Errorf("store: cannot reach PostgreSQL at %s:%d: %w", cfg.Host, cfg.Port, err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(250 * time.Millisecond):
		}
	}
	return &Store{DB: bun.NewDB(sqldb, pgdialect.New())}, nil
}

// Close closes the connection pool.
func (s *Store) Close() error { return s.DB.Close() }

// SQLDB is the underlying database/sql handle, for River's driver and pool metrics.
func (s *Store) SQLDB() *sql.DB { return s.DB.DB }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	return s.DB.PingContext(ctx)
}
