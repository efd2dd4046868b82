package main

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Two ceilings put the server's numbers in perspective, measured on the same machine in the same
// run: what PostgreSQL itself stores with COPY (no server can write faster than that), and what a
// bare Go HTTP handler serves when it does nothing but decode the JSON (no server can answer
// faster than that).

// copyTable is the scratch table of the COPY ceiling: telemetry_events' columns, its primary key
// and its index, without partitioning.
const copyTable = "bench_copy_ceiling"

const copyTableDDL = `CREATE TABLE ` + copyTable + ` (
    id             uuid NOT NULL,
    project_id     bigint NOT NULL,
    api_key_id     bigint,
    event_type     text NOT NULL,
    client_uuid    uuid,
    level          text NOT NULL,
    message        text NOT NULL,
    fingerprint    text,
    occurred_at    timestamptz NOT NULL,
    received_at    timestamptz NOT NULL,
    time_precision text NOT NULL,
    environment    text,
    release        text,
    context        jsonb NOT NULL,
    PRIMARY KEY (id, received_at)
);
CREATE INDEX ` + copyTable + `_project_idx ON ` + copyTable + ` (project_id, event_type, occurred_at DESC);`

var copyColumns = []string{"id", "project_id", "event_type", "level", "message", "occurred_at", "received_at",
	"time_precision", "environment", "release", "context"}

// CopyCeiling is the outcome of the COPY ceiling.
type CopyCeiling struct {
	Copiers          int       `json:"copiers"`
	BatchRows        int       `json:"batch_rows"`
	Table            string    `json:"table"`
	Indexes          int       `json:"indexes"`
	MeanContextBytes int       `json:"mean_context_bytes"`
	WarmupSeconds    float64   `json:"warmup_seconds"`
	WindowSeconds    float64   `json:"window_seconds"`
	WindowStart      time.Time `json:"window_start"`
	Rows             int64     `json:"rows"`
	RowsPerSecond    float64   `json:"rows_per_second"`
	CPU              CPUSplit  `json:"cpu"`
}

// copyRow is one prepared row: everything but the id and the receive time.
type copyRow struct {
	kind, level, message, environment, release string
	context                                    json.RawMessage
}

func copyRows(c *corpus) ([]copyRow, int) {
	rows := make([]copyRow, len(c.Deck))
	total := 0
	for i, ti := range c.Deck {
		ev := c.Templates[ti].Event
		ctx := ev["context"].(map[string]any)
		release, _ := ctx["release"].(string)
		rows[i] = copyRow{kind: ev["event_type"].(string), level: ev["level"].(string), message: ev["message"].(string),
			environment: "production", release: release, context: marshal(ctx)}
		total += len(rows[i].context)
	}
	return rows, total / len(rows)
}

// rowSource feeds one COPY of n rows; it reuses one values slice (pgx encodes each row at once).
type rowSource struct {
	rows      []copyRow
	pos, left int
	ids       *idSource
	projectID int64
	at, now   time.Time
	vals      []any
}

func (s *rowSource) Next() bool {
	s.left--
	return s.left >= 0
}

func (s *rowSource) Values() ([]any, error) {
	r := &s.rows[s.pos%len(s.rows)]
	s.pos++
	hi, lo := s.ids.next()
	var id [16]byte
	binary.BigEndian.PutUint64(id[:8], hi)
	binary.BigEndian.PutUint64(id[8:], lo)
	s.vals = append(s.vals[:0], id, s.projectID, r.kind, r.level, r.message, s.at, s.now, "exact", r.environment, r.release, r.context)
	return s.vals, nil
}

func (s *rowSource) Err() error { return nil }

// runCopyCeiling copies the corpus's rows into a scratch table with copiers concurrent
// connections, batchRows rows per COPY (each its own transaction), and drops the table after.
func runCopyCeiling(ctx context.Context, dbURL string, c *corpus, projectID int64, copiers, batchRows int,
	warmup, duration time.Duration, run uint64, mon *Monitor) (*CopyCeiling, error) {
	admin, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, copyTableDDL); err != nil {
		return nil, fmt.Errorf("creating the COPY scratch table: %w", err)
	}
	defer admin.Exec(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS "+copyTable) //nolint:errcheck // best effort

	rows, meanBytes := copyRows(c)
	conns := make([]*pgx.Conn, copiers)
	for i := range conns {
		if conns[i], err = pgx.Connect(ctx, dbURL); err != nil {
			return nil, err
		}
		defer conns[i].Close(context.WithoutCancel(ctx))
	}

	start := time.Now()
	res := &CopyCeiling{Copiers: copiers, BatchRows: batchRows, Table: copyTable, Indexes: 2, MeanContextBytes: meanBytes,
		WarmupSeconds: warmup.Seconds(), WindowSeconds: duration.Seconds(), WindowStart: start.Add(warmup)}
	winEnd := res.WindowStart.Add(duration)
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	for i, conn := range conns {
		wg.Go(func() {
			src := &rowSource{rows: rows, pos: i * len(rows) / copiers, ids: newIDSource(run, 15, uint64(i)), //nolint:gosec // i < copiers
				projectID: projectID, at: c.At}
			for ctx.Err() == nil && time.Now().Before(winEnd) {
				src.left, src.now = batchRows, time.Now()
				n, err := conn.CopyFrom(ctx, pgx.Identifier{copyTable}, copyColumns, src)
				done := time.Now()
				mu.Lock()
				if err != nil && firstErr == nil && !errors.Is(err, context.Canceled) {
					firstErr = err
				}
				if !done.Before(res.WindowStart) && done.Before(winEnd) {
					res.Rows += n
				}
				mu.Unlock()
				if err != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, fmt.Errorf("COPY: %w", firstErr)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res.RowsPerSecond = float64(res.Rows) / duration.Seconds()
	res.CPU, _ = mon.Window(res.WindowStart, winEnd)
	return res, nil
}

// bareResponse is the tiny body the bare handler answers with.
var bareResponse = []byte(`{"id":"00000000-0000-4000-8000-000000000000","status":"accepted"}`)

// bareHandler decodes the request's JSON into a map and answers 201: the least any JSON ingestion
// endpoint must do.
func bareHandler(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 2<<20))
	if err != nil {
		http.Error(w, `{"error":"unreadable body"}`, http.StatusBadRequest)
		return
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		http.Error(w, `{"error":"invalid JSON"}`, http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_, _ = w.Write(bareResponse)
}

// startBareServer serves bareHandler on a free loopback port inside this process.
func startBareServer(ctx context.Context) (url string, stop func(), err error) {
	l, err := (&net.ListenConfig{}).Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: http.HandlerFunc(bareHandler), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(l) //nolint:errcheck // ends with ErrServerClosed on Shutdown
	stop = func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}
	return "http://" + l.Addr().String() + "/api/v1/ingest_events", stop, nil
}
