package grouping

import "github.com/logister/logister/server/internal/stacktrace"

// ParseStack parses a stack trace string of any supported runtime into frames, innermost first
// (exported for fuzzing). It is stacktrace.ParseStack, whose documentation lists the runtimes
// and the order of chained exceptions' frames; InApp is always nil.
func ParseStack(stack string) []RawFrame {
	calls := stacktrace.ParseStack(stack)
	if calls == nil {
		return nil
	}
	frames := make([]RawFrame, len(calls))
	for i, c := range calls {
		frames[i] = RawFrame{Function: c.Function, File: c.File, Line: c.Line, Column: c.Column}
	}
	return frames
}
