package httpapi_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/httpapi"
	"github.com/logister/logister/server/internal/intake"
	"github.com/logister/logister/server/internal/logging"
	"github.com/logister/logister/server/internal/metrics"
	"github.com/logister/logister/server/internal/project"
	"github.com/logister/logister/server/internal/ratelimit"
	"github.com/logister/logister/server/internal/ratelimit/ratelimittest"
	"github.com/logister/logister/server/internal/store"
	"github.com/logister/logister/server/internal/testdb"
	"github.com/logister/logister/server/internal/testredis"
)

// limitClock is a settable clock for the limiter, so that windows and Retry-After are exact and a
// window ends without waiting.
type limitClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *limitClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *limitClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// limitedServer is the HTTP layer with given rate limits on a real database, with one project and
// one key.
type limitedServer struct {
	e       *echo.Echo
	st      *store.Store
	reg     *metrics.Registry
	logs    *lockedLog
	key     string
	project *store.Project
	svc     *project.Service
}

type limitedOpts struct {
	policy  ratelimit.Policy
	limiter *ratelimit.Limiter
	trusted []netip.Prefix
	st      *store.Store // shared with another instance; nil makes a new database
}

func setupLimited(t *testing.T, opts limitedOpts) *limitedServer {
	t.Helper()
	ctx := context.Background()
	st := opts.st
	if st == nil {
		st = testdb.New(t)
	}
	logs := &lockedLog{}
	logger := logging.New(logs, "json", slog.LevelDebug)
	reg := metrics.New(nil)
	e, err := httpapi.New(httpapi.Deps{
		Logger:         logger,
		Metrics:        reg,
		InstanceName:   "Test Instance",
		Version:        "1.2.3",
		Auth:           project.NewAuthenticator(st.DB),
		Intake:         intake.NewService(newCommitter(t, st), st),
		RateLimiter:    opts.limiter,
		RateLimits:     opts.policy,
		TrustedProxies: opts.trusted,
	})
	require.NoError(t, err)
	s := &limitedServer{e: e, st: st, reg: reg, logs: logs, svc: project.NewService(st.DB, "logister")}
	if opts.st == nil {
		s.project, err = s.svc.Create(ctx, "Limited", "")
		require.NoError(t, err)
		s.key, _, err = s.svc.CreateKey(ctx, s.project.Slug, "")
		require.NoError(t, err)
	}
	return s
}

// post sends body to path from 192.0.2.1 (httptest's address) with the server's key, unless header
// says otherwise.
func (s *limitedServer) post(t *testing.T, path, body string, header http.Header) *httptest.ResponseRecorder {
	t.Helper()
	return s.send(path, "192.0.2.1:1234", strings.NewReader(body), header, s.key)
}

func (s *limitedServer) send(path, remote string, body io.Reader, header http.Header, key string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, body)
	req.RemoteAddr = remote
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	s.e.ServeHTTP(rec, req)
	return rec
}

func (s *limitedServer) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, s.st.Pool.QueryRow(context.Background(), query, args...).Scan(&n))
	return n
}

func (s *limitedServer) metric(t *testing.T, line string) bool {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, s.reg.WriteText(&b))
	return strings.Contains(b.String(), line)
}

type lockedLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *lockedLog) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *lockedLog) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// requireRateLimitHeaders checks the X-RateLimit-* headers of a response.
func requireRateLimitHeaders(t *testing.T, rec *httptest.ResponseRecorder, limit, remaining int, reset int64) {
	t.Helper()
	require.Equal(t, strconv.Itoa(limit), rec.Header().Get("X-RateLimit-Limit"), "X-RateLimit-Limit")
	require.Equal(t, strconv.Itoa(remaining), rec.Header().Get("X-RateLimit-Remaining"), "X-RateLimit-Remaining")
	require.Equal(t, strconv.FormatInt(reset, 10), rec.Header().Get("X-RateLimit-Reset"), "X-RateLimit-Reset")
}

