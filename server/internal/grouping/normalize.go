package grouping

import (
	"path"
	"strings"

	"github.com/logister/logister/server/internal/stacktrace"
)

// isRootDir reports whether the directory dir (whose parent path is parent) is one under which
// applications are deployed or dependencies installed. A path is cut after the rightmost such
// directory, so "/srv/shop/app/models/user.rb", "/app/app/models/user.rb" and the relative
// "app/models/user.rb" all become "models/user.rb".
func isRootDir(dir, parent string) bool {
	switch dir {
	case "app", "srv", "opt", "workspace", "code", "current", "wwwroot", "htdocs", "public_html",
		"webapps", "node_modules", "site-packages", "dist-packages", "gems":
		return true
	case "www": // /var/www
		return parent == "var" || strings.HasSuffix(parent, "/var")
	case "src": // /usr/src
		return parent == "usr" || strings.HasSuffix(parent, "/usr")
	}
	return false
}

// isVaryingParent reports whether the directory after dir varies (a user, a release) and is cut too.
func isVaryingParent(dir string) bool {
	return dir == "home" || dir == "Users" || dir == "releases"
}

// cutRoot returns what follows the rightmost root directory of p, if any.
func cutRoot(p string) (string, bool) {
	next, afterNext := -1, -1 // where the next two segments start; -1 when there is none
	for end := len(p); end > 0; {
		start := strings.LastIndexByte(p[:end], '/') + 1
		if next >= 0 {
			dir := p[start:end]
			if isRootDir(dir, p[:max(start-1, 0)]) {
				return p[next:], true
			}
			if afterNext >= 0 && isVaryingParent(dir) {
				return p[afterNext:], true
			}
		}
		next, afterNext = start, next
		end = start - 1
	}
	return p, false
}

// isLibrary reports whether a raw frame belongs to a dependency or the runtime (stacktrace.IsLibrary,
// whose rules are part of the algorithm).
func isLibrary(fn, file string) bool {
	return stacktrace.IsLibrary(fn, file)
}

// normalizeFrame reduces a raw frame to what identifies it across deployments, builds and runs.
func normalizeFrame(fn, file string) Frame {
	file = normalizeFile(file)
	ext := extension(file)
	switch ext {
	case ".cs", ".vb", ".fs": // build-machine paths; the function is fully qualified anyway
		file = file[strings.LastIndexByte(file, '/')+1:]
	}
	return Frame{Function: normalizeFunction(fn, ext), File: file}
}

