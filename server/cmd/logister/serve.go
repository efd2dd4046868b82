package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/logister/logister/frontend"
	"github.com/logister/logister/server/internal/buildinfo"
	"github.com/logister/logister/server/internal/config"
	"github.com/logister/logister/server/internal/dashboard"
	"github.com/logister/logister/server/internal/deploy"
	"github.com/logister/logister/server/internal/groupcommit"
	"github.com/logister/logister/server/internal/health"
	"github.com/logister/logister/server/internal/httpapi"
	"github.com/logister/logister/server/internal/intake"
	"github.com/logister/logister/server/internal/mail"
	"github.com/logister/logister/server/internal/metrics"
	"github.com/logister/logister/server/internal/monitor"
	"github.com/logister/logister/server/internal/project"
	"github.com/logister/logister/server/internal/ratelimit"
	"github.com/logister/logister/server/internal/setup"
	"github.com/logister/logister/server/internal/store"
	"github.com/logister/logister/server/internal/telemetry"
	"github.com/logister/logister/server/internal/triage"
)

// serve runs the server until ctx is cancelled (SIGINT or SIGTERM), then shuts down in order:
// stop accepting, finish in-flight requests, close the database, stop the private cluster.
func serve(ctx context.Context, cfg *config.Config, logger *slog.Logger, stdout io.Writer) error {
	db, err := openDatabase(ctx, cfg, logger, false)
	if err != nil {
		return err
	}
	defer db.close(ctx, logger)

	var redisPing health.PingFunc
	if cfg.RedisURL != "" {
		opts, err := redis.ParseURL(cfg.RedisURL)
		if err != nil {
			return errors.New("REDIS_URL is not a valid Redis URL")
		}
		rdb := redis.NewClient(opts)
		defer rdb.Close()
		redisPing = func(ctx context.Context) error { return rdb.Ping(ctx).Err() }
	}

	// Daily partitions of telemetry and spans, a week ahead, checked hourly, and expired idempotency
	// keys pruned. (This moves to River periodic jobs when the job worker lands.)
	if err := db.EnsurePartitions(ctx, time.Now(), partitionDaysAhead); err != nil {
		return err
	}
	go maintain(ctx, db, logger)

	reg := metrics.New(db.SQLDB())
	limiter, closeLimiter, err := newRateLimiter(cfg, logger, reg)
	if err != nil {
		return err
	}
	defer closeLimiter()
	committer := groupcommit.New(db.Store, groupcommit.Options{Observe: reg.ObserveCommit})
	defer committer.Close() // after the HTTP server has drained: nothing acknowledged is left behind

	// Snoozed ignores whose time has come reopen every 30 s (safe with several instances).
	issues := triage.New(db.Store, nil)
	go issues.SweepSnoozes(ctx, logger)

	outbox := mail.NewOutbox(db.DB, logger)
	accounts := newAccounts(cfg, db.DB, outbox)
	setupSvc := setup.New(db.DB, accounts)
	app, built := frontend.App()
	if !built {
		logger.Warn("this binary was built without the web app; run `make build` to include it")
	}
	projects := newProjects(cfg, db.DB, accounts, logger)
	intakeSvc := intake.NewService(committer, db.Store)
	intakeSvc.GitHubWebURL = cfg.GitHubWebURL
	e, err := httpapi.New(httpapi.Deps{
		Logger:         logger,
		Metrics:        reg,
		Health:         health.NewChecker(db, redisPing, logger),
		Setup:          setupSvc,
		Accounts:       accounts,
		PublicURL:      cfg.PublicURL,
		Mail:           outbox,
		Projects:       projects,
		InstanceName:   cfg.InstanceName,
		Version:        buildinfo.Version(),
		Commit:         buildinfo.Commit(),
		App:            app,
		Auth:           project.NewAuthenticator(db.DB),
		Intake:         intakeSvc,
		Issues:         issues,
		Telemetry:      telemetry.New(db.Store, nil),
		Dashboard:      dashboard.New(db.Store, projects, nil),
		Monitors:       monitor.New(db.DB, nil),
		Deployments:    deploy.New(db.DB, cfg.GitHubWebURL),
		RateLimiter:    limiter,
		RateLimits:     rateLimitPolicy(cfg),
		TrustedProxies: cfg.TrustedProxies,
	})
	if err != nil {
		return err
	}

	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", cfg.ListenAddr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.ListenAddr, err)
	}
	srv := &http.Server{
		Handler:           e,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	// The new setup link replaces the last one before anything is served, so the old link never
	// answers from this process.
	token, err := setupSvc.IssueToken(ctx, cfg.SetupToken)
	if err != nil {
		return err
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	if cfg.DebugAddr != "" {
		stopDebug, err := serveDebug(ctx, cfg.DebugAddr, logger)
		if err != nil {
			return err
		}
		defer stopDebug()
	}

	logger.Info("logister is serving", "addr", ln.Addr().String(), "url", cfg.PublicURL.String(),
		"version", buildinfo.Version())
	fmt.Fprintf(stdout, "Logister %s is running at %s\n", buildinfo.Version(), cfg.PublicURL)
	if db.cluster != nil {
		fmt.Fprintf(stdout, "Database: private PostgreSQL cluster in %s (port %d)\n", db.cluster.Dir(), db.cluster.Port())
	}
	if token != "" {
		fmt.Fprintf(stdout, "Create the first administrator (one-time link, valid for %s):\n  %s/setup/%s\n",
			setup.TokenTTL, cfg.PublicURL, token)
	}

	select {
	case err := <-serveErr:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down", "timeout", cfg.ShutdownTimeout.String())
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		logger.Warn("in-flight requests did not finish in time", "error", err.Error())
	}
	logger.Info("stopped")
	return nil
}

// serveDebug serves Go's pprof profiles on their own listener, apart from the public handler.
func serveDebug(ctx context.Context, addr string, logger *slog.Logger) (stop func(), err error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on LOGISTER_DEBUG_ADDR %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	logger.Info("serving pprof profiles", "addr", ln.Addr().String())
	return func() { _ = srv.Close() }, nil
}

// partitionDaysAhead is how many days of telemetry partitions exist ahead of today.
const partitionDaysAhead = 7

// maintain runs the hourly upkeep of the ingestion tables until ctx ends.
func maintain(ctx context.Context, db *database, logger *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			if err := db.EnsurePartitions(ctx, now, partitionDaysAhead); err != nil && ctx.Err() == nil {
				logger.Error("creating telemetry partitions", "error", err.Error())
			}
			if n, err := db.PruneIdempotencyKeys(ctx, now.Add(-store.IdempotencyRetention)); err != nil && ctx.Err() == nil {
				logger.Error("pruning idempotency keys", "error", err.Error())
			} else if n > 0 {
				logger.Info("pruned idempotency keys", "count", n)
			}
		}
	}
}

