package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// serverProcess is a running `logister serve`.
type serverProcess struct {
	cmd     *exec.Cmd
	BaseURL string
	// DebugURL is the server's pprof listener, when started with one.
	DebugURL string
	LogPath  string
	exited   chan struct{}
	waitErr  error
}

// serverEnv is the server's whole environment: only what the benchmark decides, so that a
// REDIS_URL or LOGISTER_* variable of the caller's shell cannot change what is measured.
func serverEnv(dbURL, dataDir string, extra ...string) []string {
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "DATABASE_URL=" + dbURL,
		"LOGISTER_DATA_DIR=" + dataDir,
		// The benchmark measures the write path, so the rate limits must never refuse it; each
		// request is still counted (in process), as in production.
		"LOGISTER_PUBLIC_API_RATE_LIMIT_REQUESTS=1000000000", "LOGISTER_PUBLIC_API_PRE_AUTH_RATE_LIMIT_REQUESTS=1000000000"}
	return append(env, extra...)
}

// startServer starts binary serve on a free loopback port with env added to serverEnv's, its log
// going to a file in dir. With debug, the server also serves pprof profiles on another free port
// (DebugURL).
func startServer(binary, dbURL, dir string, env []string, debug bool) (*serverProcess, error) {
	port, err := freePort(context.Background())
	if err != nil {
		return nil, err
	}
	var debugURL string
	if debug {
		debugPort, err := freePort(context.Background())
		if err != nil {
			return nil, err
		}
		debugAddr := net.JoinHostPort("127.0.0.1", strconv.Itoa(debugPort))
		env, debugURL = append(env, "LOGISTER_DEBUG_ADDR="+debugAddr), "http://"+debugAddr
	}
	logPath := filepath.Join(dir, "server.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close() // the child has its own descriptor
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	// Not CommandContext: Stop ends the server with SIGTERM, so that it drains like in production.
	cmd := exec.Command(binary, "serve") //nolint:noctx,gosec // running the given binary is the tool's purpose
	cmd.Env = serverEnv(dbURL, filepath.Join(dir, "data"), append(env, "LOGISTER_LISTEN_ADDR="+addr)...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // a terminal's Ctrl-C reaches the bench first
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", binary, err)
	}
	s := &serverProcess{cmd: cmd, BaseURL: "http://" + addr, DebugURL: debugURL, LogPath: logPath, exited: make(chan struct{})}
	go func() {
		s.waitErr = cmd.Wait()
		close(s.exited)
	}()
	return s, nil
}

// PID is the server's process id.
func (s *serverProcess) PID() int { return s.cmd.Process.Pid }

// Exited reports whether the server process has ended.
func (s *serverProcess) Exited() bool {
	select {
	case <-s.exited:
		return true
	default:
		return false
	}
}

// WaitReady polls GET /health/ready until it answers 200.
func (s *serverProcess) WaitReady(ctx context.Context, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.BaseURL+"/health/ready", http.NoBody) //nolint:gosec // our own server on loopback
		if err != nil {
			return err
		}
		if resp, err := client.Do(req); err == nil { //nolint:gosec // same
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-s.exited:
			return fmt.Errorf("the server exited before it was ready (%w); its log ends with:\n%s", s.waitErr, s.LogTail(20))
		case <-ctx.Done():
			return fmt.Errorf("the server was not ready within %s; its log ends with:\n%s", timeout, s.LogTail(20))
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Stop sends SIGTERM and waits for a graceful exit, killing the server after timeout.
func (s *serverProcess) Stop(timeout time.Duration) error {
	if s.Exited() {
		return s.waitErr
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
		return s.waitErr
	case <-time.After(timeout):
		_ = s.cmd.Process.Kill()
		<-s.exited
		return fmt.Errorf("the server did not stop within %s after SIGTERM and was killed", timeout)
	}
}

// LogTail returns the last n lines of the server's log.
func (s *serverProcess) LogTail(n int) string {
	b, _ := os.ReadFile(s.LogPath) //nolint:gosec // the log file this process created
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// runCLI runs binary with args against dbURL and returns its trimmed stdout.
func runCLI(ctx context.Context, binary, dbURL, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, binary, args...) //nolint:gosec // the server's own CLI
	cmd.Env = serverEnv(dbURL, filepath.Join(dir, "data"), "LOGISTER_LOG_LEVEL=warn")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("logister %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	out := strings.TrimSpace(stdout.String())
	if out == "" {
		return "", fmt.Errorf("logister %s printed nothing", strings.Join(args, " "))
	}
	return out, nil
}

// freePort asks the kernel for a free loopback port.
func freePort(ctx context.Context) (int, error) {
	l, err := (&net.ListenConfig{}).Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// buildServer compiles the server from the module at root into dir and returns the binary's path.
func buildServer(ctx context.Context, root, dir string) (string, error) {
	out := filepath.Join(dir, "logister")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", out, "./server/cmd/logister")
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./server/cmd/logister: %w\n%s", err, b)
	}
	return out, nil
}

// commandOutput runs a command and returns its trimmed output, or "" if it fails.
func commandOutput(ctx context.Context, name string, args ...string) string {
	b, err := exec.CommandContext(ctx, name, args...).Output() //nolint:gosec // fixed commands (go version, logister version)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// Profile fetches a CPU profile of the server: it waits for delay, profiles for d, and writes the
// profile to path. It runs in the background; wait for the returned channel.
func (s *serverProcess) Profile(ctx context.Context, delay, d time.Duration, path string) <-chan error {
	done := make(chan error, 1)
	go func() {
		select {
		case <-ctx.Done():
			done <- ctx.Err()
			return
		case <-time.After(delay):
		}
		url := fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", s.DebugURL, max(1, int(d.Round(time.Second)/time.Second)))
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			done <- err
			return
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- err
			return
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			done <- fmt.Errorf("profiling the server: %s", resp.Status)
			return
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			done <- err
			return
		}
		f, err := os.Create(path) //nolint:gosec // the operator's chosen path
		if err != nil {
			done <- err
			return
		}
		_, err = io.Copy(f, resp.Body)
		done <- errors.Join(err, f.Close())
	}()
	return done
}
