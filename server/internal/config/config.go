// Package config loads Logister's configuration from environment variables, once, at start-up.
//
// Order: defaults, then environment variables (secrets may come from a file named by the *_FILE
// variant), then Validate. Every problem is reported at once, each naming its variable.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Config is the whole configuration. It is passed down explicitly; there is no global copy.
type Config struct {
	// DatabaseURL is the PostgreSQL connection URL (DATABASE_URL). Empty means: run a private
	// PostgreSQL cluster in DataDir.
	DatabaseURL string
	// ListenAddr is the HTTP listen address, from LOGISTER_LISTEN_ADDR or else ":"+PORT.
	ListenAddr string
	// PublicURL is the base URL used in links the server prints or sends (LOGISTER_PUBLIC_URL).
	// Defaults to http://localhost:<port>.
	PublicURL *url.URL
	// DataDir holds the private PostgreSQL cluster and local archives (LOGISTER_DATA_DIR).
	DataDir string
	// InstanceName is shown in the web app and e-mails (LOGISTER_INSTANCE_NAME).
	InstanceName string
	// LogLevel is the minimum level written to the log (LOGISTER_LOG_LEVEL).
	LogLevel slog.Level
	// LogFormat is "json" (default) or "text" (LOGISTER_LOG_FORMAT).
	LogFormat string
	// RedisURL, when set, makes rate limits and caches shared through Redis (REDIS_URL).
	RedisURL string
	// SetupToken fixes the one-time setup token instead of generating one (LOGISTER_SETUP_TOKEN).
	SetupToken string
	// ShutdownTimeout bounds how long in-flight requests may take to finish on shutdown
	// (LOGISTER_SHUTDOWN_TIMEOUT).
	ShutdownTimeout time.Duration
	// DBMaxConns caps the database connection pool (LOGISTER_DB_MAX_CONNS).
	DBMaxConns int
	// APIKeyPrefix starts the plaintext of every new ingest key (LOGISTER_API_KEY_PREFIX).
	APIKeyPrefix string
	// PostgresBinDir is where initdb and pg_ctl live for the private cluster
	// (LOGISTER_POSTGRES_BIN_DIR); empty means search PATH and the usual install prefixes.
	PostgresBinDir string
	// DebugAddr, when set, serves Go's pprof profiles on a separate listener (LOGISTER_DEBUG_ADDR).
	DebugAddr string
	// RateLimits are the public ingestion API's rate limits and where their counters live.
	RateLimits RateLimits
	// TrustedProxies are the peers whose X-Forwarded-For header names the client
	// (LOGISTER_TRUSTED_PROXIES); empty trusts none.
	TrustedProxies []netip.Prefix
	// Signup is "open" (anyone may sign up) or "invite" (only with an administrator's invitation)
	// (LOGISTER_SIGNUP).
	Signup string
	// AdminEmails are lower-cased e-mail addresses whose users are instance administrators
	// (LOGISTER_ADMIN_EMAILS, comma-separated).
	AdminEmails []string
	// SessionTTL is the absolute lifetime of a browser session (LOGISTER_SESSION_TTL).
	SessionTTL time.Duration
	// SessionIdleTimeout ends a session that has not been used for this long
	// (LOGISTER_SESSION_IDLE_TIMEOUT).
	SessionIdleTimeout time.Duration
	// GitHubWebURL is the GitHub web host of deployment links (commit, compare, pull request,
	// release), without a trailing slash (LOGISTER_GITHUB_WEB_URL).
	GitHubWebURL string
}

// Var documents one environment variable; Vars lists them all for the README and `logister help`.
type Var struct {
	Name, Default, Meaning string
	// Secret variables may instead be read from the file named by Name+"_FILE".
	Secret bool
}

