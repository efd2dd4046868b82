package ratelimit

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/ratelimit/ratelimittest"
	"github.com/logister/logister/server/internal/testredis"
)

// newRedisLimiter returns a Limiter on the shared test Redis, with keys under the test's prefix.
func newRedisLimiter(t *testing.T, opts Options) (*Limiter, *testredis.Client) {
	t.Helper()
	rdb := testredis.New(t)
	opts.Redis = rdb.Client
	opts.KeyPrefix = rdb.Prefix + DefaultKeyPrefix
	return New(opts), rdb
}

func TestRedisKeysWindowsAndTTL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := newClock(time.Unix(1_000_065, 250_000_000))
	l, rdb := newRedisLimiter(t, Options{Now: clk.Now})
	rule := Rule{Kind: KindSubmission, Scope: "ingest", Identity: "api_key:42", Limit: 3, Period: time.Minute}

	require.Equal(t, Decision{Allowed: true, Limit: 3, Remaining: 2, Reset: time.Unix(1_000_080, 0), RetryAfter: 15 * time.Second},
		l.Take(ctx, rule, 1))
	require.Equal(t, Decision{Allowed: false, Limit: 3, Remaining: 0, Reset: time.Unix(1_000_080, 0), RetryAfter: 15 * time.Second},
		l.Take(ctx, rule, 5), "an overshooting amount is refused whole")
	require.False(t, l.Take(ctx, rule, 1).Allowed, "and it counted")

	// The reference's key: <prefix><kind>:<scope>:<sha256(identity)>:<window_start>, TTL period+5 s.
	sum := sha256.Sum256([]byte("api_key:42"))
	key := rdb.Prefix + "logister:public_api_rate_limit:v1:submission:ingest:" + hex.EncodeToString(sum[:]) + ":1000020"
	n, err := rdb.Get(ctx, key).Int64()
	require.NoError(t, err)
	require.EqualValues(t, 7, n)
	ttl, err := rdb.PTTL(ctx, key).Result()
	require.NoError(t, err)
	require.Greater(t, ttl, 64*time.Second)
	require.LessOrEqual(t, ttl, 65*time.Second)

	// The next window is another key.
	clk.Set(time.Unix(1_000_080, 0))
	require.Equal(t, Decision{Allowed: true, Limit: 3, Remaining: 2, Reset: time.Unix(1_000_140, 0), RetryAfter: time.Minute},
		l.Take(ctx, rule, 1))
	require.True(t, rdb.Exists(ctx, strings.TrimSuffix(key, "1000020")+"1000080").Val() == 1)

	// A counter left without an expiry (by hand, say) gets one at its next increment.
	stray := rdb.Prefix + "logister:public_api_rate_limit:v1:pre_auth:all:" + hex.EncodeToString(sha(t, "ip:192.0.2.1")) + ":1000080"
	require.NoError(t, rdb.Set(ctx, stray, 4, 0).Err())
	d := l.Take(ctx, Rule{Kind: KindPreAuth, Scope: "all", Identity: "ip:192.0.2.1", Limit: 10, Period: time.Minute}, 1)
	require.EqualValues(t, 5, 10-d.Remaining)
	require.Greater(t, rdb.PTTL(ctx, stray).Val(), time.Minute)
}

func sha(t *testing.T, s string) []byte {
	t.Helper()
	sum := sha256.Sum256([]byte(s))
	return sum[:]
}

