package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// insertOccurrence adds an occurrence of the group at the time with the time precision, message
// and context (JSON), and returns its id.
func (b *authBundle) insertOccurrence(groupUUID string, at time.Time, precision, message, context string) string {
	b.t.Helper()
	var id uuid.UUID
	err := b.store.Pool.QueryRow(b.t.Context(), `INSERT INTO error_events
		(id, project_id, error_group_id, level, message, occurred_at, received_at, time_precision, context)
		SELECT gen_random_uuid(), project_id, id, 'error', $3, $2, $2, $4, $5::jsonb FROM error_groups WHERE uuid = $1
		RETURNING id`, groupUUID, at, message, precision, context).Scan(&id)
	require.NoError(b.t, err)
	return id.String()
}

// occurrence adds an occurrence to the issue for the authorisation matrix and returns its id.
func (f *matrix) occurrence(issue string) string {
	return f.b.insertOccurrence(issue, f.b.clock.Now(), "exact", "boom", `{"trace_id":"matrix"}`)
}

// ingestID sends one event to the ingestion API with key and returns the id it was given.
func (b *authBundle) ingestID(key string, event map[string]any) string {
	b.t.Helper()
	rec := b.do(req{method: http.MethodPost, path: "/api/v1/ingest_events", body: map[string]any{"event": event},
		header: map[string]string{"Authorization": "Bearer " + key}})
	require.Equal(b.t, http.StatusCreated, rec.Code, rec.Body.String())
	var body map[string]any
	require.NoError(b.t, json.Unmarshal(rec.Body.Bytes(), &body))
	return body["id"].(string)
}

// issueOf is the issue of an error event.
func (b *authBundle) issueOf(eventID string) string {
	b.t.Helper()
	var id uuid.UUID
	require.NoError(b.t, b.store.Pool.QueryRow(context.Background(),
		`SELECT g.uuid FROM error_events e JOIN error_groups g ON g.id = e.error_group_id WHERE e.id = $1`, eventID).Scan(&id))
	return id.String()
}

func eventIDs(body map[string]any, field string) []string {
	out := []string{}
	for _, ev := range list(body, field) {
		out = append(out, ev["id"].(string))
	}
	return out
}

