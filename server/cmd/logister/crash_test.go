package main

import (
	"bytes"
	"database/sql"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/testdb"
)

// TestAcknowledgedEventsSurviveSIGKILL kills the server with SIGKILL in the middle of a load and
// checks that every event that got a 2xx is in the database.
func TestAcknowledgedEventsSurviveSIGKILL(t *testing.T) {
	t.Parallel()
	dbURL := testdb.NewEmptyDatabase(t)
	// Rate limits well above the load: every request must reach the write path.
	env := []string{"DATABASE_URL=" + dbURL, "LOGISTER_PUBLIC_API_RATE_LIMIT_REQUESTS=1000000000",
		"LOGISTER_PUBLIC_API_PRE_AUTH_RATE_LIMIT_REQUESTS=1000000000"}
	p := startServer(t, env...)
	slug, _ := runCommand(t, 0, env, "project", "create", "Crash")
	key, _ := runCommand(t, 0, env, "key", "create", strings.TrimSpace(slug))
	key = strings.TrimSpace(key)

	client := &http.Client{Timeout: 5 * time.Second}
	var mu sync.Mutex
	var acked []uuid.UUID
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := range 16 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				id := uuid.New()
				kind := []string{"error", "log", "metric", "transaction"}[i%4]
				body := fmt.Sprintf(`{"event":{"uuid":%q,"event_type":%q,"message":"crash test %d-%d","context":{"exception":{"class":"E%d"}}}}`,
					id, kind, w, i, i%7)
				req, _ := http.NewRequest(http.MethodPost, p.base+"/api/v1/ingest_events", bytes.NewBufferString(body))
				req.Header.Set("Authorization", "Bearer "+key)
				req.Header.Set("Content-Type", "application/json")
				res, err := client.Do(req)
				if err != nil {
					continue // the server is gone: nothing was acknowledged
				}
				res.Body.Close()
				if res.StatusCode/100 == 2 {
					mu.Lock()
					acked = append(acked, id)
					mu.Unlock()
				}
			}
		})
	}

	// Let the load run, then kill the server without warning.
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 2000 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	require.NoError(t, p.cmd.Process.Signal(syscall.SIGKILL))
	<-p.done                           //nolint:errcheck // killed on purpose
	time.Sleep(200 * time.Millisecond) // let in-flight client calls fail
	close(stop)
	wg.Wait()

	require.NotEmpty(t, acked)
	db, err := sql.Open("pgx", dbURL)
	require.NoError(t, err)
	defer db.Close()
	ids := make([]string, len(acked))
	for i, id := range acked {
		ids[i] = id.String()
	}
	var missing int
	require.NoError(t, db.QueryRow(`
		SELECT count(*) FROM unnest($1::uuid[]) AS a(id)
		WHERE NOT EXISTS (SELECT 1 FROM error_events e WHERE e.client_uuid = a.id)
		  AND NOT EXISTS (SELECT 1 FROM telemetry_events e WHERE e.client_uuid = a.id)`, ids).Scan(&missing))
	require.Zero(t, missing, "of %d acknowledged events, %d are missing after SIGKILL", len(acked), missing)
	t.Logf("%d events acknowledged before SIGKILL, all stored", len(acked))
}
