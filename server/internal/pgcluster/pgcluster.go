// Package pgcluster runs a private PostgreSQL cluster in Logister's data directory, for the
// zero-configuration start: `logister serve` without DATABASE_URL.
//
// The cluster lives in <data dir>/postgres, listens on 127.0.0.1 only (no Unix socket) with
// password authentication, and is reused on the next start. The machine's own PostgreSQL server
// binaries (initdb, pg_ctl) do the work. PostgreSQL refuses to run as root; when Logister runs as
// root, the cluster is owned and run by the unprivileged "postgres" system user instead.
package pgcluster

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

// Superuser and Database are the role and database the cluster is created with.
const (
	Superuser = "logister"
	Database  = "logister"
)

// Options configure Start.
type Options struct {
	// DataDir is Logister's data directory; the cluster goes into DataDir/postgres.
	DataDir string
	// BinDir holds initdb and pg_ctl; empty means search PATH and the usual install prefixes.
	BinDir string
	// RunAs is the system user that owns and runs the cluster when Logister runs as root
	// (default "postgres"). Ignored otherwise.
	RunAs  string
	Logger *slog.Logger
	// Shared lets a short-lived command (such as `logister project create`) use the cluster of a
	// running `logister serve` on the same data directory instead of failing. Such a Cluster does
	// not stop the cluster on Stop.
	Shared bool
}

// Cluster is a running private PostgreSQL cluster.
type Cluster struct {
	dir, binDir string
	port        int
	password    string
	cred        *syscall.Credential // nil: run as the current user
	lock        *os.File
	borrowed    bool // another process owns the cluster; Stop leaves it running
	logger      *slog.Logger
}

// installHint ends every error about missing binaries.
const installHint = "install the PostgreSQL server package (Debian/Ubuntu: apt-get install postgresql; " +
	"macOS: brew install postgresql), set LOGISTER_POSTGRES_BIN_DIR to the directory holding initdb and " +
	"pg_ctl, or set DATABASE_URL to use an existing PostgreSQL server"

// Start initialises the cluster if it does not exist yet, starts it unless it is already running,
// and makes sure the Logister database exists. The caller must call Stop.
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	binDir, err := FindBinDir(opts.BinDir)
	if err != nil {
		return nil, err
	}
	c := &Cluster{dir: filepath.Join(opts.DataDir, "postgres"), binDir: binDir, logger: opts.Logger}

	// 0755: as root, the postgres user must be able to enter it.
	if err := os.MkdirAll(opts.DataDir, 0o755); err != nil { //nolint:gosec // see above
		return nil, fmt.Errorf("pgcluster: create data directory: %w", err)
	}
	if err := c.takeLock(opts.DataDir); err != nil {
		if opts.Shared {
			return c.borrow(ctx, opts.DataDir, err)
		}
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			c.releaseLock()
		}
	}()

	if os.Geteuid() == 0 {
		if err := c.useSystemUser(opts.RunAs, opts.DataDir); err != nil {
			return nil, err
		}
	}
	if c.password, err = c.loadPassword(filepath.Join(opts.DataDir, "postgres.password")); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(c.dir, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		if err := c.initdb(ctx); err != nil {
			return nil, err
		}
	}
	if err := c.start(ctx, opts.DataDir); err != nil {
		return nil, err
	}
	if err := c.createDatabase(ctx); err != nil {
		_ = c.Stop(context.WithoutCancel(ctx))
		return nil, err
	}
	ok = true
	return c, nil
}

// URL is the connection URL of the Logister database, password included.
func (c *Cluster) URL() string {
	return c.url(Database)
}

// Port is the loopback TCP port the cluster listens on.
func (c *Cluster) Port() int { return c.port }

// Dir is the cluster's data directory.
func (c *Cluster) Dir() string { return c.dir }

func (c *Cluster) url(db string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword(Superuser, c.password),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(c.port)),
		Path:     "/" + db,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// borrow uses the cluster that the process holding the data directory runs; lockErr is returned
