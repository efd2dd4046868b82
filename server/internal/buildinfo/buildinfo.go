// Package buildinfo reports which version of Logister is running.
package buildinfo

import "runtime/debug"

// These are set at link time by the Makefile:
//
//	-ldflags "-X github.com/logister/logister/server/internal/buildinfo.version=v0.1.0"
var (
	version = ""
	commit  = ""
)

// Version is the release version, or "dev" for an untagged build.
func Version() string {
	if version != "" {
		return version
	}
	return "dev"
}

// Commit is the source revision the binary was built from, or "" when unknown. It falls back to the
// VCS stamp that `go build` records when the linker did not set it.
func Commit() string {
	if commit != "" {
		return commit
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	var rev string
	var dirty bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" && dirty {
		rev += "-dirty"
	}
	return rev
}
