package httpapi_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/project"
)

// ingestFixture is a server with one project and one key.
type ingestFixture struct {
	*testBundle
	key       string
	projectID int64
}

func setupIngest(t *testing.T) *ingestFixture { return setupIngestB(t, nil) }

func setupIngestB(t testing.TB, opts *setupOpts) *ingestFixture {
	t.Helper()
	b := setupServer(t, opts)
	svc := project.NewService(b.store.DB, "logister")
	p, err := svc.Create(context.Background(), "Shop", "ruby")
	require.NoError(t, err)
	key, _, err := svc.CreateKey(context.Background(), p.Slug, "")
	require.NoError(t, err)
	return &ingestFixture{testBundle: b, key: key, projectID: p.ID}
}

func (f *ingestFixture) post(t *testing.T, path, body string, header http.Header) (int, map[string]any) {
	t.Helper()
	h := http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + f.key}}
	for k, v := range header {
		h[k] = v
	}
	rec := f.do(t, http.MethodPost, path, strings.NewReader(body), h)
	var out map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out), "every answer is a JSON object: %q", rec.Body.String())
	return rec.Code, out
}

func (f *ingestFixture) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, f.store.Pool.QueryRow(context.Background(), query, args...).Scan(&n))
	return n
}

const errorEvent = `{"event":{"event_type":"error","level":"error","message":"TypeError: x is undefined",
	"occurred_at":"2026-11-23T10:00:00.123Z","context":{"environment":"production","release":"1.2.0",
	"exception":{"class":"TypeError","message":"x is undefined",
	"stack":"TypeError: x is undefined\n    at handler (/app/src/routes/orders.js:42:13)\n    at next (/app/node_modules/express/lib/router/route.js:149:13)"}}}}`

func TestIngestEventStoresAndGroups(t *testing.T) {
	t.Parallel()
	f := setupIngest(t)

	status, body := f.post(t, "/api/v1/ingest_events", errorEvent, nil)
	require.Equal(t, 201, status, body)
	require.Equal(t, "accepted", body["status"])
	id, err := uuid.Parse(body["id"].(string))
	require.NoError(t, err)
	require.Nil(t, body["duplicate"])

	// The same bug from another line of the same function: the same group.
	other := strings.Replace(errorEvent, "orders.js:42:13", "orders.js:57:9", 1)
	other = strings.Replace(other, "x is undefined", "y is undefined", 2)
	status, _ = f.post(t, "/api/v1/ingest_events/", other, nil)
	require.Equal(t, 201, status)
	require.Equal(t, 2, f.count(t, "SELECT count(*) FROM error_events WHERE project_id = $1", f.projectID))
	require.Equal(t, 1, f.count(t, "SELECT count(*) FROM error_groups WHERE project_id = $1", f.projectID))
	require.Equal(t, 2, f.count(t, "SELECT occurrence_count FROM error_groups WHERE project_id = $1", f.projectID))
	require.Equal(t, 1, f.count(t, "SELECT count(*) FROM error_events WHERE id = $1", id))

	var title, subtitle, stage string
	require.NoError(t, f.store.Pool.QueryRow(context.Background(),
		"SELECT title, subtitle, stage FROM error_groups WHERE project_id = $1", f.projectID).Scan(&title, &subtitle, &stage))
	require.Equal(t, "TypeError: y is undefined", title, "the latest occurrence names the group")
	require.Equal(t, "TypeError", subtitle)
	require.Equal(t, "production", stage)
}

func TestIngestPathsAndAuth(t *testing.T) {
	t.Parallel()
	f := setupIngest(t)
	logEvent := `{"EVENT":{"eventType":"log","level":"warning","message":"disk almost full","traceId":"req-flask-2","extra":null}}`

	for _, path := range []string{"/api/v1/ingest_events", "/api/v1/ingest_events/", "/api/v1/ingest_events.json", "/api/v1/ingest_events.json/"} {
		status, body := f.post(t, path, logEvent, nil)
		require.Equal(t, 201, status, "%s: %v", path, body)
	}
	status, _ := f.post(t, "/api/v1/ingest_events", logEvent, http.Header{"Authorization": nil, "X-Api-Key": {f.key}})
	require.Equal(t, 201, status, "X-Api-Key works too")

	for name, h := range map[string]http.Header{
		"missing":         {"Authorization": nil},
		"wrong":           {"Authorization": {"Bearer logister_" + strings.Repeat("0", 48)}},
		"basic scheme":    {"Authorization": {"Basic " + f.key}},
		"bearer wins":     {"Authorization": {"Bearer nope"}, "X-Api-Key": {f.key}},
		"empty x-api-key": {"Authorization": nil, "X-Api-Key": {""}},
	} {
		status, body := f.post(t, "/api/v1/ingest_events", logEvent, h)
		require.Equal(t, 401, status, name)
		require.Equal(t, "Unauthorized", body["error"], name)
	}
	require.Equal(t, 5, f.count(t, "SELECT count(*) FROM telemetry_events WHERE project_id = $1", f.projectID))
}

