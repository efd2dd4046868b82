// Package benchenv describes where a benchmark runs, for the reports of `make bench`: the source
// tree (module root, commit, uncommitted changes) and the machine (CPU model, memory).
package benchenv

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// ModuleRoot finds the directory of go.mod at or above the working directory.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod at or above the working directory: run from the repository")
		}
		dir = parent
	}
}

// Git returns the commit of HEAD in root and whether the tree differs from it (modified or
// untracked files, benchmark reports aside): work in progress is measured as it is, and the report
// says so.
func Git(ctx context.Context, root string) (commit string, dirty bool) {
	git := func(args ...string) string {
		cmd := exec.CommandContext(ctx, "git", args...)
		cmd.Dir = root
		b, _ := cmd.Output()
		return strings.TrimSpace(string(b))
	}
	return git("rev-parse", "HEAD"), git("status", "--porcelain", "--", ".", ":!docs/benchmarks") != ""
}

// CPUModel is the first "model name" of /proc/cpuinfo, or "" where there is none.
func CPUModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for line := range strings.SplitSeq(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// MemTotalMB is MemTotal of /proc/meminfo in MiB, or 0 where there is none.
func MemTotalMB() int64 {
	b, _ := os.ReadFile("/proc/meminfo")
	for line := range strings.SplitSeq(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && k == "MemTotal" {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n >> 10
		}
	}
	return 0
}
