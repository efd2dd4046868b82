package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"
)

// Deleting a project's data. The high-volume tables have no foreign keys (each would cost an
// index probe per ingested row), so nothing cascades to them: PurgeProjectData deletes a project's
// rows from each, a bounded chunk per statement, each statement its own transaction, so that a
// project with millions of rows never holds one giant transaction, lock set or WAL burst.

// purgeTable is a table holding project data and the columns that identify its rows.
type purgeTable struct {
	name string
	key  string // the primary key's columns (the partition key included)
}

// PurgeTables lists every table keyed by project_id, in the order PurgeProjectData empties them:
// events before their groups, everything before the keys and memberships. TestPurgeCoversEveryTable
// fails when a migration adds a table with a project_id column that is missing here.
var purgeTables = []purgeTable{
	{"error_events", "id"},
	{"telemetry_events", "id, received_at"},
	{"spans", "id, received_at"},
	{"idempotency_keys", "project_id, client_uuid"},
	{"error_groups", "id"},
	{"check_in_monitors", "id"},
	{"deployments", "id"},
	{"api_keys", "id"},
	{"project_members", "project_id, user_id"},
	{"account_tokens", "id"},
}

// PurgeTableNames are the tables PurgeProjectData empties, in order.
func PurgeTableNames() []string {
	names := make([]string, len(purgeTables))
	for i, t := range purgeTables {
		names[i] = t.name
	}
	return names
}

// PurgeProjectData deletes every row of the project from the tables of purgeTables, chunk rows per
// statement, and returns how many rows it deleted from each table. It runs on db outside any
// transaction (each chunk commits on its own), so it can be interrupted and called again. progress,
// when set, is called after each table.
func PurgeProjectData(ctx context.Context, db bun.IDB, projectID int64, chunk int, progress func(table string, rows int64)) (map[string]int64, error) {
	if chunk <= 0 {
		chunk = 5000
	}
	deleted := make(map[string]int64, len(purgeTables))
	for _, t := range purgeTables {
		var total int64
		for {
			n, err := deleteChunk(ctx, db, t, projectID, chunk)
			if err != nil {
				return deleted, err
			}
			total += n
			if n < int64(chunk) {
				break
			}
		}
		deleted[t.name] = total
		if progress != nil {
			progress(t.name, total)
		}
	}
	return deleted, nil
}

func deleteChunk(ctx context.Context, db bun.IDB, t purgeTable, projectID int64, chunk int) (int64, error) {
	// The key columns are constants of purgeTables, never input.
	q := fmt.Sprintf("DELETE FROM %[1]s WHERE project_id = ? AND (%[2]s) IN (SELECT %[2]s FROM %[1]s WHERE project_id = ? LIMIT ?)", t.name, t.key)
	if !strings.Contains(t.key, ",") {
		q = fmt.Sprintf("DELETE FROM %[1]s WHERE project_id = ? AND %[2]s IN (SELECT %[2]s FROM %[1]s WHERE project_id = ? LIMIT ?)", t.name, t.key)
	}
	res, err := db.ExecContext(ctx, q, projectID, projectID, chunk)
	if err != nil {
		return 0, fmt.Errorf("store: purge %s: %w", t.name, err)
	}
	return res.RowsAffected()
}

// DeleteProjectRow deletes the project row itself (its remaining rows in tables with foreign keys go
// with it). It returns the number of rows deleted (0 when it was gone already).
func DeleteProjectRow(ctx context.Context, db bun.IDB, projectID int64) (int64, error) {
	res, err := db.NewDelete().Model((*Project)(nil)).Where("id = ?", projectID).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: delete project: %w", err)
	}
	return res.RowsAffected()
}

// RequestProjectDeletion starts a project's deletion, on db (the caller's transaction): it archives
// the project (when it is not), marks its deletion as requested and revokes every active key, so
// ingestion stops at once. It returns the project as stored.
func RequestProjectDeletion(ctx context.Context, db bun.IDB, projectID int64) (*Project, error) {
	var p Project
	err := db.NewUpdate().Model(&p).
		Set("archived_at = coalesce(archived_at, now())").
		Set("deletion_requested_at = coalesce(deletion_requested_at, now())").
		Set("updated_at = now()").
		Where("id = ?", projectID).Returning("*").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: request project deletion: %w", err)
	}
	if _, err := RevokeProjectKeys(ctx, db, projectID); err != nil {
		return nil, err
	}
	return &p, nil
}