// when there is none.
func (c *Cluster) borrow(ctx context.Context, dataDir string, lockErr error) (*Cluster, error) {
	if os.Geteuid() == 0 {
		if err := c.useSystemUser("", dataDir); err != nil {
			return nil, err
		}
	}
	port, running := c.runningPort(ctx)
	if !running {
		return nil, lockErr
	}
	pw, err := os.ReadFile(filepath.Join(dataDir, "postgres.password"))
	if err != nil {
		return nil, fmt.Errorf("pgcluster: read password: %w", err)
	}
	c.port, c.password, c.borrowed = port, string(bytes.TrimSpace(pw)), true
	return c, nil
}

// Stop shuts the cluster down (fast mode: open sessions are ended, nothing committed is lost) and
// releases the data directory. A borrowed cluster is left running.
func (c *Cluster) Stop(ctx context.Context) error {
	if c.borrowed {
		return nil
	}
	defer c.releaseLock()
	out, err := c.run(ctx, "pg_ctl", "stop", "-D", c.dir, "-m", "fast", "-w", "-t", "60")
	if err != nil {
		return fmt.Errorf("pgcluster: stop: %w: %s", err, lastLine(out))
	}
	return nil
}

// FindBinDir returns the directory holding initdb and pg_ctl: dir itself when given, else the
// directory of pg_ctl on PATH, else the newest of the usual install prefixes.
func FindBinDir(dir string) (string, error) {
	if dir != "" {
		if !hasServerBinaries(dir) {
			return "", fmt.Errorf("pgcluster: LOGISTER_POSTGRES_BIN_DIR=%s does not contain initdb and pg_ctl; %s", dir, installHint)
		}
		return dir, nil
	}
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil && hasServerBinaries(filepath.Dir(real)) {
			return filepath.Dir(real), nil
		}
	}
	var candidates []string
	for _, pattern := range []string{
		"/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin", "/usr/local/pgsql/bin",
		"/opt/homebrew/opt/postgresql*/bin", "/usr/local/opt/postgresql*/bin", "/opt/postgresql/*/bin",
	} {
		matches, _ := filepath.Glob(pattern)
		candidates = append(candidates, matches...)
	}
	// Newest version first: compare the first number in each path.
	sort.SliceStable(candidates, func(i, j int) bool { return majorOf(candidates[i]) > majorOf(candidates[j]) })
	for _, d := range candidates {
		if hasServerBinaries(d) {
			return d, nil
		}
	}
	return "", fmt.Errorf("pgcluster: no PostgreSQL server binaries (initdb, pg_ctl) found; %s", installHint)
}

func hasServerBinaries(dir string) bool {
	for _, name := range []string{"initdb", "pg_ctl", "postgres"} {
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil || info.IsDir() || info.Mode()&0o111 == 0 {
			return false
		}
	}
	return true
}

func majorOf(path string) int {
	digits := strings.FieldsFunc(path, func(r rune) bool { return r < '0' || r > '9' })
	if len(digits) == 0 {
		return 0
	}
	n, _ := strconv.Atoi(digits[0])
	return n
}

