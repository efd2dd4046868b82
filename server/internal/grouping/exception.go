package grouping

import (
	"bytes"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/logister/logister/server/internal/stacktrace"
)

// exception is what grouping reads of context.exception, in the shapes the SDKs send
// (sdk-compat.md, reference §13.4).
type exception struct {
	class, typ, name, message string
	runtime                   string // context.runtime: "node", "python"

	frames     []RawFrame // JS {name, filename, lineno, colno}, Python {filename, lineno, name, line, locals}
	tagContext []RawFrame // CFML {template, line, id, raw_trace}
	stack      string     // V8
	stackTrace string     // "stacktrace", "stack_trace": CFML/Java, .NET
	backtrace  string     // JS, Python and Ruby send arrays of lines, joined here
	traceback  string
}

// decodeException reads context.exception and context.runtime out of context, skipping every
// other member without decoding it (encoding/json would cost several times more). Keys match
// case-insensitively and ignoring "_" and "-", so "stack_trace", "stackTrace" and Lucee's
// "TAGCONTEXT" all match. Members of an unexpected type are ignored; malformed JSON stops the
// reading and keeps what was read before it.
func decodeException(context []byte) *exception {
	e := &exception{}
	r := &reader{data: context}
	r.object(func(key []byte) {
		switch string(key) {
		case "exception":
			r.object(func(key []byte) { e.member(r, key) })
		case "runtime":
			e.runtime = r.text(maxFieldBytes)
		default:
			r.skip()
		}
	})
	return e
}

// member reads the value of one member of context.exception. What a member means is decided by
// stacktrace.ExceptionKey, which the frame model shares.
func (e *exception) member(r *reader, key []byte) {
	switch stacktrace.ExceptionKey(key) {
	case stacktrace.KeyClass:
		e.class = r.text(maxFieldBytes)
	case stacktrace.KeyType:
		e.typ = r.text(maxFieldBytes)
	case stacktrace.KeyName:
		e.name = r.text(maxFieldBytes)
	case stacktrace.KeyMessage:
		e.message = r.text(maxMessageLine)
	case stacktrace.KeyFrames:
		e.frames = r.frames()
	case stacktrace.KeyTagContext:
		e.tagContext = r.frames()
	case stacktrace.KeyStack:
		e.stack = r.text(maxStackBytes)
	case stacktrace.KeyStackTrace:
		e.stackTrace = r.text(maxStackBytes)
	case stacktrace.KeyBacktrace:
		e.backtrace = r.text(maxStackBytes)
	case stacktrace.KeyTraceback:
		e.traceback = r.text(maxStackBytes)
	default:
		r.skip()
	}
}

// exceptionType returns class, else type, else name.
func (e *exception) exceptionType() string {
	return firstNonBlank(e.class, e.typ, e.name)
}

// rawFrames returns the frames of the first stack source that has any, innermost first, and the
// first line of the stack string they came from (which often names the exception type).
func (e *exception) rawFrames() (frames []RawFrame, header string) {
	if len(e.frames) > 0 {
		if e.isPython() {
			reverse(e.frames)
		}
		return e.frames, ""
	}
	if len(e.tagContext) > 0 {
		return e.tagContext, ""
	}
	for _, s := range [...]string{e.stack, e.stackTrace, e.backtrace, e.traceback} {
		if s == "" {
			continue
		}
		h, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
		if header == "" {
			header = h
		}
		if frames = ParseStack(s); len(frames) > 0 {
			return frames, h
		}
	}
	return nil, header
}

// isPython reports whether structured frames are Python's, which list the outermost frame first.
func (e *exception) isPython() bool {
	file := e.frames[0].File
	return e.runtime == "python" || strings.HasSuffix(file, ".py") || strings.HasSuffix(file, ".pyc")
}

