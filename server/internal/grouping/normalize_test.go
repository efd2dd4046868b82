package grouping

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNormalizeMessage(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"User 42 not found":                             "User <n> not found",
		"Timeout after 3000ms contacting 10.0.0.4":      "Timeout after <n>ms contacting <ip>",
		"connect ECONNREFUSED 127.0.0.1:5432":           "connect ECONNREFUSED <ip>",
		"dial tcp [2001:db8::1]:443: i/o timeout":       "dial tcp [<ip>]:<n>: i/o timeout",
		"no route to fe80::1%eth0 or ::1.":              "no route to <ip>%eth<n> or <ip>.",
		"ActiveRecord::RecordNotFound at 12:30:45":      "ActiveRecord::RecordNotFound at <n>:<n>:<n>",
		"took 1.25s, 1,000 rows, v2.3.4":                "took <n>s, <n> rows, v<n>",
		"id 3f2a9c1b7d4e and 0x7fb9 and deadbeef":       "id <n> and <n> and deadbeef",
		"req_3f2a9c1b failed; utf8 ok":                  "req_<n> failed; utf<n> ok",
		"job 3f2a9c1b-7d4e-4f00-9a1b-2c3d4e5f6a7b died": "job <uuid> died",
		"at 2026-11-23T19:31:10.639Z and 2026-11-23":    "at <ts> and <ts>",
		"at 2025-01-02 03:04:05+01:00 sharp":            "at <ts> sharp",
		"mail bob.smith+x@example.co.uk now":            "mail <email> now",
		"GET https://api.example.com/v1/x?id=1&y=2 502": "GET https://api.example.com/v<n>/x?<query> <n>",
		"see http://x.test/a#frag":                      "see http://x.test/a?<query>",
		`undefined method 'name' for nil`:               "undefined method <str> for nil",
		"undefined method `name' for nil:NilClass":      "undefined method <str> for nil:NilClass",
		`can't find "the thing" (reading 'id')`:         "can't find <str> (reading <str>)",
		`KeyError: 'missing'`:                           "KeyError: <str>",
		`unclosed 'quote and it's fine`:                 "unclosed 'quote and it's fine",
		`escaped "a \" b" done`:                         "escaped <str> done",
		"  two   spaces\tand tab  \nsecond line 42":     "two spaces and tab",
		"": "",
	}
	for in, want := range cases {
		require.Equal(t, want, normalizeMessage(in), "%q", in)
	}
}

func TestNormalizeFile(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"/srv/app/src/x.mjs":                                     "src/x.mjs",
		"file:///srv/app/src/x.mjs":                              "src/x.mjs",
		"/app/app/models/user.rb":                                "models/user.rb",
		"/srv/shop/app/models/user.rb":                           "models/user.rb",
		"app/models/user.rb":                                     "models/user.rb",
		"/home/deploy/src/x.py":                                  "src/x.py",
		"/Users/alice/src/x.py":                                  "src/x.py",
		`C:\Users\alice\src\x.py`:                                "src/x.py",
		`C:\build\Shop\Order.cs`:                                 "Order.cs",
		"/var/task/index.js":                                     "index.js",
		"/var/www/shop/releases/20261123/lib/x.rb":               "lib/x.rb",
		"/srv/app/src/../lib/x.py":                               "lib/x.py",
		"/srv/app/node_modules/router/lib/route.js":              "router/lib/route.js",
		"https://cdn.example.com/static/js/main.3f2a9c1b.js?v=3": "static/js/main.js",
		"https://cdn.example.com/js/123.3f2a9c1b.chunk.js":       "js/123.chunk.js",
		"http://localhost:3000/assets/index-BxK3fE9a.js":         "assets/index.js",
		"http://localhost:3000/assets/index-3f2a9c1b0d.js":       "assets/index.js",
		"http://localhost:3000/assets/page-Settings.js":          "assets/page-Settings.js",
		"webpack://shop/./src/components/Cart.tsx":               "src/components/Cart.tsx",
		"webpack:///./src/components/Cart.tsx":                   "src/components/Cart.tsx",
		"/srv/app/src/x.js:12:5":                                 "src/x.js",
		"src/x.js":                                               "src/x.js",
		"node:internal/process/task_queues":                      "node:internal/process/task_queues",
		"<anonymous>":                                            "<anonymous>",
		"<filename unknown>":                                     "",
		"<a1b2c3d4e5f60718293a4b5c6d7e8f90>":                     "",
		"":                                                       "",
	}
	for in, want := range cases {
		require.Equal(t, want, normalizeFile(in), "%q", in)
	}
}

