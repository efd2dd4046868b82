package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/testdb"
)

// binary is the logister binary built once for the end-to-end tests in this file.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "logister-bin-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "logister")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building logister:", err)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

func TestSubcommands(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	require.Equal(t, 0, run([]string{"version"}, &out, &errOut))
	require.True(t, strings.HasPrefix(out.String(), "logister "))

	out.Reset()
	require.Equal(t, 0, run([]string{"help"}, &out, &errOut))
	for _, name := range []string{"DATABASE_URL*", "PORT", "LOGISTER_DATA_DIR", "REDIS_URL*", "LOGISTER_LISTEN_ADDR"} {
		require.Contains(t, out.String(), name)
	}

	errOut.Reset()
	require.Equal(t, 2, run([]string{"frobnicate"}, &out, &errOut))
	require.Contains(t, errOut.String(), `unknown command "frobnicate"`)

	errOut.Reset()
	require.Equal(t, 2, run([]string{"serve", "extra"}, &out, &errOut))
	require.Contains(t, errOut.String(), `unexpected arguments`)
}

func TestInvalidConfigurationExitsWithEveryProblem(t *testing.T) {
	t.Parallel()
	cmd := exec.Command(binary, "serve")
	cmd.Env = []string{"PORT=eighty", "LOGISTER_LOG_LEVEL=loud"}
	out, err := cmd.CombinedOutput()
	var exitErr *exec.ExitError
	require.ErrorAs(t, err, &exitErr)
	require.Equal(t, 2, exitErr.ExitCode())
	require.Contains(t, string(out), `PORT: must be a whole number between 1 and 65535 (got "eighty")`)
	require.Contains(t, string(out), `LOGISTER_LOG_LEVEL: must be debug, info, warn or error (got "loud")`)
}

// process is a running `logister serve`.
type process struct {
	cmd    *exec.Cmd
	base   string
	mu     sync.Mutex
	stdout bytes.Buffer
	stderr bytes.Buffer
	done   chan error
}

func startServer(t *testing.T, env ...string) *process {
	t.Helper()
	addr := freeAddr(t)
	p := &process{base: "http://" + addr, done: make(chan error, 1)}
	p.cmd = exec.Command(binary, "serve")
	p.cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "LOGISTER_LISTEN_ADDR=" + addr, "LOGISTER_PUBLIC_URL=http://" + addr}, env...)
	p.cmd.Stdout = lockedWriter{&p.mu, &p.stdout}
	p.cmd.Stderr = lockedWriter{&p.mu, &p.stderr}
	require.NoError(t, p.cmd.Start())
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			_ = p.cmd.Process.Kill()
			<-p.done //nolint:errcheck // killed on purpose: the exit error is expected
		}
	})
	p.waitReady(t)
	return p
}

func (p *process) output() (stdout, stderr string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stdout.String(), p.stderr.String()
}

// waitReady polls /health/ready until it answers 200 or two minutes pass.
func (p *process) waitReady(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-p.done:
			_, stderr := p.output()
			t.Fatalf("logister exited before becoming ready: %v\n%s", err, stderr)
		default:
		}
		if res, err := http.Get(p.base + "/health/ready"); err == nil {
			_ = res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	_, stderr := p.output()
	t.Fatalf("logister was not ready within two minutes\n%s", stderr)
}

// stop sends SIGTERM and waits for a clean exit.
func (p *process) stop(t *testing.T) {
	t.Helper()
	require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case err := <-p.done:
		_, stderr := p.output()
		require.NoError(t, err, stderr)
	case <-time.After(30 * time.Second):
		t.Fatal("logister did not stop within 30s of SIGTERM")
	}
}

func (p *process) get(t *testing.T, path string) (int, string) {
	t.Helper()
	res, err := http.Get(p.base + path)
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res.StatusCode, string(body)
}

func TestZeroConfigStartAndRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for d := dir; d != os.TempDir() && d != "/"; d = filepath.Dir(d) {
		require.NoError(t, os.Chmod(d, 0o755)) // as root, the postgres user must reach the data dir
	}
	dataDir := filepath.Join(dir, "data")

	p := startServer(t, "LOGISTER_DATA_DIR="+dataDir)
	status, body := p.get(t, "/up")
	require.Equal(t, 200, status)
	require.JSONEq(t, `{"status":"ok"}`, body)
	status, body = p.get(t, "/api/v1/instance")
	require.Equal(t, 200, status)
	require.Contains(t, body, `"setupRequired":true`)
	status, _ = p.get(t, "/")
	require.Equal(t, 200, status)

	stdout, stderr := p.output()
	require.Contains(t, stdout, "is running at "+p.base)
	require.Contains(t, stdout, "Database: private PostgreSQL cluster in "+filepath.Join(dataDir, "postgres"))
	token := setupToken(t, stdout, p.base)
	status, body = p.get(t, "/api/v1/setup/"+token)
	require.Equal(t, 200, status, body)
	require.Contains(t, stderr, `"msg":"applied migrations"`)

	// Admin commands share the running server's private cluster, and leave it running.
	slug, _ := runCommand(t, 0, []string{"LOGISTER_DATA_DIR=" + dataDir}, "project", "create", "Zero Config App")
	require.Equal(t, "zero-config-app\n", slug)
	status, _ = p.get(t, "/health/ready")
	require.Equal(t, 200, status)
	p.stop(t)

	// The cluster stops with the server.
	conn, err := net.DialTimeout("tcp", clusterAddr(t, dataDir), time.Second)
	if err == nil {
		_ = conn.Close()
		t.Fatal("the private PostgreSQL cluster is still listening after the server stopped")
	}

	// A second start reuses the data directory: nothing to migrate, a new setup link.
	p = startServer(t, "LOGISTER_DATA_DIR="+dataDir)
	stdout, stderr = p.output()
	require.NotContains(t, stderr, `"msg":"applied migrations"`)
	require.NotContains(t, stderr, "creating private PostgreSQL cluster")
	status, _ = p.get(t, "/api/v1/setup/"+token)
	require.Equal(t, 404, status, "the first link is replaced by the new one")
	status, _ = p.get(t, "/api/v1/setup/"+setupToken(t, stdout, p.base))
	require.Equal(t, 200, status)
	p.stop(t)
}

func TestServeWithDatabaseURL(t *testing.T) {
	t.Parallel()
	p := startServer(t, "DATABASE_URL="+testdb.NewEmptyDatabase(t), "LOGISTER_DATA_DIR="+t.TempDir())
	status, body := p.get(t, "/health/ready")
	require.Equal(t, 200, status)
	require.Contains(t, body, `"status":"ready"`)
	stdout, _ := p.output()
	require.NotContains(t, stdout, "private PostgreSQL cluster")
	p.stop(t)
}

// runCommand runs the binary with env and returns stdout and stderr, requiring the exit code.
func runCommand(t *testing.T, wantCode int, env []string, args ...string) (string, string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH")}, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		code = exitErr.ExitCode()
	} else {
		require.NoError(t, err)
	}
	require.Equal(t, wantCode, code, "logister %v\nstdout: %s\nstderr: %s", args, stdout.String(), stderr.String())
	return stdout.String(), stderr.String()
}

func TestProjectAndKeyCommands(t *testing.T) {
	t.Parallel()
	dbURL := testdb.NewEmptyDatabase(t)
	env := []string{"DATABASE_URL=" + dbURL}

	out, _ := runCommand(t, 0, env, "project", "create", "My App", "--kind", "python")
	require.Equal(t, "my-app\n", out, "stdout holds the slug and nothing else")
	out, _ = runCommand(t, 0, env, "project", "create", "--kind=ruby", "My App")
	require.Equal(t, "my-app-2\n", out)

	key, _ := runCommand(t, 0, env, "key", "create", "my-app", "--name", "CI")
	require.Regexp(t, `^logister_[0-9a-f]{48}\n$`, key)
	key = strings.TrimSpace(key)
	prefixed, _ := runCommand(t, 0, append(env, "LOGISTER_API_KEY_PREFIX=acme"), "key", "create", "my-app-2")
	require.Regexp(t, `^acme_[0-9a-f]{48}\n$`, prefixed)

	// Only the digest is stored.
	db, err := sql.Open("pgx", dbURL)
	require.NoError(t, err)
	defer db.Close()
	sum := sha256.Sum256([]byte(key))
	var name, kind string
	require.NoError(t, db.QueryRow(`SELECT k.name, p.integration_kind FROM api_keys k JOIN projects p ON p.id = k.project_id
		WHERE k.token_digest = $1`, hex.EncodeToString(sum[:])).Scan(&name, &kind))
	require.Equal(t, "CI", name)
	require.Equal(t, "python", kind)
	var leaked bool
	require.NoError(t, db.QueryRow(`SELECT EXISTS (SELECT 1 FROM api_keys WHERE token_digest = $1 OR token_hint = $1)`, key).Scan(&leaked))
	require.False(t, leaked)

	_, stderr := runCommand(t, 1, env, "key", "create", "nope")
	require.Contains(t, stderr, `No project "nope".`)
	_, stderr = runCommand(t, 1, env, "project", "create", "X", "--kind", "cobol")
	require.Contains(t, stderr, "integrationKind: must be one of ruby, cfml")
	_, stderr = runCommand(t, 2, env, "project", "create")
	require.Contains(t, stderr, "usage: logister project create NAME [--kind KIND]")
	_, stderr = runCommand(t, 2, env, "key", "delete", "x")
	require.Contains(t, stderr, "usage: logister key create")
}

