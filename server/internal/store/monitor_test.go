package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/store"
	"github.com/logister/logister/server/internal/testdb"
)

// monitorCase is a monitor ago before now, and the status it must have.
type monitorCase struct {
	name       string
	paused     bool
	lastStatus string
	interval   int
	ago        time.Duration
	want       string
}

var monitorCases = []monitorCase{
	{"fresh", false, "ok", 300, time.Minute, store.MonitorOK},
	{"at the deadline (interval + half)", false, "ok", 300, 450 * time.Second, store.MonitorOK},
	{"just after the deadline", false, "ok", 300, 450*time.Second + time.Microsecond, store.MonitorMissed},
	{"grace is at least 30 s: ok", false, "ok", 20, 50 * time.Second, store.MonitorOK},
	{"grace is at least 30 s: missed", false, "ok", 20, 50*time.Second + time.Millisecond, store.MonitorMissed},
	{"half of an odd interval", false, "ok", 61, 91500 * time.Millisecond, store.MonitorOK},
	{"half of an odd interval, passed", false, "ok", 61, 91501 * time.Millisecond, store.MonitorMissed},
	{"error wins over missed", false, "error", 60, 24 * time.Hour, store.MonitorError},
	{"a fresh error", false, "error", 60, time.Second, store.MonitorError},
	{"any other status is healthy", false, "in_progress", 3600, time.Minute, store.MonitorOK},
	{"status is case-sensitive", false, "ERROR", 3600, time.Minute, store.MonitorOK},
	{"an unknown status can be missed", false, "in_progress", 60, time.Hour, store.MonitorMissed},
	{"paused wins over error", true, "error", 60, time.Minute, store.MonitorPaused},
	{"paused wins over missed", true, "ok", 60, 24 * time.Hour, store.MonitorPaused},
	{"checked in later than now (clock skew)", false, "ok", 60, -time.Hour, store.MonitorOK},
}

func TestMonitorStatusRule(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	for _, c := range monitorCases {
		m := &store.Monitor{LastStatus: c.lastStatus, ExpectedIntervalSeconds: c.interval, LastCheckInAt: now.Add(-c.ago)}
		if c.paused {
			m.PausedAt = &now
		}
		require.Equal(t, c.want, store.MonitorStatus(m, now), c.name)
	}
	never := &store.Monitor{LastStatus: "ok", ExpectedIntervalSeconds: 60}
	require.Equal(t, store.MonitorMissed, store.MonitorStatus(never, now), "never checked in")

	m := &store.Monitor{ExpectedIntervalSeconds: 3600, LastCheckInAt: now}
	require.Equal(t, 30*time.Minute, m.Grace())
	require.Equal(t, now.Add(90*time.Minute), m.NextExpectedAt())
	m.ExpectedIntervalSeconds = 10
	require.Equal(t, 30*time.Second, m.Grace())
	require.Equal(t, now.Add(40*time.Second), m.NextExpectedAt())
}

// TestMonitorStatusSQLAgrees evaluates MonitorStatusSQL (which the dashboard counts with) on the
// same cases as MonitorStatus, at the database's now().
func TestMonitorStatusSQLAgrees(t *testing.T) {
	t.Parallel()
	st := testdb.New(t)
	ctx := context.Background()
	projectID := inboxProject(t, st, "monitors")
	err := pgx.BeginTxFunc(ctx, st.Pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		var now time.Time
		if err := tx.QueryRow(ctx, `SELECT now()`).Scan(&now); err != nil {
			return err
		}
		for i, c := range monitorCases {
			var paused *time.Time
			if c.paused {
				paused = &now
			}
			if _, err := tx.Exec(ctx, `INSERT INTO check_in_monitors (project_id, slug, expected_interval_seconds,
				last_check_in_at, last_status, paused_at) VALUES ($1, $2, $3, $4, $5, $6)`,
				projectID, c.name, c.interval, now.Add(-c.ago), c.lastStatus, paused); err != nil {
				return err
			}
			var got string
			if err := tx.QueryRow(ctx, `SELECT `+store.MonitorStatusSQL+` FROM check_in_monitors m
				WHERE m.project_id = $1 AND m.slug = $2`, projectID, c.name).Scan(&got); err != nil {
				return err
			}
			require.Equal(t, c.want, got, "case %d: %s", i, c.name)
		}
		return nil
	})
	require.NoError(t, err)
}
