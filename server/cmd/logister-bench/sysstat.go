package main

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// clockTicks is USER_HZ, the unit of the CPU times in /proc: 100 on every mainstream Linux build
// (reading it needs sysconf, which the standard library does not expose).
const clockTicks = 100

// sample is one reading of the machine's and the processes' cumulative CPU time.
type sample struct {
	at        time.Time
	total     uint64         // all CPUs, all states (jiffies)
	idle      uint64         // idle + iowait
	steal     uint64         // time the hypervisor gave the virtual CPUs to someone else
	self      uint64         // this process (the load generator)
	server    uint64         // the Logister server
	postgres  map[int]uint64 // every process named "postgres", by pid
	ours      map[int]bool   // the postgres processes working for the benchmark; nil: all of them
	serverRSS int64          // bytes
}

// Monitor samples CPU and memory in the background.
type Monitor struct {
	serverPID int
	interval  time.Duration
	// pgActivity, when set, names the PostgreSQL processes that work for the benchmark (the ones
	// of its database and the shared background ones; other databases' sessions then count as
	// "other") and what its sessions are doing. It is called on its own schedule, apart from the
	// CPU samples, so that a slow database never delays one.
	pgActivity func() *PGActivity
	ours       atomic.Pointer[map[int]bool]
	activity   []activitySample // guarded by mu

	mu      sync.Mutex
	samples []sample
	stop    chan struct{}
	wg      sync.WaitGroup
}

// activitySample is what the database's sessions were doing at one moment.
type activitySample struct {
	at       time.Time
	sessions map[string]int
}

// StartMonitor samples every interval until Stop. pgActivity may be nil: every postgres process
// then counts as the benchmark's.
func StartMonitor(serverPID int, interval time.Duration, pgActivity func() *PGActivity) *Monitor {
	m := &Monitor{serverPID: serverPID, interval: interval, pgActivity: pgActivity, stop: make(chan struct{})}
	if pgActivity != nil {
		m.refreshActivity()
		m.wg.Go(func() {
			t := time.NewTicker(interval)
			defer t.Stop()
			for {
				select {
				case <-m.stop:
					return
				case <-t.C:
					m.refreshActivity()
				}
			}
		})
	}
	m.wg.Go(m.loop)
	return m
}

// refreshActivity records what the sessions do and keeps the last good list of processes.
func (m *Monitor) refreshActivity() {
	a := m.pgActivity()
	if a == nil {
		return
	}
	m.ours.Store(&a.PIDs)
	m.mu.Lock()
	m.activity = append(m.activity, activitySample{at: time.Now(), sessions: a.Sessions})
	m.mu.Unlock()
}

// Sessions returns, for what the benchmark database's sessions were doing between from and to,
// the average number of sessions doing it (see PGActivity.Sessions).
func (m *Monitor) Sessions(from, to time.Time) map[string]float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	sum, n := map[string]float64{}, 0
	for _, a := range m.activity {
		if a.at.Before(from) || a.at.After(to) {
			continue
		}
		n++
		for k, v := range a.sessions {
			sum[k] += float64(v)
		}
	}
	for k := range sum {
		sum[k] /= float64(n)
	}
	return sum
}

func (m *Monitor) loop() {
	t := time.NewTicker(m.interval)
	defer t.Stop()
	for {
		s := m.read()
		m.mu.Lock()
		m.samples = append(m.samples, s)
		m.mu.Unlock()
		select {
		case <-m.stop:
			return
		case <-t.C:
		}
	}
}

// Stop ends sampling and waits for the sampling goroutines to return.
func (m *Monitor) Stop() {
	close(m.stop)
	m.wg.Wait()
}

func (m *Monitor) read() sample {
	s := sample{at: time.Now(), postgres: map[int]uint64{}}
	s.total, s.idle, s.steal = machineTicks()
	s.self, _ = processTicks("self")
	s.server, _ = processTicks(strconv.Itoa(m.serverPID))
	s.serverRSS = statusKB(m.serverPID, "VmRSS") << 10
	if p := m.ours.Load(); p != nil {
		s.ours = *p
		for pid := range s.ours { // only these count: no need to read every process
			if t, comm := processTicks(strconv.Itoa(pid)); comm == "postgres" {
				s.postgres[pid] = t
			}
		}
		return s
	}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if t, comm := processTicks(e.Name()); comm == "postgres" {
			s.postgres[pid] = t
		}
	}
	return s
}

