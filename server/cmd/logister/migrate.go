package main

import (
	"context"
	"log/slog"

	"github.com/logister/logister/server/internal/config"
)

// migrate applies pending migrations and exits.
func migrate(ctx context.Context, cfg *config.Config, logger *slog.Logger) error {
	db, err := openDatabase(ctx, cfg, logger, false)
	if err != nil {
		return err
	}
	defer db.close(ctx, logger)
	logger.Info("database is up to date")
	return nil
}
