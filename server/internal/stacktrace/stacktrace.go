// Package stacktrace turns the exceptions SDKs send into one frame model, so that every client
// renders stack traces the same way, whatever the runtime that produced them.
//
// Parse reads context.exception of an error event in each shape the SDKs send (shared/spec
// sdk-compat.md, reference §6.3 and §13.4):
//
//   - structured frames: logister-js {name, filename, lineno, colno} (innermost first),
//     logister-python {filename, lineno, name, line, locals} (outermost first, reversed here),
//     CFML tagContext {template, line, column, raw_trace, codePrintPlain} and Sentry's
//     stacktrace.frames {filename, abs_path, function, module, lineno, colno, in_app,
//     context_line, pre_context, post_context} (outermost first, reversed here);
//   - stack strings, or arrays of their lines: V8 and Firefox / Safari stacks, Python tracebacks
//     and backtrace lines, Ruby backtraces, .NET Exception.ToString() (and Mono), Java / Android
//     stack traces and CFML's Java stacktrace; see ParseStack for the line formats;
//   - chained exceptions: the cause, context (Python's implicit chaining) and InnerException
//     objects, Sentry's exception.values list, and the chains printed inside stack strings (Java
//     "Caused by:", .NET " ---> " inner exceptions, chained Python tracebacks).
//
// Member names match case-insensitively and ignoring "_" and "-" (NormalizeKey), with the same
// meanings as in grouping (ExceptionKey, FrameKey), and the stack sources are tried in the same
// order as grouping tries them: frames, tagContext, then the strings stack, stacktrace,
// backtrace and traceback. The string parser (ParseLine, ParseStack) and the library rules
// (IsLibrary) are the ones grouping fingerprints with: there is one stack parser.
package stacktrace

import (
	"strings"
)

// Limits on what Parse keeps.
const (
	maxChain        = 10      // exceptions in one chain
	maxFieldBytes   = 2048    // bytes of a type, function, file or module
	maxMessageBytes = 8 << 10 // bytes of a message
	maxLineBytes    = 2048    // bytes of one source line or raw stack line
	maxContextLines = 20      // source lines before and after a frame's line
)

// How an exception of a chain relates to the exception before it (Exception.Chained).
const (
	ChainedCause      = "cause"      // it caused its parent (JS and Python cause, Java "Caused by:")
	ChainedContext    = "context"    // Python: it was being handled when its parent was raised
	ChainedInner      = "inner"      // .NET: the InnerException of its parent
	ChainedSuppressed = "suppressed" // Java: suppressed by its parent
)

// Exception is one exception of an event.
type Exception struct {
	// Type is the exception's class: "TypeError", "ActiveRecord::RecordNotFound"; "" when unknown.
	Type string `json:"type"`
	// Module is the module of the type, when the SDK sends it (Python: "builtins").
	Module string `json:"module,omitempty"`
	// Message is the exception's message.
	Message string `json:"message"`
	// Parent is the index in the list of the exception this one is chained to; -1 for the first,
	// the reported exception. Chains are usually linear (Parent is the index before), but a Java
	// exception's suppressed exceptions and its cause share a parent.
	Parent int `json:"parent"`
	// Chained says how this exception relates to its parent (ChainedCause, ChainedContext,
	// ChainedInner, ChainedSuppressed); "" for the first.
	Chained string `json:"chained,omitempty"`
	// Frames are the stack frames, innermost (the frame that raised) first; empty when none was sent.
	Frames []Frame `json:"frames"`
}

