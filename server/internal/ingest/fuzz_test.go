package ingest

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/logister/logister/server/internal/apperr"
)

// fuzzSeeds are the SDK examples plus bodies that reach the less common paths.
func fuzzSeeds(f *testing.F) [][]byte {
	f.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "sdk", "*.json"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seeds: %v", err)
	}
	var seeds [][]byte
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, b); err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, buf.Bytes())
	}
	for _, s := range []string{
		`{"event":{"event_type":"span","context":{"trace":{"traceId":"t","spanId":"s"},"trace_id":null,"span_kind":false}}}`,
		`{"EVENT":{"eventType":"check_in","message":"m","status":"error","context":{"environment":"","Environment":"x"}}}`,
		`{"event":{"event_type":"error","message":"x","evidence":{"reporting_period":{"end":"2026-01-01"}},"context":{"diagnostic":{"timestamp_begin":"2026-01-01T00:00:00Z"},"telemetry_evidence":1}}}`,
		`{"event":{"event_type":"log","message":"a\u0000\ud800","uuid":"0F8FAD5B-D9CB-469F-A165-70867728950E","context":{"k\u00e9Y":[1e999,-0.5,{"aB":{}}]}}}`,
		"{\"event\":{\"message\":\"\xff\",\"context\":{\"\xfeA\":\"\xc3\"}}}",
		`{"check_in":{"slug":"s","checkedAt":"2026-01-01T00:00:00Z","expected_interval_seconds":"12x"}}`,
		`{"deployment":{"github":{"repository":"git@github.com:a/b.git","ref":"refs/pull/7/merge"},"release":"r","sha":"ABCDEF0"}}`,
		`[]`, ``, `{"event":`, `{"event":{}}`,
	} {
		seeds = append(seeds, []byte(s))
	}
	return seeds
}

func FuzzDecodeEvent(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	opts := Options{Now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), DefaultEnvironment: "production"}
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := DecodeEvent(body, opts)
		checkDecoded(t, ev, err)
		if err == nil {
			return
		}
		var ae *apperr.Error
		_ = errors.As(err, &ae)
		// Differential check against encoding/json: what it rejects is invalid_json here too, and
		// invalid_json is only returned beyond that for nesting deeper than Ruby allows.
		// An empty body is no JSON but, as in Rails, simply holds no parameters.
		empty := len(bytes.TrimSpace(body)) == 0
		if !empty && json.Valid(body) == (ae.Code == codeInvalidJSON) && (ae.Code != codeInvalidJSON || nesting(body) <= maxNesting) {
			t.Fatalf("json.Valid=%v but error %v", json.Valid(body), err)
		}

		ci, err := DecodeCheckIn(body, opts)
		checkDecoded(t, ci, err)
		d, err := DecodeDeployment(body, opts)
		if err == nil {
			if !json.Valid(d.Metadata) || !utf8.ValidString(d.Repository+d.Release+d.CommitSHA+d.Branch+d.Environment) {
				t.Fatalf("bad deployment %+v", d)
			}
		} else if !errors.As(err, &ae) {
			t.Fatalf("want *apperr.Error, got %T", err)
		}
	})
}

func FuzzDecodeBatch(f *testing.F) {
	seeds := fuzzSeeds(f)
	var batch bytes.Buffer
	for i, s := range seeds {
		// Give every event envelope an identity, as the batch endpoint requires.
		s = bytes.Replace(s, []byte(`{"event":{`), []byte(`{"event":{"uuid":"0f8fad5b-d9cb-469f-a165-70867728950e",`), 1)
		f.Add(s, uint8(i%3))
		if bytes.HasPrefix(s, []byte(`{"event":{"uuid"`)) && batch.Len() < 20_000 {
			batch.Write(s)
			batch.WriteString("\n\r\n")
		}
	}
	f.Add(batch.Bytes(), uint8(0))
	f.Add(batch.Bytes(), uint8(1))
	opts := Options{Now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), DefaultEnvironment: "production"}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed) // deflate itself is not under test
	f.Fuzz(func(t *testing.T, body []byte, mode uint8) {
		encoding := ""
		switch mode % 3 {
		case 1: // compress what the fuzzer wrote
			buf.Reset()
			zw.Reset(&buf)
			_, _ = zw.Write(body)
			_ = zw.Close()
			body, encoding = buf.Bytes(), "gzip"
		case 2: // claim gzip for arbitrary bytes
			encoding = "gzip"
		}
		events, err := DecodeBatch(body, "application/x-ndjson", encoding, opts)
		var be *BatchError
		var ae *apperr.Error
		switch {
		case err == nil:
			if len(events) == 0 || len(events) > maxBatchEvents {
				t.Fatalf("%d events", len(events))
			}
			for _, ev := range events {
				checkDecoded(t, ev, nil)
				if !isUUID(ev.UUID) || ev.UUID != strings.ToLower(ev.UUID) {
					t.Fatalf("batch event without a valid uuid: %q", ev.UUID)
				}
			}
		case errors.As(err, &be):
			invalid := 0
			for i, r := range be.Results {
				if r.Index != i || (r.Errors == nil) == (r.Event == nil) || r.Type != "event" && r.Type != "span" {
					t.Fatalf("bad result %d: %+v", i, r)
				}
				if r.Errors != nil {
					invalid++
				} else {
					checkDecoded(t, r.Event, nil)
				}
			}
			if invalid == 0 || events != nil {
				t.Fatalf("BatchError without invalid envelopes")
			}
		case errors.As(err, &ae):
			if events != nil {
				t.Fatal("events with an error")
			}
		default:
			t.Fatalf("want *apperr.Error or *BatchError, got %T: %v", err, err)
		}
	})
}

