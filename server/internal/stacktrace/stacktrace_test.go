package stacktrace_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/stacktrace"
)

func exceptionContext(t *testing.T, exception any) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{"exception": exception})
	require.NoError(t, err)
	return b
}

// brief is what these tests compare: type, message, relation and frames as "function@file:line".
type brief struct {
	Type, Message string
	Parent        int
	Chained       string
	Frames        []string
}

func briefs(exs []stacktrace.Exception) []brief {
	var out []brief
	for _, ex := range exs {
		b := brief{Type: ex.Type, Message: ex.Message, Parent: ex.Parent, Chained: ex.Chained, Frames: []string{}}
		for _, f := range ex.Frames {
			s := fmt.Sprintf("%s@%s:%d", f.Function, f.File, f.Line)
			if !f.InApp {
				s += " (lib)"
			}
			b.Frames = append(b.Frames, s)
		}
		out = append(out, b)
	}
	return out
}

func TestParseShapes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		exception any
		runtime   string
		want      []brief
	}{
		{
			name:      "a string without frames is a header",
			exception: "TypeError: Something broke",
			want:      []brief{{Type: "TypeError", Message: "Something broke", Parent: -1, Frames: []string{}}},
		},
		{
			name:      "a string that is no header is the message",
			exception: "something broke, badly",
			want:      []brief{{Message: "something broke, badly", Parent: -1, Frames: []string{}}},
		},
		{
			name:      "type and message only",
			exception: map[string]any{"type": "Timeout", "message": "after 3 s", "frames": 12},
			want:      []brief{{Type: "Timeout", Message: "after 3 s", Parent: -1, Frames: []string{}}},
		},
		{
			name: "python frames are reversed (by runtime), in_app flags win",
			exception: map[string]any{"class": "KeyError", "frames": []any{
				map[string]any{"filename": "main", "lineno": 1, "name": "<module>"},
				map[string]any{"filename": "/srv/app/views", "lineno": "7", "name": "show", "line": "x[k]", "in_app": false},
			}},
			runtime: "python",
			want: []brief{{Type: "KeyError", Parent: -1, Frames: []string{
				"show@/srv/app/views:7 (lib)", "<module>@main:1",
			}}},
		},
		{
			name: "frames without function and file, and non-objects, are skipped",
			exception: map[string]any{"class": "E", "frames": []any{
				"at f (x.js:1:2)", 3, nil, map[string]any{"lineno": 4}, map[string]any{"name": "g"},
			}},
			want: []brief{{Type: "E", Parent: -1, Frames: []string{"g@:0"}}},
		},
		{
			name: "sources in grouping's order: frames before the stack string",
			exception: map[string]any{"class": "E", "stack": "E: x\n    at s (/app/s.js:1:1)",
				"frames": []any{map[string]any{"name": "f", "filename": "/app/f.js", "lineno": 2}}},
			want: []brief{{Type: "E", Parent: -1, Frames: []string{"f@/app/f.js:2"}}},
		},
		{
			name:      "type and message from the stack header when the object has none",
			exception: map[string]any{"backtrace": []any{"TypeError: x is undefined", "    at f (/app/f.js:1:2)"}},
			want:      []brief{{Type: "TypeError", Message: "x is undefined", Parent: -1, Frames: []string{"f@/app/f.js:1"}}},
		},
		{
			name: ".NET nested inner exceptions in one string",
			exception: map[string]any{"type": "A", "stack_trace": "A: a ---> B: b\n ---> C: c\n   at C.c() in /s/C.cs:line 3\n" +
				"   --- End of inner exception stack trace ---\n   at B.b() in /s/B.cs:line 2\n   --- End of inner exception stack trace ---\n" +
				"   at A.a() in /s/A.cs:line 1\n--- End of stack trace from previous location ---\n   at A.z() in /s/A.cs:line 9"},
			want: []brief{
				{Type: "A", Message: "a", Parent: -1, Frames: []string{"A.a@/s/A.cs:1", "A.z@/s/A.cs:9"}},
				{Type: "B", Message: "b", Parent: 0, Chained: "inner", Frames: []string{"B.b@/s/B.cs:2"}},
				{Type: "C", Message: "c", Parent: 1, Chained: "inner", Frames: []string{"C.c@/s/C.cs:3"}},
			},
		},
		{
			name: "explicit cause objects win over chains printed in the stack",
			exception: map[string]any{"class": "A", "stacktrace": "A: a\n\tat x.A.a(A.java:1)\nCaused by: B: b\n\tat x.B.b(B.java:2)",
				"cause": map[string]any{"class": "C", "backtrace": []any{"/app/c.rb:3:in 'c'"}}},
			want: []brief{
				{Type: "A", Message: "a", Parent: -1, Frames: []string{"x.A.a@A.java:1"}},
				{Type: "C", Parent: 0, Chained: "cause", Frames: []string{"c@/app/c.rb:3"}},
			},
		},
		{
			name:      "python: cause wins over context; blank members are no exceptions",
			exception: map[string]any{"class": "A", "cause": map[string]any{"class": "B"}, "context": map[string]any{"class": "C"}, "inner_exception": ""},
			want: []brief{
				{Type: "A", Parent: -1, Frames: []string{}},
				{Type: "B", Parent: 0, Chained: "cause", Frames: []string{}},
			},
		},
		{
			name:      "an unrelated context object is not an exception",
			exception: map[string]any{"class": "A", "context": map[string]any{"orderId": 7}},
			want:      []brief{{Type: "A", Parent: -1, Frames: []string{}}},
		},
		{
			name: "python backtrace lines, no traceback header",
			exception: map[string]any{"class": "KeyError", "backtrace": []any{
				`File "/srv/app/a.py", line 5, in main`, `File "/usr/lib/python3.12/json/decoder.py", line 9, in decode`,
			}},
			want: []brief{{Type: "KeyError", Parent: -1, Frames: []string{
				"decode@/usr/lib/python3.12/json/decoder.py:9 (lib)", "main@/srv/app/a.py:5",
			}}},
		},
		{
			name:      "ruby: vendor directories are not in the app",
			exception: map[string]any{"class": "E", "backtrace": []any{"/srv/app/vendor/lib/x.rb:1:in 'x'", "/srv/app/app/y.rb:2:in 'y'"}},
			want:      []brief{{Type: "E", Parent: -1, Frames: []string{"x@/srv/app/vendor/lib/x.rb:1 (lib)", "y@/srv/app/app/y.rb:2"}}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ctx := map[string]any{"exception": c.exception}
			if c.runtime != "" {
				ctx["runtime"] = c.runtime
			}
			b, err := json.Marshal(ctx)
			require.NoError(t, err)
			require.Equal(t, c.want, briefs(stacktrace.Parse(b)))
		})
	}
}

