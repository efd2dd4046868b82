package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// checkIn sends a check-in through the public API with key; at is its occurred_at.
func (b *authBundle) checkIn(key, slug, env, status string, interval int, at time.Time) {
	b.t.Helper()
	body, err := json.Marshal(map[string]any{"check_in": map[string]any{
		"slug": slug, "environment": env, "status": status, "expected_interval_seconds": interval,
		"occurred_at": at.UTC().Format(time.RFC3339Nano),
	}})
	require.NoError(b.t, err)
	require.Equal(b.t, http.StatusCreated, b.ingest(key, "/api/v1/check_ins", string(body)))
}

func monitorsPath(projectID, rest string) string {
	return "/api/v1/projects/" + projectID + "/monitors" + rest
}

// monitorIDs maps "slug/environment" to each listed monitor, and returns the list's order.
func monitorIDs(body map[string]any) (map[string]map[string]any, []string) {
	byName := map[string]map[string]any{}
	var order []string
	for _, m := range list(body, "monitors") {
		name := m["slug"].(string) + "/" + m["environment"].(string)
		byName[name] = m
		order = append(order, name)
	}
	return byName, order
}

func TestListMonitors(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, nil)
	shop := tm.shop()["id"].(string)
	key := tm.newKey(shop, tm.olive)
	listAs := func(p *principal) map[string]any {
		return tm.want(http.StatusOK, req{method: http.MethodGet, path: monitorsPath(shop, ""), as: p})
	}

	// No monitor before the first check-in.
	body := listAs(tm.vera)
	require.Empty(t, body["monitors"])
	require.Equal(t, map[string]any{"ok": 0.0, "missed": 0.0, "error": 0.0, "paused": 0.0}, body["counts"])

	now := tm.clock.Now()
	tm.checkIn(key, "backup", "production", "ok", 3600, now.Add(-10*time.Minute))
	tm.checkIn(key, "billing", "production", "error", 300, now.Add(-time.Minute))
	tm.checkIn(key, "cron", "production", "ok", 60, now.Add(-91*time.Second)) // 60 s + 30 s of grace passed
	tm.checkIn(key, "sync", "staging", "in_progress", 600, now.Add(-time.Minute))
	tm.checkIn(key, "sync", "production", "ok", 600, now.Add(-time.Minute))
	tm.checkIn(key, "alpha", "production", "ok", 600, now.Add(-20*time.Minute)) // 600 + 300 s: missed
	// An older check-in counts but changes nothing else.
	tm.checkIn(key, "backup", "production", "error", 7200, now.Add(-2*time.Hour))

	// Another project's monitors never show.
	other := tm.create(tm.olive, map[string]any{"name": "Other"})["id"].(string)
	tm.checkIn(tm.newKey(other, tm.olive), "elsewhere", "production", "error", 60, now)

	body = listAs(tm.vera)
	byName, order := monitorIDs(body)
	require.Equal(t, []string{"billing/production", "alpha/production", "cron/production", "backup/production",
		"sync/production", "sync/staging"}, order, "error, missed, ok; each by slug and environment")
	require.Equal(t, map[string]any{"ok": 3.0, "missed": 2.0, "error": 1.0, "paused": 0.0}, body["counts"])

	backup := byName["backup/production"]
	require.Equal(t, "ok", backup["status"])
	require.Equal(t, "ok", backup["lastStatus"])
	require.Equal(t, 3600.0, backup["expectedIntervalSeconds"], "the latest check-in's interval")
	require.Equal(t, 1800.0, backup["graceSeconds"])
	require.Equal(t, 2.0, backup["checkInCount"])
	require.Equal(t, utc(now.Add(-10*time.Minute).Format(time.RFC3339Nano)), utc(backup["lastCheckInAt"]))
	require.Equal(t, utc(now.Add(80*time.Minute).Format(time.RFC3339Nano)), utc(backup["nextExpectedAt"]))
	require.Equal(t, utc(now.Add(-2*time.Hour).Format(time.RFC3339Nano)), utc(backup["lastErrorAt"]))
	require.NotContains(t, backup, "pausedAt")
	_, err := uuid.Parse(backup["id"].(string))
	require.NoError(t, err)

	cron := byName["cron/production"]
	require.Equal(t, "missed", cron["status"])
	require.Equal(t, 30.0, cron["graceSeconds"], "at least 30 s")
	require.Equal(t, "in_progress", byName["sync/staging"]["lastStatus"])
	require.Equal(t, "ok", byName["sync/staging"]["status"], "any status but error is healthy")
	require.Equal(t, "error", byName["billing/production"]["status"])
	require.NotContains(t, byName["cron/production"], "lastErrorAt")

	// Time passes: the backup's deadline is its check-in + 60 min + 30 min of grace.
	tm.clock.Advance(80 * time.Minute)
	byName, _ = monitorIDs(listAs(tm.vera))
	require.Equal(t, "ok", byName["backup/production"]["status"], "exactly at the deadline")
	tm.clock.Advance(time.Second)
	byName, _ = monitorIDs(listAs(tm.vera))
	require.Equal(t, "missed", byName["backup/production"]["status"])
	require.Equal(t, "error", byName["billing/production"]["status"], "an error stays an error however old")

	// A newer healthy check-in clears the error.
	tm.checkIn(key, "billing", "production", "ok", 300, tm.clock.Now())
	body = listAs(tm.olive)
	byName, _ = monitorIDs(body)
	require.Equal(t, "ok", byName["billing/production"]["status"])
	require.Equal(t, 0.0, body["counts"].(map[string]any)["error"])

	// Instance administrators may read, non-members may not, anonymous callers are 401.
	listAs(tm.root)
	tm.wantError(http.StatusNotFound, "not_found", req{method: http.MethodGet, path: monitorsPath(shop, ""), as: tm.signInStranger()})
	tm.wantError(http.StatusUnauthorized, "unauthenticated", req{method: http.MethodGet, path: monitorsPath(shop, "")})
}

