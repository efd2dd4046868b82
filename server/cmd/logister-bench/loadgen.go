package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Target is an endpoint the generator posts to.
type Target struct {
	Name   string
	URL    string
	Header http.Header // sent with every request; each worker gets its own copy
	// Batch means a 202 body reports accepted and duplicate counts (the batch endpoint); otherwise
	// a 201 is one new event and a 200 one duplicate (the single endpoint, reference 1.7).
	Batch bool
}

// Source is the bodies a phase cycles through; each worker walks them from its own starting point
// and renders them with its own buffer and ids.
type Source struct {
	Payloads []*Payload
}

// Generator sends requests over one keep-alive HTTP/1.1 client.
type Generator struct {
	client *http.Client
	run    uint64 // random prefix of every id this run generates
	phases atomic.Uint64
}

// NewGenerator returns a generator whose transport keeps up to maxConns idle connections per host.
func NewGenerator(maxConns int, run uint64) *Generator {
	tr := &http.Transport{
		Proxy:               nil, // loopback only; never an environment proxy
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        0,
		MaxIdleConnsPerHost: maxConns,
		IdleConnTimeout:     2 * time.Minute,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
		WriteBufferSize:     64 << 10,
		ReadBufferSize:      16 << 10,
	}
	return &Generator{client: &http.Client{Transport: tr, Timeout: 60 * time.Second}, run: run}
}

// CloseIdle closes the generator's idle connections (between phases that target other servers).
func (g *Generator) CloseIdle() { g.client.CloseIdleConnections() }

// worker is one sending goroutine's state: nothing in it is shared.
type worker struct {
	cursor int
	buf    []byte
	ids    *idSource
	header http.Header
	resp   bytes.Buffer
	window counts // requests that completed inside the measured window
	total  counts // every request of the phase, warm-up and tail included (for durability)
	lag    []time.Duration
}

func (g *Generator) newWorkers(t *Target, n, payloads int) []*worker {
	phase := g.phases.Add(1)
	ws := make([]*worker, n)
	for i := range ws {
		ws[i] = &worker{
			cursor: (i * 7919) % payloads,                // workers start at different places in the deck
			ids:    newIDSource(g.run, phase, uint64(i)), //nolint:gosec // i < n, a small positive number
			header: t.Header.Clone(),
		}
		ws[i].window.init()
		ws[i].total.init()
	}
	return ws
}

// counts are what a phase (or its window) did.
type counts struct {
	Requests   int64
	Status     []int64 // by HTTP status code
	Errors     int64   // transport errors: no response
	NewEvents  int64   // events acknowledged as newly stored
	Duplicates int64   // events acknowledged as repeats
	// ByTable splits NewEvents by the table they must be in; Unattributed are new events of
	// responses that also acknowledged duplicates, whose split is unknown.
	ByTable      [nTables]int64
	Unattributed int64
	BytesSent    int64
	Latencies    []time.Duration
	LastDone     time.Time // when the last of these requests completed
	Samples      []string
}

func (c *counts) init() { c.Status = make([]int64, 600) }

// maxSamples is how many failed answers each worker keeps for the report.
const maxSamples = 3

// record adds one request: p was sent, the server answered status (or err), acknowledging n new
// events and dup duplicates, lat after it was sent (or scheduled), at done.
func (c *counts) record(p *Payload, status int, err error, n, dup int64, lat time.Duration, done time.Time, body []byte) {
	c.Requests++
	if done.After(c.LastDone) {
		c.LastDone = done
	}
	c.BytesSent += int64(len(p.Body))
	c.Latencies = append(c.Latencies, lat)
	switch {
	case err != nil:
		c.Errors++
		if len(c.Samples) < maxSamples {
			c.Samples = append(c.Samples, "transport error: "+err.Error())
		}
		return
	case status >= 0 && status < len(c.Status):
		c.Status[status]++
	}
	if status/100 == 2 {
		c.NewEvents += n
		c.Duplicates += dup
		if n == int64(p.Events) {
			for i, k := range p.Tables {
				c.ByTable[i] += int64(k)
			}
		} else {
			c.Unattributed += n
		}
	} else if len(c.Samples) < maxSamples {
		c.Samples = append(c.Samples, fmt.Sprintf("HTTP %d: %.300s", status, body))
	}
}

