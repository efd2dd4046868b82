package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// The cross-project dashboard (reference 6.9): counts over a set of projects (the caller decides
// which: the user's active ones). Every count is a range scan of an existing index, once per
// project (and per type for telemetry), so the cost follows the last day's volume, not the
// tables' size:
//   - issues: one pass over the projects' groups (error_groups_inbox_idx, project_id first);
//   - errors of the last day: error_events_project_idx, index only;
//   - telemetry of the last day: telemetry_events_project_idx per type, index only;
//   - latest event: the same indexes, newest entry first;
//   - monitors: check_in_monitors' (project_id, slug, environment) key, with MonitorStatusSQL.

// Dashboard lists sizes.
const (
	DashboardAssignedIssues = 5
	DashboardNeedsAttention = 6
)

// DashboardProjectStats are one project's numbers.
type DashboardProjectStats struct {
	ProjectID      int64
	OpenIssues     int64 // unresolved groups
	NewIssues24h   int64 // groups first seen since Since
	AssignedToUser int64 // unresolved groups assigned to the user
	Unassigned     int64 // unresolved groups assigned to nobody
	// Events24h counts the events of each type (error, log, metric, transaction, check_in) that
	// occurred since Since.
	Events24h map[string]int64
	// Monitors counts the monitors of each computed status (MonitorOK, ...).
	Monitors map[string]int64
	// LastEventAt is the latest occurred_at of any event; nil when there is none.
	LastEventAt *time.Time
}

// DashboardIssue is an issue of one of the dashboard's projects.
type DashboardIssue struct {
	InboxGroup
	ProjectID int64
}

// DashboardData is what the dashboard reads.
type DashboardData struct {
	// Projects holds the stats of each project asked for, in the order asked.
	Projects []DashboardProjectStats
	// Assigned are the most recently seen unresolved issues assigned to the user (at most
	// DashboardAssignedIssues); NeedsAttention the most recently seen unresolved ones (at most
	// DashboardNeedsAttention).
	Assigned       []DashboardIssue
	NeedsAttention []DashboardIssue
}

// Dashboard reads the dashboard's numbers over the projects: groups first seen and events that
// occurred at or after since count as the last day's; userID is the user whose assignments count.
func (s *Store) Dashboard(ctx context.Context, projectIDs []int64, userID int64, since time.Time) (*DashboardData, error) {
	out := &DashboardData{Projects: make([]DashboardProjectStats, len(projectIDs))}
	if len(projectIDs) == 0 {
		return out, nil
	}
	index := make(map[int64]*DashboardProjectStats, len(projectIDs))
	for i, id := range projectIDs {
		out.Projects[i] = DashboardProjectStats{ProjectID: id, Events24h: map[string]int64{}, Monitors: map[string]int64{}}
		index[id] = &out.Projects[i]
	}
	err := s.readTx(ctx, func(tx pgx.Tx) error {
		steps := []func(context.Context, pgx.Tx, []int64, int64, time.Time, map[int64]*DashboardProjectStats) error{
			dashboardGroups, dashboardEvents, dashboardLastEvents, dashboardMonitors,
		}
		for _, step := range steps {
			if err := step(ctx, tx, projectIDs, userID, since, index); err != nil {
				return err
			}
		}
		var err error
		// The user's assignments are few: the partial assignee index finds them all.
		out.Assigned, err = dashboardIssues(ctx, tx, dashboardAssignedSQL, projectIDs, userID, DashboardAssignedIssues)
		if err != nil {
			return err
		}
		out.NeedsAttention, err = dashboardIssues(ctx, tx, dashboardAttentionSQL, projectIDs, DashboardNeedsAttention)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: dashboard: %w", err)
	}
	return out, nil
}

// dashboardAssignedSQL selects the user's ($2) most recently seen open groups of the projects ($1),
// $3 of them. The user's assignments are few: the partial assignee index finds them all.
const dashboardAssignedSQL = `SELECT ` + inboxColumns + `, 0::bigint, 0::bigint, g.project_id
	FROM error_groups g
	WHERE g.assigned_user_id = $2 AND g.project_id = ANY($1) AND g.status = 'unresolved'
	ORDER BY g.last_seen_at DESC, g.id DESC LIMIT $3`

// dashboardAttentionSQL selects the most recently seen open groups of the projects ($1), $2 of
// them: the newest of each project (error_groups_inbox_idx), then of them all.
const dashboardAttentionSQL = `SELECT g.* FROM unnest($1::bigint[]) p(id)
	CROSS JOIN LATERAL (SELECT ` + inboxColumns + `, 0::bigint, 0::bigint, g.project_id
		FROM error_groups g WHERE g.project_id = p.id AND g.status = 'unresolved'
		ORDER BY g.last_seen_at DESC, g.id DESC LIMIT $2) g
	ORDER BY g.last_seen_at DESC, g.id DESC LIMIT $2`

func dashboardGroups(ctx context.Context, tx pgx.Tx, ids []int64, userID int64, since time.Time, into map[int64]*DashboardProjectStats) error {
	rows, err := tx.Query(ctx, `SELECT project_id,
		count(*) FILTER (WHERE status = 'unresolved'),
		count(*) FILTER (WHERE first_seen_at >= $2),
		count(*) FILTER (WHERE status = 'unresolved' AND assigned_user_id = $3),
		count(*) FILTER (WHERE status = 'unresolved' AND assigned_user_id IS NULL)
		FROM error_groups WHERE project_id = ANY($1) GROUP BY project_id`, ids, since, userID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, open, fresh, mine, nobody int64
		if err := rows.Scan(&id, &open, &fresh, &mine, &nobody); err != nil {
			return err
		}
		if p := into[id]; p != nil {
			p.OpenIssues, p.NewIssues24h, p.AssignedToUser, p.Unassigned = open, fresh, mine, nobody
		}
	}
	return rows.Err()
}

func dashboardEvents(ctx context.Context, tx pgx.Tx, ids []int64, _ int64, since time.Time, into map[int64]*DashboardProjectStats) error {
	rows, err := tx.Query(ctx, `SELECT p.id, 'error', (SELECT count(*) FROM error_events e
			WHERE e.project_id = p.id AND e.occurred_at >= $2)
		FROM unnest($1::bigint[]) p(id)
		UNION ALL
		SELECT p.id, t.type, (SELECT count(*) FROM telemetry_events e
			WHERE e.project_id = p.id AND e.event_type = t.type AND e.occurred_at >= $2)
		FROM unnest($1::bigint[]) p(id) CROSS JOIN unnest($3::text[]) t(type)`, ids, since, TelemetryTypes)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, n int64
		var typ string
		if err := rows.Scan(&id, &typ, &n); err != nil {
			return err
		}
		if p := into[id]; p != nil {
			p.Events24h[typ] = n
		}
	}
	return rows.Err()
}

