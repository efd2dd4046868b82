package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Targets from the ingestion issue.
const (
	targetSingleEventsPerSec = 8000
	targetBatchEventsPerSec  = 15000
	targetP99MS              = 50
	targetRSSMB              = 250
)

// Report is everything one run measured; it is written as ingest.json and rendered as ingest.md.
type Report struct {
	SchemaVersion int            `json:"schema_version"`
	Quick         bool           `json:"quick"`
	StartedAt     time.Time      `json:"started_at"`
	FinishedAt    time.Time      `json:"finished_at"`
	Command       string         `json:"command"`
	Git           GitReport      `json:"git"`
	Environment   Environment    `json:"environment"`
	Parameters    Parameters     `json:"parameters"`
	Payloads      PayloadInfo    `json:"payloads"`
	Ceilings      Ceilings       `json:"ceilings"`
	Phases        []*Phase       `json:"phases"`
	Durability    *Durability    `json:"durability"`
	Server        ServerReport   `json:"server"`
	Targets       []TargetResult `json:"targets"`
	Pass          bool           `json:"pass"` // every target met and nothing acknowledged lost
	Notes         []string       `json:"notes,omitempty"`
}

// GitReport identifies the code measured.
type GitReport struct {
	Commit string `json:"commit"`
	Dirty  bool   `json:"dirty"` // modified or untracked files: the work tree, not the commit, was measured
}

// Environment is the machine and software the run used.
type Environment struct {
	BenchGoVersion  string       `json:"bench_go_version"`
	ServerGoVersion string       `json:"server_go_version"`
	OS              string       `json:"os"`
	Kernel          string       `json:"kernel"`
	CPUs            int          `json:"cpus"`
	GOMAXPROCS      int          `json:"gomaxprocs"`
	CPUModel        string       `json:"cpu_model"`
	MemTotalMB      int64        `json:"mem_total_mb"`
	Postgres        PostgresInfo `json:"postgres"`
}

// PayloadInfo describes what was sent.
type PayloadInfo struct {
	DeckSize               int                   `json:"deck_size"`
	Templates              int                   `json:"templates"`
	ErrorSignatures        int                   `json:"error_signatures"`
	ClientFingerprints     int                   `json:"client_fingerprints"`
	ClientFingerprintShare float64               `json:"client_fingerprint_share_of_errors"`
	MeanSingleBodyBytes    int                   `json:"mean_single_body_bytes"`
	BatchBodies            int                   `json:"batch_bodies"`
	MeanBatchBodyBytes     int                   `json:"mean_batch_body_bytes"`
	ByKind                 map[string]*kindStats `json:"by_kind"`
}

// Ceilings are the reference rates measured in the same run.
type Ceilings struct {
	BareHTTP *Phase       `json:"bare_http"`
	Copy     *CopyCeiling `json:"copy"`
}

// Phase is the report of one load phase.
type Phase struct {
	Name              string           `json:"name"`
	Title             string           `json:"title"`
	Endpoint          string           `json:"endpoint"`
	Mode              string           `json:"mode"` // closed or open loop
	Workers           int              `json:"workers"`
	OfferedRate       float64          `json:"offered_rate,omitempty"`
	EventsPerRequest  int              `json:"events_per_request"`
	WarmupSeconds     float64          `json:"warmup_seconds"`
	WindowSeconds     float64          `json:"window_seconds"`
	ServedSeconds     float64          `json:"served_seconds"` // the rates' denominator (see RunResult.ServedSeconds)
	WindowStart       time.Time        `json:"window_start"`
	Requests          int64            `json:"requests"`
	OK                int64            `json:"ok_2xx"`
	Non2xx            map[string]int64 `json:"non_2xx"`
	TransportErrors   int64            `json:"transport_errors"`
	Unsent            int64            `json:"unsent,omitempty"` // open loop: abandoned, the server being too far behind
	NewEvents         int64            `json:"events_acknowledged_new"`
	Duplicates        int64            `json:"events_acknowledged_duplicate"`
	RequestsPerSecond float64          `json:"requests_per_second"`
	EventsPerSecond   float64          `json:"events_per_second"` // acknowledged new events / window
	SentMBPerSecond   float64          `json:"sent_mb_per_second"`
	LatencyFrom       string           `json:"latency_from"`
	Latency           Latency          `json:"latency"`
	SendLag           *Latency         `json:"send_lag,omitempty"`
	WholePhase        PhaseTotals      `json:"whole_phase"` // warm-up and tail included
	CPU               CPUSplit         `json:"cpu"`
	// GeneratorMicrosPerRequest is the load generator's CPU time per request (bench process CPU
	// ÷ requests/s); it includes the handler's for the bare-HTTP ceiling.
	GeneratorMicrosPerRequest float64 `json:"generator_cpu_us_per_request"`
	ServerMicrosPerEvent      float64 `json:"server_cpu_us_per_event"`
	PostgresMicrosPerEvent    float64 `json:"postgres_cpu_us_per_event"`
	ServerMaxRSSMB            float64 `json:"server_max_rss_mb,omitempty"`
	// PostgresSessions is what the benchmark database's sessions were doing, on average over the
	// window: "running", "idle in transaction", or an active session's wait event.
	PostgresSessions map[string]float64 `json:"postgres_sessions,omitempty"`
	RatioToBareHTTP  float64            `json:"ratio_to_bare_http,omitempty"` // events/s ÷ bare handler requests/s
	RatioToCopy      float64            `json:"ratio_to_copy,omitempty"`      // events/s ÷ COPY rows/s
	ErrorSamples     []string           `json:"error_samples,omitempty"`
}

