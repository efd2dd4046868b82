package telemetry

import (
	"bytes"
	"context"
	"encoding/json"
	"time"

	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/redact"
	"github.com/logister/logister/server/internal/store"
)

// Span is a span of a trace as the waterfall draws it.
type Span struct {
	store.TraceSpan
	// Depth is 0 for a root (a span without a parent, or whose parent is not in the trace).
	Depth int
	// OffsetMS is the span's start after the trace's start.
	OffsetMS float64
	// Attributes are the span's context, redacted.
	Attributes map[string]any
}

// Trace is a trace's spans, depth first from the roots, and its error occurrences.
type Trace struct {
	TraceID   string
	StartedAt time.Time
	// DurationMS runs from the first span's start to the last span's end.
	DurationMS float64
	Spans      []Span
	// Errors are the error occurrences that carry the trace id, newest first.
	Errors []store.EventSummary
	// Truncated is true when the trace has more than store.MaxTraceSpans spans; the first ones
	// by start are shown.
	Truncated bool
}

// Trace returns the project's trace with the id (as the client sent it).
//
// Errors: apperr NotFound when the project has no span of the trace.
func (s *Service) Trace(ctx context.Context, projectID int64, traceID string) (*Trace, error) {
	stored, err := s.st.GetTraceSpans(ctx, projectID, traceID)
	if err != nil {
		return nil, err
	}
	if len(stored.Spans) == 0 {
		return nil, apperr.NotFound("No such trace.")
	}
	t := &Trace{TraceID: traceID, Truncated: stored.Truncated, Spans: Tree(stored.Spans)}
	start, end := t.Spans[0].StartedAt, t.Spans[0].EndedAt
	for i := range t.Spans {
		sp := &t.Spans[i]
		if sp.StartedAt.Before(start) {
			start = sp.StartedAt
		}
		if sp.EndedAt.After(end) {
			end = sp.EndedAt
		}
	}
	if end.Before(start) {
		end = start
	}
	t.StartedAt = start
	t.DurationMS = ms(end.Sub(start))
	for i := range t.Spans {
		sp := &t.Spans[i]
		sp.OffsetMS = ms(sp.StartedAt.Sub(start))
		sp.Attributes = attributes(sp.Context)
	}
	if t.Errors, err = s.st.TraceErrors(ctx, projectID, traceID, start, end); err != nil {
		return nil, err
	}
	return t, nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// attributes decodes a span's context and redacts it; anything but an object gives an empty map.
func attributes(raw []byte) map[string]any {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) == nil {
		if m, ok := redact.Value(v).(map[string]any); ok {
			return m
		}
	}
	return map[string]any{}
}

// Tree orders spans (given in start order) depth first from the roots, each root's children in
// start order, and sets their depths. A span is a root when it has no parent, when its parent is
// not among the spans, or when it is its own parent; spans caught in a parent cycle become roots
// where the cycle is first entered (in start order), so every span appears exactly once. When
// several spans share a span id, children attach to the first.
func Tree(spans []store.TraceSpan) []Span {
	first := make(map[string]int, len(spans))
	for i := range spans {
		if _, dup := first[spans[i].SpanID]; !dup {
			first[spans[i].SpanID] = i
		}
	}
	children := make(map[int][]int)
	var roots []int
	for i := range spans {
		p, ok := first[spans[i].ParentSpanID]
		if spans[i].ParentSpanID == "" || !ok || p == i {
			roots = append(roots, i)
			continue
		}
		children[p] = append(children[p], i)
	}

	out := make([]Span, 0, len(spans))
	visited := make([]bool, len(spans))
	type frame struct{ i, depth int }
	var stack []frame
	walk := func(root int) {
		stack = append(stack[:0], frame{root, 0})
		for len(stack) > 0 {
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if visited[f.i] {
				continue
			}
			visited[f.i] = true
			out = append(out, Span{TraceSpan: spans[f.i], Depth: f.depth})
			kids := children[f.i]
			for k := len(kids) - 1; k >= 0; k-- { // pushed in reverse: popped in start order
				if !visited[kids[k]] {
					stack = append(stack, frame{kids[k], f.depth + 1})
				}
			}
		}
	}
	for _, r := range roots {
		walk(r)
	}
	for i := range spans {
		if !visited[i] {
			walk(i)
		}
	}
	return out
}