// Vars is every environment variable Logister reads.
var Vars = []Var{
	{"DATABASE_URL", "(none: private cluster)", "PostgreSQL URL. Without it, `serve` runs a private PostgreSQL cluster in LOGISTER_DATA_DIR.", true},
	{"PORT", "8080", "TCP port to listen on (all interfaces).", false},
	{"LOGISTER_LISTEN_ADDR", "", "Full listen address such as 127.0.0.1:9000; overrides PORT.", false},
	{"LOGISTER_PUBLIC_URL", "http://localhost:<port>", "Base URL used in printed and e-mailed links.", false},
	{"LOGISTER_DATA_DIR", "./data", "Directory for the private PostgreSQL cluster and local archives.", false},
	{"LOGISTER_INSTANCE_NAME", "Logister", "Display name of this instance.", false},
	{"LOGISTER_LOG_LEVEL", "info", "debug, info, warn or error.", false},
	{"LOGISTER_LOG_FORMAT", "json", "json (one object per line) or text.", false},
	{"REDIS_URL", "(none: in-process)", "Redis URL for limits and caches shared by several instances.", true},
	{"LOGISTER_SETUP_TOKEN", "(random)", "Fixed token for the one-time first-admin setup link.", true},
	{"LOGISTER_SHUTDOWN_TIMEOUT", "15s", "How long in-flight requests may run after SIGTERM.", false},
	{"LOGISTER_DB_MAX_CONNS", "20", "Maximum open database connections per process.", false},
	{"LOGISTER_API_KEY_PREFIX", "logister", "Prefix of new ingest keys (<prefix>_<48 hex>); letters and digits. Existing keys keep working when it changes.", false},
	{"LOGISTER_POSTGRES_BIN_DIR", "(search)", "Directory with initdb and pg_ctl for the private cluster.", false},
	{"LOGISTER_DEBUG_ADDR", "(off)", "Address such as 127.0.0.1:6060 of a separate listener serving Go's pprof profiles at /debug/pprof/. Keep it private.", false},
	{"LOGISTER_PUBLIC_API_RATE_LIMIT_REQUESTS", "1200", "Submissions per ingest key, per endpoint, per window; a batch counts its envelopes. Non-positive: the default.", false},
	{"LOGISTER_PUBLIC_API_RATE_LIMIT_PERIOD_SECONDS", "60", "Length of the rate-limit window in seconds (at most 86400). Non-positive: the default.", false},
	{"LOGISTER_PUBLIC_API_AUTH_FAILURE_RATE_LIMIT_REQUESTS", "120", "Failed authentications per client IP per window; more are answered 429. Non-positive: the default.", false},
	{"LOGISTER_PUBLIC_API_PRE_AUTH_RATE_LIMIT_REQUESTS", "12000", "Requests per client IP per window to all ingestion endpoints together, counted before authentication. Non-positive: the default.", false},
	{"REDIS_RATE_LIMIT_URL", "REDIS_URL", "Redis URL for the rate-limit counters, if not REDIS_URL. Without either, each process counts alone.", true},
	{"LOGISTER_TRUSTED_PROXIES", "(none)", "Comma-separated IPs or CIDRs of reverse proxies whose X-Forwarded-For names the client; otherwise the connection's address is the client's.", false},
	{"LOGISTER_SIGNUP", "open", "open: anyone may sign up (and confirm their e-mail); invite: only people an administrator invites.", false},
	{"LOGISTER_ADMIN_EMAILS", "", "Comma-separated e-mail addresses (case-insensitive) whose users are instance administrators.", false},
	{"LOGISTER_SESSION_TTL", "336h", "Absolute lifetime of a browser session (14 days).", false},
	{"LOGISTER_SESSION_IDLE_TIMEOUT", "72h", "A browser session unused for this long ends.", false},
	{"LOGISTER_GITHUB_WEB_URL", "https://github.com", "Web host of deployments' commit, compare, pull request and release links (GitHub Enterprise: its URL).", false},
}

// LookupFunc reads one environment variable; os.LookupEnv is the usual one.
type LookupFunc func(name string) (string, bool)

