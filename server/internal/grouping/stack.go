package grouping

import "strings"

// ParseStack parses a stack trace string of any supported runtime into frames (exported for fuzzing
// and for the triage UI later).
//
// It reads V8 ("at fn (file:line:col)", "at file:line:col", "at async fn (…)"), Firefox and Safari
// ("fn@file:line:col"), Python ("File "f", line n, in m"), Ruby ("file:line:in 'm'" and "in `m'"),
// .NET ("at N.C.M(args) in file:line n", and Mono's "[0x…] in file:n") and Java, Android and CFML
// ("at pkg.Class.method(File.java:12)") lines. Other lines, such as the "Type: message" header,
// Python source lines and "... 5 more", are skipped.
//
// Frames come innermost first, the order in which every runtime but Python prints them; Python
// tracebacks are reversed. The frames of chained exceptions are all kept, in that order: a Java
// "Caused by:" section comes after the frames of the exception that wraps it, a .NET inner exception
// before them, and a Python exception's cause after them. Function and File are as printed; InApp
// is always nil. At most 64 KiB and 200 frames are read.
func ParseStack(stack string) []RawFrame {
	stack = truncate(stack, maxStackBytes)
	var frames []RawFrame
	python := false
	for stack != "" && len(frames) < maxRawFrames {
		var line string
		line, stack, _ = strings.Cut(stack, "\n")
		line = strings.TrimSpace(line)
		if f, ok := parseLine(line); ok && (f.Function != "" || f.File != "") {
			if len(frames) == 0 {
				python = strings.HasPrefix(line, `File "`)
			}
			frames = append(frames, f)
		}
	}
	if python {
		reverse(frames)
	}
	return frames
}

// parseLine parses one trimmed stack line.
func parseLine(line string) (RawFrame, bool) {
	switch {
	case strings.HasPrefix(line, `File "`):
		return parsePython(line[len(`File "`):])
	case strings.HasPrefix(line, "at "):
		return parseAt(strings.TrimSpace(line[len("at "):]))
	case strings.HasPrefix(line, "from "): // Ruby's own printing of the outer frames
		line = line[len("from "):]
	}
	if f, ok := parseRuby(line); ok {
		return f, true
	}
	return parseFirefox(line)
}

// parsePython parses the rest of `File "f", line n, in m`.
func parsePython(rest string) (RawFrame, bool) {
	file, rest, ok := strings.Cut(rest, `", line `)
	if !ok {
		return RawFrame{}, false
	}
	num, rest, _ := strings.Cut(rest, ",")
	f := RawFrame{File: file, Line: max(atoi(strings.TrimSpace(num)), 0)}
	if fn, ok := strings.CutPrefix(strings.TrimSpace(rest), "in "); ok {
		f.Function = strings.TrimSpace(fn)
	}
	return f, true
}

// parseAt parses what follows "at " in V8, Java and .NET stacks.
func parseAt(rest string) (RawFrame, bool) {
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
		f := RawFrame{Function: rest[:i]}
		f.File, f.Line, f.Column = splitLineCol(loc)
		return f, true
	}

	// Mono: "N.C.M (System.String s) [0x00012] in /path/File.cs:42".
	if i := strings.Index(rest, " [0x"); i >= 0 {
		fn, _, _ := strings.Cut(rest[:i], " (")
		f := RawFrame{Function: strings.TrimSpace(fn)}
		if _, loc, ok := strings.Cut(rest[i:], "] in "); ok {
			f.File, f.Line = splitDotnetLine(loc)
		}
		return f, true
	}

	// Java "pkg.Class.method(File.java:12)"; .NET "N.C.M(String s) in C:\x\File.cs:line 42".
	if i := strings.IndexByte(rest, '('); i > 0 {
		if j := strings.LastIndexByte(rest, ')'); j > i {
			f := RawFrame{Function: rest[:i]}
			inside, after := rest[i+1:j], rest[j+1:]
			if loc, ok := strings.CutPrefix(after, " in "); ok {
				f.File, f.Line = splitDotnetLine(loc)
			} else if after == "" && isJavaLocation(inside) {
				f.File, f.Line, _ = splitLineCol(inside)
				switch f.File {
				case "Unknown Source", "Native Method", "SourceFile", "Unknown":
					f.File = ""
				}
			}
			return f, true
		}
	}

	// V8 without a function: "file:line:col", "<anonymous>", "native".
	f := RawFrame{}
	f.File, f.Line, f.Column = splitLineCol(rest)
	if f.Line == 0 && rest != "<anonymous>" && rest != "native" {
		return RawFrame{}, false
	}
	return f, true
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
func parseRuby(line string) (RawFrame, bool) {
	loc, method, ok := strings.Cut(line, ":in ")
	if !ok {
		file, n, ok := cutNumber(line)
		if !ok || !strings.HasSuffix(file, ".rb") {
			return RawFrame{}, false
		}
		return RawFrame{File: file, Line: n}, true
	}
	file, n, ok := cutNumber(loc)
	if !ok {
		return RawFrame{}, false
	}
	if method != "" && (method[0] == '`' || method[0] == '\'') {
		method, _, _ = strings.Cut(method[1:], "'")
	}
	return RawFrame{Function: method, File: file, Line: n}, true
}

// parseFirefox parses "fn@file:line:col" (Firefox, Safari); fn may be empty.
func parseFirefox(line string) (RawFrame, bool) {
	fn, loc, ok := strings.Cut(line, "@")
	if !ok {
		return RawFrame{}, false
	}
	f := RawFrame{Function: fn}
	f.File, f.Line, f.Column = splitLineCol(loc)
	if f.Column == 0 {
		return RawFrame{}, false
	}
	return f, true
}

// splitLineCol splits "file:line:col" or "file:line"; without numbers it returns loc unchanged.
func splitLineCol(loc string) (file string, line, col int) {
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