// requireRateLimited checks a 429: its Retry-After and the reference's body (plus our code and
// request id).
func requireRateLimited(t *testing.T, rec *httptest.ResponseRecorder, limit, window, retryAfter int) {
	t.Helper()
	require.Equal(t, http.StatusTooManyRequests, rec.Code, rec.Body.String())
	require.Equal(t, strconv.Itoa(retryAfter), rec.Header().Get("Retry-After"))
	require.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	require.JSONEq(t, fmt.Sprintf(`{"error":"Rate limit exceeded","code":"rate_limited","requestId":%q,
		"limit":%d,"window_seconds":%d,"retry_after":%d}`, rec.Header().Get("X-Request-Id"), limit, window, retryAfter),
		rec.Body.String())
}

func logEventBody(msg string) string {
	return fmt.Sprintf(`{"event":{"event_type":"log","message":%q}}`, msg)
}

func TestRateLimitPerKeyAndEndpoint(t *testing.T) {
	t.Parallel()
	// 1000065 s: the 60 s window is [1000020, 1000080).
	clk := &limitClock{t: time.Unix(1_000_065, 500_000_000)}
	s := setupLimited(t, limitedOpts{
		policy:  ratelimit.Policy{Requests: 3, Period: time.Minute},
		limiter: ratelimit.New(ratelimit.Options{Now: clk.Now}),
	})
	dup := fmt.Sprintf(`{"event":{"uuid":%q,"event_type":"log","message":"again"}}`, uuid.NewString())

	rec := s.post(t, "/api/v1/ingest_events", dup, nil)
	require.Equal(t, 201, rec.Code, rec.Body.String())
	requireRateLimitHeaders(t, rec, 3, 2, 1_000_080)
	rec = s.post(t, "/api/v1/ingest_events.json", dup, nil)
	require.Equal(t, 200, rec.Code, "a duplicate counts too")
	requireRateLimitHeaders(t, rec, 3, 1, 1_000_080)
	rec = s.post(t, "/api/v1/ingest_events", `{"event":{"event_type":"log","message":""}}`, nil)
	require.Equal(t, 422, rec.Code, "so does an invalid event")
	requireRateLimitHeaders(t, rec, 3, 0, 1_000_080)

	rec = s.post(t, "/api/v1/ingest_events", logEventBody("refused"), nil)
	requireRateLimited(t, rec, 3, 60, 15)
	requireRateLimitHeaders(t, rec, 3, 0, 1_000_080)
	require.Equal(t, 0, s.count(t, "SELECT count(*) FROM telemetry_events WHERE message = 'refused'"))
	require.True(t, s.metric(t, `logister_rate_limited_requests_total{kind="submission"} 1`))

	// The batch endpoint shares the ingest counter; check-ins and deployments have their own.
	rec = s.post(t, "/api/v1/ingest_events/batch", fmt.Sprintf(`{"event":{"uuid":%q,"message":"b"}}`, uuid.NewString()),
		http.Header{"Content-Type": {"application/x-ndjson"}})
	requireRateLimited(t, rec, 3, 60, 15)
	rec = s.post(t, "/api/v1/check_ins", `{"check_in":{"slug":"nightly","status":"ok"}}`, nil)
	require.Equal(t, 201, rec.Code, rec.Body.String())
	requireRateLimitHeaders(t, rec, 3, 2, 1_000_080)
	rec = s.post(t, "/api/v1/deployments", `{"deployment":{"release":"1.0.0","repository":"acme/shop","commit_sha":"abcdef1"}}`, nil)
	require.Equal(t, 201, rec.Code, rec.Body.String())
	requireRateLimitHeaders(t, rec, 3, 2, 1_000_080)

	// Retry-After is never below one second.
	clk.Set(time.Unix(1_000_079, 900_000_000))
	requireRateLimited(t, s.post(t, "/api/v1/ingest_events", logEventBody("refused"), nil), 3, 60, 1)

	// The window resets.
	clk.Set(time.Unix(1_000_080, 0))
	rec = s.post(t, "/api/v1/ingest_events", logEventBody("next window"), nil)
	require.Equal(t, 201, rec.Code, rec.Body.String())
	requireRateLimitHeaders(t, rec, 3, 2, 1_000_140)
}

