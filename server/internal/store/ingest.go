package store

import (
	"cmp"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// Signals are the kinds of record the ingestion API stores.
const (
	SignalError       = "error"
	SignalLog         = "log"
	SignalMetric      = "metric"
	SignalTransaction = "transaction"
	SignalCheckIn     = "check_in"
	SignalSpan        = "span"
)

// Record is one normalised event, ready to be written by WriteBatch.
type Record struct {
	ProjectID int64
	APIKeyID  int64
	Signal    string
	// ClientUUID is the client's uuid/event_id, for idempotency; uuid.Nil when absent.
	ClientUUID    uuid.UUID
	Level         string
	Message       string
	Fingerprint   string // the client's, as sent (stored on the event)
	OccurredAt    time.Time
	ReceivedAt    time.Time
	TimePrecision string // "exact", "reporting_interval" or "received_only"
	Environment   string
	Release       string
	Context       []byte // a JSON object

	Group   *GroupInput   // Signal == error
	Span    *SpanInput    // Signal == span
	CheckIn *CheckInInput // Signal == check_in
}

// GroupInput is what an error event contributes to its error group.
type GroupInput struct {
	Fingerprint string
	Version     int // 0 for a client fingerprint
	Title       string
	Subtitle    string
}

// SpanInput holds a span's own fields.
type SpanInput struct {
	TraceID, SpanID, ParentSpanID, Name, Kind, Status string
	DurationMS                                        float64
	StartedAt, EndedAt                                time.Time
}

// CheckInInput holds a check-in's monitor fields.
type CheckInInput struct {
	Slug                    string
	Status                  string
	ExpectedIntervalSeconds int
}

// WriteResult is the outcome of one Record.
type WriteResult struct {
	// ID is the stored record's id: the new one, or the original's for a duplicate.
	ID uuid.UUID
	// Duplicate is true when the client uuid had been accepted before; nothing new was stored.
	Duplicate bool
	// ErrUUIDReused is set when the client uuid was accepted before for another signal.
	ErrUUIDReused bool
	// NewGroup is true when this error event created its error group.
	NewGroup bool
	// GroupID is the error group of an error event.
	GroupID int64
}

// ErrUUIDReused is what a client learns when it sends a uuid already used for another signal.
var ErrUUIDReused = errors.New("Uuid has already been used for another telemetry signal") //nolint:revive,staticcheck // the reference's exact message

// WriteBatch stores records in one transaction: idempotency keys, one aggregated upsert per touched
// error group and check-in monitor (taken in a fixed order, so concurrent batches cannot deadlock),
// then COPY of the events and spans. Either every record of the batch is durable when it returns
// nil, or none is.
func (s *Store) WriteBatch(ctx context.Context, records []*Record) ([]WriteResult, error) {
	for attempt := 1; ; attempt++ {
		results, err := s.writeBatch(ctx, records)
		// Concurrent batches lock groups in one order, but a deadlock stays possible around groups
		// created at the same moment; PostgreSQL then aborts one side, which simply runs again.
		if code := pgErrCode(err); (code == "40P01" || code == "40001") && attempt < 5 {
			continue
		}
		// A cached group id whose group was deleted: forget the cache and look the groups up again.
		if errors.Is(err, errStaleGroups) && attempt < 5 {
			s.groups.reset()
			continue
		}
		return results, err
	}
}

func (s *Store) writeBatch(ctx context.Context, records []*Record) ([]WriteResult, error) {
	results := make([]WriteResult, len(records))
	for i, r := range records {
		id, err := uuid.NewV7()
		if err != nil {
			return nil, fmt.Errorf("store: new id: %w", err)
		}
		results[i].ID = id
		if r.Signal == SignalSpan && r.ClientUUID == uuid.Nil && r.Span != nil {
			r.ClientUUID = spanIdentity(r.ProjectID, r.Span.TraceID, r.Span.SpanID)
		}
	}

	tx, err := s.Pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: write batch: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // a no-op after Commit

	fresh, err := claimIdentities(ctx, tx, records, results)
	if err != nil {
		return nil, err
	}
	groups, err := s.groups.resolve(ctx, tx, records, results, fresh)
	if err != nil {
		return nil, err
	}
	if err := copyRecords(ctx, tx, records, results, fresh); err != nil {
		return nil, err
	}
	if err := upsertMonitors(ctx, tx, records, results, fresh); err != nil {
		return nil, err
	}
	// Existing groups are locked last, so that concurrent batches, which touch the same hot groups,
	// wait for each other only during the update and the commit, not during the COPY.
	if err := groups.apply(ctx, tx); err != nil {
		return nil, err
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("store: commit batch: %w", err)
	}
	return results, nil
}

// spanIdentity is a span's idempotency identity when the client sends no uuid, so that re-sending
// a span (same project, trace and span id) is recognised as a duplicate.
func spanIdentity(projectID int64, traceID, spanID string) uuid.UUID {
	sum := sha256.Sum256(fmt.Appendf(nil, "logister:span:%d:%s:%s", projectID, traceID, spanID))
	id, _ := uuid.FromBytes(sum[:16])
	id[6] = (id[6] & 0x0f) | 0x50 // version 5 layout, as the reference
	id[8] = (id[8] & 0x3f) | 0x80
	return id
}

type identityKey struct {
	projectID int64
	uuid      uuid.UUID
}

// claimIdentities records the client uuids of the batch. It returns which records are new (to be
// stored) and marks the others in results as duplicates or reused uuids.
func claimIdentities(ctx context.Context, tx pgx.Tx, records []*Record, results []WriteResult) ([]bool, error) {
	fresh := make([]bool, len(records))
	first := map[identityKey]int{} // the first record of the batch with each identity
	var claim []int
	for i, r := range records {
		fresh[i] = true
		if r.ClientUUID == uuid.Nil {
			continue
		}
		k := identityKey{r.ProjectID, r.ClientUUID}
		if j, seen := first[k]; seen {
			// The same identity twice in one batch: the later ones repeat the first.
			fresh[i] = false
			results[i] = WriteResult{ID: results[j].ID, Duplicate: true, ErrUUIDReused: records[j].Signal != r.Signal}
			continue
		}
		first[k] = i
		claim = append(claim, i)
	}
	if len(claim) == 0 {
		return fresh, nil
	}
	// A fixed lock order across concurrent batches.
	slices.SortFunc(claim, func(a, b int) int {
		return cmp.Or(cmp.Compare(records[a].ProjectID, records[b].ProjectID),
			slices.Compare(records[a].ClientUUID[:], records[b].ClientUUID[:]))
	})
	projectIDs := make([]int64, len(claim))
	uuids := make([]pgtype.UUID, len(claim))
	signals := make([]string, len(claim))
	ids := make([]pgtype.UUID, len(claim))
	received := make([]time.Time, len(claim))
	for n, i := range claim {
		projectIDs[n], uuids[n], signals[n], ids[n], received[n] =
			records[i].ProjectID, pgUUID(records[i].ClientUUID), records[i].Signal, pgUUID(results[i].ID), records[i].ReceivedAt
	}
	rows, err := tx.Query(ctx, `
		INSERT INTO idempotency_keys (project_id, client_uuid, signal, record_id, received_at)
		SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::uuid[], $5::timestamptz[])
		ON CONFLICT (project_id, client_uuid) DO NOTHING
		RETURNING project_id, client_uuid`, projectIDs, uuids, signals, ids, received)
	if err != nil {
		return nil, fmt.Errorf("store: claim identities: %w", err)
	}
	claimed := map[identityKey]bool{}
	for rows.Next() {
		var projectID int64
		var id pgtype.UUID
		if err := rows.Scan(&projectID, &id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: claim identities: %w", err)
		}
		claimed[identityKey{projectID, id.Bytes}] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: claim identities: %w", err)
	}

	// The rest were accepted before: answer with the original record.
	var dupProjects []int64
	var dupUUIDs []pgtype.UUID
	for _, i := range claim {
		if k := (identityKey{records[i].ProjectID, records[i].ClientUUID}); !claimed[k] {
			dupProjects = append(dupProjects, k.projectID)
			dupUUIDs = append(dupUUIDs, pgUUID(k.uuid))
		}
	}
	if len(dupProjects) == 0 {
		return fresh, nil
	}
	type original struct {
		signal string
		id     uuid.UUID
	}
	originals := map[identityKey]original{}
	rows, err = tx.Query(ctx, `
		SELECT k.project_id, k.client_uuid, k.signal, k.record_id
		FROM idempotency_keys k JOIN unnest($1::bigint[], $2::uuid[]) AS d(project_id, client_uuid)
		  ON k.project_id = d.project_id AND k.client_uuid = d.client_uuid`, dupProjects, dupUUIDs)
	if err != nil {
		return nil, fmt.Errorf("store: read identities: %w", err)
	}
	for rows.Next() {
		var k identityKey
		var o original
		if err := rows.Scan(&k.projectID, &k.uuid, &o.signal, &o.id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: read identities: %w", err)
		}
		originals[k] = o
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read identities: %w", err)
	}
	for i, r := range records {
		k := identityKey{r.ProjectID, r.ClientUUID}
		if o, ok := originals[k]; ok && fresh[i] && !claimed[k] {
			fresh[i] = false
			results[i] = WriteResult{ID: o.id, Duplicate: true, ErrUUIDReused: o.signal != r.Signal}
		}
	}
	// Later repeats inside the batch follow their first record's outcome.
	for i, r := range records {
		if r.ClientUUID == uuid.Nil || fresh[i] {
			continue
		}
		if j := first[identityKey{r.ProjectID, r.ClientUUID}]; j != i && !fresh[j] {
			results[i].ID = results[j].ID
		}
	}
	return fresh, nil
}

// groupUpdate holds the existing error groups a batch still has to update.
type groupUpdate struct {
	cols     []any   // groupColumns of every touched group
	ids      []int64 // the id of every touched group, in the order of cols
	inserted []int64 // ids of the groups the batch created, already complete
	// times lists, for every touched group in the order of cols, the source times of its
	// occurrences in the batch that have one (see occurrenceTimes). A group snoozed for a number of
	// occurrences counts those after its closure.
	times string
}

// errStaleGroups means a cached error group id no longer exists; the batch is rolled back.
var errStaleGroups = errors.New("store: a cached error group no longer exists")

// groupCache remembers the ids of error groups by project and fingerprint. Groups are created once
// and their ids never change, so a batch whose groups are all known skips looking them up; a group
// deleted since is noticed when the batch updates it (errStaleGroups), and the cache is reset.
type groupCache struct {
	mu  sync.RWMutex
	ids map[groupKey]int64
}

// maxCachedGroups bounds the cache; past it, the cache starts over.
const maxCachedGroups = 200_000

func (c *groupCache) lookup(keys []groupKey) ([]int64, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	ids := make([]int64, len(keys))
	for i, k := range keys {
		id, ok := c.ids[k]
		if !ok {
			return nil, false
		}
		ids[i] = id
	}
	return ids, true
}

func (c *groupCache) remember(ids map[groupKey]int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ids == nil || len(c.ids)+len(ids) > maxCachedGroups {
		c.ids = make(map[groupKey]int64, len(ids))
	}
	maps.Copy(c.ids, ids)
}

func (c *groupCache) reset() {
	c.mu.Lock()
	c.ids = nil
	c.mu.Unlock()
}

// resolve creates the batch's new error groups and finds the ids of the existing ones, without
// locking them, and sets every error event's GroupID.
func (c *groupCache) resolve(ctx context.Context, tx pgx.Tx, records []*Record, results []WriteResult, fresh []bool) (*groupUpdate, error) {
	aggs := map[groupKey]*groupAgg{}
	for i, r := range records {
		if !fresh[i] || r.Signal != SignalError || r.Group == nil {
			continue
		}
		k := groupKey{r.ProjectID, r.Group.Fingerprint}
		a := aggs[k]
		if a == nil {
			a = &groupAgg{projectID: r.ProjectID, in: r.Group, latest: i}
			aggs[k] = a
		}
		a.count++
		a.members = append(a.members, i)
		known := r.TimePrecision != "received_only"
		if known && (!a.known || r.OccurredAt.Before(a.first)) {
			a.first, a.firstRelease = r.OccurredAt, r.Release
		}
		if known && (!a.known || !r.OccurredAt.Before(a.last)) {
			a.last, a.latest = r.OccurredAt, i
		} else if !a.known && !known {
			a.latest = i
		}
		a.known = a.known || known
	}
	if len(aggs) == 0 {
		return &groupUpdate{}, nil
	}
	list := make([]*groupAgg, 0, len(aggs))
	for _, a := range aggs {
		if !a.known {
			l := records[a.latest]
			a.first, a.last, a.firstRelease = l.ReceivedAt, l.ReceivedAt, l.Release
		}
		list = append(list, a)
	}
	// One lock order for every batch: by project, then fingerprint.
	slices.SortFunc(list, func(a, b *groupAgg) int {
		return cmp.Or(cmp.Compare(a.projectID, b.projectID), cmp.Compare(a.in.Fingerprint, b.in.Fingerprint))
	})
	cols := groupColumns(records, results, list)
	times := occurrenceTimes(records, list)
	keys := make([]groupKey, len(list))
	for j, a := range list {
		keys[j] = groupKey{a.projectID, a.in.Fingerprint}
	}
	if ids, ok := c.lookup(keys); ok {
		for j, a := range list {
			for _, i := range a.members {
				results[i].GroupID = ids[j]
			}
		}
		return &groupUpdate{cols: cols, ids: ids, times: times}, nil
	}

	// New groups first. A group created concurrently by another batch is skipped here (DO NOTHING)
	// and updated below like any existing one.
	ids := map[groupKey]int64{}
	inserted := map[groupKey]bool{}
	rows, err := tx.Query(ctx, `
		INSERT INTO error_groups (project_id, fingerprint, grouping_version, title, subtitle, stage, severity,
		    occurrence_count, first_seen_at, last_seen_at, introduced_in_release, last_seen_release,
		    latest_event_id, latest_event_occurred_at)
		SELECT project_id, fingerprint, grouping_version, title, subtitle, stage, severity, occurrence_count,
		    first_seen_at, last_seen_at, introduced_in_release, last_seen_release, latest_event_id, latest_event_occurred_at
		FROM `+groupUnnest+`
		ORDER BY project_id, fingerprint
		ON CONFLICT (project_id, fingerprint) DO NOTHING
		RETURNING id, project_id, fingerprint`, cols...)
	if err != nil {
		return nil, fmt.Errorf("store: insert error groups: %w", err)
	}
	if err := scanGroupIDs(rows, ids); err != nil {
		return nil, fmt.Errorf("store: insert error groups: %w", err)
	}
	for k := range ids {
		inserted[k] = true
	}
	update := &groupUpdate{cols: cols, inserted: insertedIDs(ids), times: times}
	if len(ids) < len(list) {
		rows, err = tx.Query(ctx, `SELECT g.id, g.project_id, g.fingerprint FROM error_groups g JOIN `+groupUnnest+`
			ON g.project_id = e.project_id AND g.fingerprint = e.fingerprint`, cols...)
		if err != nil {
			return nil, fmt.Errorf("store: find error groups: %w", err)
		}
		if err := scanGroupIDs(rows, ids); err != nil {
			return nil, fmt.Errorf("store: find error groups: %w", err)
		}
	}

	update.ids = make([]int64, len(list))
	for j, a := range list {
		k := keys[j]
		id, ok := ids[k]
		if !ok {
			return nil, fmt.Errorf("store: error group %q of project %d was neither created nor found", k.fingerprint, k.projectID)
		}
		update.ids[j] = id
		for _, i := range a.members {
			results[i].GroupID = id
		}
		results[a.members[0]].NewGroup = inserted[k]
	}
	c.remember(ids)
	return update, nil
}

// apply locks the batch's existing groups in order and applies its occurrences: the occurrence
// policy of reference section 3.4 (counts always; first/last seen and the "latest" fields only from
// events with a usable source time; reopen only when provably after closure), held back by a
// snooze (reopen only past its time, or at its last occurrence). Every group it reopens gets a
// reopened_by_event activity entry from a trigger (migration 0010) whose WHEN condition keeps it
// idle for the other groups.
func (u *groupUpdate) apply(ctx context.Context, tx pgx.Tx) error {
	pending := len(u.ids) - len(u.inserted)
	if pending == 0 {
		return nil
	}
	tag, err := tx.Exec(ctx, `
			WITH locked AS (
			    SELECT id FROM error_groups
			    WHERE id = ANY($16::bigint[]) AND NOT (id = ANY(coalesce($17::bigint[], '{}')))
			    ORDER BY id
			    FOR UPDATE
			)
			UPDATE error_groups g SET
			    occurrence_count = g.occurrence_count + e.occurrence_count,
			    first_seen_at = CASE WHEN e.known THEN least(g.first_seen_at, e.first_seen_at) ELSE g.first_seen_at END,
			    last_seen_at = CASE WHEN e.known THEN greatest(g.last_seen_at, e.last_seen_at) ELSE g.last_seen_at END,
			    title = CASE WHEN `+newer+` THEN e.title ELSE g.title END,
			    subtitle = CASE WHEN `+newer+` THEN e.subtitle ELSE g.subtitle END,
			    stage = CASE WHEN `+newer+` THEN e.stage ELSE g.stage END,
			    severity = CASE WHEN `+newer+` THEN e.severity ELSE g.severity END,
			    last_seen_release = CASE WHEN `+newer+` THEN e.last_seen_release ELSE g.last_seen_release END,
			    latest_event_id = CASE WHEN `+newer+` THEN e.latest_event_id ELSE g.latest_event_id END,
			    latest_event_occurred_at = CASE WHEN `+newer+` THEN e.latest_event_occurred_at ELSE g.latest_event_occurred_at END,
			    status = CASE WHEN `+reopens+` THEN 'unresolved' ELSE g.status END,
			    resolved_at = CASE WHEN `+reopens+` THEN NULL ELSE g.resolved_at END,
			    ignored_at = CASE WHEN `+reopens+` THEN NULL ELSE g.ignored_at END,
			    archived_at = CASE WHEN `+reopens+` THEN NULL ELSE g.archived_at END,
			    reopen_count = g.reopen_count + CASE WHEN `+reopens+` THEN 1 ELSE 0 END,
			    last_reopened_at = CASE WHEN `+reopens+` THEN now() ELSE g.last_reopened_at END,
			    regression_count = g.regression_count + CASE WHEN `+reopens+` THEN 1 ELSE 0 END,
			    regressed_in_release = CASE WHEN `+reopens+` THEN e.last_seen_release ELSE g.regressed_in_release END,
			    snooze_until = CASE WHEN `+reopens+` THEN NULL ELSE g.snooze_until END,
			    snooze_remaining = CASE WHEN g.snooze_remaining IS NULL OR `+reopens+` THEN NULL
			        ELSE g.snooze_remaining - `+afterClosure+` END,
			    updated_at = now()
			FROM `+groupUnnest+`, unnest($16::bigint[]) WITH ORDINALITY AS i(id, n)
			WHERE g.id = i.id AND i.n = e.n AND g.id IN (SELECT id FROM locked)`, append(u.cols, u.ids, u.inserted, u.times)...)
	if err != nil {
		return fmt.Errorf("store: update error groups: %w", err)
	}
	if tag.RowsAffected() != int64(pending) {
		return errStaleGroups
	}
	return nil
}

type groupKey struct {
	projectID   int64
	fingerprint string
}

// groupAgg aggregates the new error events of one group in a batch.
type groupAgg struct {
	projectID    int64
	in           *GroupInput
	members      []int // indexes of the batch's events in this group
	count        int64
	known        bool // at least one event with a usable source time
	first, last  time.Time
	firstRelease string
	latest       int // the latest event by source time (the last received when none is known)
}

// groupUnnest turns the 15 array parameters built by groupColumns into rows named e, numbered
// from 1 in column n.
const groupUnnest = `unnest($1::bigint[], $2::text[], $3::smallint[], $4::text[], $5::text[], $6::text[],
	    $7::text[], $8::bigint[], $9::timestamptz[], $10::timestamptz[], $11::text[], $12::text[], $13::uuid[],
	    $14::timestamptz[], $15::boolean[]) WITH ORDINALITY
	  AS e(project_id, fingerprint, grouping_version, title, subtitle, stage, severity, occurrence_count,
	    first_seen_at, last_seen_at, introduced_in_release, last_seen_release, latest_event_id,
	    latest_event_occurred_at, known, n)`

// Conditions shared by the SET clauses of the group update.
const (
	// closure is when the group was last resolved, ignored or archived.
	closure = `greatest(coalesce(g.resolved_at, '-infinity'), coalesce(g.ignored_at, '-infinity'), coalesce(g.archived_at, '-infinity'))`
	// afterClosure: how many of the batch's occurrences of the group are provably after its closure
	// (from apply's parameter $18, see occurrenceTimes; evaluated only for groups snoozed for a
	// number of occurrences).
	afterClosure = `(SELECT count(*) FROM unnest(string_to_array(split_part($18::text, ';', e.n::int), ',')::bigint[]) AS t(us)
	    WHERE t.us > extract(epoch FROM ` + closure + `) * 1000000)`
	// snoozeOver: the group is not snoozed, or its snooze ends with this batch: an occurrence after
	// its time, or as many occurrences after its closure as it was still waiting for.
	snoozeOver = `(g.snooze_until IS NULL AND g.snooze_remaining IS NULL
	    OR e.last_seen_at > g.snooze_until
	    OR CASE WHEN g.snooze_remaining IS NULL THEN false ELSE ` + afterClosure + ` >= g.snooze_remaining END)`
	// reopens: a closed group sees an occurrence provably after its closure, and no snooze holds it
	// back. The first test fails for open groups, so the rest is evaluated only for closed ones.
	reopens = `(g.status <> 'unresolved' AND e.known AND e.last_seen_at > ` + closure + ` AND ` + snoozeOver + `)`
	// newer: the batch holds an occurrence at least as late as the group's latest.
	newer = `(e.known AND e.latest_event_occurred_at >= coalesce(g.latest_event_occurred_at, '-infinity'))`
)

// groupColumns builds the array parameters of groupUnnest.
func groupColumns(records []*Record, results []WriteResult, list []*groupAgg) []any {
	n := len(list)
	projectIDs, fingerprints, versions := make([]int64, n), make([]string, n), make([]int16, n)
	titles, subtitles, stages, severities := make([]string, n), make([]pgtype.Text, n), make([]string, n), make([]string, n)
	counts, firsts, lasts := make([]int64, n), make([]time.Time, n), make([]time.Time, n)
	introduced, lastReleases := make([]pgtype.Text, n), make([]pgtype.Text, n)
	latestIDs, latestTimes, knowns := make([]pgtype.UUID, n), make([]time.Time, n), make([]bool, n)
	for j, a := range list {
		l := records[a.latest]
		projectIDs[j], fingerprints[j] = a.projectID, a.in.Fingerprint
		versions[j] = int16(min(max(a.in.Version, 0), 32767)) //nolint:gosec // clamped
		titles[j], subtitles[j] = cmp.Or(l.Group.Title, "Untitled error"), text(l.Group.Subtitle)
		stages[j], severities[j] = cmp.Or(l.Environment, "production"), cmp.Or(l.Level, "error")
		counts[j], firsts[j], lasts[j] = a.count, a.first, a.last
		introduced[j], lastReleases[j] = text(a.firstRelease), text(l.Release)
		latestIDs[j], latestTimes[j], knowns[j] = pgUUID(results[a.latest].ID), l.OccurredAt, a.known
	}
	return []any{projectIDs, fingerprints, versions, titles, subtitles, stages, severities, counts,
		firsts, lasts, introduced, lastReleases, latestIDs, latestTimes, knowns}
}

// occurrenceTimes lists, for each group of list in turn, the source times of its occurrences that
// have one, as Unix microseconds separated by commas, the groups separated by semicolons. It is
// one text parameter: an array with an element per occurrence would cost pgx two allocations each,
// on every batch, for the rare group snoozed for a number of occurrences.
func occurrenceTimes(records []*Record, list []*groupAgg) string {
	buf := make([]byte, 0, 18*len(records))
	for j, a := range list {
		if j > 0 {
			buf = append(buf, ';')
		}
		sep := false
		for _, i := range a.members {
			if records[i].TimePrecision != "received_only" {
				if sep {
					buf = append(buf, ',')
				}
				buf, sep = strconv.AppendInt(buf, records[i].OccurredAt.UnixMicro(), 10), true
			}
		}
	}
	return string(buf)
}

func insertedIDs(ids map[groupKey]int64) []int64 {
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		out = append(out, id)
	}
	return out
}

