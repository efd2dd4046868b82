package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// group is an error group that tests insert directly.
type group struct {
	title, subtitle, env, level, status, release string
	count                                        int
	lastSeen                                     time.Duration // before the bundle's clock
}

// insertGroup adds an error group to the project with the row id and returns its uuid.
func (b *authBundle) insertGroup(projectID int64, g group) string {
	b.t.Helper()
	now := b.clock.Now()
	orDefault := func(s, d string) string {
		if s == "" {
			return d
		}
		return s
	}
	var release any
	if g.release != "" {
		release = g.release
	}
	var subtitle any
	if g.subtitle != "" {
		subtitle = g.subtitle
	}
	var id uuid.UUID
	err := b.store.Pool.QueryRow(context.Background(), `INSERT INTO error_groups
		(project_id, fingerprint, title, subtitle, stage, severity, status, occurrence_count, first_seen_at, last_seen_at,
		 introduced_in_release, last_seen_release)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING uuid`,
		projectID, uuid.NewString(), orDefault(g.title, "Error"), subtitle, orDefault(g.env, "production"),
		orDefault(g.level, "error"), orDefault(g.status, "unresolved"), max(g.count, 1),
		now.Add(-48*time.Hour), now.Add(-g.lastSeen), release).Scan(&id)
	require.NoError(b.t, err)
	return id.String()
}

// insertEvent adds an occurrence of the group at the time.
func (b *authBundle) insertEvent(groupUUID string, at time.Time) {
	b.t.Helper()
	_, err := b.store.Pool.Exec(context.Background(), `INSERT INTO error_events
		(id, project_id, error_group_id, level, message, occurred_at, received_at, time_precision, context)
		SELECT gen_random_uuid(), project_id, id, 'error', 'boom', $2, $2, 'exact', '{}' FROM error_groups WHERE uuid = $1`,
		groupUUID, at)
	require.NoError(b.t, err)
}

// issue is a group of the project for the authorisation matrix.
func (f *matrix) issue() string {
	return f.b.insertGroup(f.project.ID, group{title: fmt.Sprintf("Matrix %d", f.seq())})
}

func issuesPath(projectID, rest string) string {
	return "/api/v1/projects/" + projectID + "/issues" + rest
}

func ids(body map[string]any) []string {
	var out []string
	for _, is := range list(body, "issues") {
		out = append(out, is["id"].(string))
	}
	return out
}

