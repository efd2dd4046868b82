package ingest

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/apperr"
)

const (
	testUUID  = "0f8fad5b-d9cb-469f-a165-70867728950e"
	testUUID2 = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
)

// requireAppErr asserts that err is an *apperr.Error with the given kind, code and message.
func requireAppErr(t *testing.T, err error, kind apperr.Kind, code, message string) *apperr.Error {
	t.Helper()
	var ae *apperr.Error
	require.True(t, errors.As(err, &ae), "want *apperr.Error, got %T: %v", err, err)
	require.Equal(t, kind, ae.Kind, "kind of %v", err)
	require.Equal(t, code, ae.Code)
	if message != "" {
		require.Equal(t, message, ae.Message)
	}
	return ae
}

func event(fields string) string { return `{"event":{` + fields + `}}` }

func TestDecodeEventErrors(t *testing.T) {
	t.Parallel()
	const missing = "param is missing or the value is empty: event"
	deep := strings.Repeat(`{"a":`, 16) + "1" + strings.Repeat("}", 16) // context at depth 1, value at 17
	tests := []struct {
		name    string
		body    string
		kind    apperr.Kind
		code    string
		message string
		details []string
		limit   int64
		actual  int64
	}{
		{name: "malformed", body: `{"event":{"message":"x",}}`, kind: apperr.KindInvalid, code: "invalid_json", message: "request body is not valid JSON"},
		{name: "truncated", body: `{"event":{"message":"x"`, kind: apperr.KindInvalid, code: "invalid_json", message: "request body is not valid JSON"},
		{name: "trailing garbage", body: `{"event":{"message":"x"}} x`, kind: apperr.KindInvalid, code: "invalid_json", message: "request body is not valid JSON"},
		{name: "malformed elsewhere", body: `{"event":{"message":"x"},"other":[1,}`, kind: apperr.KindInvalid, code: "invalid_json", message: "request body is not valid JSON"},
		{name: "too deep for Ruby's parser", body: `{"event":{"message":"x","context":` + strings.Repeat("[", 99) + strings.Repeat("]", 99) + `}}`, kind: apperr.KindInvalid, code: "invalid_json"},
		{name: "empty body", body: ``, kind: apperr.KindInvalid, code: "parameter_missing", message: missing},
		{name: "no envelope", body: `{"message":"x"}`, kind: apperr.KindInvalid, code: "parameter_missing", message: missing},
		{name: "envelope key is case-sensitive", body: `{"Event":{"message":"x"}}`, kind: apperr.KindInvalid, code: "parameter_missing", message: missing},
		{name: "null envelope", body: `{"event":null}`, kind: apperr.KindInvalid, code: "parameter_missing", message: missing},
		{name: "empty envelope", body: `{"event":{}}`, kind: apperr.KindInvalid, code: "parameter_missing", message: missing},
		{name: "blank string envelope", body: `{"event":"  "}`, kind: apperr.KindInvalid, code: "parameter_missing", message: missing},
		{name: "array envelope", body: `{"event":[{"message":"x"}]}`, kind: apperr.KindInvalid, code: "parameter_missing", message: missing},
		{name: "array body", body: `[{"event":{"message":"x"}}]`, kind: apperr.KindInvalid, code: "parameter_missing", message: missing},
		{name: "event wins over EVENT even when blank", body: `{"event":{},"EVENT":{"event_type":"log","message":"x"}}`, kind: apperr.KindInvalid, code: "parameter_missing", message: missing},

		{name: "message bytes", body: event(`"event_type":"log","message":"` + strings.Repeat("é", 32769) + `"`), kind: apperr.KindTooLarge,
			code: "message_bytes", message: "telemetry payload message bytes exceeds 65536", limit: 65536, actual: 65538},
		{name: "message bytes counts decoded escapes", body: event(`"event_type":"log","message":"` + strings.Repeat(`\u00e9`, 32769) + `"`), kind: apperr.KindTooLarge,
			code: "message_bytes", limit: 65536, actual: 65538},
		{name: "message checked before the walk", body: event(`"context":{"s":"` + strings.Repeat("a", 300_000) + `"},"message":"` + strings.Repeat("a", 70_000) + `"`), kind: apperr.KindTooLarge,
			code: "message_bytes", limit: 65536, actual: 70000},
		{name: "context depth", body: event(`"event_type":"log","message":"x","context":` + deep), kind: apperr.KindTooLarge,
			code: "context_depth", message: "telemetry payload context depth exceeds 16", limit: 16, actual: 17},
		{name: "context keys", body: event(`"event_type":"log","message":"x","context":{` + keys(511) + `}`), kind: apperr.KindTooLarge,
			code: "context_keys", message: "telemetry payload context keys exceeds 512", limit: 512, actual: 514},
		{name: "array length", body: event(`"event_type":"log","message":"x","context":{"a":[` + strings.TrimSuffix(strings.Repeat("1,", 1001), ",") + `]}`), kind: apperr.KindTooLarge,
			code: "array_length", message: "telemetry payload array length exceeds 1000", limit: 1000, actual: 1001},
		{name: "string bytes", body: event(`"event_type":"log","message":"x","context":{"s":"` + strings.Repeat("a", 262145) + `"}`), kind: apperr.KindTooLarge,
			code: "string_bytes", message: "telemetry payload string bytes exceeds 262144", limit: 262144, actual: 262145},
		{name: "event bytes", body: event(`"event_type":"log","message":"x","context":{"a":[` + strings.TrimSuffix(strings.Repeat(`"`+strings.Repeat("a", 200_000)+`",`, 6), ",") + `]}`),
			kind: apperr.KindTooLarge, code: "event_bytes", message: "telemetry payload event bytes exceeds 1048576", limit: 1048576},

		{name: "unknown type", body: event(`"event_type":"crash","message":"x"`), kind: apperr.KindUnprocessable, code: "validation_failed",
			details: []string{"Event type is not included in the list"}},
		{name: "missing type and message", body: event(`"level":"error"`), kind: apperr.KindUnprocessable, code: "validation_failed",
			details: []string{"Event type is not included in the list", "Message can't be blank"}},
		{name: "blank message", body: event(`"event_type":"log","message":" \t "`), kind: apperr.KindUnprocessable, code: "validation_failed",
			details: []string{"Message can't be blank"}},
		{name: "null message", body: event(`"event_type":"log","message":null`), kind: apperr.KindUnprocessable, code: "validation_failed",
			details: []string{"Message can't be blank"}},
		{name: "invalid uuid hides other problems", body: event(`"uuid":"nope"`), kind: apperr.KindUnprocessable, code: "validation_failed",
			details: []string{"Uuid is invalid"}},
		{name: "invalid event_id", body: event(`"event_type":"log","message":"x","event_id":"0f8fad5bd9cb469fa16570867728950e"`), kind: apperr.KindUnprocessable,
			code: "validation_failed", details: []string{"Uuid is invalid"}},
		{name: "span without ids", body: event(`"event_type":"span","name":"x"`), kind: apperr.KindUnprocessable, code: "validation_failed",
			details: []string{"Trace can't be blank", "Span can't be blank"}},
		{name: "span without span id", body: event(`"event_type":"span","trace_id":"t","span_id":"  "`), kind: apperr.KindUnprocessable, code: "validation_failed",
			details: []string{"Span can't be blank"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ev, err := DecodeEvent([]byte(tc.body), testOptions())
			require.Nil(t, ev)
			ae := requireAppErr(t, err, tc.kind, tc.code, tc.message)
			require.Equal(t, tc.details, ae.Details)
			if tc.kind == apperr.KindTooLarge {
				require.Equal(t, tc.limit, ae.Limit)
				if tc.actual != 0 {
					require.Equal(t, tc.actual, ae.Actual)
				} else {
					require.Greater(t, ae.Actual, ae.Limit)
				}
			}
		})
	}
}