// PhaseTotals count a whole phase, which is what the durability check adds up.
type PhaseTotals struct {
	Requests        int64            `json:"requests"`
	OK              int64            `json:"ok_2xx"`
	NotOK           int64            `json:"not_ok"` // non-2xx answers and transport errors
	NewEvents       int64            `json:"events_acknowledged_new"`
	Duplicates      int64            `json:"events_acknowledged_duplicate"`
	ByTable         [nTables]int64   `json:"-"`
	Unattributed    int64            `json:"-"`
	NotOKEventsMax  int64            `json:"events_not_acknowledged"` // events in requests without a 2xx
	ByTableReported map[string]int64 `json:"events_acknowledged_new_by_table"`
}

// Durability compares what was acknowledged with what is stored.
type Durability struct {
	AcknowledgedNew       int64            `json:"acknowledged_new"`
	AcknowledgedDuplicate int64            `json:"acknowledged_duplicate"`
	NotAcknowledged       int64            `json:"events_not_acknowledged"`
	ExpectedByTable       map[string]int64 `json:"expected_by_table,omitempty"` // when every ack could be attributed
	Stored                RowCounts        `json:"stored"`
	StoredTotal           int64            `json:"stored_total"`
	Missing               int64            `json:"missing"` // acknowledged but not stored
	Extra                 int64            `json:"extra"`   // stored beyond the acknowledged
	ExpectedServerGroups  int              `json:"expected_server_groups"`
	ExpectedClientGroups  int              `json:"expected_client_groups"`
	OccurrencesMatch      bool             `json:"occurrences_match_error_events"`
	Pass                  bool             `json:"pass"`
}

// ServerReport describes the server process.
type ServerReport struct {
	Binary   string `json:"binary"`
	Built    bool   `json:"built_by_bench"`
	Version  string `json:"version"`
	LogLevel string `json:"log_level"`
	// RateLimitCounters is where the server keeps its rate-limit counters: "in process" or "in Redis".
	RateLimitCounters string  `json:"rate_limit_counters"`
	PeakRSSMB         float64 `json:"peak_rss_mb"`        // VmHWM at the end of the run
	MaxSampledMB      float64 `json:"max_sampled_rss_mb"` // largest VmRSS seen by the sampler
	ExitedEarly       bool    `json:"exited_early"`
	StopError         string  `json:"stop_error,omitempty"`
}

// TargetResult is one goal of the issue and whether the run met it.
type TargetResult struct {
	Name   string  `json:"name"`
	Goal   string  `json:"goal"`
	Value  float64 `json:"value"`
	Result string  `json:"result"`
	Pass   bool    `json:"pass"`
	Note   string  `json:"note,omitempty"`
}

