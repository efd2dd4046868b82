package triage_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/store"
	"github.com/logister/logister/server/internal/testdb"
	"github.com/logister/logister/server/internal/triage"
)

func TestRequestPanel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		context string
		want    *triage.Request
	}{
		{"none", `{"message":"x","id":"not a request id"}`, nil},
		{"top level", `{"http_method":"GET","original_url":"https://x.test/a?b=1","pathname":"/a","query_string":"b=1",
			"client_ip":"203.0.113.1","request_id":"r1","referrer":"https://ref.test","railsAction":"A#b","id":"ignored"}`,
			&triage.Request{Method: "GET", URL: "https://x.test/a?b=1", Path: "/a", QueryString: "b=1", ClientIP: "203.0.113.1",
				RequestID: "r1", Referer: "https://ref.test", Action: "A#b"}},
		{"nested first", `{"method":"TOP","request":{"method":"POST","id":"r2","fullpath":"/x","httpVersion":"HTTP/2",
			"headers":{"Accept":"*/*","accept":"*/*","X-Count":3,"X-Null":null},"params":{"a":1}}}`,
			&triage.Request{Method: "POST", RequestID: "r2", Path: "/x", HTTPVersion: "HTTP/2",
				Headers: map[string]string{"Accept": "*/*", "X-Count": "3"}, Params: map[string]any{"a": json.Number("1")}}},
		{"top-level fallbacks under a partial request", `{"request":{"path":"/p"},"remote_ip":"198.51.100.2","headers":{"h":"v"}}`,
			&triage.Request{Path: "/p", ClientIP: "198.51.100.2", Headers: map[string]string{"h": "v"}}},
		{"wrong types ignored", `{"request":{"method":42,"headers":"nope","params":[1]},"url":true}`,
			&triage.Request{Method: "42"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var m map[string]any
			dec := json.NewDecoder(strings.NewReader(tc.context))
			dec.UseNumber()
			require.NoError(t, dec.Decode(&m))
			require.Equal(t, tc.want, triage.RequestPanel(m))
		})
	}
}

func TestRelatedLogsEvidenceRules(t *testing.T) {
	t.Parallel()
	st := testdb.New(t)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	require.NoError(t, st.EnsurePartitions(ctx, now, 1))
	var projectID, groupID int64
	var issue uuid.UUID
	require.NoError(t, st.Pool.QueryRow(ctx, `INSERT INTO projects (name, slug) VALUES ('p', 'p') RETURNING id`).Scan(&projectID))
	require.NoError(t, st.Pool.QueryRow(ctx, `INSERT INTO error_groups (project_id, fingerprint, title, first_seen_at, last_seen_at)
		VALUES ($1, 'fp', 'Boom', $2, $2) RETURNING id, uuid`, projectID, now).Scan(&groupID, &issue))
	occurrence := func(precision, context string) uuid.UUID {
		var id uuid.UUID
		require.NoError(t, st.Pool.QueryRow(ctx, `INSERT INTO error_events
			(id, project_id, error_group_id, level, message, occurred_at, received_at, time_precision, context)
			VALUES (gen_random_uuid(), $1, $2, 'error', 'boom', $3, $3, $4, $5::jsonb) RETURNING id`,
			projectID, groupID, now, precision, context).Scan(&id))
		return id
	}
	logID, err := uuid.NewV7()
	require.NoError(t, err)
	_, err = st.Pool.Exec(ctx, `INSERT INTO telemetry_events
		(id, project_id, event_type, level, message, occurred_at, received_at, time_precision, context)
		VALUES ($1, $2, 'log', 'info', 'line', $3, $3, 'exact', '{"user_id":"u1","trace_id":"t1"}')`, logID, projectID, now)
	require.NoError(t, err)
	svc := triage.New(st, nil)

	exact := occurrence("exact", `{"user":{"id":"u1"}}`)
	rel, err := svc.RelatedLogs(ctx, projectID, issue, &exact)
	require.NoError(t, err)
	require.Equal(t, []string{store.RelatedUserID}, rel.MatchedOn)
	require.Len(t, rel.Logs, 1)
	require.Equal(t, logID, rel.Logs[0].ID)

	// A reporting interval is not matched on the user id.
	interval := occurrence("reporting_interval", `{"user_id":"u1"}`)
	rel, err = svc.RelatedLogs(ctx, projectID, issue, &interval)
	require.NoError(t, err)
	require.Empty(t, rel.MatchedOn)
	require.Empty(t, rel.Logs)
	require.True(t, rel.From.IsZero())
	interval = occurrence("reporting_interval", `{"user_id":"u1","trace_id":"t1"}`)
	rel, err = svc.RelatedLogs(ctx, projectID, issue, &interval)
	require.NoError(t, err)
	require.Equal(t, []string{store.RelatedTraceID}, rel.MatchedOn)
	require.Len(t, rel.Logs, 1)

	// A received_only occurrence has none, whatever its ids.
	received := occurrence("received_only", `{"user_id":"u1","trace_id":"t1"}`)
	rel, err = svc.RelatedLogs(ctx, projectID, issue, &received)
	require.NoError(t, err)
	require.Equal(t, received, rel.EventID)
	require.Empty(t, rel.MatchedOn)
	require.Empty(t, rel.Logs)
}
