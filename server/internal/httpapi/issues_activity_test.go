package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

func activities(body map[string]any) []map[string]any { return list(body, "activities") }

func kinds(body map[string]any) []string {
	var out []string
	for _, a := range activities(body) {
		out = append(out, a["kind"].(string))
	}
	return out
}

func TestIssueActivity(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, nil)
	shop := tm.shop()["id"].(string)
	id := tm.insertGroup(tm.projectRowID(shop), group{title: "Flaky"})
	feed := func(query string) map[string]any {
		t.Helper()
		return tm.want(http.StatusOK, req{method: http.MethodGet, path: issuesPath(shop, "/"+id+"/activity"+query), as: tm.vera})
	}
	setStatus := func(status string) {
		t.Helper()
		tm.want(http.StatusOK, req{method: http.MethodPost, path: issuesPath(shop, "/"+id+"/status"), as: tm.vera,
			body: map[string]any{"status": status}})
		tm.clock.Advance(time.Second)
	}
	assign := func(as *principal, userID any) {
		t.Helper()
		tm.want(http.StatusOK, req{method: http.MethodPut, path: issuesPath(shop, "/"+id+"/assignee"), as: as,
			body: map[string]any{"userId": userID}})
		tm.clock.Advance(time.Second)
	}

	body := feed("")
	require.Empty(t, activities(body))
	require.NotContains(t, body, "nextCursor")

	// Changes are recorded; no-op changes are not.
	setStatus("resolved")
	setStatus("resolved")
	setStatus("unresolved")
	assign(tm.vera, tm.adamU.UUID.String())
	assign(tm.vera, tm.adamU.UUID.String())
	assign(tm.adam, tm.oliveU.UUID.String())
	assign(tm.adam, nil)
	assign(tm.adam, nil)
	body = feed("")
	require.Equal(t, []string{"unassigned", "assigned", "assigned", "status_changed", "status_changed"}, kinds(body))
	require.Equal(t, 5, tm.count(`SELECT count(*) FROM issue_activities a JOIN error_groups g ON g.id = a.error_group_id WHERE g.uuid = $1`, id))
	acts := activities(body)
	require.Equal(t, map[string]any{"id": tm.adamU.UUID.String(), "email": tm.adamU.Email, "name": tm.adamU.Name}, acts[0]["actor"])
	require.Equal(t, map[string]any{"id": tm.oliveU.UUID.String(), "name": tm.oliveU.Name}, acts[0]["previousAssignee"])
	require.NotContains(t, acts[0], "assignee")
	require.Equal(t, map[string]any{"id": tm.oliveU.UUID.String(), "name": tm.oliveU.Name}, acts[1]["assignee"])
	require.Equal(t, map[string]any{"id": tm.adamU.UUID.String(), "name": tm.adamU.Name}, acts[1]["previousAssignee"])
	require.NotContains(t, acts[2], "previousAssignee")
	require.Equal(t, tm.veraU.Email, acts[2]["actor"].(map[string]any)["email"])
	require.Equal(t, "resolved", acts[3]["fromStatus"])
	require.Equal(t, "unresolved", acts[3]["toStatus"])
	require.Equal(t, "unresolved", acts[4]["fromStatus"])
	require.Equal(t, "resolved", acts[4]["toStatus"])
	require.NotEmpty(t, acts[4]["createdAt"])

	// Paging, newest first, including entries with equal times.
	tm.insertComment(id, tm.veraU.ID)
	tm.insertComment(id, tm.veraU.ID)
	all := activities(feed(""))
	require.Len(t, all, 7)
	var paged []map[string]any
	query := "?limit=3"
	for pages := 0; ; pages++ {
		require.Less(t, pages, 5)
		body = feed(query)
		paged = append(paged, activities(body)...)
		c, ok := body["nextCursor"].(string)
		if !ok {
			break
		}
		query = "?limit=3&cursor=" + c
	}
	require.Equal(t, all, paged)
	tm.wantError(http.StatusBadRequest, "invalid_cursor", req{method: http.MethodGet, path: issuesPath(shop, "/"+id+"/activity?cursor=AAAA"), as: tm.vera})
	tm.want(http.StatusBadRequest, req{method: http.MethodGet, path: issuesPath(shop, "/"+id+"/activity?limit=101"), as: tm.vera})

	// A deleted actor leaves the entry without one.
	stan := tm.user("stan@example.com")
	tm.insertComment(id, stan.ID)
	_, err := tm.store.Pool.Exec(t.Context(), `DELETE FROM users WHERE id = $1`, stan.ID)
	require.NoError(t, err)
	first := activities(feed("?limit=1"))[0]
	require.Equal(t, "commented", first["kind"])
	require.Contains(t, first, "actor")
	require.Nil(t, first["actor"])

	// Another project's issue, an unknown one and a non-uuid are 404.
	other := tm.create(tm.adam, map[string]any{"name": "Adam's"})["id"].(string)
	foreign := tm.insertGroup(tm.projectRowID(other), group{title: "Foreign"})
	for _, x := range []string{foreign, uuid.NewString(), "42"} {
		tm.wantError(http.StatusNotFound, "not_found", req{method: http.MethodGet, path: issuesPath(shop, "/"+x+"/activity"), as: tm.vera})
		tm.wantError(http.StatusNotFound, "not_found", req{method: http.MethodPost, path: issuesPath(shop, "/"+x+"/comments"), as: tm.vera,
			body: map[string]any{"body": "hi"}})
	}
}

