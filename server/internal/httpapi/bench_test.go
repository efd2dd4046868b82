package httpapi_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/logister/logister/server/internal/ratelimit"
)

// BenchmarkRequest measures the whole middleware chain (request id, access log, metrics, recovery,
// security headers, OpenAPI validation) plus the handler, in process, against a real database.
func BenchmarkRequest(b *testing.B) {
	for _, path := range []string{
		"/up",                    // no I/O: the cost of the stack itself
		"/api/v1/instance",       // readiness checks: two database round trips
		"/api/v1/setup/tooshort", // rejected by the validator
	} {
		b.Run(path, func(b *testing.B) {
			bundle := setupServer(b, nil)
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				bundle.e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
				if rec.Code >= 500 {
					b.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
				}
			}
		})
	}
}

// BenchmarkIngestEvent measures one error event through the whole server in process, concurrently:
// authentication, decoding, grouping and a group-committed write to a real database.
func BenchmarkIngestEvent(b *testing.B) {
	// Limits out of the way: the benchmark measures the write path, not 429s.
	f := setupIngestB(b, &setupOpts{limits: ratelimit.Policy{Requests: 1 << 40, PreAuth: 1 << 40}})
	body := []byte(errorEvent)
	b.ReportAllocs()
	b.SetParallelism(16)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodPost, "/api/v1/ingest_events", bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+f.key)
			req.Header.Set("Content-Type", "application/json")
			f.e.ServeHTTP(rec, req)
			if rec.Code != http.StatusCreated {
				b.Errorf("status %d: %s", rec.Code, rec.Body)
			}
		}
	})
}
