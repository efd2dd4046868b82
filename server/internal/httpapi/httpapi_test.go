package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/groupcommit"
	"github.com/logister/logister/server/internal/health"
	"github.com/logister/logister/server/internal/httpapi"
	"github.com/logister/logister/server/internal/intake"
	"github.com/logister/logister/server/internal/logging"
	"github.com/logister/logister/server/internal/metrics"
	"github.com/logister/logister/server/internal/project"
	"github.com/logister/logister/server/internal/ratelimit"
	"github.com/logister/logister/server/internal/setup"
	"github.com/logister/logister/server/internal/store"
	"github.com/logister/logister/server/internal/testdb"
	"github.com/logister/logister/server/internal/testredis"
)

type testBundle struct {
	e     *echo.Echo
	store *store.Store
	setup *setup.Service
	logs  *bytes.Buffer
}

// newCommitter starts a group committer on st, closed when t ends.
func newCommitter(t testing.TB, st *store.Store) *groupcommit.Committer {
	t.Helper()
	require.NoError(t, st.EnsurePartitions(context.Background(), time.Now(), 1))
	c := groupcommit.New(st, groupcommit.Options{})
	t.Cleanup(c.Close)
	return c
}

type setupOpts struct {
	redis  health.PingFunc
	app    *fstest.MapFS
	limits ratelimit.Policy // zero fields take the defaults
}

func setupServer(t testing.TB, opts *setupOpts) *testBundle {
	t.Helper()
	if opts == nil {
		opts = &setupOpts{}
	}
	st := testdb.New(t)
	var logs bytes.Buffer
	logger := logging.New(&logs, "json", slog.LevelDebug)
	accounts := newTestAccounts(st, logger)
	svc := setup.New(st.DB, accounts)
	deps := httpapi.Deps{
		Accounts:     accounts,
		PublicURL:    testPublicURL,
		Logger:       logger,
		Metrics:      metrics.New(st.SQLDB()),
		Health:       health.NewChecker(st, opts.redis, logger),
		Setup:        svc,
		InstanceName: "Test Instance",
		Version:      "1.2.3",
		Commit:       "abc123",
		Auth:         project.NewAuthenticator(st.DB),
		Intake:       intake.NewService(newCommitter(t, st), st),
		RateLimits:   opts.limits,
	}
	if opts.app != nil {
		deps.App = *opts.app
	}
	e, err := httpapi.New(deps)
	require.NoError(t, err)
	return &testBundle{e: e, store: st, setup: svc, logs: &logs}
}

func (b *testBundle) do(t *testing.T, method, path string, body io.Reader, header http.Header) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, body)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	b.e.ServeHTTP(rec, req)
	return rec
}

// errorBody decodes the one error shape and checks its invariants.
func errorBody(t *testing.T, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	require.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	var body map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body), rec.Body.String())
	require.NotEmpty(t, body["error"])
	require.NotEmpty(t, body["code"])
	require.Equal(t, rec.Header().Get("X-Request-Id"), body["requestId"])
	return body
}

