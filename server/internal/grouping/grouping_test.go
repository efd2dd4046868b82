package grouping_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/grouping"
)

func ctx(exception string) []byte {
	return []byte(`{"environment":"production","exception":` + exception + `}`)
}

func jsFrames(root string, line int, fn string) []byte {
	frame := func(name, file string, l int) string {
		b, _ := json.Marshal(map[string]any{"name": name, "filename": file, "lineno": l, "colno": l % 7})
		return string(b)
	}
	return ctx(`{"class":"TypeError","frames":[` +
		frame(fn, root+"src/cart.js", line) + "," +
		frame("checkout", root+"src/checkout.js", line+40) + "," +
		frame("Layer.handle", root+"node_modules/express/lib/router/layer.js", 95) + `]}`)
}

func rubyBacktrace(lines ...string) []byte {
	b, _ := json.Marshal(map[string]any{"class": "NoMethodError", "backtrace": lines})
	return ctx(string(b))
}

func stackContext(key, class, stack string) []byte {
	b, _ := json.Marshal(map[string]string{"class": class, key: stack})
	return ctx(string(b))
}

type event struct {
	message string
	context []byte
}

// TestSameBugSameFingerprint checks that what changes between deployments, builds and runs of
// one bug does not change its fingerprint.
func TestSameBugSameFingerprint(t *testing.T) {
	t.Parallel()
	cases := map[string][]event{
		"js frames: lines, columns and absolute roots": {
			{"a", jsFrames("/srv/app/", 10, "addItem")},
			{"b", jsFrames("/app/", 12, "addItem")},
			{"c", jsFrames("file:///home/deploy/", 99, "addItem")},
			{"d", jsFrames(`C:\Users\alice\`, 7, "addItem")},
			{"e", jsFrames("/var/www/releases/20261123101500/", 7, "addItem")},
		},
		"v8 stack: bundle hashes, query strings, hosts, async": {
			{"", stackContext("stack", "Error", "Error: x\n    at addItem (https://cdn-1.example.com/static/js/main.3f2a9c1b.js?v=1:2:100)\n    at https://cdn-1.example.com/static/js/main.3f2a9c1b.js?v=1:2:300")},
			{"", stackContext("stack", "Error", "Error: y\n    at async addItem (https://cdn-2.example.com/static/js/main.9e8d7c6b.js?v=2:2:140)\n    at https://cdn-2.example.com/static/js/main.9e8d7c6b.js#top:2:390")},
		},
		"js frames and the v8 stack string of the same error": {
			{"", jsFrames("/srv/app/", 10, "addItem")},
			{"", stackContext("stack", "TypeError", "TypeError: x\n    at addItem (/srv/app/src/cart.js:10:3)\n    at checkout (/srv/app/src/checkout.js:50:1)\n    at Layer.handle [as handle_request] (/srv/app/node_modules/express/lib/router/layer.js:95:5)")},
		},
		"ruby 3.3 and ruby 3.4 backtraces, different roots": {
			{"", rubyBacktrace("/srv/shop/app/models/order.rb:57:in `total_cents'", "/srv/shop/app/services/checkout.rb:23:in `block (2 levels) in call'", "/usr/local/bundle/gems/activerecord-7.1.0/lib/active_record/transactions.rb:372:in `transaction'", "/srv/shop/app/services/checkout.rb:19:in `call'")},
			{"", rubyBacktrace("/app/app/models/order.rb:58:in 'Order#total_cents'", "/app/app/services/checkout.rb:24:in 'block (2 levels) in Checkout#call'", "/usr/local/bundle/gems/activerecord-8.0.1/lib/active_record/transactions.rb:380:in 'ActiveRecord::Transactions#transaction'", "/app/app/services/checkout.rb:20:in 'Checkout#call'")},
			{"", rubyBacktrace("app/models/order.rb:58:in 'Order#total_cents'", "app/services/checkout.rb:24:in 'block in Checkout#call'", "app/services/checkout.rb:20:in 'Checkout#call'")},
		},
		"python frames and backtrace strings": {
			{"", ctx(`{"class":"KeyError","module":"builtins","frames":[{"filename":"/srv/app/shop/views.py","lineno":88,"name":"checkout"},{"filename":"/usr/lib/python3.12/json/decoder.py","lineno":3,"name":"decode"},{"filename":"/srv/app/shop/payments.py","lineno":41,"name":"charge"}]}`)},
			{"", ctx(`{"class":"KeyError","backtrace":["File \"/app/shop/views.py\", line 90, in checkout","File \"/usr/local/lib/python3.11/json/decoder.py\", line 3, in decode","File \"/app/shop/payments.py\", line 44, in charge"]}`)},
		},
		"dotnet: build paths, lines, closure and state machine numbers": {
			{"", stackContext("stack_trace", "System.InvalidOperationException", "   at Shop.OrderService.<PayAsync>b__3_0(Order o) in C:\\agent\\_work\\1\\s\\src\\Shop\\OrderService.cs:line 57\n   at Shop.OrderService.<PayAsync>d__5.MoveNext() in C:\\agent\\_work\\1\\s\\src\\Shop\\OrderService.cs:line 61")},
			{"", stackContext("stack_trace", "System.InvalidOperationException", "   at Shop.OrderService.<PayAsync>b__4_1(Order o) in /home/runner/work/shop/src/Shop/OrderService.cs:line 59\n   at Shop.OrderService.<PayAsync>d__7.MoveNext() in /home/runner/work/shop/src/Shop/OrderService.cs:line 63")},
		},
		"cfml tagContext and stacktrace": {
			{"", ctx(`{"type":"Expression","tagContext":[{"template":"/var/www/Cart.cfc","line":18,"raw_trace":"at cfCart2ecfc862523941$funcGETTOTAL.runFunction(/var/www/Cart.cfc:18)"},{"template":"/var/www/checkout.cfm","line":42}]}`)},
			{"", ctx(`{"TYPE":"Expression","TAGCONTEXT":[{"TEMPLATE":"C:\\inetpub\\wwwroot\\Cart.cfc","LINE":18,"RAW_TRACE":"at cfCart2ecfc1$funcGetTotal.runFunction(C:\\inetpub\\wwwroot\\Cart.cfc:18)"},{"TEMPLATE":"C:\\inetpub\\wwwroot\\checkout.cfm","LINE":40}]}`)},
			{"", stackContext("stacktrace", "Expression", "coldfusion.runtime.UndefinedVariableException: x\n\tat coldfusion.runtime.CfJspPage._get(CfJspPage.java:377)\n\tat cfCart2ecfc110011$funcGETTOTAL.runFunction(/app/Cart.cfc:19)\n\tat cfcheckout2ecfm99.runPage(/app/checkout.cfm:44)")},
		},
		"recursion depth": {
			{"", stackContext("stack", "RangeError", "RangeError: x\n    at walk (/app/src/tree.js:3:1)\n    at walk (/app/src/tree.js:5:1)\n    at main (/app/src/index.js:1:1)")},
			{"", stackContext("stack", "RangeError", "RangeError: x\n    at walk (/app/src/tree.js:3:1)\n    at walk (/app/src/tree.js:5:1)\n    at walk (/app/src/tree.js:5:1)\n    at walk (/app/src/tree.js:5:1)\n    at main (/app/src/index.js:1:1)")},
		},
		"message: ids": {{"User 42 not found", nil}, {"User 97 not found", nil}, {"User 1234567890 not found\nat line 2", []byte("{}")}},
		"message: durations and ipv4": {
			{"Timeout after 3000ms contacting 10.0.0.4", nil},
			{"Timeout after 5000ms contacting 10.0.0.9", nil},
			{"  Timeout after 1.5ms contacting 192.168.100.200:5432 ", nil},
		},
		"message: uuid, email, timestamp, url query, quotes, hex, ipv6": {
			{`Job 3f2a9c1b-7d4e-4f00-9a1b-2c3d4e5f6a7b for "alice@example.com" failed at 2026-11-23T19:31:10.639Z: GET https://api.example.com/v1/x?id=1 from 2001:db8::1 (ref deadbeef01)`, nil},
			{`Job 00000000-0000-4000-8000-000000000000 for "bob" failed at 2025-01-02 03:04:05+01:00: GET https://api.example.com/v1/x?id=2&y=3 from fe80::1 (ref 0x7fb9)`, nil},
		},
		"message from the exception when the event has none": {
			{"", ctx(`{"class":"E","message":"Order 42 failed"}`)},
			{"", ctx(`{"class":"E","message":"Order 43 failed"}`)},
		},
	}
	for name, events := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			first := grouping.Compute("", events[0].message, events[0].context)
			for _, e := range events[1:] {
				got := grouping.Compute("", e.message, e.context)
				require.Equal(t, first.Fingerprint, got.Fingerprint, "%+v\n%+v", first, got)
			}
		})
	}
}