func scanGroupIDs(rows pgx.Rows, into map[groupKey]int64) error {
	defer rows.Close()
	for rows.Next() {
		var id int64
		var k groupKey
		if err := rows.Scan(&id, &k.projectID, &k.fingerprint); err != nil {
			return err
		}
		into[k] = id
	}
	return rows.Err()
}

func text(s string) pgtype.Text { return pgtype.Text{String: s, Valid: s != ""} }

// copyRecords writes the batch's new events and spans with COPY.
func copyRecords(ctx context.Context, tx pgx.Tx, records []*Record, results []WriteResult, fresh []bool) error {
	var errorRows, telemetryRows, spanRows [][]any
	for i, r := range records {
		if !fresh[i] {
			continue
		}
		clientUUID := pgUUID(r.ClientUUID)
		ctxJSON := r.Context
		if len(ctxJSON) == 0 {
			ctxJSON = []byte("{}")
		}
		switch {
		case r.Signal == SignalError:
			errorRows = append(errorRows, []any{pgUUID(results[i].ID), r.ProjectID, nullID(r.APIKeyID), results[i].GroupID,
				clientUUID, r.Level, r.Message, text(r.Fingerprint), r.OccurredAt, r.ReceivedAt, r.TimePrecision,
				text(r.Environment), text(r.Release), ctxJSON})
		case r.Signal == SignalSpan && r.Span != nil:
			sp := r.Span
			spanRows = append(spanRows, []any{pgUUID(results[i].ID), r.ProjectID, nullID(r.APIKeyID), clientUUID,
				sp.TraceID, sp.SpanID, text(sp.ParentSpanID), sp.Name, sp.Kind, text(sp.Status), sp.DurationMS,
				sp.StartedAt, sp.EndedAt, r.ReceivedAt, text(r.Environment), text(r.Release), ctxJSON})
		default:
			telemetryRows = append(telemetryRows, []any{pgUUID(results[i].ID), r.ProjectID, nullID(r.APIKeyID), r.Signal,
				clientUUID, r.Level, r.Message, text(r.Fingerprint), r.OccurredAt, r.ReceivedAt, r.TimePrecision,
				text(r.Environment), text(r.Release), ctxJSON})
		}
	}
	for _, c := range []struct {
		table   string
		columns []string
		rows    [][]any
	}{
		{"error_events", []string{"id", "project_id", "api_key_id", "error_group_id", "client_uuid", "level", "message",
			"fingerprint", "occurred_at", "received_at", "time_precision", "environment", "release", "context"}, errorRows},
		{"telemetry_events", []string{"id", "project_id", "api_key_id", "event_type", "client_uuid", "level", "message",
			"fingerprint", "occurred_at", "received_at", "time_precision", "environment", "release", "context"}, telemetryRows},
		{"spans", []string{"id", "project_id", "api_key_id", "client_uuid", "trace_id", "span_id", "parent_span_id",
			"name", "kind", "status", "duration_ms", "started_at", "ended_at", "received_at", "environment", "release",
			"context"}, spanRows},
	} {
		if len(c.rows) == 0 {
			continue
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{c.table}, c.columns, pgx.CopyFromRows(c.rows)); err != nil {
			return fmt.Errorf("store: copy %s: %w", c.table, err)
		}
	}
	return nil
}