// Frame is one stack frame.
type Frame struct {
	// Function as the runtime printed it or the SDK sent it: "chargeCard", "Shop.Orders.Pay",
	// "block in <main>"; "" for anonymous functions.
	Function string `json:"function,omitempty"`
	// Module is the frame's module or package, when the SDK sends it.
	Module string `json:"module,omitempty"`
	// File is a path or URL as sent: "/srv/app/src/cart.js", "file:///srv/app/x.mjs", "<anonymous>".
	File string `json:"file,omitempty"`
	// Line and Column are 1-based; 0 when unknown.
	Line   int `json:"line,omitempty"`
	Column int `json:"column,omitempty"`
	// InApp is the SDK's in_app flag when it sent one, else the heuristic of InApp: frames of
	// dependencies, the standard library and the runtime are not in the application.
	InApp bool `json:"inApp"`
	// ContextLine is the source line of the frame, when the SDK sent it (Python's "line", Sentry's
	// context_line, CFML's codePrintPlain, the source lines of a Python traceback string).
	ContextLine string `json:"contextLine,omitempty"`
	// PreContext and PostContext are the source lines before and after it, when sent.
	PreContext  []string `json:"preContext,omitempty"`
	PostContext []string `json:"postContext,omitempty"`
	// Raw is the line of the stack string the frame was parsed from; "" for structured frames.
	Raw string `json:"raw,omitempty"`
}

// Parse reads the exceptions of an event from its context (a JSON object): the reported
// exception first, then those chained to it, in order. It returns nil when the context names no
// exception, or is not a JSON object. Parse never panics and bounds its work: at most 10
// exceptions of at most MaxFrames frames, a stack string's first MaxStackBytes.
func Parse(context []byte) []Exception {
	v, err := decode(context)
	if err != nil {
		return nil
	}
	root, ok := v.(object)
	if !ok {
		return nil
	}
	p := &parser{}
	var exception any
	var buf [MaxKeyBytes]byte
	for _, m := range root {
		switch string(NormalizeKey(buf[:0], m.name)) {
		case "exception":
			exception = m.value
		case "runtime":
			p.runtime, _ = m.value.(string)
		}
	}
	p.exception(exception, -1, "", 0)
	return p.out
}

// parser collects the exceptions of one event.
type parser struct {
	runtime string // context.runtime: "node", "python"
	out     []Exception
}

// exception appends the exception v (an object or a string), chained to the exception at index
// parent, and the exceptions chained to it.
func (p *parser) exception(v any, parent int, chained string, depth int) {
	if len(p.out) >= maxChain || depth > maxChain {
		return
	}
	switch v := v.(type) {
	case string:
		p.fromString(v, parent, chained)
	case object:
		p.fromObject(v.keyed(ExceptionKey), parent, chained, depth)
	}
}

// fromString reads an exception sent as a string: a header line, or a whole stack.
func (p *parser) fromString(s string, parent int, chained string) {
	if strings.TrimSpace(s) == "" {
		return
	}
	chain := parseChain(s)
	if chain == nil {
		first, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
		ex := Exception{Message: truncate(strings.TrimSpace(s), maxMessageBytes)}
		if typ, msg, ok := parseHeader(first); ok && msg != "" {
			ex.Type, ex.Message = typ, msg
		}
		chain = []Exception{ex}
	}
	chain[0].Parent, chain[0].Chained = parent, chained
	p.appendChain(chain, false)
}