func TestListIssueEvents(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, nil)
	shop := tm.shop()["id"].(string)
	pid := tm.projectRowID(shop)
	issue := tm.insertGroup(pid, group{title: "Card declined"})
	other := tm.insertGroup(pid, group{title: "Other"})
	t0 := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	long := strings.Repeat("é", 1500)
	e1 := tm.insertOccurrence(issue, t0, "exact", long, `{"transaction_name":"POST /pay","duration_ms":12.5,"trace_id":"tr-9","status":"500"}`)
	// Two at the same instant: ordered by id, descending.
	e2 := tm.insertOccurrence(issue, t0.Add(time.Minute), "exact", "b", `{}`)
	e3 := tm.insertOccurrence(issue, t0.Add(time.Minute), "exact", "c", `{}`)
	if e2 < e3 {
		e2, e3 = e3, e2
	}
	e4 := tm.insertOccurrence(issue, t0.Add(2*time.Minute), "received_only", "d", `{}`)
	tm.insertOccurrence(other, t0.Add(time.Hour), "exact", "elsewhere", `{}`)

	get := func(query string) map[string]any {
		t.Helper()
		return tm.want(http.StatusOK, req{method: http.MethodGet, path: issuesPath(shop, "/"+issue+"/events"+query), as: tm.vera})
	}

	// One page of everything, newest first.
	body := get("")
	require.Equal(t, []string{e4, e2, e3, e1}, eventIDs(body, "events"))
	require.NotContains(t, body, "nextCursor")
	evs := list(body, "events")
	require.Equal(t, "error", evs[0]["type"])
	require.Equal(t, issue, evs[0]["issueId"])
	require.Equal(t, "received_only", evs[0]["timePrecision"])
	oldest := evs[3]
	require.Len(t, []rune(oldest["message"].(string)), 1000, "messages are cut at 1,000 characters")
	require.Equal(t, "POST /pay", oldest["name"])
	require.Equal(t, 12.5, oldest["durationMs"])
	require.Equal(t, "tr-9", oldest["traceId"])
	require.Equal(t, "500", oldest["status"])
	require.Equal(t, "2026-11-20T12:00:00Z", utc(oldest["occurredAt"]))
	require.NotContains(t, oldest, "context")

	// Pages of two: the second page is exactly full and is the last (no cursor).
	body = get("?limit=2")
	require.Equal(t, []string{e4, e2}, eventIDs(body, "events"))
	cursor := body["nextCursor"].(string)
	body = get("?limit=2&cursor=" + url.QueryEscape(cursor))
	require.Equal(t, []string{e3, e1}, eventIDs(body, "events"))
	require.NotContains(t, body, "nextCursor")
	// Pages of three: the tie is split across pages without loss.
	body = get("?limit=3")
	require.Equal(t, []string{e4, e2, e3}, eventIDs(body, "events"))
	body = get("?limit=3&cursor=" + url.QueryEscape(body["nextCursor"].(string)))
	require.Equal(t, []string{e1}, eventIDs(body, "events"))
	require.NotContains(t, body, "nextCursor")

	// A cursor of another issue, or a broken one, is refused.
	tm.wantError(http.StatusBadRequest, "invalid_cursor", req{method: http.MethodGet,
		path: issuesPath(shop, "/"+other+"/events?cursor="+url.QueryEscape(cursor)), as: tm.vera})
	tm.wantError(http.StatusBadRequest, "invalid_cursor", req{method: http.MethodGet,
		path: issuesPath(shop, "/"+issue+"/events?cursor=bm9wZQ"), as: tm.vera})
	tm.wantError(http.StatusBadRequest, "invalid_request", req{method: http.MethodGet,
		path: issuesPath(shop, "/"+issue+"/events?limit=101"), as: tm.vera})

	// An issue without occurrences has an empty page.
	bare := tm.insertGroup(pid, group{title: "Bare"})
	body = tm.want(http.StatusOK, req{method: http.MethodGet, path: issuesPath(shop, "/"+bare+"/events"), as: tm.vera})
	require.Empty(t, list(body, "events"))
	require.NotContains(t, body, "nextCursor")

	// Another project's issue, an unknown one and a non-uuid: 404.
	mine := tm.create(tm.adam, map[string]any{"name": "Adam's"})["id"].(string)
	foreign := tm.insertGroup(tm.projectRowID(mine), group{title: "Foreign"})
	for _, id := range []string{foreign, uuid.NewString(), "42"} {
		tm.wantError(http.StatusNotFound, "not_found", req{method: http.MethodGet, path: issuesPath(shop, "/"+id+"/events"), as: tm.vera})
	}
}

