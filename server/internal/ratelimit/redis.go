package ratelimit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisStore keeps the counters in Redis, shared by every instance. Keys are the reference's:
// <prefix><kind>:<scope>:<sha256(identity)>:<window_start>, expiring period+5 s after they are
// created.
type redisStore struct {
	client *redis.Client
	prefix string
}

// incrScript adds ARGV[1] to the counter KEYS[1] and returns the new count; a new counter (or one
// that somehow has no expiry) expires after ARGV[2] milliseconds. EVALSHA makes it one round trip.
var incrScript = redis.NewScript(`
local n = redis.call('INCRBY', KEYS[1], ARGV[1])
if n == tonumber(ARGV[1]) or redis.call('PTTL', KEYS[1]) < 0 then
	redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return n
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

// incr adds amount to w's counter and returns the new count.
func (r *redisStore) incr(ctx context.Context, w window, amount int64) (int64, error) {
	ttl := time.Duration(w.period)*time.Second + keyGrace
	n, err := incrScript.Run(ctx, r.client, []string{r.key(w)}, amount, ttl.Milliseconds()).Int64()
	if err != nil {
		return 0, fmt.Errorf("ratelimit: redis: %w", err)
	}
	return n, nil
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
