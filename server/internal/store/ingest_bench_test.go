package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/store"
	"github.com/logister/logister/server/internal/testdb"
)

// BenchmarkWriteBatch measures the write path of the common case: batches of 100 error events
// spread over 20 existing, open groups (the group ids cached), one batch per iteration. Compare
// runs with -benchtime Nx, so that both sides write the same number of batches.
func BenchmarkWriteBatch(b *testing.B) {
	ctx := context.Background()
	st := testdb.New(b)
	p := &store.Project{Name: "bench", Slug: "bench", IntegrationKind: "http_api"}
	require.NoError(b, store.InsertProject(ctx, st.DB, p))
	const groups, perBatch = 20, 100
	t0 := time.Now().Add(-time.Hour)
	batch := func(n int) []*store.Record {
		out := make([]*store.Record, perBatch)
		for i := range out {
			out[i] = errorRecord(p.ID, fmt.Sprintf("fp-%d", i%groups), t0.Add(time.Duration(n*perBatch+i)*time.Millisecond))
		}
		return out
	}
	_, err := st.WriteBatch(ctx, batch(0)) // creates the groups and warms the cache
	require.NoError(b, err)

	b.ReportAllocs()
	b.ResetTimer()
	for n := range b.N {
		if _, err := st.WriteBatch(ctx, batch(n+1)); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N*perBatch)/b.Elapsed().Seconds(), "events/s")
}