func TestGetEvent(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, nil)
	shop := tm.shop()["id"].(string)
	key := tm.newKey(shop, tm.olive)
	errID := tm.ingestID(key, map[string]any{
		"event_type": "error", "level": "error", "message": "PaymentDeclinedError: card declined",
		"occurred_at": "2026-11-23T10:00:00Z", "fingerprint": "payment-declined",
		"context": map[string]any{
			"environment": "production", "release": "1.2.0", "trace_id": "tr-1", "password": "hunter2",
			"user":    map[string]any{"id": 42, "email": "ann@example.com", "name": "Ann"},
			"session": map[string]any{"id": "sess-9", "started": true},
			"tags":    map[string]any{"region": "eu", "attempt": 3, "beta": true, "nothing": nil},
			"request": map[string]any{
				"method": "POST", "url": "https://shop.example.com/pay?step=2", "path": "/pay", "query_string": "step=2",
				"id": "req-1", "remote_ip": "203.0.113.7", "httpVersion": "HTTP/1.1",
				"headers": map[string]any{"Cookie": "session=abc", "Accept": "text/html", "X-Api-Key": "k"},
				"params":  map[string]any{"amount": 4200, "card_token": "tok_1"},
			},
			"railsAction": "PaymentsController#create",
			"exception": map[string]any{"class": "PaymentDeclinedError", "message": "card declined",
				"backtrace": []string{"/app/app/services/pay.rb:12:in `charge'"}},
		},
	})
	txID := tm.ingestID(key, map[string]any{
		"event_type": "transaction", "level": "info", "message": "POST /pay", "occurred_at": "2026-11-23T10:00:01Z",
		"context": map[string]any{"transaction_name": "POST /pay", "duration_ms": 125.5, "status": "ok", "trace_id": "tr-1"},
	})

	get := func(id string) map[string]any {
		t.Helper()
		return tm.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/projects/" + shop + "/events/" + id, as: tm.vera})
	}

	body := get(errID)
	require.Equal(t, errID, body["id"])
	require.Equal(t, "error", body["type"])
	require.Equal(t, tm.issueOf(errID), body["issueId"])
	require.Equal(t, "payment-declined", body["fingerprint"])
	require.Equal(t, "production", body["environment"])
	require.Equal(t, "1.2.0", body["release"])
	require.Equal(t, "exact", body["timePrecision"])
	require.Equal(t, "tr-1", body["traceId"], "summaries show the trace id")
	// The context is redacted.
	c := body["context"].(map[string]any)
	require.Equal(t, "[REDACTED]", c["password"])
	require.Equal(t, "tr-1", c["trace_id"], "correlation ids stay readable")
	require.Equal(t, map[string]any{"id": "[REDACTED]", "email": "[REDACTED]", "name": "Ann"}, c["user"])
	require.Equal(t, map[string]any{"id": "[REDACTED]", "started": true}, c["session"])
	require.Equal(t, "production", c["environment"])
	require.NotContains(t, fmt.Sprint(body), "hunter2")
	require.NotContains(t, fmt.Sprint(body), "ann@example.com")
	require.NotContains(t, fmt.Sprint(body), "session=abc")
	require.NotContains(t, fmt.Sprint(body), "tok_1")
	// The exception chain.
	exs := body["exceptions"].([]any)
	require.Len(t, exs, 1)
	ex := exs[0].(map[string]any)
	require.Equal(t, "PaymentDeclinedError", ex["type"])
	require.Equal(t, "card declined", ex["message"])
	require.NotEmpty(t, ex["frames"])
	// The request panel, from the redacted context.
	r := body["request"].(map[string]any)
	require.Equal(t, "POST", r["method"])
	require.Equal(t, "https://shop.example.com/pay?step=2", r["url"])
	require.Equal(t, "/pay", r["path"])
	require.Equal(t, "step=2", r["queryString"])
	require.Equal(t, "203.0.113.7", r["clientIp"])
	require.NotEmpty(t, r["requestId"])
	require.NotEqual(t, "[REDACTED]", r["requestId"])
	require.Equal(t, "HTTP/1.1", r["httpVersion"])
	require.Equal(t, "PaymentsController#create", r["action"])
	// (without the snake_case copies ingestion adds to the context)
	require.Equal(t, map[string]any{"Cookie": "[REDACTED]", "Accept": "text/html", "X-Api-Key": "[REDACTED]"}, r["headers"])
	require.Equal(t, map[string]any{"amount": 4200.0, "card_token": "[REDACTED]"}, r["params"])
	// Tags, as strings (nulls left out).
	require.Equal(t, map[string]any{"region": "eu", "attempt": "3", "beta": "true"}, body["tags"])

	// A transaction: its summary fields, no exceptions, no issue.
	body = get(txID)
	require.Equal(t, "transaction", body["type"])
	require.Equal(t, "POST /pay", body["name"])
	require.Equal(t, 125.5, body["durationMs"])
	require.Equal(t, "ok", body["status"])
	require.Equal(t, []any{}, body["exceptions"])
	require.NotContains(t, body, "issueId")
	require.NotContains(t, body, "request")
	require.NotContains(t, body, "tags")
	require.Equal(t, "tr-1", body["context"].(map[string]any)["trace_id"])

	// Events of another project, unknown ids and non-uuids: 404, for errors and telemetry alike.
	elsewhere := tm.create(tm.olive, map[string]any{"name": "Elsewhere"})["id"].(string)
	otherKey := tm.newKey(elsewhere, tm.olive)
	foreignErr := tm.ingestID(otherKey, map[string]any{"event_type": "error", "message": "elsewhere", "level": "error"})
	foreignLog := tm.ingestID(otherKey, map[string]any{"event_type": "log", "message": "elsewhere", "level": "info"})
	for _, id := range []string{foreignErr, foreignLog, uuid.NewString(), "abc"} {
		tm.wantError(http.StatusNotFound, "not_found", req{method: http.MethodGet, path: "/api/v1/projects/" + shop + "/events/" + id, as: tm.vera})
	}
	require.Equal(t, "log", tm.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/projects/" + elsewhere + "/events/" + foreignLog, as: tm.olive})["type"])
	// Vera is not a member of Elsewhere.
	tm.wantError(http.StatusNotFound, "not_found", req{method: http.MethodGet, path: "/api/v1/projects/" + elsewhere + "/events/" + foreignLog, as: tm.vera})
}

