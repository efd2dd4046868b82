package stacktrace

import "strings"

// Limits of the string parser.
const (
	MaxStackBytes = 64 << 10 // bytes of one stack string that are parsed
	MaxFrames     = 200      // frames kept of one stack (of one exception, for Parse)
)

// Call is what one line of a printed stack trace says: a function and where it was.
type Call struct {
	Function string // as printed: "Shop.A.B", "block in <main>", "" when anonymous
	File     string // as printed: a path, a URL, "<anonymous>", "" when not printed
	Line     int    // 0 when unknown
	Column   int    // 0 when unknown
}

// ParseStack parses a stack trace string of any supported runtime into calls, innermost first.
//
// It reads V8 ("at fn (file:line:col)", "at file:line:col", "at async fn (…)"), Firefox and Safari
// ("fn@file:line:col"), Python ("File "f", line n, in m"), Ruby ("file:line:in 'm'" and "in `m'"),
// .NET ("at N.C.M(args) in file:line n", and Mono's "[0x…] in file:n") and Java, Android and CFML
// ("at pkg.Class.method(File.java:12)") lines. Other lines, such as the "Type: message" header,
// Python source lines and "... 5 more", are skipped.
//
// Calls come innermost first, the order in which every runtime but Python prints them; Python
// tracebacks are reversed. The calls of chained exceptions are all kept, in that order: a Java
// "Caused by:" section comes after the calls of the exception that wraps it, a .NET inner exception
// before them, and a Python exception's cause after them (Parse splits them into exceptions
// instead). At most MaxStackBytes and MaxFrames are read.
//
// The grouping fingerprints (grouping.AlgorithmVersion 1) are computed from what this function
// and ParseLine return: a change to what they return for a line must come with a new algorithm
// version. The grouping golden files catch such changes.
func ParseStack(stack string) []Call {
	stack = truncate(stack, MaxStackBytes)
	var calls []Call
	python := false
	for stack != "" && len(calls) < MaxFrames {
		var line string
		line, stack, _ = strings.Cut(stack, "\n")
		line = strings.TrimSpace(line)
		if c, ok := ParseLine(line); ok && (c.Function != "" || c.File != "") {
			if len(calls) == 0 {
				python = strings.HasPrefix(line, `File "`)
			}
			calls = append(calls, c)
		}
	}
	if python {
		reverse(calls)
	}
	return calls
}

// ParseLine parses one trimmed line of a printed stack trace. ok is false for lines that are not
// stack frames of a known runtime.
func ParseLine(line string) (c Call, ok bool) {
	switch {
	case strings.HasPrefix(line, `File "`):
		return parsePython(line[len(`File "`):])
	case strings.HasPrefix(line, "at "):
		return parseAt(strings.TrimSpace(line[len("at "):]))
	case strings.HasPrefix(line, "from "): // Ruby's own printing of the outer frames
		line = line[len("from "):]
	}
	if c, ok := parseRuby(line); ok {
		return c, true
	}
	return parseFirefox(line)
}

// parsePython parses the rest of `File "f", line n, in m`.
func parsePython(rest string) (Call, bool) {
	file, rest, ok := strings.Cut(rest, `", line `)
	if !ok {
		return Call{}, false
	}
	num, rest, _ := strings.Cut(rest, ",")
	c := Call{File: file, Line: max(atoi(strings.TrimSpace(num)), 0)}
	if fn, ok := strings.CutPrefix(strings.TrimSpace(rest), "in "); ok {
		c.Function = strings.TrimSpace(fn)
	}
	return c, true
}