// newPhase turns a load run into its report.
func newPhase(name, title, endpoint string, r *RunResult, warmup time.Duration, eventsPerRequest int, mon *Monitor) *Phase {
	secs := r.ServedSeconds()
	w, t := &r.Window, &r.Total
	p := &Phase{
		Name: name, Title: title, Endpoint: endpoint, Mode: r.Mode + " loop", Workers: r.Workers, OfferedRate: r.Rate,
		EventsPerRequest: eventsPerRequest, WarmupSeconds: warmup.Seconds(), WindowSeconds: r.WindowSeconds(),
		ServedSeconds: secs, WindowStart: r.WindowStart,
		Requests: w.Requests, OK: w.ok(), Non2xx: w.non2xx(), TransportErrors: w.Errors, Unsent: r.Unsent,
		NewEvents: w.NewEvents, Duplicates: w.Duplicates,
		RequestsPerSecond: float64(w.Requests) / secs, EventsPerSecond: float64(w.NewEvents) / secs,
		SentMBPerSecond: float64(w.BytesSent) / secs / 1e6,
		LatencyFrom:     "send",
		Latency:         summarize(w.Latencies),
		ErrorSamples:    w.Samples,
	}
	if r.Mode == "open" {
		p.LatencyFrom = "scheduled send time"
		lag := summarize(r.SendLag)
		p.SendLag = &lag
	}
	notOK := t.Requests - t.ok()
	p.WholePhase = PhaseTotals{Requests: t.Requests, OK: t.ok(), NotOK: notOK, NewEvents: t.NewEvents, Duplicates: t.Duplicates,
		ByTable: t.ByTable, Unattributed: t.Unattributed, NotOKEventsMax: notOK * int64(eventsPerRequest),
		ByTableReported: byTableMap(t.ByTable)}
	if mon != nil {
		var rss int64
		p.CPU, rss = mon.Window(r.WindowStart, r.WindowEnd)
		p.ServerMaxRSSMB = mb(rss)
		p.PostgresSessions = mon.Sessions(r.WindowStart, r.WindowEnd)
		if p.RequestsPerSecond > 0 {
			p.GeneratorMicrosPerRequest = 1e6 * p.CPU.BenchCores / p.RequestsPerSecond
		}
		if p.EventsPerSecond > 0 {
			p.ServerMicrosPerEvent = 1e6 * p.CPU.ServerCores / p.EventsPerSecond
			p.PostgresMicrosPerEvent = 1e6 * p.CPU.PostgresCores / p.EventsPerSecond
		}
	}
	return p
}

func byTableMap(t [nTables]int64) map[string]int64 {
	return map[string]int64{"error_events": t[tableErrorEvents], "telemetry_events": t[tableTelemetryEvents], "spans": t[tableSpans]}
}

// setRatios relates the phase to the ceilings.
func (p *Phase) setRatios(c Ceilings) {
	if c.BareHTTP != nil && c.BareHTTP.RequestsPerSecond > 0 {
		p.RatioToBareHTTP = p.EventsPerSecond / c.BareHTTP.RequestsPerSecond
	}
	if c.Copy != nil && c.Copy.RowsPerSecond > 0 {
		p.RatioToCopy = p.EventsPerSecond / c.Copy.RowsPerSecond
	}
}

// newDurability checks the phases' acknowledgements against the stored rows.
func newDurability(phases []*Phase, stored RowCounts, serverGroups, clientGroups int) *Durability {
	d := &Durability{Stored: stored, StoredTotal: stored.Total(), ExpectedServerGroups: serverGroups,
		ExpectedClientGroups: clientGroups, OccurrencesMatch: stored.Occurrences == stored.ErrorEvents}
	var byTable [nTables]int64
	var unattributed int64
	for _, p := range phases {
		d.AcknowledgedNew += p.WholePhase.NewEvents
		d.AcknowledgedDuplicate += p.WholePhase.Duplicates
		d.NotAcknowledged += p.WholePhase.NotOKEventsMax
		unattributed += p.WholePhase.Unattributed
		for i, v := range p.WholePhase.ByTable {
			byTable[i] += v
		}
	}
	if unattributed == 0 {
		d.ExpectedByTable = byTableMap(byTable)
		have := [nTables]int64{stored.ErrorEvents, stored.TelemetryEvents, stored.Spans}
		for i := range byTable {
			d.Missing += max(0, byTable[i]-have[i])
		}
	} else {
		d.Missing = max(0, d.AcknowledgedNew-d.StoredTotal)
	}
	d.Extra = max(0, d.StoredTotal-d.AcknowledgedNew)
	d.Pass = d.Missing == 0
	return d
}

