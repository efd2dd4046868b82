package store_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/store"
)

func TestContextExtras(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	for _, c := range []struct {
		name, context string
		want          store.EventExtras
	}{
		{"empty", `{}`, store.EventExtras{}},
		{"not an object", `[1]`, store.EventExtras{}},
		{"transaction", `{"transaction_name":"GET /","duration_ms":12.5,"trace_id":"t1","http":{"status_code":503}}`,
			store.EventExtras{DurationMS: f(12.5), TraceID: "t1", Name: "GET /", Status: "503"}},
		{"camelCase", `{"transactionName":"POST /","durationMs":"7","traceId":"t2","status":"ok"}`,
			store.EventExtras{DurationMS: f(7), TraceID: "t2", Name: "POST /", Status: "ok"}},
		{"check-in", `{"check_in_slug":"nightly","check_in_status":"error","status":"ignored","duration_ms":0}`,
			store.EventExtras{DurationMS: f(0), Name: "nightly", Status: "error"}},
		{"metric name before the context's name", `{"name":"User Load","metric":{"name":"db.query"}}`,
			store.EventExtras{Name: "db.query"}},
		{"logger", `{"logger_name":"console"}`, store.EventExtras{Name: "console"}},
		{"nested trace ids", `{"trace":{"traceId":"t3"}}`, store.EventExtras{TraceID: "t3"}},
		{"sentry trace", `{"contexts":{"trace":{"trace_id":"t4"}}}`, store.EventExtras{TraceID: "t4"}},
		{"numeric trace id", `{"trace_id":42}`, store.EventExtras{TraceID: "42"}},
		{"blank values are absent", `{"trace_id":"  ","transaction_name":"","name":"n"}`, store.EventExtras{Name: "n"}},
		{"unusable durations", `{"duration_ms":1e400,"durationMs":"12 ms"}`, store.EventExtras{}},
		{"negative duration", `{"duration_ms":-1}`, store.EventExtras{}},
		{"objects and booleans are not text", `{"name":{"a":1},"status":true,"trace_id":null}`, store.EventExtras{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, store.ContextExtras([]byte(c.context)))
		})
	}
}