// TestDifferentBugDifferentFingerprint checks that what distinguishes bugs changes the fingerprint.
func TestDifferentBugDifferentFingerprint(t *testing.T) {
	t.Parallel()
	cases := map[string][2]event{
		"exception type": {
			{"", jsFrames("/app/", 10, "addItem")},
			{"", []byte(strings.Replace(string(jsFrames("/app/", 10, "addItem")), "TypeError", "RangeError", 1))},
		},
		"in-app function": {{"", jsFrames("/app/", 10, "addItem")}, {"", jsFrames("/app/", 10, "removeItem")}},
		"in-app file": {
			{"", stackContext("stack", "Error", "Error\n    at run (/app/src/a.js:1:1)")},
			{"", stackContext("stack", "Error", "Error\n    at run (/app/src/b.js:1:1)")},
		},
		"ruby method": {
			{"", rubyBacktrace("/app/app/models/order.rb:57:in 'Order#total_cents'")},
			{"", rubyBacktrace("/app/app/models/order.rb:57:in 'Order#tax_cents'")},
		},
		"message words": {{"User 42 not found", nil}, {"Order 42 not found", nil}},
		"message exception type": {
			{"Timeout after 3000ms", ctx(`{"class":"TimeoutError"}`)},
			{"Timeout after 3000ms", ctx(`{"class":"ConnectTimeout"}`)},
		},
		"stack versus message": {
			{"boom", stackContext("stack", "Error", "Error: boom\n    at run (/app/src/a.js:1:1)")},
			{"boom", ctx(`{"class":"Error"}`)},
		},
	}
	for name, events := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			a := grouping.Compute("", events[0].message, events[0].context)
			b := grouping.Compute("", events[1].message, events[1].context)
			require.NotEqual(t, a.Fingerprint, b.Fingerprint, "%+v\n%+v", a, b)
		})
	}
}