func nullID(id int64) pgtype.Int8 { return pgtype.Int8{Int64: id, Valid: id != 0} }

// pgUUID passes a uuid to pgx in binary (uuid.UUID itself would go through its text form); the
// nil uuid is NULL.
func pgUUID(id uuid.UUID) pgtype.UUID { return pgtype.UUID{Bytes: id, Valid: id != uuid.Nil} }

// upsertMonitors creates or updates the check-in monitor of each (project, slug, environment)
// checked in by the batch, from its latest check-in.
func upsertMonitors(ctx context.Context, tx pgx.Tx, records []*Record, results []WriteResult, fresh []bool) error {
	type monitorKey struct {
		projectID         int64
		slug, environment string
	}
	type monitorAgg struct {
		key     monitorKey
		latest  int
		count   int64
		lastErr time.Time
	}
	aggs := map[monitorKey]*monitorAgg{}
	for i, r := range records {
		if !fresh[i] || r.Signal != SignalCheckIn || r.CheckIn == nil {
			continue
		}
		k := monitorKey{r.ProjectID, r.CheckIn.Slug, cmp.Or(r.Environment, "production")}
		a := aggs[k]
		if a == nil {
			a = &monitorAgg{key: k, latest: i}
			aggs[k] = a
		}
		a.count++
		if !r.OccurredAt.Before(records[a.latest].OccurredAt) {
			a.latest = i
		}
		if r.CheckIn.Status == "error" && r.OccurredAt.After(a.lastErr) {
			a.lastErr = r.OccurredAt
		}
	}
	if len(aggs) == 0 {
		return nil
	}
	list := make([]*monitorAgg, 0, len(aggs))
	for _, a := range aggs {
		list = append(list, a)
	}
	slices.SortFunc(list, func(a, b *monitorAgg) int {
		return cmp.Or(cmp.Compare(a.key.projectID, b.key.projectID), cmp.Compare(a.key.slug, b.key.slug),
			cmp.Compare(a.key.environment, b.key.environment))
	})
	n := len(list)
	projectIDs, slugs, envs := make([]int64, n), make([]string, n), make([]string, n)
	intervals, ats, statuses := make([]int32, n), make([]time.Time, n), make([]string, n)
	errAts, eventIDs, counts := make([]pgtype.Timestamptz, n), make([]pgtype.UUID, n), make([]int64, n)
	for j, a := range list {
		l := records[a.latest]
		projectIDs[j], slugs[j], envs[j] = a.key.projectID, a.key.slug, a.key.environment
		intervals[j] = int32(min(max(l.CheckIn.ExpectedIntervalSeconds, 1), 1<<30)) //nolint:gosec // clamped
		ats[j], statuses[j], eventIDs[j], counts[j] = l.OccurredAt, cmp.Or(l.CheckIn.Status, "ok"), pgUUID(results[a.latest].ID), a.count
		errAts[j] = pgtype.Timestamptz{Time: a.lastErr, Valid: !a.lastErr.IsZero()}
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO check_in_monitors AS m (project_id, slug, environment, expected_interval_seconds,
		    last_check_in_at, last_status, last_error_at, last_event_id, check_in_count)
		SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::timestamptz[], $6::text[],
		    $7::timestamptz[], $8::uuid[], $9::bigint[])
		ON CONFLICT (project_id, slug, environment) DO UPDATE SET
		    check_in_count = m.check_in_count + excluded.check_in_count,
		    last_error_at = greatest(m.last_error_at, excluded.last_error_at),
		    expected_interval_seconds = CASE WHEN excluded.last_check_in_at >= m.last_check_in_at
		        THEN excluded.expected_interval_seconds ELSE m.expected_interval_seconds END,
		    last_status = CASE WHEN excluded.last_check_in_at >= m.last_check_in_at
		        THEN excluded.last_status ELSE m.last_status END,
		    last_event_id = CASE WHEN excluded.last_check_in_at >= m.last_check_in_at
		        THEN excluded.last_event_id ELSE m.last_event_id END,
		    consecutive_missed_count = CASE WHEN excluded.last_check_in_at >= m.last_check_in_at
		        THEN 0 ELSE m.consecutive_missed_count END,
		    last_check_in_at = greatest(m.last_check_in_at, excluded.last_check_in_at),
		    updated_at = now()`,
		projectIDs, slugs, envs, intervals, ats, statuses, errAts, eventIDs, counts)
	if err != nil {
		return fmt.Errorf("store: upsert check-in monitors: %w", err)
	}
	return nil
}

// Accepted is what a client uuid was accepted as: its signal and the stored record's id.
type Accepted struct {
	Signal   string
	RecordID uuid.UUID
}

// AcceptedRecords returns, for those of ids already accepted in the project, what each was
// accepted as.
func (s *Store) AcceptedRecords(ctx context.Context, projectID int64, ids []uuid.UUID) (map[uuid.UUID]Accepted, error) {
	keys := make([]pgtype.UUID, len(ids))
	for i, id := range ids {
		keys[i] = pgUUID(id)
	}
	rows, err := s.Pool.Query(ctx, `SELECT client_uuid, signal, record_id FROM idempotency_keys
		WHERE project_id = $1 AND client_uuid = ANY($2::uuid[])`, projectID, keys)
	if err != nil {
		return nil, fmt.Errorf("store: accepted records: %w", err)
	}
	out := map[uuid.UUID]Accepted{}
	for rows.Next() {
		var id, record pgtype.UUID
		var signal string
		if err := rows.Scan(&id, &signal, &record); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: accepted records: %w", err)
		}
		out[id.Bytes] = Accepted{Signal: signal, RecordID: record.Bytes}
	}
	rows.Close()
	return out, rows.Err()
}