func TestListIssueRelatedLogs(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, nil)
	shop := tm.shop()["id"].(string)
	key := tm.newKey(shop, tm.olive)
	t0 := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	at := func(d time.Duration) string { return t0.Add(d).Format(time.RFC3339Nano) }
	errID := tm.ingestID(key, map[string]any{
		"event_type": "error", "level": "error", "message": "boom", "occurred_at": at(0), "fingerprint": "fp-1",
		"context": map[string]any{"trace_id": "tr-1", "request_id": "rq-1", "session_id": "se-1", "user": map[string]any{"id": 42}},
	})
	issue := tm.issueOf(errID)
	log := func(k string, d time.Duration, ctx map[string]any) string {
		return tm.ingestID(k, map[string]any{"event_type": "log", "level": "info", "message": "log line", "occurred_at": at(d), "context": ctx})
	}
	byTrace := log(key, time.Minute, map[string]any{"trace_id": "tr-1"})
	byRequest := log(key, -2*time.Minute, map[string]any{"request": map[string]any{"id": "rq-1"}})
	bySession := log(key, 4*time.Minute, map[string]any{"sessionId": "se-1"})
	byUser := log(key, -5*time.Minute, map[string]any{"user_id": 42})
	log(key, 5*time.Minute+time.Second, map[string]any{"trace_id": "tr-1"}) // outside the window
	log(key, -6*time.Minute, map[string]any{"trace_id": "tr-1"})            // outside the window
	log(key, 0, map[string]any{"trace_id": "tr-2", "request_id": "rq-2"})   // other ids
	tm.ingestID(key, map[string]any{"event_type": "metric", "level": "info", "message": "m", "occurred_at": at(0),
		"context": map[string]any{"trace_id": "tr-1"}}) // not a log
	elsewhere := tm.create(tm.olive, map[string]any{"name": "Elsewhere"})["id"].(string)
	log(tm.newKey(elsewhere, tm.olive), 0, map[string]any{"trace_id": "tr-1"}) // another project

	get := func(query string) map[string]any {
		t.Helper()
		return tm.want(http.StatusOK, req{method: http.MethodGet, path: issuesPath(shop, "/"+issue+"/related-logs"+query), as: tm.vera})
	}
	body := get("")
	require.Equal(t, errID, body["eventId"])
	require.Equal(t, []any{"trace_id", "request_id", "session_id", "user_id"}, body["matchedOn"])
	require.Equal(t, "2026-11-23T09:55:00Z", utc(body["from"]))
	require.Equal(t, "2026-11-23T10:05:00Z", utc(body["to"]))
	require.Equal(t, []string{bySession, byTrace, byRequest, byUser}, eventIDs(body, "logs"))
	first := list(body, "logs")[0]
	require.Equal(t, "log", first["type"])
	require.Equal(t, "log line", first["message"])
	require.NotContains(t, first, "issueId")
	require.Equal(t, body, get("?eventId="+errID), "the latest occurrence by default")

	// An occurrence whose time the client did not send has none; so has one without ids.
	received := tm.ingestID(key, map[string]any{"event_type": "error", "level": "error", "message": "boom", "fingerprint": "fp-1",
		"context": map[string]any{"trace_id": "tr-1"}})
	require.Equal(t, issue, tm.issueOf(received))
	body = get("?eventId=" + received)
	require.Equal(t, received, body["eventId"])
	require.Empty(t, list(body, "logs"))
	require.Equal(t, []any{}, body["matchedOn"])
	require.NotContains(t, body, "from")
	bare := tm.ingestID(key, map[string]any{"event_type": "error", "level": "error", "message": "boom", "fingerprint": "fp-1",
		"occurred_at": at(time.Second)})
	body = get("?eventId=" + bare)
	require.Empty(t, list(body, "logs"))
	require.Equal(t, []any{}, body["matchedOn"])

	// Only the ids the occurrence has are looked for.
	only := tm.ingestID(key, map[string]any{"event_type": "error", "level": "error", "message": "boom", "fingerprint": "fp-1",
		"occurred_at": at(0), "context": map[string]any{"trace": map[string]any{"traceId": "tr-1"}}})
	body = get("?eventId=" + only)
	require.Equal(t, []any{"trace_id"}, body["matchedOn"])
	require.Equal(t, []string{byTrace}, eventIDs(body, "logs"))

	// An occurrence of another issue, an unknown or malformed id: 404; so is an issue without
	// occurrences, and another project's issue.
	otherErr := tm.ingestID(key, map[string]any{"event_type": "error", "level": "error", "message": "other", "fingerprint": "fp-2",
		"occurred_at": at(0)})
	for _, q := range []string{"?eventId=" + otherErr, "?eventId=" + uuid.NewString(), "?eventId=nope"} {
		tm.wantError(http.StatusNotFound, "not_found", req{method: http.MethodGet, path: issuesPath(shop, "/"+issue+"/related-logs"+q), as: tm.vera})
	}
	empty := tm.insertGroup(tm.projectRowID(shop), group{title: "Bare"})
	tm.wantError(http.StatusNotFound, "not_found", req{method: http.MethodGet, path: issuesPath(shop, "/"+empty+"/related-logs"), as: tm.vera})
	foreign := tm.insertGroup(tm.projectRowID(elsewhere), group{title: "Foreign"})
	tm.wantError(http.StatusNotFound, "not_found", req{method: http.MethodGet, path: issuesPath(shop, "/"+foreign+"/related-logs"), as: tm.vera})
}