func TestIssueComments(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, nil)
	shop := tm.shop()["id"].(string)
	id := tm.insertGroup(tm.projectRowID(shop), group{title: "Talked about"})
	path := issuesPath(shop, "/"+id+"/comments")
	comment := func(as *principal, text string) map[string]any {
		t.Helper()
		return tm.want(http.StatusCreated, req{method: http.MethodPost, path: path, as: as, body: map[string]any{"body": text}})
	}

	// Bodies are trimmed, then 1..10,000 characters.
	c := comment(tm.vera, "  Seen it on staging too.\n")
	require.Equal(t, "commented", c["kind"])
	require.Equal(t, "Seen it on staging too.", c["body"])
	require.Equal(t, tm.veraU.Email, c["actor"].(map[string]any)["email"])
	long := strings.Repeat("é", 10000)
	require.Equal(t, long, comment(tm.vera, " "+long+" ")["body"])
	for _, bad := range []any{"", " \n\t ", strings.Repeat("x", 10001)} {
		tm.wantError(http.StatusUnprocessableEntity, "validation_failed", req{method: http.MethodPost, path: path, as: tm.vera,
			body: map[string]any{"body": bad}})
	}
	tm.wantError(http.StatusUnprocessableEntity, "validation_failed", req{method: http.MethodPost, path: path, as: tm.vera, body: map[string]any{}})
	body := tm.want(http.StatusOK, req{method: http.MethodGet, path: issuesPath(shop, "/"+id+"/activity"), as: tm.vera})
	require.Len(t, activities(body), 2)
	require.Equal(t, c["id"], activities(body)[1]["id"])

	del := func(as *principal, commentID string) *responseOf {
		rec := tm.do(req{method: http.MethodDelete, path: path + "/" + commentID, as: as})
		return &responseOf{code: rec.Code, body: rec.Body.String()}
	}

	// The author deletes their own (hard delete); a viewer may not delete someone else's; admins and
	// the owner may.
	r := del(tm.vera, c["id"].(string))
	require.Equal(t, http.StatusNoContent, r.code, r.body)
	require.Equal(t, 0, tm.count(`SELECT count(*) FROM issue_activities WHERE uuid = $1`, c["id"]))
	r = del(tm.vera, c["id"].(string))
	require.Equal(t, http.StatusNotFound, r.code, r.body)

	byAdam := comment(tm.adam, "Mine")["id"].(string)
	r = del(tm.vera, byAdam)
	require.Equal(t, http.StatusForbidden, r.code, r.body)
	require.Contains(t, r.body, `"code":"insufficient_role"`)
	byVera := comment(tm.vera, "Vera's")["id"].(string)
	r = del(tm.adam, byVera)
	require.Equal(t, http.StatusNoContent, r.code, r.body)
	r = del(tm.olive, byAdam)
	require.Equal(t, http.StatusNoContent, r.code, r.body)

	// Only comments can be deleted, and only under their own issue.
	tm.want(http.StatusOK, req{method: http.MethodPost, path: issuesPath(shop, "/"+id+"/status"), as: tm.vera,
		body: map[string]any{"status": "resolved"}})
	change := activities(tm.want(http.StatusOK, req{method: http.MethodGet, path: issuesPath(shop, "/"+id+"/activity"), as: tm.vera}))
	require.Equal(t, "status_changed", change[0]["kind"])
	r = del(tm.olive, change[0]["id"].(string))
	require.Equal(t, http.StatusNotFound, r.code, r.body)
	elsewhere := tm.insertGroup(tm.projectRowID(shop), group{title: "Elsewhere"})
	mine := comment(tm.vera, "Vera's again")["id"].(string)
	rec := tm.do(req{method: http.MethodDelete, path: issuesPath(shop, "/"+elsewhere+"/comments/"+mine), as: tm.vera})
	require.Equal(t, http.StatusNotFound, rec.Code)
	r = del(tm.vera, "not-a-uuid")
	require.Equal(t, http.StatusNotFound, r.code, r.body)
	require.Equal(t, 1, tm.count(`SELECT count(*) FROM issue_activities WHERE uuid = $1`, mine))
}

