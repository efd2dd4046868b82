package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/triage"
)

// snoozeTeam is a team with the shop project, an ingest key for it and one issue, created by an
// occurrence an hour before the bundle's clock.
type snoozeTeam struct {
	*team
	shop, key, issue string
}

func setupSnooze(t *testing.T) *snoozeTeam {
	t.Helper()
	tm := setupTeam(t, nil)
	st := &snoozeTeam{team: tm}
	st.shop = tm.shop()["id"].(string)
	st.key = tm.newKey(st.shop, tm.olive)
	st.send("", tm.clock.Now().Add(-time.Hour))
	require.NoError(t, tm.store.Pool.QueryRow(t.Context(), `SELECT uuid::text FROM error_groups WHERE project_id = $1 AND fingerprint = 'snoozy'`,
		tm.projectRowID(st.shop)).Scan(&st.issue))
	return st
}

// send reports occurrences of the issue at the times, in one batch when there are several.
func (st *snoozeTeam) send(release string, at ...time.Time) {
	st.t.Helper()
	lines := make([]string, len(at))
	for i, a := range at {
		ctx := map[string]any{"environment": "production"}
		if release != "" {
			ctx["release"] = release
		}
		line, err := json.Marshal(map[string]any{"event": map[string]any{"uuid": uuid.NewString(), "event_type": "error", "level": "error",
			"message": "Snoozy", "fingerprint": "snoozy", "occurred_at": a.UTC().Format(time.RFC3339Nano), "context": ctx}})
		require.NoError(st.t, err)
		lines[i] = string(line)
	}
	if len(lines) == 1 {
		require.Equal(st.t, http.StatusCreated, st.ingest(st.key, "/api/v1/ingest_events", lines[0]))
		return
	}
	require.Equal(st.t, http.StatusAccepted, st.ingest(st.key, "/api/v1/ingest_events/batch", strings.Join(lines, "\n")))
}

func (st *snoozeTeam) setStatus(body map[string]any) map[string]any {
	st.t.Helper()
	return st.want(http.StatusOK, req{method: http.MethodPost, path: issuesPath(st.shop, "/"+st.issue+"/status"), as: st.vera, body: body})
}

func (st *snoozeTeam) get() map[string]any {
	st.t.Helper()
	return st.want(http.StatusOK, req{method: http.MethodGet, path: issuesPath(st.shop, "/"+st.issue), as: st.vera})
}

func (st *snoozeTeam) feed() []map[string]any {
	st.t.Helper()
	return activities(st.want(http.StatusOK, req{method: http.MethodGet, path: issuesPath(st.shop, "/"+st.issue+"/activity"), as: st.vera}))
}

// sweep runs the snooze sweep as the server's goroutine does, on the bundle's clock.
func (st *snoozeTeam) sweep() int {
	st.t.Helper()
	n, err := triage.New(st.store, st.clock.Now).ReopenExpiredSnoozes(st.t.Context())
	require.NoError(st.t, err)
	return n
}

