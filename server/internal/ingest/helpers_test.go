package ingest

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// testNow is the receive time the tests pass in Options.
var testNow = time.Date(2026, 11, 23, 20, 0, 0, 0, time.UTC)

func testOptions() Options { return Options{Now: testNow, DefaultEnvironment: "production"} }

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func ptr[T any](v T) *T { return &v }

func readSDK(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "sdk", name+".json"))
	require.NoError(t, err)
	return b
}

// compact returns b without insignificant whitespace, as the SDKs send it.
func compact(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, json.Compact(&buf, b))
	return buf.Bytes()
}

// decodeJSON decodes b with encoding/json, keeping numbers exact.
func decodeJSON(t testing.TB, b []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	require.NoError(t, dec.Decode(&v), "%s", b)
	return v
}

// snake is an independent implementation of ActiveSupport's underscore + downcase for the oracle.
func snake(key string) string {
	key = strings.ReplaceAll(key, "::", "/")
	rs := []rune(key)
	var b strings.Builder
	for i, r := range rs {
		if i > 0 && r >= 'A' && r <= 'Z' {
			prev := rs[i-1]
			lowerOrDigit := prev >= 'a' && prev <= 'z' || prev >= '0' && prev <= '9'
			acronymEnd := prev >= 'A' && prev <= 'Z' && i+1 < len(rs) && rs[i+1] >= 'a' && rs[i+1] <= 'z'
			if lowerOrDigit || acronymEnd {
				b.WriteRune('_')
			}
		}
		if r == '-' {
			r = '_'
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// checkRewrite asserts that got is orig with, in every object, the original keys kept and a
// snake_case copy added for each key whose snake_case form no original key has. extra lists keys
// the root object may hold besides (written by the normaliser).
func checkRewrite(t *testing.T, path string, orig, got any, extra map[string]bool) {
	t.Helper()
	switch o := orig.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		require.True(t, ok, "%s: want an object, got %v", path, got)
		want := map[string]bool{}
		copies := map[string][]string{}
		for k, v := range o {
			want[k] = true
			checkRewrite(t, path+"."+k, v, g[k], nil)
			if s := snake(k); s != k {
				if _, isOrig := o[s]; !isOrig {
					copies[s] = append(copies[s], k)
				}
			}
		}
		for s, from := range copies {
			want[s] = true
			require.Contains(t, g, s, "%s: snake_case copy of %v", path, from)
			if len(from) == 1 {
				require.Equal(t, g[from[0]], g[s], "%s.%s", path, s)
			}
		}
		for k := range g {
			require.True(t, want[k] || extra[k], "%s: unexpected key %q", path, k)
		}
	case []any:
		g, ok := got.([]any)
		require.True(t, ok, "%s: want an array, got %v", path, got)
		require.Len(t, g, len(o), path)
		for i := range o {
			checkRewrite(t, path, o[i], g[i], nil)
		}
	default:
		require.Equal(t, orig, got, path)
	}
}

// checkGolden compares got (pretty-printed) with testdata/golden/name.json, or rewrites it with
// -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	var pretty bytes.Buffer
	require.NoError(t, json.Indent(&pretty, got, "", "  "))
	pretty.WriteByte('\n')
	file := filepath.Join("testdata", "golden", name+".json")
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(file), 0o750))
		require.NoError(t, os.WriteFile(file, pretty.Bytes(), 0o600))
		return
	}
	want, err := os.ReadFile(file)
	require.NoError(t, err, "run go test -update to create the golden file")
	require.Equal(t, string(want), pretty.String())
}
