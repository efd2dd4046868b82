package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Check-in monitors (reference 6.8): one per (project, slug, environment), created and updated by
// ingestion (upsertMonitors), read and paused here.

// The computed statuses of a monitor, most urgent first in the monitors page's order.
const (
	MonitorError  = "error"
	MonitorMissed = "missed"
	MonitorOK     = "ok"
	MonitorPaused = "paused"
)

// MonitorStatusSQL is a monitor's computed status as an SQL expression over the columns of
// check_in_monitors aliased m, at now(): the same rule as MonitorStatus. Precedence: paused, then
// error (the last check-in said "error"), then missed (no check-in within the interval plus the
// grace), then ok.
const MonitorStatusSQL = `(CASE
	WHEN m.paused_at IS NOT NULL THEN 'paused'
	WHEN m.last_status = 'error' THEN 'error'
	WHEN m.last_check_in_at IS NULL OR now() > m.last_check_in_at
		+ make_interval(secs => m.expected_interval_seconds + greatest(m.expected_interval_seconds / 2.0, 30))
		THEN 'missed'
	ELSE 'ok' END)`

// Monitor is a check-in monitor.
type Monitor struct {
	ID                      int64      `bun:"id"`
	UUID                    uuid.UUID  `bun:"uuid"`
	ProjectID               int64      `bun:"project_id"`
	Slug                    string     `bun:"slug"`
	Environment             string     `bun:"environment"`
	ExpectedIntervalSeconds int        `bun:"expected_interval_seconds"`
	LastCheckInAt           time.Time  `bun:"last_check_in_at"` // zero: never checked in
	LastStatus              string     `bun:"last_status"`      // as the last check-in sent it
	LastErrorAt             *time.Time `bun:"last_error_at"`
	CheckInCount            int64      `bun:"check_in_count"`
	PausedAt                *time.Time `bun:"paused_at"`
	PausedByUserID          *int64     `bun:"paused_by_user_id"`
	CreatedAt               time.Time  `bun:"created_at"`
	UpdatedAt               time.Time  `bun:"updated_at"`
}

// minMonitorGrace is the least grace a monitor gets after its interval.
const minMonitorGrace = 30 * time.Second

// Grace is how long after its interval a monitor waits for a check-in before it is missed: half
// the interval, at least 30 seconds.
func (m *Monitor) Grace() time.Duration {
	return max(time.Duration(m.ExpectedIntervalSeconds)*time.Second/2, minMonitorGrace)
}

// NextExpectedAt is when the monitor becomes missed without another check-in.
func (m *Monitor) NextExpectedAt() time.Time {
	return m.LastCheckInAt.Add(time.Duration(m.ExpectedIntervalSeconds)*time.Second + m.Grace())
}

// MonitorStatus is m's computed status at now (MonitorPaused, MonitorError, MonitorMissed or
// MonitorOK); MonitorStatusSQL is the same rule in SQL. Any last status but "error" is healthy.
func MonitorStatus(m *Monitor, now time.Time) string {
	switch {
	case m.PausedAt != nil:
		return MonitorPaused
	case m.LastStatus == "error":
		return MonitorError
	case m.LastCheckInAt.IsZero() || now.After(m.NextExpectedAt()):
		return MonitorMissed
	}
	return MonitorOK
}

// monitorColumns are the columns of Monitor.
const monitorColumns = `id, uuid, project_id, slug, environment, expected_interval_seconds, last_check_in_at,
	last_status, last_error_at, check_in_count, paused_at, paused_by_user_id, created_at, updated_at`

// ListMonitors returns the project's monitors by slug, then environment.
func ListMonitors(ctx context.Context, db bun.IDB, projectID int64) ([]Monitor, error) {
	var list []Monitor
	err := db.NewRaw(`SELECT `+monitorColumns+` FROM check_in_monitors WHERE project_id = ?
		ORDER BY slug, environment, id`, projectID).Scan(ctx, &list)
	if err != nil {
		return nil, fmt.Errorf("store: list monitors: %w", err)
	}
	return list, nil
}

// PauseMonitor pauses the project's monitor with the uuid at the time given, by the user, unless
// it is paused already (then it changes nothing), and returns it. A monitor that does not exist
// or is another project's is sql.ErrNoRows.
func PauseMonitor(ctx context.Context, db bun.IDB, projectID int64, id uuid.UUID, at time.Time, by int64) (*Monitor, error) {
	return setMonitorPause(ctx, db, projectID, id,
		`paused_at = ?, paused_by_user_id = ?`, `paused_at IS NULL`, at, by)
}

// ResumeMonitor resumes the project's paused monitor with the uuid (an active one is returned
// unchanged). A monitor that does not exist or is another project's is sql.ErrNoRows.
func ResumeMonitor(ctx context.Context, db bun.IDB, projectID int64, id uuid.UUID) (*Monitor, error) {
	return setMonitorPause(ctx, db, projectID, id,
		`paused_at = NULL, paused_by_user_id = NULL`, `paused_at IS NOT NULL`)
}

// setMonitorPause applies set to the monitor when it meets cond, and returns the monitor as it is
// then; a monitor that does not meet cond is returned as it was, unwritten.
func setMonitorPause(ctx context.Context, db bun.IDB, projectID int64, id uuid.UUID, set, cond string, setArgs ...any) (*Monitor, error) {
	args := append(append([]any{}, setArgs...), projectID, id, projectID, id)
	var m Monitor
	err := db.NewRaw(`WITH changed AS (
			UPDATE check_in_monitors SET `+set+`, updated_at = now()
			WHERE project_id = ? AND uuid = ? AND `+cond+`
			RETURNING `+monitorColumns+`)
		SELECT * FROM changed
		UNION ALL
		SELECT `+monitorColumns+` FROM check_in_monitors
		WHERE project_id = ? AND uuid = ? AND NOT EXISTS (SELECT FROM changed)`, args...).Scan(ctx, &m)
	if err != nil {
		return nil, fmt.Errorf("store: set monitor %s paused: %w", id, err)
	}
	return &m, nil
}
