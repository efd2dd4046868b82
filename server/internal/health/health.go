// Package health decides whether this instance is ready to serve traffic.
package health

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"
)

// Check is the outcome of one readiness check. Message is safe to show to anyone.
type Check struct {
	Name    string
	OK      bool
	Message string
	// Optional checks are reported but do not decide readiness: the instance serves without them.
	Optional bool
}

// Report is the outcome of every readiness check.
type Report struct {
	Ready  bool
	Checks []Check
}

// Database is what the checker needs from the store.
type Database interface {
	Ping(ctx context.Context) error
	MigrationStatus(ctx context.Context) (current bool, pending []string, err error)
}

// PingFunc checks one optional dependency, such as Redis.
type PingFunc func(ctx context.Context) error

// Checker runs the readiness checks.
type Checker struct {
	db     Database
	redis  PingFunc
	logger *slog.Logger
	// migrated records that every migration was seen applied. Migrations are never unapplied while
	// the server runs, so later checks skip the (comparatively slow) status queries.
	migrated atomic.Bool
	// Timeout bounds each check (default 2s).
	Timeout time.Duration
}

// NewChecker returns a Checker. redis is nil when Redis is not configured.
func NewChecker(db Database, redis PingFunc, logger *slog.Logger) *Checker {
	return &Checker{db: db, redis: redis, logger: logger, Timeout: 2 * time.Second}
}

// Check runs every check. The report is ready when every required check passes. Causes are
// logged, not returned.
func (c *Checker) Check(ctx context.Context) Report {
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()

	var checks []Check
	if err := c.db.Ping(ctx); err != nil {
		c.logger.WarnContext(ctx, "readiness: database unreachable", "error", err)
		checks = append(checks,
			Check{Name: "database", Message: "The database is not reachable."},
			Check{Name: "migrations", Message: "Unknown while the database is not reachable."})
	} else {
		checks = append(checks, Check{Name: "database", OK: true}, c.migrations(ctx))
	}
	if c.redis != nil {
		if err := c.redis(ctx); err != nil {
			c.logger.WarnContext(ctx, "readiness: redis unreachable", "error", err)
			// Rate limits fall back to in-process counters, so the instance still serves: taking
			// every instance out of a load balancer because Redis is down would stop ingestion.
			checks = append(checks, Check{Name: "redis", Optional: true,
				Message: "Redis is not reachable; rate limits use in-process counters."})
		} else {
			checks = append(checks, Check{Name: "redis", OK: true, Optional: true})
		}
	}

	ready := true
	for _, ch := range checks {
		ready = ready && (ch.OK || ch.Optional)
	}
	return Report{Ready: ready, Checks: checks}
}

func (c *Checker) migrations(ctx context.Context) Check {
	if c.migrated.Load() {
		return Check{Name: "migrations", OK: true}
	}
	current, pending, err := c.db.MigrationStatus(ctx)
	switch {
	case err != nil:
		c.logger.WarnContext(ctx, "readiness: migration status", "error", err)
		return Check{Name: "migrations", Message: "The migration status could not be read."}
	case !current:
		return Check{Name: "migrations", Message: fmt.Sprintf("%d pending: %s. Run `logister migrate`.",
			len(pending), strings.Join(pending, ", "))}
	}
	c.migrated.Store(true)
	return Check{Name: "migrations", OK: true}
}
