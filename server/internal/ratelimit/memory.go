package ratelimit

import (
	"hash/maphash"
	"sync"
	"time"
)

// memoryStore holds fixed-window counters in process: a map per shard, each behind its own mutex,
// keyed by a 64-bit hash of (kind, scope, identity). An entry keeps only its current window; a
// request in a later window starts it afresh. Expired entries are swept lazily, and a shard that is
// still full after a sweep forgets arbitrary entries, so memory stays bounded whatever the number of
// identities (a forgotten counter starts again from zero, which only a flood of distinct identities
// can cause).
type memoryStore struct {
	seed   maphash.Seed
	max    int // entries per shard
	shards [memoryShards]memoryShard
}

const (
	memoryShards = 64
	// sweepEvery is how often, in seconds, a shard drops its expired entries.
	sweepEvery = 10
	// defaultMaxEntries is the default bound on all shards together.
	defaultMaxEntries = 1 << 19
)

type memoryShard struct {
	mu        sync.Mutex
	entries   map[uint64]memoryEntry
	nextSweep int64 // Unix seconds
}

type memoryEntry struct {
	start, end int64 // the window, Unix seconds
	count      int64
}

func newMemoryStore(maxEntries int) *memoryStore {
	if maxEntries <= 0 {
		maxEntries = defaultMaxEntries
	}
	m := &memoryStore{seed: maphash.MakeSeed(), max: max(maxEntries/memoryShards, 16)}
	for i := range m.shards {
		m.shards[i].entries = map[uint64]memoryEntry{}
	}
	return m
}

// incr adds amount to w's counter and returns the new count.
func (m *memoryStore) incr(w window, amount int64, now time.Time) int64 {
	var h maphash.Hash
	h.SetSeed(m.seed)
	h.WriteString(string(w.kind))
	h.WriteByte(0)
	h.WriteString(w.scope)
	h.WriteByte(0)
	h.WriteString(w.identity)
	key := h.Sum64()
	s := &m.shards[key%memoryShards]
	nowSec := now.Unix()

	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[key]
	if nowSec >= s.nextSweep || !ok && len(s.entries) >= m.max {
		s.sweep(nowSec, m.max)
		e, ok = s.entries[key]
	}
	if !ok || e.start != w.start {
		e = memoryEntry{start: w.start, end: w.start + w.period}
	}
	e.count += amount
	s.entries[key] = e
	return e.count
}

// sweep drops expired entries and, if the shard is still full, arbitrary ones down to 7/8 of max.
func (s *memoryShard) sweep(now int64, maxEntries int) {
	s.nextSweep = now + sweepEvery
	for k, e := range s.entries {
		if e.end <= now {
			delete(s.entries, k)
		}
	}
	for k := range s.entries { // map iteration order is unspecified: these are arbitrary entries
		if len(s.entries) < maxEntries*7/8 {
			break
		}
		delete(s.entries, k)
	}
}

// reset forgets every counter.
func (m *memoryStore) reset() {
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.Lock()
		clear(s.entries)
		s.mu.Unlock()
	}
}

// size is the number of entries held, for tests.
func (m *memoryStore) size() int {
	n := 0
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.Lock()
		n += len(s.entries)
		s.mu.Unlock()
	}
	return n
}