// Load reads the configuration through lookup and validates it. The error lists every problem found.
func Load(lookup LookupFunc) (*Config, error) {
	l := loader{lookup: lookup}
	c := &Config{
		DatabaseURL:     l.secret("DATABASE_URL"),
		DataDir:         l.str("LOGISTER_DATA_DIR", "./data"),
		InstanceName:    l.str("LOGISTER_INSTANCE_NAME", "Logister"),
		LogFormat:       strings.ToLower(l.str("LOGISTER_LOG_FORMAT", "json")),
		RedisURL:        l.secret("REDIS_URL"),
		SetupToken:      l.secret("LOGISTER_SETUP_TOKEN"),
		ShutdownTimeout: l.duration("LOGISTER_SHUTDOWN_TIMEOUT", 15*time.Second),
		DBMaxConns:      l.intRange("LOGISTER_DB_MAX_CONNS", 20, 2, 1000),
		PostgresBinDir:  l.str("LOGISTER_POSTGRES_BIN_DIR", ""),
		APIKeyPrefix:    l.str("LOGISTER_API_KEY_PREFIX", "logister"),
		DebugAddr:       l.str("LOGISTER_DEBUG_ADDR", ""),
	}
	l.rateLimits(c)
	l.accounts(c)

	port := l.intRange("PORT", 8080, 1, 65535)
	c.ListenAddr = l.str("LOGISTER_LISTEN_ADDR", ":"+strconv.Itoa(port))
	if _, p, err := net.SplitHostPort(c.ListenAddr); err != nil {
		l.fail("LOGISTER_LISTEN_ADDR", "must be host:port such as 127.0.0.1:8080 (got %q)", c.ListenAddr)
	} else if n, err := strconv.Atoi(p); err != nil || n < 0 || n > 65535 {
		l.fail("LOGISTER_LISTEN_ADDR", "port must be a number between 0 and 65535 (got %q)", p)
	} else {
		port = n
	}

	c.PublicURL = l.url("LOGISTER_PUBLIC_URL", fmt.Sprintf("http://localhost:%d", port))
	if u := l.url("LOGISTER_GITHUB_WEB_URL", "https://github.com"); u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		l.fail("LOGISTER_GITHUB_WEB_URL", "must be a web host URL such as https://github.example.com, without user, query or fragment")
	} else {
		c.GitHubWebURL = u.String()
	}

	switch level := strings.ToLower(l.str("LOGISTER_LOG_LEVEL", "info")); level {
	case "debug":
		c.LogLevel = slog.LevelDebug
	case "info":
		c.LogLevel = slog.LevelInfo
	case "warn", "warning":
		c.LogLevel = slog.LevelWarn
	case "error":
		c.LogLevel = slog.LevelError
	default:
		l.fail("LOGISTER_LOG_LEVEL", "must be debug, info, warn or error (got %q)", level)
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		l.fail("LOGISTER_LOG_FORMAT", "must be json or text (got %q)", c.LogFormat)
	}
	if c.DatabaseURL != "" {
		if u, err := url.Parse(c.DatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			l.fail("DATABASE_URL", "must be a postgres:// or postgresql:// URL")
		}
	}
	if c.RedisURL != "" {
		if u, err := url.Parse(c.RedisURL); err != nil || (u.Scheme != "redis" && u.Scheme != "rediss" && u.Scheme != "unix") {
			l.fail("REDIS_URL", "must be a redis://, rediss:// or unix:// URL")
		}
	}
	if c.SetupToken != "" && !setupTokenPattern.MatchString(c.SetupToken) {
		l.fail("LOGISTER_SETUP_TOKEN", "must be 16 to 128 characters of A-Z, a-z, 0-9, '-' or '_'")
	}
	if !apiKeyPrefixPattern.MatchString(c.APIKeyPrefix) {
		l.fail("LOGISTER_API_KEY_PREFIX", "must be 1 to 32 letters or digits, starting with a letter (got %q)", c.APIKeyPrefix)
	}
	if c.DebugAddr != "" {
		if _, _, err := net.SplitHostPort(c.DebugAddr); err != nil {
			l.fail("LOGISTER_DEBUG_ADDR", "must be host:port such as 127.0.0.1:6060 (got %q)", c.DebugAddr)
		}
	}
	if c.DataDir == "" {
		l.fail("LOGISTER_DATA_DIR", "must not be empty")
	} else if abs, err := filepath.Abs(c.DataDir); err == nil {
		c.DataDir = abs
	}
	if len(l.problems) > 0 {
		return nil, &Error{Problems: l.problems}
	}
	return c, nil
}

