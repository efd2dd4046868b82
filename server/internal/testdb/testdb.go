// Package testdb gives tests their own real PostgreSQL database, migrated, in about 100 ms.
//
// The first use in a test run migrates a template database (named after a hash of the migrations,
// so a change to them builds a new one); each New clones it with CREATE DATABASE ... TEMPLATE and
// drops the clone when the test ends. The server comes from TEST_DATABASE_URL, default
// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable. An unreachable server fails the
// test with a message saying so; it never skips.
package testdb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"runtime/debug"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver

	"github.com/logister/logister/migrations"
	"github.com/logister/logister/server/internal/store"
)

// DefaultURL is used when TEST_DATABASE_URL is unset.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// URL is the maintenance database URL of the test server.
func URL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultURL
}

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
)

// New returns a store on a fresh, fully migrated database that is dropped when t ends.
func New(t testing.TB) *store.Store {
	t.Helper()
	name := NewDatabase(t)
	st, err := store.Open(context.Background(), WithDatabase(URL(), name), store.OpenOptions{MaxConns: 10})
	if err != nil {
		t.Fatalf("testdb: open %s: %v", name, err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// NewDatabase creates a fresh, fully migrated database, dropped when t ends, and returns its name.
func NewDatabase(t testing.TB) string {
	t.Helper()
	templateOnce.Do(func() { templateName, templateErr = ensureTemplate() })
	if templateErr != nil {
		t.Fatalf("testdb: %v", templateErr)
	}
	return createDatabase(t, templateName)
}

// NewEmptyDatabase creates an empty database (no migrations), dropped when t ends, and returns
// a URL for it.
func NewEmptyDatabase(t testing.TB) string {
	t.Helper()
	return WithDatabase(URL(), createDatabase(t, ""))
}

// createDatabase creates a database, cloned from template when it is not "", and drops it when t ends.
func createDatabase(t testing.TB, template string) string {
	t.Helper()
	admin := openAdmin(t)
	name := "logister_test_" + randomHex(6)
	stmt := "CREATE DATABASE " + name
	if template != "" {
		stmt += " TEMPLATE " + template
	}
	var err error
	for attempt := 0; attempt < 20; attempt++ {
		// Cloning fails while another session is still connected to the template; that is brief.
		if _, err = admin.ExecContext(context.Background(), stmt); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("testdb: create database: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("testdb: drop %s: %v", name, err)
		}
		_ = admin.Close()
	})
	return name
}

// WithDatabase returns rawURL with its database name replaced.
func WithDatabase(rawURL, name string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		panic(fmt.Sprintf("testdb: TEST_DATABASE_URL is not a URL: %v", err))
	}
	u.Path = "/" + name
	return u.String()
}

func openAdmin(t testing.TB) *sql.DB {
	t.Helper()
	db, err := connect(URL())
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	return db
}

func connect(rawURL string) (*sql.DB, error) {
	db, err := sql.Open("pgx", rawURL)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("PostgreSQL is not reachable at %s: %v\n"+
			"The tests need a real PostgreSQL server: start one (see README, `make services`) or set TEST_DATABASE_URL", redact(rawURL), err)
	}
	return db, nil
}

// ensureTemplate builds the migrated template database once per migration set. An advisory lock
// serialises concurrent test binaries (go test runs packages in parallel).
func ensureTemplate() (string, error) {
	sum, err := migrationsHash()
	if err != nil {
		return "", err
	}
	name := "logister_tmpl_" + sum[:12]
	admin, err := connect(URL())
	if err != nil {
		return "", err
	}
	defer admin.Close()
	ctx := context.Background()
	conn, err := admin.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(74201)"); err != nil {
		return "", err
	}
	defer conn.ExecContext(ctx, "SELECT pg_advisory_unlock(74201)") //nolint:errcheck // released on close anyway

	var exists bool
	if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	// Build under a temporary name and rename when complete, so a half-built template is never used.
	building := name + "_building"
	if _, err := conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+building+" WITH (FORCE)"); err != nil {
		return "", err
	}
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+building); err != nil {
		return "", err
	}
	st, err := store.Open(ctx, WithDatabase(URL(), building), store.OpenOptions{MaxConns: 2})
	if err != nil {
		return "", err
	}
	_, err = st.Migrate(ctx)
	_ = st.Close()
	if err != nil {
		return "", fmt.Errorf("migrate template: %w", err)
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("ALTER DATABASE %s RENAME TO %s", building, name)); err != nil {
		return "", err
	}
	return name, nil
}

// migrationsHash identifies the migration set, including the River version in go.mod's build.
func migrationsHash() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations.FS, path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%s\x00", path, b)
		return nil
	})
	if err != nil {
		return "", err
	}
	fmt.Fprint(h, riverVersion())
	return hex.EncodeToString(h.Sum(nil)), nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}

// riverVersion is the River module version in this build; its migrations are part of the template.
func riverVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == "github.com/riverqueue/river" {
				return dep.Version
			}
		}
	}
	return ""
}