func TestExportIssue(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, nil)
	shopBody := tm.shop()
	shop := shopBody["id"].(string)
	key := tm.newKey(shop, tm.olive)
	t0 := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	tm.deployment(key, t0.Add(-time.Hour), map[string]any{"release": "1.2.0", "commit_sha": sha("a")})
	var occurrences []string
	for i := range 3 {
		occurrences = append(occurrences, tm.ingestID(key, map[string]any{
			"event_type": "error", "level": "error", "message": "PaymentDeclinedError: card declined", "fingerprint": "fp-1",
			"occurred_at": t0.Add(time.Duration(i) * time.Minute).Format(time.RFC3339),
			"context": map[string]any{"release": "1.2.0", "trace_id": "tr-1", "password": "hunter2",
				"request":   map[string]any{"method": "POST", "path": "/pay"},
				"exception": map[string]any{"class": "PaymentDeclinedError", "message": "card declined"}},
		}))
	}
	issue := tm.issueOf(occurrences[0])
	logID := tm.ingestID(key, map[string]any{"event_type": "log", "level": "info", "message": "charging",
		"occurred_at": t0.Add(90 * time.Second).Format(time.RFC3339), "context": map[string]any{"trace_id": "tr-1", "token": "t"}})
	tm.want(http.StatusOK, req{method: http.MethodPut, path: issuesPath(shop, "/"+issue+"/assignee"), as: tm.olive,
		body: map[string]any{"userId": tm.adamU.UUID.String()}})

	export := func(query string) (map[string]any, *http.Response) {
		t.Helper()
		rec := tm.do(req{method: http.MethodGet, path: issuesPath(shop, "/"+issue+"/export"+query), as: tm.vera})
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var body map[string]any
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
		return body, rec.Result()
	}
	body, res := export("")
	require.Equal(t, `attachment; filename="logister-error-`+issue+`.json"`, res.Header.Get("Content-Disposition"))
	require.Equal(t, "application/json", res.Header.Get("Content-Type"))
	require.Equal(t, "logister_error_group", body["format"])
	require.Equal(t, 2.0, body["version"])
	ex := body["export"].(map[string]any)
	require.Equal(t, false, ex["includeOccurrences"])
	require.Equal(t, true, ex["redacted"])
	require.Equal(t, shop, body["project"].(map[string]any)["id"])
	require.Equal(t, "Shop", body["project"].(map[string]any)["name"])
	g := body["errorGroup"].(map[string]any)
	require.Equal(t, issue, g["id"])
	require.Equal(t, 3.0, g["occurrenceCount"])
	require.Equal(t, "1.2.0", g["releases"].(map[string]any)["introduced"])
	require.Nil(t, g["releases"].(map[string]any)["resolved"])
	require.Equal(t, "adam@example.com", body["assignment"].(map[string]any)["assignee"].(map[string]any)["email"])
	latest := body["latestEvent"].(map[string]any)
	require.Equal(t, occurrences[2], latest["id"])
	require.Equal(t, "[REDACTED]", latest["context"].(map[string]any)["password"])
	require.Equal(t, "PaymentDeclinedError", body["exception"].(map[string]any)["type"])
	require.Len(t, body["exception"].(map[string]any)["chain"], 1)
	require.Equal(t, "POST", body["request"].(map[string]any)["method"])
	rel := body["relatedLogs"].(map[string]any)
	require.Equal(t, occurrences[2], rel["eventId"])
	require.Equal(t, []string{logID}, eventIDs(rel, "logs"))
	require.Equal(t, "[REDACTED]", list(rel, "logs")[0]["context"].(map[string]any)["token"])
	dc := body["deploymentContext"].(map[string]any)
	require.Equal(t, "release", dc["match"])
	require.Equal(t, sha("a"), dc["deployment"].(map[string]any)["commitSha"])
	require.NotContains(t, body, "occurrences")
	require.NotContains(t, fmt.Sprint(body), "hunter2")

	body, _ = export("?includeOccurrences=true")
	require.Equal(t, true, body["export"].(map[string]any)["includeOccurrences"])
	require.Equal(t, []string{occurrences[2], occurrences[1], occurrences[0]}, eventIDs(body, "occurrences"))
	require.Equal(t, "[REDACTED]", list(body, "occurrences")[0]["context"].(map[string]any)["password"])

	// Unknown, foreign and malformed issues: 404.
	elsewhere := tm.create(tm.olive, map[string]any{"name": "Elsewhere"})["id"].(string)
	foreign := tm.insertGroup(tm.projectRowID(elsewhere), group{title: "Foreign"})
	for _, id := range []string{foreign, uuid.NewString(), "x"} {
		tm.wantError(http.StatusNotFound, "not_found", req{method: http.MethodGet, path: issuesPath(shop, "/"+id+"/export"), as: tm.vera})
	}
	tm.wantError(http.StatusBadRequest, "invalid_request", req{method: http.MethodGet, path: issuesPath(shop, "/"+issue+"/export?includeOccurrences=maybe"), as: tm.vera})
}

