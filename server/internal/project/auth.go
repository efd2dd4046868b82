package project

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/store"
)

// Authenticator resolves ingest keys to their projects. Answers, including "no such key", are
// cached for CacheTTL, so a revoked key or an archived project stops working on every instance
// within that time without a database query per request.
type Authenticator struct {
	db bun.IDB
	// CacheTTL bounds how long a revocation takes to be noticed (default 2s).
	CacheTTL time.Duration
	// TouchInterval is how often last_used_at is written per key at most (default 5 minutes).
	TouchInterval time.Duration
	now           func() time.Time

	mu      sync.Mutex
	cache   map[string]cachedKey // by digest
	touched map[int64]time.Time  // by key id: when this process last wrote last_used_at
}

type cachedKey struct {
	key     *store.ActiveKey // nil: no usable key has this digest
	err     error            // when key is nil: errUnauthorized, or an *UnusableKeyError
	expires time.Time
}

// maxCached bounds the cache, which random bad tokens could otherwise grow without limit.
const maxCached = 50_000

// NewAuthenticator returns an Authenticator reading keys from db.
func NewAuthenticator(db bun.IDB) *Authenticator {
	return &Authenticator{
		db: db, CacheTTL: 2 * time.Second, TouchInterval: 5 * time.Minute, now: time.Now,
		cache: map[string]cachedKey{}, touched: map[int64]time.Time{},
	}
}

// errUnauthorized is the reference server's answer for every authentication failure.
var errUnauthorized = apperr.Unauthorized("Unauthorized")

// UnusableKeyError is the error for a key that exists but is revoked or whose project is archived.
// It is an apperr Unauthorized like every other failure (the client learns nothing more); it carries
// the project's rate-limit overrides, which govern the limit on failed authentications.
type UnusableKeyError struct {
	RateLimits store.RateLimitOverrides
}

func (e *UnusableKeyError) Error() string { return "unauthorized: key revoked or project archived" }

// Unwrap returns the apperr Unauthorized.
func (e *UnusableKeyError) Unwrap() error { return errUnauthorized }

// Cached reports whether Authenticate would answer for token from its cache, without the database.
func (a *Authenticator) Cached(token string) bool {
	if token == "" || len(token) > 256 {
		return true // refused at once
	}
	digest := Digest(token)
	a.mu.Lock()
	c, ok := a.cache[digest]
	a.mu.Unlock()
	return ok && !a.now().After(c.expires)
}

// Authenticate returns the active key whose plaintext is token.
//
// Errors: apperr Unauthorized when the token is empty or unknown; an *UnusableKeyError (also apperr
// Unauthorized) when the key is revoked or its project archived.
func (a *Authenticator) Authenticate(ctx context.Context, token string) (*store.ActiveKey, error) {
	if token == "" || len(token) > 256 {
		return nil, errUnauthorized
	}
	digest := Digest(token)
	now := a.now()

	a.mu.Lock()
	c, ok := a.cache[digest]
	a.mu.Unlock()
	if !ok || now.After(c.expires) {
		key, usable, err := store.FindKey(ctx, a.db, digest)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		c = cachedKey{key: key, err: errUnauthorized, expires: now.Add(a.CacheTTL)}
		if key != nil && !usable {
			c = cachedKey{err: &UnusableKeyError{RateLimits: key.RateLimits}, expires: c.expires}
		}
		a.mu.Lock()
		if len(a.cache) >= maxCached {
			clear(a.cache)
		}
		a.cache[digest] = c
		a.mu.Unlock()
	}
	if c.key == nil {
		return nil, c.err
	}
	if err := a.touch(ctx, c.key.KeyID, now); err != nil {
		return nil, err
	}
	return c.key, nil
}

// touch writes last_used_at when this process has not done so for TouchInterval; the query itself
// also skips the write when another instance did it recently.
func (a *Authenticator) touch(ctx context.Context, keyID int64, now time.Time) error {
	a.mu.Lock()
	last, ok := a.touched[keyID]
	due := !ok || now.Sub(last) >= a.TouchInterval
	if due {
		a.touched[keyID] = now
	}
	a.mu.Unlock()
	if !due {
		return nil
	}
	_, err := store.TouchAPIKey(ctx, a.db, keyID, a.TouchInterval)
	return err
}
