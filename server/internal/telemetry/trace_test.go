package telemetry

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/store"
)

func TestTree(t *testing.T) {
	t0 := time.Date(2026, 1, 16, 10, 0, 0, 0, time.UTC)
	span := func(id, parent string, ms int) store.TraceSpan {
		return store.TraceSpan{SpanID: id, ParentSpanID: parent, StartedAt: t0.Add(time.Duration(ms) * time.Millisecond)}
	}
	order := func(spans ...store.TraceSpan) []string {
		var out []string
		for _, sp := range Tree(spans) {
			out = append(out, sp.SpanID+":"+string(rune('0'+sp.Depth)))
		}
		return out
	}

	// Depth first, children by start; an orphan and a span that is its own parent are roots.
	require.Equal(t, []string{"r:0", "b:1", "b1:2", "a:1", "o:0", "self:0"}, order(
		span("r", "", 0), span("b", "r", 1), span("a", "r", 2), span("b1", "b", 3), span("o", "gone", 4), span("self", "self", 5)))
	// A cycle (x ↔ y) has no root: it is entered at its first span by start, and nothing repeats.
	require.Equal(t, []string{"r:0", "x:0", "y:1", "z:2"}, order(
		span("r", "", 0), span("x", "y", 1), span("y", "x", 2), span("z", "y", 3)))
	// Duplicate span ids: children attach to the first; the duplicate is still shown once.
	require.Equal(t, []string{"d:0", "c:1", "d:0"}, order(span("d", "", 0), span("d", "", 1), span("c", "d", 2)))
	require.Empty(t, Tree(nil))
}