func TestClientFingerprintIsVerbatim(t *testing.T) {
	t.Parallel()
	context := jsFrames("/app/", 10, "addItem")
	for _, fp := range []string{"payment-declined", " Spaces And CASE ", "a9dd5efa548a3f51505a70ea23ecb142", "tx:GET /users/:id"} {
		got := grouping.Compute(fp, "User 42 not found", context)
		require.Equal(t, grouping.Result{
			Fingerprint: fp, Source: grouping.SourceClient, ExceptionType: "TypeError", Frames: []grouping.Frame{},
		}, got)
	}
	for _, blank := range []string{"", " ", "\t\n"} {
		got := grouping.Compute(blank, "User 42 not found", context)
		require.Equal(t, grouping.SourceStack, got.Source)
		require.Equal(t, grouping.AlgorithmVersion, got.Version)
		require.Len(t, got.Fingerprint, 32)
	}
}

func TestOnlyTopTenInAppFrames(t *testing.T) {
	t.Parallel()
	var lines []string
	for _, fn := range strings.Fields("a b c d e f g h i j k l") {
		lines = append(lines, "    at "+fn+" (/app/src/"+fn+".js:1:1)", "    at lib (/app/node_modules/x/index.js:1:1)")
	}
	got := grouping.Compute("", "", stackContext("stack", "Error", "Error: x\n"+strings.Join(lines, "\n")))
	require.Len(t, got.Frames, 10)
	require.Equal(t, grouping.Frame{Function: "a", File: "src/a.js"}, got.Frames[0])
	require.Equal(t, grouping.Frame{Function: "j", File: "src/j.js"}, got.Frames[9])

	// Changing an eleventh in-app frame does not matter; changing the tenth does.
	k := grouping.Compute("", "", stackContext("stack", "Error", "Error: x\n"+strings.Join(lines, "\n")+"\n    at z (/app/src/z.js:1:1)"))
	require.Equal(t, got.Fingerprint, k.Fingerprint)
	lines[18] = "    at jj (/app/src/j.js:1:1)"
	j := grouping.Compute("", "", stackContext("stack", "Error", "Error: x\n"+strings.Join(lines, "\n")))
	require.NotEqual(t, got.Fingerprint, j.Fingerprint)
}

func TestInAppFlagWins(t *testing.T) {
	t.Parallel()
	got := grouping.Compute("", "", ctx(`{"class":"E","frames":[
		{"function":"vendored","filename":"/app/node_modules/ours/x.js","in_app":true},
		{"function":"generated","filename":"/app/src/gen.js","inApp":false},
		{"function":"handler","filename":"/app/src/h.js"}]}`))
	require.Equal(t, []grouping.Frame{{Function: "vendored", File: "ours/x.js"}, {Function: "handler", File: "src/h.js"}}, got.Frames)
}