func TestRateLimitProjectOverrides(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := &limitClock{t: time.Unix(6_000_003, 0)}
	s := setupLimited(t, limitedOpts{
		policy:  ratelimit.Policy{Requests: 100, Period: time.Minute},
		limiter: ratelimit.New(ratelimit.Options{Now: clk.Now}),
	})
	_, err := s.svc.SetRateLimits(ctx, s.project.Slug, project.RateLimitChange{Requests: project.SetTo(2), PeriodSeconds: project.SetTo(7)})
	require.NoError(t, err)
	// A new key: the authenticator caches the old one's settings for up to two seconds.
	key, _, err := s.svc.CreateKey(ctx, s.project.Slug, "fresh")
	require.NoError(t, err)
	post := func() *httptest.ResponseRecorder {
		return s.send("/api/v1/ingest_events", "192.0.2.1:1", strings.NewReader(logEventBody("o")), nil, key)
	}

	// 6000003 s: the 7 s window is [6000001, 6000008).
	rec := post()
	require.Equal(t, 201, rec.Code)
	requireRateLimitHeaders(t, rec, 2, 1, 6_000_008)
	require.Equal(t, 201, post().Code)
	requireRateLimited(t, post(), 2, 7, 5)
	clk.Set(time.Unix(6_000_008, 0))
	rec = post()
	require.Equal(t, 201, rec.Code)
	requireRateLimitHeaders(t, rec, 2, 1, 6_000_015)

	// The project's other key has the same limit, and its own count.
	rec = s.post(t, "/api/v1/ingest_events", logEventBody("other key"), nil)
	require.Equal(t, 201, rec.Code)
	requireRateLimitHeaders(t, rec, 2, 1, 6_000_015)

	// Another project keeps the instance's limits.
	other, err := s.svc.Create(ctx, "Unlimited", "")
	require.NoError(t, err)
	otherKey, _, err := s.svc.CreateKey(ctx, other.Slug, "")
	require.NoError(t, err)
	rec = s.send("/api/v1/ingest_events", "192.0.2.1:1", strings.NewReader(logEventBody("o")), nil, otherKey)
	require.Equal(t, 201, rec.Code)
	requireRateLimitHeaders(t, rec, 100, 99, 6_000_060)
}

// gzipString compresses s.
func gzipString(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, err := zw.Write([]byte(s))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return b.String()
}

func ndjsonBatch(n int, msg string) string {
	lines := make([]string, n)
	for i := range lines {
		lines[i] = fmt.Sprintf(`{"event":{"uuid":%q,"event_type":"log","message":%q}}`, uuid.NewString(), msg)
	}
	return strings.Join(lines, "\n \n") + "\n"
}

