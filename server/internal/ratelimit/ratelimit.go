// Package ratelimit counts requests in fixed windows, in Redis when it is configured and in process
// otherwise, and decides whether each request is within its limit.
//
// Windows are aligned to floor(now/period)*period (Unix seconds), as in the reference server. A
// counter is increased by the request's amount first and compared afterwards: a request that would
// overshoot the limit is refused whole, and its amount still counts for the rest of the window (a
// batch of 100 envelopes refused with 30 left uses up those 30). This matches the reference's INCRBY
// then compare.
//
// With Redis, one check is one round trip (a Lua script doing INCRBY and, for a new key, PEXPIRE,
// sent in a pipeline shared with the concurrent checks of other requests), and the counters are
// shared by every instance. When Redis fails, the Limiter keeps limiting with its in-process
// counters (never "unlimited"), logs a warning at most once per WarnInterval, and tries Redis again
// after RetryInterval.
package ratelimit

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// Kind names a family of counters; it is part of every counter's key.
type Kind string

// The public API's counters (reference section 2).
const (
	// KindPreAuth counts every request to the public endpoints per client IP, before authentication.
	KindPreAuth Kind = "pre_auth"
	// KindSubmission counts authenticated submissions per key and endpoint.
	KindSubmission Kind = "submission"
	// KindAuthFailure counts failed authentications per client IP.
	KindAuthFailure Kind = "auth_failure"
)

// Rule names one counter and its limit.
type Rule struct {
	Kind Kind
	// Scope is the endpoint label ("ingest", "check_in", "deployment") or "all".
	Scope string
	// Identity is whose requests are counted, such as "api_key:12" or "ip:192.0.2.1". Redis keys hold
	// only its SHA-256 digest.
	Identity string
	// Limit is the most requests (amounts) a window allows; at least 1.
	Limit int64
	// Period is the window length, in whole seconds (rounded down; at least one second).
	Period time.Duration
}

// Decision is the answer to one Take.
type Decision struct {
	// Allowed reports whether the request is within the limit.
	Allowed bool
	// Limit is the rule's limit.
	Limit int64
	// Remaining is what is left in the window after this request: max(limit-count, 0).
	Remaining int64
	// Reset is when the window ends (a whole second).
	Reset time.Time
	// RetryAfter is max(Reset-now, 1s) in whole seconds: when a refused client may try again.
	RetryAfter time.Duration
}

// Options configure a Limiter. Every field is optional.
type Options struct {
	// Redis holds the shared counters; nil counts in process only. NewRedisClient makes a client with
	// suitably short timeouts.
	Redis *redis.Client
	// KeyPrefix starts every Redis key (default "logister:public_api_rate_limit:v1:").
	KeyPrefix string
	// Logger receives the fallback warning and the recovery notice (default: discard).
	Logger *slog.Logger
	// RetryInterval is how long the in-process counters stand in after a Redis failure before Redis
	// is tried again (default 2s).
	RetryInterval time.Duration
	// WarnInterval is the least time between two warnings about Redis failures (default 1 minute).
	WarnInterval time.Duration
	// MaxEntries bounds the in-process counters (default 1<<19, about 30 MB at most).
	MaxEntries int
	// OnFallback, when set, is called with true when the in-process counters start standing in for
	// Redis and with false when Redis is used again.
	OnFallback func(active bool)
	// OnRedisError, when set, is called for every failed Redis check.
	OnRedisError func()
	// Now is the clock (default time.Now); tests set it.
	Now func() time.Time
}

// DefaultKeyPrefix is the reference server's Redis key prefix.
const DefaultKeyPrefix = "logister:public_api_rate_limit:v1:"

// Limiter decides whether requests are within their limits. It is safe for concurrent use.
type Limiter struct {
	redis *redisStore // nil: in process only
	mem   *memoryStore
	opts  Options
	now   func() time.Time

	// fallback is true while the in-process counters stand in for Redis.
	fallback atomic.Bool
	// probing is true while one request tries Redis again; the others keep using the fallback.
	probing atomic.Bool
	mu      sync.Mutex
	retryAt time.Time // while in fallback: when Redis may be tried again
	warned  time.Time // when the last warning was logged
}