func dashboardLastEvents(ctx context.Context, tx pgx.Tx, ids []int64, _ int64, _ time.Time, into map[int64]*DashboardProjectStats) error {
	rows, err := tx.Query(ctx, `SELECT p.id, greatest(
			(SELECT max(e.occurred_at) FROM error_events e WHERE e.project_id = p.id),
			(SELECT max(t.last) FROM unnest($2::text[]) ty(type) CROSS JOIN LATERAL (
				SELECT max(e.occurred_at) AS last FROM telemetry_events e
				WHERE e.project_id = p.id AND e.event_type = ty.type) t))
		FROM unnest($1::bigint[]) p(id)`, ids, TelemetryTypes)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var last *time.Time
		if err := rows.Scan(&id, &last); err != nil {
			return err
		}
		if p := into[id]; p != nil {
			p.LastEventAt = last
		}
	}
	return rows.Err()
}

// dashboardMonitorsSQL counts the monitors of the projects ($1) per project and computed status.
const dashboardMonitorsSQL = `SELECT m.project_id, ` + MonitorStatusSQL + ` AS status, count(*)
	FROM check_in_monitors m WHERE m.project_id = ANY($1) GROUP BY 1, 2`

func dashboardMonitors(ctx context.Context, tx pgx.Tx, ids []int64, _ int64, _ time.Time, into map[int64]*DashboardProjectStats) error {
	rows, err := tx.Query(ctx, dashboardMonitorsSQL, ids)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, n int64
		var status string
		if err := rows.Scan(&id, &status, &n); err != nil {
			return err
		}
		if p := into[id]; p != nil {
			p.Monitors[status] = n
		}
	}
	return rows.Err()
}

// appendScan scans a row's leading columns as the wrapped scanner expects and the extra ones into
// extra.
type appendScan struct {
	pgx.Rows
	extra []any
}

func (r appendScan) Scan(dest ...any) error { return r.Rows.Scan(append(dest, r.extra...)...) }

func dashboardIssues(ctx context.Context, tx pgx.Tx, sql string, args ...any) ([]DashboardIssue, error) {
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []DashboardIssue
	for rows.Next() {
		var is DashboardIssue
		g, err := scanInboxGroup(appendScan{Rows: rows, extra: []any{&is.ProjectID}})
		if err != nil {
			return nil, err
		}
		is.InboxGroup = g
		out = append(out, is)
	}
	return out, rows.Err()
}
