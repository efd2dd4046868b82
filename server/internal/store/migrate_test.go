package store_test

import (
	"context"
	"io/fs"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/logister/logister/migrations"
	"github.com/logister/logister/server/internal/store"
	"github.com/logister/logister/server/internal/testdb"
)

func TestMigrateFromEmpty(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, err := store.Open(ctx, testdb.NewEmptyDatabase(t), store.OpenOptions{MaxConns: 4})
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })

	current, pending, err := st.MigrationStatus(ctx)
	require.NoError(t, err)
	require.False(t, current)
	require.Contains(t, pending, "logister: no migrations applied")

	res, err := st.Migrate(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, res.River, "River's tables are migrated too")
	require.Equal(t, allMigrations(t), res.App)

	current, pending, err = st.MigrationStatus(ctx)
	require.NoError(t, err)
	require.True(t, current, "pending: %v", pending)

	again, err := st.Migrate(ctx)
	require.NoError(t, err)
	require.Empty(t, again.River)
	require.Empty(t, again.App)

	inst, err := store.GetInstance(ctx, st.DB)
	require.NoError(t, err)
	require.Nil(t, inst.SetupCompletedAt)
}

// Several processes starting at once must apply each migration exactly once.
func TestConcurrentMigrate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := testdb.NewEmptyDatabase(t)

	const n = 4
	results := make([]*store.MigrationResult, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		st, err := store.Open(ctx, url, store.OpenOptions{MaxConns: 3})
		require.NoError(t, err)
		t.Cleanup(func() { _ = st.Close() })
		wg.Go(func() { results[i], errs[i] = st.Migrate(ctx) })
	}
	wg.Wait()

	var appliedApp, appliedRiver int
	for i := range n {
		require.NoError(t, errs[i])
		appliedApp += len(results[i].App)
		appliedRiver += len(results[i].River)
	}
	require.Len(t, allMigrations(t), appliedApp)
	require.Positive(t, appliedRiver)

	st, err := store.Open(ctx, url, store.OpenOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	var rows int
	require.NoError(t, st.DB.NewRaw("SELECT count(*) FROM bun_migrations").Scan(ctx, &rows))
	require.Len(t, allMigrations(t), rows)
}

// allMigrations names every migration in the migrations directory, in order.
func allMigrations(t *testing.T) []string {
	t.Helper()
	files, err := fs.Glob(migrations.FS, "*.up.sql")
	require.NoError(t, err)
	var names []string
	for _, f := range files {
		names = append(names, strings.TrimSuffix(strings.TrimSuffix(f, ".up.sql"), ".tx"))
	}
	require.NotEmpty(t, names)
	return names
}

func TestOpenReportsUnreachableServer(t *testing.T) {
	t.Parallel()
	_, err := store.Open(context.Background(), "postgres://nobody:secret@127.0.0.1:1/db?sslmode=disable", store.OpenOptions{})
	require.ErrorContains(t, err, "store: cannot reach PostgreSQL at 127.0.0.1:1")
	require.NotContains(t, err.Error(), "secret")

	_, err = store.Open(context.Background(), "postgres://u:secret@host:notaport/db", store.OpenOptions{})
	require.EqualError(t, err, "store: DATABASE_URL is not a valid PostgreSQL connection string")
}
