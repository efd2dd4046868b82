package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// PartitionedTables are partitioned by day of receipt (received_at, UTC).
var PartitionedTables = []string{"telemetry_events", "spans"}

// EnsurePartitions creates the daily partitions of every partitioned table from the day before
// now to daysAhead days after it, where they do not exist yet. It is safe to run concurrently and
// repeatedly.
func (s *Store) EnsurePartitions(ctx context.Context, now time.Time, daysAhead int) error {
	day := now.UTC().Truncate(24*time.Hour).AddDate(0, 0, -1)
	for i := 0; i <= daysAhead+1; i++ {
		from, to := day.AddDate(0, 0, i), day.AddDate(0, 0, i+1)
		for _, table := range PartitionedTables {
			name := fmt.Sprintf("%s_p%s", table, from.Format("20060102"))
			sql := fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s PARTITION OF %s FOR VALUES FROM ('%s') TO ('%s')",
				pgx.Identifier{name}.Sanitize(), pgx.Identifier{table}.Sanitize(),
				from.Format(time.RFC3339), to.Format(time.RFC3339))
			if _, err := s.Pool.Exec(ctx, sql); err != nil && !isDuplicateTable(err) {
				return fmt.Errorf("store: create partition %s: %w", name, err)
			}
		}
	}
	return nil
}

// isDuplicateTable reports a concurrent creation of the same partition (42P07), which is fine.
func isDuplicateTable(err error) bool {
	return pgErrCode(err) == "42P07"
}