func (c *counts) merge(o *counts) {
	c.Requests += o.Requests
	for i, v := range o.Status {
		c.Status[i] += v
	}
	c.Errors += o.Errors
	c.NewEvents += o.NewEvents
	c.Duplicates += o.Duplicates
	for i, v := range o.ByTable {
		c.ByTable[i] += v
	}
	c.Unattributed += o.Unattributed
	if o.LastDone.After(c.LastDone) {
		c.LastDone = o.LastDone
	}
	c.BytesSent += o.BytesSent
	c.Latencies = append(c.Latencies, o.Latencies...)
	for _, s := range o.Samples {
		if len(c.Samples) < maxSamples*2 {
			c.Samples = append(c.Samples, s)
		}
	}
}

// ok is the number of 2xx responses.
func (c *counts) ok() int64 {
	var n int64
	for i := 200; i < 300; i++ {
		n += c.Status[i]
	}
	return n
}

// non2xx maps every status other than 2xx to its count.
func (c *counts) non2xx() map[string]int64 {
	out := map[string]int64{}
	for code, n := range c.Status {
		if n > 0 && code/100 != 2 {
			out[fmt.Sprint(code)] = n
		}
	}
	return out
}

// RunResult is the raw outcome of one load phase.
type RunResult struct {
	Target      string
	Mode        string // "closed" or "open"
	Workers     int
	Rate        float64 // offered events/s, open loop only
	Start       time.Time
	WindowStart time.Time
	WindowEnd   time.Time
	Window      counts
	Total       counts
	SendLag     []time.Duration // open loop: how late each request left, against its schedule
	// Unsent counts open-loop requests of the window never sent because the server fell so far
	// behind that the phase hit its deadline (openLoopGrace after the window).
	Unsent int64
}

// openLoopGrace is how long an open loop may run past its window to catch up with its schedule.
const openLoopGrace = 10 * time.Second

// RunClosed runs a closed loop: each of n workers sends its next request as soon as the previous
// one is answered. The window [warmup, warmup+duration) is measured; requests still in flight at
// its end complete and count towards Total only.
func (g *Generator) RunClosed(ctx context.Context, t *Target, src *Source, n int, warmup, duration time.Duration) *RunResult {
	start := time.Now()
	res := &RunResult{Target: t.Name, Mode: "closed", Workers: n, Start: start,
		WindowStart: start.Add(warmup), WindowEnd: start.Add(warmup + duration)}
	ws := g.newWorkers(t, n, len(src.Payloads))
	var wg sync.WaitGroup
	for _, w := range ws {
		wg.Go(func() {
			for ctx.Err() == nil {
				sent := time.Now()
				if !sent.Before(res.WindowEnd) {
					return
				}
				g.send(ctx, t, src, w, sent, res)
			}
		})
	}
	wg.Wait()
	res.collect(ws)
	return res
}

// RunOpen runs an open loop at rate requests/s: request i is scheduled at start + i/rate whatever
// happened to the others, and its latency runs from that scheduled time, so a slow server cannot
// slow the generator down and hide its own stalls (no coordinated omission). n workers take the
// schedule in turn; if all are busy, requests wait and that wait counts as latency. Requests not
// sent by openLoopGrace after the window are abandoned and counted as Unsent.
func (g *Generator) RunOpen(ctx context.Context, t *Target, src *Source, rate float64, n int, warmup, duration time.Duration) *RunResult {
	start := time.Now().Add(20 * time.Millisecond)
	res := &RunResult{Target: t.Name, Mode: "open", Workers: n, Rate: rate, Start: start,
		WindowStart: start.Add(warmup), WindowEnd: start.Add(warmup + duration)}
	total := int64((warmup + duration).Seconds() * rate)
	perRequest := float64(time.Second) / rate
	ws := g.newWorkers(t, n, len(src.Payloads))
	deadline := res.WindowEnd.Add(openLoopGrace)
	var next, unsent atomic.Int64
	var wg sync.WaitGroup
	for _, w := range ws {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if i >= total {
					return
				}
				scheduled := start.Add(time.Duration(float64(i) * perRequest))
				if time.Now().After(deadline) {
					if scheduled.Before(res.WindowEnd) && !scheduled.Before(res.WindowStart) {
						unsent.Add(1)
					}
					continue
				}
				if d := time.Until(scheduled); d > 0 {
					time.Sleep(d)
				}
				sent := time.Now()
				w.lag = append(w.lag, sent.Sub(scheduled))
				g.send(ctx, t, src, w, scheduled, res)
			}
		})
	}
	wg.Wait()
	res.collect(ws)
	res.Unsent = unsent.Load()
	for _, w := range ws {
		res.SendLag = append(res.SendLag, w.lag...)
	}
	return res
}