// keys returns n members "k0":0,"k1":1,... .
func keys(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"k%d":%d`, i, i)
	}
	return b.String()
}

func TestDecodeEventLimitsAtTheBoundary(t *testing.T) {
	t.Parallel()
	ok := []string{
		event(`"event_type":"log","message":"` + strings.Repeat("a", 65536) + `"`),
		event(`"event_type":"log","message":"x","context":` + strings.Repeat(`{"a":`, 15) + "1" + strings.Repeat("}", 15)),
		event(`"event_type":"log","message":"x","context":{` + keys(509) + `}`), // 3 event keys + 509
		event(`"event_type":"log","message":"x","context":{"a":[` + strings.TrimSuffix(strings.Repeat("1,", 1000), ",") + `]}`),
		event(`"event_type":"log","message":"x","context":{"s":"` + strings.Repeat("a", 262144) + `"}`),
	}
	for i, body := range ok {
		_, err := DecodeEvent([]byte(body), testOptions())
		require.NoError(t, err, "case %d", i)
	}
}

func TestDecodeCheckInErrors(t *testing.T) {
	t.Parallel()
	const missing = "param is missing or the value is empty: check_in"
	tests := []struct {
		name, body, code, message string
		kind                      apperr.Kind
		details                   []string
	}{
		{name: "malformed", body: `{"check_in":`, kind: apperr.KindInvalid, code: "invalid_json", message: "request body is not valid JSON"},
		{name: "no envelope", body: `{"slug":"x"}`, kind: apperr.KindInvalid, code: "parameter_missing", message: missing},
		{name: "no check-in key", body: `{"check_in":{"context":{"slug":"x"},"checked_at":"2026-01-01T00:00:00Z"}}`, kind: apperr.KindInvalid, code: "parameter_missing", message: missing},
		{name: "not an object", body: `{"check_in":"nightly"}`, kind: apperr.KindInvalid, code: "parameter_missing", message: missing},
		{name: "blank slug", body: `{"check_in":{"slug":"  ","status":"ok"}}`, kind: apperr.KindUnprocessable, code: "validation_failed", details: []string{"Message can't be blank"}},
		{name: "object slug is not permitted", body: `{"check_in":{"slug":{"a":1}}}`, kind: apperr.KindUnprocessable, code: "validation_failed", details: []string{"Message can't be blank"}},
		{name: "invalid uuid", body: `{"check_in":{"slug":"x","uuid":"123"}}`, kind: apperr.KindUnprocessable, code: "validation_failed", details: []string{"Uuid is invalid"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := DecodeCheckIn([]byte(tc.body), testOptions())
			ae := requireAppErr(t, err, tc.kind, tc.code, tc.message)
			require.Equal(t, tc.details, ae.Details)
		})
	}
}

func TestDecodeDeploymentErrors(t *testing.T) {
	t.Parallel()
	const missing = "param is missing or the value is empty: deployment"
	tests := []struct {
		name, body, code, message string
		kind                      apperr.Kind
		details                   []string
	}{
		{name: "malformed", body: `{"deployment":{]}`, kind: apperr.KindInvalid, code: "invalid_json", message: "request body is not valid JSON"},
		{name: "no envelope", body: `{}`, kind: apperr.KindInvalid, code: "parameter_missing", message: missing},
		{name: "no deployment key", body: `{"deployment":{"url":"https://x"}}`, kind: apperr.KindInvalid, code: "parameter_missing", message: missing},
		{name: "everything blank", body: `{"deployment":{"environment":"staging"}}`, kind: apperr.KindUnprocessable, code: "validation_failed",
			details: []string{"Release can't be blank", "Repository can't be blank", "Commit sha can't be blank"}},
		{name: "invalid sha", body: `{"deployment":{"release":"1","repository":"a/b","sha":"xyz1234"}}`, kind: apperr.KindUnprocessable, code: "validation_failed",
			details: []string{"Commit sha must be a 7 to 40 character commit SHA"}},
		{name: "short sha", body: `{"deployment":{"release":"1","repository":"a/b","commit_sha":"abc123"}}`, kind: apperr.KindUnprocessable, code: "validation_failed",
			details: []string{"Commit sha must be a 7 to 40 character commit SHA"}},
		{name: "repository format", body: `{"deployment":{"release":"1","repository":"just-a-name","commit_sha":"abc1234"}}`, kind: apperr.KindUnprocessable,
			code: "validation_failed", details: []string{"Repository full name must look like owner/repository"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := DecodeDeployment([]byte(tc.body), testOptions())
			ae := requireAppErr(t, err, tc.kind, tc.code, tc.message)
			require.Equal(t, tc.details, ae.Details)
		})
	}
}

func gzipped(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err := zw.Write(b)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// line is one NDJSON batch line with the given uuid.
func line(uuid, fields string) string {
	return `{"event":{"uuid":"` + uuid + `",` + fields + "}}\n"
}

func TestDecodeBatchErrors(t *testing.T) {
	t.Parallel()
	valid := line(testUUID, `"event_type":"log","message":"x"`)
	tests := []struct {
		name, body, contentType, encoding, code, message string
		kind                                             apperr.Kind
	}{
		{name: "json content type", body: valid, contentType: "application/json", kind: apperr.KindUnsupported,
			code: CodeUnsupportedContentType, message: "Batch ingest requires application/x-ndjson"},
		{name: "missing content type", body: valid, kind: apperr.KindUnsupported, code: CodeUnsupportedContentType},
		{name: "brotli", body: valid, contentType: "application/x-ndjson", encoding: "br", kind: apperr.KindUnsupported,
			code: CodeUnsupportedEncoding, message: "unsupported telemetry batch content encoding: br"},
		{name: "gzip twice", body: valid, contentType: "application/x-ndjson", encoding: "gzip, gzip", kind: apperr.KindUnsupported,
			code: CodeUnsupportedEncoding, message: "unsupported telemetry batch content encoding: gzip, gzip"},
		{name: "gzip and deflate", body: valid, contentType: "application/x-ndjson", encoding: "gzip, Deflate", kind: apperr.KindUnsupported,
			code: CodeUnsupportedEncoding, message: "unsupported telemetry batch content encoding: deflate"},
		{name: "compressed bytes", body: strings.Repeat(" ", 2<<20+1), contentType: "application/x-ndjson", kind: apperr.KindTooLarge,
			code: "compressed_bytes", message: "telemetry batch exceeds 2097152 bytes"},
		{name: "not gzip", body: valid, contentType: "application/x-ndjson", encoding: "gzip", kind: apperr.KindInvalid, code: "invalid_gzip",
			message: "invalid gzip telemetry batch: gzip: invalid header"},
		{name: "empty", body: "\n \r\n\n", contentType: "application/x-ndjson", kind: apperr.KindInvalid, code: "empty_batch",
			message: "telemetry batch must contain at least one event"},
		{name: "invalid json", body: valid + "\n" + `{"event":` + "\n", contentType: "application/x-ndjson", kind: apperr.KindInvalid, code: "invalid_json",
			message: "telemetry batch line 3 is invalid JSON: unexpected end of input at byte 10"},
		{name: "invalid envelope", body: valid + `[1]` + "\n", contentType: "application/ndjson", kind: apperr.KindInvalid, code: "invalid_envelope",
			message: "telemetry batch line 2 must contain an envelope object"},
		{name: "missing event", body: `{"EVENT":{"uuid":"` + testUUID + `"}}`, contentType: "application/x-ndjson", kind: apperr.KindInvalid,
			code: "missing_event", message: "telemetry batch line 1 must contain an event object"},
		{name: "event not an object", body: `{"event":"x"}`, contentType: "application/x-ndjson", kind: apperr.KindInvalid,
			code: "missing_event", message: "telemetry batch line 1 must contain an event object"},
		{name: "missing identity", body: `{"event":{"event_type":"log","message":"x","uuid":"  ","event_id":null}}`, contentType: "application/x-ndjson",
			kind: apperr.KindInvalid, code: "missing_identity", message: "telemetry batch line 1 requires a nonblank uuid or event_id"},
		{name: "invalid identity", body: `{"event":{"eventId":"nope"}}`, contentType: "application/x-ndjson", kind: apperr.KindInvalid,
			code: "invalid_identity", message: "telemetry batch line 1 uuid/event_id must be a valid UUID"},
		{name: "conflicting identity", body: `{"event":{"uuid":"` + testUUID + `","event_id":"` + testUUID2 + `"}}`, contentType: "application/x-ndjson",
			kind: apperr.KindInvalid, code: "conflicting_identity", message: "telemetry batch line 1 uuid and event_id must identify the same envelope"},
		{name: "event count", body: strings.Repeat(valid, 101), contentType: "application/x-ndjson", kind: apperr.KindTooLarge, code: "event_count",
			message: "telemetry batch exceeds 100 events"},
		{name: "per-event limit", body: valid + line(testUUID2, `"event_type":"log","message":"`+strings.Repeat("a", 65537)+`"`), contentType: "application/x-ndjson",
			kind: apperr.KindTooLarge, code: "message_bytes", message: "telemetry payload message bytes exceeds 65536"},
		{name: "line errors come in line order", body: line(testUUID, `"message":"`+strings.Repeat("a", 65537)+`"`) + "{", contentType: "application/x-ndjson",
			kind: apperr.KindTooLarge, code: "message_bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			events, err := DecodeBatch([]byte(tc.body), tc.contentType, tc.encoding, testOptions())
			require.Nil(t, events)
			_ = requireAppErr(t, err, tc.kind, tc.code, tc.message)
		})
	}
}

func TestDecodeBatchGzipLimits(t *testing.T) {
	t.Parallel()
	// A gzip bomb: 64 MiB of newlines compresses to about 64 KiB.
	bomb := gzipped(t, bytes.Repeat([]byte("\n"), 64<<20))
	require.Less(t, len(bomb), 2<<20)
	_, err := DecodeBatch(bomb, "application/x-ndjson", "gzip", testOptions())
	_ = requireAppErr(t, err, apperr.KindTooLarge, "decompressed_bytes", "telemetry batch exceeds 8388608 decompressed bytes")

	// Exactly 8 MiB is allowed.
	body := []byte(line(testUUID, `"event_type":"log","message":"x"`))
	body = append(body, bytes.Repeat([]byte(" "), 8<<20-len(body))...)
	events, err := DecodeBatch(gzipped(t, body), "application/x-ndjson", "gzip", testOptions())
	require.NoError(t, err)
	require.Len(t, events, 1)

	truncated := gzipped(t, body)
	_, err = DecodeBatch(truncated[:len(truncated)/2], "application/x-ndjson", "gzip", testOptions())
	_ = requireAppErr(t, err, apperr.KindInvalid, "invalid_gzip", "invalid gzip telemetry batch: unexpected EOF")
}

func TestDecodeBatchValidationErrors(t *testing.T) {
	t.Parallel()
	const third = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
	body := line(testUUID, `"event_type":"log","message":"ok"`) +
		"\n" + // blank lines do not count as envelopes
		line(testUUID2, `"event_type":"nope","message":" "`) +
		line(third, `"event_type":"span","trace_id":"t"`)
	events, err := DecodeBatch([]byte(body), "application/x-ndjson; charset=utf-8", "identity", testOptions())
	require.Nil(t, events)
	var be *BatchError
	require.True(t, errors.As(err, &be), "%T", err)
	require.Len(t, be.Results, 3)

	require.Equal(t, 0, be.Results[0].Index)
	require.Equal(t, "event", be.Results[0].Type)
	require.Nil(t, be.Results[0].Errors)
	require.NotNil(t, be.Results[0].Event)
	require.Equal(t, testUUID, be.Results[0].Event.UUID)

	require.Equal(t, BatchResult{Index: 1, Type: "event", Errors: []string{"Event type is not included in the list", "Message can't be blank"}}, be.Results[1])
	require.Equal(t, BatchResult{Index: 2, Type: "span", Errors: []string{"Span can't be blank"}}, be.Results[2])

	// The handler's error mapping sees a 422.
	require.Equal(t, apperr.KindUnprocessable, apperr.KindOf(err))
	require.Equal(t, "telemetry batch rejected: 2 of 3 envelopes are invalid", err.Error())
}