func TestIngestIdempotency(t *testing.T) {
	t.Parallel()
	f := setupIngest(t)
	id := uuid.NewString()
	event := fmt.Sprintf(`{"event":{"uuid":%q,"event_type":"metric","message":"queue.depth","context":{"value":12}}}`, strings.ToUpper(id))

	status, first := f.post(t, "/api/v1/ingest_events", event, nil)
	require.Equal(t, 201, status, first)
	status, again := f.post(t, "/api/v1/ingest_events", event, nil)
	require.Equal(t, 200, status)
	require.Equal(t, true, again["duplicate"])
	require.Equal(t, first["id"], again["id"])
	require.Equal(t, 1, f.count(t, "SELECT count(*) FROM telemetry_events WHERE project_id = $1", f.projectID))

	reused := fmt.Sprintf(`{"event":{"event_id":%q,"event_type":"log","message":"x"}}`, id)
	status, body := f.post(t, "/api/v1/ingest_events", reused, nil)
	require.Equal(t, 422, status)
	require.Equal(t, []any{"Uuid has already been used for another telemetry signal"}, body["errors"])
}

func TestIngestRejectsBadInputPrecisely(t *testing.T) {
	t.Parallel()
	f := setupIngest(t)
	tests := []struct {
		name, body string
		wantStatus int
		wantError  string
		wantCode   string
	}{
		{"not json", `{"event":`, 400, "", "invalid_json"},
		{"missing envelope", `{"evt":{}}`, 400, "param is missing or the value is empty: event", ""},
		{"envelope not an object", `{"event":"x"}`, 400, "param is missing or the value is empty: event", ""},
		{"blank message", `{"event":{"event_type":"log","message":""}}`, 422, "", "validation_failed"},
		{"unknown type", `{"event":{"event_type":"bogus","message":"x"}}`, 422, "", "validation_failed"},
		{"bad uuid", `{"event":{"uuid":"nope","message":"x"}}`, 422, "", "validation_failed"},
		{"message too long", `{"event":{"message":"` + strings.Repeat("a", 70000) + `"}}`, 413, "telemetry payload message bytes exceeds 65536", "message_bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := f.post(t, "/api/v1/ingest_events", tt.body, nil)
			require.Equal(t, tt.wantStatus, status, body)
			if tt.wantError != "" {
				require.Equal(t, tt.wantError, body["error"])
			}
			if tt.wantCode != "" {
				require.Equal(t, tt.wantCode, body["code"])
			}
			require.NotContains(t, fmt.Sprint(body), "pgx")
		})
	}

	big := `{"event":{"message":"x","context":{"pad":"` + strings.Repeat("a", 2<<20) + `"}}}`
	status, body := f.post(t, "/api/v1/ingest_events", big, nil)
	require.Equal(t, 413, status)
	require.Equal(t, "request_bytes", body["code"])
	require.Equal(t, "telemetry request exceeds 2097152 bytes", body["error"])
	require.Equal(t, 0, f.count(t, "SELECT count(*) FROM telemetry_events"))
}

func TestIngestCheckInsAndDeployments(t *testing.T) {
	t.Parallel()
	f := setupIngest(t)
	// logister-js sends checked_at and a context; logister-ruby sends check-ins as events.
	status, body := f.post(t, "/api/v1/check_ins", `{"check_in":{"slug":"nightly-report","status":"ok",
		"checked_at":"2026-11-23T02:00:00.000Z","environment":"production","expected_interval_seconds":86400,"context":{"a":1}}}`, nil)
	require.Equal(t, 201, status, body)
	status, body = f.post(t, "/api/v1/ingest_events", `{"event":{"event_type":"check_in","level":"error","message":"nightly-report",
		"occurred_at":"2026-11-23T03:00:00Z","context":{"check_in_slug":"nightly-report","check_in_status":"error",
		"expected_interval_seconds":86400,"environment":"production"}}}`, nil)
	require.Equal(t, 201, status, body)

	var lastStatus string
	var checkIns int
	require.NoError(t, f.store.Pool.QueryRow(context.Background(),
		`SELECT last_status, check_in_count FROM check_in_monitors WHERE project_id = $1 AND slug = 'nightly-report'`,
		f.projectID).Scan(&lastStatus, &checkIns))
	require.Equal(t, "error", lastStatus)
	require.Equal(t, 2, checkIns)

	deploy := `{"deployment":{"release":"1.4.0","environment":"production","repository":"https://github.com/acme/shop.git",
		"commit_sha":"ABCDEF1234567","branch":"refs/heads/main"}}`
	for range 2 {
		status, body = f.post(t, "/api/v1/deployments", deploy, nil)
		require.Equal(t, 201, status, body)
	}
	require.Equal(t, 1, f.count(t, "SELECT count(*) FROM deployments WHERE repository_full_name = 'acme/shop' AND commit_sha = 'abcdef1234567'"))
	status, body = f.post(t, "/api/v1/deployments", `{"deployment":{"release":"1.4.0"}}`, nil)
	require.Equal(t, 422, status, body)
}

