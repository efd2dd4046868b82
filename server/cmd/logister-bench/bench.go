package main

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/logister/logister/server/internal/benchenv"
)

const (
	sampleInterval = 250 * time.Millisecond // CPU and RSS sampling
	settleTime     = time.Second            // pause after the checkpoint that precedes each phase
	batchBodies    = 20                     // distinct batch bodies (each 100 envelopes) cycled through
	stopTimeout    = 20 * time.Second       // for the server's graceful shutdown
)

// bench is one run: what it set up, and the report it fills in step by step.
type bench struct {
	cfg     *config
	root    string // the repository
	rep     *Report
	corpus  *corpus
	single  []*Payload // single-event bodies, in deck order
	batch   []*Payload // batch bodies
	tmp     string     // server log, data directory, built binary
	binary  string
	db      *benchDatabase
	srv     *serverProcess
	conn    *pgx.Conn // to the benchmark database: checkpoints and row counts
	key     string    // the ingest key
	project int64
	mon     *Monitor
	gen     *Generator
	undo    []func() // cleanups, run in reverse order by close
}

// benchmark runs every step and returns the report. It cleans up after itself: the server is
// stopped and the database dropped even when a step fails or the run is interrupted.
func benchmark(ctx context.Context, cfg *config, root, command string) (*Report, error) {
	b := &bench{cfg: cfg, root: root}
	defer b.close()
	b.describe(ctx, command)
	for _, step := range []func(context.Context) error{b.prepare, b.start, b.ceilings, b.phases, b.finish} {
		if err := step(ctx); err != nil {
			return nil, err
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	return b.rep, nil
}

// onClose registers a cleanup for close.
func (b *bench) onClose(f func()) { b.undo = append(b.undo, f) }

func (b *bench) close() {
	for i := len(b.undo) - 1; i >= 0; i-- {
		b.undo[i]()
	}
}

// describe records the code, machine and parameters of the run.
func (b *bench) describe(ctx context.Context, command string) {
	cfg := b.cfg
	b.rep = &Report{SchemaVersion: 1, Quick: cfg.Quick, StartedAt: time.Now().UTC(), Command: command,
		Parameters: cfg.parameters()}
	b.rep.Git.Commit, b.rep.Git.Dirty = benchenv.Git(ctx, b.root)
	b.rep.Environment = Environment{BenchGoVersion: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH,
		CPUs: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0), CPUModel: benchenv.CPUModel(), MemTotalMB: benchenv.MemTotalMB()}
	if v, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		b.rep.Environment.Kernel = strings.TrimSpace(string(v))
	}
}

// prepare builds the payloads and finds (or builds) the server binary.
func (b *bench) prepare(ctx context.Context) error {
	b.corpus = buildCorpus(b.rep.StartedAt)
	b.single = b.corpus.singlePayloads()
	b.batch = b.corpus.batchPayloads(batchBodies, b.cfg.BatchSize)
	b.rep.Payloads = payloadInfo(b.corpus, b.single, b.batch)

	var err error
	if b.tmp, err = os.MkdirTemp("", "logister-bench-"); err != nil {
		return err
	}
	b.onClose(func() { os.RemoveAll(b.tmp) })
	binary, built, err := serverBinary(ctx, b.cfg, b.root, b.tmp)
	if err != nil {
		return err
	}
	b.binary = binary
	b.rep.Server = ServerReport{Binary: binary, Built: built, LogLevel: b.cfg.ServerLogLevel,
		Version: commandOutput(ctx, binary, "version"), RateLimitCounters: "in process"}
	if b.cfg.RedisURL != "" {
		b.rep.Server.RateLimitCounters = "in Redis"
	}
	if v := commandOutput(ctx, "go", "version", binary); v != "" {
		b.rep.Environment.ServerGoVersion = v[strings.LastIndexByte(v, ' ')+1:]
	}
	if rel, err := filepath.Rel(b.root, binary); err == nil && !strings.HasPrefix(rel, "..") {
		b.rep.Server.Binary = rel
	}
	return nil
}