// fromObject reads an exception object and what is chained to it.
func (p *parser) fromObject(o object, parent int, chained string, depth int) {
	if values, ok := o.get(KeyValues).([]any); ok && o.get(KeyFrames) == nil && o.get(KeyStack) == nil {
		// Sentry: exception.values lists the chain oldest first; the last one was reported.
		for i := len(values) - 1; i >= 0; i-- {
			before := len(p.out)
			p.exception(values[i], parent, chained, depth+1)
			if len(p.out) > before {
				parent, chained = before, ChainedCause
			}
		}
		return
	}
	ex := Exception{
		Type:    firstNonBlank(o.first(KeyClass, maxFieldBytes), o.first(KeyType, maxFieldBytes), o.first(KeyName, maxFieldBytes), o.first(KeyClassName, maxFieldBytes)),
		Module:  o.first(KeyModule, maxFieldBytes),
		Message: firstNonBlank(o.first(KeyMessage, maxMessageBytes), o.first(KeyValue, maxMessageBytes)),
		Parent:  parent,
		Chained: chained,
	}
	ex.Type = firstLine(ex.Type)
	frames, printed := p.frames(o)
	ex.Frames = frames
	if len(printed) > 0 {
		// The type and message from the stack's header, when the object has none.
		if ex.Type == "" {
			ex.Type = printed[0].Type
		}
		if ex.Message == "" {
			ex.Message = printed[0].Message
		}
	}
	if ex.Type == "" && ex.Message == "" && len(ex.Frames) == 0 && len(printed) <= 1 {
		return // nothing that looks like an exception (a JS error's unrelated "context" object)
	}
	self := len(p.out)
	p.appendChain([]Exception{ex}, false)
	if len(p.out) == self {
		return
	}

	// What is chained to it: explicit objects first, else what the stack string printed.
	for _, k := range [...]struct {
		key     Key
		chained string
	}{{KeyCause, ChainedCause}, {KeyInner, ChainedInner}, {KeyContext, ChainedContext}} {
		if c := o.get(k.key); c != nil && !isBlank(c) {
			before := len(p.out)
			p.exception(c, self, k.chained, depth+1)
			if len(p.out) > before {
				return
			}
		}
	}
	if len(printed) > 1 {
		printed[0].Parent = self // stands for ex, which is already in the list
		p.appendChain(printed, true)
	}
}

// frames returns the frames of the first stack source of o that has any, innermost first, and,
// when they come from a string, the exceptions that string printed (its first is o's own).
func (p *parser) frames(o object) ([]Frame, []Exception) {
	if arr, ok := o.get(KeyFrames).([]any); ok {
		if frames := p.structured(arr); len(frames) > 0 {
			if p.runtime == "python" || isPythonFile(frames[0].File) {
				reverse(frames)
			}
			return frames, nil
		}
	}
	if arr, ok := o.get(KeyTagContext).([]any); ok {
		if frames := p.structured(arr); len(frames) > 0 {
			return frames, nil
		}
	}
	if st, ok := o.get(KeyStackTrace).(object); ok { // Sentry: {"frames": [...]}, oldest first
		if arr, ok := st.keyed(ExceptionKey).get(KeyFrames).([]any); ok {
			if frames := p.structured(arr); len(frames) > 0 {
				reverse(frames)
				return frames, nil
			}
		}
	}
	var headerOnly []Exception
	for _, k := range [...]Key{KeyStack, KeyStackTrace, KeyBacktrace, KeyTraceback, KeyStackString} {
		s := o.first(k, MaxStackBytes)
		if s == "" {
			continue
		}
		if chain := parseChain(s); chain != nil {
			return chain[0].Frames, chain
		}
		if headerOnly == nil {
			first, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
			if typ, msg, ok := parseHeader(first); ok {
				headerOnly = []Exception{{Type: typ, Message: msg}}
			}
		}
	}
	return nil, headerOnly
}

// structured reads an array of frame objects; elements that are not objects, or that name no
// function and no file, are skipped.
func (p *parser) structured(arr []any) []Frame {
	var frames []Frame
	for _, v := range arr {
		if len(frames) == MaxFrames {
			break
		}
		o, ok := v.(object)
		if !ok {
			continue
		}
		if f, ok := structuredFrame(o.keyed(FrameKey)); ok {
			frames = append(frames, f)
		}
	}
	return frames
}