func TestParseNoException(t *testing.T) {
	t.Parallel()
	for _, ctx := range []string{``, `null`, `[]`, `"x"`, `{}`, `{"exception":null}`, `{"exception":12}`, `{"exception":"  "}`,
		`{"exception":{}}`, `{"exception":{"frames":[]}}`, `{"exception":{"class":"x"`, `{"a":1} {}`} {
		require.Nil(t, stacktrace.Parse([]byte(ctx)), ctx)
	}
}

func TestParseBounds(t *testing.T) {
	t.Parallel()
	// A chain of 30 causes keeps 10 exceptions.
	var ex any = map[string]any{"class": "E29"}
	for i := 28; i >= 0; i-- {
		ex = map[string]any{"class": fmt.Sprintf("E%d", i), "cause": ex}
	}
	exs := stacktrace.Parse(exceptionContext(t, ex))
	require.Len(t, exs, 10)
	require.Equal(t, "E9", exs[9].Type)

	// 300 frames keep 200; a huge string keeps 64 KiB's worth.
	frames := make([]any, 300)
	for i := range frames {
		frames[i] = map[string]any{"name": fmt.Sprint("f", i), "filename": "/app/x.js"}
	}
	exs = stacktrace.Parse(exceptionContext(t, map[string]any{"class": "E", "frames": frames}))
	require.Len(t, exs[0].Frames, stacktrace.MaxFrames)
	require.Equal(t, "f0", exs[0].Frames[0].Function)

	stack := strings.Repeat("Caused by: X: y\n\tat a.B.c(B.java:1)\n", 10_000)
	exs = stacktrace.Parse(exceptionContext(t, map[string]any{"class": "E", "stacktrace": "E: e\n\tat a.E.e(E.java:1)\n" + stack}))
	require.Len(t, exs, 10)

	// Deeply nested JSON is not followed.
	deep := strings.Repeat(`{"cause":`, 1000) + `{"class":"E"}` + strings.Repeat(`}`, 1000)
	require.NotPanics(t, func() { stacktrace.Parse([]byte(`{"exception":` + deep + `}`)) })
}