// checkDecoded asserts the invariants of a decoded event or of a decoding error.
func checkDecoded(t *testing.T, ev *Event, err error) {
	t.Helper()
	if err != nil {
		var ae *apperr.Error
		if !errors.As(err, &ae) || ev != nil {
			t.Fatalf("want *apperr.Error and no event, got %T %v", err, err)
		}
		if ae.Kind != apperr.KindInvalid && ae.Kind != apperr.KindTooLarge && ae.Kind != apperr.KindUnprocessable && ae.Kind != apperr.KindUnsupported {
			t.Fatalf("unexpected kind %v", ae.Kind)
		}
		return
	}
	var ctx map[string]any
	if e := json.Unmarshal(ev.Context, &ctx); e != nil || ctx == nil {
		t.Fatalf("context is not a JSON object: %v %q", e, ev.Context)
	}
	if !utf8.Valid(ev.Context) || bytes.Contains(ev.Context, []byte(`\u0000`)) {
		t.Fatalf("context is not safe for jsonb: %q", ev.Context)
	}
	for _, s := range []string{ev.UUID, ev.Level, ev.Message, ev.Fingerprint, ev.Environment, ev.Release} {
		if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
			t.Fatalf("field not safe for text: %q", s)
		}
	}
	if ev.UUID != "" && (!isUUID(ev.UUID) || ev.UUID != strings.ToLower(ev.UUID)) {
		t.Fatalf("uuid %q", ev.UUID)
	}
	if utf8.RuneCountInString(ev.Level) > maxLevelRunes || ev.Level != strings.ToLower(ev.Level) {
		t.Fatalf("level %q", ev.Level)
	}
	switch ev.TimePrecision {
	case PrecisionExact, PrecisionReportingInterval, PrecisionReceivedOnly:
	default:
		t.Fatalf("precision %q", ev.TimePrecision)
	}
	if ev.OccurredAt.IsZero() || ev.OccurredAt.Location() != time.UTC {
		t.Fatalf("occurred_at %v", ev.OccurredAt)
	}
	if (ev.Type == TypeSpan) != (ev.Span != nil) || (ev.Type == TypeCheckIn) != (ev.CheckIn != nil) {
		t.Fatalf("type %q with span %v check-in %v", ev.Type, ev.Span, ev.CheckIn)
	}
	if s := ev.Span; s != nil {
		if s.TraceID == "" || s.SpanID == "" || !(s.DurationMS >= 0) || s.Name == "" {
			t.Fatalf("span %+v", s)
		}
	}
	if c := ev.CheckIn; c != nil && (c.ExpectedIntervalSeconds <= 0 || c.Status == "" || c.DurationMS != nil && !(*c.DurationMS > 0)) {
		t.Fatalf("check-in %+v", c)
	}
}

// nesting returns the deepest nesting of objects and arrays in b, ignoring strings.
func nesting(b []byte) int {
	depth, deepest, inString := 0, 0, false
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case inString && c == '\\':
			i++
		case c == '"':
			inString = !inString
		case inString:
		case c == '{' || c == '[':
			depth++
			deepest = max(deepest, depth)
		case c == '}' || c == ']':
			depth--
		}
	}
	return deepest
}