func TestRedisConcurrentTakesAreExactAcrossLimiters(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, rdb := newRedisLimiter(t, Options{})
	// A second limiter on the same Redis and prefix: another instance.
	b := New(Options{Redis: rdb.Client, KeyPrefix: rdb.Prefix + DefaultKeyPrefix})
	const goroutines, each, limit = 32, 50, 700
	rule := Rule{Kind: KindSubmission, Scope: "ingest", Identity: "api_key:shared", Limit: limit, Period: time.Hour}
	var allowed atomic.Int64
	var wg sync.WaitGroup
	for i := range goroutines {
		l := a
		if i%2 == 1 {
			l = b
		}
		wg.Go(func() {
			for range each {
				if l.Take(ctx, rule, 1).Allowed {
					allowed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	require.EqualValues(t, limit, allowed.Load())
	require.False(t, a.Fallback())
	require.False(t, b.Fallback())
}

func TestRedisTakeIsOneRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base := testredis.New(t)
	rdb := redis.NewClient(base.Options())
	defer rdb.Close()
	counter := &ratelimittest.Trips{}
	rdb.AddHook(counter)
	l := New(Options{Redis: rdb, KeyPrefix: base.Prefix + DefaultKeyPrefix})
	rule := Rule{Kind: KindPreAuth, Scope: "all", Identity: "ip:198.51.100.7", Limit: 100, Period: time.Minute}
	l.Take(ctx, rule, 1) // may load the script: EVALSHA, then EVAL
	before := counter.Count()
	for range 10 {
		l.Take(ctx, rule, 1)
	}
	require.EqualValues(t, 10, counter.Count()-before)
}

func TestRedisFailureFallsBackAndRecovers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	server := ratelimittest.StartRedis(t)
	rdb, err := NewRedisClient(server.URL())
	require.NoError(t, err)
	defer rdb.Close()

	var logs bytes.Buffer
	var mu sync.Mutex
	var transitions []bool
	var redisErrors atomic.Int64
	clk := newClock(time.Unix(2_000_000, 0))
	l := New(Options{
		Redis: rdb, Now: clk.Now, RetryInterval: 5 * time.Second,
		Logger: slog.New(slog.NewTextHandler(&lockedBuffer{b: &logs, mu: &mu}, nil)),
		OnFallback: func(active bool) {
			mu.Lock()
			transitions = append(transitions, active)
			mu.Unlock()
		},
		OnRedisError: func() { redisErrors.Add(1) },
	})
	logged := func(s string) int {
		mu.Lock()
		defer mu.Unlock()
		return strings.Count(logs.String(), s)
	}
	rule := Rule{Kind: KindSubmission, Scope: "ingest", Identity: "api_key:7", Limit: 5, Period: time.Minute}

	for range 3 {
		require.True(t, l.Take(ctx, rule, 1).Allowed)
	}
	require.False(t, l.Fallback())

	server.Kill()
	// Requests keep being decided, by the in-process counters (which start at 0): 5 more, then 429.
	for i := range 5 {
		d := l.Take(ctx, rule, 1)
		require.True(t, d.Allowed, "take %d", i)
		require.EqualValues(t, 4-i, d.Remaining)
	}
	require.False(t, l.Take(ctx, rule, 1).Allowed, "the fallback limits too; it is not unlimited")
	require.True(t, l.Fallback())
	require.EqualValues(t, 1, redisErrors.Load(), "Redis is not asked again before the retry interval")
	require.Equal(t, 1, logged("rate limits fall back to in-process counters"))

	// After the retry interval one request tries Redis again; still dead: no second warning within a minute.
	clk.Advance(6 * time.Second)
	require.False(t, l.Take(ctx, rule, 1).Allowed)
	require.EqualValues(t, 2, redisErrors.Load())
	require.Equal(t, 1, logged("rate limits fall back to in-process counters"))
	// A minute later, the next failure warns again.
	clk.Advance(time.Minute)
	l.Take(ctx, rule, 1)
	require.EqualValues(t, 3, redisErrors.Load())
	require.Equal(t, 2, logged("rate limits fall back to in-process counters"))

	// Redis comes back: after the retry interval it is used again.
	server.Start()
	require.True(t, l.Take(ctx, rule, 1).Allowed, "still the fallback until the retry interval has passed (a new window: 66 s later)")
	require.True(t, l.Fallback())
	clk.Advance(6 * time.Second)
	d := l.Take(ctx, rule, 1)
	require.True(t, d.Allowed)
	require.False(t, l.Fallback())
	require.Equal(t, 1, logged("rate limits use Redis again"))
	require.EqualValues(t, 4, d.Remaining, "Redis counts from its own state: the restarted server's is empty")
	require.True(t, l.Take(ctx, rule, 1).Allowed)
	key := newRedisStore(rdb, DefaultKeyPrefix).key(window{kind: rule.Kind, scope: rule.Scope, identity: rule.Identity, start: 2_000_040, period: 60})
	require.Equal(t, "2", rdb.Get(ctx, key).Val())
	require.Equal(t, 0, l.mem.size(), "the stale in-process counters are dropped")
	mu.Lock()
	require.Equal(t, []bool{true, false}, transitions)
	mu.Unlock()
}

type lockedBuffer struct {
	b  *bytes.Buffer
	mu *sync.Mutex
}

func (w *lockedBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func TestCanceledRequestsDoNotTripTheFallback(t *testing.T) {
	t.Parallel()
	l, _ := newRedisLimiter(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	d := l.Take(ctx, Rule{Kind: KindPreAuth, Scope: "all", Identity: "ip:x", Limit: 1, Period: time.Minute}, 1)
	require.True(t, d.Allowed, "decided in process")
	require.False(t, l.Fallback())
}

func TestRedisTakeAllCountsSeveralCountersInOneRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base := testredis.New(t)
	rdb := redis.NewClient(base.Options())
	defer rdb.Close()
	counter := &ratelimittest.Trips{}
	rdb.AddHook(counter)
	clk := newClock(time.Unix(2_000_010, 0))
	l := New(Options{Redis: rdb, KeyPrefix: base.Prefix + DefaultKeyPrefix, Now: clk.Now})
	ip := Rule{Kind: KindPreAuth, Scope: "all", Identity: "ip:198.51.100.8", Limit: 100, Period: time.Minute}
	key := Rule{Kind: KindSubmission, Scope: "ingest", Identity: "api_key:9", Limit: 3, Period: time.Minute}
	l.Take(ctx, ip, 1) // may load the script
	before := counter.Count()
	d := l.TakeAll(ctx, Request{Rule: ip, Amount: 1}, Request{Rule: key, Amount: 2})
	require.EqualValues(t, 1, counter.Count()-before, "one round trip for both counters")
	require.True(t, d[0].Allowed)
	require.EqualValues(t, 98, d[0].Remaining)
	require.True(t, d[1].Allowed)
	require.EqualValues(t, 1, d[1].Remaining)
	d = l.TakeAll(ctx, Request{Rule: ip, Amount: 1}, Request{Rule: key, Amount: 2})
	require.True(t, d[0].Allowed)
	require.False(t, d[1].Allowed, "each counter decides on its own")
	require.Equal(t, "4", rdb.Get(ctx, l.redis.key(window{kind: key.Kind, scope: key.Scope, identity: key.Identity,
		start: 1_999_980, period: 60})).Val(), "the refused amount counted too")

	// A request refused by one counter does not use up the next.
	tight := Rule{Kind: KindPreAuth, Scope: "all", Identity: "ip:198.51.100.9", Limit: 1, Period: time.Minute}
	l.Take(ctx, tight, 1)
	d = l.TakeAll(ctx, Request{Rule: tight, Amount: 1}, Request{Rule: key, Amount: 1})
	require.False(t, d[0].Allowed)
	require.Equal(t, Decision{}, d[1], "not decided")
	require.Equal(t, "4", rdb.Get(ctx, l.redis.key(window{kind: key.Kind, scope: key.Scope, identity: key.Identity,
		start: 1_999_980, period: 60})).Val(), "not counted")

	// The same in process.
	m := New(Options{Now: clk.Now})
	m.Take(ctx, tight, 1)
	d = m.TakeAll(ctx, Request{Rule: tight, Amount: 1}, Request{Rule: key, Amount: 1})
	require.False(t, d[0].Allowed)
	require.Equal(t, Decision{}, d[1])
	require.EqualValues(t, 2, m.Take(ctx, key, 1).Remaining, "the key's first count")
}
