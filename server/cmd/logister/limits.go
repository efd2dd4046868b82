package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/logister/logister/server/internal/config"
	"github.com/logister/logister/server/internal/project"
	"github.com/logister/logister/server/internal/ratelimit"
	"github.com/logister/logister/server/internal/store"
)

const limitsUsage = "usage: logister project limits PROJECT [--requests N|inherit] [--period SECONDS|inherit] [--auth-failures N|inherit]"

// projectLimits runs `project limits`: it applies any overrides given and prints the project's
// effective public API rate limits. Setting overrides is for instance administrators: through the
// admin API (PUT /api/v1/admin/projects/{projectId}/rate-limits), or this command, which whoever
// may reach the database can run.
func projectLimits(ctx context.Context, cfg *config.Config, logger *slog.Logger, args []string, stdout io.Writer) error {
	var change project.RateLimitChange
	fs := flag.NewFlagSet("project limits", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Func("requests", "submissions per key and endpoint per window, or inherit", overrideFlag(&change.Requests))
	fs.Func("period", "window length in seconds, or inherit", overrideFlag(&change.PeriodSeconds))
	fs.Func("auth-failures", "failed authentications per client IP per window, or inherit", overrideFlag(&change.AuthFailures))
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		return usageError(err.Error() + "\n" + limitsUsage)
	}
	if len(positional) != 1 {
		return usageError(limitsUsage)
	}

	db, err := openDatabase(ctx, cfg, logger, true)
	if err != nil {
		return err
	}
	defer db.close(ctx, logger)
	p, err := project.NewService(db.DB, cfg.APIKeyPrefix).SetRateLimits(ctx, positional[0], change)
	if err != nil {
		return err
	}
	if change != (project.RateLimitChange{}) {
		logger.Info("set project rate limits", "slug", p.Slug, "uuid", p.UUID.String())
	}
	return printLimits(stdout, rateLimitPolicy(cfg), p)
}

// overrideFlag parses "inherit" or a whole number into *o.
func overrideFlag(o *project.Override) func(string) error {
	return func(v string) error {
		if v == "inherit" {
			*o = project.Inherit
			return nil
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return errors.New("must be a whole number or inherit")
		}
		*o = project.SetTo(n)
		return nil
	}
}

// printLimits writes one line per limit: its name, its effective value, and where that comes from.
func printLimits(w io.Writer, instance ratelimit.Policy, p *store.Project) error {
	effective := project.RateLimits(instance, p.RateLimits)
	source := func(override *int) string {
		if override != nil {
			return "project override"
		}
		return "instance default"
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "project\t%s\n", p.Slug)
	fmt.Fprintf(tw, "requests\t%d\t%s (per key and endpoint per window)\n", effective.Requests, source(p.RateLimits.Requests))
	fmt.Fprintf(tw, "period\t%d\t%s (seconds)\n", int64(effective.Period/time.Second), source(p.RateLimits.PeriodSeconds))
	fmt.Fprintf(tw, "auth_failures\t%d\t%s (per client IP per window)\n", effective.AuthFailures, source(p.RateLimits.AuthFailures))
	fmt.Fprintf(tw, "pre_auth\t%d\tinstance-wide (per client IP per window, before authentication)\n", effective.PreAuth)
	return tw.Flush()
}
