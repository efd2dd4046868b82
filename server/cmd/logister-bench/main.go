// Command logister-bench measures Logister's ingestion path end to end, on one machine, and writes
// docs/benchmarks/ingest.json and ingest.md.
//
// It creates a fresh PostgreSQL database, starts the real server binary on a free port, creates a
// project and an ingest key with the server's CLI, and drives the public endpoints with its own
// load generator:
//
//  1. the single-event endpoint at maximum throughput (closed loop);
//  2. the batch endpoint, 100 envelopes per request, at maximum throughput (closed loop);
//  3. the single-event endpoint at a fixed rate (open loop), for latency percentiles measured from
//     each request's scheduled send time;
//  4. a durability check: every acknowledged event must be in the database;
//
// and, in the same run, two ceilings: PostgreSQL's own COPY rate for the same rows, and the request
// rate of a bare HTTP handler that only decodes the JSON. CPU time of the server, PostgreSQL and the
// generator is sampled from /proc throughout, and so is the server's resident set.
//
// Usage:
//
//	go run ./server/cmd/logister-bench [flags]
//	make bench
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/logister/logister/server/internal/benchenv"
)

// config is the command line.
type config struct {
	Binary         string
	Build          bool
	AdminURL       string
	Out            string
	Quick          bool
	Workers        int
	BatchWorkers   int
	BatchSize      int
	OpenWorkers    int
	Rate           float64
	Warmup         time.Duration
	Single         time.Duration
	Batch          time.Duration
	Latency        time.Duration
	Ceiling        time.Duration
	Copiers        int
	CopyBatch      int
	ServerLogLevel string
	KeepDB         bool
	Strict         bool
	CPUProfile     string
	ServerProfiles string
	RedisURL       string
}

// Parameters are a run's settings as the report records them.
type Parameters struct {
	Workers                int     `json:"workers"`
	BatchWorkers           int     `json:"batch_workers"`
	BatchSize              int     `json:"batch_size"`
	OpenLoopWorkers        int     `json:"open_loop_workers"`
	RateEventsPerSecond    float64 `json:"rate_events_per_second"`
	WarmupSeconds          float64 `json:"warmup_seconds"`
	SingleSeconds          float64 `json:"single_seconds"`
	BatchSeconds           float64 `json:"batch_seconds"`
	LatencySeconds         float64 `json:"latency_seconds"`
	CeilingSeconds         float64 `json:"ceiling_seconds"`
	Copiers                int     `json:"copiers"`
	CopyBatchRows          int     `json:"copy_batch_rows"`
	ServerLogLevel         string  `json:"server_log_level"`
	SampleIntervalSeconds  float64 `json:"sample_interval_seconds"`
	SettleSeconds          float64 `json:"settle_seconds_between_phases"`
	CheckpointBeforePhases bool    `json:"checkpoint_before_phases"`
}

func (c *config) parameters() Parameters {
	return Parameters{Workers: c.Workers, BatchWorkers: c.BatchWorkers, BatchSize: c.BatchSize, OpenLoopWorkers: c.OpenWorkers,
		RateEventsPerSecond: c.Rate, WarmupSeconds: c.Warmup.Seconds(), SingleSeconds: c.Single.Seconds(),
		BatchSeconds: c.Batch.Seconds(), LatencySeconds: c.Latency.Seconds(), CeilingSeconds: c.Ceiling.Seconds(),
		Copiers: c.Copiers, CopyBatchRows: c.CopyBatch, ServerLogLevel: c.ServerLogLevel,
		SampleIntervalSeconds: sampleInterval.Seconds(), SettleSeconds: settleTime.Seconds(), CheckpointBeforePhases: true}
}