func TestProjectOwnersAndReferences(t *testing.T) {
	t.Parallel()
	dbURL := testdb.NewEmptyDatabase(t)
	env := []string{"DATABASE_URL=" + dbURL}
	runCommandInput(t, 0, env, "password-1234\n", "user", "create", "ada@example.com")
	runCommandInput(t, 0, env, "password-1234\n", "user", "create", "bob@example.com")

	// With --owner, the slug is unique among that user's projects; stdout is still the slug alone.
	out, _ := runCommand(t, 0, env, "project", "create", "Shop", "--owner", "ADA@example.com", "--description", "The shop")
	require.Equal(t, "shop\n", out)
	out, _ = runCommand(t, 0, env, "project", "create", "Shop", "--owner", "bob@example.com")
	require.Equal(t, "shop\n", out)
	out, _ = runCommand(t, 0, env, "project", "create", "--owner=ada@example.com", "Shop")
	require.Equal(t, "shop-2\n", out)
	_, stderr := runCommand(t, 1, env, "project", "create", "Shop", "--owner", "nobody@example.com")
	require.Contains(t, stderr, "No user has the address nobody@example.com.")

	db, err := sql.Open("pgx", dbURL)
	require.NoError(t, err)
	defer db.Close()
	var owner, description, id string
	require.NoError(t, db.QueryRow(`SELECT u.email, p.description, p.uuid FROM projects p JOIN users u ON u.id = p.owner_id
		WHERE p.slug = 'shop' ORDER BY p.id LIMIT 1`).Scan(&owner, &description, &id))
	require.Equal(t, "ada@example.com", owner)
	require.Equal(t, "The shop", description)

	// PROJECT is a UUID or a slug only one project has.
	_, stderr = runCommand(t, 1, env, "key", "create", "shop")
	require.Contains(t, stderr, `Several projects have the slug "shop": name the project by its id (a UUID).`)
	key, _ := runCommand(t, 0, env, "key", "create", id)
	require.Regexp(t, `^logister_[0-9a-f]{48}\n$`, key)
	key, _ = runCommand(t, 0, env, "key", "create", "shop-2")
	require.Regexp(t, `^logister_[0-9a-f]{48}\n$`, key)
	out, _ = runCommand(t, 0, env, "project", "limits", id, "--requests", "10")
	require.Contains(t, out, "requests       10")
	_, stderr = runCommand(t, 1, env, "project", "limits", "shop")
	require.Contains(t, stderr, "Several projects have the slug")
	var rowID int64
	require.NoError(t, db.QueryRow(`SELECT id FROM projects WHERE uuid = $1`, id).Scan(&rowID))
	_, stderr = runCommand(t, 1, env, "key", "create", fmt.Sprint(rowID))
	require.Contains(t, stderr, fmt.Sprintf("No project %q.", fmt.Sprint(rowID)), "row ids are not project references")

	// Without --owner, the project has no owner (only instance administrators see it).
	runCommand(t, 0, env, "project", "create", "Shop")
	var ownerless int
	require.NoError(t, db.QueryRow(`SELECT count(*) FROM projects WHERE owner_id IS NULL AND slug = 'shop'`).Scan(&ownerless))
	require.Equal(t, 1, ownerless)
}

func setupToken(t *testing.T, stdout, base string) string {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(stdout))
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); strings.HasPrefix(line, base+"/setup/") {
			return strings.TrimPrefix(line, base+"/setup/")
		}
	}
	t.Fatalf("no setup link in the output:\n%s", stdout)
	return ""
}

func clusterAddr(t *testing.T, dataDir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dataDir, "postgres.port"))
	require.NoError(t, err)
	return "127.0.0.1:" + strings.TrimSpace(string(b))
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().String()
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// runCommandInput is runCommand with stdin.
func runCommandInput(t *testing.T, wantCode int, env []string, stdin string, args ...string) (string, string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH")}, env...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		code = exitErr.ExitCode()
	} else {
		require.NoError(t, err)
	}
	require.Equal(t, wantCode, code, "logister %v\nstdout: %s\nstderr: %s", args, stdout.String(), stderr.String())
	return stdout.String(), stderr.String()
}