// CPUSplit is where the machine's CPU time went during a window, in cores (1.0 = one core busy
// the whole time) and as a share of the machine.
type CPUSplit struct {
	Seconds       float64 `json:"seconds"`
	MachineCores  float64 `json:"machine_cores"` // what /proc/stat accounted for; ≈ the CPU count
	ServerCores   float64 `json:"server_cores"`
	PostgresCores float64 `json:"postgres_cores"`
	BenchCores    float64 `json:"bench_cores"` // the load generator (and in-process ceilings)
	OtherCores    float64 `json:"other_cores"` // everything else on the machine, kernel included
	StealCores    float64 `json:"steal_cores"` // taken by the hypervisor (virtual machines)
	IdleCores     float64 `json:"idle_cores"`
	ServerPct     float64 `json:"server_pct"`
	PostgresPct   float64 `json:"postgres_pct"`
	BenchPct      float64 `json:"bench_pct"`
	OtherPct      float64 `json:"other_pct"`
	StealPct      float64 `json:"steal_pct"`
	IdlePct       float64 `json:"idle_pct"`
}

// Window returns the CPU split and the server's largest resident set between from and to,
// measured between the last sample at or before from and the first at or after to (or the
// nearest ones inside, if sampling started late or stopped early).
func (m *Monitor) Window(from, to time.Time) (CPUSplit, int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ai, bi := -1, -1
	for i, s := range m.samples {
		if !s.at.After(from) || ai < 0 {
			ai = i
		}
		if bi < 0 && !s.at.Before(to) {
			bi = i
		}
	}
	if bi < 0 {
		bi = len(m.samples) - 1
	}
	if ai < 0 || bi <= ai {
		return CPUSplit{}, 0
	}
	a, b := &m.samples[ai], &m.samples[bi]
	var rss int64
	for _, s := range m.samples[ai : bi+1] {
		rss = max(rss, s.serverRSS)
	}
	secs := b.at.Sub(a.at).Seconds()
	cores := func(d uint64) float64 { return float64(d) / clockTicks / secs }
	var pg uint64
	for pid, t := range b.postgres {
		if b.ours == nil || b.ours[pid] {
			pg += t - min(t, a.postgres[pid]) // a process started in between counts from zero
		}
	}
	c := CPUSplit{
		Seconds:       secs,
		MachineCores:  cores(b.total - a.total),
		IdleCores:     cores(b.idle - a.idle),
		StealCores:    cores(b.steal - a.steal),
		ServerCores:   cores(b.server - min(b.server, a.server)),
		PostgresCores: cores(pg),
		BenchCores:    cores(b.self - a.self),
	}
	c.OtherCores = max(0, c.MachineCores-c.IdleCores-c.StealCores-c.ServerCores-c.PostgresCores-c.BenchCores)
	if c.MachineCores > 0 {
		pct := func(v float64) float64 { return 100 * v / c.MachineCores }
		c.ServerPct, c.PostgresPct, c.BenchPct = pct(c.ServerCores), pct(c.PostgresCores), pct(c.BenchCores)
		c.OtherPct, c.IdlePct, c.StealPct = pct(c.OtherCores), pct(c.IdleCores), pct(c.StealCores)
	}
	return c, rss
}

// PeakRSS is the largest resident set the server had in any sample.
func (m *Monitor) PeakRSS() int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	var rss int64
	for _, s := range m.samples {
		rss = max(rss, s.serverRSS)
	}
	return rss
}

// machineTicks reads the aggregate "cpu" line of /proc/stat.
func machineTicks() (total, idle, steal uint64) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0, 0
	}
	line, _, _ := bytes.Cut(b, []byte{'\n'})
	fields := strings.Fields(string(line))
	if len(fields) < 9 || fields[0] != "cpu" {
		return 0, 0, 0
	}
	for i, f := range fields[1:] {
		if i >= 8 { // guest times are already inside user and nice
			break
		}
		v, _ := strconv.ParseUint(f, 10, 64)
		total += v
		switch i {
		case 3, 4: // idle, iowait
			idle += v
		case 7:
			steal = v
		}
	}
	return total, idle, steal
}

// processTicks returns utime+stime and the command name of /proc/<pid>/stat.
func processTicks(pid string) (uint64, string) {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0, ""
	}
	open, end := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')')
	if open < 0 || end < open {
		return 0, ""
	}
	comm := string(b[open+1 : end])
	fields := strings.Fields(string(b[end+1:]))
	// fields[0] is the state (field 3); utime and stime are fields 14 and 15.
	if len(fields) < 13 {
		return 0, comm
	}
	u, _ := strconv.ParseUint(fields[11], 10, 64)
	s, _ := strconv.ParseUint(fields[12], 10, 64)
	return u + s, comm
}

// parentPID is the parent of pid, from /proc/<pid>/stat; 0 if unknown.
func parentPID(pid int) int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat") //nolint:gosec // a /proc file named by a number
	if err != nil {
		return 0
	}
	fields := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(fields) < 2 {
		return 0
	}
	ppid, _ := strconv.Atoi(fields[1])
	return ppid
}

// statusKB reads a "Name:   123 kB" line of /proc/<pid>/status; 0 when absent.
func statusKB(pid int, name string) int64 {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status") //nolint:gosec // a /proc file named by a number
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && k == name {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}
