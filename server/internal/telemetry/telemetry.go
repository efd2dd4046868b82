// Package telemetry serves the reads of a project's telemetry: the events feed (logs, metrics,
// transactions and check-ins; reference 6.4) and traces (the list of root spans, and a trace's
// spans as a tree with its error occurrences). Callers have checked the caller's access to the
// project; every operation here is confined to that project.
package telemetry

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/store"
)

// Service runs the telemetry reads. Its methods are safe for concurrent use.
type Service struct {
	st  *store.Store
	now func() time.Time
}

// New returns a Service on st; now is the clock (nil: time.Now).
func New(st *store.Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{st: st, now: now}
}

// Periods are how far back lists look, by name; "all" has no bound.
var Periods = map[string]time.Duration{
	"24h": 24 * time.Hour,
	"7d":  7 * 24 * time.Hour,
	"30d": 30 * 24 * time.Hour,
	"90d": 90 * 24 * time.Hour,
	"all": 0,
}

// DefaultPeriod is the period of a list that names none.
const DefaultPeriod = "24h"

// since resolves a period name to its lower bound (zero for "all") and its canonical name.
func (s *Service) since(period string) (time.Time, string, error) {
	if period == "" {
		period = DefaultPeriod
	}
	d, ok := Periods[period]
	if !ok {
		return time.Time{}, "", apperr.Invalid("invalid_period", "The period must be 24h, 7d, 30d, 90d or all.")
	}
	if d == 0 {
		return time.Time{}, period, nil
	}
	return s.now().Add(-d), period, nil
}

func errCursor(err error) error {
	if errors.Is(err, store.ErrInvalidCursor) {
		return apperr.Invalid("invalid_cursor", "This cursor does not belong to this list and its filters; start again from the first page.")
	}
	return err
}

// EventQuery is what the events feed is asked for. Empty fields do not filter.
type EventQuery struct {
	Type        string // log, metric, transaction or check_in
	Period      string // 24h (default), 7d, 30d, 90d or all
	Text        string
	Environment string
	Release     string
	Cursor      string
	Limit       int // 1..100; 0 means 50
}

// Events lists a page of the project's telemetry, newest first.
//
// Errors: apperr Invalid "invalid_type", "invalid_period", "invalid_cursor".
func (s *Service) Events(ctx context.Context, projectID int64, q EventQuery) (*store.FeedPage, error) {
	if q.Type != "" && !slices.Contains(store.TelemetryTypes, q.Type) {
		return nil, apperr.Invalid("invalid_type", "The type must be log, metric, transaction or check_in.")
	}
	since, period, err := s.since(q.Period)
	if err != nil {
		return nil, err
	}
	page, err := s.st.ListFeed(ctx, projectID, store.FeedQuery{
		Type: q.Type, Since: since, Period: period, Text: q.Text, Environment: q.Environment, Release: q.Release,
	}, q.Cursor, q.Limit)
	if err != nil {
		return nil, errCursor(err)
	}
	return page, nil
}

// TraceQuery is what the trace list is asked for.
type TraceQuery struct {
	Period string // 24h (default), 7d, 30d, 90d or all
	Text   string // in the root span's name
	Cursor string
	Limit  int // 1..100; 0 means 50
}

// Traces lists a page of the project's traces by their root spans, newest first.
//
// Errors: apperr Invalid "invalid_period", "invalid_cursor".
func (s *Service) Traces(ctx context.Context, projectID int64, q TraceQuery) (*store.TracePage, error) {
	since, period, err := s.since(q.Period)
	if err != nil {
		return nil, err
	}
	page, err := s.st.ListTraces(ctx, projectID, store.TraceQuery{Since: since, Period: period, Text: q.Text}, q.Cursor, q.Limit)
	if err != nil {
		return nil, errCursor(err)
	}
	return page, nil
}