// takeLock makes sure only one Logister process uses this data directory's cluster.
func (c *Cluster) takeLock(dataDir string) error {
	f, err := os.OpenFile(filepath.Join(dataDir, "logister.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return fmt.Errorf("pgcluster: open lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		return fmt.Errorf("pgcluster: another logister process is using the private database in %s; "+
			"stop it, use another LOGISTER_DATA_DIR, or point both at one server with DATABASE_URL", dataDir)
	}
	c.lock = f
	return nil
}

func (c *Cluster) releaseLock() {
	if c.lock != nil {
		_ = c.lock.Close() // closing releases the flock
		c.lock = nil
	}
}

// useSystemUser arranges for initdb and pg_ctl to run as an unprivileged user, since PostgreSQL
// refuses to run as root, and checks that this user can reach the data directory.
func (c *Cluster) useSystemUser(name, dataDir string) error {
	if name == "" {
		name = "postgres"
	}
	u, err := user.Lookup(name)
	if err != nil {
		return fmt.Errorf("pgcluster: running as root, and PostgreSQL refuses to run as root; there is no %q "+
			"system user to run it as (the PostgreSQL server package creates one), so create one, run "+
			"logister as an ordinary user, or set DATABASE_URL", name)
	}
	uid, uidErr := strconv.ParseUint(u.Uid, 10, 32)
	gid, gidErr := strconv.ParseUint(u.Gid, 10, 32)
	if uidErr != nil || gidErr != nil {
		return fmt.Errorf("pgcluster: the %q user has a non-numeric uid or gid", name)
	}
	c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}

	// Every ancestor of the data directory must be searchable by that user.
	for dir := dataDir; ; dir = filepath.Dir(dir) {
		info, err := os.Stat(dir)
		if err != nil {
			return fmt.Errorf("pgcluster: %w", err)
		}
		st, _ := info.Sys().(*syscall.Stat_t)
		searchable := info.Mode()&0o001 != 0 ||
			(st != nil && st.Uid == c.cred.Uid && info.Mode()&0o100 != 0) ||
			(st != nil && st.Gid == c.cred.Gid && info.Mode()&0o010 != 0)
		if !searchable {
			return fmt.Errorf("pgcluster: running as root, so PostgreSQL runs as the %q user, which cannot enter %s; "+
				"set LOGISTER_DATA_DIR to a directory it can reach (such as /var/lib/logister) or set DATABASE_URL", name, dir)
		}
		if dir == filepath.Dir(dir) {
			break
		}
	}
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return fmt.Errorf("pgcluster: create cluster directory: %w", err)
	}
	return c.chown(c.dir)
}

func (c *Cluster) chown(path string) error {
	if c.cred == nil {
		return nil
	}
	if err := os.Chown(path, int(c.cred.Uid), int(c.cred.Gid)); err != nil {
		return fmt.Errorf("pgcluster: give %s to the postgres user: %w", path, err)
	}
	return nil
}

// loadPassword reads the superuser password, creating it on first use. The file is readable by
// Logister's user only.
func (c *Cluster) loadPassword(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err == nil && len(bytes.TrimSpace(b)) > 0 {
		return string(bytes.TrimSpace(b)), nil
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("pgcluster: read password: %w", err)
	}
	if _, err := os.Stat(filepath.Join(c.dir, "PG_VERSION")); err == nil {
		return "", fmt.Errorf("pgcluster: %s exists but its password file %s is missing; restore the file, or move "+
			"the cluster directory away to start afresh", c.dir, path)
	}
	raw := make([]byte, 24)
	_, _ = rand.Read(raw)
	pw := hex.EncodeToString(raw)
	if err := os.WriteFile(path, []byte(pw+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("pgcluster: write password: %w", err)
	}
	return pw, nil
}

func (c *Cluster) initdb(ctx context.Context) error {
	c.logger.InfoContext(ctx, "creating private PostgreSQL cluster", "dir", c.dir, "bin_dir", c.binDir)
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return fmt.Errorf("pgcluster: create cluster directory: %w", err)
	}
	if err := c.chown(c.dir); err != nil {
		return err
	}
	// initdb reads the password from a file its user can read, beside (not in: initdb wants an
	// empty directory) the cluster directory; it is removed right after.
	pwfile := filepath.Join(filepath.Dir(c.dir), ".initdb-password")
	if err := os.WriteFile(pwfile, []byte(c.password+"\n"), 0o600); err != nil {
		return fmt.Errorf("pgcluster: write password file: %w", err)
	}
	defer os.Remove(pwfile)
	if err := c.chown(pwfile); err != nil {
		return err
	}
	out, err := c.run(ctx, "initdb", "-D", c.dir, "-U", Superuser, "--pwfile="+pwfile,
		"--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-instructions")
	if err != nil {
		return fmt.Errorf("pgcluster: initdb: %w: %s", err, lastLine(out))
	}
	return nil
}