func TestEndpoints(t *testing.T) {
	t.Parallel()
	b := setupServer(t, nil)
	token, err := b.setup.IssueToken(context.Background(), "")
	require.NoError(t, err)

	tests := []struct {
		name         string
		method, path string
		wantStatus   int
		wantType     string
		wantContains []string
		wantCode     string
	}{
		{name: "liveness", method: http.MethodGet, path: "/up", wantStatus: 200, wantType: "application/json", wantContains: []string{`"status":"ok"`}},
		{name: "readiness", method: http.MethodGet, path: "/health/ready", wantStatus: 200, wantType: "application/json",
			wantContains: []string{`"status":"ready"`, `{"name":"database","ok":true}`, `{"name":"migrations","ok":true}`}},
		{name: "instance", method: http.MethodGet, path: "/api/v1/instance", wantStatus: 200, wantType: "application/json",
			wantContains: []string{`"name":"Test Instance"`, `"version":"1.2.3"`, `"commit":"abc123"`, `"ready":true`, `"setupRequired":true`, `"signup":"open"`}},
		{name: "metrics", method: http.MethodGet, path: "/metrics", wantStatus: 200, wantType: "text/plain; version=0.0.4; charset=utf-8",
			wantContains: []string{"go_goroutines", `go_sql_open_connections{db_name="logister"}`, "process_resident_memory_bytes"}},
		{name: "spec", method: http.MethodGet, path: "/openapi.yaml", wantStatus: 200, wantType: "application/yaml",
			wantContains: []string{"openapi: 3.0.3", "/api/v1/instance:"}},
		{name: "api docs", method: http.MethodGet, path: "/api/docs", wantStatus: 200, wantType: "text/html",
			wantContains: []string{`<div id="swagger-ui">`, `/apidocs/swagger-ui-bundle.js`, "API reference · Test Instance"}},
		{name: "setup token valid", method: http.MethodGet, path: "/api/v1/setup/" + token, wantStatus: 200, wantType: "application/json",
			wantContains: []string{`"valid":true`, `"accountCreationAvailable":true`}},
		{name: "setup token unknown", method: http.MethodGet, path: "/api/v1/setup/" + strings.Repeat("x", 43), wantStatus: 404, wantCode: "not_found"},
		{name: "setup token too short", method: http.MethodGet, path: "/api/v1/setup/abc", wantStatus: 400, wantCode: "invalid_request",
			wantContains: []string{`path parameter \"token\"`, "minimum string length is 16"}},
		{name: "setup token bad characters", method: http.MethodGet, path: "/api/v1/setup/" + strings.Repeat("x", 20) + "%3Cscript%3E", wantStatus: 400, wantCode: "invalid_request"},
		{name: "unknown api path", method: http.MethodGet, path: "/api/v1/nope", wantStatus: 404, wantCode: "not_found"},
		{name: "unknown health path", method: http.MethodGet, path: "/health/nope", wantStatus: 404, wantCode: "not_found"},
		{name: "wrong method", method: http.MethodPost, path: "/up", wantStatus: 405, wantCode: "method_not_allowed"},
		{name: "web app not built", method: http.MethodGet, path: "/", wantStatus: 200, wantType: "text/html; charset=UTF-8",
			wantContains: []string{"compiled without the web app"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := b.do(t, tt.method, tt.path, nil, nil)
			require.Equal(t, tt.wantStatus, rec.Code, rec.Body.String())
			require.NotEmpty(t, rec.Header().Get("X-Request-Id"))
			require.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
			if tt.wantType != "" {
				require.Equal(t, tt.wantType, rec.Header().Get("Content-Type"))
			}
			if tt.wantCode != "" {
				require.Equal(t, tt.wantCode, errorBody(t, rec)["code"])
			}
			for _, s := range tt.wantContains {
				require.Contains(t, rec.Body.String(), s)
			}
		})
	}
}

func TestServedSpecIsValid(t *testing.T) {
	t.Parallel()
	b := setupServer(t, nil)
	rec := b.do(t, http.MethodGet, "/openapi.yaml", nil, nil)
	require.Equal(t, 200, rec.Code)
	doc, err := openapi3.NewLoader().LoadFromData(rec.Body.Bytes())
	require.NoError(t, err)
	require.NoError(t, doc.Validate(context.Background()))
	require.NotNil(t, doc.Paths.Find("/health/ready"))
}

func TestSetupTokenStates(t *testing.T) {
	t.Parallel()
	b := setupServer(t, nil)
	ctx := context.Background()
	token, err := b.setup.IssueToken(ctx, "")
	require.NoError(t, err)

	t.Run("a new token replaces the old one", func(t *testing.T) {
		newer, err := b.setup.IssueToken(ctx, "")
		require.NoError(t, err)
		require.Equal(t, 404, b.do(t, http.MethodGet, "/api/v1/setup/"+token, nil, nil).Code)
		require.Equal(t, 200, b.do(t, http.MethodGet, "/api/v1/setup/"+newer, nil, nil).Code)
		token = newer
	})
	t.Run("expired", func(t *testing.T) {
		_, err := b.store.DB.NewUpdate().Table("instance").Set("setup_token_expires_at = now() - interval '1 minute'").Where("id = 1").Exec(ctx)
		require.NoError(t, err)
		rec := b.do(t, http.MethodGet, "/api/v1/setup/"+token, nil, nil)
		require.Equal(t, 410, rec.Code)
		require.Equal(t, "setup_link_expired", errorBody(t, rec)["code"])
	})
	t.Run("setup complete", func(t *testing.T) {
		_, err := b.store.DB.NewUpdate().Table("instance").Set("setup_completed_at = now()").Where("id = 1").Exec(ctx)
		require.NoError(t, err)
		rec := b.do(t, http.MethodGet, "/api/v1/setup/"+token, nil, nil)
		require.Equal(t, 410, rec.Code)
		require.Equal(t, "setup_complete", errorBody(t, rec)["code"])
		again, err := b.setup.IssueToken(ctx, "")
		require.NoError(t, err)
		require.Empty(t, again, "no token is issued once setup is complete")
		require.Contains(t, b.do(t, http.MethodGet, "/api/v1/instance", nil, nil).Body.String(), `"setupRequired":false`)
	})
}