func TestIngestBatch(t *testing.T) {
	t.Parallel()
	f := setupIngest(t)
	line := func(typ, msg string) string {
		return fmt.Sprintf(`{"event":{"uuid":%q,"event_type":%q,"message":%q,"trace_id":"t1","span_id":%q}}`,
			uuid.NewString(), typ, msg, uuid.NewString()[:16])
	}
	body := strings.Join([]string{line("log", "a"), "", line("span", "GET /"), line("error", "boom")}, "\n")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(body))
	require.NoError(t, zw.Close())

	h := http.Header{"Content-Type": {"application/x-ndjson"}, "Content-Encoding": {"gzip"}, "X-Logister-Batch-Id": {"b-1"}}
	status, out := f.post(t, "/api/v1/ingest_events/batch", gz.String(), h)
	require.Equal(t, 202, status, out)
	require.Equal(t, "accepted", out["status"])
	require.EqualValues(t, 3, out["accepted"])
	require.Equal(t, "b-1", out["batch_id"])
	results := out["results"].([]any)
	require.Equal(t, "span", results[1].(map[string]any)["type"])

	// One invalid envelope rejects the whole batch; nothing new is stored.
	bad := strings.Join([]string{line("log", "kept?"), line("log", "")}, "\n")
	status, out = f.post(t, "/api/v1/ingest_events/batch", bad, http.Header{"Content-Type": {"application/x-ndjson"}})
	require.Equal(t, 422, status, out)
	require.Equal(t, "rejected", out["status"])
	results = out["results"].([]any)
	require.Equal(t, "rolled_back", results[0].(map[string]any)["status"])
	require.Equal(t, "rejected", results[1].(map[string]any)["status"])
	require.Equal(t, 0, f.count(t, "SELECT count(*) FROM telemetry_events WHERE message = 'kept?'"))

	// A uuid accepted before as another kind of event rejects the batch before anything is written.
	logID := uuid.NewString()
	status, _ = f.post(t, "/api/v1/ingest_events", fmt.Sprintf(`{"event":{"uuid":%q,"event_type":"log","message":"first"}}`, logID), nil)
	require.Equal(t, 201, status)
	reuse := strings.Join([]string{line("log", "not stored"),
		fmt.Sprintf(`{"event":{"uuid":%q,"event_type":"error","message":"reused"}}`, logID)}, "\n")
	status, out = f.post(t, "/api/v1/ingest_events/batch", reuse, http.Header{"Content-Type": {"application/x-ndjson"}})
	require.Equal(t, 422, status, out)
	results = out["results"].([]any)
	require.Equal(t, "rolled_back", results[0].(map[string]any)["status"])
	require.Equal(t, []any{"Uuid has already been used for another telemetry signal"}, results[1].(map[string]any)["errors"])
	require.Equal(t, 0, f.count(t, "SELECT count(*) FROM telemetry_events WHERE message = 'not stored'"))

	// In a rejected batch, a repeat of a stored event stays accepted, with the original id (reference 1.8).
	repeat := strings.Join([]string{fmt.Sprintf(`{"event":{"uuid":%q,"event_type":"log","message":"first"}}`, logID),
		line("log", "new"), line("log", "")}, "\n")
	status, out = f.post(t, "/api/v1/ingest_events/batch", repeat, http.Header{"Content-Type": {"application/x-ndjson"}})
	require.Equal(t, 422, status, out)
	results = out["results"].([]any)
	first := results[0].(map[string]any)
	require.Equal(t, "accepted", first["status"], out)
	require.Equal(t, true, first["duplicate"])
	var original string
	require.NoError(t, f.store.Pool.QueryRow(context.Background(),
		"SELECT record_id::text FROM idempotency_keys WHERE client_uuid = $1", logID).Scan(&original))
	require.Equal(t, original, first["id"])
	require.Equal(t, "rolled_back", results[1].(map[string]any)["status"])
	require.Equal(t, "rejected", results[2].(map[string]any)["status"])
	require.Equal(t, 0, f.count(t, "SELECT count(*) FROM telemetry_events WHERE message = 'new'"))

	status, out = f.post(t, "/api/v1/ingest_events/batch", line("log", "x"), nil)
	require.Equal(t, 415, status, out)
	require.Equal(t, "unsupported_content_type", out["code"])
}