func TestListIssues(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, nil)
	shop := tm.shop()["id"].(string)
	pid := tm.projectRowID(shop)
	a := tm.insertGroup(pid, group{title: "TypeError: x is undefined", subtitle: "TypeError", release: "1.2.0", lastSeen: time.Minute, count: 5})
	b := tm.insertGroup(pid, group{title: "Card declined", lastSeen: 2 * time.Minute})
	c := tm.insertGroup(pid, group{title: "Slow query", env: "staging", level: "warning", lastSeen: 3 * time.Minute})
	d := tm.insertGroup(pid, group{title: "Timeout", lastSeen: 4 * time.Minute})
	tm.insertGroup(pid, group{title: "Fixed long ago", status: "resolved", lastSeen: time.Hour})
	other := tm.create(tm.olive, map[string]any{"name": "Other"})["id"].(string)
	tm.insertGroup(tm.projectRowID(other), group{title: "Elsewhere"})

	get := func(query string) map[string]any {
		t.Helper()
		return tm.want(http.StatusOK, req{method: http.MethodGet, path: issuesPath(shop, query), as: tm.vera})
	}

	// The default: unresolved, last seen first, with counts per status.
	body := get("")
	require.Equal(t, []string{a, b, c, d}, ids(body))
	require.Equal(t, "is:unresolved", body["query"])
	require.Equal(t, map[string]any{"unresolved": 4.0, "new": 0.0, "resolved": 1.0, "ignored": 0.0, "archived": 0.0, "all": 5.0}, body["counts"])
	require.NotContains(t, body, "nextCursor")
	first := list(body, "issues")[0]
	require.Equal(t, "TypeError: x is undefined", first["title"])
	require.Equal(t, "TypeError", first["subtitle"])
	require.Equal(t, "unresolved", first["status"])
	require.Equal(t, "error", first["level"])
	require.Equal(t, "production", first["environment"])
	require.Equal(t, 5.0, first["occurrenceCount"])
	require.Equal(t, "1.2.0", first["lastSeenRelease"])
	require.NotContains(t, first, "assignee")
	require.NotContains(t, first, "sparkline")

	// Filters; counts count the same filters, status aside.
	body = get("?q=" + url.QueryEscape("env:staging"))
	require.Equal(t, []string{c}, ids(body))
	require.Contains(t, body["query"], "env:staging")
	body = get("?q=" + url.QueryEscape("level:warning is:all"))
	require.Equal(t, []string{c}, ids(body))
	body = get("?q=" + url.QueryEscape("-env:staging declined"))
	require.Equal(t, []string{b}, ids(body))
	require.Equal(t, 1.0, body["counts"].(map[string]any)["all"])
	body = get("?q=" + url.QueryEscape("is:resolved"))
	require.Len(t, ids(body), 1)
	require.Equal(t, 4.0, body["counts"].(map[string]any)["unresolved"])
	body = get("?q=" + url.QueryEscape("sort:count"))
	require.Equal(t, a, ids(body)[0])

	// Paging.
	body = get("?limit=3")
	require.Equal(t, []string{a, b, c}, ids(body))
	cursor := body["nextCursor"].(string)
	body = get("?limit=3&cursor=" + cursor)
	require.Equal(t, []string{d}, ids(body))
	require.NotContains(t, body, "nextCursor")

	// Errors.
	e := tm.wantError(http.StatusBadRequest, "invalid_query", req{method: http.MethodGet, as: tm.vera,
		path: issuesPath(shop, "?q="+url.QueryEscape("is:unresolved colour:red"))})
	require.Contains(t, e["error"], "character 15")
	tm.wantError(http.StatusBadRequest, "invalid_cursor", req{method: http.MethodGet, as: tm.vera, path: issuesPath(shop, "?cursor=AAAAAAAA")})
	tm.wantError(http.StatusBadRequest, "invalid_cursor", req{method: http.MethodGet, as: tm.vera,
		path: issuesPath(shop, "?limit=3&q=sort:count&cursor="+cursor)})
	tm.wantError(http.StatusBadRequest, "invalid_time_zone", req{method: http.MethodGet, as: tm.vera, path: issuesPath(shop, "?tz=Mars/Olympus")})
	tm.want(http.StatusBadRequest, req{method: http.MethodGet, as: tm.vera, path: issuesPath(shop, "?sparkline=1y")})
	tm.want(http.StatusBadRequest, req{method: http.MethodGet, as: tm.vera, path: issuesPath(shop, "?limit=101")})

	// Sparklines and time zones.
	tm.insertEvent(a, tm.clock.Now().Add(-time.Second))
	tm.insertEvent(a, tm.clock.Now().Add(-90*time.Minute))
	body = get("?sparkline=24h&tz=Europe/Berlin")
	sp := body["sparkline"].(map[string]any)
	require.Equal(t, "24h", sp["period"])
	require.Len(t, sp["buckets"], 24)
	rows := list(body, "issues")
	require.Len(t, rows[0]["sparkline"], 24)
	spark := rows[0]["sparkline"].([]any)
	require.Equal(t, 1.0, spark[23])
	require.Equal(t, 1.0, spark[21])
	require.Equal(t, make([]any, 0, 24), filterNonZero(rows[1]["sparkline"].([]any)))
	body = get("?sparkline=7d")
	require.Len(t, body["sparkline"].(map[string]any)["buckets"], 7)
	total := 0.0
	for _, n := range list(body, "issues")[0]["sparkline"].([]any) {
		total += n.(float64)
	}
	require.Equal(t, 2.0, total)

	// Trends, when sorted by trend.
	body = get("?q=sort:trend")
	require.Equal(t, a, ids(body)[0])
	require.Equal(t, map[string]any{"last24h": 2.0, "previous24h": 0.0}, list(body, "issues")[0]["trend"])

	// assigned:me, and assignees in rows.
	tm.want(http.StatusOK, req{method: http.MethodPut, path: issuesPath(shop, "/"+d+"/assignee"), as: tm.adam,
		body: map[string]any{"userId": tm.veraU.UUID.String()}})
	body = get("?q=assigned:me")
	require.Equal(t, []string{d}, ids(body))
	require.Equal(t, tm.veraU.Email, list(body, "issues")[0]["assignee"].(map[string]any)["email"])
	body = tm.want(http.StatusOK, req{method: http.MethodGet, path: issuesPath(shop, "?q=assigned:me"), as: tm.adam})
	require.Empty(t, ids(body))
}

