package stacktrace

// Key is what a member of an exception object, or of one of its structured frames, means. SDKs
// spell the same thing differently ("stack_trace", "stackTrace", Lucee's "TAGCONTEXT", "lineno",
// "line_number"); NormalizeKey folds the spellings and ExceptionKey and FrameKey name them. The
// grouping package reads context.exception with the same tables, so both agree on what a member
// means: a change to the members that grouping reads (the type, message, frames and stacks, and
// a frame's function, file, raw trace and in_app flag) changes fingerprints and must come with a
// new grouping.AlgorithmVersion.
type Key uint8

// Members of an exception object.
const (
	KeyUnknown     Key = iota
	KeyClass           // "class": the exception type, preferred
	KeyType            // "type": the type when there is no class
	KeyName            // "name": the type when there is neither
	KeyMessage         // "message"
	KeyModule          // "module": Python's module of the type
	KeyFrames          // "frames": structured frames (JS innermost first, Python outermost first)
	KeyTagContext      // "tagContext", "tag_context": CFML frames, innermost first
	KeyStack           // "stack": V8 / Firefox stack string, with its header line
	KeyStackTrace      // "stacktrace", "stack_trace": Java, .NET, CFML strings; Sentry's {frames}
	KeyBacktrace       // "backtrace": lines (JS, Python, Ruby), as an array or a string
	KeyTraceback       // "traceback": a Python traceback string
	KeyCause           // "cause", "__cause__": the exception that caused this one
	KeyContext         // "context", "__context__": Python's exception being handled when this one was raised
	KeyInner           // "innerException", "inner_exception": .NET's inner exception
	KeyValues          // "values": Sentry's list of chained exceptions, oldest first
	KeyValue           // "value": Sentry's message
	KeyClassName       // "ClassName": .NET's serialised exception type
	KeyStackString     // "StackTraceString": .NET's serialised stack trace
)

// Members of a structured frame.
const (
	KeyFunction    Key = iota + 64 // "function", "name", "method"
	KeyFile                        // "filename", "file", "path", "abs_path", "template"
	KeyLine                        // "lineno", "line", "line_number": a number (Python's "line" is source text)
	KeyColumn                      // "colno", "column", "col", "column_number"
	KeyFrameModule                 // "module", "package"
	KeyInApp                       // "in_app"
	KeyRawTrace                    // "raw_trace": CFML's Java frame of the tag context entry
	KeyContextLine                 // "context_line": the source line of the frame
	KeyPreContext                  // "pre_context": source lines before it
	KeyPostContext                 // "post_context": source lines after it
	KeyCodePrint                   // "codePrintPlain": CFML's numbered source excerpt
)

// ExceptionKey says what a normalised member name of an exception object means.
func ExceptionKey(normalized []byte) Key {
	switch string(normalized) {
	case "class":
		return KeyClass
	case "type":
		return KeyType
	case "name":
		return KeyName
	case "message":
		return KeyMessage
	case "module":
		return KeyModule
	case "frames":
		return KeyFrames
	case "tagcontext":
		return KeyTagContext
	case "stack":
		return KeyStack
	case "stacktrace":
		return KeyStackTrace
	case "backtrace":
		return KeyBacktrace
	case "traceback":
		return KeyTraceback
	case "cause":
		return KeyCause
	case "context":
		return KeyContext
	case "innerexception":
		return KeyInner
	case "values":
		return KeyValues
	case "value":
		return KeyValue
	case "classname":
		return KeyClassName
	case "stacktracestring":
		return KeyStackString
	}
	return KeyUnknown
}

// FrameKey says what a normalised member name of a structured frame means.
func FrameKey(normalized []byte) Key {
	switch string(normalized) {
	case "function", "name", "method":
		return KeyFunction
	case "filename", "file", "path", "abspath", "template":
		return KeyFile
	case "lineno", "line", "linenumber":
		return KeyLine
	case "colno", "column", "col", "columnnumber":
		return KeyColumn
	case "module", "package":
		return KeyFrameModule
	case "inapp":
		return KeyInApp
	case "rawtrace":
		return KeyRawTrace
	case "contextline":
		return KeyContextLine
	case "precontext":
		return KeyPreContext
	case "postcontext":
		return KeyPostContext
	case "codeprintplain":
		return KeyCodePrint
	}
	return KeyUnknown
}

// MaxKeyBytes is the longest normalised member name that means anything.
const MaxKeyBytes = 16

// NormalizeKey writes raw into dst's array lowercased (ASCII) and without "_" and "-", so that
// "stack_trace", "stackTrace" and "STACK-TRACE" all become "stacktrace" ("__cause__" becomes
// "cause"), and returns it. A name longer than MaxKeyBytes once normalised yields nil: no member
// that means anything is that long. dst is typically a [MaxKeyBytes]byte array sliced to [:0], so
// that nothing is allocated.
func NormalizeKey(dst, raw []byte) []byte {
	dst = dst[:0]
	for _, c := range raw {
		switch {
		case c == '_' || c == '-':
		case len(dst) == MaxKeyBytes:
			return nil
		case c >= 'A' && c <= 'Z':
			dst = append(dst, c+'a'-'A')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