// evaluate fills in the targets and the overall verdict.
func (r *Report) evaluate() {
	find := func(name string) *Phase {
		for _, p := range r.Phases {
			if p.Name == name {
				return p
			}
		}
		return nil
	}
	if p := find("single"); p != nil {
		r.Targets = append(r.Targets, TargetResult{Name: "Single-event endpoint, durable events/s", Goal: "≥ 8,000",
			Value: p.EventsPerSecond, Result: fmt.Sprintf("%s events/s", thousands(p.EventsPerSecond)),
			Pass: p.EventsPerSecond >= targetSingleEventsPerSec, Note: okNote(p)})
	}
	if p := find("batch"); p != nil {
		r.Targets = append(r.Targets, TargetResult{Name: fmt.Sprintf("Batch endpoint (%d events/request), durable events/s", p.EventsPerRequest),
			Goal: "≥ 15,000", Value: p.EventsPerSecond, Result: fmt.Sprintf("%s events/s", thousands(p.EventsPerSecond)),
			Pass: p.EventsPerSecond >= targetBatchEventsPerSec, Note: okNote(p)})
	}
	if p := find("latency"); p != nil {
		clean := p.Requests > 0 && p.OK == p.Requests && p.Unsent == 0
		t := TargetResult{Name: fmt.Sprintf("p99 latency at %s events/s (open loop, from scheduled time)", thousands(p.OfferedRate)),
			Goal: "< 50 ms", Value: p.Latency.P99MS, Result: fmt.Sprintf("%.1f ms", p.Latency.P99MS),
			Pass: clean && p.Latency.P99MS < targetP99MS, Note: okNote(p)}
		switch {
		case p.Unsent > 0:
			t.Note = strings.TrimPrefix(t.Note+"; ", "; ") + fmt.Sprintf("%s requests never sent: the server fell more than %s behind",
				thousands(float64(p.Unsent)), openLoopGrace)
		case !clean && t.Note == "":
			t.Note = "no requests answered"
		}
		r.Targets = append(r.Targets, t)
	}
	r.Targets = append(r.Targets, TargetResult{Name: "Server peak RSS (VmHWM)", Goal: "< 250 MB", Value: r.Server.PeakRSSMB,
		Result: fmt.Sprintf("%.0f MB", r.Server.PeakRSSMB), Pass: r.Server.PeakRSSMB > 0 && r.Server.PeakRSSMB < targetRSSMB})
	if d := r.Durability; d != nil {
		r.Targets = append(r.Targets, TargetResult{Name: "Every acknowledged event stored", Goal: "0 missing",
			Value: float64(d.Missing), Result: fmt.Sprintf("%s missing of %s acknowledged (%s stored)",
				thousands(float64(d.Missing)), thousands(float64(d.AcknowledgedNew)), thousands(float64(d.StoredTotal))),
			Pass: d.Pass})
	}
	r.Pass = true
	for _, t := range r.Targets {
		r.Pass = r.Pass && t.Pass
	}
	r.noteInterference()
}

// busyOtherPct is the share of the machine's CPU used by unrelated processes above which a window
// is flagged: its rates then understate what the server does on a dedicated machine.
const busyOtherPct = 10

func (r *Report) noteInterference() {
	windows := append([]*Phase{}, r.Phases...)
	if r.Ceilings.BareHTTP != nil {
		windows = append(windows, r.Ceilings.BareHTTP)
	}
	var busy []string
	for _, p := range windows {
		if p.CPU.OtherPct > busyOtherPct {
			busy = append(busy, fmt.Sprintf("%s %.0f %%", p.Name, p.CPU.OtherPct))
		}
	}
	if c := r.Ceilings.Copy; c != nil && c.CPU.OtherPct > busyOtherPct {
		busy = append(busy, fmt.Sprintf("copy %.0f %%", c.CPU.OtherPct))
	}
	if len(busy) > 0 {
		r.Notes = append(r.Notes, "**The machine was not dedicated to the benchmark**: other processes used "+
			strings.Join(busy, ", ")+" of the CPU during those windows, so their rates understate what runs on a quiet machine.")
	}
	var stolen []string
	for _, p := range windows {
		if p.CPU.StealPct > busyOtherPct {
			stolen = append(stolen, fmt.Sprintf("%s %.0f %%", p.Name, p.CPU.StealPct))
		}
	}
	if len(stolen) > 0 {
		r.Notes = append(r.Notes, "The hypervisor took (steal time) "+strings.Join(stolen, ", ")+
			" of the virtual CPUs during those windows: the machine had less than its nominal CPU.")
	}
}

// idleCPUBound is the idle share below which a phase counts as limited by CPU.
const idleCPUBound = 5

// diagnosis says in one line what limited a phase, from its CPU split.
func diagnosis(p *Phase) string {
	c := p.CPU
	if c.MachineCores == 0 {
		return ""
	}
	split := fmt.Sprintf("server %.0f %%, PostgreSQL %.0f %%, generator %.0f %%, other %.0f %%, steal %.0f %%, idle %.0f %%",
		c.ServerPct, c.PostgresPct, c.BenchPct, c.OtherPct, c.StealPct, c.IdlePct)
	if c.IdlePct < idleCPUBound {
		return "CPU-bound (" + split + ")"
	}
	return "not CPU-bound: requests wait on something other than CPU, such as commits, locks or a concurrency limit (" + split + ")"
}