func filterNonZero(xs []any) []any {
	out := make([]any, 0, 24)
	for _, x := range xs {
		if x != 0.0 {
			out = append(out, x)
		}
	}
	return out
}

func TestGetIssue(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, nil)
	shop := tm.shop()["id"].(string)
	key := tm.newKey(shop, tm.olive)
	require.Equal(t, http.StatusCreated, tm.ingest(key, "/api/v1/ingest_events", errorEvent))
	issues := ids(tm.want(http.StatusOK, req{method: http.MethodGet, path: issuesPath(shop, ""), as: tm.vera}))
	require.Len(t, issues, 1)

	body := tm.want(http.StatusOK, req{method: http.MethodGet, path: issuesPath(shop, "/"+issues[0]), as: tm.vera})
	require.Equal(t, issues[0], body["id"])
	require.Equal(t, "unresolved", body["status"])
	require.Equal(t, 1.0, body["occurrenceCount"])
	require.Equal(t, "1.2.0", body["introducedInRelease"])
	require.Equal(t, "1.2.0", body["lastSeenRelease"])
	require.Equal(t, 0.0, body["reopenCount"])
	require.Equal(t, 0.0, body["regressionCount"])
	require.NotContains(t, body, "resolvedAt")
	require.NotContains(t, body, "assignee")
	ev := body["latestEvent"].(map[string]any)
	require.Equal(t, "TypeError: x is undefined", ev["message"])
	require.Equal(t, "2026-11-23T10:00:00.123Z", utc(ev["occurredAt"]))
	exs := ev["exceptions"].([]any)
	require.Len(t, exs, 1)
	ex := exs[0].(map[string]any)
	require.Equal(t, "TypeError", ex["type"])
	require.Equal(t, "x is undefined", ex["message"])
	require.Equal(t, -1.0, ex["parent"])
	frames := ex["frames"].([]any)
	require.Len(t, frames, 2)
	top := frames[0].(map[string]any)
	require.Equal(t, "handler", top["function"])
	require.Equal(t, "/app/src/routes/orders.js", top["file"])
	require.Equal(t, 42.0, top["line"])
	require.Equal(t, 13.0, top["column"])
	require.Equal(t, true, top["inApp"])
	require.Equal(t, false, frames[1].(map[string]any)["inApp"])

	// A group without stored occurrences has no latest event.
	bare := tm.insertGroup(tm.projectRowID(shop), group{title: "Bare"})
	body = tm.want(http.StatusOK, req{method: http.MethodGet, path: issuesPath(shop, "/"+bare), as: tm.vera})
	require.NotContains(t, body, "latestEvent")

	// Another project's issue, an unknown one and a non-uuid all answer 404, as a stranger's does.
	other := tm.create(tm.adam, map[string]any{"name": "Adam's"})["id"].(string)
	foreign := tm.insertGroup(tm.projectRowID(other), group{title: "Foreign"})
	for _, id := range []string{foreign, uuid.NewString(), "42"} {
		tm.wantError(http.StatusNotFound, "not_found", req{method: http.MethodGet, path: issuesPath(shop, "/"+id), as: tm.vera})
		tm.wantError(http.StatusNotFound, "not_found", req{method: http.MethodPost, path: issuesPath(shop, "/"+id+"/status"), as: tm.vera,
			body: map[string]any{"status": "resolved"}})
		tm.wantError(http.StatusNotFound, "not_found", req{method: http.MethodPut, path: issuesPath(shop, "/"+id+"/assignee"), as: tm.vera,
			body: map[string]any{"userId": nil}})
	}
	tm.wantError(http.StatusNotFound, "not_found", req{method: http.MethodGet, path: issuesPath(other, "/"+foreign), as: tm.vera})
	require.Equal(t, "unresolved", tm.want(http.StatusOK, req{method: http.MethodGet, path: issuesPath(other, "/"+foreign), as: tm.adam})["status"])
}