func TestSourceContext(t *testing.T) {
	t.Parallel()
	exs := stacktrace.Parse(exceptionContext(t, map[string]any{"type": "Expression", "tagContext": []any{
		map[string]any{"template": "/var/www/Cart.cfc", "line": 18, "codePrintPlain": "16: a\n17: b\n18: c\n19: d\n"},
	}}))
	f := exs[0].Frames[0]
	require.Equal(t, "c", f.ContextLine)
	require.Equal(t, []string{"a", "b"}, f.PreContext)
	require.Equal(t, []string{"d"}, f.PostContext)

	exs = stacktrace.Parse(exceptionContext(t, map[string]any{"class": "E", "frames": []any{map[string]any{
		"function": "f", "filename": "/app/x.js", "lineno": 3, "context_line": "c\n", "pre_context": []any{"a", 1, "b"},
		"post_context": []any{"d"}, "in_app": true,
	}}}))
	f = exs[0].Frames[0]
	require.Equal(t, stacktrace.Frame{Function: "f", File: "/app/x.js", Line: 3, InApp: true, ContextLine: "c",
		PreContext: []string{"a", "b"}, PostContext: []string{"d"}}, f)
}

func TestInApp(t *testing.T) {
	t.Parallel()
	library := [][2]string{
		{"Layer.handle", "/srv/app/node_modules/express/lib/router/layer.js"},
		{"Module._compile", "node:internal/modules/cjs/loader"},
		{"JSON.parse", "<anonymous>"},
		{"call_next", "/venv/lib/python3.12/site-packages/starlette/middleware/base.py"},
		{"run", "/usr/lib/python3.12/threading.py"},
		{"block in perform_now", "/usr/share/rubygems-integration/all/gems/activejob-6.1.7.10/lib/active_job/execution.rb"},
		{"loop", "<internal:kernel>"},
		{"System.Linq.Enumerable.Where", ""},
		{"Microsoft.AspNetCore.Mvc.Execute", ""},
		{"java.base/java.lang.Thread.run", "Thread.java"},
		{"wrap", "/srv/app/vendor/bundle/ruby/3.4.0/gems/money/lib/money.rb"},
		{"Handle", `C:\go\src\app\vendor\github.com\x\y.go`},
		{"", ""},
	}
	for _, f := range library {
		require.False(t, stacktrace.InApp(f[0], f[1]), "%v", f)
	}
	app := [][2]string{
		{"chargeCard", "file:///srv/app/src/logister-js-driver.mjs"},
		{"Shop.Services.OrderService.PayAsync", `C:\src\OrderService.cs`},
		{"app//com.example.Main.main", "Main.java"},
		{"vendor", "/srv/app/vendor.rb"},
		{"SystemTools.Run", ""},
	}
	for _, f := range app {
		require.True(t, stacktrace.InApp(f[0], f[1]), "%v", f)
	}
	require.False(t, stacktrace.IsLibrary("x", "/srv/app/vendor/x.go"), "vendor/ is a display rule, not a grouping one")
}

func TestParseStackLines(t *testing.T) {
	t.Parallel()
	got := stacktrace.ParseStack("Error: x\n    at f (/a.js:1:2)\n    at /b.js:3:4\ng@/c.js:5:6\n/d.rb:7:in 'h'\n  File \"/e.py\", line 8, in i")
	require.Equal(t, []stacktrace.Call{
		{Function: "f", File: "/a.js", Line: 1, Column: 2},
		{File: "/b.js", Line: 3, Column: 4},
		{Function: "g", File: "/c.js", Line: 5, Column: 6},
		{Function: "h", File: "/d.rb", Line: 7},
		{Function: "i", File: "/e.py", Line: 8},
	}, got)
	c, ok := stacktrace.ParseLine("at Shop.A.B(String s) in C:\\x\\A.cs:line 42")
	require.True(t, ok)
	require.Equal(t, stacktrace.Call{Function: "Shop.A.B", File: `C:\x\A.cs`, Line: 42}, c)
	_, ok = stacktrace.ParseLine("random text")
	require.False(t, ok)
}

func TestNormalizeKey(t *testing.T) {
	t.Parallel()
	var buf [stacktrace.MaxKeyBytes]byte
	for raw, want := range map[string]string{
		"stack_trace": "stacktrace", "stackTrace": "stacktrace", "TAG-CONTEXT": "tagcontext", "__cause__": "cause",
		"StackTraceString": "stacktracestring", "StackTraceStrings": "",
	} {
		require.Equal(t, want, string(stacktrace.NormalizeKey(buf[:0], []byte(raw))), raw)
	}
	require.Equal(t, stacktrace.KeyStackTrace, stacktrace.ExceptionKey([]byte("stacktrace")))
	require.Equal(t, stacktrace.KeyFile, stacktrace.FrameKey([]byte("abspath")))
	require.Equal(t, stacktrace.KeyUnknown, stacktrace.FrameKey([]byte("locals")))
}
