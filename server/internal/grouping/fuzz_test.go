package grouping

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

var hex32 = regexp.MustCompile(`^[0-9a-f]{32}$`)

// FuzzCompute checks that Compute never panics, is deterministic and keeps its promises about the
// shape of the Result. The golden inputs are the seed corpus, so plain go test runs them.
func FuzzCompute(f *testing.F) {
	for _, file := range inputFiles(f) {
		in := readInput(f, file)
		f.Add(in.Event.Fingerprint, in.Event.Message, []byte(in.Event.Context))
	}
	f.Add(" ", "x", []byte(`{"exception":{"frames":[1,"at f (/a.js:1:2)",null,{"name":5},[]],"backtrace":[{},"x.rb:1:in 'y'"]}}`))
	f.Add("", "", []byte(`{"exception":{"stack":12,"tagContext":{},"class":["x"]},"runtime":"python"}`))
	f.Fuzz(func(t *testing.T, fingerprint, message string, context []byte) {
		got, canonical := compute(fingerprint, message, context)
		again, _ := compute(fingerprint, message, context)
		require.Equal(t, got, again, "not deterministic")
		require.NotNil(t, got.Frames)
		if strings.TrimSpace(fingerprint) != "" {
			require.Equal(t, Result{
				Fingerprint: fingerprint, Source: SourceClient, ExceptionType: got.ExceptionType, Frames: []Frame{},
			}, got)
			return
		}
		require.Regexp(t, hex32, got.Fingerprint)
		require.True(t, strings.HasPrefix(canonical, "v1\n"+got.ExceptionType+"\n"), "canonical text %q", canonical)
		require.Equal(t, AlgorithmVersion, got.Version)
		require.LessOrEqual(t, len(got.Frames), 10)
		require.LessOrEqual(t, len(got.ExceptionType), 512)
		require.NotContains(t, got.ExceptionType, "\n")
		switch got.Source {
		case SourceStack:
			require.NotEmpty(t, got.Frames)
		case SourceMessage:
			require.Empty(t, got.Frames)
		default:
			t.Fatalf("source %q", got.Source)
		}
		for _, fr := range got.Frames {
			require.True(t, fr.Function != "" || fr.File != "", "empty frame")
			require.LessOrEqual(t, len(fr.Function), 512)
			require.LessOrEqual(t, len(fr.File), 512)
		}
	})
}

// FuzzParseStack checks that ParseStack never panics, is deterministic and bounded.
func FuzzParseStack(f *testing.F) {
	for _, file := range inputFiles(f) {
		in := readInput(f, file)
		for _, s := range stackStrings(in.Event.Context) {
			f.Add(s)
		}
	}
	f.Add("at f (x.js:1:2)\nat x.js:3:4\nf@x.js:1:2\nFile \"x.py\", line 1, in f\nx.rb:1:in `f'\nat A.B() in C:\\x.cs:line 1\nat a.B(B.java:1)")
	f.Add("at \nat (\nat )(\nat a (b\n@:\n:in \nFile \"\", line ,")
	f.Fuzz(func(t *testing.T, stack string) {
		frames := ParseStack(stack)
		require.Equal(t, frames, ParseStack(stack), "not deterministic")
		require.LessOrEqual(t, len(frames), 200)
		for _, fr := range frames {
			require.True(t, fr.Function != "" || fr.File != "", "empty frame")
			require.GreaterOrEqual(t, fr.Line, 0)
			require.GreaterOrEqual(t, fr.Column, 0)
			require.Nil(t, fr.InApp)
		}
	})
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
			var lines []string
			for _, e := range v {
				if s, ok := e.(string); ok {
					lines = append(lines, s)
				} else {
					walk(key, e)
				}
			}
			if len(lines) > 0 {
				walk(key, strings.Join(lines, "\n"))
			}
		case string:
			switch key {
			case "stack", "stacktrace", "stack_trace", "backtrace", "raw_trace":
				out = append(out, v)
			}
		}
	}
	walk("", v)
	return out
}

// FuzzDecodeString checks the hand-written JSON reader against encoding/json on every valid JSON
// string.
func FuzzDecodeString(f *testing.F) {
	for _, s := range []string{`plain`, `a\"b\\c\/d`, `\n\t\r\b\f`, `\u00e9\ud83d\ude00`, `\ud800\u0041`, `\udc00`, "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		data := []byte(`{"exception":{"message":"` + raw + `"}}`)
		var want struct{ Exception struct{ Message string } }
		if !utf8.ValidString(raw) || json.Unmarshal(data, &want) != nil || len(want.Exception.Message) >= maxMessageLine {
			return
		}
		require.Equal(t, want.Exception.Message, decodeException(data).message)
	})
}