// start creates the database, starts the server, creates a project and a key with the server's
// CLI, and starts the monitor and the load generator.
func (b *bench) start(ctx context.Context) error {
	cfg := b.cfg
	logf("creating a database on %s", redact(cfg.AdminURL))
	db, err := createDatabase(ctx, cfg.AdminURL)
	if err != nil {
		return err
	}
	b.db = db
	b.onClose(func() {
		if cfg.KeepDB {
			logf("kept database %s", db.Name)
		} else if err := db.Drop(context.WithoutCancel(ctx)); err != nil {
			logf("dropping database %s: %v", db.Name, err)
		}
	})

	logf("starting %s serve on database %s", b.rep.Server.Binary, db.Name)
	if b.srv, err = startServer(b.binary, db.URL, b.tmp, b.serverEnv(), cfg.ServerProfiles != ""); err != nil {
		return err
	}
	b.onClose(func() { _ = b.srv.Stop(stopTimeout) }) // a no-op once finish has stopped it
	if err := b.srv.WaitReady(ctx, 90*time.Second); err != nil {
		return err
	}
	slug, err := runCLI(ctx, b.binary, db.URL, b.tmp, "project", "create", "Ingest benchmark")
	if err != nil {
		return err
	}
	if b.key, err = runCLI(ctx, b.binary, db.URL, b.tmp, "key", "create", slug); err != nil {
		return err
	}

	if b.conn, err = pgx.Connect(ctx, db.URL); err != nil {
		return err
	}
	b.onClose(func() { b.conn.Close(context.WithoutCancel(ctx)) })
	if b.rep.Environment.Postgres, err = postgresInfo(ctx, b.conn); err != nil {
		return err
	}
	if b.project, err = projectID(ctx, b.conn, slug); err != nil {
		return fmt.Errorf("finding project %s: %w", slug, err)
	}

	activity, closeActivity, err := postgresActivity(ctx, db.URL)
	if err != nil {
		return err
	}
	b.onClose(closeActivity)
	b.mon = StartMonitor(b.srv.PID(), sampleInterval, activity)
	b.onClose(b.mon.Stop)
	b.gen = NewGenerator(2*max(cfg.Workers, cfg.OpenWorkers, cfg.BatchWorkers), randomUint64())
	b.onClose(b.gen.CloseIdle)
	return nil
}

// serverEnv is what the benchmark adds to the server's environment.
func (b *bench) serverEnv() []string {
	env := []string{"LOGISTER_LOG_LEVEL=" + b.cfg.ServerLogLevel}
	if b.cfg.RedisURL != "" {
		env = append(env, "REDIS_URL="+b.cfg.RedisURL)
	}
	return env
}

// ceilings measures the bare HTTP handler (in this process, same payloads and workers) and
// PostgreSQL's COPY rate for the same rows.
func (b *bench) ceilings(ctx context.Context) error {
	cfg := b.cfg
	logf("ceiling: bare HTTP handler, %d workers, %s", cfg.Workers, cfg.Warmup+cfg.Ceiling)
	bareURL, stopBare, err := startBareServer(ctx)
	if err != nil {
		return err
	}
	r := b.gen.RunClosed(ctx, &Target{Name: "bare", URL: bareURL, Header: header("", "application/json")},
		&Source{Payloads: b.single}, cfg.Workers, cfg.Warmup, cfg.Ceiling)
	stopBare()
	b.gen.CloseIdle()
	if err := ctx.Err(); err != nil {
		return err
	}
	b.rep.Ceilings.BareHTTP = newPhase("bare_http", "Bare HTTP handler (ceiling)", "in-process net/http", r, cfg.Warmup, 1, b.mon)

	if err := settle(ctx, b.conn); err != nil {
		return err
	}
	logf("ceiling: COPY, %d copiers × %d rows, %s", cfg.Copiers, cfg.CopyBatch, cfg.Warmup+cfg.Ceiling)
	b.rep.Ceilings.Copy, err = runCopyCeiling(ctx, b.db.URL, b.corpus, b.project, cfg.Copiers, cfg.CopyBatch,
		cfg.Warmup, cfg.Ceiling, b.gen.run, b.mon)
	return err
}