// Error lists every configuration problem found by Load.
type Error struct {
	Problems []string
}

func (e *Error) Error() string {
	return "invalid configuration:\n  " + strings.Join(e.Problems, "\n  ")
}

// setupTokenPattern is what LOGISTER_SETUP_TOKEN must match; the setup link's path allows the same.
var setupTokenPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{16,128}$`)

// adminEmailPattern is a loose e-mail check for LOGISTER_ADMIN_EMAILS: one @, no spaces or commas.
var adminEmailPattern = regexp.MustCompile(`^[^@\s,]+@[^@\s,]+$`)

// apiKeyPrefixPattern keeps keys within [A-Za-z0-9_], which Sentry SDKs require of DSN keys.
var apiKeyPrefixPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]{0,31}$`)

// accounts reads the variables of sign-up, administrators and sessions.
func (l *loader) accounts(c *Config) {
	c.Signup = strings.ToLower(l.str("LOGISTER_SIGNUP", "open"))
	c.SessionTTL = l.duration("LOGISTER_SESSION_TTL", 14*24*time.Hour)
	c.SessionIdleTimeout = l.duration("LOGISTER_SESSION_IDLE_TIMEOUT", 72*time.Hour)
	if c.Signup != "open" && c.Signup != "invite" {
		l.fail("LOGISTER_SIGNUP", "must be open or invite (got %q)", c.Signup)
	}
	for _, e := range strings.Split(l.str("LOGISTER_ADMIN_EMAILS", ""), ",") {
		e = strings.ToLower(strings.TrimSpace(e))
		switch {
		case e == "":
		case !adminEmailPattern.MatchString(e):
			l.fail("LOGISTER_ADMIN_EMAILS", "%q is not an e-mail address", e)
		default:
			c.AdminEmails = append(c.AdminEmails, e)
		}
	}
	if c.SessionIdleTimeout > c.SessionTTL {
		c.SessionIdleTimeout = c.SessionTTL
	}
}

type loader struct {
	lookup   LookupFunc
	problems []string
}

func (l *loader) fail(name, format string, args ...any) {
	l.problems = append(l.problems, name+": "+fmt.Sprintf(format, args...))
}

// str returns the trimmed value of name, or def when it is unset or blank.
func (l *loader) str(name, def string) string {
	if v, ok := l.lookup(name); ok && strings.TrimSpace(v) != "" {
		return strings.TrimSpace(v)
	}
	return def
}

// secret reads name, or the contents of the file named by name_FILE.
func (l *loader) secret(name string) string {
	v := l.str(name, "")
	path := l.str(name+"_FILE", "")
	switch {
	case path == "":
		return v
	case v != "":
		l.fail(name, "set either %s or %s_FILE, not both", name, name)
		return v
	}
	b, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		l.fail(name+"_FILE", "cannot read %s: %v", path, err)
		return ""
	}
	s := strings.TrimSpace(string(b))
	if s == "" {
		l.fail(name+"_FILE", "%s is empty", path)
	}
	return s
}

func (l *loader) intRange(name string, def, lo, hi int) int {
	s := l.str(name, "")
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		l.fail(name, "must be a whole number between %d and %d (got %q)", lo, hi, s)
		return def
	}
	return n
}

func (l *loader) duration(name string, def time.Duration) time.Duration {
	s := l.str(name, "")
	if s == "" {
		return def
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		l.fail(name, "must be a positive duration such as 15s or 2m (got %q)", s)
		return def
	}
	return d
}

func (l *loader) url(name, def string) *url.URL {
	s := l.str(name, def)
	u, err := url.Parse(strings.TrimRight(s, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		l.fail(name, "must be an absolute http:// or https:// URL (got %q)", s)
		u, _ = url.Parse(def)
	}
	return u
}
