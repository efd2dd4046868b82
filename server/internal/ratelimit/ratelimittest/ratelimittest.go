// Package ratelimittest runs a private, disposable redis-server for tests that must stop Redis and
// start it again, which the shared test server (testredis) must never be. It needs redis-server on
// PATH; without it the test fails with a message saying so.
package ratelimittest

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is a redis-server on 127.0.0.1, owned by one test.
type Redis struct {
	t    testing.TB
	port int
	cmd  *exec.Cmd
	done chan struct{}
}

// StartRedis starts a redis-server on a free port without persistence; it is killed when the test
// ends.
func StartRedis(t testing.TB) *Redis {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Fatalf("ratelimittest: redis-server is not on PATH (Debian: apt-get install redis-server): %v", err)
	}
	var lc net.ListenConfig
	l, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("ratelimittest: find a free port: %v", err)
	}
	r := &Redis{t: t, port: l.Addr().(*net.TCPAddr).Port}
	_ = l.Close()
	r.Start()
	t.Cleanup(r.Kill)
	return r
}

// URL is the server's redis:// URL.
func (r *Redis) URL() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", r.port) }

// Start starts the server (again, on the same port) and waits until it answers.
func (r *Redis) Start() {
	r.t.Helper()
	if r.cmd != nil {
		r.t.Fatal("ratelimittest: redis-server is already running")
	}
	// Not tied to a context: Kill stops it, at the moment the test chooses.
	cmd := exec.CommandContext(context.Background(), "redis-server", "--port", strconv.Itoa(r.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning")
	if err := cmd.Start(); err != nil {
		r.t.Fatalf("ratelimittest: start redis-server: %v", err)
	}
	r.cmd, r.done = cmd, make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(r.done)
	}()
	rdb := redis.NewClient(&redis.Options{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(r.port)), MaxRetries: -1})
	defer rdb.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		err := rdb.Ping(ctx).Err()
		cancel()
		if err == nil {
			return
		}
		select {
		case <-r.done:
			r.t.Fatalf("ratelimittest: redis-server on port %d exited at start", r.port)
		default:
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("ratelimittest: redis-server on port %d did not answer within 10s: %v", r.port, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Kill stops the server with SIGKILL, as a crash would, and waits until it is gone.
func (r *Redis) Kill() {
	if r.cmd == nil {
		return
	}
	_ = r.cmd.Process.Kill()
	<-r.done
	r.cmd = nil
}

// Trips counts a Redis client's round trips, a single command or a pipeline each. Add it with
// client.AddHook.
type Trips struct{ n atomic.Int64 }

// Count is the number of round trips so far.
func (h *Trips) Count() int64 { return h.n.Load() }

// DialHook passes dials through.
func (h *Trips) DialHook(next redis.DialHook) redis.DialHook { return next }

// ProcessHook counts a single command.
func (h *Trips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		h.n.Add(1)
		return next(ctx, cmd)
	}
}

// ProcessPipelineHook counts a pipeline once.
func (h *Trips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		h.n.Add(1)
		return next(ctx, cmds)
	}
}
