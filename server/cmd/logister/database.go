package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/logister/logister/server/internal/config"
	"github.com/logister/logister/server/internal/pgcluster"
	"github.com/logister/logister/server/internal/store"
)

// database is an open, migrated store and, in the zero-config case, the private cluster under it.
type database struct {
	*store.Store
	cluster *pgcluster.Cluster
}

// openDatabase connects to DATABASE_URL, or starts the private cluster when it is unset, then
// applies pending migrations. shared lets a short-lived command use the cluster of a running
// `logister serve` on the same data directory.
func openDatabase(ctx context.Context, cfg *config.Config, logger *slog.Logger, shared bool) (*database, error) {
	db := &database{}
	url := cfg.DatabaseURL
	if url == "" {
		cluster, err := pgcluster.Start(ctx, pgcluster.Options{
			DataDir: cfg.DataDir, BinDir: cfg.PostgresBinDir, Logger: logger, Shared: shared,
		})
		if err != nil {
			return nil, err
		}
		db.cluster = cluster
		url = cluster.URL()
		logger.Info("using the private PostgreSQL cluster", "dir", cluster.Dir(), "port", cluster.Port(),
			"password_file", cfg.DataDir+"/postgres.password")
	}

	st, err := store.Open(ctx, url, store.OpenOptions{MaxConns: cfg.DBMaxConns, WaitFor: 30 * time.Second})
	if err != nil {
		db.close(ctx, logger)
		return nil, err
	}
	db.Store = st
	res, err := st.Migrate(ctx)
	if err != nil {
		db.close(ctx, logger)
		return nil, err
	}
	if len(res.River) > 0 || len(res.App) > 0 {
		logger.Info("applied migrations", "river", res.River, "logister", res.App)
	}
	return db, nil
}

// close closes the pool and stops the private cluster, if any.
func (db *database) close(ctx context.Context, logger *slog.Logger) {
	if db.Store != nil {
		_ = db.Close()
	}
	if db.cluster != nil {
		if err := db.cluster.Stop(context.WithoutCancel(ctx)); err != nil {
			logger.Error("stopping the private PostgreSQL cluster", "error", err.Error())
		}
	}
}
