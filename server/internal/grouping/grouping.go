// Package grouping computes the fingerprint that decides which error group an error event joins.
//
// A non-blank fingerprint sent by the client always wins and is used verbatim. Otherwise the server
// computes one with algorithm version 1 (AlgorithmVersion), which replaces the reference server's
// "first line of the message" rule, a rule that split one bug into many groups:
//
//  1. The exception is read from context.exception: its type (class, else type, else name) and its
//     stack, from the first of these that yields a frame: frames, tagContext, then the strings (or
//     arrays of lines) stack, stacktrace, backtrace and traceback. Keys match case-insensitively
//     and ignoring "_" and "-" ("stack_trace", "stackTrace", "TAG_CONTEXT"). The stacktrace package
//     (ParseStack, and the member names of ExceptionKey and FrameKey) reads V8, Firefox, Python,
//     Ruby, .NET (and Mono) and Java / Android / CFML lines.
//  2. Frames are put innermost first, the order in which V8, Ruby, Java, .NET and CFML print them;
//     Python frames (outermost first) are reversed. Frames from dependencies and runtimes
//     (stacktrace.IsLibrary) are dropped unless a frame carries an explicit in_app flag; if nothing
//     is left, all frames are kept.
//  3. Each frame is reduced to a function and a file: line and column numbers, absolute roots, URL
//     schemes, hosts and query strings, bundle content hashes, memory addresses, Ruby block prefixes
//     and compiler-generated lambda numbers are removed, and repeated frames (recursion) collapse.
//     The innermost 10 frames are used.
//  4. The canonical text is "v1\n" + type + "\n" followed by one "function\tfile\n" line per frame.
//     Without a usable stack it is "v1\n" + type + "\n" + the normalised message: its first line
//     with its variable parts (quoted strings, URL query strings, e-mail addresses, UUIDs,
//     timestamps, IP addresses, hex ids and numbers) replaced by placeholders. When every frame
//     used is anonymous, the normalised message follows the frames, since a file alone would lump
//     unrelated errors together (think of the anonymous route handlers of an Express app).
//  5. The fingerprint is the SHA-256 of the canonical text, as 32 lowercase hex characters.
//
// Any change to what the canonical text contains must bump AlgorithmVersion, so that groups made by
// different versions can be told apart. Compute never panics and bounds its work on hostile input.
package grouping

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// AlgorithmVersion is stored on each error group created from a server-computed fingerprint.
const AlgorithmVersion = 1

// Limits on the work done for one event.
const (
	maxFrames      = 10       // innermost in-app frames that go into a stack fingerprint
	maxRawFrames   = 200      // frames looked at in one stack
	maxStackBytes  = 64 << 10 // bytes of one stack string that are parsed
	maxFieldBytes  = 512      // bytes kept of one function, file or exception type
	maxMessageLine = 4 << 10  // bytes of the message's first line that are normalised
)

// Source says where a fingerprint came from.
type Source string

// The sources of a fingerprint.
const (
	SourceClient  Source = "client"  // sent by the SDK, used verbatim
	SourceStack   Source = "stack"   // computed from the exception type and stack frames
	SourceMessage Source = "message" // computed from the exception type and normalised message
)

// Result is the outcome of Compute.
type Result struct {
	Fingerprint   string  `json:"fingerprint"`    // the client's, verbatim, or 32 lowercase hex chars
	Version       int     `json:"version"`        // 0 for client fingerprints, else AlgorithmVersion
	Source        Source  `json:"source"`         // where Fingerprint came from
	ExceptionType string  `json:"exception_type"` // e.g. "TypeError", "ActiveRecord::RecordNotFound"; "" when unknown
	Frames        []Frame `json:"frames"`         // the normalised frames used (empty for message/client)
}

// Frame is one normalised stack frame: what remains of a frame once everything that changes between
// deployments, builds and runs has been removed.
type Frame struct {
	Function string `json:"function"`
	File     string `json:"file"`
}

