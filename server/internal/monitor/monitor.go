// Package monitor serves a project's check-in monitors (reference 6.8): the list with each
// monitor's status computed at the service's clock (store.MonitorStatus), and pausing and
// resuming. Ingestion creates and updates monitors (store.WriteBatch). Callers have checked the
// caller's access to the project; everything here is confined to it.
package monitor

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/store"
)

// Service runs the monitor use cases. Its methods are safe for concurrent use.
type Service struct {
	db  bun.IDB
	now func() time.Time
}

// New returns a Service on db; now is the clock (nil: time.Now).
func New(db bun.IDB, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, now: now}
}

// Monitor is a monitor with its status at the time it was read.
type Monitor struct {
	store.Monitor
	// Status is store.MonitorOK, MonitorMissed, MonitorError or MonitorPaused.
	Status string
}

// Counts count monitors by status.
type Counts struct {
	OK, Missed, Error, Paused int64
}

// List is a project's monitors, most urgent first, and their counts by status.
type List struct {
	Monitors []Monitor
	Counts   Counts
}

// statusRank orders the statuses, most urgent first.
var statusRank = map[string]int{store.MonitorError: 0, store.MonitorMissed: 1, store.MonitorOK: 2, store.MonitorPaused: 3}

// List returns the project's monitors: error, missed, ok, then paused ones, each by slug and
// environment.
func (s *Service) List(ctx context.Context, projectID int64) (*List, error) {
	rows, err := store.ListMonitors(ctx, s.db, projectID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	out := &List{Monitors: make([]Monitor, 0, len(rows))}
	for i := range rows {
		m := Monitor{Monitor: rows[i], Status: store.MonitorStatus(&rows[i], now)}
		switch m.Status {
		case store.MonitorError:
			out.Counts.Error++
		case store.MonitorMissed:
			out.Counts.Missed++
		case store.MonitorOK:
			out.Counts.OK++
		case store.MonitorPaused:
			out.Counts.Paused++
		}
		out.Monitors = append(out.Monitors, m)
	}
	// Stable: the store's order (slug, environment) stays within a status.
	slices.SortStableFunc(out.Monitors, func(a, b Monitor) int {
		return cmp.Compare(statusRank[a.Status], statusRank[b.Status])
	})
	return out, nil
}

// Pause pauses the project's monitor with the uuid on behalf of the user; pausing a paused
// monitor changes nothing.
//
// Errors: apperr NotFound when the project has no such monitor.
func (s *Service) Pause(ctx context.Context, projectID int64, id uuid.UUID, by int64) (*Monitor, error) {
	now := s.now()
	m, err := store.PauseMonitor(ctx, s.db, projectID, id, now, by)
	return s.result(m, err, now)
}

// Resume resumes the project's paused monitor with the uuid; resuming an active monitor changes
// nothing.
//
// Errors: apperr NotFound when the project has no such monitor.
func (s *Service) Resume(ctx context.Context, projectID int64, id uuid.UUID) (*Monitor, error) {
	m, err := store.ResumeMonitor(ctx, s.db, projectID, id)
	return s.result(m, err, s.now())
}

func (s *Service) result(m *store.Monitor, err error, now time.Time) (*Monitor, error) {
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.NotFound("No such monitor.")
	}
	if err != nil {
		return nil, err
	}
	return &Monitor{Monitor: *m, Status: store.MonitorStatus(m, now)}, nil
}