func TestReadinessFailures(t *testing.T) {
	t.Parallel()

	t.Run("pending migration", func(t *testing.T) {
		t.Parallel()
		b := setupServer(t, nil)
		_, err := b.store.DB.NewDelete().Table("bun_migrations").Where("name = '0001'").Exec(context.Background())
		require.NoError(t, err)
		rec := b.do(t, http.MethodGet, "/health/ready", nil, nil)
		require.Equal(t, 503, rec.Code)
		require.Contains(t, rec.Body.String(), `"status":"unavailable"`)
		require.Contains(t, rec.Body.String(), `1 pending: logister: 0001_instance`)
		inst := b.do(t, http.MethodGet, "/api/v1/instance", nil, nil)
		require.Equal(t, 200, inst.Code)
		require.Contains(t, inst.Body.String(), `"ready":false`)
	})

	t.Run("database down", func(t *testing.T) {
		t.Parallel()
		b := setupServer(t, nil)
		require.NoError(t, b.store.Close())
		rec := b.do(t, http.MethodGet, "/health/ready", nil, nil)
		require.Equal(t, 503, rec.Code)
		require.Contains(t, rec.Body.String(), `{"message":"The database is not reachable.","name":"database","ok":false}`)
		require.NotContains(t, rec.Body.String(), "sql")
	})

	t.Run("redis reachable", func(t *testing.T) {
		t.Parallel()
		rdb := testredis.New(t)
		b := setupServer(t, &setupOpts{redis: func(ctx context.Context) error { return rdb.Ping(ctx).Err() }})
		rec := b.do(t, http.MethodGet, "/health/ready", nil, nil)
		require.Equal(t, 200, rec.Code)
		require.Contains(t, rec.Body.String(), `{"name":"redis","ok":true}`)
	})

	t.Run("redis unreachable", func(t *testing.T) {
		t.Parallel()
		dead := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
		t.Cleanup(func() { _ = dead.Close() })
		b := setupServer(t, &setupOpts{redis: func(ctx context.Context) error { return dead.Ping(ctx).Err() }})
		rec := b.do(t, http.MethodGet, "/health/ready", nil, nil)
		require.Equal(t, 200, rec.Code, "Redis is optional: rate limits fall back to in-process counters")
		require.Contains(t, rec.Body.String(), `{"message":"Redis is not reachable; rate limits use in-process counters.","name":"redis","ok":false}`)
	})
}

func TestErrorsNeverLeakInternals(t *testing.T) {
	t.Parallel()
	b := setupServer(t, nil)
	b.e.GET("/test/internal", func(echo.Context) error {
		return errors.New(`pq: relation "secret_table" does not exist`)
	})
	b.e.GET("/test/panic", func(echo.Context) error {
		panic("secret panic detail")
	})
	for _, path := range []string{"/test/internal", "/test/panic"} {
		t.Run(path, func(t *testing.T) {
			rec := b.do(t, http.MethodGet, path, nil, nil)
			require.Equal(t, 500, rec.Code)
			body := errorBody(t, rec)
			require.Equal(t, "internal", body["code"])
			require.NotContains(t, rec.Body.String(), "secret")
		})
	}
	// The details are in the log instead, under the request id.
	require.Contains(t, b.logs.String(), "secret_table")
	require.Contains(t, b.logs.String(), `"panic":"secret panic detail"`)
	require.Contains(t, b.logs.String(), `"stack":"goroutine`)
}

func TestRequestIDs(t *testing.T) {
	t.Parallel()
	b := setupServer(t, nil)

	rec := b.do(t, http.MethodGet, "/api/v1/nope", nil, http.Header{"X-Request-Id": {"client-id-42"}})
	require.Equal(t, "client-id-42", rec.Header().Get("X-Request-Id"))
	require.Equal(t, "client-id-42", errorBody(t, rec)["requestId"])
	require.Contains(t, b.logs.String(), `"request_id":"client-id-42"`)

	rec = b.do(t, http.MethodGet, "/up", nil, http.Header{"X-Request-Id": {"evil\"\nid"}})
	require.Regexp(t, `^[0-9a-f]{32}$`, rec.Header().Get("X-Request-Id"))
}

