// Package testredis connects tests to a real Redis server: TEST_REDIS_URL, default
// redis://127.0.0.1:6379/0. An unreachable server fails the test with a message saying so.
package testredis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// DefaultURL is used when TEST_REDIS_URL is unset.
const DefaultURL = "redis://127.0.0.1:6379/0"

// URL is the test server's URL.
func URL() string {
	if u := os.Getenv("TEST_REDIS_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// Client is a connected client plus a key prefix unique to the test; every key the test writes
// should start with Prefix, and those keys are deleted when the test ends.
type Client struct {
	*redis.Client
	Prefix string
}

// New connects to the test server.
func New(t testing.TB) *Client {
	t.Helper()
	opts, err := redis.ParseURL(URL())
	if err != nil {
		t.Fatalf("testredis: TEST_REDIS_URL: %v", err)
	}
	rdb := redis.NewClient(opts)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		_ = rdb.Close()
		t.Fatalf("testredis: Redis is not reachable at %s: %v\n"+
			"The tests need a real Redis server: start one (see README, `make services`) or set TEST_REDIS_URL", URL(), err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	c := &Client{Client: rdb, Prefix: "test:" + hex.EncodeToString(b) + ":"}
	t.Cleanup(func() {
		ctx := context.Background()
		iter := rdb.Scan(ctx, 0, c.Prefix+"*", 100).Iterator()
		for iter.Next(ctx) {
			rdb.Del(ctx, iter.Val())
		}
		_ = rdb.Close()
	})
	return c
}