// okNote says what share of a phase's requests failed, if any did.
func okNote(p *Phase) string {
	if p.Requests == 0 || p.OK == p.Requests {
		return ""
	}
	bad := p.Requests - p.OK
	return fmt.Sprintf("%s of %s requests not 2xx (%s)", thousands(float64(bad)), thousands(float64(p.Requests)), statusList(p))
}

func statusList(p *Phase) string {
	var parts []string
	for code, n := range p.Non2xx {
		parts = append(parts, fmt.Sprintf("%s×%s", code, thousands(float64(n))))
	}
	if p.TransportErrors > 0 {
		parts = append(parts, fmt.Sprintf("transport errors×%s", thousands(float64(p.TransportErrors))))
	}
	if p.Unsent > 0 {
		parts = append(parts, fmt.Sprintf("never sent×%s", thousands(float64(p.Unsent))))
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}

// write stores ingest.json and ingest.md in dir.
func (r *Report) write(dir string) (jsonPath, mdPath string, err error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", "", err
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return "", "", err
	}
	jsonPath, mdPath = filepath.Join(dir, "ingest.json"), filepath.Join(dir, "ingest.md")
	if err := os.WriteFile(jsonPath, append(b, '\n'), 0o644); err != nil { //nolint:gosec // a report meant to be read and committed
		return "", "", err
	}
	if err := os.WriteFile(mdPath, []byte(r.Markdown()), 0o644); err != nil { //nolint:gosec // same
		return "", "", err
	}
	return jsonPath, mdPath, nil
}

// Summary is the targets and phases tables, printed on stdout.
func (r *Report) Summary() string {
	var b strings.Builder
	r.writeTargets(&b)
	b.WriteString("\n")
	r.writePhases(&b)
	r.writeNotes(&b)
	return b.String()
}

func (r *Report) writeNotes(b *strings.Builder) {
	if len(r.Notes) == 0 {
		return
	}
	b.WriteString("\n## Notes\n\n")
	for _, n := range r.Notes {
		fmt.Fprintf(b, "- %s\n", n)
	}
	b.WriteString("\n")
}

// Markdown renders the whole report.
func (r *Report) Markdown() string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("# Ingestion benchmark\n\n")
	p("Generated by `server/cmd/logister-bench` (`make bench`); the numbers of every phase are in `ingest.json`.\n\n")
	kind := "full run"
	if r.Quick {
		kind = "**quick smoke run: numbers are indicative only**"
	}
	dirty := ""
	if r.Git.Dirty {
		dirty = " (work tree with uncommitted changes)"
	}
	p("%s, %s · commit `%.12s`%s · %d × %s, %d MB · PostgreSQL %s on the same machine · Go %s\n\n",
		r.StartedAt.UTC().Format("2006-01-02 15:04 UTC"), kind, r.Git.Commit, dirty, r.Environment.CPUs,
		r.Environment.CPUModel, r.Environment.MemTotalMB, r.Environment.Postgres.Version, strings.TrimPrefix(r.Environment.BenchGoVersion, "go"))
	verdict := "**All targets met.**"
	if !r.Pass {
		verdict = "**Not all targets met.**"
	}
	p("## Targets\n\n%s\n\n", verdict)
	r.writeTargets(&b)
	if len(r.Notes) > 0 {
		p("\nSee the notes below.\n")
	}
	p("\n## Phases\n\n")
	p("Events/s counts events acknowledged with a 2xx in the measured window (after a warm-up); every 2xx means\n")
	p("the event is committed in PostgreSQL. Closed loop: each worker sends its next request when the previous one\n")
	p("is answered. Open loop: requests leave on a fixed schedule and latency runs from the scheduled time, so\n")
	p("server stalls are not hidden by a waiting generator (no coordinated omission). \"vs bare HTTP\" is events/s\n")
	p("divided by the bare handler's requests/s, \"vs COPY\" events/s divided by COPY's rows/s (see Ceilings).\n\n")
	r.writePhases(&b)
	r.writeCeilings(&b)
	r.writeCPU(&b)
	r.writeDurability(&b)
	r.writePayloads(&b)
	r.writeEnvironment(&b)
	r.writeNotes(&b)
	p("## How to reproduce\n\n")
	p("```sh\nmake build   # or: go build -o bin/logister ./server/cmd/logister\nmake bench   # = go run ./server/cmd/logister-bench -binary bin/logister -out docs/benchmarks\n")
	p("go run ./server/cmd/logister-bench -quick   # ~20 s smoke run; writes to a temporary directory\n```\n\n")
	p("It needs PostgreSQL at `TEST_DATABASE_URL` (default `%s`, superuser: it creates and drops a\n", defaultAdminURL)
	p("`logister_bench_*` database). This run: `%s`. See `-help` for durations, rate and workers.\n", r.Command)
	return b.String()
}

