package store

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"log/slog"
	"strings"

	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/uptrace/bun/migrate"

	"github.com/logister/logister/migrations"
)

// migrationLockKey is the advisory lock that serialises migrations across processes.
var migrationLockKey = func() int64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte("logister:migrate"))
	return int64(h.Sum64())
}()

// MigrationResult says what Migrate applied.
type MigrationResult struct {
	// River lists River's migration versions applied by this call.
	River []int
	// App lists Logister's migrations applied by this call.
	App []string
}

// Migrate applies River's and Logister's pending migrations. It holds a PostgreSQL advisory lock
// while it runs, so several processes starting at once apply each migration exactly once.
func (s *Store) Migrate(ctx context.Context) (*MigrationResult, error) {
	conn, err := s.DB.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: migrate: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(?)", migrationLockKey); err != nil {
		return nil, fmt.Errorf("store: migrate: take lock: %w", err)
	}
	defer func() {
		// A fresh context: the lock must be released even when ctx is already cancelled.
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(?)", migrationLockKey)
	}()

	var res MigrationResult
	riverMigrator, err := s.riverMigrator()
	if err != nil {
		return nil, err
	}
	rr, err := riverMigrator.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return nil, fmt.Errorf("store: migrate river: %w", err)
	}
	for _, v := range rr.Versions {
		res.River = append(res.River, v.Version)
	}

	m, err := s.appMigrator()
	if err != nil {
		return nil, err
	}
	if err := m.Init(ctx); err != nil {
		return nil, fmt.Errorf("store: migrate: init: %w", err)
	}
	group, err := m.Migrate(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: migrate: %w", err)
	}
	for _, mig := range group.Migrations {
		res.App = append(res.App, mig.String())
	}
	return &res, nil
}

// MigrationStatus reports whether every migration is applied; when not, Pending names what is missing.
func (s *Store) MigrationStatus(ctx context.Context) (current bool, pending []string, err error) {
	riverMigrator, err := s.riverMigrator()
	if err != nil {
		return false, nil, err
	}
	vr, err := riverMigrator.Validate(ctx, nil)
	if err != nil {
		return false, nil, fmt.Errorf("store: river migration status: %w", err)
	}
	if !vr.OK {
		pending = append(pending, "river: "+strings.Join(vr.Messages, "; "))
	}

	m, err := s.appMigrator()
	if err != nil {
		return false, nil, err
	}
	var exists bool
	if err := s.DB.NewRaw("SELECT to_regclass('bun_migrations') IS NOT NULL").Scan(ctx, &exists); err != nil {
		return false, nil, fmt.Errorf("store: migration status: %w", err)
	}
	if !exists {
		return false, append(pending, "logister: no migrations applied"), nil
	}
	ms, err := m.MigrationsWithStatus(ctx)
	if err != nil {
		return false, nil, fmt.Errorf("store: migration status: %w", err)
	}
	for _, mig := range ms.Unapplied() {
		pending = append(pending, "logister: "+mig.String())
	}
	return len(pending) == 0, pending, nil
}

func (s *Store) riverMigrator() (*rivermigrate.Migrator[*sql.Tx], error) {
	m, err := rivermigrate.New(riverdatabasesql.New(s.SQLDB()), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return nil, fmt.Errorf("store: river migrator: %w", err)
	}
	return m, nil
}

func (s *Store) appMigrator() (*migrate.Migrator, error) {
	ms := migrate.NewMigrations()
	if err := ms.Discover(migrations.FS); err != nil {
		return nil, fmt.Errorf("store: read migrations: %w", err)
	}
	return migrate.NewMigrator(s.DB, ms, migrate.WithMarkAppliedOnSuccess(true)), nil
}
