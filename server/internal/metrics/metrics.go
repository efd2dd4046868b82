// Package metrics holds the process's Prometheus registry: HTTP request counts and latencies,
// ingestion commits, rate limiting, database pool statistics and Go runtime metrics.
package metrics

import (
	"database/sql"
	"io"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/common/expfmt"
)

// ContentType is the media type of WriteText's output.
var ContentType = string(expfmt.NewFormat(expfmt.TypeTextPlain))

// Registry collects Logister's metrics.
type Registry struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	durations *prometheus.HistogramVec
	commits   *prometheus.HistogramVec
	committed *prometheus.CounterVec
	// Rate limits of the public API.
	rateLimited       *prometheus.CounterVec
	rateLimitFallback prometheus.Gauge
	rateLimitErrors   prometheus.Counter
}

// New returns a Registry with the Go runtime and process collectors, and pool statistics for db
// when it is not nil.
func New(db *sql.DB) *Registry {
	r := &Registry{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "logister_http_requests_total",
			Help: "HTTP requests served, by method, route pattern and status code.",
		}, []string{"method", "route", "status"}),
		durations: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "logister_http_request_duration_seconds",
			Help:    "Time to serve HTTP requests, by method and route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route"}),
	}
	r.commits = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "logister_ingest_commit_duration_seconds",
		Help:    "Time to write one group-commit transaction of ingested records, by outcome.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	}, []string{"outcome"})
	r.committed = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "logister_ingest_records_total",
		Help: "Ingested records written in group-commit transactions, by outcome.",
	}, []string{"outcome"})
	r.rateLimited = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "logister_rate_limited_requests_total",
		Help: "Public API requests refused with 429, by the kind of limit: pre_auth, submission or auth_failure.",
	}, []string{"kind"})
	r.rateLimitFallback = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "logister_rate_limit_fallback",
		Help: "1 while rate limits are counted in process because Redis does not answer, else 0.",
	})
	r.rateLimitErrors = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "logister_rate_limit_redis_errors_total",
		Help: "Rate-limit checks that Redis failed to answer (the in-process counters decided).",
	})
	r.reg.MustRegister(r.requests, r.durations, r.commits, r.committed,
		r.rateLimited, r.rateLimitFallback, r.rateLimitErrors,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if db != nil {
		r.reg.MustRegister(collectors.NewDBStatsCollector(db, "logister"))
	}
	return r
}

// ObserveRequest records one served request. route is the matched route pattern (never the raw
// path, which would make the label set unbounded).
func (r *Registry) ObserveRequest(method, route string, status int, d time.Duration) {
	r.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	r.durations.WithLabelValues(method, route).Observe(d.Seconds())
}

// ObserveCommit records one group-commit transaction of n records.
func (r *Registry) ObserveCommit(n int, took time.Duration, err error) {
	outcome := "committed"
	if err != nil {
		outcome = "failed"
	}
	r.commits.WithLabelValues(outcome).Observe(took.Seconds())
	r.committed.WithLabelValues(outcome).Add(float64(n))
}

// ObserveRateLimited records one request refused by a rate limit of the given kind.
func (r *Registry) ObserveRateLimited(kind string) {
	r.rateLimited.WithLabelValues(kind).Inc()
}

// SetRateLimitFallback records whether rate limits are counted in process instead of in Redis.
func (r *Registry) SetRateLimitFallback(active bool) {
	v := 0.0
	if active {
		v = 1
	}
	r.rateLimitFallback.Set(v)
}

// ObserveRateLimitRedisError records one rate-limit check that Redis failed to answer.
func (r *Registry) ObserveRateLimitRedisError() {
	r.rateLimitErrors.Inc()
}

// WriteText writes every metric in the Prometheus text format.
func (r *Registry) WriteText(w io.Writer) error {
	families, err := r.reg.Gather()
	if err != nil {
		return err
	}
	enc := expfmt.NewEncoder(w, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, mf := range families {
		if err := enc.Encode(mf); err != nil {
			return err
		}
	}
	return nil
}