// parseAt parses what follows "at " in V8, Java and .NET stacks.
func parseAt(rest string) (Call, bool) {
	rest = strings.TrimPrefix(rest, "async ")

	// V8: "fn (location)", where location may be "eval at outer (file:1:2), <anonymous>:3:4".
	if i := strings.Index(rest, " ("); i >= 0 && strings.HasSuffix(rest, ")") {
		loc := rest[i+2 : len(rest)-1]
		if strings.HasPrefix(loc, "eval at ") {
			if j := strings.Index(loc, " ("); j >= 0 {
				if k := strings.IndexByte(loc[j:], ')'); k >= 0 {
					loc = loc[j+2 : j+k]
				}
			}
		}
		c := Call{Function: rest[:i]}
		c.File, c.Line, c.Column = SplitLineCol(loc)
		return c, true
	}

	// Mono: "N.C.M (System.String s) [0x00012] in /path/File.cs:42".
	if i := strings.Index(rest, " [0x"); i >= 0 {
		fn, _, _ := strings.Cut(rest[:i], " (")
		c := Call{Function: strings.TrimSpace(fn)}
		if _, loc, ok := strings.Cut(rest[i:], "] in "); ok {
			c.File, c.Line = splitDotnetLine(loc)
		}
		return c, true
	}

	// Java "pkg.Class.method(File.java:12)"; .NET "N.C.M(String s) in C:\x\File.cs:line 42".
	if i := strings.IndexByte(rest, '('); i > 0 {
		if j := strings.LastIndexByte(rest, ')'); j > i {
			c := Call{Function: rest[:i]}
			inside, after := rest[i+1:j], rest[j+1:]
			if loc, ok := strings.CutPrefix(after, " in "); ok {
				c.File, c.Line = splitDotnetLine(loc)
			} else if after == "" && isJavaLocation(inside) {
				c.File, c.Line, _ = SplitLineCol(inside)
				switch c.File {
				case "Unknown Source", "Native Method", "SourceFile", "Unknown":
					c.File = ""
				}
			}
			return c, true
		}
	}

	// V8 without a function: "file:line:col", "<anonymous>", "native".
	c := Call{}
	c.File, c.Line, c.Column = SplitLineCol(rest)
	if c.Line == 0 && rest != "<anonymous>" && rest != "native" {
		return Call{}, false
	}
	return c, true
}

// isJavaLocation tells a Java location ("File.java:12", "Unknown Source") from .NET arguments
// ("String name, Int32 id", "").
func isJavaLocation(s string) bool {
	if strings.HasPrefix(s, "Unknown Source") || s == "Native Method" {
		return true
	}
	return strings.ContainsAny(s, ".:") && !strings.Contains(s, " ")
}

// parseRuby parses "file:line:in 'm'", "file:line:in `m'" and a bare "file.rb:line".
func parseRuby(line string) (Call, bool) {
	loc, method, ok := strings.Cut(line, ":in ")
	if !ok {
		file, n, ok := cutNumber(line)
		if !ok || !strings.HasSuffix(file, ".rb") {
			return Call{}, false
		}
		return Call{File: file, Line: n}, true
	}
	file, n, ok := cutNumber(loc)
	if !ok {
		return Call{}, false
	}
	if method != "" && (method[0] == '`' || method[0] == '\'') {
		method, _, _ = strings.Cut(method[1:], "'")
	}
	return Call{Function: method, File: file, Line: n}, true
}

// parseFirefox parses "fn@file:line:col" (Firefox, Safari); fn may be empty.
func parseFirefox(line string) (Call, bool) {
	fn, loc, ok := strings.Cut(line, "@")
	if !ok {
		return Call{}, false
	}
	c := Call{Function: fn}
	c.File, c.Line, c.Column = SplitLineCol(loc)
	if c.Column == 0 {
		return Call{}, false
	}
	return c, true
}

// SplitLineCol splits "file:line:col" or "file:line" into its parts; without numbers it returns
// loc unchanged and zeros.
func SplitLineCol(loc string) (file string, line, col int) {
	file, n, ok := cutNumber(loc)
	if !ok {
		return loc, 0, 0
	}
	if f, m, ok := cutNumber(file); ok {
		return f, m, n
	}
	return file, n, 0
}

// splitDotnetLine splits "C:\x\File.cs:line 42" (the word is localised) and Mono's "/x/File.cs:42".
func splitDotnetLine(loc string) (string, int) {
	i := strings.LastIndexByte(loc, ':')
	if i <= 1 { // none, or a drive letter
		return loc, 0
	}
	suffix := loc[i+1:]
	if j := strings.LastIndexByte(suffix, ' '); j >= 0 {
		suffix = suffix[j+1:]
	}
	if n := atoi(suffix); n >= 0 {
		return loc[:i], n
	}
	return loc, 0
}

// cutNumber cuts a ":123" suffix off s.
func cutNumber(s string) (string, int, bool) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 || i == len(s)-1 {
		return s, 0, false
	}
	n := atoi(s[i+1:])
	if n < 0 {
		return s, 0, false
	}
	return s[:i], n, true
}

// atoi parses a non-negative decimal number, saturating at 1e9; it returns -1 for anything else.
func atoi(s string) int {
	if s == "" {
		return -1
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return -1
		}
		if n < 1e9 {
			n = n*10 + int(c-'0')
		}
	}
	return n
}

// truncate caps s at n bytes without splitting a UTF-8 sequence.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

func reverse[T any](s []T) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}