// frames reads an array of structured frames, building at most maxRawFrames of them. Elements that
// are not objects, or that name no function and no file, are skipped. What a member means is
// decided by stacktrace.FrameKey.
func (r *reader) frames() []RawFrame {
	var frames []RawFrame
	r.array(func() {
		if len(frames) == maxRawFrames {
			r.skip()
			return
		}
		var f RawFrame
		var rawTrace string
		r.object(func(key []byte) {
			switch stacktrace.FrameKey(key) {
			case stacktrace.KeyFunction:
				f.Function = firstNonBlank(f.Function, r.text(4*maxFieldBytes))
			case stacktrace.KeyFile:
				f.File = firstNonBlank(f.File, r.text(4*maxFieldBytes))
			case stacktrace.KeyRawTrace:
				rawTrace = r.text(4 * maxFieldBytes)
			case stacktrace.KeyInApp:
				f.InApp = r.boolean()
			default:
				r.skip()
			}
		})
		// CFML tag context: the function (a UDF) is only named in the Java raw trace.
		if rawTrace = strings.TrimSpace(rawTrace); rawTrace != "" && f.Function == "" {
			if !strings.HasPrefix(rawTrace, "at ") {
				rawTrace = "at " + rawTrace
			}
			if t, ok := stacktrace.ParseLine(rawTrace); ok {
				f.Function = t.Function
				f.File = firstNonBlank(f.File, t.File)
			}
		}
		if f.Function != "" || f.File != "" {
			frames = append(frames, f)
		}
	})
	return frames
}

// reader is a minimal JSON reader: just enough to pick a few members out of an event context. It
// validates only what it decodes, never panics, and on malformed input stops (failed is set).
type reader struct {
	data   []byte
	pos    int
	failed bool
	key    [stacktrace.MaxKeyBytes]byte // the current key, normalised
}

// peek skips white space and returns the next byte, or 0 at the end or after a failure.
func (r *reader) peek() byte {
	for !r.failed && r.pos < len(r.data) {
		switch c := r.data[r.pos]; c {
		case ' ', '\t', '\n', '\r':
			r.pos++
		default:
			return c
		}
	}
	return 0
}

// object calls member with the normalised key of each member of the object at hand; member must
// consume the value, and key is only valid until it does. Anything but an object is skipped.
func (r *reader) object(member func(key []byte)) {
	if r.peek() != '{' {
		r.skip()
		return
	}
	r.pos++
	if r.peek() == '}' {
		r.pos++
		return
	}
	for !r.failed {
		raw, ok := r.rawString()
		if !ok || r.peek() != ':' {
			r.failed = true
			return
		}
		r.pos++
		member(r.normalizeKey(raw))
		if !r.next('}') {
			return
		}
	}
}

// array calls elem for each element of the array at hand; elem must consume the element.
// Anything but an array is skipped.
func (r *reader) array(elem func()) {
	if r.peek() != '[' {
		r.skip()
		return
	}
	r.pos++
	if r.peek() == ']' {
		r.pos++
		return
	}
	for !r.failed {
		elem()
		if !r.next(']') {
			return
		}
	}
}

// next consumes the "," between two members or elements (true) or the closing bracket (false).
func (r *reader) next(closing byte) bool {
	switch r.peek() {
	case ',':
		r.pos++
		return true
	case closing:
		r.pos++
	default:
		r.failed = true
	}
	return false
}

// text reads a string, or an array of strings joined by newlines, keeping at most limit bytes.
// Anything else is skipped and yields "".
func (r *reader) text(limit int) string {
	switch r.peek() {
	case '"':
		raw, ok := r.rawString()
		if !ok {
			r.failed = true
			return ""
		}
		return string(unescape(make([]byte, 0, min(len(raw), limit)), raw, limit))
	case '[':
		b := make([]byte, 0, min(limit, 1024))
		r.array(func() {
			if r.peek() != '"' || len(b) >= limit {
				r.skip()
				return
			}
			raw, ok := r.rawString()
			if !ok {
				r.failed = true
				return
			}
			b = append(unescape(b, raw, limit-len(b)), '\n')
		})
		return string(b)
	}
	r.skip()
	return ""
}

// boolean reads true or false; anything else is skipped and yields nil.
func (r *reader) boolean() *bool {
	c := r.peek()
	r.skip()
	if r.failed || c != 't' && c != 'f' {
		return nil
	}
	v := c == 't'
	return &v
}

