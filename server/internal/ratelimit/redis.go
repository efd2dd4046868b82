package ratelimit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisStore keeps the counters in Redis, shared by every instance. Keys are the reference's:
// <prefix><kind>:<scope>:<sha256(identity)>:<window_start>, expiring period+5 s after they are
// created.
//
// Concurrent checks share round trips: each check is queued, and at most maxPipelines dispatchers
// send whatever is queued as one pipeline (up to maxPipeline scripts) and hand every check its
// count. A check still costs one round trip of waiting, but the syscalls and Redis's per-request
// work are paid once per pipeline instead of once per check, which is what keeps Redis-backed
// limits cheap under load.
type redisStore struct {
	client *redis.Client
	prefix string

	mu       sync.Mutex
	pending  []*redisCall
	inFlight int // dispatchers running
}

// redisCall is one queued check of one or more counters.
type redisCall struct {
	ctx  context.Context
	keys []string
	args []any // per key: the amount, the TTL in milliseconds and the limit
	n    []int64
	err  error
	done chan struct{}
}

const (
	// maxPipelines is how many pipelines may be in flight at once.
	maxPipelines = 2
	// maxPipeline bounds the scripts of one pipeline.
	maxPipeline = 256
	// pipelineTimeout bounds one pipeline, beyond the client's own read and write timeouts.
	pipelineTimeout = time.Second
)

// incrScript adds ARGV[3i-2] to the counters KEYS[i] in order and returns their new counts,
// stopping after the first count over its limit ARGV[3i]; a new counter (or one that somehow has
// no expiry) expires after ARGV[3i-1] milliseconds.
var incrScript = redis.NewScript(`
local counts = {}
for i, key in ipairs(KEYS) do
	local amount = ARGV[3 * i - 2]
	local n = redis.call('INCRBY', key, amount)
	if n == tonumber(amount) or redis.call('PTTL', key) < 0 then
		redis.call('PEXPIRE', key, ARGV[3 * i - 1])
	end
	counts[i] = n
	if n > tonumber(ARGV[3 * i]) then
		break
	end
end
return counts
`)

// keyGrace is how long a counter outlives its window, as in the reference.
const keyGrace = 5 * time.Second

func newRedisStore(client *redis.Client, prefix string) *redisStore {
	return &redisStore{client: client, prefix: prefix}
}

// key is the counter's Redis key.
func (r *redisStore) key(w window) string {
	sum := sha256.Sum256([]byte(w.identity))
	b := make([]byte, 0, len(r.prefix)+len(w.kind)+len(w.scope)+2*len(sum)+24)
	b = append(b, r.prefix...)
	b = append(b, w.kind...)
	b = append(b, ':')
	b = append(b, w.scope...)
	b = append(b, ':')
	b = hex.AppendEncode(b, sum[:])
	b = append(b, ':')
	b = strconv.AppendInt(b, w.start, 10)
	return string(b)
}

// incr adds amounts[i] to the counter of ws[i] in order, and returns the new counts, stopping after
// the first count over its limit. If ctx ends first it returns ctx's error (the increments may
// still be sent).
func (r *redisStore) incr(ctx context.Context, ws []window, amounts, limits []int64) ([]int64, error) {
	c := &redisCall{ctx: ctx, keys: make([]string, len(ws)), args: make([]any, 0, 3*len(ws)), done: make(chan struct{})}
	for i, w := range ws {
		ttl := time.Duration(w.period)*time.Second + keyGrace
		c.keys[i] = r.key(w)
		c.args = append(c.args, amounts[i], ttl.Milliseconds(), limits[i])
	}
	r.mu.Lock()
	r.pending = append(r.pending, c)
	if r.inFlight < maxPipelines {
		r.inFlight++
		go r.dispatch()
	}
	r.mu.Unlock()
	select {
	case <-c.done:
		return c.n, c.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// dispatch sends the queued checks, a pipeline at a time, until none is left.
func (r *redisStore) dispatch() {
	for {
		r.mu.Lock()
		n := min(len(r.pending), maxPipeline)
		if n == 0 {
			r.inFlight--
			r.mu.Unlock()
			return
		}
		batch := r.pending[:n:n]
		r.pending = r.pending[n:]
		r.mu.Unlock()
		r.send(batch)
	}
}

// send runs one pipeline of checks and answers each of them.
func (r *redisStore) send(batch []*redisCall) {
	live := batch[:0:0]
	for _, c := range batch {
		if err := c.ctx.Err(); err != nil { // given up by its request: not worth counting
			c.err = err
			close(c.done)
			continue
		}
		live = append(live, c)
	}
	if len(live) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), pipelineTimeout)
	defer cancel()
	cmds, err := r.exec(ctx, live)
	if err != nil && redis.HasErrorPrefix(err, "NOSCRIPT") {
		// Redis lost its script cache (a restart, SCRIPT FLUSH): load the script and send again.
		// Nothing was counted: every call of the pipeline failed the same way.
		if err = incrScript.Load(ctx, r.client).Err(); err == nil {
			cmds, err = r.exec(ctx, live)
		}
	}
	for i, c := range live {
		switch {
		case cmds != nil && cmds[i].Err() == nil:
			c.n, c.err = cmds[i].Int64Slice()
			if c.err == nil && (len(c.n) == 0 || len(c.n) > len(c.keys)) {
				c.err = fmt.Errorf("ratelimit: redis answered %d counts for %d counters", len(c.n), len(c.keys))
			}
		case cmds != nil && cmds[i].Err() != nil:
			c.err = fmt.Errorf("ratelimit: redis: %w", cmds[i].Err())
		default:
			c.err = fmt.Errorf("ratelimit: redis: %w", err)
		}
		close(c.done)
	}
}

func (r *redisStore) exec(ctx context.Context, calls []*redisCall) ([]*redis.Cmd, error) {
	pipe := r.client.Pipeline()
	cmds := make([]*redis.Cmd, len(calls))
	for i, c := range calls {
		cmds[i] = incrScript.EvalSha(ctx, pipe, c.keys, c.args...)
	}
	_, err := pipe.Exec(ctx)
	return cmds, err
}

// NewRedisClient returns a client for the rate-limit counters from a redis://, rediss:// or unix://
// URL. Unless the URL sets them, its timeouts are short (dial 250 ms, read and write 200 ms, one
// dial attempt, no retries), so that an unreachable Redis delays a request by a fraction of a second
// at most before the in-process counters take over.
func NewRedisClient(url string) (*redis.Client, error) {
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("ratelimit: invalid Redis URL: %w", err)
	}
	if opts.DialTimeout == 0 {
		opts.DialTimeout = 250 * time.Millisecond
	}
	if opts.ReadTimeout == 0 {
		opts.ReadTimeout = 200 * time.Millisecond
	}
	if opts.WriteTimeout == 0 {
		opts.WriteTimeout = 200 * time.Millisecond
	}
	if opts.PoolTimeout == 0 {
		opts.PoolTimeout = 250 * time.Millisecond
	}
	if opts.MaxRetries == 0 {
		opts.MaxRetries = -1
	}
	opts.DialerRetries = 1
	opts.ContextTimeoutEnabled = true
	return redis.NewClient(opts), nil
}