// send posts the worker's next body and records the outcome. from is where latency is measured
// from (the send time, or the scheduled time in an open loop). A closed-loop request belongs to
// the window when it completes inside it; an open-loop one when it was scheduled inside it.
func (g *Generator) send(ctx context.Context, t *Target, src *Source, w *worker, from time.Time, res *RunResult) {
	p := src.Payloads[w.cursor%len(src.Payloads)]
	w.cursor++
	body := p.Render(&w.buf, w.ids)
	status, err := g.post(ctx, t, w, body)
	done := time.Now()
	if err != nil && ctx.Err() != nil {
		return // interrupted: not the server's fault
	}
	newEvents, dups := int64(0), int64(0)
	if err == nil && status/100 == 2 {
		newEvents, dups = acknowledged(t, status, p.Events, w.resp.Bytes())
	}
	lat := done.Sub(from)
	w.total.record(p, status, err, newEvents, dups, lat, done, w.resp.Bytes())
	at := done
	if res.Mode == "open" {
		at = from
	}
	if !at.Before(res.WindowStart) && at.Before(res.WindowEnd) {
		w.window.record(p, status, err, newEvents, dups, lat, done, w.resp.Bytes())
	}
}

// post sends one request and reads the whole response into the worker's buffer.
func (g *Generator) post(ctx context.Context, t *Target, w *worker, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header = w.header
	resp, err := g.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	w.resp.Reset()
	if _, err := w.resp.ReadFrom(resp.Body); err != nil {
		return 0, fmt.Errorf("reading the response: %w", err)
	}
	return resp.StatusCode, nil
}

// acknowledged returns how many events a 2xx response acknowledges as new and as duplicates.
func acknowledged(t *Target, status, events int, body []byte) (newEvents, dups int64) {
	if !t.Batch {
		if status == http.StatusOK {
			return 0, 1
		}
		return 1, 0
	}
	var r struct {
		Accepted   *int64 `json:"accepted"`
		Duplicates int64  `json:"duplicates"`
	}
	if err := json.Unmarshal(body, &r); err != nil || r.Accepted == nil {
		return int64(events), 0 // a 2xx without counts: take it as all new, durability will tell
	}
	return *r.Accepted - r.Duplicates, r.Duplicates
}

func (r *RunResult) collect(ws []*worker) {
	r.Window.init()
	r.Total.init()
	for _, w := range ws {
		r.Window.merge(&w.window)
		r.Total.merge(&w.total)
	}
}

// WindowSeconds is the length of the measured window.
func (r *RunResult) WindowSeconds() float64 { return r.WindowEnd.Sub(r.WindowStart).Seconds() }

// ServedSeconds is how long the server took to answer the window's requests: the window itself
// for a closed loop (which counts completions inside it), and from the window's start to the last
// answer for an open loop, so that a server falling behind the schedule shows a lower rate.
func (r *RunResult) ServedSeconds() float64 {
	if r.Mode != "open" || r.Window.LastDone.Before(r.WindowEnd) {
		return r.WindowSeconds()
	}
	return r.Window.LastDone.Sub(r.WindowStart).Seconds()
}

// Latency summarises latencies, in milliseconds.
type Latency struct {
	Count  int     `json:"count"`
	MeanMS float64 `json:"mean_ms"`
	P50MS  float64 `json:"p50_ms"`
	P90MS  float64 `json:"p90_ms"`
	P99MS  float64 `json:"p99_ms"`
	P999MS float64 `json:"p99_9_ms"`
	MaxMS  float64 `json:"max_ms"`
}

// summarize sorts lat in place and returns its percentiles (nearest rank).
func summarize(lat []time.Duration) Latency {
	if len(lat) == 0 {
		return Latency{}
	}
	slices.Sort(lat)
	var sum float64
	for _, v := range lat {
		sum += float64(v)
	}
	q := func(p float64) float64 {
		i := int(p*float64(len(lat))+0.999999) - 1
		return ms(lat[max(0, min(i, len(lat)-1))])
	}
	return Latency{Count: len(lat), MeanMS: sum / float64(len(lat)) / 1e6, P50MS: q(0.50), P90MS: q(0.90),
		P99MS: q(0.99), P999MS: q(0.999), MaxMS: ms(lat[len(lat)-1])}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