func TestRateLimitBatchCountsEnvelopes(t *testing.T) {
	t.Parallel()
	clk := &limitClock{t: time.Unix(2_000_000, 0)}
	s := setupLimited(t, limitedOpts{
		policy:  ratelimit.Policy{Requests: 10, Period: time.Minute},
		limiter: ratelimit.New(ratelimit.Options{Now: clk.Now}),
	})
	nd := http.Header{"Content-Type": {"application/x-ndjson"}}
	gz := http.Header{"Content-Type": {"application/x-ndjson; charset=utf-8"}, "Content-Encoding": {"gzip"}}

	rec := s.post(t, "/api/v1/ingest_events/batch", gzipString(t, ndjsonBatch(4, "first")), gz)
	require.Equal(t, 202, rec.Code, rec.Body.String())
	requireRateLimitHeaders(t, rec, 10, 6, 2_000_040)
	rec = s.post(t, "/api/v1/ingest_events/batch", ndjsonBatch(2, "second"), nd)
	require.Equal(t, 202, rec.Code, rec.Body.String())
	requireRateLimitHeaders(t, rec, 10, 4, 2_000_040)

	// A batch refused by decoding is charged for one request only, like the reference.
	rec = s.post(t, "/api/v1/ingest_events/batch", ndjsonBatch(2, "wrong type"), nil)
	require.Equal(t, 415, rec.Code)
	requireRateLimitHeaders(t, rec, 10, 3, 2_000_040)
	rec = s.post(t, "/api/v1/ingest_events/batch", "not gzip", gz)
	require.Equal(t, 400, rec.Code)
	requireRateLimitHeaders(t, rec, 10, 2, 2_000_040)

	// 1 + 4 > 2 left: refused whole, nothing stored, and the window is used up.
	rec = s.post(t, "/api/v1/ingest_events/batch", ndjsonBatch(5, "overshoot"), nd)
	requireRateLimited(t, rec, 10, 60, 40)
	requireRateLimitHeaders(t, rec, 10, 0, 2_000_040)
	require.Equal(t, 0, s.count(t, "SELECT count(*) FROM telemetry_events WHERE message = 'overshoot'"))
	requireRateLimited(t, s.post(t, "/api/v1/ingest_events", logEventBody("single"), nil), 10, 60, 40)
	require.Equal(t, 6, s.count(t, "SELECT count(*) FROM telemetry_events"))
}

func TestRateLimitAuthFailures(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := &limitClock{t: time.Unix(3_000_000, 0)}
	s := setupLimited(t, limitedOpts{limiter: ratelimit.New(ratelimit.Options{Now: clk.Now})}) // the defaults
	bad := "logister_" + strings.Repeat("0", 48)

	for i := range 120 {
		rec := s.send("/api/v1/ingest_events", "198.51.100.4:1000", strings.NewReader(logEventBody("x")), nil, bad)
		require.Equal(t, 401, rec.Code)
		requireRateLimitHeaders(t, rec, 120, 119-i, 3_000_060)
	}
	rec := s.send("/api/v1/ingest_events", "198.51.100.4:1001", strings.NewReader(logEventBody("x")), nil, bad)
	requireRateLimited(t, rec, 120, 60, 60)
	rec = s.send("/api/v1/check_ins", "198.51.100.4:1001", strings.NewReader(logEventBody("x")), nil, "")
	requireRateLimited(t, rec, 120, 60, 60)
	require.True(t, s.metric(t, `logister_rate_limited_requests_total{kind="auth_failure"} 2`))

	// A valid key from the same address still works; another address may still fail.
	rec = s.send("/api/v1/ingest_events", "198.51.100.4:1002", strings.NewReader(logEventBody("ok")), nil, s.key)
	require.Equal(t, 201, rec.Code)
	requireRateLimitHeaders(t, rec, 1200, 1199, 3_000_060)
	rec = s.send("/api/v1/ingest_events", "198.51.100.5:1000", strings.NewReader(logEventBody("x")), nil, bad)
	require.Equal(t, 401, rec.Code)
	require.JSONEq(t, fmt.Sprintf(`{"error":"Unauthorized","code":"unauthorized","requestId":%q}`, rec.Header().Get("X-Request-Id")), rec.Body.String())

	// A revoked key counts against its project's auth-failure override.
	p, err := s.svc.Create(ctx, "Strict", "")
	require.NoError(t, err)
	_, err = s.svc.SetRateLimits(ctx, p.Slug, project.RateLimitChange{AuthFailures: project.SetTo(2)})
	require.NoError(t, err)
	revoked, k, err := s.svc.CreateKey(ctx, p.Slug, "")
	require.NoError(t, err)
	require.NoError(t, store.RevokeAPIKey(ctx, s.st.DB, k.ID))
	for _, want := range []int{401, 401, 429} {
		rec = s.send("/api/v1/ingest_events", "198.51.100.6:1000", strings.NewReader(logEventBody("x")), nil, revoked)
		require.Equal(t, want, rec.Code)
		require.Equal(t, "2", rec.Header().Get("X-RateLimit-Limit"))
	}
}

