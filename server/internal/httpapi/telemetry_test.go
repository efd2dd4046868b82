package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// Tests of the events feed, traces and the dashboard (telemetry.go).

// telTime formats a time as SDKs send it (milliseconds, UTC).
func telTime(t time.Time) string {
	return t.UTC().Truncate(time.Millisecond).Format("2006-01-02T15:04:05.000Z")
}

// telIngest sends one body to a public ingestion endpoint and requires 201.
func (b *authBundle) telIngest(key, path, body string) {
	b.t.Helper()
	require.Equal(b.t, http.StatusCreated, b.ingest(key, path, body), body)
}

// telInsert adds a telemetry event directly (times the API would not let a test choose, many rows).
func (b *authBundle) telInsert(projectID int64, typ, message string, at time.Time, id uuid.UUID) {
	b.t.Helper()
	_, err := b.store.Pool.Exec(context.Background(), `INSERT INTO telemetry_events
		(id, project_id, event_type, level, message, occurred_at, received_at, time_precision, context)
		VALUES ($1, $2, $3, 'info', $4, $5, $5, 'exact', '{}')`, id, projectID, typ, message, at)
	require.NoError(b.t, err)
}

// telCursor is the cursor parameter of a page after the first.
func telCursor(cursor string) string {
	if cursor == "" {
		return ""
	}
	return "&cursor=" + cursor
}

func telPath(projectID, rest string) string { return "/api/v1/projects/" + projectID + rest }

// telMessages are the messages of a page of events, in order.
func telMessages(body map[string]any) []string {
	out := []string{}
	for _, e := range list(body, "events") {
		out = append(out, e["message"].(string))
	}
	return out
}

