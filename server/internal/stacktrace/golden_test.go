package stacktrace

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden/")

// goldenSources are the inputs of the golden tests: ingest request bodies ({"event": {"context":
// …}}). The real SDK captures and the grouping inputs (one per runtime shape) are read where they
// live, so that the frame model follows every shape grouping is tested with; testdata/*.json adds
// shapes only the frame model reads (Sentry lists, .NET object graphs, chains in strings).
var goldenSources = []struct{ name, glob string }{
	{"sdk", "../ingest/testdata/sdk/*-error*.json"},
	{"grouping", "../grouping/testdata/*.json"},
	{"extra", "testdata/*.json"},
}

type goldenInput struct {
	name    string // <source>/<file name without .json>
	context json.RawMessage
}

func goldenInputs(tb testing.TB) []goldenInput {
	tb.Helper()
	var inputs []goldenInput
	for _, src := range goldenSources {
		files, err := filepath.Glob(src.glob)
		require.NoError(tb, err)
		require.NotEmpty(tb, files, src.glob)
		for _, file := range files {
			data, err := os.ReadFile(file)
			require.NoError(tb, err)
			var in struct {
				Event struct {
					Context json.RawMessage `json:"context"`
				} `json:"event"`
			}
			require.NoError(tb, json.Unmarshal(data, &in), file)
			inputs = append(inputs, goldenInput{
				name:    src.name + "/" + strings.TrimSuffix(filepath.Base(file), ".json"),
				context: in.Event.Context,
			})
		}
	}
	return inputs
}

// TestGolden parses every input and compares the frame model to testdata/golden/<source>/<name>.golden.
// Run with -update to rewrite them after a deliberate change, and review the diff.
func TestGolden(t *testing.T) {
	t.Parallel()
	inputs := goldenInputs(t)
	for _, in := range inputs {
		t.Run(in.name, func(t *testing.T) {
			t.Parallel()
			var got bytes.Buffer
			enc := json.NewEncoder(&got)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			require.NoError(t, enc.Encode(Parse(in.context)))
			golden := filepath.Join("testdata", "golden", in.name+".golden")
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o750))
				require.NoError(t, os.WriteFile(golden, got.Bytes(), 0o600))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test ./server/internal/stacktrace -run TestGolden -update to create it")
			require.Equal(t, string(want), got.String())
		})
	}
	// Every golden file has its input: a renamed fixture does not leave a stale golden behind.
	goldens, err := filepath.Glob("testdata/golden/*/*.golden")
	require.NoError(t, err)
	names := map[string]bool{}
	for _, in := range inputs {
		names[in.name] = true
	}
	for _, g := range goldens {
		name := filepath.Base(filepath.Dir(g)) + "/" + strings.TrimSuffix(filepath.Base(g), ".golden")
		require.True(t, names[name], "%s has no input", g)
	}
}

// TestEveryErrorFixtureHasFrames checks that each real SDK error capture yields its exception
// with frames, and every exception it chains.
func TestEveryErrorFixtureHasFrames(t *testing.T) {
	t.Parallel()
	for _, in := range goldenInputs(t) {
		if !strings.HasPrefix(in.name, "sdk/") {
			continue
		}
		exs := Parse(in.context)
		require.NotEmpty(t, exs, in.name)
		for i, ex := range exs {
			require.NotEmpty(t, ex.Type, "%s: exception %d", in.name, i)
			require.NotEmpty(t, ex.Frames, "%s: exception %d", in.name, i)
			require.Equal(t, i-1, ex.Parent, "%s: the SDKs chain linearly", in.name)
		}
	}
}

// TestChainAgreesWithParseStack checks, on every stack string of the inputs, that splitting a
// stack into exceptions keeps exactly the frames that the flat parser grouping uses finds.
func TestChainAgreesWithParseStack(t *testing.T) {
	t.Parallel()
	n := 0
	for _, in := range goldenInputs(t) {
		for _, s := range stackStrings(in.context) {
			flat := ParseStack(s)
			var fromChain []Call
			for _, ex := range parseChain(s) {
				for _, f := range ex.Frames {
					fromChain = append(fromChain, Call{Function: f.Function, File: f.File, Line: f.Line, Column: f.Column})
				}
			}
			require.ElementsMatch(t, flat, fromChain, "%s: %q", in.name, s)
			n++
		}
	}
	require.Greater(t, n, 30)
}

// stackStrings returns the stack strings (and backtrace arrays, joined) found anywhere in context.
func stackStrings(context json.RawMessage) []string {
	var v any
	if json.Unmarshal(context, &v) != nil {
		return nil
	}
	var out []string
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				walk(strings.ToLower(k), e)
			}
		case []any:
			var ls []string
			for _, e := range v {
				if s, ok := e.(string); ok {
					ls = append(ls, s)
				} else {
					walk(key, e)
				}
			}
			if len(ls) > 0 {
				walk(key, strings.Join(ls, "\n"))
			}
		case string:
			switch key {
			case "stack", "stacktrace", "stack_trace", "backtrace", "traceback", "stacktracestring":
				out = append(out, v)
			}
		}
	}
	walk("", v)
	return out
}
