package groupcommit_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/logister/logister/server/internal/groupcommit"
	"github.com/logister/logister/server/internal/store"
	"github.com/logister/logister/server/internal/testdb"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction("database/sql.(*DB).connectionOpener"))
}

func logRecord(projectID int64, msg string, ctxJSON string) *store.Record {
	now := time.Now()
	return &store.Record{ProjectID: projectID, Signal: store.SignalLog, Level: "info", Message: msg,
		OccurredAt: now, ReceivedAt: now, TimePrecision: "exact", Context: []byte(ctxJSON)}
}

func setup(t *testing.T) (*store.Store, int64) {
	t.Helper()
	st := testdb.New(t)
	require.NoError(t, st.EnsurePartitions(context.Background(), time.Now(), 1))
	p := &store.Project{Name: "p", Slug: "p", IntegrationKind: "http_api"}
	require.NoError(t, store.InsertProject(context.Background(), st.DB, p))
	return st, p.ID
}

func TestConcurrentWritesShareTransactions(t *testing.T) {
	t.Parallel()
	st, projectID := setup(t)
	var batches, committed int
	var observeErr error
	var mu sync.Mutex
	c := groupcommit.New(st, groupcommit.Options{Committers: 2, MaxBatch: 50, Observe: func(n int, _ time.Duration, err error) {
		mu.Lock()
		defer mu.Unlock()
		observeErr = errors.Join(observeErr, err)
		batches++
		committed += n
	}})

	const callers = 200
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			records := []*store.Record{logRecord(projectID, fmt.Sprint(i), `{}`), logRecord(projectID, fmt.Sprint(i), `{}`)}
			res, err := c.Write(context.Background(), records)
			assert.NoError(t, err)
			if assert.Len(t, res, 2) {
				assert.NotEqual(t, res[0].ID, res[1].ID)
			}
		})
	}
	wg.Wait()
	c.Close()

	var n int
	require.NoError(t, st.Pool.QueryRow(context.Background(), "SELECT count(*) FROM telemetry_events").Scan(&n))
	require.Equal(t, 2*callers, n, "every acknowledged record is stored")
	require.NoError(t, observeErr)
	require.Equal(t, 2*callers, committed)
	require.Less(t, batches, callers, "callers shared transactions")
	_, err := c.Write(context.Background(), []*store.Record{logRecord(projectID, "late", `{}`)})
	require.ErrorIs(t, err, groupcommit.ErrClosed)
}

// A request the database refuses fails alone; the requests batched with it are stored.
func TestFailingRequestIsIsolated(t *testing.T) {
	t.Parallel()
	st, projectID := setup(t)
	c := groupcommit.New(st, groupcommit.Options{Committers: 1})
	defer c.Close()

	var wg sync.WaitGroup
	errs := make([]error, 20)
	for i := range errs {
		wg.Go(func() {
			ctxJSON := `{}`
			if i == 7 {
				ctxJSON = `not json` // PostgreSQL rejects it in COPY
			}
			// Each request has two records, and is all-or-nothing.
			_, errs[i] = c.Write(context.Background(), []*store.Record{logRecord(projectID, "ok", `{}`), logRecord(projectID, "x", ctxJSON)})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if i == 7 {
			require.Error(t, err)
		} else {
			require.NoError(t, err)
		}
	}
	var n int
	require.NoError(t, st.Pool.QueryRow(context.Background(), "SELECT count(*) FROM telemetry_events").Scan(&n))
	require.Equal(t, 2*19, n)
}

func TestWriteGivesUpWithItsContext(t *testing.T) {
	t.Parallel()
	st, projectID := setup(t)
	c := groupcommit.New(st, groupcommit.Options{})
	defer c.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Write(ctx, []*store.Record{logRecord(projectID, "x", `{}`)})
	require.ErrorIs(t, err, context.Canceled)
}
