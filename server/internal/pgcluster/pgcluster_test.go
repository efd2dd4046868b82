package pgcluster

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

// dataDir returns a data directory that the postgres user can reach when the tests run as root
// (t.TempDir's parents are private to their owner).
func dataDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for d := dir; d != os.TempDir() && d != "/"; d = filepath.Dir(d) {
		require.NoError(t, os.Chmod(d, 0o755))
	}
	return filepath.Join(dir, "data")
}

func start(t *testing.T, dir string) *Cluster {
	t.Helper()
	c, err := Start(context.Background(), Options{DataDir: dir})
	require.NoError(t, err)
	return c
}

func query(t *testing.T, c *Cluster, q string, dest ...any) {
	t.Helper()
	db, err := sql.Open("pgx", c.URL())
	require.NoError(t, err)
	defer db.Close()
	if len(dest) == 0 {
		_, err = db.Exec(q)
	} else {
		err = db.QueryRow(q).Scan(dest...)
	}
	require.NoError(t, err)
}

func TestStartStopAndReuse(t *testing.T) {
	t.Parallel()
	dir := dataDir(t)
	c := start(t, dir)
	query(t, c, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('survives a restart')")
	firstPort := c.Port()

	info, err := os.Stat(filepath.Join(dir, "postgres.password"))
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	if os.Geteuid() == 0 {
		st, err := os.Stat(c.Dir())
		require.NoError(t, err)
		require.NotZero(t, st.Sys().(*syscall.Stat_t).Uid, "as root, the cluster belongs to an unprivileged user")
	}
	require.NoError(t, c.Stop(context.Background()))
	_, running := c.runningPort(context.Background())
	require.False(t, running)

	c = start(t, dir)
	defer func() { require.NoError(t, c.Stop(context.Background())) }()
	require.Equal(t, firstPort, c.Port(), "the previous port is reused when free")
	var v string
	query(t, c, "SELECT v FROM kept", &v)
	require.Equal(t, "survives a restart", v)
}

func TestOneProcessPerDataDir(t *testing.T) {
	t.Parallel()
	dir := dataDir(t)
	c := start(t, dir)
	defer func() { require.NoError(t, c.Stop(context.Background())) }()

	_, err := Start(context.Background(), Options{DataDir: dir})
	require.ErrorContains(t, err, "another logister process is using the private database in "+dir)
}

// A cluster left running by a killed process is adopted, not started twice.
func TestAdoptsClusterLeftRunning(t *testing.T) {
	t.Parallel()
	dir := dataDir(t)
	c := start(t, dir)
	c.releaseLock() // as if the process had been killed

	adopted := start(t, dir)
	require.Equal(t, c.Port(), adopted.Port())
	var one int
	query(t, adopted, "SELECT 1", &one)
	require.NoError(t, adopted.Stop(context.Background()))
}

func TestMissingBinariesSayHowToFix(t *testing.T) {
	t.Parallel()
	_, err := Start(context.Background(), Options{DataDir: t.TempDir(), BinDir: "/nonexistent/bin"})
	require.ErrorContains(t, err, "LOGISTER_POSTGRES_BIN_DIR=/nonexistent/bin does not contain initdb and pg_ctl")
	require.ErrorContains(t, err, "apt-get install postgresql")
	require.ErrorContains(t, err, "DATABASE_URL")
}

func TestRootNeedsAReachableDataDir(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("only root hands the cluster to the postgres user")
	}
	private := t.TempDir() // 0700, owned by root
	_, err := Start(context.Background(), Options{DataDir: filepath.Join(private, "data")})
	require.ErrorContains(t, err, `PostgreSQL runs as the "postgres" user, which cannot enter`)
	require.ErrorContains(t, err, "LOGISTER_DATA_DIR")
}

func TestFindBinDir(t *testing.T) {
	t.Parallel()
	dir, err := FindBinDir("")
	require.NoError(t, err, "the test machine needs PostgreSQL's server binaries")
	require.True(t, hasServerBinaries(dir))
	require.Equal(t, 15, majorOf("/usr/lib/postgresql/15/bin"))
}
