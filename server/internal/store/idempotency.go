package store

import (
	"context"
	"fmt"
	"time"
)

// IdempotencyRetention is how long a client uuid is remembered: a repeat within it is answered as
// a duplicate (reference 1.6: 120 days).
const IdempotencyRetention = 120 * 24 * time.Hour

// pruneChunk bounds one delete, so pruning never holds many row locks or one long transaction.
const pruneChunk = 10_000

// PruneIdempotencyKeys forgets the client uuids accepted before cutoff, a chunk at a time, and
// returns how many it removed.
func (s *Store) PruneIdempotencyKeys(ctx context.Context, cutoff time.Time) (int64, error) {
	var total int64
	for {
		tag, err := s.Pool.Exec(ctx, `DELETE FROM idempotency_keys WHERE ctid = ANY(ARRAY(
			SELECT ctid FROM idempotency_keys WHERE received_at < $1 LIMIT $2))`, cutoff, pruneChunk)
		if err != nil {
			return total, fmt.Errorf("store: prune idempotency keys: %w", err)
		}
		total += tag.RowsAffected()
		if tag.RowsAffected() < pruneChunk {
			return total, nil
		}
	}
}