func parseFlags(args []string) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("logister-bench", flag.ContinueOnError)
	fs.StringVar(&c.Binary, "binary", "bin/logister", "the server binary to benchmark (relative to the repository root); built from the tree if missing")
	fs.BoolVar(&c.Build, "build", false, "build the server from this tree into a temporary directory and benchmark that")
	fs.StringVar(&c.AdminURL, "database-url", "", "PostgreSQL superuser URL on which a logister_bench_* database is created and dropped "+
		"(default: TEST_DATABASE_URL, else "+defaultAdminURL+")")
	fs.StringVar(&c.Out, "out", "docs/benchmarks", "directory for ingest.json and ingest.md (relative to the repository root); with -quick, a temporary directory unless set")
	fs.BoolVar(&c.Quick, "quick", false, "short phases (about 20 s in all) for a smoke run")
	fs.IntVar(&c.Workers, "workers", 128, "closed-loop workers on the single-event endpoint and the bare-handler ceiling")
	fs.IntVar(&c.BatchWorkers, "batch-workers", 16, "closed-loop workers on the batch endpoint")
	fs.IntVar(&c.BatchSize, "batch-size", 100, "envelopes per batch request (the endpoint accepts at most 100)")
	fs.IntVar(&c.OpenWorkers, "open-workers", 256, "workers available to the open loop")
	fs.Float64Var(&c.Rate, "rate", 4000, "open-loop rate of the latency phase, events/s")
	fs.DurationVar(&c.Warmup, "warmup", 3*time.Second, "warm-up before each measured window")
	fs.DurationVar(&c.Single, "single-duration", 20*time.Second, "measured window of the single-event phase")
	fs.DurationVar(&c.Batch, "batch-duration", 20*time.Second, "measured window of the batch phase")
	fs.DurationVar(&c.Latency, "latency-duration", 15*time.Second, "measured window of the fixed-rate latency phase")
	fs.DurationVar(&c.Ceiling, "ceiling-duration", 10*time.Second, "measured window of each ceiling")
	fs.IntVar(&c.Copiers, "copiers", 4, "concurrent connections of the COPY ceiling")
	fs.IntVar(&c.CopyBatch, "copy-batch", 1000, "rows per COPY in the COPY ceiling")
	fs.StringVar(&c.ServerLogLevel, "server-log-level", "info", "the server's LOGISTER_LOG_LEVEL (info, its default, logs every request)")
	fs.BoolVar(&c.KeepDB, "keep-db", false, "keep the benchmark database for inspection instead of dropping it")
	fs.StringVar(&c.CPUProfile, "cpuprofile", "", "write a CPU profile of this process (the load generator) to this file")
	fs.StringVar(&c.RedisURL, "redis", "", "the server's REDIS_URL: rate-limit counters in this Redis instead of in process")
	fs.StringVar(&c.ServerProfiles, "server-profiles", "", "write a CPU profile of the server's measured window of each phase to this directory (<phase>.pprof)")
	fs.BoolVar(&c.Strict, "strict", false, "exit with status 1 when a target is missed (always, when an acknowledged event is missing)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: go run ./server/cmd/logister-bench [flags]\n\n"+
			"Benchmarks the ingestion endpoints of a real server against PostgreSQL and writes ingest.json and ingest.md.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if c.AdminURL == "" {
		c.AdminURL = os.Getenv("TEST_DATABASE_URL")
	}
	if c.AdminURL == "" {
		c.AdminURL = defaultAdminURL
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if c.Quick {
		quick := map[string]*time.Duration{"warmup": &c.Warmup, "single-duration": &c.Single, "batch-duration": &c.Batch,
			"latency-duration": &c.Latency, "ceiling-duration": &c.Ceiling}
		short := map[string]time.Duration{"warmup": time.Second, "single-duration": 3 * time.Second,
			"batch-duration": 3 * time.Second, "latency-duration": 3 * time.Second, "ceiling-duration": 2 * time.Second}
		for name, d := range quick {
			if !set[name] {
				*d = short[name]
			}
		}
		if !set["out"] {
			c.Out = filepath.Join(os.TempDir(), "logister-bench-quick")
		}
	}
	switch {
	case c.Workers < 1 || c.BatchWorkers < 1 || c.OpenWorkers < 1 || c.Copiers < 1:
		return nil, errors.New("worker and copier counts must be at least 1")
	case c.BatchSize < 1 || c.BatchSize > 100:
		return nil, errors.New("-batch-size must be between 1 and 100")
	case c.Rate <= 0 || c.CopyBatch < 1:
		return nil, errors.New("-rate and -copy-batch must be positive")
	case c.Warmup < 0 || c.Single <= 0 || c.Batch <= 0 || c.Latency <= 0 || c.Ceiling <= 0:
		return nil, errors.New("durations must be positive")
	}
	return c, nil
}

func main() {
	os.Exit(run())
}

func run() int {
	cfg, err := parseFlags(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "logister-bench:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	root, err := benchenv.ModuleRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, "logister-bench:", err)
		return 2
	}
	if cfg.CPUProfile != "" {
		f, err := os.Create(cfg.CPUProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "logister-bench:", err)
			return 2
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "logister-bench:", err)
			return 2
		}
		defer pprof.StopCPUProfile()
	}
	rep, err := benchmark(ctx, cfg, root, "logister-bench "+strings.Join(os.Args[1:], " "))
	if err != nil {
		fmt.Fprintln(os.Stderr, "logister-bench:", err)
		return 1
	}
	out := cfg.Out
	if !filepath.IsAbs(out) {
		out = filepath.Join(root, out)
	}
	jsonPath, mdPath, err := rep.write(out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "logister-bench: writing the report:", err)
		return 1
	}
	fmt.Printf("\n%s\nReport: %s and %s\n", rep.Summary(), jsonPath, mdPath)
	switch {
	case rep.Durability != nil && !rep.Durability.Pass:
		fmt.Fprintf(os.Stderr, "logister-bench: %d acknowledged events are missing from the database\n", rep.Durability.Missing)
		return 1
	case cfg.Strict && !rep.Pass:
		fmt.Fprintln(os.Stderr, "logister-bench: not every target was met")
		return 1
	}
	return 0
}