// signInStranger signs in a new user with no role anywhere.
func (tm *team) signInStranger() *principal {
	tm.t.Helper()
	return tm.session(tm.user(fmt.Sprintf("stranger-%s@example.com", uuid.NewString()[:8])))
}

func TestPauseAndResumeMonitor(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, nil)
	shop := tm.shop()["id"].(string)
	key := tm.newKey(shop, tm.olive)
	now := tm.clock.Now()
	tm.checkIn(key, "billing", "production", "error", 300, now.Add(-time.Minute))
	tm.checkIn(key, "cron", "production", "ok", 60, now.Add(-time.Hour))
	byName, _ := monitorIDs(tm.want(http.StatusOK, req{method: http.MethodGet, path: monitorsPath(shop, ""), as: tm.vera}))
	billing := byName["billing/production"]["id"].(string)
	cron := byName["cron/production"]["id"].(string)
	pause := func(id string, as *principal) req {
		return req{method: http.MethodPost, path: monitorsPath(shop, "/"+id+"/pause"), as: as}
	}
	resume := func(id string, as *principal) req {
		return req{method: http.MethodPost, path: monitorsPath(shop, "/"+id+"/resume"), as: as}
	}

	// Viewers may not; admins may.
	tm.wantError(http.StatusForbidden, "insufficient_role", pause(billing, tm.vera))
	m := tm.want(http.StatusOK, pause(billing, tm.adam))
	require.Equal(t, "paused", m["status"])
	require.Equal(t, "error", m["lastStatus"])
	pausedAt := utc(m["pausedAt"])
	require.Equal(t, utc(now.Format(time.RFC3339Nano)), pausedAt)
	require.Equal(t, 1, tm.count(`SELECT count(*) FROM check_in_monitors WHERE uuid = $1 AND paused_by_user_id = $2`,
		billing, tm.adamU.ID))

	// Pausing again changes nothing, not even who paused it or when.
	tm.clock.Advance(time.Hour)
	m = tm.want(http.StatusOK, pause(billing, tm.olive))
	require.Equal(t, "paused", m["status"])
	require.Equal(t, pausedAt, utc(m["pausedAt"]))
	require.Equal(t, 1, tm.count(`SELECT count(*) FROM check_in_monitors WHERE uuid = $1 AND paused_by_user_id = $2`,
		billing, tm.adamU.ID))

	// A paused monitor keeps its check-ins but stays paused.
	tm.checkIn(key, "billing", "production", "error", 300, tm.clock.Now())
	body := tm.want(http.StatusOK, req{method: http.MethodGet, path: monitorsPath(shop, ""), as: tm.vera})
	byName, order := monitorIDs(body)
	require.Equal(t, []string{"cron/production", "billing/production"}, order, "paused ones last")
	require.Equal(t, "paused", byName["billing/production"]["status"])
	require.Equal(t, 2.0, byName["billing/production"]["checkInCount"])
	require.Equal(t, map[string]any{"ok": 0.0, "missed": 1.0, "error": 0.0, "paused": 1.0}, body["counts"])

	// Resuming shows the computed status again; resuming an active monitor changes nothing.
	m = tm.want(http.StatusOK, resume(billing, tm.olive))
	require.Equal(t, "error", m["status"])
	require.NotContains(t, m, "pausedAt")
	require.Equal(t, 0, tm.count(`SELECT count(*) FROM check_in_monitors WHERE uuid = $1 AND paused_by_user_id IS NOT NULL`, billing))
	m = tm.want(http.StatusOK, resume(billing, tm.adam))
	require.Equal(t, "error", m["status"])
	m = tm.want(http.StatusOK, resume(cron, tm.root))
	require.Equal(t, "missed", m["status"])
	tm.wantError(http.StatusForbidden, "insufficient_role", resume(cron, tm.vera))

	// Unknown ids, ids that are not uuids, and another project's monitors are 404.
	other := tm.create(tm.olive, map[string]any{"name": "Other"})["id"].(string)
	tm.checkIn(tm.newKey(other, tm.olive), "elsewhere", "production", "ok", 60, now)
	var foreign string
	require.NoError(t, tm.store.Pool.QueryRow(context.Background(),
		`SELECT uuid FROM check_in_monitors WHERE slug = 'elsewhere'`).Scan(&foreign))
	for _, id := range []string{uuid.NewString(), "not-a-uuid", foreign} {
		tm.wantError(http.StatusNotFound, "not_found", pause(id, tm.olive))
		tm.wantError(http.StatusNotFound, "not_found", resume(id, tm.olive))
	}
	require.Equal(t, 0, tm.count(`SELECT count(*) FROM check_in_monitors WHERE paused_at IS NOT NULL`))
}

// monitor is a monitor of the matrix's project, created by a check-in.
func (f *matrix) monitor() string {
	plaintext, _, err := f.b.projects.CreateKey(context.Background(), f.project.UUID.String(), "monitors")
	require.NoError(f.t, err)
	slug := fmt.Sprintf("job-%d", f.seq())
	f.b.checkIn(plaintext, slug, "production", "ok", 60, f.b.clock.Now())
	var id string
	require.NoError(f.t, f.b.store.Pool.QueryRow(context.Background(),
		`SELECT uuid FROM check_in_monitors WHERE project_id = $1 AND slug = $2`, f.project.ID, slug).Scan(&id))
	return id
}