// normalizeFile drops URL schemes, hosts and query strings, drive letters, line and column
// suffixes, "." and "..", everything up to the rightmost root directory (see isRootDir; for an
// absolute path without one, the whole directory) and JS bundle content hashes. Backslashes
// become slashes.
func normalizeFile(file string) string {
	file = strings.TrimSpace(truncate(file, 4*maxFieldBytes))
	if file == "" {
		return ""
	}
	if file[0] == '<' { // "<anonymous>", "<frozen runpy>", Mono's "<filename unknown>" and "<mvid>"
		if inner := strings.Trim(file, "<>"); inner == "filename unknown" || isHexID(inner) {
			return ""
		}
		return truncate(file, maxFieldBytes)
	}
	abs := false
	if i := strings.Index(file, "://"); i > 0 && isScheme(file[:i]) {
		rest := file[i+3:]
		if j := strings.IndexAny(rest, "?#"); j >= 0 {
			rest = rest[:j]
		}
		_, rest, _ = strings.Cut(rest, "/") // the host, empty for file:///
		abs = strings.EqualFold(file[:i], "file")
		file = rest
	} else if j := strings.IndexByte(file, '?'); j >= 0 {
		file = file[:j]
	}
	file, _, _ = stacktrace.SplitLineCol(strings.ReplaceAll(file, `\`, "/"))
	if len(file) >= 2 && file[1] == ':' && isLetter(file[0]) {
		file, abs = file[2:], true
	}
	abs = abs || strings.HasPrefix(file, "/")
	p := file
	if strings.Contains(p, "//") || strings.Contains(p, "./") || strings.HasSuffix(p, ".") {
		p = path.Clean("/" + p)
	}
	if rest, ok := cutRoot(p); ok {
		p = rest
	} else if abs {
		p = p[strings.LastIndexByte(p, '/')+1:]
	} else {
		p = strings.TrimPrefix(p, "/")
	}
	return truncate(stripBundleHash(p), maxFieldBytes)
}

// stripBundleHash drops content hashes from JS and CSS bundle names: "main.3f2a9c1b.js",
// "main-3f2a9c1b.js" and Vite's "index-BxK3fE9a.js" all become "main.js" or "index.js".
func stripBundleHash(p string) string {
	switch extension(p) {
	case ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".css":
	default:
		return p
	}
	dir, base := "", p
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		dir, base = p[:i+1], p[i+1:]
	}
	first, last := strings.IndexByte(base, '.'), strings.LastIndexByte(base, '.')
	name, middle := base[:first], base[first:last]
	if i := strings.LastIndexByte(name, '-'); i > 0 && isHexID(name[i+1:]) {
		name = name[:i]
	} else if n := len(name); n > 9 && name[n-9] == '-' && isViteHash(name[n-8:]) {
		name = name[:n-9]
	}
	kept := middle
	if middle != "" {
		var b strings.Builder
		for _, part := range strings.Split(middle[1:], ".") {
			if !isHexID(part) {
				b.WriteByte('.')
				b.WriteString(part)
			}
		}
		kept = b.String()
	}
	if len(name) == first && kept == middle {
		return p
	}
	return dir + name + kept + base[last:]
}

// isViteHash reports whether s looks like Rollup's 8-character base64url hash rather than a word:
// it has a digit, or an upper-case letter after the first character.
func isViteHash(s string) bool {
	mixed := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9', c >= 'A' && c <= 'Z' && i > 0:
			mixed = true
		case isWordByte(c), c == '-':
		default:
			return false
		}
	}
	return mixed
}

// normalizeFunction drops V8's "async " and " [as alias]", Ruby's block prefixes and receivers,
// Java module prefixes, memory addresses and compiler-generated lambda numbers. CFML frames keep
// only the UDF name that Adobe ColdFusion puts in its class names ("cfutils2ecfc123$funcGETUSER").
// ext is the extension of the frame's file.
func normalizeFunction(fn, ext string) string {
	fn = strings.TrimSpace(truncate(fn, 4*maxFieldBytes))
	fn = strings.TrimPrefix(fn, "async ")
	if i := strings.IndexByte(fn, '['); i > 0 && strings.HasPrefix(fn[i-1:], " [as ") {
		fn = fn[:i-1]
	}
	switch ext {
	case ".rb", ".erb", ".rake", ".ru", ".haml", ".slim", ".builder", ".jbuilder":
		fn = rubyMethod(fn)
	case ".cfm", ".cfc", ".cfml", ".cfs":
		fn = cfmlFunction(fn)
	}
	fn = stacktrace.StripModule(fn)
	if i := strings.IndexByte(fn, '+'); i > 0 && strings.HasPrefix(fn[i-1:], " + 0x") { // .NET native offset
		fn = fn[:i-1]
	}
	return truncate(strings.TrimSpace(stripGenerated(fn)), maxFieldBytes)
}

// rubyMethod turns "block (2 levels) in Klass#meth" (Ruby 3.4) and "rescue in meth" (older Rubies)
// into "meth", so that upgrading Ruby does not regroup errors.
func rubyMethod(fn string) string {
	for strings.HasPrefix(fn, "block (") || strings.HasPrefix(fn, "block in ") ||
		strings.HasPrefix(fn, "rescue in ") || strings.HasPrefix(fn, "ensure in ") {
		_, after, ok := strings.Cut(fn, " in ")
		if !ok {
			break
		}
		fn = after
	}
	if fn != "" && fn[0] != '<' {
		if i := strings.LastIndexAny(fn, "#."); i >= 0 && i < len(fn)-1 {
			fn = fn[i+1:]
		}
	}
	return fn
}

// cfmlFunction returns the lowercased UDF name of an Adobe ColdFusion frame, or "": the generated
// class names ("cftest2ecfm1234567.runPage", Lucee's "index_cfm$cf.call") vary between servers.
func cfmlFunction(fn string) string {
	_, name, ok := strings.Cut(fn, "$func")
	if !ok {
		return ""
	}
	name, _, _ = strings.Cut(name, ".")
	return strings.ToLower(name)
}

// stripGenerated removes "0x…" addresses and the numbers compilers give anonymous functions:
// Java "lambda$main$0" and "Foo$1", C# "<Main>b__0_1", "<RunAsync>d__5", "<>c__DisplayClass2_0",
// and generic arities ("List`1").
func stripGenerated(fn string) string {
	if !strings.ContainsAny(fn, "$_`0") {
		return fn
	}
	var b strings.Builder
	b.Grow(len(fn))
	for i := 0; i < len(fn); {
		c := fn[i]
		if c == '0' && i+2 < len(fn) && (fn[i+1] == 'x' || fn[i+1] == 'X') && isHexDigit(fn[i+2]) &&
			(i == 0 || !isWordByte(fn[i-1])) {
			for i += 2; i < len(fn) && isHexDigit(fn[i]); i++ {
			}
			continue
		}
		if isDigit(c) && generatedNumberFollows(fn[:i]) {
			for i < len(fn) && (isDigit(fn[i]) || fn[i] == '_' && i+1 < len(fn) && isDigit(fn[i+1])) {
				i++
			}
			continue
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

func generatedNumberFollows(prefix string) bool {
	return strings.HasSuffix(prefix, "$") || strings.HasSuffix(prefix, "__") ||
		strings.HasSuffix(prefix, "`") || strings.HasSuffix(prefix, "DisplayClass")
}

// extension returns the lowercased extension of a file name or path (either slash).
func extension(file string) string {
	i := strings.LastIndexByte(file, '.')
	if i < 0 || strings.IndexByte(file[i:], '/') >= 0 || strings.IndexByte(file[i:], '\\') >= 0 {
		return ""
	}
	return strings.ToLower(file[i:])
}

// isScheme reports whether s is a URL scheme: "file", "http", "webpack-internal", "app".
func isScheme(s string) bool {
	if !isLetter(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isLetter(c) && !isDigit(c) && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

// isHexID reports whether s is "0x…" or at least 8 hex digits of which one is a decimal digit.
func isHexID(s string) bool {
	prefixed := len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')
	if prefixed {
		s = s[2:]
	} else if len(s) < 8 {
		return false
	}
	digit := prefixed
	for i := 0; i < len(s); i++ {
		if !isHexDigit(s[i]) {
			return false
		}
		digit = digit || isDigit(s[i])
	}
	return digit
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isHexDigit(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