func rfc(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func TestSnoozeValidation(t *testing.T) {
	t.Parallel()
	st := setupSnooze(t)
	now := st.clock.Now()
	statusPath := issuesPath(st.shop, "/"+st.issue+"/status")
	for _, c := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"status": "resolved", "ignoreUntil": rfc(now.Add(time.Hour))}, "ignoreUntil"},
		{map[string]any{"status": "unresolved", "ignoreOccurrences": 10}, "ignoreOccurrences"},
		{map[string]any{"status": "archived", "ignoreUntil": rfc(now.Add(time.Hour)), "ignoreOccurrences": 10}, "ignoreOccurrences"},
		{map[string]any{"status": "ignored", "ignoreUntil": rfc(now)}, "ignoreUntil"},
		{map[string]any{"status": "ignored", "ignoreUntil": rfc(now.Add(-time.Minute))}, "ignoreUntil"},
		{map[string]any{"status": "ignored", "ignoreUntil": rfc(now.AddDate(1, 0, 0).Add(time.Second))}, "ignoreUntil"},
		{map[string]any{"status": "ignored", "ignoreUntil": "tomorrow"}, "ignoreUntil"},
		{map[string]any{"status": "ignored", "ignoreOccurrences": 0}, "ignoreOccurrences"},
		{map[string]any{"status": "ignored", "ignoreOccurrences": 1_000_001}, "ignoreOccurrences"},
	} {
		body := st.wantError(http.StatusUnprocessableEntity, "validation_failed", req{method: http.MethodPost, path: statusPath,
			as: st.vera, body: c.body})
		require.Contains(t, body["fields"], c.field, "%v", c.body)
	}
	bulkPath := issuesPath(st.shop, "/bulk")
	for _, c := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"ids": []string{st.issue}, "action": "resolve", "ignoreUntil": rfc(now.Add(time.Hour))}, "ignoreUntil"},
		{map[string]any{"ids": []string{st.issue}, "action": "assign", "userId": st.adamU.UUID.String(), "ignoreOccurrences": 3}, "ignoreOccurrences"},
		{map[string]any{"ids": []string{st.issue}, "action": "ignore", "ignoreUntil": rfc(now.Add(-time.Second))}, "ignoreUntil"},
		{map[string]any{"ids": []string{st.issue}, "action": "ignore", "ignoreOccurrences": 0}, "ignoreOccurrences"},
	} {
		body := st.wantError(http.StatusUnprocessableEntity, "validation_failed", req{method: http.MethodPost, path: bulkPath,
			as: st.vera, body: c.body})
		require.Contains(t, body["fields"], c.field, "%v", c.body)
	}
	// Nothing changed.
	is := st.get()
	require.Equal(t, "unresolved", is["status"])
	require.NotContains(t, is, "snooze")
	require.Empty(t, st.feed())

	// The limits themselves are fine.
	is = st.setStatus(map[string]any{"status": "ignored", "ignoreUntil": rfc(now.AddDate(1, 0, 0)), "ignoreOccurrences": 1_000_000})
	require.Equal(t, map[string]any{"until": rfc(now.AddDate(1, 0, 0)), "occurrencesLeft": 1_000_000.0}, is["snooze"])
}

// An ignore until a time: occurrences before it do not reopen the issue; the sweep does, at that
// time, as snooze_expired and without a regression.
func TestSnoozeUntil(t *testing.T) {
	t.Parallel()
	st := setupSnooze(t)
	ignoredAt := st.clock.Now()
	until := ignoredAt.Add(time.Hour)
	is := st.setStatus(map[string]any{"status": "ignored", "ignoreUntil": rfc(until)})
	require.Equal(t, "ignored", is["status"])
	require.Equal(t, map[string]any{"until": rfc(until)}, is["snooze"])
	acts := st.feed()
	require.Len(t, acts, 1)
	require.Equal(t, "status_changed", acts[0]["kind"])
	require.Equal(t, []any{"unresolved", "ignored", rfc(until)}, []any{acts[0]["fromStatus"], acts[0]["toStatus"], utc(acts[0]["ignoreUntil"])})
	require.NotContains(t, acts[0], "ignoreOccurrences")

	st.send("", ignoredAt.Add(time.Minute), ignoredAt.Add(2*time.Minute))
	st.send("", ignoredAt.Add(3*time.Minute))
	is = st.get()
	require.Equal(t, "ignored", is["status"], "occurrences before the snooze's end do not reopen it")
	require.Equal(t, 4.0, is["occurrenceCount"])
	require.Contains(t, is, "snooze")

	st.clock.Advance(59 * time.Minute)
	require.Zero(t, st.sweep())
	require.Equal(t, "ignored", st.get()["status"])
	st.clock.Advance(time.Minute)
	require.Equal(t, 1, st.sweep())
	is = st.get()
	require.Equal(t, "unresolved", is["status"])
	require.NotContains(t, is, "snooze")
	require.NotContains(t, is, "ignoredAt")
	require.Equal(t, []any{1.0, 0.0}, []any{is["reopenCount"], is["regressionCount"]})
	acts = st.feed()
	require.Len(t, acts, 2)
	require.Equal(t, "snooze_expired", acts[0]["kind"])
	require.Nil(t, acts[0]["actor"])
	require.Contains(t, acts[0], "actor")
	require.Equal(t, []any{"ignored", "unresolved"}, []any{acts[0]["fromStatus"], acts[0]["toStatus"]})
	require.Equal(t, rfc(until), utc(acts[0]["createdAt"]))
	require.Zero(t, st.sweep())
}