// unreadableBody is a request body that fails the test if anything reads it.
type unreadableBody struct{ t *testing.T }

func (u unreadableBody) Read([]byte) (int, error) {
	u.t.Error("the body was read")
	return 0, io.EOF
}

func TestRateLimitPreAuthGuard(t *testing.T) {
	t.Parallel()
	clk := &limitClock{t: time.Unix(4_000_010, 0)}
	s := setupLimited(t, limitedOpts{
		policy:  ratelimit.Policy{PreAuth: 4, Period: time.Minute},
		limiter: ratelimit.New(ratelimit.Options{Now: clk.Now}),
	})
	// Every public endpoint shares it, authenticated or not.
	require.Equal(t, 201, s.send("/api/v1/ingest_events", "203.0.113.1:1", strings.NewReader(logEventBody("a")), nil, s.key).Code)
	require.Equal(t, 401, s.send("/api/v1/check_ins", "203.0.113.1:1", strings.NewReader(`{}`), nil, "wrong").Code)
	require.Equal(t, 400, s.send("/api/v1/deployments", "203.0.113.1:1", strings.NewReader(`{}`), nil, s.key).Code)
	rec := s.send("/api/v1/ingest_events/batch", "203.0.113.1:1", strings.NewReader(ndjsonBatch(1, "b")), http.Header{"Content-Type": {"application/x-ndjson"}}, s.key)
	require.Equal(t, 202, rec.Code, rec.Body.String())

	// Over the cap: refused before the body is read (and, for a key not known in memory, before
	// authentication).
	rec = s.send("/api/v1/ingest_events", "203.0.113.1:1", unreadableBody{t}, nil, s.key)
	requireRateLimited(t, rec, 4, 60, 10)
	requireRateLimitHeaders(t, rec, 4, 0, 4_000_020)
	require.True(t, s.metric(t, `logister_rate_limited_requests_total{kind="pre_auth"} 1`))

	// Other clients, and the rest of the API, are not affected.
	require.Equal(t, 201, s.send("/api/v1/ingest_events", "203.0.113.2:1", strings.NewReader(logEventBody("c")), nil, s.key).Code)
	req := httptest.NewRequest(http.MethodGet, "/up", nil)
	req.RemoteAddr = "203.0.113.1:1"
	up := httptest.NewRecorder()
	s.e.ServeHTTP(up, req)
	require.Equal(t, 200, up.Code)
	require.Empty(t, up.Header().Get("X-RateLimit-Limit"))

	// An IPv6 client is counted by its /64, whatever address of it it uses.
	for i, want := range []int{201, 201, 201, 201, 429} {
		rec = s.send("/api/v1/ingest_events", fmt.Sprintf("[2001:db8:1:2::%x]:443", i+1), strings.NewReader(logEventBody("v6")), nil, s.key)
		require.Equal(t, want, rec.Code)
	}
	require.Equal(t, 201, s.send("/api/v1/ingest_events", "[2001:db8:1:3::1]:443", strings.NewReader(logEventBody("v6")), nil, s.key).Code)
}