// start starts the cluster on a free loopback port, or adopts it when a previous run left it running.
func (c *Cluster) start(ctx context.Context, dataDir string) error {
	if port, running := c.runningPort(ctx); running {
		c.logger.InfoContext(ctx, "adopting private PostgreSQL cluster left running", "port", port)
		c.port = port
		return nil
	}
	portFile := filepath.Join(dataDir, "postgres.port")
	port, err := choosePort(ctx, portFile)
	if err != nil {
		return err
	}
	logFile := filepath.Join(dataDir, "postgres.log")
	f, err := os.OpenFile(logFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("pgcluster: open log file: %w", err)
	}
	_ = f.Close()
	if err := c.chown(logFile); err != nil {
		return err
	}
	c.logger.InfoContext(ctx, "starting private PostgreSQL cluster", "dir", c.dir, "port", port, "log", logFile)
	out, err := c.run(ctx, "pg_ctl", "start", "-D", c.dir, "-w", "-t", "60", "-l", logFile, "-o",
		fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -c unix_socket_directories=''", port))
	if err != nil {
		return fmt.Errorf("pgcluster: start PostgreSQL (its log is %s): %w: %s", logFile, err, lastLine(out))
	}
	c.port = port
	_ = os.WriteFile(portFile, []byte(strconv.Itoa(port)+"\n"), 0o600)
	return nil
}

// runningPort reports whether the cluster is running and, if so, its port (from postmaster.pid).
func (c *Cluster) runningPort(ctx context.Context) (int, bool) {
	if _, err := c.run(ctx, "pg_ctl", "status", "-D", c.dir); err != nil {
		return 0, false // exit status 3: not running
	}
	f, err := os.Open(filepath.Join(c.dir, "postmaster.pid"))
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		if line == 4 { // the fourth line of postmaster.pid is the port
			port, err := strconv.Atoi(strings.TrimSpace(sc.Text()))
			return port, err == nil
		}
	}
	return 0, false
}

// choosePort prefers the port used last time, so the printed URL stays the same, else any free one.
func choosePort(ctx context.Context, portFile string) (int, error) {
	var lc net.ListenConfig
	if b, err := os.ReadFile(portFile); err == nil {
		if p, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
			if l, err := lc.Listen(ctx, "tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p))); err == nil {
				_ = l.Close()
				return p, nil
			}
		}
	}
	l, err := lc.Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pgcluster: find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// createDatabase creates the Logister database if it does not exist.
func (c *Cluster) createDatabase(ctx context.Context) error {
	db, err := sql.Open("pgx", c.url("postgres"))
	if err != nil {
		return fmt.Errorf("pgcluster: connect: %w", err)
	}
	defer db.Close()
	var exists bool
	if err := db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", Database).Scan(&exists); err != nil {
		return fmt.Errorf("pgcluster: connect: %w", err)
	}
	if exists {
		return nil
	}
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+Database); err != nil {
		return fmt.Errorf("pgcluster: create database: %w", err)
	}
	return nil
}

// run runs one of the cluster's binaries, as the cluster's user, and returns its combined output.
func (c *Cluster) run(ctx context.Context, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(c.binDir, name), args...)
	cmd.Dir = c.dir
	if _, err := os.Stat(c.dir); err != nil {
		cmd.Dir = "/"
	}
	// Its own process group: a Ctrl-C in the terminal reaches Logister, which then stops
	// PostgreSQL in order, instead of reaching the postmaster directly.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: c.cred}
	cmd.Env = append(os.Environ(), "LC_ALL=C", "LANG=C")
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	// The postmaster outlives pg_ctl; with -l it does not hold our pipes, and WaitDelay guards
	// against a child that holds them anyway.
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	return out.Bytes(), err
}

func lastLine(out []byte) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
