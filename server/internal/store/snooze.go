package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// ReopenExpiredSnoozes reopens up to limit ignored groups whose snooze time has come (snooze_until
// at or before now), across projects, and records a snooze_expired activity entry (no actor, from
// ignored to unresolved) for each, in one statement. Like a manual reopen it clears the closure
// times and the snooze and counts a reopen, not a regression. Groups locked by someone else (a
// batch of occurrences, a triage change, another instance's sweep) are skipped, and picked up by
// the next call. It returns how many groups it reopened; a caller wanting all of them calls again
// while that is limit.
func ReopenExpiredSnoozes(ctx context.Context, db bun.IDB, now time.Time, limit int) (int, error) {
	var n int
	err := db.NewRaw(`WITH due AS (
			SELECT id FROM error_groups
			WHERE snooze_until <= ?0 AND status = 'ignored'
			ORDER BY id
			LIMIT ?1
			FOR UPDATE SKIP LOCKED
		), reopened AS (
			UPDATE error_groups g SET
				status = 'unresolved', resolved_at = NULL, ignored_at = NULL, archived_at = NULL,
				snooze_until = NULL, snooze_remaining = NULL,
				reopen_count = g.reopen_count + 1, last_reopened_at = ?0, updated_at = ?0
			FROM due WHERE g.id = due.id
			RETURNING g.id, g.project_id
		), recorded AS (
			INSERT INTO issue_activities (project_id, error_group_id, kind, data, created_at)
			SELECT project_id, id, 'snooze_expired', '{"from": "ignored", "to": "unresolved"}', ?0 FROM reopened
		)
		SELECT count(*) FROM reopened`, now, limit).Scan(ctx, &n)
	if err != nil {
		return 0, fmt.Errorf("store: reopen expired snoozes: %w", err)
	}
	return n, nil
}
