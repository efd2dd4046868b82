package stacktrace

import "strings"

// IsLibrary reports whether a frame belongs to a dependency or to the runtime, by its file or the
// namespace of its function: Node internals and node_modules, Python's standard library,
// site-packages and frozen modules, Ruby's standard library, gems and internals, frames of the JS
// engine itself or of browser extensions, and the namespaces of runtimes (.NET, the JVM, Android,
// Adobe ColdFusion, Lucee, Mono, Unity) and of common JVM frameworks.
//
// Grouping drops these frames from fingerprints (grouping.AlgorithmVersion 1): a change to what
// IsLibrary returns changes fingerprints and must come with a new algorithm version. Rules that
// only affect display belong in InApp.
func IsLibrary(function, file string) bool {
	return isLibraryFile(file) || isLibraryFunction(StripModule(strings.TrimSpace(function)))
}

// InApp is the in-app heuristic of the frame model, for frames whose SDK did not say: not a
// library frame (IsLibrary), not under a vendor/ or bundle/ directory (Go, PHP, Ruby's vendored
// bundles), and not a frame without any location.
func InApp(function, file string) bool {
	if file == "" && function == "" || IsLibrary(function, file) {
		return false
	}
	for rest := strings.ReplaceAll(file, `\`, "/"); rest != ""; {
		var seg string
		seg, rest, _ = strings.Cut(rest, "/")
		if seg == "vendor" && rest != "" {
			return false
		}
	}
	return true
}

// isLibraryFunction recognises the namespaces of runtimes (.NET, the JVM, Android, Adobe ColdFusion,
// Lucee, Mono, Unity) and of common JVM frameworks.
func isLibraryFunction(fn string) bool {
	head, rest, _ := strings.Cut(fn, ".")
	switch head {
	case "System", "Microsoft", "java", "javax", "jdk", "sun", "kotlin", "kotlinx", "android", "androidx",
		"dalvik", "libcore", "coldfusion", "lucee", "railo", "okhttp3", "retrofit2", "Mono", "UnityEngine":
		return rest != ""
	case "com":
		return strings.HasPrefix(rest, "sun.") || strings.HasPrefix(rest, "android.") ||
			strings.HasPrefix(rest, "google.android.")
	case "org":
		return strings.HasPrefix(rest, "apache.") || strings.HasPrefix(rest, "eclipse.jetty.") ||
			strings.HasPrefix(rest, "springframework.")
	case "io":
		return strings.HasPrefix(rest, "netty.")
	}
	return strings.HasPrefix(fn, "lambda_method") // .NET expression trees
}

// isLibraryFile recognises Node internals and node_modules, Python's standard library,
// site-packages and frozen modules, Ruby's standard library, gems and internals, and frames of
// the JS engine itself or of browser extensions.
func isLibraryFile(file string) bool {
	switch {
	case file == "", file == "native", file == "[native code]":
		return file != ""
	case file[0] == '<':
		return file == "<anonymous>" || strings.HasPrefix(file, "<frozen") || strings.HasPrefix(file, "<internal:")
	}
	for _, p := range [...]string{
		"node:", "internal/", "chrome-extension:", "moz-extension:", "safari-extension:", "safari-web-extension:",
		"index ", // V8's location of Promise.all's async frames: "at async Promise.all (index 0)"
	} {
		if strings.HasPrefix(file, p) {
			return true
		}
	}
	file = strings.ReplaceAll(file, `\`, "/")
	for prev, rest := "", file; rest != ""; {
		seg, after, _ := strings.Cut(rest, "/")
		switch {
		case seg == "node_modules", seg == "bower_components", seg == "site-packages", seg == "dist-packages",
			seg == "gems", strings.HasPrefix(seg, "rubygems"),
			(prev == "lib" || prev == "Lib") && (seg == "ruby" || strings.HasPrefix(seg, "python")),
			prev == "webpack" && seg == "bootstrap":
			return true
		}
		prev, rest = seg, after
	}
	return false
}

// StripModule drops a Java module or class-loader prefix from a function name:
// "java.base/java.lang.Thread.run" and "app//com.example.Main.main" lose what precedes the class.
func StripModule(fn string) string {
	i := strings.IndexByte(fn, '/')
	if i <= 0 {
		return fn
	}
	prefix, rest := fn[:i], strings.TrimLeft(fn[i:], "/")
	if !strings.ContainsAny(prefix, ".@") && !strings.HasPrefix(fn[i:], "//") {
		return fn
	}
	for j := 0; j < len(prefix); j++ {
		if c := prefix[j]; !isWordByte(c) && c != '.' && c != '@' && c != '-' {
			return fn
		}
	}
	if !strings.Contains(rest, ".") || strings.ContainsAny(rest, "</") {
		return fn
	}
	return rest
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
