package ratelimit

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// clock is a settable clock for Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *clock { return &clock{t: t} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

func (c *clock) Advance(d time.Duration) { c.Set(c.Now().Add(d)) }

func TestMemoryWindows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// 1000065.25 s: the 60 s window is [1000020, 1000080).
	clk := newClock(time.Unix(1_000_065, 250_000_000))
	l := New(Options{Now: clk.Now})
	rule := Rule{Kind: KindSubmission, Scope: "ingest", Identity: "api_key:1", Limit: 3, Period: time.Minute}

	for i, want := range []Decision{
		{Allowed: true, Limit: 3, Remaining: 2, Reset: time.Unix(1_000_080, 0), RetryAfter: 15 * time.Second},
		{Allowed: true, Limit: 3, Remaining: 1, Reset: time.Unix(1_000_080, 0), RetryAfter: 15 * time.Second},
		{Allowed: true, Limit: 3, Remaining: 0, Reset: time.Unix(1_000_080, 0), RetryAfter: 15 * time.Second},
		{Allowed: false, Limit: 3, Remaining: 0, Reset: time.Unix(1_000_080, 0), RetryAfter: 15 * time.Second},
	} {
		require.Equal(t, want, l.Take(ctx, rule, 1), "take %d", i+1)
	}

	// Other identities, scopes and kinds count apart.
	require.True(t, l.Take(ctx, Rule{Kind: KindSubmission, Scope: "check_in", Identity: "api_key:1", Limit: 3, Period: time.Minute}, 1).Allowed)
	require.True(t, l.Take(ctx, Rule{Kind: KindSubmission, Scope: "ingest", Identity: "api_key:2", Limit: 3, Period: time.Minute}, 1).Allowed)
	require.True(t, l.Take(ctx, Rule{Kind: KindAuthFailure, Scope: "ingest", Identity: "api_key:1", Limit: 3, Period: time.Minute}, 1).Allowed)

	// Retry-After is at least a second, even in the window's last instant.
	clk.Set(time.Unix(1_000_079, 999_000_000))
	require.Equal(t, time.Second, l.Take(ctx, rule, 1).RetryAfter)

	// The next window starts afresh.
	clk.Set(time.Unix(1_000_080, 0))
	d := l.Take(ctx, rule, 1)
	require.Equal(t, Decision{Allowed: true, Limit: 3, Remaining: 2, Reset: time.Unix(1_000_140, 0), RetryAfter: time.Minute}, d)
}

func TestMemoryAmountOvershootIsRefusedWholeAndCounts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l := New(Options{Now: newClock(time.Unix(1_200, 0)).Now})
	rule := Rule{Kind: KindSubmission, Scope: "ingest", Identity: "api_key:9", Limit: 10, Period: 10 * time.Second}

	d := l.Take(ctx, rule, 7)
	require.True(t, d.Allowed)
	require.EqualValues(t, 3, d.Remaining)
	d = l.Take(ctx, rule, 4) // 11 > 10: refused whole
	require.False(t, d.Allowed)
	require.EqualValues(t, 0, d.Remaining)
	// As in the reference, the refused amount still counts: the 3 that were left are gone.
	require.False(t, l.Take(ctx, rule, 1).Allowed)
	// A non-positive amount counts as one.
	require.False(t, l.Take(ctx, rule, 0).Allowed)
}

func TestMemoryPeriodsAlignToUnixTime(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := newClock(time.Unix(7_199, 0))
	l := New(Options{Now: clk.Now})
	for _, tt := range []struct {
		period    time.Duration
		wantReset int64
	}{
		{time.Second, 7_200}, {7 * time.Second, 7_203}, {time.Hour, 7_200}, {86_400 * time.Second, 86_400},
		{1500 * time.Millisecond, 7_200}, // whole seconds: 1 s
	} {
		d := l.Take(ctx, Rule{Kind: KindPreAuth, Scope: "all", Identity: fmt.Sprint(tt.period), Limit: 5, Period: tt.period}, 1)
		require.Equal(t, tt.wantReset, d.Reset.Unix(), tt.period)
	}
}

func TestMemoryConcurrentTakesAreExact(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l := New(Options{})
	const goroutines, each, limit = 64, 200, 5_000
	rule := Rule{Kind: KindSubmission, Scope: "ingest", Identity: "api_key:hot", Limit: limit, Period: time.Hour}
	var allowed, refused atomic.Int64
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for range each {
				if l.Take(ctx, rule, 1).Allowed {
					allowed.Add(1)
				} else {
					refused.Add(1)
				}
			}
		})
	}
	wg.Wait()
	require.EqualValues(t, limit, allowed.Load())
	require.EqualValues(t, goroutines*each-limit, refused.Load())
	// The count went on past the limit, and the window has 0 left.
	require.EqualValues(t, 0, l.Take(ctx, rule, 1).Remaining)
	require.EqualValues(t, goroutines*each+2, l.mem.incr(window{kind: rule.Kind, scope: rule.Scope, identity: rule.Identity,
		start: floorDiv(time.Now().Unix(), 3600) * 3600, period: 3600}, 1, time.Now()))
}

func TestMemoryIsBounded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := newClock(time.Unix(50_000, 0))
	l := New(Options{Now: clk.Now, MaxEntries: 64 * 32})
	for i := range 50_000 {
		l.Take(ctx, Rule{Kind: KindPreAuth, Scope: "all", Identity: fmt.Sprintf("ip:%d", i), Limit: 10, Period: time.Minute}, 1)
	}
	require.LessOrEqual(t, l.mem.size(), 64*32)

	// Expired windows are swept: after they end, new traffic leaves only the new entries. (A shard
	// sweeps when it is next touched; 1,024 new identities touch all 64 shards but with a chance of
	// about 1e-5, so the few stale entries allowed below cover that.)
	clk.Advance(2 * time.Minute)
	const fresh = 64 * 16
	for i := range fresh {
		l.Take(ctx, Rule{Kind: KindPreAuth, Scope: "all", Identity: fmt.Sprintf("ip:new-%d", i), Limit: 10, Period: time.Minute}, 1)
	}
	require.LessOrEqual(t, l.mem.size(), fresh+32)
}

func TestPolicy(t *testing.T) {
	t.Parallel()
	require.Equal(t, DefaultPolicy, Policy{}.WithDefaults())
	require.Equal(t, DefaultPolicy, Policy{Requests: -1, AuthFailures: -5, PreAuth: 0, Period: 500 * time.Millisecond}.WithDefaults())
	p := Policy{Requests: 10, AuthFailures: 2, PreAuth: 100, Period: 90 * time.Second}
	require.Equal(t, p, p.WithDefaults())

	n := func(v int) *int { return &v }
	require.Equal(t, p, p.For(Overrides{}))
	require.Equal(t, Policy{Requests: 5000, AuthFailures: 7, PreAuth: 100, Period: 3 * time.Second},
		p.For(Overrides{Requests: n(5000), PeriodSeconds: n(3), AuthFailures: n(7)}))
	require.Equal(t, p, p.For(Overrides{Requests: n(0)}), "non-positive overrides do not apply")
}
