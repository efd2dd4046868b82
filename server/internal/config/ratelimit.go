package config

import (
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// RateLimits are the public ingestion API's limits (reference section 2). Projects may override
// Requests, Period and AuthFailures.
type RateLimits struct {
	// Requests per ingest key, per endpoint, per window (LOGISTER_PUBLIC_API_RATE_LIMIT_REQUESTS).
	Requests int64
	// Period is the window length (LOGISTER_PUBLIC_API_RATE_LIMIT_PERIOD_SECONDS).
	Period time.Duration
	// AuthFailures per client IP per window (LOGISTER_PUBLIC_API_AUTH_FAILURE_RATE_LIMIT_REQUESTS).
	AuthFailures int64
	// PreAuth requests per client IP per window, before authentication
	// (LOGISTER_PUBLIC_API_PRE_AUTH_RATE_LIMIT_REQUESTS).
	PreAuth int64
	// RedisURL holds the counters shared by every instance: REDIS_RATE_LIMIT_URL, else REDIS_URL.
	// Empty: each process counts alone.
	RedisURL string
}

// maxRateLimit bounds the request limits, far above any sensible value.
const maxRateLimit = 1_000_000_000

// rateLimits reads the rate-limit variables. As in the reference, a non-positive number means the
// default; a value that is not a number at all is a mistake worth reporting.
func (l *loader) rateLimits(c *Config) {
	c.RateLimits = RateLimits{
		Requests:     l.limit("LOGISTER_PUBLIC_API_RATE_LIMIT_REQUESTS", 1200, maxRateLimit),
		Period:       time.Duration(l.limit("LOGISTER_PUBLIC_API_RATE_LIMIT_PERIOD_SECONDS", 60, 86_400)) * time.Second,
		AuthFailures: l.limit("LOGISTER_PUBLIC_API_AUTH_FAILURE_RATE_LIMIT_REQUESTS", 120, maxRateLimit),
		PreAuth:      l.limit("LOGISTER_PUBLIC_API_PRE_AUTH_RATE_LIMIT_REQUESTS", 12_000, maxRateLimit),
		RedisURL:     l.secret("REDIS_RATE_LIMIT_URL"),
	}
	if c.RateLimits.RedisURL != "" {
		if u, err := url.Parse(c.RateLimits.RedisURL); err != nil || (u.Scheme != "redis" && u.Scheme != "rediss" && u.Scheme != "unix") {
			l.fail("REDIS_RATE_LIMIT_URL", "must be a redis://, rediss:// or unix:// URL")
		}
	} else {
		c.RateLimits.RedisURL = c.RedisURL
	}
	c.TrustedProxies = l.prefixes("LOGISTER_TRUSTED_PROXIES")
}

// limit reads a whole number at most hi; non-positive values give def.
func (l *loader) limit(name string, def, hi int64) int64 {
	s := l.str(name, "")
	if s == "" {
		return def
	}
	n, err := strconv.ParseInt(s, 10, 64)
	switch {
	case err != nil && !isNegativeNumber(s):
		l.fail(name, "must be a whole number (got %q)", s)
		return def
	case err != nil || n <= 0:
		return def
	case n > hi:
		l.fail(name, "must be at most %d (got %q)", hi, s)
		return def
	}
	return n
}

// isNegativeNumber reports whether s is "-" and digits (too large to parse, still non-positive).
func isNegativeNumber(s string) bool {
	return len(s) > 1 && s[0] == '-' && strings.Trim(s[1:], "0123456789") == ""
}

// prefixes reads a comma-separated list of IP addresses and CIDR prefixes.
func (l *loader) prefixes(name string) []netip.Prefix {
	var out []netip.Prefix
	for _, item := range strings.Split(l.str(name, ""), ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if p, err := netip.ParsePrefix(item); err == nil {
			if p.Addr().Is4In6() && p.Bits() >= 96 {
				p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
			}
			out = append(out, p.Masked())
			continue
		}
		if a, err := netip.ParseAddr(item); err == nil && a.Zone() == "" {
			a = a.Unmap()
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		l.fail(name, "%q is neither an IP address nor a CIDR prefix such as 10.0.0.0/8", item)
	}
	return out
}
