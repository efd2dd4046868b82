package httpapi_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestRealSDKRequests replays every request captured from the Logister SDKs (JS, Python, Ruby, Ruby
// stdlib; see ../../../../shared/spec/sdk-wire-examples) through the HTTP API: each must be
// accepted with a JSON object body, so that no SDK (or its host application) ever fails.
func TestRealSDKRequests(t *testing.T) {
	t.Parallel()
	f := setupIngest(t)
	files, err := filepath.Glob("../ingest/testdata/sdk/*.json")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(files), 50)

	kinds := map[string]int{}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		body, err := os.ReadFile(file)
		require.NoError(t, err)
		path := "/api/v1/ingest_events"
		switch {
		case strings.HasSuffix(name, "-checkin"):
			path = "/api/v1/check_ins"
		case strings.HasSuffix(name, "-deployment"):
			path = "/api/v1/deployments"
		}
		// The SDKs send exactly this: a bearer key and application/json.
		status, out := f.post(t, path, string(body), http.Header{"User-Agent": {name}})
		// 200 is a repeat: some captured spans share their trace and span ids.
		require.Contains(t, []int{200, 201}, status, "%s: %v", name, out)
		require.Equal(t, "accepted", out["status"], name)
		sdk, _, _ := strings.Cut(strings.Replace(name, "ruby-stdlib-", "ruby-", 1), "-")
		kinds[sdk]++
	}
	require.Len(t, kinds, 3, "js, python and ruby")

	// Everything landed where it belongs.
	require.Positive(t, f.count(t, "SELECT count(*) FROM error_events"))
	require.Positive(t, f.count(t, "SELECT count(*) FROM error_groups"))
	require.Positive(t, f.count(t, "SELECT count(*) FROM spans"))
	require.Positive(t, f.count(t, "SELECT count(*) FROM telemetry_events WHERE event_type = 'transaction'"))
	require.Positive(t, f.count(t, "SELECT count(*) FROM telemetry_events WHERE event_type = 'metric'"))
	require.Equal(t, 4, f.count(t, "SELECT sum(check_in_count)::int FROM check_in_monitors WHERE slug = 'nightly-report'"),
		"JS and Python /check_ins and Ruby's check-in events update monitors alike")
	require.Positive(t, f.count(t, "SELECT count(*) FROM deployments"))
}
