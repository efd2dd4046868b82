package main

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

// seeded is what seedDatabase wrote.
type seeded struct {
	ProjectID   int64    `json:"project_id"`
	ProjectSlug string   `json:"project_slug"`
	Members     []member `json:"members"`
	Groups      int      `json:"groups"`
	Events      int      `json:"events"`
	// Durations of the steps, in seconds.
	GenerateSeconds float64 `json:"generate_seconds"`
	GroupsSeconds   float64 `json:"groups_seconds"`
	EventsSeconds   float64 `json:"events_seconds"`
}

type member struct {
	ID    int64  `json:"id"`
	Email string `json:"email"`
}

// seedDatabase writes h into the migrated database behind pool: a project named slug, the
// members, the groups (with COPY; triggers index their text) and the events (with COPY, copiers
// connections at once, in time order).
func seedDatabase(ctx context.Context, pool *pgxpool.Pool, h *history, slug string, copiers int, logf func(string, ...any)) (*seeded, error) {
	out := &seeded{ProjectSlug: slug, Groups: len(h.Groups), Events: len(h.Events)}
	if err := pool.QueryRow(ctx, `INSERT INTO projects (name, slug) VALUES ($1, $1) RETURNING id`, slug).Scan(&out.ProjectID); err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "23505" {
			return nil, fmt.Errorf("a project with the slug %q exists: choose another with -project", slug)
		}
		return nil, fmt.Errorf("creating the project: %w", err)
	}
	for i := range members {
		m := member{Email: fmt.Sprintf("seed-member-%d@example.test", i+1)}
		err := pool.QueryRow(ctx, `INSERT INTO users (email, name, password_hash, confirmed_at) VALUES ($1, $2, '!', now())
			ON CONFLICT (email) DO UPDATE SET name = excluded.name RETURNING id`, m.Email, fmt.Sprintf("Member %d", i+1)).Scan(&m.ID)
		if err != nil {
			return nil, fmt.Errorf("creating the members: %w", err)
		}
		out.Members = append(out.Members, m)
	}

	start := time.Now()
	if err := copyGroups(ctx, pool, h, out); err != nil {
		return nil, err
	}
	out.GroupsSeconds = time.Since(start).Seconds()
	logf("%d groups stored in %.1f s", len(h.Groups), out.GroupsSeconds)

	start = time.Now()
	if err := copyEvents(ctx, pool, h, out.ProjectID, copiers, logf); err != nil {
		return nil, err
	}
	out.EventsSeconds = time.Since(start).Seconds()
	logf("%d events stored in %.1f s (%.0f rows/s)", len(h.Events), out.EventsSeconds, float64(len(h.Events))/out.EventsSeconds)
	return out, nil
}

// eventID is the id of the event at index i: a version 7 uuid of the event's time, as the
// ingestion path gives them (there, of the time it stores the event), with the rest derived from i.
func eventID(h *history, i int) uuid.UUID {
	var id uuid.UUID
	sum := sha256.Sum256(binary.BigEndian.AppendUint64(nil, uint64(i))) //nolint:gosec // i >= 0
	copy(id[:], sum[:16])
	var ms [8]byte
	binary.BigEndian.PutUint64(ms[:], uint64(h.Events[i].At/1000)) //nolint:gosec // after 1970
	copy(id[:6], ms[2:])
	id[6] = id[6]&0x0f | 0x70
	id[8] = id[8]&0x3f | 0x80
	return id
}

