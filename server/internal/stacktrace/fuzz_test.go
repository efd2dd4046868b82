package stacktrace

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzParse checks that Parse never panics, is deterministic and keeps its bounds and promises.
// The golden inputs are the seed corpus, so plain go test runs them.
func FuzzParse(f *testing.F) {
	for _, in := range goldenInputs(f) {
		f.Add([]byte(in.context))
	}
	f.Add([]byte(`{"exception":{"frames":[1,"at f (/a.js:1:2)",null,{"name":5},[]],"backtrace":[{},"x.rb:1:in 'y'"]}}`))
	f.Add([]byte(`{"exception":{"values":[{"value":"v","stacktrace":{"frames":[{"function":"f","lineno":-3,"colno":1e99}]}},"x"]}}`))
	f.Add([]byte(`{"EXCEPTION":{"cause":{"cause":"java.lang.X: y\n\tat a.b(C.java:1)\nCaused by: Z\n\tSuppressed: Q\n"}},"runtime":"python"}`))
	f.Fuzz(func(t *testing.T, context []byte) {
		exs := Parse(context)
		require.Equal(t, exs, Parse(context), "not deterministic")
		require.LessOrEqual(t, len(exs), maxChain)
		for i, ex := range exs {
			checkException(t, exs, i, ex)
			require.NotNil(t, ex.Frames, "Parse always gives a list")
		}
	})
}

// FuzzParseChain checks the stack-string splitter the same way.
func FuzzParseChain(f *testing.F) {
	for _, in := range goldenInputs(f) {
		for _, s := range stackStrings(in.context) {
			f.Add(s)
		}
	}
	f.Add("at f (x.js:1:2)\nat x.js:3:4\nf@x.js:1:2\nFile \"x.py\", line 1, in f\nx.rb:1:in `f'\nat A.B() in C:\\x.cs:line 1\nat a.B(B.java:1)")
	f.Add("A ---> B ---> C\n--- End of inner exception stack trace ---\nat a.b(C.java:1)\n\tSuppressed: x\n\t\tCaused by: y\nCaused by: \n")
	f.Add("Traceback (most recent call last):\n  File \"a\", line 1, in b\n    c\n    ^^\nX: y\n\nDuring handling of the above exception, another exception occurred:\n\nTraceback (most recent call last):\nTraceback (most recent call last):\n")
	f.Fuzz(func(t *testing.T, stack string) {
		exs := parseChain(stack)
		require.Equal(t, exs, parseChain(stack), "not deterministic")
		require.LessOrEqual(t, len(exs), maxChain)
		for i, ex := range exs {
			checkException(t, exs, i, ex)
		}
		if exs != nil {
			require.True(t, hasFrames(exs))
		}
	})
}

func checkException(t *testing.T, exs []Exception, i int, ex Exception) {
	t.Helper()
	if i == 0 {
		require.Equal(t, -1, ex.Parent)
		require.Empty(t, ex.Chained)
	} else {
		require.True(t, ex.Parent >= 0 && ex.Parent < i, "parent %d of exception %d", ex.Parent, i)
		require.Contains(t, []string{ChainedCause, ChainedContext, ChainedInner, ChainedSuppressed}, ex.Chained)
	}
	require.LessOrEqual(t, len(ex.Type), maxFieldBytes)
	require.NotContains(t, ex.Type, "\n")
	require.LessOrEqual(t, len(ex.Message), maxMessageBytes)
	require.LessOrEqual(t, len(ex.Frames), MaxFrames)
	for _, f := range ex.Frames {
		require.True(t, strings.TrimSpace(f.Function) != "" || strings.TrimSpace(f.File) != "", "empty frame %+v", f)
		require.GreaterOrEqual(t, f.Line, 0)
		require.GreaterOrEqual(t, f.Column, 0)
		require.LessOrEqual(t, len(f.Function), maxFieldBytes)
		require.LessOrEqual(t, len(f.File), maxFieldBytes)
		require.LessOrEqual(t, len(f.Raw), maxLineBytes)
		require.LessOrEqual(t, len(f.PreContext), maxContextLines)
		require.LessOrEqual(t, len(f.PostContext), maxContextLines)
	}
}