func (r *Report) writeTargets(b *strings.Builder) {
	fmt.Fprintf(b, "| Target | Goal | Result | |\n|---|---|---|---|\n")
	for _, t := range r.Targets {
		note := ""
		if t.Note != "" {
			note = " (" + t.Note + ")"
		}
		fmt.Fprintf(b, "| %s | %s | %s%s | %s |\n", t.Name, t.Goal, t.Result, note, mark(t.Pass))
	}
}

func (r *Report) writePhases(b *strings.Builder) {
	fmt.Fprintf(b, "| Phase | Mode | Workers | Window | Requests | not 2xx | Events/s | Requests/s | p50 | p90 | p99 | max | vs bare HTTP | vs COPY |\n")
	fmt.Fprintf(b, "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, p := range r.Phases {
		fmt.Fprintf(b, "| %s | %s | %d | %.0f s | %s | %s | **%s** | %s | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %s | %s |\n",
			p.Title, p.Mode, p.Workers, p.WindowSeconds, thousands(float64(p.Requests)),
			thousands(float64(p.Requests-p.OK)), thousands(p.EventsPerSecond), thousands(p.RequestsPerSecond),
			p.Latency.P50MS, p.Latency.P90MS, p.Latency.P99MS, p.Latency.MaxMS, ratio(p.RatioToBareHTTP), ratio(p.RatioToCopy))
	}
	for _, p := range r.Phases {
		if p.SendLag != nil {
			fmt.Fprintf(b, "\n%s: offered %s requests/s, served %s/s. Requests left their scheduled time late by p99 %.2f ms, max %.1f ms "+
				"(generator delay plus waiting for one of the %d workers to be free; all of it counts in the latency).\n",
				p.Title, thousands(p.OfferedRate), thousands(p.RequestsPerSecond), p.SendLag.P99MS, p.SendLag.MaxMS, p.Workers)
		}
	}
	for _, p := range r.Phases {
		if len(p.ErrorSamples) == 0 && p.Unsent == 0 {
			continue
		}
		fmt.Fprintf(b, "\n%s: %s.", p.Title, statusList(p))
		if p.Unsent > 0 {
			fmt.Fprintf(b, " Requests never sent were abandoned %s after the window because the server had fallen that far behind the schedule.",
				openLoopGrace)
		}
		b.WriteString("\n")
		if len(p.ErrorSamples) > 0 {
			b.WriteString("First failed answers:\n")
			for _, s := range p.ErrorSamples {
				fmt.Fprintf(b, "- `%s`\n", strings.ReplaceAll(s, "`", "'"))
			}
		}
	}
}

func (r *Report) writeCeilings(b *strings.Builder) {
	fmt.Fprintf(b, "\n## Ceilings (same machine, same run)\n\n| Ceiling | How | Rate |\n|---|---|---|\n")
	if c := r.Ceilings.BareHTTP; c != nil {
		fmt.Fprintf(b, "| Bare HTTP handler | net/http in the bench process: read the body, decode the JSON into a map, answer 201; same payloads, %d closed-loop workers, %.0f s | %s requests/s (p99 %.1f ms) |\n",
			c.Workers, c.WindowSeconds, thousands(c.RequestsPerSecond), c.Latency.P99MS)
	}
	if c := r.Ceilings.Copy; c != nil {
		fmt.Fprintf(b, "| PostgreSQL COPY | pgx CopyFrom into a table shaped like telemetry_events (primary key + 1 index), %d rows per COPY, %d concurrent copiers, %s-byte contexts, %.0f s | %s rows/s |\n",
			c.BatchRows, c.Copiers, thousands(float64(c.MeanContextBytes)), c.WindowSeconds, thousands(c.RowsPerSecond))
	}
}

