package config_test

import (
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/config"
)

func env(vars map[string]string) config.LookupFunc {
	return func(name string) (string, bool) {
		v, ok := vars[name]
		return v, ok
	}
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	c, err := config.Load(env(nil))
	require.NoError(t, err)
	require.Empty(t, c.DatabaseURL)
	require.Equal(t, ":8080", c.ListenAddr)
	require.Equal(t, "http://localhost:8080", c.PublicURL.String())
	require.True(t, filepath.IsAbs(c.DataDir))
	require.Equal(t, "data", filepath.Base(c.DataDir))
	require.Equal(t, "Logister", c.InstanceName)
	require.Equal(t, slog.LevelInfo, c.LogLevel)
	require.Equal(t, "json", c.LogFormat)
	require.Equal(t, 15*time.Second, c.ShutdownTimeout)
	require.Equal(t, 20, c.DBMaxConns)
}

func TestValues(t *testing.T) {
	t.Parallel()
	c, err := config.Load(env(map[string]string{
		"DATABASE_URL":              "postgres://u:p@db:5432/logister",
		"PORT":                      "9000",
		"LOGISTER_PUBLIC_URL":       "https://errors.example.com/",
		"LOGISTER_DATA_DIR":         "/var/lib/logister",
		"LOGISTER_INSTANCE_NAME":    "  Acme errors ",
		"LOGISTER_LOG_LEVEL":        "DEBUG",
		"LOGISTER_LOG_FORMAT":       "text",
		"REDIS_URL":                 "redis://cache:6379/1",
		"LOGISTER_SHUTDOWN_TIMEOUT": "30s",
	}))
	require.NoError(t, err)
	require.Equal(t, ":9000", c.ListenAddr)
	require.Equal(t, "https://errors.example.com", c.PublicURL.String())
	require.Equal(t, "/var/lib/logister", c.DataDir)
	require.Equal(t, "Acme errors", c.InstanceName)
	require.Equal(t, slog.LevelDebug, c.LogLevel)
	require.Equal(t, "text", c.LogFormat)
	require.Equal(t, "redis://cache:6379/1", c.RedisURL)
	require.Equal(t, 30*time.Second, c.ShutdownTimeout)
}

func TestListenAddrOverridesPort(t *testing.T) {
	t.Parallel()
	c, err := config.Load(env(map[string]string{"PORT": "9000", "LOGISTER_LISTEN_ADDR": "127.0.0.1:9100"}))
	require.NoError(t, err)
	require.Equal(t, "127.0.0.1:9100", c.ListenAddr)
	require.Equal(t, "http://localhost:9100", c.PublicURL.String())
}

func TestSecretsFromFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "db")
	require.NoError(t, os.WriteFile(path, []byte("postgres://from-file/db\n"), 0o600))

	c, err := config.Load(env(map[string]string{"DATABASE_URL_FILE": path}))
	require.NoError(t, err)
	require.Equal(t, "postgres://from-file/db", c.DatabaseURL)

	_, err = config.Load(env(map[string]string{"DATABASE_URL_FILE": path, "DATABASE_URL": "postgres://x/y"}))
	require.ErrorContains(t, err, "DATABASE_URL: set either DATABASE_URL or DATABASE_URL_FILE, not both")

	_, err = config.Load(env(map[string]string{"REDIS_URL_FILE": filepath.Join(dir, "missing")}))
	require.ErrorContains(t, err, "REDIS_URL_FILE: cannot read "+filepath.Join(dir, "missing")+": no such file or directory")

	empty := filepath.Join(dir, "empty")
	require.NoError(t, os.WriteFile(empty, []byte("\n"), 0o600))
	_, err = config.Load(env(map[string]string{"LOGISTER_SETUP_TOKEN_FILE": empty}))
	require.ErrorContains(t, err, "LOGISTER_SETUP_TOKEN_FILE: "+empty+" is empty")
}

func TestEveryProblemIsReported(t *testing.T) {
	t.Parallel()
	_, err := config.Load(env(map[string]string{
		"PORT":                      "http",
		"LOGISTER_LOG_LEVEL":        "loud",
		"LOGISTER_LOG_FORMAT":       "xml",
		"DATABASE_URL":              "mysql://x",
		"REDIS_URL":                 "http://cache",
		"LOGISTER_PUBLIC_URL":       "errors.example.com",
		"LOGISTER_SHUTDOWN_TIMEOUT": "-1s",
		"LOGISTER_DB_MAX_CONNS":     "1",
		"LOGISTER_SETUP_TOKEN":      "short",
		"LOGISTER_API_KEY_PREFIX":   "my-keys",
	}))
	var cerr *config.Error
	require.ErrorAs(t, err, &cerr)
	require.ElementsMatch(t, []string{
		`DATABASE_URL: must be a postgres:// or postgresql:// URL`,
		`REDIS_URL: must be a redis://, rediss:// or unix:// URL`,
		`LOGISTER_SETUP_TOKEN: must be 16 to 128 characters of A-Z, a-z, 0-9, '-' or '_'`,
		`LOGISTER_SHUTDOWN_TIMEOUT: must be a positive duration such as 15s or 2m (got "-1s")`,
		`LOGISTER_DB_MAX_CONNS: must be a whole number between 2 and 1000 (got "1")`,
		`PORT: must be a whole number between 1 and 65535 (got "http")`,
		`LOGISTER_PUBLIC_URL: must be an absolute http:// or https:// URL (got "errors.example.com")`,
		`LOGISTER_LOG_LEVEL: must be debug, info, warn or error (got "loud")`,
		`LOGISTER_LOG_FORMAT: must be json or text (got "xml")`,
		`LOGISTER_API_KEY_PREFIX: must be 1 to 32 letters or digits, starting with a letter (got "my-keys")`,
	}, cerr.Problems)
}

func TestBadListenAddr(t *testing.T) {
	t.Parallel()
	_, err := config.Load(env(map[string]string{"LOGISTER_LISTEN_ADDR": "localhost"}))
	require.ErrorContains(t, err, `LOGISTER_LISTEN_ADDR: must be host:port such as 127.0.0.1:8080 (got "localhost")`)
}

func TestVarsDocumentEveryVariable(t *testing.T) {
	t.Parallel()
	// Every variable Load reads must be documented in Vars (and so in `logister help` and the README).
	documented := map[string]bool{}
	for _, v := range config.Vars {
		documented[v.Name] = true
		if v.Secret {
			documented[v.Name+"_FILE"] = true
		}
	}
	_, _ = config.Load(func(name string) (string, bool) {
		require.True(t, documented[name], "%s is read but not documented in config.Vars", name)
		return "", false
	})
}