func TestAccessLogAndMetrics(t *testing.T) {
	t.Parallel()
	b := setupServer(t, nil)
	for range 3 {
		require.Equal(t, 200, b.do(t, http.MethodGet, "/api/v1/instance", nil, nil).Code)
	}
	b.do(t, http.MethodGet, "/api/v1/setup/abc", nil, nil)
	b.do(t, http.MethodGet, "/no/such/page/with/id/12345", nil, nil)

	rec := b.do(t, http.MethodGet, "/metrics", nil, nil)
	require.Contains(t, rec.Body.String(), `logister_http_requests_total{method="GET",route="/api/v1/instance",status="200"} 3`)
	require.Contains(t, rec.Body.String(), `logister_http_requests_total{method="GET",route="/api/v1/setup/:token",status="400"} 1`)
	require.Contains(t, rec.Body.String(), `logister_http_request_duration_seconds_count{method="GET",route="/api/v1/instance"} 3`)
	require.NotContains(t, rec.Body.String(), "12345", "raw paths never become label values")

	var line map[string]any
	for _, l := range strings.Split(strings.TrimSpace(b.logs.String()), "\n") {
		require.NoError(t, json.Unmarshal([]byte(l), &line), l)
		if line["msg"] == "request" && line["route"] == "/api/v1/setup/:token" {
			break
		}
	}
	require.Equal(t, "INFO", line["level"])
	require.EqualValues(t, 400, line["status"])
	require.Equal(t, "/api/v1/setup/abc", line["path"])
	require.NotEmpty(t, line["request_id"])
}

func TestWebApp(t *testing.T) {
	t.Parallel()
	app := fstest.MapFS{
		"index.html":         {Data: []byte("<!doctype html><title>app</title>")},
		"assets/app-1a2b.js": {Data: []byte("console.log(1)")},
		"favicon.svg":        {Data: []byte("<svg/>")},
	}
	b := setupServer(t, &setupOpts{app: &app})

	tests := []struct {
		path       string
		wantStatus int
		wantBody   string
		wantCache  string
	}{
		{"/", 200, "<title>app</title>", "no-cache"},
		{"/issues/42", 200, "<title>app</title>", "no-cache"},
		{"/setup/some-token-value-here", 200, "<title>app</title>", "no-cache"},
		{"/assets/app-1a2b.js", 200, "console.log(1)", "public, max-age=31536000, immutable"},
		{"/favicon.svg", 200, "<svg/>", "no-cache"},
		{"/assets/old-9z9z.js", 404, `"code":"not_found"`, ""},
		{"/../../etc/passwd", 200, "<title>app</title>", "no-cache"},
		{"/api/v1/issues", 404, `"code":"not_found"`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			rec := b.do(t, http.MethodGet, tt.path, nil, nil)
			require.Equal(t, tt.wantStatus, rec.Code)
			require.Contains(t, rec.Body.String(), tt.wantBody)
			require.Equal(t, tt.wantCache, rec.Header().Get("Cache-Control"))
		})
	}
	require.Contains(t, b.do(t, http.MethodGet, "/", nil, nil).Header().Get("Content-Security-Policy"), "default-src 'self'")
}

func TestDomainErrorsMapToStatusAndBody(t *testing.T) {
	t.Parallel()
	b := setupServer(t, nil)
	b.e.GET("/test/too-large", func(echo.Context) error {
		return apperr.TooLarge("message_bytes", "telemetry payload message bytes exceeds 65536", 65536, 70000)
	})
	b.e.GET("/test/unprocessable", func(echo.Context) error {
		return apperr.Unprocessable("Message can't be blank", "Event type is not included in the list")
	})
	rec := b.do(t, http.MethodGet, "/test/too-large", nil, nil)
	require.Equal(t, 413, rec.Code)
	body := errorBody(t, rec)
	require.Equal(t, "message_bytes", body["code"])
	require.Equal(t, "telemetry payload message bytes exceeds 65536", body["error"])
	require.EqualValues(t, 65536, body["limit"])
	require.EqualValues(t, 70000, body["actual"])

	rec = b.do(t, http.MethodGet, "/test/unprocessable", nil, nil)
	require.Equal(t, 422, rec.Code)
	require.Equal(t, []any{"Message can't be blank", "Event type is not included in the list"}, errorBody(t, rec)["errors"])
}
