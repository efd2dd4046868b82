package stacktrace

import "strings"

// parseChain parses a stack trace string into the exceptions it prints, the reported one first
// and then, in order, those chained to it: Java's "Caused by:" and "Suppressed:" sections, .NET's
// inner exceptions (" ---> " headers and "--- End of inner exception stack trace ---"), and the
// sections of a chained Python traceback. Frames come innermost first in each exception; Type and
// Message come from the header lines ("Type: message") when there are any; Parent is an index in
// the returned list (-1 for the first). It returns nil when the string holds no frame.
func parseChain(stack string) []Exception {
	stack = truncate(stack, MaxStackBytes)
	if pythonTraceback(stack) {
		return parsePythonChain(stack)
	}
	return parseGenericChain(stack)
}

// pythonTraceback reports whether the first frame line of stack is Python's.
func pythonTraceback(stack string) bool {
	for stack != "" {
		var line string
		line, stack, _ = strings.Cut(stack, "\n")
		line = strings.TrimSpace(line)
		if c, ok := ParseLine(line); ok && (c.Function != "" || c.File != "") {
			return strings.HasPrefix(line, `File "`)
		}
	}
	return false
}

// parseGenericChain reads V8, Firefox, Ruby, Java (and Android, CFML) and .NET stacks.
func parseGenericChain(stack string) []Exception {
	out := []Exception{{Parent: -1}}
	indents := []int{0} // the indentation of each exception's header line (Java)
	cur := 0            // the exception that receives the frames that follow
	framed := false     // a frame has been read
	inHeader := false   // the lines after the first header, before any frame: a multi-line message
	addInner := func(headers []string) {
		for _, h := range headers {
			if len(out) == maxChain {
				return
			}
			ex := Exception{Parent: len(out) - 1, Chained: ChainedInner}
			ex.Type, ex.Message, _ = parseHeader(h)
			out = append(out, ex)
			indents = append(indents, 0)
			cur = len(out) - 1
		}
	}
	for stack != "" {
		var raw string
		raw, stack, _ = strings.Cut(stack, "\n")
		line := strings.TrimSpace(raw)
		switch {
		case line == "":
			continue
		case strings.HasPrefix(line, "Caused by: "), strings.HasPrefix(line, "Suppressed: "):
			if len(out) == maxChain {
				return out
			}
			// Java prints a cause at the indentation of the exception it caused, and suppressed
			// exceptions one tab deeper than the exception that suppressed them.
			rel, rest, _ := strings.Cut(line, ": ")
			indent := indentation(raw)
			ex := Exception{Parent: len(out) - 1, Chained: ChainedCause}
			want := indent
			if rel == "Suppressed" {
				ex.Chained, want = ChainedSuppressed, indent-1
			}
			for i := len(out) - 1; i >= 0; i-- {
				if indents[i] == want {
					ex.Parent = i
					break
				}
			}
			ex.Type, ex.Message, _ = parseHeader(rest)
			out = append(out, ex)
			indents = append(indents, indent)
			cur, inHeader = len(out)-1, false
			continue
		case strings.HasPrefix(line, "---> "):
			addInner(strings.Split(strings.TrimPrefix(line, "---> "), " ---> "))
			inHeader = false
			continue
		case line == "--- End of inner exception stack trace ---":
			cur = max(cur-1, 0)
			continue
		case strings.HasPrefix(line, "--- End of stack trace from previous location"),
			strings.HasPrefix(line, "--- End of stack trace from the previous location"):
			continue
		}
		if f, ok := stackFrame(line); ok {
			if !framed && out[0].Type == "" && out[0].Message == "" {
				out[0].Type, out[0].Message = rubyHeader(line)
			}
			if len(out[cur].Frames) < MaxFrames {
				out[cur].Frames = append(out[cur].Frames, f)
			}
			framed, inHeader = true, false
			continue
		}
		if framed {
			continue // "... 5 more", "... 12 common frames omitted", anything else
		}
		if inHeader {
			out[0].Message = truncate(out[0].Message+"\n"+line, maxMessageBytes)
			continue
		}
		if out[0].Type == "" && out[0].Message == "" {
			parts := strings.Split(line, " ---> ")
			if typ, msg, ok := parseHeader(parts[0]); ok {
				out[0].Type, out[0].Message, inHeader = typ, msg, true
				indents[0] = indentation(raw)
			}
			addInner(parts[1:])
		}
	}
	if !hasFrames(out) {
		return nil
	}
	return out
}