func TestSetIssueStatus(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, nil)
	shop := tm.shop()["id"].(string)
	id := tm.insertGroup(tm.projectRowID(shop), group{title: "Flaky", release: "2.0.1"})
	now := tm.clock.Now().UTC().Format(time.RFC3339Nano)
	set := func(status string) map[string]any {
		t.Helper()
		return tm.want(http.StatusOK, req{method: http.MethodPost, path: issuesPath(shop, "/"+id+"/status"), as: tm.vera,
			body: map[string]any{"status": status}})
	}
	times := func(body map[string]any) []any {
		return []any{utc(body["resolvedAt"]), utc(body["ignoredAt"]), utc(body["archivedAt"])}
	}

	body := set("resolved")
	require.Equal(t, "resolved", body["status"])
	require.Equal(t, []any{now, nil, nil}, times(body))
	require.Equal(t, "2.0.1", body["resolvedInRelease"])

	tm.clock.Advance(time.Minute)
	body = set("resolved") // again: nothing changes
	require.Equal(t, []any{now, nil, nil}, times(body))

	later := tm.clock.Now().UTC().Format(time.RFC3339Nano)
	body = set("ignored")
	require.Equal(t, "ignored", body["status"])
	require.Equal(t, []any{nil, later, nil}, times(body))
	body = set("archived")
	require.Equal(t, []any{nil, nil, later}, times(body))

	body = set("unresolved")
	require.Equal(t, "unresolved", body["status"])
	require.Equal(t, []any{nil, nil, nil}, times(body))
	require.Equal(t, 1.0, body["reopenCount"])
	require.Equal(t, later, utc(body["lastReopenedAt"]))
	require.Equal(t, 0.0, body["regressionCount"], "reopening by hand is no regression")
	body = set("unresolved")
	require.Equal(t, 1.0, body["reopenCount"])

	// The stored row agrees, and the inbox sees the change.
	set("resolved")
	require.Equal(t, 1, tm.count(`SELECT count(*) FROM error_groups WHERE uuid = $1 AND status = 'resolved'
		AND resolved_at IS NOT NULL AND ignored_at IS NULL AND archived_at IS NULL AND resolved_in_release = '2.0.1'`, id))
	require.Equal(t, []string{id}, ids(tm.want(http.StatusOK, req{method: http.MethodGet, path: issuesPath(shop, "?q=is:resolved"), as: tm.vera})))

	tm.wantError(http.StatusUnprocessableEntity, "validation_failed", req{method: http.MethodPost, path: issuesPath(shop, "/"+id+"/status"), as: tm.vera,
		body: map[string]any{"status": "fixed"}})
	tm.wantError(http.StatusUnprocessableEntity, "validation_failed", req{method: http.MethodPost, path: issuesPath(shop, "/"+id+"/status"), as: tm.vera,
		body: map[string]any{}})
}

