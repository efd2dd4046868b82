package grouping_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/grouping"
)

func TestParseStack(t *testing.T) {
	t.Parallel()
	type rf = grouping.RawFrame
	cases := map[string][]rf{
		// V8
		"TypeError: x\n    at chargeCard (file:///srv/app/src/d.mjs:88:11)\n    at file:///srv/app/src/d.mjs:97:9": {
			{Function: "chargeCard", File: "file:///srv/app/src/d.mjs", Line: 88, Column: 11},
			{File: "file:///srv/app/src/d.mjs", Line: 97, Column: 9},
		},
		"    at async Promise.all (index 0)\n    at JSON.parse (<anonymous>)\n    at <anonymous>": {
			{Function: "Promise.all", File: "index 0"},
			{Function: "JSON.parse", File: "<anonymous>"},
			{File: "<anonymous>"},
		},
		"at eval (eval at run (/app/x.js:3:9), <anonymous>:1:1)\nat Foo.bar [as baz] (C:\\app\\x.js:1:2)": {
			{Function: "eval", File: "/app/x.js", Line: 3, Column: 9},
			{Function: "Foo.bar [as baz]", File: `C:\app\x.js`, Line: 1, Column: 2},
		},
		// Firefox / Safari
		"fetchJSON@https://x.test/main.js:2:14\n@https://x.test/main.js:2:17\nglobal code@https://x.test/a.js:1:1": {
			{Function: "fetchJSON", File: "https://x.test/main.js", Line: 2, Column: 14},
			{File: "https://x.test/main.js", Line: 2, Column: 17},
			{Function: "global code", File: "https://x.test/a.js", Line: 1, Column: 1},
		},
		// Python: reversed to innermost first.
		"Traceback (most recent call last):\n  File \"/srv/app/a.py\", line 5, in <module>\n    main()\n  File \"/srv/app/b.py\", line 9, in main\n    raise X\nX: boom": {
			{Function: "main", File: "/srv/app/b.py", Line: 9},
			{Function: "<module>", File: "/srv/app/a.py", Line: 5},
		},
		// Ruby, both quote styles, "from" lines.
		"/app/x.rb:12:in 'Klass#meth': boom (RuntimeError)\n\tfrom /app/y.rb:3:in `block in <main>'\n\tfrom /app/z.rb:7\n-e:1:in '<main>'": {
			{Function: "Klass#meth", File: "/app/x.rb", Line: 12},
			{Function: "block in <main>", File: "/app/y.rb", Line: 3},
			{File: "/app/z.rb", Line: 7},
			{Function: "<main>", File: "-e", Line: 1},
		},
		// .NET, with and without a file, localised "line", Mono.
		"System.Exception: x\n   at Shop.A.B(String s, Int32 i) in C:\\src\\A.cs:line 42\n   at Shop.A.C() in /src/A.cs:Zeile 7\n   at Shop.A.D()\n  at Shop.A.E (System.String s) [0x0001c] in /src/A.cs:12 ": {
			{Function: "Shop.A.B", File: `C:\src\A.cs`, Line: 42},
			{Function: "Shop.A.C", File: "/src/A.cs", Line: 7},
			{Function: "Shop.A.D"},
			{Function: "Shop.A.E", File: "/src/A.cs", Line: 12},
		},
		// Java, Android, CFML.
		"java.lang.X: y\n\tat com.x.Y.m(Y.java:12)\n\tat java.lang.reflect.Method.invoke(Native Method)\n\tat a.b(SourceFile:3)\n\tat cftest2ecfm1.runPage(/var/www/test.cfm:5)\n\t... 3 more\nCaused by: java.lang.Z\n\tat com.x.Z.n(Unknown Source)": {
			{Function: "com.x.Y.m", File: "Y.java", Line: 12},
			{Function: "java.lang.reflect.Method.invoke"},
			{Function: "a.b", Line: 3},
			{Function: "cftest2ecfm1.runPage", File: "/var/www/test.cfm", Line: 5},
			{Function: "com.x.Z.n"},
		},
		// Not frames.
		"": nil,
		"Error: at 12:30 ok\nat nothing\n...(+2 more)\nrandom text": nil,
		"File \"x.py\"": nil,
	}
	for stack, want := range cases {
		require.Equal(t, want, grouping.ParseStack(stack), "%q", stack)
	}
}