// rawString consumes a string and returns its contents, still escaped.
func (r *reader) rawString() ([]byte, bool) {
	if r.peek() != '"' {
		return nil, false
	}
	start := r.pos + 1
	for i := start; i < len(r.data); {
		j := bytes.IndexByte(r.data[i:], '"')
		if j < 0 {
			break
		}
		i += j
		backslashes := 0
		for k := i - 1; k >= start && r.data[k] == '\\'; k-- {
			backslashes++
		}
		if backslashes%2 == 0 {
			r.pos = i + 1
			return r.data[start:i], true
		}
		i++
	}
	r.failed = true
	return nil, false
}

// skip consumes one value of any kind without decoding it.
func (r *reader) skip() {
	depth := 0
	for {
		switch c := r.peek(); c {
		case 0:
			r.failed = true
			return
		case '"':
			if _, ok := r.rawString(); !ok {
				return
			}
		case '{', '[':
			depth++
			r.pos++
			continue
		case '}', ']':
			if depth == 0 {
				r.failed = true
				return
			}
			depth--
			r.pos++
		case ',', ':':
			if depth == 0 {
				r.failed = true
				return
			}
			r.pos++
			continue
		default: // a number, true, false or null
			start := r.pos
			for r.pos < len(r.data) && isLiteralByte(r.data[r.pos]) {
				r.pos++
			}
			if r.pos == start {
				r.failed = true
				return
			}
		}
		if depth == 0 {
			return
		}
	}
}

// isLiteralByte reports whether c can be part of a number, true, false or null.
func isLiteralByte(c byte) bool {
	return isAlnum(c) || c == '-' || c == '+' || c == '.'
}

// normalizeKey normalises a member name with stacktrace.NormalizeKey, into the reader's buffer.
func (r *reader) normalizeKey(raw []byte) []byte {
	return stacktrace.NormalizeKey(r.key[:0], raw)
}

// unescape appends the JSON string contents raw, unescaped, to b, stopping before b has grown by
// more than limit bytes.
func unescape(b, raw []byte, limit int) []byte {
	limit += len(b)
	for len(raw) > 0 {
		i := bytes.IndexByte(raw, '\\')
		if i < 0 {
			i = len(raw)
		}
		if room := limit - len(b); i > room {
			return append(b, raw[:room]...)
		}
		b = append(b, raw[:i]...)
		if i >= len(raw)-1 {
			return b
		}
		c, rest := raw[i+1], raw[i+2:]
		switch c {
		case 'n':
			c = '\n'
		case 't':
			c = '\t'
		case 'r':
			c = '\r'
		case 'b':
			c = '\b'
		case 'f':
			c = '\f'
		case 'u':
			var r rune
			r, rest = hex4(rest)
			if utf16.IsSurrogate(r) && len(rest) >= 6 && rest[0] == '\\' && rest[1] == 'u' {
				if r2, rest2 := hex4(rest[2:]); utf16.DecodeRune(r, r2) != utf8.RuneError {
					r, rest = utf16.DecodeRune(r, r2), rest2
				}
			}
			if r < 0 || utf16.IsSurrogate(r) {
				r = utf8.RuneError
			}
			if len(b)+utf8.RuneLen(r) > limit {
				return b
			}
			b = utf8.AppendRune(b, r)
			raw = rest
			continue
		}
		if len(b) == limit {
			return b
		}
		b = append(b, c) // also '"', '\\' and '/'
		raw = rest
	}
	return b
}

// hex4 parses the four hex digits that start s; it returns -1 if there are none.
func hex4(s []byte) (rune, []byte) {
	if len(s) < 4 {
		return -1, s
	}
	var r rune
	for _, c := range s[:4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return -1, s
		}
	}
	return r, s[4:]
}

func firstNonBlank(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

func reverse(fs []RawFrame) {
	for i, j := 0, len(fs)-1; i < j; i, j = i+1, j-1 {
		fs[i], fs[j] = fs[j], fs[i]
	}
}