// parsePythonChain reads a Python traceback, or backtrace lines. Chained tracebacks print the
// cause first; they are returned the other way round, the reported exception first.
func parsePythonChain(stack string) []Exception {
	type section struct {
		ex      Exception
		chained string // how the section before this one relates to it
	}
	sections := []section{{}}
	last := func() *section { return &sections[len(sections)-1] }
	var prev *Frame // the frame whose source line may follow
	start := func(chained string) {
		if len(sections) == maxChain {
			return
		}
		s := last()
		if len(s.ex.Frames) == 0 && s.ex.Type == "" && s.ex.Message == "" {
			s.chained = chained
			return
		}
		sections = append(sections, section{chained: chained})
	}
	for stack != "" {
		var raw string
		raw, stack, _ = strings.Cut(stack, "\n")
		line := strings.TrimSpace(raw)
		switch {
		case line == "":
			continue
		case strings.HasPrefix(line, "The above exception was the direct cause of the following exception"):
			start(ChainedCause)
			prev = nil
			continue
		case strings.HasPrefix(line, "During handling of the above exception, another exception occurred"):
			start(ChainedContext)
			prev = nil
			continue
		case strings.HasPrefix(line, "Traceback (most recent call last)"):
			if s := last(); len(s.ex.Frames) > 0 || s.ex.Type != "" {
				start(ChainedContext)
			}
			prev = nil
			continue
		}
		if strings.HasPrefix(line, `File "`) {
			if f, ok := stackFrame(line); ok {
				s := last()
				if len(s.ex.Frames) < MaxFrames {
					s.ex.Frames = append(s.ex.Frames, f)
					prev = &s.ex.Frames[len(s.ex.Frames)-1]
				} else {
					prev = nil
				}
				continue
			}
		}
		// A source line, indented under its frame; Python 3.11 adds lines of carets under it.
		if prev != nil && raw != line && (raw[0] == ' ' || raw[0] == '\t') {
			if strings.Trim(line, "^~ ") == "" {
				continue
			}
			if prev.ContextLine == "" {
				prev.ContextLine = truncate(line, maxLineBytes)
			}
			continue
		}
		prev = nil
		if s := last(); s.ex.Type == "" {
			s.ex.Type, s.ex.Message, _ = parseHeader(line)
		}
	}
	out := make([]Exception, 0, len(sections))
	for i := len(sections) - 1; i >= 0; i-- {
		ex := sections[i].ex
		reverse(ex.Frames)
		ex.Parent = len(out) - 1
		if i < len(sections)-1 {
			ex.Chained = sections[i+1].chained
		}
		out = append(out, ex)
	}
	if !hasFrames(out) {
		return nil
	}
	return out
}

// parseHeader reads an exception header line: "TypeError: x is undefined",
// "java.lang.IllegalStateException: boom", "System.Data.SqlClient.SqlException (0x80131904): x",
// "Uncaught TypeError: x", "KeyboardInterrupt". ok is false when the line does not start with an
// exception type.
func parseHeader(line string) (typ, message string, ok bool) {
	line = strings.TrimPrefix(strings.TrimSpace(line), "Uncaught ")
	name, message, found := strings.Cut(line, ": ")
	if !found {
		name, message = strings.TrimSuffix(line, ":"), ""
	}
	name = strings.TrimSpace(name)
	if i := strings.Index(name, " (0x"); i > 0 && strings.HasSuffix(name, ")") {
		name = name[:i]
	}
	if !isTypeName(name) {
		return "", "", false
	}
	return name, truncate(strings.TrimSpace(message), maxMessageBytes), true
}

// rubyHeader reads the message and type that Ruby prints after the first frame of a backtrace:
// "app.rb:12:in 'Klass#meth': undefined method 'x' for nil (NoMethodError)".
func rubyHeader(line string) (typ, message string) {
	_, method, ok := strings.Cut(line, ":in ")
	if !ok || method == "" || method[0] != '\'' && method[0] != '`' {
		return "", ""
	}
	_, rest, ok := strings.Cut(method[1:], "': ")
	if !ok {
		return "", ""
	}
	if i := strings.LastIndex(rest, " ("); i >= 0 && strings.HasSuffix(rest, ")") && isTypeName(rest[i+2:len(rest)-1]) {
		return rest[i+2 : len(rest)-1], truncate(rest[:i], maxMessageBytes)
	}
	return "", truncate(rest, maxMessageBytes)
}

// isTypeName reports whether s can be an exception type: "TypeError", "shop.payments.Error",
// "ActiveRecord::RecordNotFound", "Outer$Inner", "List`1".
func isTypeName(s string) bool {
	if s == "" || len(s) > maxFieldBytes || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isWordByte(c) && !strings.ContainsRune(".$:`<>[]+", rune(c)) {
			return false
		}
	}
	return true
}

// stackFrame parses a trimmed stack line into a frame (InApp is decided later); ok is false for
// lines that are no frame, or name neither a function nor a file.
func stackFrame(line string) (Frame, bool) {
	c, ok := ParseLine(line)
	f := Frame{
		Function: truncate(strings.TrimSpace(c.Function), maxFieldBytes),
		File:     truncate(strings.TrimSpace(c.File), maxFieldBytes),
		Line:     c.Line,
		Column:   c.Column,
		Raw:      truncate(line, maxLineBytes),
	}
	return f, ok && (f.Function != "" || f.File != "")
}

// indentation counts the tabs, and runs of four spaces, that start line.
func indentation(line string) int {
	tabs, spaces := 0, 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '\t':
			tabs++
		case ' ':
			spaces++
		default:
			return tabs + spaces/4
		}
	}
	return tabs + spaces/4
}

func hasFrames(exs []Exception) bool {
	for _, ex := range exs {
		if len(ex.Frames) > 0 {
			return true
		}
	}
	return false
}