func TestNormalizeFunction(t *testing.T) {
	t.Parallel()
	cases := []struct{ fn, file, want string }{
		{"async OrderController.show [as handler]", "/app/x.js", "OrderController.show"},
		{"block (2 levels) in Checkout#call", "/app/x.rb", "call"},
		{"rescue in block in charge_card", "/app/x.rb", "charge_card"},
		{"Foo.bar", "/app/x.rb", "bar"},
		{"<top (required)>", "/app/x.rb", "<top (required)>"},
		{"Foo.bar", "/app/x.js", "Foo.bar"},
		{"cfCart2ecfc862523941$funcGETTOTAL.runFunction", "/var/www/Cart.cfc", "gettotal"},
		{"cfcheckout2ecfm1742931873.runPage", "/var/www/checkout.cfm", ""},
		{"java.base/java.lang.Thread.run", "Thread.java", "java.lang.Thread.run"},
		{"app//com.x.Main.lambda$main$12", "Main.java", "com.x.Main.lambda$main$"},
		{"com.x.Foo$$Lambda$14/0x0000000800c0b440.accept", "", "com.x.Foo$$Lambda$/.accept"},
		{"Shop.Svc.<>c__DisplayClass3_0.<PayAsync>b__0_1", "x.cs", "Shop.Svc.<>c__DisplayClass.<PayAsync>b__"},
		{"Shop.Svc.<PayAsync>d__5.MoveNext", "x.cs", "Shop.Svc.<PayAsync>d__.MoveNext"},
		{"System.Collections.Generic.List`1.Add + 0x1a", "", "System.Collections.Generic.List`.Add"},
		{"loadCart/<", "https://x/y.js", "loadCart/<"},
		{"<lambda>", "/app/x.py", "<lambda>"},
	}
	for _, c := range cases {
		require.Equal(t, c.want, normalizeFrame(c.fn, c.file).Function, "%q", c.fn)
	}
}

func TestIsLibrary(t *testing.T) {
	t.Parallel()
	library := [][2]string{
		{"next", "/srv/app/node_modules/router/lib/route.js"},
		{"Module._compile", "node:internal/modules/cjs/loader"},
		{"processTicksAndRejections", "internal/process/task_queues.js"},
		{"JSON.parse", "<anonymous>"},
		{"Promise.all", "index 0"},
		{"wsgi_app", "/usr/lib/python3/dist-packages/flask/app.py"},
		{"call_next", "/venv/lib/python3.12/site-packages/starlette/middleware/base.py"},
		{"run", "/usr/lib/python3.12/threading.py"},
		{"_call_with_frames_removed", "<frozen importlib._bootstrap>"},
		{"block in perform_now", "/usr/share/rubygems-integration/all/gems/activejob-6.1.7.10/lib/active_job/execution.rb"},
		{"loop", "<internal:kernel>"},
		{"System.Linq.Enumerable.Where", ""},
		{"Microsoft.AspNetCore.Mvc.Execute", ""},
		{"coldfusion.runtime.CfJspPage._get", "CfJspPage.java"},
		{"lucee.runtime.PageContextImpl.doInclude", "PageContextImpl.java"},
		{"java.base/java.lang.Thread.run", "Thread.java"},
		{"android.view.View.performClick", "View.java"},
		{"kotlinx.coroutines.DispatchedTask.run", "DispatchedTask.kt"},
	}
	for _, f := range library {
		require.True(t, isLibrary(f[0], f[1]), "%v", f)
	}
	app := [][2]string{
		{"chargeCard", "file:///srv/app/src/logister-js-driver.mjs"},
		{"checkout", "/srv/app/src/logister_python_driver.py"},
		{"charge_card", "/srv/app/src/logister_ruby_driver.rb"},
		{"Shop.Services.OrderService.PayAsync", `C:\src\OrderService.cs`},
		{"cfcheckout2ecfm1742931873.runPage", "/var/www/checkout.cfm"},
		{"app//com.example.Main.main", "Main.java"},
		{"SystemTools.Run", ""},
	}
	for _, f := range app {
		require.False(t, isLibrary(f[0], f[1]), "%v", f)
	}
}