func (r *Report) writeCPU(b *strings.Builder) {
	fmt.Fprintf(b, "\n## Where the CPU went\n\nCores busy during each measured window (%d CPUs; from /proc, sampled every 250 ms). "+
		"PostgreSQL is the postmaster, its background processes and the sessions of the benchmark's database; "+
		"sessions of other databases, like everything else, count as other.\n\n", r.Environment.CPUs)
	fmt.Fprintf(b, "| Phase | Logister server | PostgreSQL | Load generator | Other | Steal | Idle | CPU µs per event: server / PostgreSQL / generator | Server max RSS |\n|---|---|---|---|---|---|---|---|---|\n")
	row := func(name string, c CPUSplit, per string, rss float64) {
		cell := func(v, pct float64) string { return fmt.Sprintf("%.2f (%.0f %%)", v, pct) }
		rssCell := "—"
		if rss > 0 {
			rssCell = fmt.Sprintf("%.0f MB", rss)
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", name, cell(c.ServerCores, c.ServerPct),
			cell(c.PostgresCores, c.PostgresPct), cell(c.BenchCores, c.BenchPct), cell(c.OtherCores, c.OtherPct),
			cell(c.StealCores, c.StealPct), cell(c.IdleCores, c.IdlePct), per, rssCell)
	}
	if c := r.Ceilings.BareHTTP; c != nil {
		row(c.Title+" (generator and handler share the bench process)", c.CPU,
			fmt.Sprintf("— / — / %.0f (both)", c.GeneratorMicrosPerRequest), 0)
	}
	if c := r.Ceilings.Copy; c != nil {
		per := "—"
		if c.RowsPerSecond > 0 {
			per = fmt.Sprintf("— / %.0f / %.0f (per row)", 1e6*c.CPU.PostgresCores/c.RowsPerSecond, 1e6*c.CPU.BenchCores/c.RowsPerSecond)
		}
		row("COPY ceiling", c.CPU, per, 0)
	}
	for _, p := range r.Phases {
		gen := p.GeneratorMicrosPerRequest / float64(max(p.EventsPerRequest, 1))
		row(p.Title, p.CPU, fmt.Sprintf("%.0f / %.0f / %.0f", p.ServerMicrosPerEvent, p.PostgresMicrosPerEvent, gen), p.ServerMaxRSSMB)
	}
	b.WriteString("\n")
	for _, p := range r.Phases {
		if d := diagnosis(p); d != "" {
			fmt.Fprintf(b, "- %s: %s.\n", p.Title, d)
		}
	}
	fmt.Fprintf(b, "\nWhat the benchmark database's sessions were doing (average number of sessions, sampled from pg_stat_activity every 250 ms; "+
		"\"running\" is on CPU, \"idle in transaction\" waits for the server inside a transaction, the rest are wait events):\n\n")
	for _, p := range r.Phases {
		fmt.Fprintf(b, "- %s: %s\n", p.Title, sessionList(p.PostgresSessions))
	}
}

func (r *Report) writeDurability(b *strings.Builder) {
	d := r.Durability
	if d == nil {
		return
	}
	fmt.Fprintf(b, "\n## Durability\n\n")
	fmt.Fprintf(b, "| | error_events | telemetry_events | spans | total |\n|---|---|---|---|---|\n")
	if d.ExpectedByTable != nil {
		e := d.ExpectedByTable
		fmt.Fprintf(b, "| Acknowledged (2xx, new) | %s | %s | %s | %s |\n", thousands(float64(e["error_events"])),
			thousands(float64(e["telemetry_events"])), thousands(float64(e["spans"])), thousands(float64(d.AcknowledgedNew)))
	} else {
		fmt.Fprintf(b, "| Acknowledged (2xx, new) | | | | %s |\n", thousands(float64(d.AcknowledgedNew)))
	}
	s := d.Stored
	fmt.Fprintf(b, "| Stored | %s | %s | %s | %s |\n\n", thousands(float64(s.ErrorEvents)), thousands(float64(s.TelemetryEvents)),
		thousands(float64(s.Spans)), thousands(float64(d.StoredTotal)))
	fmt.Fprintf(b, "%s: %s acknowledged events missing, %s stored beyond the acknowledged (from requests not answered 2xx: %s events), %s acknowledged as duplicates.\n",
		mark(d.Pass), thousands(float64(d.Missing)), thousands(float64(d.Extra)), thousands(float64(d.NotAcknowledged)),
		thousands(float64(d.AcknowledgedDuplicate)))
	fmt.Fprintf(b, "Error groups: %s stored (%s from client fingerprints); the corpus has %d distinct stacks and %d client fingerprints. ",
		thousands(float64(s.ErrorGroups)), thousands(float64(s.ClientGroups)), d.ExpectedServerGroups, d.ExpectedClientGroups)
	fmt.Fprintf(b, "Sum of occurrence counts %s error_events (%s vs %s). Database size after the run: %s MB.\n",
		map[bool]string{true: "equals", false: "DIFFERS from"}[d.OccurrencesMatch], thousands(float64(s.Occurrences)),
		thousands(float64(s.ErrorEvents)), thousands(float64(s.DatabaseBytes)/1e6))
}