func TestBulkIssues(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, nil)
	shop := tm.shop()["id"].(string)
	pid := tm.projectRowID(shop)
	a := tm.insertGroup(pid, group{title: "A"})
	b := tm.insertGroup(pid, group{title: "B", status: "resolved"})
	c := tm.insertGroup(pid, group{title: "C"})
	other := tm.create(tm.adam, map[string]any{"name": "Adam's"})["id"].(string)
	foreign := tm.insertGroup(tm.projectRowID(other), group{title: "Foreign"})
	unknown := uuid.NewString()
	path := issuesPath(shop, "/bulk")
	bulk := func(body map[string]any) map[string]string {
		t.Helper()
		res := tm.want(http.StatusOK, req{method: http.MethodPost, path: path, as: tm.vera, body: body})
		out := map[string]string{}
		var order []string
		for _, r := range list(res, "results") {
			out[r["id"].(string)] = r["result"].(string)
			order = append(order, r["id"].(string))
		}
		out["order"] = strings.Join(order, ",")
		return out
	}
	countActs := func(group string) int {
		return tm.count(`SELECT count(*) FROM issue_activities x JOIN error_groups g ON g.id = x.error_group_id WHERE g.uuid = $1`, group)
	}

	// Mixed ids: others' and unknown ones are not_found; the rest change, or not.
	res := bulk(map[string]any{"ids": []string{foreign, a, b, unknown, a, c}, "action": "resolve"})
	require.Equal(t, map[string]string{foreign: "not_found", a: "changed", b: "unchanged", unknown: "not_found", c: "changed",
		"order": strings.Join([]string{foreign, a, b, unknown, c}, ",")}, res)
	require.Equal(t, 2, tm.count(`SELECT count(*) FROM error_groups WHERE uuid IN ($1, $2) AND status = 'resolved' AND resolved_at IS NOT NULL`, a, c))
	require.Equal(t, "unresolved", tm.want(http.StatusOK, req{method: http.MethodGet, path: issuesPath(other, "/"+foreign), as: tm.adam})["status"])
	require.Equal(t, []int{1, 0, 1, 0}, []int{countActs(a), countActs(b), countActs(c), countActs(foreign)})

	res = bulk(map[string]any{"ids": []string{a, b}, "action": "reopen"})
	require.Equal(t, "changed", res[a])
	require.Equal(t, "changed", res[b])
	require.Equal(t, 1, tm.count(`SELECT count(*) FROM error_groups WHERE uuid = $1 AND status = 'unresolved' AND reopen_count = 1`, a))

	// Assignment.
	res = bulk(map[string]any{"ids": []string{a, c}, "action": "assign", "userId": tm.adamU.UUID.String()})
	require.Equal(t, []string{"changed", "changed"}, []string{res[a], res[c]})
	res = bulk(map[string]any{"ids": []string{a, b}, "action": "assign", "userId": tm.adamU.UUID.String()})
	require.Equal(t, []string{"unchanged", "changed"}, []string{res[a], res[b]})
	require.Equal(t, 3, tm.count(`SELECT count(*) FROM error_groups WHERE project_id = $1 AND assigned_user_id = $2 AND assigned_by_user_id = $3`,
		pid, tm.adamU.ID, tm.veraU.ID))
	res = bulk(map[string]any{"ids": []string{a, b, c}, "action": "unassign"})
	require.Equal(t, []string{"changed", "changed", "changed"}, []string{res[a], res[b], res[c]})
	require.Equal(t, 4, countActs(a)) // resolved, reopened, assigned, unassigned; nothing for the no-op
	feed := activities(tm.want(http.StatusOK, req{method: http.MethodGet, path: issuesPath(shop, "/"+a+"/activity"), as: tm.vera}))
	require.Equal(t, "unassigned", feed[0]["kind"])

	// Bad requests change nothing.
	stranger := tm.user("stan@example.com")
	tm.wantError(http.StatusUnprocessableEntity, "not_a_member", req{method: http.MethodPost, path: path, as: tm.vera,
		body: map[string]any{"ids": []string{a}, "action": "assign", "userId": stranger.UUID.String()}})
	tm.wantError(http.StatusUnprocessableEntity, "validation_failed", req{method: http.MethodPost, path: path, as: tm.vera,
		body: map[string]any{"ids": []string{a}, "action": "assign"}})
	tm.wantError(http.StatusUnprocessableEntity, "validation_failed", req{method: http.MethodPost, path: path, as: tm.vera,
		body: map[string]any{"ids": []string{}, "action": "resolve"}})
	tm.wantError(http.StatusUnprocessableEntity, "validation_failed", req{method: http.MethodPost, path: path, as: tm.vera,
		body: map[string]any{"ids": []string{a}, "action": "fix"}})
	many := make([]string, 101)
	for i := range many {
		many[i] = uuid.NewString()
	}
	tm.wantError(http.StatusUnprocessableEntity, "validation_failed", req{method: http.MethodPost, path: path, as: tm.vera,
		body: map[string]any{"ids": many, "action": "resolve"}})
	require.Equal(t, 0, tm.count(`SELECT count(*) FROM error_groups WHERE project_id = $1 AND assigned_user_id IS NOT NULL`, pid))
}