func TestRateLimitSpoofedForwardedFor(t *testing.T) {
	t.Parallel()
	policy := ratelimit.Policy{PreAuth: 2, Period: time.Hour}

	// No trusted proxy: X-Forwarded-For is ignored, in the limits and in the access log.
	s := setupLimited(t, limitedOpts{policy: policy})
	for i, want := range []int{201, 201, 429} {
		rec := s.send("/api/v1/ingest_events", "192.0.2.50:1", strings.NewReader(logEventBody("s")),
			http.Header{"X-Forwarded-For": {fmt.Sprintf("10.9.9.%d", i)}, "X-Real-Ip": {"10.8.8.8"}}, s.key)
		require.Equal(t, want, rec.Code)
	}
	require.Contains(t, s.logs.String(), `"remote_ip":"192.0.2.50"`)
	require.NotContains(t, s.logs.String(), `10.9.9.`)

	// Behind a trusted proxy, the address it appends is the client, whatever the client claimed.
	s = setupLimited(t, limitedOpts{policy: policy, trusted: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}})
	viaProxy := func(xff string) int {
		return s.send("/api/v1/ingest_events", "10.0.0.7:1", strings.NewReader(logEventBody("p")),
			http.Header{"X-Forwarded-For": {xff}}, s.key).Code
	}
	require.Equal(t, 201, viaProxy("203.0.113.9"))
	require.Equal(t, 201, viaProxy("1.1.1.1, 203.0.113.9"))
	require.Equal(t, 429, viaProxy("2.2.2.2, 203.0.113.9, 10.0.0.3"), "spoofed entries and trusted hops are skipped")
	require.Equal(t, 201, viaProxy("203.0.113.10"), "another client behind the proxy")
	require.Contains(t, s.logs.String(), `"remote_ip":"203.0.113.10"`)
}

func TestRateLimitTwoInstancesShareRedis(t *testing.T) {
	t.Parallel()
	rdb := testredis.New(t)
	limiter := func() *ratelimit.Limiter {
		client, err := ratelimit.NewRedisClient(testredis.URL())
		require.NoError(t, err)
		t.Cleanup(func() { _ = client.Close() })
		return ratelimit.New(ratelimit.Options{Redis: client, KeyPrefix: rdb.Prefix + ratelimit.DefaultKeyPrefix})
	}
	// The window is an hour, so that it does not end during the test.
	policy := ratelimit.Policy{Requests: 25, Period: time.Hour}
	a := setupLimited(t, limitedOpts{policy: policy, limiter: limiter()})
	b := setupLimited(t, limitedOpts{policy: policy, limiter: limiter(), st: a.st})
	b.key = a.key

	var accepted, refused atomic.Int64
	var wg sync.WaitGroup
	for i := range 10 {
		s := a
		if i%2 == 1 {
			s = b
		}
		wg.Go(func() {
			for range 8 {
				switch rec := s.send("/api/v1/ingest_events", "192.0.2.1:1", strings.NewReader(logEventBody("shared")), nil, s.key); rec.Code {
				case 201:
					accepted.Add(1)
				case 429:
					refused.Add(1)
				default:
					t.Errorf("status %d: %s", rec.Code, rec.Body.String())
				}
			}
		})
	}
	wg.Wait()
	require.EqualValues(t, 25, accepted.Load(), "one limit for both instances, not one each")
	require.EqualValues(t, 55, refused.Load())
	require.Equal(t, 25, a.count(t, "SELECT count(*) FROM telemetry_events WHERE message = 'shared'"))
}

func TestRateLimitSurvivesRedisDeath(t *testing.T) {
	t.Parallel()
	server := ratelimittest.StartRedis(t)
	client, err := ratelimit.NewRedisClient(server.URL())
	require.NoError(t, err)
	t.Cleanup(func() { _ = client.Close() })
	reg := metrics.New(nil)
	logs := &lockedLog{}
	// A fixed clock keeps every request in one window, and Redis is not retried: the fallback decides
	// everything after the kill.
	clk := &limitClock{t: time.Unix(5_000_000, 0)}
	limiter := ratelimit.New(ratelimit.Options{Redis: client, Now: clk.Now, Logger: slog.New(slog.NewJSONHandler(logs, nil)),
		OnFallback: reg.SetRateLimitFallback})
	s := setupLimited(t, limitedOpts{policy: ratelimit.Policy{Requests: 30, Period: time.Minute}, limiter: limiter})

	var statuses sync.Map
	var done atomic.Int64
	var accepted atomic.Int64
	var killOnce sync.Once
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 10 {
				rec := s.send("/api/v1/ingest_events", "192.0.2.1:1", strings.NewReader(logEventBody("kill")), nil, s.key)
				n, _ := statuses.LoadOrStore(rec.Code, new(atomic.Int64))
				n.(*atomic.Int64).Add(1)
				if rec.Code == 201 {
					accepted.Add(1)
				}
				if done.Add(1) == 20 {
					killOnce.Do(server.Kill) // mid-test, with requests in flight
				}
			}
		})
	}
	wg.Wait()
	statuses.Range(func(code, n any) bool {
		require.Contains(t, []int{201, 429}, code, "%d answers with status %d", n.(*atomic.Int64).Load(), code)
		return true
	})
	// Before the kill Redis counted, after it the in-process fallback: each allows at most 30, and
	// together at least 30 of the 80.
	require.GreaterOrEqual(t, accepted.Load(), int64(30))
	require.LessOrEqual(t, accepted.Load(), int64(60))
	require.True(t, limiter.Fallback())
	var b bytes.Buffer
	require.NoError(t, reg.WriteText(&b))
	require.Contains(t, b.String(), "logister_rate_limit_fallback 1")
	require.Equal(t, 1, strings.Count(logs.String(), "rate limits fall back to in-process counters"))
	require.Equal(t, int(accepted.Load()), s.count(t, "SELECT count(*) FROM telemetry_events WHERE message = 'kill'"))
}