func TestExportIssueBounds(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, nil)
	shop := tm.shop()["id"].(string)
	issue := tm.insertGroup(tm.projectRowID(shop), group{title: "Huge"})
	t0 := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	// 30 occurrences of about 60 KB each (under the per-event cap, 1.8 MB together), the newest
	// one of 200 KB (over it).
	var ids []string
	for i := range 30 {
		ids = append(ids, tm.insertOccurrence(issue, t0.Add(time.Duration(i)*time.Second), "exact", "big",
			fmt.Sprintf(`{"n":%d,"blob":"%s"}`, i, strings.Repeat("x", 60_000))))
	}
	huge := tm.insertOccurrence(issue, t0.Add(time.Hour), "exact", "huge", `{"blob":"`+strings.Repeat("y", 200_000)+`"}`)

	rec := tm.do(req{method: http.MethodGet, path: issuesPath(shop, "/"+issue+"/export?includeOccurrences=true"), as: tm.vera})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.LessOrEqual(t, rec.Body.Len(), 900<<10)
	var body map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))

	latest := body["latestEvent"].(map[string]any)
	require.Equal(t, huge, latest["id"])
	cut := latest["context"].(map[string]any)
	require.Equal(t, true, cut["logisterTruncated"])
	require.Greater(t, cut["originalBytes"], 200_000.0)
	require.NotContains(t, cut, "blob")
	// In the occurrences, the same context was not even read.
	first := list(body, "occurrences")[0]["context"].(map[string]any)
	require.Equal(t, true, first["logisterTruncated"])
	require.NotContains(t, first, "blob")
	require.NotContains(t, first, "originalBytes")

	// The newest occurrences are kept, in order; the rest were dropped from the end.
	kept := eventIDs(body, "occurrences")
	require.Greater(t, len(kept), 5)
	require.Less(t, len(kept), 31)
	want := []string{huge}
	for i := 29; len(want) < len(kept); i-- {
		want = append(want, ids[i])
	}
	require.Equal(t, want, kept)
	tr := body["export"].(map[string]any)["truncated"].(map[string]any)
	require.Equal(t, float64(31-len(kept)), tr["occurrencesDropped"])
	require.GreaterOrEqual(t, tr["contexts"], 2.0, "the latest event's and its occurrence's contexts were cut")
}