// An occurrence after the snooze's time that comes before the sweep reopens the issue as usual.
func TestSnoozeUntilPassedBeforeSweep(t *testing.T) {
	t.Parallel()
	st := setupSnooze(t)
	until := st.clock.Now().Add(time.Minute)
	st.setStatus(map[string]any{"status": "ignored", "ignoreUntil": rfc(until)})
	st.send("4.0.0", until.Add(time.Second))
	is := st.get()
	require.Equal(t, "unresolved", is["status"])
	require.Equal(t, []any{1.0, 1.0, "4.0.0"}, []any{is["reopenCount"], is["regressionCount"], is["regressedInRelease"]})
	require.NotContains(t, is, "snooze")
	byKind(t, st.feed(), "reopened_by_event")
	st.clock.Advance(time.Hour)
	require.Zero(t, st.sweep())
}

// An ignore for N occurrences reopens exactly at the Nth, counting those of a batch one by one.
func TestSnoozeOccurrences(t *testing.T) {
	t.Parallel()
	st := setupSnooze(t)
	at := st.clock.Now()
	is := st.setStatus(map[string]any{"status": "ignored", "ignoreOccurrences": 5})
	require.Equal(t, map[string]any{"occurrencesLeft": 5.0}, is["snooze"])
	require.Equal(t, 5.0, st.feed()[0]["ignoreOccurrences"])

	st.send("", at.Add(time.Second), at.Add(2*time.Second), at.Add(-time.Minute)) // the last is from before the ignore
	is = st.get()
	require.Equal(t, "ignored", is["status"])
	require.Equal(t, map[string]any{"occurrencesLeft": 3.0}, is["snooze"])
	st.send("", at.Add(3*time.Second), at.Add(4*time.Second))
	require.Equal(t, map[string]any{"occurrencesLeft": 1.0}, st.get()["snooze"])
	require.Len(t, st.feed(), 1, "no reopen yet")

	st.send("5.0.0", at.Add(5*time.Second), at.Add(6*time.Second), at.Add(7*time.Second))
	is = st.get()
	require.Equal(t, "unresolved", is["status"])
	require.NotContains(t, is, "snooze")
	require.Equal(t, []any{1.0, 1.0, "5.0.0"}, []any{is["reopenCount"], is["regressionCount"], is["regressedInRelease"]})
	acts := st.feed()
	require.Len(t, acts, 2)
	reopened := byKind(t, acts, "reopened_by_event")
	require.Equal(t, []any{"ignored", "unresolved", "5.0.0"}, []any{reopened["fromStatus"], reopened["toStatus"], reopened["release"]})
	var latest string
	require.NoError(t, st.store.Pool.QueryRow(t.Context(), `SELECT latest_event_id::text FROM error_groups WHERE uuid = $1`, st.issue).Scan(&latest))
	require.Equal(t, latest, reopened["eventId"])
}

// A plain ignore still ends at the next occurrence, which the activity feed shows.
func TestIgnoreReopensAtNextOccurrence(t *testing.T) {
	t.Parallel()
	st := setupSnooze(t)
	at := st.clock.Now()
	st.setStatus(map[string]any{"status": "ignored"})
	require.NotContains(t, st.feed()[0], "ignoreUntil")
	st.send("", at.Add(-time.Second)) // from before the ignore: no reopen
	require.Equal(t, "ignored", st.get()["status"])
	st.send("6.1.0", at.Add(time.Second))
	is := st.get()
	require.Equal(t, "unresolved", is["status"])
	require.Equal(t, 1.0, is["regressionCount"])
	acts := st.feed()
	require.Len(t, acts, 2)
	byKind(t, acts, "status_changed")
	reopened := byKind(t, acts, "reopened_by_event")
	require.Contains(t, reopened, "actor")
	require.Nil(t, reopened["actor"])
	require.Equal(t, []any{"ignored", "unresolved", "6.1.0"}, []any{reopened["fromStatus"], reopened["toStatus"], reopened["release"]})
	require.NotEmpty(t, reopened["eventId"])
}

