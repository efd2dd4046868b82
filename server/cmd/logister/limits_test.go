package main

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/ratelimit/ratelimittest"
	"github.com/logister/logister/server/internal/testdb"
)

func TestProjectLimitsCommand(t *testing.T) {
	t.Parallel()
	env := []string{"DATABASE_URL=" + testdb.NewEmptyDatabase(t), "LOGISTER_PUBLIC_API_RATE_LIMIT_REQUESTS=500"}
	runCommand(t, 0, env, "project", "create", "Limited App")

	out, _ := runCommand(t, 0, env, "project", "limits", "limited-app")
	require.Equal(t, ""+
		"project        limited-app\n"+
		"requests       500    instance default (per key and endpoint per window)\n"+
		"period         60     instance default (seconds)\n"+
		"auth_failures  120    instance default (per client IP per window)\n"+
		"pre_auth       12000  instance-wide (per client IP per window, before authentication)\n", out)

	out, _ = runCommand(t, 0, env, "project", "limits", "--requests", "5000", "limited-app", "--period=10", "--auth-failures", "7")
	require.Contains(t, out, "requests       5000   project override")
	require.Contains(t, out, "period         10     project override")
	require.Contains(t, out, "auth_failures  7      project override")

	out, _ = runCommand(t, 0, env, "project", "limits", "limited-app", "--period", "inherit")
	require.Contains(t, out, "requests       5000   project override", "unnamed settings are kept")
	require.Contains(t, out, "period         60     instance default")

	_, stderr := runCommand(t, 1, env, "project", "limits", "limited-app", "--requests", "0")
	require.Contains(t, stderr, "The requests override must be between 1 and 10000000 (or inherit).")
	_, stderr = runCommand(t, 1, env, "project", "limits", "limited-app", "--period", "86401")
	require.Contains(t, stderr, "The period override must be between 1 and 86400 (or inherit).")
	_, stderr = runCommand(t, 1, env, "project", "limits", "nope")
	require.Contains(t, stderr, `No project "nope".`)
	_, stderr = runCommand(t, 2, env, "project", "limits", "limited-app", "--requests", "many")
	require.Contains(t, stderr, `invalid value "many" for flag -requests: must be a whole number or inherit`)
	_, stderr = runCommand(t, 2, env, "project", "limits")
	require.Contains(t, stderr, "usage: logister project limits PROJECT")
}

func TestServeRateLimitsWithRedis(t *testing.T) {
	t.Parallel()
	redisServer := ratelimittest.StartRedis(t)
	env := []string{"DATABASE_URL=" + testdb.NewEmptyDatabase(t), "LOGISTER_DATA_DIR=" + t.TempDir()}
	runCommand(t, 0, env, "migrate")
	slug, _ := runCommand(t, 0, env, "project", "create", "Redis Limited")
	key, _ := runCommand(t, 0, env, "key", "create", strings.TrimSpace(slug))
	p := startServer(t, append(env, "REDIS_RATE_LIMIT_URL="+redisServer.URL(), "LOGISTER_PUBLIC_API_RATE_LIMIT_REQUESTS=2",
		"LOGISTER_PUBLIC_API_RATE_LIMIT_PERIOD_SECONDS=3600")...)

	send := func() *http.Response {
		req, err := http.NewRequest(http.MethodPost, p.base+"/api/v1/ingest_events", strings.NewReader(`{"event":{"event_type":"log","message":"hi"}}`))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(key))
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, res.Body)
		_ = res.Body.Close()
		return res
	}
	for _, want := range []int{201, 201, 429} {
		res := send()
		require.Equal(t, want, res.StatusCode)
		require.Equal(t, "2", res.Header.Get("X-RateLimit-Limit"))
	}

	// Without Redis the server keeps answering, limited in process (which starts counting afresh).
	redisServer.Kill()
	var codes []int
	for range 3 {
		codes = append(codes, send().StatusCode)
	}
	require.Equal(t, []int{201, 201, 429}, codes)
	_, stderr := p.output()
	require.Contains(t, stderr, "rate limits fall back to in-process counters")
	require.NotContains(t, stderr, "connection pool: failed to dial", "go-redis's own logging is at debug level")
	p.stop(t)
}
