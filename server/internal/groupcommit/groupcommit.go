// Package groupcommit lets many concurrent requests share database transactions. Each request
// hands its records to Write and waits; a few committer goroutines take whatever is queued (up to
// a batch limit), write it in one transaction, and answer every waiting request. Throughput grows
// with the batch size while latency stays close to one commit, and because several batches are in
// flight at once, no request waits for a single writer. A request's records are never split across
// transactions, so a request is all-or-nothing.
package groupcommit

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/logister/logister/server/internal/store"
)

// Writer writes one batch of records in one transaction.
type Writer interface {
	WriteBatch(ctx context.Context, records []*store.Record) ([]store.WriteResult, error)
}

// Options tune a Committer. Zero values take the defaults.
type Options struct {
	// Committers is how many transactions may be in flight at once (default 4).
	Committers int
	// MaxBatch is the most records one transaction takes (default 1000); a larger request still
	// goes in whole, alone.
	MaxBatch int
	// Timeout bounds one transaction (default 30s).
	Timeout time.Duration
	// Observe, when set, is told the size and duration of every committed batch.
	Observe func(records int, took time.Duration, err error)
}

// ErrClosed is returned by Write after Close.
var ErrClosed = errors.New("groupcommit: closed")

// Committer batches concurrent writes.
type Committer struct {
	w     Writer
	opts  Options
	queue chan *pending

	mu     sync.RWMutex // guards closed against Write's send
	closed bool
	wg     sync.WaitGroup
}

type pending struct {
	records []*store.Record
	results []store.WriteResult
	err     error
	done    chan struct{}
}

// New starts a Committer on w. Call Close to stop it.
func New(w Writer, opts Options) *Committer {
	if opts.Committers <= 0 {
		opts.Committers = 4
	}
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 1000
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	c := &Committer{w: w, opts: opts, queue: make(chan *pending, 4*opts.MaxBatch)}
	for range opts.Committers {
		c.wg.Go(c.run)
	}
	return c
}

// Write stores records in one transaction, shared with other callers' records, and returns one
// result per record once the transaction is committed. If ctx ends first, Write returns ctx's
// error; the records may still be committed.
func (c *Committer) Write(ctx context.Context, records []*store.Record) ([]store.WriteResult, error) {
	if len(records) == 0 {
		return nil, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p := &pending{records: records, done: make(chan struct{})}
	c.mu.RLock()
	if c.closed {
		c.mu.RUnlock()
		return nil, ErrClosed
	}
	select {
	case c.queue <- p:
		c.mu.RUnlock()
	case <-ctx.Done():
		c.mu.RUnlock()
		return nil, ctx.Err()
	}
	select {
	case <-p.done:
		return p.results, p.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Close stops accepting writes, commits everything already queued, and waits for the committers.
func (c *Committer) Close() {
	c.mu.Lock()
	if !c.closed {
		c.closed = true
		close(c.queue)
	}
	c.mu.Unlock()
	c.wg.Wait()
}

func (c *Committer) run() {
	for first := range c.queue {
		batch := []*pending{first}
		n := len(first.records)
	fill:
		for n < c.opts.MaxBatch {
			select {
			case p, ok := <-c.queue:
				if !ok {
					break fill
				}
				batch = append(batch, p)
				n += len(p.records)
			default:
				break fill
			}
		}
		c.commit(batch, n)
	}
}

// commit writes a batch. When the shared transaction fails, each request is retried alone, so one
// request that the database refuses cannot fail the others.
func (c *Committer) commit(batch []*pending, n int) {
	defer func() {
		for _, p := range batch {
			close(p.done)
		}
	}()
	if len(batch) == 1 {
		batch[0].results, batch[0].err = c.write(batch[0].records)
		return
	}
	all := make([]*store.Record, 0, n)
	for _, p := range batch {
		all = append(all, p.records...)
	}
	results, err := c.write(all)
	if err != nil {
		for _, p := range batch {
			p.results, p.err = c.write(p.records)
		}
		return
	}
	for _, p := range batch {
		p.results, results = results[:len(p.records):len(p.records)], results[len(p.records):]
	}
}

func (c *Committer) write(records []*store.Record) ([]store.WriteResult, error) {
	ctx, cancel := context.WithTimeout(context.Background(), c.opts.Timeout)
	defer cancel()
	start := time.Now()
	results, err := c.w.WriteBatch(ctx, records)
	if c.opts.Observe != nil {
		c.opts.Observe(len(records), time.Since(start), err)
	}
	return results, err
}
