package ingest

// Span events (reference 1.5, trace_span_params and TraceSpan).

import (
	"math"
	"strconv"
	"time"
)

// Span kinds TraceSpan accepts; anything else is stored as internal.
var spanKinds = [...]string{"app", "browser", "cache", "db", "http", "internal", "queue", "render", "resource", "server"}

var internalLit = []byte(`"internal"`)

// finishSpan extracts the span fields (trace_span_params), writes them back into the context and
// closes it. exact reports whether the start time came from the client.
func (d *decoder) finishSpan(f *[numFields][]byte, opts Options, now time.Time) (s *Span, exact bool) {
	traceObj := d.rootGet(kTrace)
	traceID := firstPresent(f[fTraceID], d.rootGet(tTraceID), d.rootGet(kTraceIDCamel), objectGet(traceObj, "traceId"))
	spanID := firstPresent(f[fSpanID], d.rootGet(tSpanID), d.rootGet(kSpanIDCamel), objectGet(traceObj, "spanId"))
	parentID := firstPresent(f[fParentSpanID], d.rootGet(tParentSpanID), d.rootGet(kParentSpanIDCamel), objectGet(traceObj, "parentSpanId"))
	name := firstPresent(f[fName], f[fMessage], d.rootGet(kName), d.rootGet(kSpanName))
	kind := firstPresent(f[fKind], f[fSpanKind], d.rootGet(kKind), d.rootGet(tSpanKind), d.rootGet(kSpanKindCamel))
	status := firstPresent(f[fStatus], d.rootGet(kStatus))
	duration := rubyToFloat(firstPresent(f[fDurationMS], d.rootGet(tDurationMS), d.rootGet(kDurationMSCamel)))
	if !(duration > 0) {
		duration = 0
	}
	startRaw := firstPresent(f[fStartedAt], f[fOccurredAt], d.rootGet(kStartedAt), d.rootGet(kStartedAtCamel))
	endRaw := firstPresent(f[fEndedAt], d.rootGet(kEndedAt), d.rootGet(kEndedAtCamel))

	s = &Span{
		TraceID:      text(traceID),
		SpanID:       text(spanID),
		ParentSpanID: text(parentID),
		Name:         "span",
		Kind:         "internal",
		Status:       text(status),
		DurationMS:   duration,
		StartedAt:    now,
	}
	if name != nil {
		s.Name = text(name)
	}
	if kind != nil && kind[0] == '"' && len(kind) < 32 {
		d.tmp = appendNormalizedKey(d.tmp[:0], kind[1:len(kind)-1])
		for _, k := range spanKinds {
			if k == string(d.tmp) {
				s.Kind = k
			}
		}
	}
	if t, ok := parseRawTime(startRaw); ok {
		s.StartedAt, exact = t, true
	}
	if t, ok := parseRawTime(endRaw); ok {
		s.EndedAt = t
	} else {
		dur := time.Duration(math.MaxInt64) // saturate: float64(MaxInt64) is 2^63, beyond int64
		if ns := duration * float64(time.Millisecond); ns < float64(math.MaxInt64) {
			dur = time.Duration(ns)
		}
		s.EndedAt = s.StartedAt.Add(dur)
	}

	var env []byte
	if env = firstPresent(f[fEnvironment], d.rootGet(tEnvironment)); env == nil && opts.DefaultEnvironment != "" {
		env = appendQuotedString(nil, opts.DefaultEnvironment)
	}
	d.writes = append(d.writes[:0],
		write{target: tTraceID, when: whenNil, raw: traceID},
		write{target: tSpanID, when: whenNil, raw: spanID},
		write{target: tParentSpanID, when: whenNil, raw: parentID, ifSet: true},
		write{target: tSpanKind, when: whenNil, raw: kind, lit: internalLit},
		write{target: tDurationMS, when: whenNil, lit: strconv.AppendFloat(d.num[:0], duration, 'f', -1, 64)},
		write{target: tEnvironment, when: whenNil, raw: env},
		write{target: tRelease, when: whenNil, raw: firstPresent(f[fRelease], d.rootGet(tRelease))},
		write{target: tService, when: whenNil, raw: firstPresent(f[fService], d.rootGet(tService))},
		write{target: tRequestID, when: whenNil, raw: firstPresent(f[fRequestID], d.rootGet(tRequestID), d.rootGet(kRequestIDCamel))},
		write{target: tTransactionName, when: whenNil, raw: firstPresent(f[fTransactionName], d.rootGet(tTransactionName), d.rootGet(kTransactionNameCamel))},
	)
	d.finishRoot(d.writes)
	return s, exact
}