// TestRateLimitResponseOfTheContract checks the 429 against the spec's RateLimitError.
func TestRateLimitResponseOfTheContract(t *testing.T) {
	t.Parallel()
	s := setupLimited(t, limitedOpts{policy: ratelimit.Policy{Requests: 1, Period: time.Hour}})
	require.Equal(t, 201, s.post(t, "/api/v1/ingest_events", logEventBody("one"), nil).Code)
	rec := s.post(t, "/api/v1/ingest_events", logEventBody("two"), nil)
	require.Equal(t, 429, rec.Code)
	var body map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
	for _, field := range []string{"error", "code", "limit", "window_seconds", "retry_after", "requestId"} {
		require.Contains(t, body, field)
	}
	retry, err := strconv.Atoi(rec.Header().Get("Retry-After"))
	require.NoError(t, err)
	require.GreaterOrEqual(t, retry, 1)
	require.LessOrEqual(t, retry, 3600)
	require.EqualValues(t, retry, body["retry_after"])
}

// With Redis, an accepted request costs one round trip: its pre-auth and key counters travel
// together once the key is known; an unknown key's pre-auth count goes first, before the database.
func TestRateLimitOneRedisRoundTripPerRequest(t *testing.T) {
	t.Parallel()
	rdb := testredis.New(t)
	client, err := ratelimit.NewRedisClient(testredis.URL())
	require.NoError(t, err)
	t.Cleanup(func() { _ = client.Close() })
	trips := &ratelimittest.Trips{}
	client.AddHook(trips)
	s := setupLimited(t, limitedOpts{limiter: ratelimit.New(ratelimit.Options{Redis: client, KeyPrefix: rdb.Prefix + ratelimit.DefaultKeyPrefix})})

	require.Equal(t, 201, s.post(t, "/api/v1/ingest_events", logEventBody("first"), nil).Code)
	before := trips.Count()
	for range 5 {
		rec := s.post(t, "/api/v1/ingest_events", logEventBody("trip"), nil)
		require.Equal(t, 201, rec.Code)
		require.Equal(t, "1200", rec.Header().Get("X-RateLimit-Limit"), "the key's counter")
	}
	require.EqualValues(t, 5, trips.Count()-before)

	before = trips.Count()
	require.Equal(t, 401, s.send("/api/v1/ingest_events", "192.0.2.1:1", strings.NewReader(logEventBody("x")), nil, "unknown-key").Code)
	require.EqualValues(t, 2, trips.Count()-before, "pre-auth before the lookup, then the failure")
	before = trips.Count()
	require.Equal(t, 401, s.send("/api/v1/ingest_events", "192.0.2.1:1", strings.NewReader(logEventBody("x")), nil, "unknown-key").Code)
	require.EqualValues(t, 1, trips.Count()-before, "a known bad key is answered from memory: one trip")
}