func copyGroups(ctx context.Context, pool *pgxpool.Pool, h *history, out *seeded) error {
	ts := func(t time.Time) pgtype.Timestamptz { return pgtype.Timestamptz{Time: t, Valid: !t.IsZero()} }
	rows := make([][]any, 0, len(h.Groups))
	for _, g := range h.Groups {
		latest := &h.Events[g.LatestEvent]
		closed := map[string]pgtype.Timestamptz{g.Status: ts(g.ClosedAt)}
		var assignee, assigner pgtype.Int8
		if g.Assignee >= 0 {
			assignee = pgtype.Int8{Int64: out.Members[g.Assignee].ID, Valid: true}
			assigner = pgtype.Int8{Int64: out.Members[(g.Assignee+1)%members].ID, Valid: true}
		}
		updated := g.Last
		for _, t := range []time.Time{g.ClosedAt, g.AssignedAt} {
			if t.After(updated) {
				updated = t
			}
		}
		rows = append(rows, []any{out.ProjectID, g.Fingerprint, int16(g.Version), h.message(latest), g.Subtitle, //nolint:gosec // 0 or 1
			environments[latest.Env], g.Level, g.Status, int64(g.Count), g.First, g.Last,
			closed["resolved"], closed["ignored"], closed["archived"], int32(g.ReopenCount), ts(g.LastReopenAt), //nolint:gosec // 0 or 1
			g.FirstRelease, h.Releases[latest.Release].Name, eventID(h, g.LatestEvent), g.Last,
			assignee, assigner, ts(g.AssignedAt), g.First, updated})
	}
	_, err := pool.CopyFrom(ctx, pgx.Identifier{"error_groups"}, []string{"project_id", "fingerprint", "grouping_version",
		"title", "subtitle", "stage", "severity", "status", "occurrence_count", "first_seen_at", "last_seen_at",
		"resolved_at", "ignored_at", "archived_at", "reopen_count", "last_reopened_at", "introduced_in_release",
		"last_seen_release", "latest_event_id", "latest_event_occurred_at", "assigned_user_id", "assigned_by_user_id",
		"assigned_at", "created_at", "updated_at"}, pgx.CopyFromRows(rows))
	if err != nil {
		return fmt.Errorf("copying the groups: %w", err)
	}
	ids := map[string]int64{}
	r, err := pool.Query(ctx, `SELECT id, fingerprint FROM error_groups WHERE project_id = $1`, out.ProjectID)
	if err != nil {
		return fmt.Errorf("reading the group ids: %w", err)
	}
	for r.Next() {
		var id int64
		var fp string
		if err := r.Scan(&id, &fp); err != nil {
			r.Close()
			return fmt.Errorf("reading the group ids: %w", err)
		}
		ids[fp] = id
	}
	r.Close()
	if err := r.Err(); err != nil {
		return fmt.Errorf("reading the group ids: %w", err)
	}
	for _, g := range h.Groups {
		if g.ID = ids[g.Fingerprint]; g.ID == 0 {
			return fmt.Errorf("group %q was not stored", g.Fingerprint)
		}
	}
	return nil
}

// copyChunk is how many events one COPY writes.
const copyChunk = 50_000

func copyEvents(ctx context.Context, pool *pgxpool.Pool, h *history, projectID int64, copiers int, logf func(string, ...any)) error {
	chunks := make(chan int)
	errs := make(chan error, copiers)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for range copiers {
		wg.Go(func() {
			for from := range chunks {
				if err := copyEventChunk(ctx, pool, h, projectID, from, min(from+copyChunk, len(h.Events))); err != nil {
					errs <- err
					cancel()
					return
				}
				mu.Lock()
				done += min(copyChunk, len(h.Events)-from)
				if done%(copyChunk*4) == 0 {
					logf("  %d of %d events", done, len(h.Events))
				}
				mu.Unlock()
			}
		})
	}
feed:
	for from := 0; from < len(h.Events); from += copyChunk {
		select {
		case chunks <- from:
		case <-ctx.Done():
			break feed
		}
	}
	close(chunks)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	return ctx.Err()
}

func copyEventChunk(ctx context.Context, pool *pgxpool.Pool, h *history, projectID int64, from, to int) error {
	i := from - 1
	var ctxBuf []byte
	_, err := pool.CopyFrom(ctx, pgx.Identifier{"error_events"}, []string{"id", "project_id", "error_group_id", "level",
		"message", "fingerprint", "occurred_at", "received_at", "time_precision", "environment", "release", "context"},
		pgx.CopyFromFunc(func() ([]any, error) {
			i++
			if i >= to {
				return nil, nil
			}
			e := &h.Events[i]
			g := h.Groups[e.Group]
			at := time.UnixMicro(e.At).UTC()
			var fp pgtype.Text
			if g.Version == 0 {
				fp = pgtype.Text{String: g.Fingerprint, Valid: true}
			}
			msg := h.message(e)
			env, rel := environments[e.Env], h.Releases[e.Release].Name
			ctxBuf = eventContext(ctxBuf[:0], g, msg, env, rel, i)
			return []any{pgUUID(eventID(h, i)), projectID, g.ID, g.Level, msg, fp, at,
				at.Add(time.Duration(e.Var%2000) * time.Millisecond), "exact", env, rel, ctxBuf}, nil
		}))
	if err != nil {
		return fmt.Errorf("copying events %d to %d: %w", from, to, err)
	}
	return nil
}

// eventContext appends an event's context: its group's prefix, then the message and what varies.
func eventContext(b []byte, g *group, msg, env, rel string, i int) []byte {
	b = append(b, g.ContextPrefix...)
	b = strconv.AppendQuote(b, msg)
	b = append(b, `},"environment":`...)
	b = strconv.AppendQuote(b, env)
	b = append(b, `,"release":`...)
	b = strconv.AppendQuote(b, rel)
	b = append(b, `,"request_id":"req-`...)
	b = strconv.AppendInt(b, int64(i), 36)
	b = append(b, `","user_id":"user-`...)
	b = strconv.AppendInt(b, int64(i%997), 10)
	return append(b, `"}`...)
}

func pgUUID(id uuid.UUID) pgtype.UUID { return pgtype.UUID{Bytes: id, Valid: true} }