// phases runs the three load phases against the server, each after a checkpoint.
func (b *bench) phases(ctx context.Context) error {
	cfg := b.cfg
	single := &Target{Name: "single", URL: b.srv.BaseURL + "/api/v1/ingest_events", Header: header(b.key, "application/json")}
	batch := &Target{Name: "batch", URL: b.srv.BaseURL + "/api/v1/ingest_events/batch",
		Header: header(b.key, "application/x-ndjson"), Batch: true}
	phases := []struct {
		name, title, endpoint, what string
		events                      int
		run                         func() *RunResult
	}{
		{"single", "Single-event endpoint, max throughput", "POST /api/v1/ingest_events",
			fmt.Sprintf("%d workers, %s", cfg.Workers, cfg.Warmup+cfg.Single), 1,
			func() *RunResult {
				return b.gen.RunClosed(ctx, single, &Source{Payloads: b.single}, cfg.Workers, cfg.Warmup, cfg.Single)
			}},
		{"batch", "Batch endpoint, max throughput", "POST /api/v1/ingest_events/batch",
			fmt.Sprintf("%d workers × %d events, %s", cfg.BatchWorkers, cfg.BatchSize, cfg.Warmup+cfg.Batch), cfg.BatchSize,
			func() *RunResult {
				return b.gen.RunClosed(ctx, batch, &Source{Payloads: b.batch}, cfg.BatchWorkers, cfg.Warmup, cfg.Batch)
			}},
		{"latency", fmt.Sprintf("Single-event endpoint at %s events/s", thousands(cfg.Rate)), "POST /api/v1/ingest_events",
			fmt.Sprintf("open loop at %s/s, %s", thousands(cfg.Rate), cfg.Warmup+cfg.Latency), 1,
			func() *RunResult {
				return b.gen.RunOpen(ctx, single, &Source{Payloads: b.single}, cfg.Rate, cfg.OpenWorkers, cfg.Warmup, cfg.Latency)
			}},
	}
	for _, ph := range phases {
		if err := settle(ctx, b.conn); err != nil {
			return err
		}
		logf("phase %s: %s", ph.name, ph.what)
		var profiled <-chan error
		if cfg.ServerProfiles != "" {
			window := map[string]time.Duration{"single": cfg.Single, "batch": cfg.Batch, "latency": cfg.Latency}[ph.name]
			profiled = b.srv.Profile(ctx, cfg.Warmup, window, filepath.Join(cfg.ServerProfiles, ph.name+".pprof"))
		}
		r := ph.run()
		if profiled != nil {
			if err := <-profiled; err != nil {
				logf("  server profile of phase %s: %v", ph.name, err)
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		p := newPhase(ph.name, ph.title, ph.endpoint, r, cfg.Warmup, ph.events, b.mon)
		p.setRatios(b.rep.Ceilings)
		b.rep.Phases = append(b.rep.Phases, p)
		logf("  %s events/s, %s requests/s, p99 %.1f ms, %d not 2xx", thousands(p.EventsPerSecond),
			thousands(p.RequestsPerSecond), p.Latency.P99MS, p.Requests-p.OK)
		if b.srv.Exited() {
			b.rep.Server.ExitedEarly = true
			b.rep.Notes = append(b.rep.Notes, "The server exited during phase "+ph.name+"; its log ended with: "+b.srv.LogTail(5))
			break
		}
	}
	return nil
}

// finish checks durability (every 2xx must be a stored row), reads the server's peak memory,
// stops it and evaluates the targets.
func (b *bench) finish(ctx context.Context) error {
	stored, err := countRows(ctx, b.conn)
	if err != nil {
		return fmt.Errorf("counting stored rows: %w", err)
	}
	server, client := b.corpus.expectedGroups()
	b.rep.Durability = newDurability(b.rep.Phases, stored, server, client)

	b.rep.Server.PeakRSSMB = mb(statusKB(b.srv.PID(), "VmHWM") << 10)
	b.rep.Server.MaxSampledMB = mb(b.mon.PeakRSS())
	if err := b.srv.Stop(stopTimeout); err != nil && !b.rep.Server.ExitedEarly {
		b.rep.Server.StopError = err.Error()
	}
	b.rep.FinishedAt = time.Now().UTC()
	b.rep.evaluate()
	return nil
}

// serverBinary returns the binary to run: cfg.Binary, or one built from the tree when -build is
// set or the binary does not exist.
func serverBinary(ctx context.Context, cfg *config, root, tmp string) (string, bool, error) {
	bin := cfg.Binary
	if !filepath.IsAbs(bin) {
		bin = filepath.Join(root, bin)
	}
	if _, err := os.Stat(bin); err == nil && !cfg.Build { //nolint:gosec // the binary to benchmark is the tool's input
		return bin, false, nil
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", false, err
	}
	logf("building ./server/cmd/logister")
	bin, err := buildServer(ctx, root, tmp)
	return bin, true, err
}

// settle checkpoints PostgreSQL, so that no phase pays for the previous one's dirty pages, and
// lets the machine calm down.
func settle(ctx context.Context, conn *pgx.Conn) error {
	if _, err := conn.Exec(ctx, "CHECKPOINT"); err != nil {
		return fmt.Errorf("CHECKPOINT: %w", err)
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(settleTime):
		return nil
	}
}

func header(key, contentType string) http.Header {
	h := http.Header{}
	h.Set("Content-Type", contentType)
	h.Set("User-Agent", "logister-bench/1")
	if key != "" {
		h.Set("Authorization", "Bearer "+key)
	}
	return h
}

func payloadInfo(c *corpus, single, batch []*Payload) PayloadInfo {
	info := PayloadInfo{DeckSize: len(c.Deck), Templates: len(c.Templates), ErrorSignatures: errorSignatures,
		ClientFingerprints: clientFingerprints, BatchBodies: len(batch), ByKind: c.stats(single)}
	errs := 0
	for _, ti := range c.Deck {
		if c.Templates[ti].Kind == kindError {
			errs++
		}
	}
	info.ClientFingerprintShare = float64(deckClientFP) / float64(errs)
	total := 0
	for _, p := range single {
		total += len(p.Body)
	}
	info.MeanSingleBodyBytes = total / len(single)
	total = 0
	for _, p := range batch {
		total += len(p.Body)
	}
	info.MeanBatchBodyBytes = total / len(batch)
	return info
}

func randomUint64() uint64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return binary.LittleEndian.Uint64(b[:])
}

// logf reports progress on stderr.
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s  %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}