func TestSetIssueAssignee(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, nil)
	shop := tm.shop()["id"].(string)
	id := tm.insertGroup(tm.projectRowID(shop), group{title: "Unowned"})
	path := issuesPath(shop, "/"+id+"/assignee")
	assign := func(as *principal, userID any) *responseOf {
		t.Helper()
		rec := tm.do(req{method: http.MethodPut, path: path, as: as, body: map[string]any{"userId": userID}})
		return &responseOf{code: rec.Code, body: rec.Body.String()}
	}

	// A viewer assigns a member, then the owner.
	body := tm.want(http.StatusOK, req{method: http.MethodPut, path: path, as: tm.vera, body: map[string]any{"userId": tm.adamU.UUID.String()}})
	require.Equal(t, map[string]any{"id": tm.adamU.UUID.String(), "email": tm.adamU.Email, "name": tm.adamU.Name}, body["assignee"])
	require.Equal(t, tm.clock.Now().UTC().Format(time.RFC3339Nano), utc(body["assignedAt"]))
	require.Equal(t, 1, tm.count(`SELECT count(*) FROM error_groups WHERE uuid = $1 AND assigned_user_id = $2
		AND assigned_by_user_id = $3 AND assigned_at IS NOT NULL`, id, tm.adamU.ID, tm.veraU.ID))
	body = tm.want(http.StatusOK, req{method: http.MethodPut, path: path, as: tm.vera, body: map[string]any{"userId": tm.oliveU.UUID.String()}})
	require.Equal(t, tm.oliveU.Email, body["assignee"].(map[string]any)["email"])
	body = tm.want(http.StatusOK, req{method: http.MethodGet, path: issuesPath(shop, "/"+id), as: tm.vera})
	require.Equal(t, tm.oliveU.Email, body["assignee"].(map[string]any)["email"])

	// Someone who is neither owner nor member, and someone who does not exist: 422.
	stranger := tm.user("stan@example.com")
	for _, u := range []string{stranger.UUID.String(), uuid.NewString()} {
		r := assign(tm.vera, u)
		require.Equal(t, http.StatusUnprocessableEntity, r.code, r.body)
		require.Contains(t, r.body, `"code":"not_a_member"`)
	}
	require.Equal(t, 1, tm.count(`SELECT count(*) FROM error_groups WHERE uuid = $1 AND assigned_user_id = $2`, id, tm.oliveU.ID))

	// Unassigning clears all three columns.
	body = tm.want(http.StatusOK, req{method: http.MethodPut, path: path, as: tm.adam, body: map[string]any{"userId": nil}})
	require.NotContains(t, body, "assignee")
	require.NotContains(t, body, "assignedAt")
	require.Equal(t, 1, tm.count(`SELECT count(*) FROM error_groups WHERE uuid = $1 AND assigned_user_id IS NULL
		AND assigned_by_user_id IS NULL AND assigned_at IS NULL`, id))

	// The body must name userId (null to unassign), as a UUID.
	tm.wantError(http.StatusUnprocessableEntity, "validation_failed", req{method: http.MethodPut, path: path, as: tm.vera, body: map[string]any{}})
	r := assign(tm.vera, "not-a-uuid")
	require.Equal(t, http.StatusBadRequest, r.code, r.body)
}

// utc is a JSON time in UTC, as RFC 3339; anything else as is.
func utc(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	ts, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return v
	}
	return ts.UTC().Format(time.RFC3339Nano)
}

type responseOf struct {
	code int
	body string
}

// comment adds a comment by the user to the group with the uuid and returns the comment's id.
func (f *matrix) comment(groupUUID string, by int64) string {
	return f.b.insertComment(groupUUID, by)
}

func (b *authBundle) insertComment(groupUUID string, by int64) string {
	b.t.Helper()
	var id uuid.UUID
	err := b.store.Pool.QueryRow(context.Background(), `INSERT INTO issue_activities
		(project_id, error_group_id, actor_user_id, kind, data, created_at)
		SELECT project_id, id, $2, 'commented', '{"body":"A comment"}', $3 FROM error_groups WHERE uuid = $1
		RETURNING uuid`, groupUUID, by, b.clock.Now()).Scan(&id)
	require.NoError(b.t, err)
	return id.String()
}