// Any manual status change clears the snooze; ignoring again replaces it.
func TestSnoozeClearedByHand(t *testing.T) {
	t.Parallel()
	st := setupSnooze(t)
	until := st.clock.Now().Add(time.Hour)
	st.setStatus(map[string]any{"status": "ignored", "ignoreUntil": rfc(until)})

	// The same again changes nothing; another snooze replaces it.
	st.setStatus(map[string]any{"status": "ignored", "ignoreUntil": rfc(until)})
	require.Len(t, st.feed(), 1)
	is := st.setStatus(map[string]any{"status": "ignored", "ignoreOccurrences": 2})
	require.Equal(t, map[string]any{"occurrencesLeft": 2.0}, is["snooze"])
	acts := st.feed()
	require.Len(t, acts, 2)
	require.Equal(t, []any{"ignored", "ignored", 2.0}, []any{acts[0]["fromStatus"], acts[0]["toStatus"], acts[0]["ignoreOccurrences"]})
	is = st.setStatus(map[string]any{"status": "ignored"})
	require.NotContains(t, is, "snooze")

	st.setStatus(map[string]any{"status": "ignored", "ignoreUntil": rfc(until)})
	is = st.setStatus(map[string]any{"status": "unresolved"})
	require.NotContains(t, is, "snooze")
	st.clock.Advance(2 * time.Hour)
	require.Zero(t, st.sweep(), "a reopened issue has no snooze left to expire")
	require.Equal(t, 0, st.count(`SELECT count(*) FROM error_groups WHERE snooze_until IS NOT NULL OR snooze_remaining IS NOT NULL`))
}

func TestBulkIgnoreWithSnooze(t *testing.T) {
	t.Parallel()
	st := setupSnooze(t)
	pid := st.projectRowID(st.shop)
	other := st.insertGroup(pid, group{title: "Other"})
	resolved := st.insertGroup(pid, group{title: "Resolved", status: "resolved"})
	until := st.clock.Now().Add(30 * time.Minute)
	res := st.want(http.StatusOK, req{method: http.MethodPost, path: issuesPath(st.shop, "/bulk"), as: st.vera,
		body: map[string]any{"ids": []string{st.issue, other, resolved}, "action": "ignore", "ignoreUntil": rfc(until), "ignoreOccurrences": 50}})
	for _, r := range list(res, "results") {
		require.Equal(t, "changed", r["result"])
	}
	for _, id := range []string{st.issue, other, resolved} {
		is := st.want(http.StatusOK, req{method: http.MethodGet, path: issuesPath(st.shop, "/"+id), as: st.vera})
		require.Equal(t, "ignored", is["status"])
		require.Equal(t, map[string]any{"until": rfc(until), "occurrencesLeft": 50.0}, is["snooze"])
		acts := activities(st.want(http.StatusOK, req{method: http.MethodGet, path: issuesPath(st.shop, "/"+id+"/activity"), as: st.vera}))
		require.Equal(t, []any{rfc(until), 50.0}, []any{utc(acts[0]["ignoreUntil"]), acts[0]["ignoreOccurrences"]})
	}
	// The same again is unchanged; the sweep then reopens all three.
	res = st.want(http.StatusOK, req{method: http.MethodPost, path: issuesPath(st.shop, "/bulk"), as: st.vera,
		body: map[string]any{"ids": []string{st.issue}, "action": "ignore", "ignoreUntil": rfc(until), "ignoreOccurrences": 50}})
	require.Equal(t, "unchanged", list(res, "results")[0]["result"])
	st.clock.Advance(time.Hour)
	require.Equal(t, 3, st.sweep())
	require.Equal(t, 3, st.count(`SELECT count(*) FROM error_groups WHERE project_id = $1 AND status = 'unresolved'`, pid))
}

// byKind returns the only entry of the kind. (Entries written by ingestion carry the database's
// time, others the bundle's clock, so their order is not the tests' to assume.)
func byKind(t *testing.T, acts []map[string]any, kind string) map[string]any {
	t.Helper()
	var out map[string]any
	for _, a := range acts {
		if a["kind"] == kind {
			require.Nil(t, out, "one %s entry", kind)
			out = a
		}
	}
	require.NotNil(t, out, "a %s entry", kind)
	return out
}