// rateLimitPolicy is the instance's public API rate-limit policy.
func rateLimitPolicy(cfg *config.Config) ratelimit.Policy {
	return ratelimit.Policy{Requests: cfg.RateLimits.Requests, AuthFailures: cfg.RateLimits.AuthFailures,
		PreAuth: cfg.RateLimits.PreAuth, Period: cfg.RateLimits.Period}.WithDefaults()
}

// newRateLimiter returns the public API's rate limiter: counters in Redis when REDIS_RATE_LIMIT_URL
// or REDIS_URL is set (with its own client and short timeouts), else in process.
func newRateLimiter(cfg *config.Config, logger *slog.Logger, reg *metrics.Registry) (*ratelimit.Limiter, func(), error) {
	opts := ratelimit.Options{Logger: logger, OnFallback: reg.SetRateLimitFallback, OnRedisError: reg.ObserveRateLimitRedisError}
	if cfg.RateLimits.RedisURL == "" {
		return ratelimit.New(opts), func() {}, nil
	}
	rdb, err := ratelimit.NewRedisClient(cfg.RateLimits.RedisURL)
	if err != nil {
		return nil, nil, errors.New("REDIS_RATE_LIMIT_URL (or REDIS_URL) is not a valid Redis URL")
	}
	// go-redis would log every failed dial; the limiter warns about an unreachable Redis itself, once
	// a minute.
	redis.SetLogger(redisLogger{logger})
	opts.Redis = rdb
	logger.Info("rate limits are counted in Redis", "addr", rdb.Options().Addr)
	return ratelimit.New(opts), func() { _ = rdb.Close() }, nil
}

// redisLogger passes go-redis's internal messages to the log at debug level.
type redisLogger struct{ logger *slog.Logger }

func (l redisLogger) Printf(ctx context.Context, format string, v ...any) {
	l.logger.DebugContext(ctx, "redis: "+fmt.Sprintf(format, v...))
}