func (r *Report) writePayloads(b *strings.Builder) {
	pl := r.Payloads
	fmt.Fprintf(b, "\n## Payloads\n\n")
	fmt.Fprintf(b, "Built from the Logister SDKs' wire shapes (logister-js frames + V8 stack, logister-python frames + backtrace,\n")
	fmt.Fprintf(b, "logister-ruby backtrace strings). Errors come from %d distinct exception types and stacks, so the server\n", pl.ErrorSignatures)
	fmt.Fprintf(b, "computes their groups; %.0f %% of errors send one of %d client fingerprints instead. Spans and batch envelopes\n",
		100*pl.ClientFingerprintShare, pl.ClientFingerprints)
	fmt.Fprintf(b, "get fresh ids on every request. Mean single-event body: %s bytes; batch body: %s bytes.\n\n",
		thousands(float64(pl.MeanSingleBodyBytes)), thousands(float64(pl.MeanBatchBodyBytes)))
	fmt.Fprintf(b, "| Kind | Share | Distinct events | Mean bytes | Min | Max |\n|---|---|---|---|---|---|\n")
	kinds := make([]string, 0, len(pl.ByKind))
	for k := range pl.ByKind {
		kinds = append(kinds, k)
	}
	slices.SortFunc(kinds, func(a, c string) int { return int(1000 * (pl.ByKind[c].DeckShare - pl.ByKind[a].DeckShare)) })
	for _, k := range kinds {
		s := pl.ByKind[k]
		fmt.Fprintf(b, "| %s | %.0f %% | %d | %s | %s | %s |\n", k, 100*s.DeckShare, s.Templates, thousands(float64(s.MeanBytes)),
			thousands(float64(s.MinBytes)), thousands(float64(s.MaxBytes)))
	}
}

func (r *Report) writeEnvironment(b *strings.Builder) {
	e, s := r.Environment, r.Server
	fmt.Fprintf(b, "\n## Environment\n\n")
	fmt.Fprintf(b, "- Machine: %d × %s, %d MB RAM, %s (kernel %s); GOMAXPROCS %d.\n", e.CPUs, e.CPUModel, e.MemTotalMB, e.OS, e.Kernel, e.GOMAXPROCS)
	fmt.Fprintf(b, "- PostgreSQL %s, shared by server, ceilings and anything else running on the machine;", e.Postgres.Version)
	keys := make([]string, 0, len(e.Postgres.Settings))
	for k := range e.Postgres.Settings {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(b, " %s=%s", k, e.Postgres.Settings[k])
	}
	fmt.Fprintf(b, ".\n- Server: `%s` (%s, %s), default configuration, log level %s (one access-log line per request, to a file), "+
		"rate limits raised out of the way but still counted, counters %s.\n", s.Binary, s.Version, e.ServerGoVersion, s.LogLevel, s.RateLimitCounters)
	fmt.Fprintf(b, "- Peak RSS: VmHWM %.0f MB; largest sampled VmRSS %.0f MB.\n", s.PeakRSSMB, s.MaxSampledMB)
	if s.ExitedEarly {
		fmt.Fprintf(b, "- **The server exited during the run.**\n")
	}
	if s.StopError != "" {
		fmt.Fprintf(b, "- Stopping the server: %s\n", s.StopError)
	}
	fmt.Fprintf(b, "- Load generator: Go %s, one keep-alive HTTP/1.1 client, pre-built bodies (only ids rewritten per request).\n\n", strings.TrimPrefix(e.BenchGoVersion, "go"))
}

// sessionList renders session activity, busiest first.
func sessionList(s map[string]float64) string {
	if len(s) == 0 {
		return "no samples"
	}
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if c := cmp.Compare(s[b], s[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %.2f", k, s[k]))
	}
	return strings.Join(parts, ", ")
}

func mark(ok bool) string {
	if ok {
		return "✅ pass"
	}
	return "❌ fail"
}

func ratio(v float64) string {
	if v == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f×", v)
}

func mb(bytes int64) float64 { return float64(bytes) / (1 << 20) }

// thousands formats v rounded to an integer with thousands separators.
func thousands(v float64) string {
	n := int64(v + 0.5)
	if v < 0 {
		n = int64(v - 0.5)
	}
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}