// RawFrame is one stack frame as a runtime printed or an SDK sent it, before normalisation.
type RawFrame struct {
	Function string `json:"function"`
	File     string `json:"file"`
	Line     int    `json:"line,omitempty"`
	Column   int    `json:"column,omitempty"`
	InApp    *bool  `json:"in_app,omitempty"` // explicit flag from the SDK; nil when not sent
}

// Compute derives the grouping fingerprint of an error event. context is the event's context JSON
// object (may be nil or not an object); message is the event message.
//
// ExceptionType is filled whenever the context names one, also for client fingerprints.
func Compute(clientFingerprint, message string, context []byte) Result {
	r, _ := compute(clientFingerprint, message, context)
	return r
}

// compute is Compute that also returns the canonical text it hashed ("" for a client fingerprint).
func compute(clientFingerprint, message string, context []byte) (Result, string) {
	ex := decodeException(context)
	typ := firstLine(ex.exceptionType())
	if strings.TrimSpace(clientFingerprint) != "" {
		return Result{Fingerprint: clientFingerprint, Source: SourceClient, ExceptionType: typ, Frames: []Frame{}}, ""
	}

	raw, header := ex.rawFrames()
	if typ == "" {
		typ = typeFromHeader(header)
	}
	var b strings.Builder
	b.Grow(512)
	b.WriteString("v1\n")
	b.WriteString(typ)
	b.WriteByte('\n')

	if strings.TrimSpace(message) == "" {
		message = ex.message
	}
	if frames := selectFrames(raw); len(frames) > 0 {
		named := false
		for _, f := range frames {
			b.WriteString(f.Function)
			b.WriteByte('\t')
			b.WriteString(f.File)
			b.WriteByte('\n')
			named = named || f.Function != ""
		}
		if !named { // only anonymous functions: a file alone would lump unrelated errors together
			b.WriteString(normalizeMessage(message))
		}
		return result(b.String(), SourceStack, typ, frames)
	}
	b.WriteString(normalizeMessage(message))
	return result(b.String(), SourceMessage, typ, []Frame{})
}

func result(canonical string, src Source, typ string, frames []Frame) (Result, string) {
	sum := sha256.Sum256([]byte(canonical))
	return Result{
		Fingerprint:   hex.EncodeToString(sum[:16]),
		Version:       AlgorithmVersion,
		Source:        src,
		ExceptionType: typ,
		Frames:        frames,
	}, canonical
}

// selectFrames returns the innermost maxFrames in-app frames of raw (innermost first), normalised,
// or the innermost maxFrames of all frames when none is in-app. Consecutive repeats (recursion)
// count once.
func selectFrames(raw []RawFrame) []Frame {
	frames := make([]Frame, 0, maxFrames)
	for i := 0; i < len(raw) && len(frames) < maxFrames; i++ {
		r := &raw[i]
		if r.InApp != nil && *r.InApp || r.InApp == nil && !isLibrary(r.Function, r.File) {
			frames = appendFrame(frames, r)
		}
	}
	if len(frames) == 0 {
		for i := 0; i < len(raw) && len(frames) < maxFrames; i++ {
			frames = appendFrame(frames, &raw[i])
		}
	}
	return frames
}

func appendFrame(frames []Frame, r *RawFrame) []Frame {
	f := normalizeFrame(r.Function, r.File)
	if f == (Frame{}) || len(frames) > 0 && frames[len(frames)-1] == f {
		return frames
	}
	return append(frames, f)
}

// typeFromHeader returns the exception type named by the first line of a stack string, as in
// "TypeError: x is undefined" or "java.lang.IllegalStateException: boom", or "".
func typeFromHeader(line string) string {
	name, _, _ := strings.Cut(strings.TrimSpace(line), ": ")
	name = strings.TrimSuffix(name, ":")
	if name == "" || len(name) > maxFieldBytes {
		return ""
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !isWordByte(c) && c != '.' && c != '$' && c != ':' {
			return ""
		}
	}
	if c := name[0]; c >= '0' && c <= '9' {
		return ""
	}
	return name
}

// firstLine returns the trimmed first line of s, capped at maxFieldBytes.
func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return truncate(strings.TrimSpace(s), maxFieldBytes)
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

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