// structuredFrame reads one frame object.
func structuredFrame(o object) (Frame, bool) {
	f := Frame{
		Function:    o.first(KeyFunction, maxFieldBytes),
		File:        o.first(KeyFile, maxFieldBytes),
		Module:      o.first(KeyFrameModule, maxFieldBytes),
		ContextLine: strings.TrimRight(o.first(KeyContextLine, maxLineBytes), "\r\n"),
		PreContext:  lines(o.get(KeyPreContext), maxContextLines),
		PostContext: lines(o.get(KeyPostContext), maxContextLines),
	}
	var inApp *bool
	for _, m := range o {
		switch m.key {
		case KeyLine:
			if n, ok := number(m.value); ok {
				if f.Line == 0 {
					f.Line = n
				}
			} else if s, ok := m.value.(string); ok && f.ContextLine == "" {
				f.ContextLine = truncate(strings.TrimRight(s, "\r\n"), maxLineBytes) // Python's source line
			}
		case KeyColumn:
			if n, ok := number(m.value); ok && f.Column == 0 {
				f.Column = n
			}
		case KeyInApp:
			if b, ok := m.value.(bool); ok {
				inApp = &b
			}
		}
	}
	// CFML tag context: the function (a UDF) is only named in the Java raw trace.
	if raw := strings.TrimSpace(o.first(KeyRawTrace, maxLineBytes)); raw != "" && f.Function == "" {
		if !strings.HasPrefix(raw, "at ") {
			raw = "at " + raw
		}
		if c, ok := ParseLine(raw); ok {
			f.Function = truncate(c.Function, maxFieldBytes)
			f.File = firstNonBlank(f.File, truncate(c.File, maxFieldBytes))
		}
	}
	if code := o.first(KeyCodePrint, 16<<10); code != "" && f.ContextLine == "" {
		f.ContextLine, f.PreContext, f.PostContext = codePrint(code, f.Line)
	}
	if f.Function == "" && f.File == "" {
		return Frame{}, false
	}
	f.InApp = InApp(f.Function, f.File)
	if inApp != nil {
		f.InApp = *inApp
	}
	return f, true
}

// codePrint splits CFML's codePrintPlain ("17: var cart = session.cart;\n18: return cart.total;\n")
// around the frame's line.
func codePrint(code string, line int) (context string, pre, post []string) {
	for _, l := range strings.Split(strings.TrimRight(code, "\n"), "\n") {
		num, src, ok := strings.Cut(strings.TrimRight(l, "\r"), ": ")
		n := atoi(strings.TrimSpace(num))
		if !ok || n < 0 {
			continue
		}
		src = truncate(src, maxLineBytes)
		switch {
		case n < line && len(pre) < maxContextLines:
			pre = append(pre, src)
		case n == line:
			context = src
		case n > line && len(post) < maxContextLines:
			post = append(post, src)
		}
	}
	return context, pre, post
}

// appendChain appends a chain as parseChain returns it, within maxChain: the first exception's
// Parent is already an index of the list, the others' Parents are indexes in chain. With
// skipFirst, chain[0] is already in the list, at chain[0].Parent. InApp is decided for frames
// parsed from strings.
func (p *parser) appendChain(chain []Exception, skipFirst bool) {
	pos := make([]int, len(chain)) // where each exception of chain is in the list
	for i, ex := range chain {
		switch {
		case i == 0 && skipFirst:
			pos[0] = ex.Parent
			continue
		case i > 0:
			ex.Parent = pos[ex.Parent]
		}
		if len(p.out) == maxChain {
			return
		}
		for j := range ex.Frames {
			if f := &ex.Frames[j]; f.Raw != "" {
				f.InApp = InApp(f.Function, f.File)
			}
		}
		if ex.Frames == nil {
			ex.Frames = []Frame{}
		}
		pos[i] = len(p.out)
		p.out = append(p.out, ex)
	}
}

func isPythonFile(file string) bool {
	return strings.HasSuffix(file, ".py") || strings.HasSuffix(file, ".pyc")
}

func isBlank(v any) bool {
	s, ok := v.(string)
	return v == nil || ok && strings.TrimSpace(s) == ""
}

func firstNonBlank(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

// firstLine returns the trimmed first line of s.
func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(s)
}