func TestUserAndTokenCommands(t *testing.T) {
	t.Parallel()
	dbURL := testdb.NewEmptyDatabase(t)
	env := []string{"DATABASE_URL=" + dbURL}
	uuidLine := `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\n$`

	// The password comes from stdin or a file, never from an argument.
	_, stderr := runCommand(t, 2, env, "user", "create", "ops@example.com")
	require.Contains(t, stderr, "give the password on stdin")
	out, _ := runCommandInput(t, 0, env, "ops-password-1\n", "user", "create", "Ops@Example.com", "--admin", "--name", "Ops")
	require.Regexp(t, uuidLine, out, "stdout holds the user id and nothing else")
	pwFile := filepath.Join(t.TempDir(), "pw")
	require.NoError(t, os.WriteFile(pwFile, []byte("dev-password-1\n"), 0o600))
	devID, _ := runCommand(t, 0, env, "user", "create", "dev@example.com", "--password-file", pwFile)
	require.Regexp(t, uuidLine, devID)

	_, stderr = runCommandInput(t, 1, env, "ops-password-1\n", "user", "create", "ops@example.com")
	require.Contains(t, stderr, "A user with the address ops@example.com exists already.")
	_, stderr = runCommandInput(t, 1, env, "short\n", "user", "create", "new@example.com")
	require.Contains(t, stderr, "password: must be at least 8 characters")
	_, stderr = runCommand(t, 2, env, "user", "promote")
	require.Contains(t, stderr, "usage: logister user promote EMAIL")
	_, stderr = runCommand(t, 1, env, "user", "promote", "nobody@example.com")
	require.Contains(t, stderr, "No user has the address nobody@example.com.")

	// Only the argon2id hash is stored, and the user is confirmed.
	db, err := sql.Open("pgx", dbURL)
	require.NoError(t, err)
	defer db.Close()
	var hash string
	var admin, confirmed bool
	require.NoError(t, db.QueryRow(`SELECT password_hash, is_admin, confirmed_at IS NOT NULL FROM users WHERE email = 'ops@example.com'`).Scan(&hash, &admin, &confirmed))
	require.True(t, strings.HasPrefix(hash, "$argon2id$v=19$m=47104,t=1,p=1$"), hash)
	require.NotContains(t, hash, "ops-password-1")
	require.True(t, admin)
	require.True(t, confirmed)

	promoted, _ := runCommand(t, 0, env, "user", "promote", "DEV@example.com")
	require.Equal(t, devID, promoted)

	token, _ := runCommand(t, 0, env, "token", "create", "ops@example.com", "--name", "deploy", "--scope", "admin", "--expires", "7d")
	require.Regexp(t, `^logister_pat_[0-9a-f]{64}\n$`, token, "stdout holds the token and nothing else")
	token = strings.TrimSpace(token)
	readToken, _ := runCommand(t, 0, env, "token", "create", "dev@example.com", "--name", "ro")
	_, stderr = runCommand(t, 2, env, "token", "create", "ops@example.com")
	require.Contains(t, stderr, "usage: logister token create EMAIL --name NAME")
	_, stderr = runCommand(t, 2, env, "token", "create", "ops@example.com", "--name", "x", "--expires", "2y")
	require.Contains(t, stderr, "--expires must be a lifetime")
	_, stderr = runCommand(t, 2, env, "token", "create", "ops@example.com", "--name", "x", "--scope", "root")
	require.Contains(t, stderr, "--scope must be read, write or admin")

	// The server accepts the tokens; an administrator existing, it prints no setup link.
	p := startServer(t, "DATABASE_URL="+dbURL, "LOGISTER_DATA_DIR="+t.TempDir())
	stdout, _ := p.output()
	require.NotContains(t, stdout, "/setup/")
	call := func(path, bearer string) int {
		r, err := http.NewRequest(http.MethodGet, p.base+path, nil)
		require.NoError(t, err)
		if bearer != "" {
			r.Header.Set("Authorization", "Bearer "+bearer)
		}
		res, err := http.DefaultClient.Do(r)
		require.NoError(t, err)
		_ = res.Body.Close()
		return res.StatusCode
	}
	require.Equal(t, http.StatusUnauthorized, call("/api/v1/session", ""))
	require.Equal(t, http.StatusOK, call("/api/v1/session", token))
	require.Equal(t, http.StatusOK, call("/api/v1/admin/users", token))
	require.Equal(t, http.StatusForbidden, call("/api/v1/admin/users", strings.TrimSpace(readToken)))
	p.stop(t)
}
