// Package metrics holds the process's Prometheus registry: HTTP request counts and latencies,
// database pool statistics and Go runtime metrics.
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
	r.reg.MustRegister(r.requests, r.durations, r.commits, r.committed,
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
