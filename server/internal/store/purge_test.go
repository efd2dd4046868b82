package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/store"
	"github.com/logister/logister/server/internal/testdb"
)

// TestPurgeCoversEveryTable fails when a migration adds a table holding project data that deleting
// a project would leave behind: every table with a project_id column must be purged in chunks
// (store.purgeTables) or go with the project row through a foreign key with ON DELETE CASCADE.
func TestPurgeCoversEveryTable(t *testing.T) {
	t.Parallel()
	st := testdb.New(t)
	var rows []struct {
		Table string `bun:"table_name"`
		// Cascades are the tables whose deletion deletes this table's rows (ON DELETE CASCADE).
		Cascades []string `bun:"cascades,array"`
	}
	err := st.DB.NewRaw(`
		SELECT c.relname AS table_name, array(
		    SELECT f.confrelid::regclass::text FROM pg_constraint AS f
		    WHERE f.conrelid = c.oid AND f.contype = 'f' AND f.confdeltype = 'c') AS cascades
		FROM pg_attribute AS a
		JOIN pg_class AS c ON c.oid = a.attrelid
		JOIN pg_namespace AS n ON n.oid = c.relnamespace
		WHERE a.attname = 'project_id' AND NOT a.attisdropped AND n.nspname = current_schema()
		  AND c.relkind IN ('r', 'p') AND NOT c.relispartition
		ORDER BY 1`).Scan(context.Background(), &rows)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(rows), len(store.PurgeTableNames()))
	purged := store.PurgeTableNames()
	for _, r := range rows {
		covered := slices.Contains(purged, r.Table) || slices.ContainsFunc(r.Cascades, func(parent string) bool {
			return parent == "projects" || slices.Contains(purged, parent)
		})
		require.True(t, covered, "%s has a project_id but deleting a project would leave its rows: add it to "+
			"store.purgeTables, or give it a foreign key with ON DELETE CASCADE to projects or a purged table", r.Table)
	}
}