func TestEventsFeed(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, nil)
	shop := tm.shop()["id"].(string)
	pid := tm.projectRowID(shop)
	key := tm.newKey(shop, tm.olive)
	now := tm.clock.Now()
	at := func(d time.Duration) string { return telTime(now.Add(-d)) }

	// What the SDKs send (sdk-wire-examples): a console log, a db.query metric, a transaction, a
	// check-in of logister-js, and a check-in as an event (logister-ruby).
	tm.telIngest(key, "/api/v1/ingest_events", `{"event":{"event_type":"log","level":"debug","message":"console debug line",
		"occurred_at":"`+at(time.Minute)+`","context":{"logger_name":"console","logger":{"name":"console"},
		"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","environment":"production","release":"1.0"}}}`)
	tm.telIngest(key, "/api/v1/ingest_events", `{"event":{"event_type":"metric","level":"info","message":"db.query",
		"occurred_at":"`+at(2*time.Minute)+`","context":{"name":"User Load","duration_ms":12.75,
		"metric":{"name":"db.query","value":12.75,"unit":"ms"},"environment":"staging","release":"1.0"}}}`)
	tm.telIngest(key, "/api/v1/ingest_events", `{"event":{"event_type":"transaction","level":"info","message":"GET /users/:id",
		"occurred_at":"`+at(3*time.Minute)+`","context":{"http":{"status_code":200},"transaction_name":"GET /users/:id",
		"duration_ms":123.4,"trace_id":"0af7651916cd43dd8448eb211c80319c","environment":"production","release":"2.0"}}}`)
	tm.telIngest(key, "/api/v1/check_ins", `{"check_in":{"slug":"nightly-report","status":"error","environment":"production",
		"checked_at":"`+at(4*time.Minute)+`","expected_interval_seconds":86400,"duration_ms":1500}}`)
	// Text with LIKE's wildcards, and text they would match if unescaped.
	tm.telIngest(key, "/api/v1/ingest_events", `{"event":{"event_type":"log","level":"info","message":"Import 100% done_ok",
		"occurred_at":"`+at(5*time.Minute)+`"}}`)
	tm.telIngest(key, "/api/v1/ingest_events", `{"event":{"event_type":"log","level":"info","message":"Import 1000 doneXok",
		"occurred_at":"`+at(6*time.Minute)+`"}}`)
	// Not in the feed: an error (the inbox has it), another project's log.
	tm.telIngest(key, "/api/v1/ingest_events", `{"event":{"event_type":"error","level":"error","message":"TypeError: boom",
		"occurred_at":"`+at(30*time.Second)+`"}}`)
	other := tm.create(tm.olive, map[string]any{"name": "Other"})["id"].(string)
	tm.telIngest(tm.newKey(other, tm.olive), "/api/v1/ingest_events", `{"event":{"event_type":"log","level":"info",
		"message":"elsewhere","occurred_at":"`+at(time.Minute)+`"}}`)
	// Periods: 24 hours ago exactly is in the last 24 hours, a microsecond more is not.
	tm.telInsert(pid, "log", "exactly a day ago", now.Add(-24*time.Hour), uuid.New())
	tm.telInsert(pid, "log", "just over a day ago", now.Add(-24*time.Hour-time.Microsecond), uuid.New())
	tm.telInsert(pid, "log", "last month", now.Add(-29*24*time.Hour), uuid.New())
	tm.telInsert(pid, "log", "last year", now.Add(-300*24*time.Hour), uuid.New())

	get := func(query string) map[string]any {
		t.Helper()
		return tm.want(http.StatusOK, req{method: http.MethodGet, path: telPath(shop, "/events"+query), as: tm.vera})
	}
	recent := []string{"console debug line", "db.query", "GET /users/:id", "nightly-report", "Import 100% done_ok",
		"Import 1000 doneXok", "exactly a day ago"}

	// The default: the last 24 hours, every type but errors, newest first.
	body := get("")
	require.Equal(t, recent, telMessages(body))
	require.NotContains(t, body, "nextCursor")
	events := list(body, "events")
	logEvent, metric, transaction, checkIn := events[0], events[1], events[2], events[3]
	require.Equal(t, "log", logEvent["type"])
	require.Equal(t, "debug", logEvent["level"])
	require.Equal(t, "console", logEvent["name"])
	require.Equal(t, "4bf92f3577b34da6a3ce929d0e0e4736", logEvent["traceId"])
	require.Equal(t, "production", logEvent["environment"])
	require.Equal(t, "1.0", logEvent["release"])
	require.Equal(t, "exact", logEvent["timePrecision"])
	occurred, err := time.Parse(time.RFC3339Nano, logEvent["occurredAt"].(string))
	require.NoError(t, err)
	require.True(t, occurred.Equal(now.Add(-time.Minute)), occurred)
	require.NotContains(t, logEvent, "durationMs")
	require.NotContains(t, logEvent, "issueId")
	require.Equal(t, "metric", metric["type"])
	require.Equal(t, "db.query", metric["name"]) // the metric's name, not the context's "name"
	require.Equal(t, 12.75, metric["durationMs"])
	require.Equal(t, "transaction", transaction["type"])
	require.Equal(t, "GET /users/:id", transaction["name"])
	require.Equal(t, "200", transaction["status"])
	require.InDelta(t, 123.4, transaction["durationMs"], 1e-4)
	require.Equal(t, "0af7651916cd43dd8448eb211c80319c", transaction["traceId"])
	require.Equal(t, "check_in", checkIn["type"])
	require.Equal(t, "nightly-report", checkIn["name"])
	require.Equal(t, "error", checkIn["status"])
	require.Equal(t, 1500.0, checkIn["durationMs"])

	// Filters.
	require.Equal(t, []string{"console debug line", "Import 100% done_ok", "Import 1000 doneXok", "exactly a day ago"},
		telMessages(get("?type=log")))
	require.Equal(t, []string{"db.query"}, telMessages(get("?type=metric")))
	require.Equal(t, []string{"GET /users/:id"}, telMessages(get("?type=transaction")))
	require.Equal(t, []string{"nightly-report"}, telMessages(get("?type=check_in")))
	require.Equal(t, []string{"db.query"}, telMessages(get("?environment=staging")))
	require.Equal(t, []string{"GET /users/:id"}, telMessages(get("?release=2.0")))
	require.Equal(t, []string{"console debug line", "db.query"}, telMessages(get("?release=1.0")))
	require.Empty(t, telMessages(get("?release=1.0&type=transaction")))
	week := slices.Concat(recent, []string{"just over a day ago"})
	require.Equal(t, week, telMessages(get("?period=7d")))
	require.Equal(t, slices.Concat(week, []string{"last month"}), telMessages(get("?period=30d")))
	require.Equal(t, slices.Concat(week, []string{"last month"}), telMessages(get("?period=90d")))
	require.Equal(t, slices.Concat(week, []string{"last month", "last year"}), telMessages(get("?period=all")))

	// Text: case-insensitive, over the message, the level and the context's names.
	q := func(text string) []string { return telMessages(get("?period=all&q=" + url.QueryEscape(text))) }
	require.Empty(t, q("console line"))                          // one substring, not words
	require.Equal(t, []string{"console debug line"}, q("DEBUG")) // message and level
	require.Equal(t, []string{"GET /users/:id"}, q("get /USERS"))
	require.Equal(t, []string{"nightly-report"}, q("Nightly"))
	require.Equal(t, []string{"db.query"}, q("user load")) // the context's name
	require.Equal(t, []string{"console debug line", "db.query", "GET /users/:id", "nightly-report",
		"Import 100% done_ok", "Import 1000 doneXok", "exactly a day ago", "just over a day ago", "last month", "last year"}, q("i"))
	require.Equal(t, []string{"Import 100% done_ok"}, q("100%"))
	require.Equal(t, []string{"Import 100% done_ok"}, q("done_ok"))
	require.Equal(t, []string{"Import 100% done_ok"}, q("_"))
	require.Equal(t, []string{"Import 100% done_ok"}, q("%"))
	require.Empty(t, q(`\`))
	require.Empty(t, q("100\\%"))

	// Paging: the cursor is bound to the filters, and pages meet without gaps or repeats.
	var seen []string
	cursor := ""
	for page := 0; ; page++ {
		require.Less(t, page, 10)
		body := get("?limit=3" + telCursor(cursor))
		seen = append(seen, telMessages(body)...)
		next, ok := body["nextCursor"].(string)
		if !ok {
			break
		}
		require.Len(t, telMessages(body), 3)
		cursor = next
	}
	require.Equal(t, recent, seen)
	// A page that ends with the last event has no cursor; one that ends just before it has one.
	body = get("?limit=7")
	require.Len(t, telMessages(body), 7)
	require.NotContains(t, body, "nextCursor")
	body = get("?limit=6")
	require.Equal(t, []string{"exactly a day ago"}, telMessages(get("?limit=6&cursor="+body["nextCursor"].(string))))

	cursor = get("?limit=1&type=log")["nextCursor"].(string)
	require.Equal(t, []string{"Import 100% done_ok"}, telMessages(get("?limit=1&type=log&cursor="+cursor)))
	for _, query := range []string{"?type=metric", "?type=log&q=x", "?type=log&period=7d", "?type=log&environment=production",
		"?type=log&release=1.0", "?limit=1"} {
		tm.wantError(http.StatusBadRequest, "invalid_cursor", req{method: http.MethodGet, as: tm.vera,
			path: telPath(shop, "/events"+query+"&cursor="+cursor)})
	}
	tm.wantError(http.StatusBadRequest, "invalid_cursor", req{method: http.MethodGet, as: tm.olive,
		path: telPath(other, "/events?type=log&cursor="+cursor)})
	tm.wantError(http.StatusBadRequest, "invalid_cursor", req{method: http.MethodGet, as: tm.vera,
		path: telPath(shop, "/events?cursor=AAAA")})
	tampered := []byte(cursor)
	tampered[10] = map[bool]byte{true: 'B', false: 'A'}[tampered[10] == 'A']
	tm.wantError(http.StatusBadRequest, "invalid_cursor", req{method: http.MethodGet, as: tm.vera,
		path: telPath(shop, "/events?type=log&cursor="+string(tampered))})
	// An issue list's cursor is not the feed's, and the feed's not the trace list's.
	tm.wantError(http.StatusBadRequest, "invalid_cursor", req{method: http.MethodGet, as: tm.vera,
		path: telPath(shop, "/traces?cursor="+cursor)})

	// Bad parameters.
	for _, query := range []string{"?type=error", "?period=1y", "?limit=0", "?limit=101", "?cursor=not!base64"} {
		tm.wantError(http.StatusBadRequest, "invalid_request", req{method: http.MethodGet, as: tm.vera, path: telPath(shop, "/events"+query)})
	}
}

func TestEventsFeedTies(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, nil)
	shop := tm.shop()["id"].(string)
	pid := tm.projectRowID(shop)
	at := tm.clock.Now().Add(-time.Hour)
	// Five events at the same instant, of two types: the id breaks the tie, across pages.
	ids := []uuid.UUID{
		uuid.MustParse("00000000-0000-4000-8000-000000000005"), uuid.MustParse("00000000-0000-4000-8000-000000000004"),
		uuid.MustParse("00000000-0000-4000-8000-000000000003"), uuid.MustParse("00000000-0000-4000-8000-000000000002"),
		uuid.MustParse("00000000-0000-4000-8000-000000000001"),
	}
	for i, id := range ids {
		tm.telInsert(pid, []string{"log", "metric"}[i%2], fmt.Sprintf("tie %d", i), at, id)
	}
	tm.telInsert(pid, "log", "newer", at.Add(time.Microsecond), uuid.MustParse("00000000-0000-4000-8000-000000000000"))
	var got []string
	cursor := ""
	for {
		body := tm.want(http.StatusOK, req{method: http.MethodGet, as: tm.vera, path: telPath(shop, "/events?limit=2"+telCursor(cursor))})
		got = append(got, telMessages(body)...)
		next, ok := body["nextCursor"].(string)
		if !ok {
			break
		}
		cursor = next
	}
	require.Equal(t, []string{"newer", "tie 0", "tie 1", "tie 2", "tie 3", "tie 4"}, got)
}

// trace adds a root span of a new trace to the matrix's project and returns the trace id.
func (f *matrix) trace() string {
	id := fmt.Sprintf("matrix-trace-%d", f.seq())
	_, err := f.b.store.Pool.Exec(context.Background(), `INSERT INTO spans
		(id, project_id, trace_id, span_id, name, kind, duration_ms, started_at, ended_at, received_at, context)
		VALUES (gen_random_uuid(), $1, $2, 'root', 'GET /', 'server', 1, now(), now(), now(), '{}')`, f.project.ID, id)
	require.NoError(f.t, err)
	return id
}

// telSpan is a span as logister-js sends it, started off after start.
func telSpan(traceID, spanID, parent, name, kind string, start time.Time, off, dur time.Duration, context string) string {
	parentField := ""
	if parent != "" {
		parentField = `"parent_span_id":"` + parent + `",`
	}
	return `{"event":{"event_type":"span","level":"info","message":"` + name + `","name":"` + name + `",
		"trace_id":"` + traceID + `","span_id":"` + spanID + `",` + parentField + `"kind":"` + kind + `","status":"ok",
		"duration_ms":` + fmt.Sprint(dur.Milliseconds()) + `,"started_at":"` + telTime(start.Add(off)) + `",
		"ended_at":"` + telTime(start.Add(off+dur)) + `","context":` + context + `}}`
}

func TestTraces(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, nil)
	shop := tm.shop()["id"].(string)
	pid := tm.projectRowID(shop)
	key := tm.newKey(shop, tm.olive)
	now := tm.clock.Now()
	t0 := now.Add(-10 * time.Minute)
	const trace = "4bf92f3577b34da6a3ce929d0e0e4736"

	// Sent out of order; "o" names a parent that never arrived.
	for _, sp := range []string{
		telSpan(trace, "a1", "a", "GET cache", "cache", t0, 20*time.Millisecond, 10*time.Millisecond, `{}`),
		telSpan(trace, "o", "gone", "render", "render", t0, 50*time.Millisecond, 60*time.Millisecond, `{}`),
		telSpan(trace, "a", "r", "POST payments", "http", t0, 10*time.Millisecond, 50*time.Millisecond, `{}`),
		telSpan(trace, "r", "", "GET /checkout", "server", t0, 0, 100*time.Millisecond,
			`{"route":"/checkout","password":"hunter2","user":{"id":"u-1"},"http":{"status_code":200}}`),
		telSpan(trace, "b", "r", "SELECT orders", "db", t0, 5*time.Millisecond, 20*time.Millisecond, `{}`),
		telSpan("older-trace", "root", "", "GET /home", "server", t0.Add(-time.Hour), 0, 30*time.Millisecond, `{}`),
		telSpan("orphans-only", "x", "missing", "child", "db", t0, 0, time.Millisecond, `{}`),
		telSpan("two-days-old", "root", "", "GET /old", "server", now.Add(-48*time.Hour), 0, time.Millisecond, `{}`),
	} {
		tm.telIngest(key, "/api/v1/ingest_events", sp)
	}
	other := tm.create(tm.olive, map[string]any{"name": "Other"})["id"].(string)
	tm.telIngest(tm.newKey(other, tm.olive), "/api/v1/ingest_events",
		telSpan("elsewhere", "root", "", "GET /checkout", "server", t0, 0, time.Millisecond, `{}`))
	// Errors: two of the trace within its window (the id at the top, and nested as the Ruby SDK
	// sends it), one of the trace too long before it, one of another trace.
	errorWith := func(message string, at time.Time, context string) {
		tm.telIngest(key, "/api/v1/ingest_events", `{"event":{"event_type":"error","level":"error","message":"`+message+`",
			"occurred_at":"`+telTime(at)+`","context":`+context+`}}`)
	}
	errorWith("Payment failed", t0.Add(30*time.Millisecond), `{"trace_id":"`+trace+`"}`)
	errorWith("Late failure", t0.Add(4*time.Minute), `{"trace":{"trace_id":"`+trace+`"}}`)
	errorWith("Long before", t0.Add(-6*time.Minute), `{"trace_id":"`+trace+`"}`)
	errorWith("Other trace", t0, `{"trace_id":"0af7651916cd43dd8448eb211c80319c"}`)

	get := func(path string) map[string]any {
		t.Helper()
		return tm.want(http.StatusOK, req{method: http.MethodGet, path: telPath(shop, path), as: tm.vera})
	}
	traceIDs := func(body map[string]any) []string {
		out := []string{}
		for _, tr := range list(body, "traces") {
			out = append(out, tr["traceId"].(string))
		}
		return out
	}

	// The list: root spans, newest first, in the period.
	body := get("/traces")
	require.Equal(t, []string{trace, "older-trace"}, traceIDs(body))
	require.NotContains(t, body, "nextCursor")
	first := list(body, "traces")[0]
	require.Equal(t, "GET /checkout", first["name"])
	require.Equal(t, "server", first["kind"])
	require.Equal(t, "ok", first["status"])
	require.Equal(t, 100.0, first["durationMs"])
	require.Equal(t, "production", first["environment"])
	started, err := time.Parse(time.RFC3339Nano, first["startedAt"].(string))
	require.NoError(t, err)
	require.True(t, started.Equal(t0.Truncate(time.Millisecond)))
	require.Equal(t, []string{trace, "older-trace", "two-days-old"}, traceIDs(get("/traces?period=7d")))
	require.Equal(t, []string{trace}, traceIDs(get("/traces?q=CHECKOUT")))
	require.Equal(t, []string{"older-trace"}, traceIDs(get("/traces?q=home")))
	require.Empty(t, traceIDs(get("/traces?q=%25")))
	require.Empty(t, traceIDs(get("/traces?q=GET_")))
	body = get("/traces?limit=1&period=7d")
	require.Equal(t, []string{trace}, traceIDs(body))
	cursor := body["nextCursor"].(string)
	body = get("/traces?limit=1&period=7d&cursor=" + cursor)
	require.Equal(t, []string{"older-trace"}, traceIDs(body))
	body = get("/traces?limit=1&period=7d&cursor=" + body["nextCursor"].(string))
	require.Equal(t, []string{"two-days-old"}, traceIDs(body))
	require.NotContains(t, body, "nextCursor")
	for _, query := range []string{"?limit=1", "?limit=1&period=7d&q=get"} {
		tm.wantError(http.StatusBadRequest, "invalid_cursor", req{method: http.MethodGet, as: tm.vera,
			path: telPath(shop, "/traces"+query+"&cursor="+cursor)})
	}
	tm.wantError(http.StatusBadRequest, "invalid_cursor", req{method: http.MethodGet, as: tm.olive,
		path: telPath(other, "/traces?limit=1&period=7d&cursor="+cursor)})
	tm.wantError(http.StatusBadRequest, "invalid_cursor", req{method: http.MethodGet, as: tm.vera,
		path: telPath(shop, "/events?limit=1&period=7d&cursor="+cursor)})

	// One trace: depth first from the roots, children by start, the orphan as a root.
	body = get("/traces/" + trace)
	require.Equal(t, trace, body["traceId"])
	require.Equal(t, false, body["truncated"])
	require.Equal(t, 110.0, body["durationMs"])
	started, err = time.Parse(time.RFC3339Nano, body["startedAt"].(string))
	require.NoError(t, err)
	require.True(t, started.Equal(t0.Truncate(time.Millisecond)))
	type row struct {
		span, parent string
		depth        float64
		offset       float64
	}
	var rows []row
	for _, sp := range list(body, "spans") {
		parent, _ := sp["parentSpanId"].(string)
		rows = append(rows, row{sp["spanId"].(string), parent, sp["depth"].(float64), sp["offsetMs"].(float64)})
	}
	require.Equal(t, []row{{"r", "", 0, 0}, {"b", "r", 1, 5}, {"a", "r", 1, 10}, {"a1", "a", 2, 20}, {"o", "gone", 0, 50}}, rows)
	root := list(body, "spans")[0]
	require.Equal(t, "GET /checkout", root["name"])
	require.Equal(t, "server", root["kind"])
	require.Equal(t, "ok", root["status"])
	require.Equal(t, 100.0, root["durationMs"])
	attrs := root["attributes"].(map[string]any)
	require.Equal(t, "/checkout", attrs["route"])
	require.Equal(t, "[REDACTED]", attrs["password"])
	require.Equal(t, "[REDACTED]", attrs["user"].(map[string]any)["id"])
	require.Equal(t, 200.0, attrs["http"].(map[string]any)["status_code"])
	var messages []string
	for _, e := range list(body, "errors") {
		messages = append(messages, e["message"].(string))
		require.Equal(t, "error", e["type"])
		require.NotEmpty(t, e["issueId"])
		require.Equal(t, trace, e["traceId"])
	}
	require.Equal(t, []string{"Late failure", "Payment failed"}, messages)

	// A trace of orphans only is still a trace; unknown ids and other projects' traces are not.
	body = get("/traces/orphans-only")
	require.Len(t, list(body, "spans"), 1)
	require.Equal(t, 0.0, list(body, "spans")[0]["depth"])
	require.Empty(t, list(body, "errors"))
	tm.wantError(http.StatusNotFound, "not_found", req{method: http.MethodGet, as: tm.vera, path: telPath(shop, "/traces/nope")})
	tm.wantError(http.StatusNotFound, "not_found", req{method: http.MethodGet, as: tm.vera, path: telPath(shop, "/traces/elsewhere")})
	tm.wantError(http.StatusNotFound, "not_found", req{method: http.MethodGet, as: tm.vera,
		path: telPath(shop, "/traces/"+url.PathEscape("a b"))})

	// Huge traces: the first 2,000 spans by start.
	for _, tr := range []struct {
		id string
		n  int
	}{{"full", 2000}, {"huge", 2001}} {
		_, err := tm.store.Pool.Exec(context.Background(), `INSERT INTO spans
			(id, project_id, trace_id, span_id, parent_span_id, name, kind, duration_ms, started_at, ended_at, received_at, context)
			SELECT gen_random_uuid(), $1, $2, 's' || i, CASE WHEN i > 0 THEN 's0' END, 'span ' || i, 'db', 1,
				$3::timestamptz + i * interval '1 ms', $3::timestamptz + i * interval '1 ms' + interval '1 ms', now(), '{}'
			FROM generate_series(0, $4 - 1) i`, pid, tr.id, t0, tr.n)
		require.NoError(t, err)
	}
	body = get("/traces/full")
	require.Equal(t, false, body["truncated"])
	require.Len(t, list(body, "spans"), 2000)
	body = get("/traces/huge")
	require.Equal(t, true, body["truncated"])
	spans := list(body, "spans")
	require.Len(t, spans, 2000)
	require.Equal(t, "s0", spans[0]["spanId"])
	require.Equal(t, 0.0, spans[0]["depth"])
	require.Equal(t, "s1", spans[1]["spanId"])
	require.Equal(t, 1.0, spans[1]["depth"])
	require.Equal(t, "s1999", spans[1999]["spanId"])
	require.Equal(t, 1999.0, spans[1999]["offsetMs"])
	require.Equal(t, 2000.0, body["durationMs"])
}

func TestDashboard(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, nil)
	now := tm.clock.Now()
	shop := tm.shop()["id"].(string)
	blog := tm.create(tm.olive, map[string]any{"name": "Blog"})["id"].(string)
	old := tm.create(tm.olive, map[string]any{"name": "Old"})["id"].(string)
	foreign := tm.create(tm.adam, map[string]any{"name": "Adam's own"})["id"].(string)
	shopID, blogID, oldID, foreignID := tm.projectRowID(shop), tm.projectRowID(blog), tm.projectRowID(old), tm.projectRowID(foreign)
	key := tm.newKey(shop, tm.olive)

	// Issues: open, assigned, resolved, new; the archived and the foreign projects' are not counted.
	shopA := tm.insertGroup(shopID, group{title: "Shop A", lastSeen: time.Minute})
	shopB := tm.insertGroup(shopID, group{title: "Shop B", lastSeen: 3 * time.Minute})
	tm.insertGroup(shopID, group{title: "Shop fixed", status: "resolved", lastSeen: 2 * time.Minute})
	blogA := tm.insertGroup(blogID, group{title: "Blog A", lastSeen: 2 * time.Minute})
	oldA := tm.insertGroup(oldID, group{title: "Old A"})
	foreignA := tm.insertGroup(foreignID, group{title: "Foreign A"})
	_, err := tm.store.Pool.Exec(context.Background(), `UPDATE error_groups SET first_seen_at = $2 WHERE uuid = $1`, blogA, now.Add(-time.Hour))
	require.NoError(t, err)
	tm.want(http.StatusOK, req{method: http.MethodPut, path: issuesPath(shop, "/"+shopA+"/assignee"), as: tm.olive,
		body: map[string]any{"userId": tm.oliveU.UUID.String()}})
	tm.want(http.StatusOK, req{method: http.MethodPut, path: issuesPath(foreign, "/"+foreignA+"/assignee"), as: tm.adam,
		body: map[string]any{"userId": tm.adamU.UUID.String()}})

	// Events of the last 24 hours.
	tm.insertEvent(shopA, now.Add(-time.Hour))
	tm.insertEvent(shopB, now.Add(-2*time.Hour))
	tm.insertEvent(shopA, now.Add(-25*time.Hour))
	tm.insertEvent(blogA, now.Add(-30*time.Minute))
	tm.insertEvent(oldA, now.Add(-time.Hour))
	tm.insertEvent(foreignA, now.Add(-time.Hour))
	at := func(d time.Duration) string { return telTime(now.Add(-d)) }
	for _, ev := range []string{
		`{"event":{"event_type":"log","level":"info","message":"hello","occurred_at":"` + at(time.Minute) + `"}}`,
		`{"event":{"event_type":"metric","level":"info","message":"queue.depth","occurred_at":"` + at(2*time.Minute) + `"}}`,
		`{"event":{"event_type":"transaction","level":"info","message":"GET /","occurred_at":"` + at(3*time.Minute) + `"}}`,
		`{"event":{"event_type":"log","level":"info","message":"yesterday","occurred_at":"` + at(25*time.Hour) + `"}}`,
	} {
		tm.telIngest(key, "/api/v1/ingest_events", ev)
	}
	tm.telIngest(key, "/api/v1/check_ins", `{"check_in":{"slug":"nightly","status":"error","checked_at":"`+at(4*time.Minute)+`"}}`)
	tm.telIngest(key, "/api/v1/check_ins", `{"check_in":{"slug":"daily","status":"ok","checked_at":"`+at(5*time.Minute)+`",
		"expected_interval_seconds":86400}}`)
	tm.telInsert(blogID, "log", "blog log", now.Add(-10*time.Minute), uuid.New())
	tm.telInsert(oldID, "log", "old log", now.Add(-10*time.Minute), uuid.New())
	tm.telInsert(foreignID, "metric", "foreign metric", now.Add(-10*time.Minute), uuid.New())

	// Monitors: missed (nothing for two days), paused; none of the archived or foreign projects.
	monitor := func(projectID int64, slug, status string, lastCheckIn time.Time, paused bool) {
		var pausedAt any
		if paused {
			pausedAt = now
		}
		_, err := tm.store.Pool.Exec(context.Background(), `INSERT INTO check_in_monitors
			(project_id, slug, last_check_in_at, last_status, expected_interval_seconds, paused_at) VALUES ($1, $2, $3, $4, 300, $5)`,
			projectID, slug, lastCheckIn, status, pausedAt)
		require.NoError(t, err)
	}
	monitor(shopID, "sync", "ok", now.Add(-48*time.Hour), false)
	monitor(shopID, "backup", "error", now.Add(-48*time.Hour), true)
	monitor(blogID, "feed", "ok", now.Add(-48*time.Hour), false)
	monitor(oldID, "old", "error", now, false)
	monitor(foreignID, "foreign", "error", now, false)

	archived := tm.want(http.StatusOK, req{method: http.MethodPost, path: "/api/v1/projects/" + old + "/archive", as: tm.olive})
	require.NotEmpty(t, archived["archivedAt"])

	dashboard := func(as *principal) map[string]any {
		t.Helper()
		return tm.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/dashboard", as: as})
	}
	titles := func(body map[string]any, field string) []string {
		out := []string{}
		for _, is := range list(body, field) {
			out = append(out, is["title"].(string))
		}
		return out
	}

	body := dashboard(tm.olive)
	generated, err := time.Parse(time.RFC3339Nano, body["generatedAt"].(string))
	require.NoError(t, err)
	require.True(t, generated.Equal(now))
	require.Equal(t, 2.0, body["projectCount"])
	require.Equal(t, 3.0, body["openIssues"])
	require.Equal(t, 1.0, body["newIssues24h"])
	require.Equal(t, 1.0, body["assignedToMe"])
	require.Equal(t, 2.0, body["unassigned"])
	require.Equal(t, map[string]any{"error": 3.0, "log": 2.0, "metric": 1.0, "transaction": 1.0, "checkIn": 2.0}, body["events24h"])
	require.Equal(t, map[string]any{"ok": 1.0, "missed": 2.0, "error": 1.0, "paused": 1.0}, body["monitors"])
	require.Equal(t, []string{"Shop A"}, titles(body, "assignedIssues"))
	assigned := list(body, "assignedIssues")[0]
	require.Equal(t, shopA, assigned["id"])
	require.Equal(t, "olive@example.com", assigned["assignee"].(map[string]any)["email"])
	require.Equal(t, map[string]any{"id": shop, "name": "Shop", "slug": "shop"}, assigned["project"])
	require.Equal(t, []string{"Shop A", "Blog A", "Shop B"}, titles(body, "needsAttention"))
	require.Equal(t, "blog", list(body, "needsAttention")[1]["project"].(map[string]any)["slug"])

	lines := list(body, "projects")
	require.Len(t, lines, 2)
	require.Equal(t, "Shop", lines[0]["project"].(map[string]any)["name"])
	require.Equal(t, 2.0, lines[0]["openIssues"])
	require.Equal(t, 0.0, lines[0]["newIssues24h"])
	require.Equal(t, 7.0, lines[0]["events24h"]) // 2 errors, a log, a metric, a transaction, 2 check-ins
	require.Equal(t, 2.0, lines[0]["failingMonitors"])
	last, err := time.Parse(time.RFC3339Nano, lines[0]["lastEventAt"].(string))
	require.NoError(t, err)
	require.True(t, last.Equal(now.Add(-time.Minute)), last)
	require.Equal(t, "Blog", lines[1]["project"].(map[string]any)["name"])
	require.Equal(t, 1.0, lines[1]["openIssues"])
	require.Equal(t, 1.0, lines[1]["newIssues24h"])
	require.Equal(t, 2.0, lines[1]["events24h"])
	require.Equal(t, 1.0, lines[1]["failingMonitors"])
	last, err = time.Parse(time.RFC3339Nano, lines[1]["lastEventAt"].(string))
	require.NoError(t, err)
	require.True(t, last.Equal(now.Add(-10*time.Minute)), last)

	// Adam: the shop (as a member) and his own project; assignments are his own.
	body = dashboard(tm.adam)
	require.Equal(t, 2.0, body["projectCount"])
	require.Equal(t, 3.0, body["openIssues"])
	require.Equal(t, 1.0, body["assignedToMe"])
	require.Equal(t, []string{"Foreign A"}, titles(body, "assignedIssues"))
	require.Equal(t, "Shop", list(body, "projects")[0]["project"].(map[string]any)["name"]) // 2 open issues
	require.Equal(t, "Adam's own", list(body, "projects")[1]["project"].(map[string]any)["name"])

	// The instance administrator sees their own projects only: none. Nothing is null.
	body = dashboard(tm.root)
	require.Equal(t, 0.0, body["projectCount"])
	require.Equal(t, 0.0, body["openIssues"])
	require.Equal(t, map[string]any{"error": 0.0, "log": 0.0, "metric": 0.0, "transaction": 0.0, "checkIn": 0.0}, body["events24h"])
	require.Equal(t, map[string]any{"ok": 0.0, "missed": 0.0, "error": 0.0, "paused": 0.0}, body["monitors"])
	require.Equal(t, []any{}, body["assignedIssues"])
	require.Equal(t, []any{}, body["needsAttention"])
	require.Equal(t, []any{}, body["projects"])

	tm.wantError(http.StatusUnauthorized, "unauthenticated", req{method: http.MethodGet, path: "/api/v1/dashboard"})
}