// New returns a Limiter.
func New(opts Options) *Limiter {
	if opts.KeyPrefix == "" {
		opts.KeyPrefix = DefaultKeyPrefix
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.RetryInterval <= 0 {
		opts.RetryInterval = 2 * time.Second
	}
	if opts.WarnInterval <= 0 {
		opts.WarnInterval = time.Minute
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	l := &Limiter{mem: newMemoryStore(opts.MaxEntries), opts: opts, now: opts.Now}
	if opts.Redis != nil {
		l.redis = newRedisStore(opts.Redis, opts.KeyPrefix)
	}
	return l
}

// Take counts amount (at least 1) against rule's current window and decides. It never fails: when
// Redis does not answer, the in-process counters decide.
func (l *Limiter) Take(ctx context.Context, rule Rule, amount int64) Decision {
	return l.TakeAll(ctx, Request{Rule: rule, Amount: amount})[0]
}

// Request is one counter to take from, for TakeAll.
type Request struct {
	Rule   Rule
	Amount int64 // at least 1
}

// TakeAll counts the requests against their rules in order, in one round trip to Redis, and
// decides each as Take would, stopping at the first one over its limit: the requests after it are
// neither counted nor decided (their Decisions are zero), so a request refused by one counter does
// not use up the next.
func (l *Limiter) TakeAll(ctx context.Context, reqs ...Request) []Decision {
	now := l.now()
	ws := make([]window, len(reqs))
	amounts, limits := make([]int64, len(reqs)), make([]int64, len(reqs))
	for i, r := range reqs {
		period := max(int64(r.Rule.Period/time.Second), 1)
		ws[i] = window{kind: r.Rule.Kind, scope: r.Rule.Scope, identity: r.Rule.Identity,
			start: floorDiv(now.Unix(), period) * period, period: period}
		amounts[i], limits[i] = max(r.Amount, 1), max(r.Rule.Limit, 1)
	}
	counts, ok := l.countInRedis(ctx, ws, amounts, limits, now)
	if !ok {
		counts = make([]int64, 0, len(reqs))
		for i, w := range ws {
			counts = append(counts, l.mem.incr(w, amounts[i], now))
			if counts[i] > limits[i] {
				break
			}
		}
	}
	out := make([]Decision, len(reqs))
	for i := range counts {
		limit, reset := limits[i], ws[i].start+ws[i].period
		out[i] = Decision{
			Allowed:    counts[i] <= limit,
			Limit:      limit,
			Remaining:  max(limit-counts[i], 0),
			Reset:      time.Unix(reset, 0),
			RetryAfter: time.Duration(max(reset-now.Unix(), 1)) * time.Second,
		}
	}
	return out
}

// Fallback reports whether the in-process counters currently stand in for Redis.
func (l *Limiter) Fallback() bool { return l.fallback.Load() }

// countInRedis counts in Redis unless there is none, or it failed recently and it is not yet time
// to try again. ok is false when the in-process counters must decide.
func (l *Limiter) countInRedis(ctx context.Context, ws []window, amounts, limits []int64, now time.Time) (counts []int64, ok bool) {
	if l.redis == nil {
		return nil, false
	}
	probe := l.fallback.Load()
	if probe {
		// One request at a time probes Redis once the retry time has come; the rest carry on in process.
		l.mu.Lock()
		due := !now.Before(l.retryAt)
		l.mu.Unlock()
		if !due || !l.probing.CompareAndSwap(false, true) {
			return nil, false
		}
		defer l.probing.Store(false)
	}
	counts, err := l.redis.incr(ctx, ws, amounts, limits)
	if err != nil {
		if ctx.Err() == nil { // a request given up by its client says nothing about Redis
			l.redisFailed(err, now)
		}
		return nil, false
	}
	// Only the probe ends the fallback: a call sent before Redis failed and answered after says
	// nothing of Redis now, and ending the fallback on it would reset the in-process counts (and
	// so let through more than a window's limit) each time.
	if probe {
		l.redisRecovered()
	}
	return counts, true
}

func (l *Limiter) redisFailed(err error, now time.Time) {
	if l.opts.OnRedisError != nil {
		l.opts.OnRedisError()
	}
	l.mu.Lock()
	l.retryAt = now.Add(l.opts.RetryInterval)
	warn := l.warned.IsZero() || now.Sub(l.warned) >= l.opts.WarnInterval
	if warn {
		l.warned = now
	}
	if !l.fallback.Swap(true) && l.opts.OnFallback != nil {
		l.opts.OnFallback(true) // under mu, so that the callbacks see the transitions in order
	}
	l.mu.Unlock()
	if warn {
		l.opts.Logger.Warn("rate limits fall back to in-process counters: Redis is not answering",
			"error", err.Error(), "retry_interval", l.opts.RetryInterval.String())
	}
}

func (l *Limiter) redisRecovered() {
	l.mu.Lock()
	recovered := l.fallback.Swap(false)
	if recovered && l.opts.OnFallback != nil {
		l.opts.OnFallback(false)
	}
	l.mu.Unlock()
	if !recovered {
		return
	}
	// The in-process counts will be stale by the next failure; drop them rather than hold the memory.
	l.mem.reset()
	l.opts.Logger.Info("rate limits use Redis again")
}

// window identifies one counter in one window.
type window struct {
	kind     Kind
	scope    string
	identity string
	start    int64 // Unix seconds
	period   int64 // seconds
}

// floorDiv is a/b rounded towards negative infinity (b > 0).
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}