func TestAllLibraryFramesFallBackToAllFrames(t *testing.T) {
	t.Parallel()
	got := grouping.Compute("", "", stackContext("stack", "Error", "Error: x\n    at Module._compile (node:internal/modules/cjs/loader:1364:14)\n    at next (/app/node_modules/router/lib/route.js:157:13)"))
	require.Equal(t, grouping.SourceStack, got.Source)
	require.Equal(t, []grouping.Frame{
		{Function: "Module._compile", File: "node:internal/modules/cjs/loader"},
		{Function: "next", File: "router/lib/route.js"},
	}, got.Frames)
}

func TestHugeInputIsBounded(t *testing.T) {
	t.Parallel()
	stack := strings.Repeat("    at f (/app/src/f.js:1:1)\n    at g (/app/src/g.js:1:1)\n", 100_000)
	require.Len(t, grouping.ParseStack(stack), 200)
	frames := strings.Repeat(`{"name":"f","filename":"/app/x.js"},`, 100_000)
	got := grouping.Compute("", strings.Repeat("x", 1<<20), ctx(`{"class":"E","frames":[`+frames+`{}]}`))
	require.Equal(t, []grouping.Frame{{Function: "f", File: "x.js"}}, got.Frames)
}

// typicalContext is a 1.5 KB error context with a 15-frame stack (9 in-app frames), shaped like
// what logister-js sends.
func typicalContext(tb testing.TB) (context []byte, stack string) {
	tb.Helper()
	var sb strings.Builder
	sb.WriteString("TypeError: Cannot read properties of undefined (reading 'id')\n")
	for i := range 15 {
		if i%5 == 3 || i%5 == 4 {
			fmt.Fprintf(&sb, "    at Layer.handle%d (/app/node_modules/express/lib/router/layer.js:%d:5)\n", i, 90+i)
		} else {
			fmt.Fprintf(&sb, "    at async Service.step%d (/app/dist/services/s%d.js:%d:%d)\n", i, i, 10*i+3, i+1)
		}
	}
	c := map[string]any{
		"runtime": "node", "service": "checkout", "environment": "production", "release": "checkout@1.2.3",
		"node":       map[string]any{"version": "v20.20.2", "platform": "linux", "arch": "x64", "pid": 31951},
		"trace_id":   "4bf92f3577b34da6a3ce929d0e0e4736",
		"request_id": "req-js-0001",
		"exception": map[string]any{
			"class": "TypeError", "message": "Cannot read properties of undefined (reading 'id')",
			"stack": sb.String(),
		},
	}
	context, err := json.Marshal(c)
	require.NoError(tb, err)
	return context, sb.String()
}

// BenchmarkCompute measures Compute on the typical context (V8 stack string), on the same frames
// as structured JS frames, on a Ruby backtrace and on a message without a stack.
func BenchmarkCompute(b *testing.B) {
	stackCtx, stack := typicalContext(b)
	frames := grouping.ParseStack(stack)
	jsFrames := make([]map[string]any, 0, len(frames))
	ruby := make([]string, 0, len(frames))
	for _, fr := range frames {
		jsFrames = append(jsFrames, map[string]any{"name": fr.Function, "filename": fr.File, "lineno": fr.Line, "colno": fr.Column})
		ruby = append(ruby, fmt.Sprintf("%s:%d:in 'Klass#%s'", strings.Replace(fr.File, ".js", ".rb", 1), fr.Line, fr.Function))
	}
	framesCtx, err := json.Marshal(map[string]any{"runtime": "node", "exception": map[string]any{"class": "TypeError", "frames": jsFrames}})
	require.NoError(b, err)
	rubyCtx, err := json.Marshal(map[string]any{"exception": map[string]any{"class": "NoMethodError", "backtrace": ruby}})
	require.NoError(b, err)
	msgCtx := []byte(`{"environment":"production","exception":{"class":"TimeoutError"}}`)
	require.Len(b, frames, 15)

	for _, bc := range []struct {
		name, message string
		context       []byte
	}{
		{"v8-stack", "", stackCtx},
		{"js-frames", "", framesCtx},
		{"ruby-backtrace", "", rubyCtx},
		{"message", "Timeout after 3000ms contacting 10.0.0.4 for user 42 at 2026-11-23T19:31:10Z", msgCtx},
	} {
		b.Run(fmt.Sprintf("%s-%dB", bc.name, len(bc.context)), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				grouping.Compute("", bc.message, bc.context)
			}
		})
	}
}
