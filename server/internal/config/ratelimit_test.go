package config_test

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/config"
)

func TestRateLimitDefaults(t *testing.T) {
	t.Parallel()
	c, err := config.Load(env(nil))
	require.NoError(t, err)
	require.Equal(t, config.RateLimits{Requests: 1200, Period: time.Minute, AuthFailures: 120, PreAuth: 12_000}, c.RateLimits)
	require.Empty(t, c.TrustedProxies)
}

func TestRateLimitValues(t *testing.T) {
	t.Parallel()
	c, err := config.Load(env(map[string]string{
		"LOGISTER_PUBLIC_API_RATE_LIMIT_REQUESTS":              "5000",
		"LOGISTER_PUBLIC_API_RATE_LIMIT_PERIOD_SECONDS":        "10",
		"LOGISTER_PUBLIC_API_AUTH_FAILURE_RATE_LIMIT_REQUESTS": "30",
		"LOGISTER_PUBLIC_API_PRE_AUTH_RATE_LIMIT_REQUESTS":     "100000",
		"REDIS_URL":                "redis://cache:6379/0",
		"LOGISTER_TRUSTED_PROXIES": " 10.0.0.0/8, 192.0.2.7 ,2001:db8::/32,::ffff:172.16.0.0/108, 10.1.2.3/16",
	}))
	require.NoError(t, err)
	require.Equal(t, config.RateLimits{Requests: 5000, Period: 10 * time.Second, AuthFailures: 30, PreAuth: 100_000,
		RedisURL: "redis://cache:6379/0"}, c.RateLimits, "the counters use REDIS_URL unless REDIS_RATE_LIMIT_URL is set")
	require.Equal(t, []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.7/32"),
		netip.MustParsePrefix("2001:db8::/32"), netip.MustParsePrefix("172.16.0.0/12"), netip.MustParsePrefix("10.1.0.0/16")},
		c.TrustedProxies)

	// Non-positive values fall back to the defaults, as in the reference.
	c, err = config.Load(env(map[string]string{
		"LOGISTER_PUBLIC_API_RATE_LIMIT_REQUESTS":              "0",
		"LOGISTER_PUBLIC_API_RATE_LIMIT_PERIOD_SECONDS":        "-5",
		"LOGISTER_PUBLIC_API_AUTH_FAILURE_RATE_LIMIT_REQUESTS": "-99999999999999999999999",
		"REDIS_URL":            "redis://cache:6379/0",
		"REDIS_RATE_LIMIT_URL": "rediss://limits:6380/2",
	}))
	require.NoError(t, err)
	require.Equal(t, config.RateLimits{Requests: 1200, Period: time.Minute, AuthFailures: 120, PreAuth: 12_000,
		RedisURL: "rediss://limits:6380/2"}, c.RateLimits)
	require.Equal(t, "redis://cache:6379/0", c.RedisURL)
}

func TestRateLimitRedisURLFromFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "url")
	require.NoError(t, os.WriteFile(path, []byte("redis://secret@limits:6379/0\n"), 0o600))
	c, err := config.Load(env(map[string]string{"REDIS_RATE_LIMIT_URL_FILE": path}))
	require.NoError(t, err)
	require.Equal(t, "redis://secret@limits:6379/0", c.RateLimits.RedisURL)
}

func TestRateLimitProblems(t *testing.T) {
	t.Parallel()
	_, err := config.Load(env(map[string]string{
		"LOGISTER_PUBLIC_API_RATE_LIMIT_REQUESTS":          "lots",
		"LOGISTER_PUBLIC_API_RATE_LIMIT_PERIOD_SECONDS":    "86401",
		"LOGISTER_PUBLIC_API_PRE_AUTH_RATE_LIMIT_REQUESTS": "1.5",
		"REDIS_RATE_LIMIT_URL":                             "http://limits",
		"LOGISTER_TRUSTED_PROXIES":                         "10.0.0.0/8, proxy.internal, 10.0.0.0/33",
	}))
	var cerr *config.Error
	require.ErrorAs(t, err, &cerr)
	require.ElementsMatch(t, []string{
		`LOGISTER_PUBLIC_API_RATE_LIMIT_REQUESTS: must be a whole number (got "lots")`,
		`LOGISTER_PUBLIC_API_RATE_LIMIT_PERIOD_SECONDS: must be at most 86400 (got "86401")`,
		`LOGISTER_PUBLIC_API_PRE_AUTH_RATE_LIMIT_REQUESTS: must be a whole number (got "1.5")`,
		`REDIS_RATE_LIMIT_URL: must be a redis://, rediss:// or unix:// URL`,
		`LOGISTER_TRUSTED_PROXIES: "proxy.internal" is neither an IP address nor a CIDR prefix such as 10.0.0.0/8`,
		`LOGISTER_TRUSTED_PROXIES: "10.0.0.0/33" is neither an IP address nor a CIDR prefix such as 10.0.0.0/8`,
	}, cerr.Problems)
}
