package ingest

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

func decodeOK(t *testing.T, body string, opts Options) *Event {
	t.Helper()
	ev, err := DecodeEvent([]byte(body), opts)
	require.NoError(t, err, body)
	require.True(t, json.Valid(ev.Context), "%s", ev.Context)
	require.True(t, utf8.Valid(ev.Context))
	return ev
}

func TestNormalizedKey(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"trace_id": "trace_id", "traceId": "trace_id", "EVENT_TYPE": "event_type", "eventType": "event_type",
		"X-Request-Id": "x_request_id", "HTMLParser": "html_parser", "clientIP": "client_ip", "camel2Case": "camel2_case",
		"Admin::UsersController": "admin/users_controller", "already-dashed": "already_dashed", "ÄpfelSaft": "äpfel_saft",
		"ABC": "abc", "a": "a", "": "",
	} {
		require.Equal(t, want, string(appendNormalizedKey(nil, []byte(in))), in)
		require.Equal(t, want, snake(in), "oracle: %s", in)
	}
}

func TestContextRewrite(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, context, want string }{
		{"camelCase copy", `{"traceId":"a"}`, `{"traceId":"a","trace_id":"a"}`},
		{"original wins", `{"traceId":"a","trace_id":"b"}`, `{"traceId":"a","trace_id":"b"}`},
		{"original wins in either order", `{"trace_id":"b","traceId":"a"}`, `{"trace_id":"b","traceId":"a"}`},
		{"first copy wins", `{"fooBar":1,"FooBar":2}`, `{"fooBar":1,"FooBar":2,"foo_bar":1}`},
		{"recursive, through arrays", `{"a":[{"bB":1}],"cD":{"eF":2}}`, `{"a":[{"bB":1,"b_b":1}],"cD":{"eF":2,"e_f":2},"c_d":{"eF":2,"e_f":2}}`},
		{"headers", `{"X-Request-Id":"r","User-Agent":"u"}`, `{"X-Request-Id":"r","User-Agent":"u","x_request_id":"r","user_agent":"u"}`},
		{"escaped key", `{"tra\u0063eId":"a"}`, `{"traceId":"a","trace_id":"a"}`},
		{"null and empty values are copied", `{"aB":null,"cD":{},"eF":[]}`, `{"aB":null,"cD":{},"eF":[],"a_b":null,"c_d":{},"e_f":[]}`},
		{"string context", `"text"`, `{}`},
		{"array context", `[{"a":1}]`, `{}`},
		{"null context", `null`, `{}`},
		{"server-owned telemetry_evidence", `{"telemetry_evidence":{"time":1},"telemetryEvidence":2,"a":1}`, `{"telemetryEvidence":2,"a":1}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ev := decodeOK(t, event(`"event_type":"log","message":"x","context":`+tc.context), Options{Now: testNow})
			require.JSONEq(t, tc.want, string(ev.Context))
		})
	}

	ev := decodeOK(t, event(`"event_type":"log","message":"x"`), Options{Now: testNow})
	require.JSONEq(t, `{}`, string(ev.Context), "no context at all")
}

func TestTopLevelCopies(t *testing.T) {
	t.Parallel()
	body := event(`"eventType":"error","message":"x","environment":"staging","release":"1.0","traceId":"t","requestId":"r",
		"sessionId":"s","userId":42,"commitSha":"abc1234","githubRepository":"acme/app","branch":"main","transactionName":"GET /",
		"durationMs":12.5,"expected_interval_seconds":60,"monitor_slug":"nightly","mechanism":"onerror","telemetry_schema_version":2,
		"handled":false,"in_foreground":true,"installation_id_hash":"h","status":"ok","unknown":{"x":1},"context":{"kept":1}`)
	ev := decodeOK(t, body, testOptions())
	require.JSONEq(t, `{"kept":1,"environment":"staging","release":"1.0","trace_id":"t","request_id":"r","session_id":"s","user_id":42,
		"commit_sha":"abc1234","repository":"acme/app","branch":"main","transaction_name":"GET /","duration_ms":12.5,
		"expected_interval_seconds":60,"check_in_slug":"nightly","error_mechanism":"onerror","telemetry_schema_version":2,
		"handled":false,"in_foreground":true,"installation_id_hash":"h"}`, string(ev.Context))
	require.Equal(t, "staging", ev.Environment)
	require.Equal(t, "1.0", ev.Release)

	tests := []struct{ name, fields, want string }{
		{"context values win", `"release":"top","trace_id":"top","context":{"release":"ctx","traceId":"ctx"}`,
			`{"release":"ctx","traceId":"ctx","trace_id":"ctx","environment":"production"}`},
		{"blank context values are replaced", `"release":"top","trace_id":"top","branch":"b","context":{"release":"","trace_id":null,"branch":"  "}`,
			`{"release":"top","trace_id":"top","branch":"b","environment":"production"}`},
		{"blank top-level values are not copied", `"release":" ","trace_id":null,"context":{}`, `{"environment":"production"}`},
		{"sha alias", `"sha":"abc1234"`, `{"commit_sha":"abc1234","environment":"production"}`},
		{"Ruby || stops at an empty string", `"commit_sha":"","sha":"abc1234"`, `{"environment":"production"}`},
		{"repo alias", `"repo":"a/b"`, `{"repository":"a/b","environment":"production"}`},
		{"status is not copied for logs", `"status":"ok"`, `{"environment":"production"}`},
		{"handled false is kept in context", `"handled":true,"context":{"handled":false}`, `{"handled":false,"environment":"production"}`},
		{"handled null in context is replaced", `"handled":false,"context":{"handled":null}`, `{"handled":false,"environment":"production"}`},
		{"evidence is whitelisted", `"evidence":{"source":"sdk","secret":1,"reporting_period":{"start":"a","x":1},"producer":{"sdk_name":"n","y":2}}`,
			`{"environment":"production","evidence":{"source":"sdk","reporting_period":{"start":"a"},"producer":{"sdk_name":"n"}}}`},
		{"evidence without whitelisted keys", `"evidence":{"secret":1}`, `{"environment":"production"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ev := decodeOK(t, event(`"event_type":"log","message":"x",`+tc.fields), testOptions())
			require.JSONEq(t, tc.want, string(ev.Context))
		})
	}

	ev = decodeOK(t, event(`"event_type":"transaction","message":"x","status":"ok"`), testOptions())
	require.JSONEq(t, `{"transaction_status":"ok","environment":"production"}`, string(ev.Context))
	ev = decodeOK(t, event(`"event_type":"check_in","message":"x","status":"error"`), testOptions())
	require.JSONEq(t, `{"check_in_status":"error","environment":"production"}`, string(ev.Context))

	// Without a default environment (mobile tokens) nothing is added.
	ev = decodeOK(t, event(`"event_type":"log","message":"x"`), Options{Now: testNow})
	require.JSONEq(t, `{}`, string(ev.Context))
	require.Empty(t, ev.Environment)
}

func TestEventFields(t *testing.T) {
	t.Parallel()
	ev := decodeOK(t, `{"EVENT":{"EVENT_TYPE":"LOG","Message":"hello","Level":"WARNING","FINGERPRINT":" Fp ","Uuid":"`+strings.ToUpper(testUUID)+`","whatever":[1,{"x":null}]}}`, testOptions())
	require.Equal(t, TypeLog, ev.Type)
	require.Equal(t, "hello", ev.Message)
	require.Equal(t, "warning", ev.Level)
	require.Equal(t, " Fp ", ev.Fingerprint)
	require.Equal(t, testUUID, ev.UUID)

	ev = decodeOK(t, `{"event":null,"EVENT":{"event_type":"Error","message":42,"event_id":" `+testUUID+` ","level":null,"fingerprint":null,"release":null,"context":null}}`, testOptions())
	require.Equal(t, TypeError, ev.Type)
	require.Equal(t, "42", ev.Message)
	require.Equal(t, testUUID, ev.UUID)
	require.Empty(t, ev.Level)
	require.Empty(t, ev.Fingerprint)
	require.Empty(t, ev.Release)

	for in, want := range map[string]EventType{`0`: TypeError, `1`: TypeMetric, `2`: TypeTransaction, `3`: TypeLog, `4`: TypeCheckIn, `"SPAN"`: TypeSpan, `"Check_In"`: TypeCheckIn} {
		ev := decodeOK(t, event(`"event_type":`+in+`,"message":"x","trace_id":"t","span_id":"s"`), testOptions())
		require.Equal(t, want, ev.Type, in)
	}

	for in, want := range map[string]string{
		"warn": "warn", "warning": "warning", "critical": "critical", "fatal": "fatal", "Notice": "notice", "ÉRREUR": "érreur",
		strings.Repeat("x", 40): strings.Repeat("x", 32), strings.Repeat("é", 40): strings.Repeat("é", 32),
	} {
		ev := decodeOK(t, event(`"event_type":"log","message":"x","level":"`+in+`"`), testOptions())
		require.Equal(t, want, ev.Level, in)
	}
}

func TestOccurredAt(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, fields, want, precision string }{
		{"milliseconds", `"occurred_at":"2026-11-23T19:31:10.639Z"`, "2026-11-23T19:31:10.639Z", PrecisionExact},
		{"offset", `"occurred_at":"2026-11-23T21:31:10+02:00"`, "2026-11-23T19:31:10Z", PrecisionExact},
		{"compact offset", `"occurred_at":"2026-11-23T14:31:10.5-0500"`, "2026-11-23T19:31:10.5Z", PrecisionExact},
		{"no zone is UTC", `"occurred_at":"2026-11-23T19:31:10"`, "2026-11-23T19:31:10Z", PrecisionExact},
		{"Ruby Time#to_s", `"occurred_at":"2026-11-23 19:31:10 UTC"`, "2026-11-23T19:31:10Z", PrecisionExact},
		{"date only", `"occurred_at":"2026-11-23"`, "2026-11-23T00:00:00Z", PrecisionExact},
		{"nanoseconds", `"occurred_at":"2026-11-23T19:31:10.123456789123Z"`, "2026-11-23T19:31:10.123456789Z", PrecisionExact},
		{"garbage", `"occurred_at":"yesterday"`, "", PrecisionReceivedOnly},
		{"impossible date", `"occurred_at":"2026-02-30T00:00:00Z"`, "", PrecisionReceivedOnly},
		{"number", `"occurred_at":1700000000`, "", PrecisionReceivedOnly},
		{"absent", ``, "", PrecisionReceivedOnly},
		{"diagnostic", `"context":{"diagnostic":{"occurredAt":"2026-11-23T19:00:00Z"}}`, "2026-11-23T19:00:00Z", PrecisionExact},
		{"context evidence", `"context":{"evidence":{"occurred_at":"2026-11-23T18:00:00Z"}}`, "2026-11-23T18:00:00Z", PrecisionExact},
		{"top-level evidence", `"evidence":{"occurred_at":"2026-11-23T17:00:00Z"}`, "2026-11-23T17:00:00Z", PrecisionExact},
		{"reporting end", `"evidence":{"reporting_period":{"start":"2026-11-22T00:00:00Z","end":"2026-11-23T00:00:00Z"}}`, "2026-11-23T00:00:00Z", PrecisionReportingInterval},
		{"reporting start", `"context":{"diagnostic":{"timestamp_begin":"2026-11-22T00:00:00Z"}}`, "2026-11-22T00:00:00Z", PrecisionReportingInterval},
		{"reversed interval", `"context":{"evidence":{"reporting_start":"2026-11-23T00:00:00Z","reporting_end":"2026-11-22T00:00:00Z"}}`, "", PrecisionReceivedOnly},
		{"exact wins", `"occurred_at":"2026-11-23T01:00:00Z","evidence":{"reporting_end":"2026-11-23T00:00:00Z"}`, "2026-11-23T01:00:00Z", PrecisionExact},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fields := `"event_type":"error","message":"x"`
			if tc.fields != "" {
				fields += "," + tc.fields
			}
			ev := decodeOK(t, event(fields), testOptions())
			want := testNow
			if tc.want != "" {
				want = mustTime(tc.want)
			}
			require.Equal(t, want, ev.OccurredAt)
			require.Equal(t, tc.precision, ev.TimePrecision)
		})
	}
}

func TestSpan(t *testing.T) {
	t.Parallel()
	start := "2026-11-23T19:31:10Z"
	ev := decodeOK(t, event(`"event_type":"span","message":"GET /","occurred_at":"`+start+`","durationMs":-5,"kind":"SERVER",
		"context":{"trace":{"traceId":"T","spanId":"S","parentSpanId":"P"},"trace_id":null,"service":"api","span_kind":false}`), testOptions())
	require.Equal(t, &Span{TraceID: "T", SpanID: "S", ParentSpanID: "P", Name: "GET /", Kind: "server", DurationMS: 0,
		StartedAt: mustTime(start), EndedAt: mustTime(start)}, ev.Span)
	require.Equal(t, mustTime(start), ev.OccurredAt)
	require.Equal(t, PrecisionExact, ev.TimePrecision)
	require.Equal(t, "production", ev.Environment)
	require.JSONEq(t, `{"trace":{"traceId":"T","spanId":"S","parentSpanId":"P","trace_id":"T","span_id":"S","parent_span_id":"P"},
		"service":"api","trace_id":"T","span_id":"S","parent_span_id":"P","span_kind":"SERVER","duration_ms":0,"environment":"production",
		"release":null,"request_id":null,"transaction_name":null}`, string(ev.Context))

	ev = decodeOK(t, event(`"event_type":"span","trace_id":"t","span_id":"s","kind":"weird","duration_ms":"12.5ms",
		"started_at":"not a time","context":{"spanName":"from the copy","request_id":"r","parent_span_id":""}`), Options{Now: testNow})
	require.Equal(t, "from the copy", ev.Span.Name, "context.span_name, a snake_case copy")
	require.Equal(t, "internal", ev.Span.Kind)
	require.InDelta(t, 12.5, ev.Span.DurationMS, 0)
	require.Equal(t, testNow, ev.Span.StartedAt)
	require.Equal(t, testNow.Add(12500*time.Microsecond), ev.Span.EndedAt)
	require.Equal(t, PrecisionReceivedOnly, ev.TimePrecision)
	require.Empty(t, ev.Environment)
	var ctx map[string]any
	require.NoError(t, json.Unmarshal(ev.Context, &ctx))
	require.Equal(t, "weird", ctx["span_kind"], "the raw kind is written back, as in the reference")
	require.Equal(t, "", ctx["parent_span_id"], "a blank parent is not replaced when no parent is known")
	require.Equal(t, "r", ctx["request_id"])
	require.Nil(t, ctx["environment"])
	require.Contains(t, ctx, "environment")

	ev = decodeOK(t, event(`"event_type":"span","trace_id":"t","span_id":"s"`), testOptions())
	require.Equal(t, "span", ev.Span.Name)

	ev = decodeOK(t, event(`"event_type":"span","trace_id":"t","span_id":"s","duration_ms":1e300`), testOptions())
	require.True(t, ev.Span.EndedAt.After(ev.Span.StartedAt), "a huge duration saturates instead of overflowing")

	ev = decodeOK(t, event(`"event_type":"span","name":"n","message":"m","trace_id":"t","span_id":"s","context":{"span_kind":"db","duration_ms":3,"endedAt":"2026-11-23T19:31:11Z"}`), testOptions())
	require.Equal(t, "n", ev.Span.Name)
	require.Equal(t, "db", ev.Span.Kind)
	require.InDelta(t, 3, ev.Span.DurationMS, 0)
	require.Equal(t, mustTime("2026-11-23T19:31:11Z"), ev.Span.EndedAt)
}

func TestCheckInViaIngestEvents(t *testing.T) {
	t.Parallel()
	ev := decodeOK(t, event(`"event_type":"check_in","message":"nightly","context":{"expected_interval_seconds":"abc","duration_ms":0}`), testOptions())
	require.Equal(t, &CheckIn{Slug: "nightly", Status: "ok", ExpectedIntervalSeconds: 300}, ev.CheckIn)

	ev = decodeOK(t, event(`"event_type":"check_in","message":"m","check_in_slug":"s","check_in_status":"error","expected_interval_seconds":"3600s","duration_ms":"1500.5"`), testOptions())
	require.Equal(t, &CheckIn{Slug: "s", Status: "error", ExpectedIntervalSeconds: 3600, DurationMS: ptr(1500.5)}, ev.CheckIn)
}

func TestDecodeCheckIn(t *testing.T) {
	t.Parallel()
	ev, err := DecodeCheckIn([]byte(`{"CHECK_IN":{"Slug":" nightly ","Status":"error","checkedAt":"2026-11-23T19:00:00Z","expectedIntervalSeconds":"86400abc",
		"durationMs":12,"traceId":"t","request_id":" ","uuid":"`+strings.ToUpper(testUUID)+`","context":{"release":"ignored"},"environment":""}}`), testOptions())
	require.NoError(t, err)
	require.Equal(t, &Event{
		UUID: testUUID, Type: TypeCheckIn, Level: "error", Message: "nightly", OccurredAt: mustTime("2026-11-23T19:00:00Z"),
		TimePrecision: PrecisionExact, Environment: "production",
		Context: json.RawMessage(`{"environment":"production","check_in_slug":"nightly","check_in_status":"error","expected_interval_seconds":86400,"duration_ms":12,"trace_id":"t"}`),
		CheckIn: &CheckIn{Slug: "nightly", Status: "error", ExpectedIntervalSeconds: 86400, DurationMS: ptr(12.0)},
	}, ev)

	// occurred_at wins over checked_at; defaults; no environment without a default.
	ev, err = DecodeCheckIn([]byte(`{"check_in":{"slug":"s","occurred_at":"2026-11-23T18:00:00Z","checked_at":"2026-11-23T19:00:00Z","event_id":"`+testUUID+`","duration_ms":-1}}`), Options{Now: testNow})
	require.NoError(t, err)
	require.Equal(t, mustTime("2026-11-23T18:00:00Z"), ev.OccurredAt)
	require.Equal(t, "info", ev.Level)
	require.Equal(t, testUUID, ev.UUID)
	require.JSONEq(t, `{"check_in_slug":"s","check_in_status":"ok","expected_interval_seconds":300}`, string(ev.Context))

	ev, err = DecodeCheckIn([]byte(`{"check_in":{"slug":"s","occurred_at":"later"}}`), testOptions())
	require.NoError(t, err)
	require.Equal(t, testNow, ev.OccurredAt)
	require.Equal(t, PrecisionExact, ev.TimePrecision)
}

func TestDecodeDeployment(t *testing.T) {
	t.Parallel()
	d, err := DecodeDeployment([]byte(`{"DEPLOYMENT":{"deployment":{"release":" v2 ","environment":"staging"},"git":{"sha":"ABCDEF1"},
		"github":{"repository":"https://github.com/Acme/App.git","ref":"refs/pull/42/merge","release":{"tagName":"v2.0 beta"}},"deployedAt":"2026-11-23T10:00:00+01:00"}}`),
		Options{Now: testNow, GitHubWebURL: "https://ghe.example/"})
	require.NoError(t, err)
	metadata := d.Metadata
	d.Metadata = nil
	require.Equal(t, &Deployment{Release: "v2", Environment: "staging", Repository: "Acme/App", CommitSHA: "abcdef1", Branch: "refs/pull/42/merge",
		DeployedAt: mustTime("2026-11-23T09:00:00Z"), PullRequestNumber: ptr(42)}, d)
	require.JSONEq(t, `{"pull_request_number":42,"pull_request_url":"https://ghe.example/Acme/App/pull/42","release_tag":"v2.0 beta",
		"release_url":"https://ghe.example/Acme/App/releases/tag/v2.0%20beta"}`, string(metadata))

	d, err = DecodeDeployment([]byte(`{"deployment":{"release":"1","commitSha":"abc1234","ref":"refs/heads/main","pullRequestNumber":"x"}}`),
		Options{Now: testNow, FallbackRepository: "acme/only"})
	require.NoError(t, err)
	require.Equal(t, "acme/only", d.Repository)
	require.Equal(t, "production", d.Environment)
	require.Equal(t, "main", d.Branch)
	require.Equal(t, testNow, d.DeployedAt)
	require.Nil(t, d.PullRequestNumber)
	require.JSONEq(t, `{"pull_request_number":"x","pull_request_url":"https://github.com/acme/only/pull/x"}`, string(d.Metadata))

	for _, tc := range [][2]string{
		{"acme/app", "acme/app"}, {"https://github.com/acme/app", "acme/app"}, {"HTTPS://GITHUB.COM/acme/app.git", "acme/app"},
		{"git@github.com:acme/app.git", "acme/app"}, {"/acme/app/tree/main", "acme/app"}, {"\tacme\n", "acme"}, {"", ""},
	} {
		require.Equal(t, tc[1], normalizeRepository(tc[0]), tc[0])
	}
}

func TestSanitisation(t *testing.T) {
	t.Parallel()
	body := event(`"event_type":"log","message":"a\u0000b","level":"\ud800","context":{"k\u0000":"\u0000","lone":"\udc00x","pair":"\ud83d\ude00",` +
		`"big":1e999999,"huge":1e400,"small":-1e-999999,"ok":1.5e10,"ctl":"\u0001","long":` + strings.Repeat("9", 400) + `}`)
	ev := decodeOK(t, body, Options{Now: testNow})
	require.Equal(t, "a\uFFFDb", ev.Message)
	require.Equal(t, "\uFFFD", ev.Level)
	require.NotContains(t, string(ev.Context), `\u0000`)
	require.JSONEq(t, `{"k\ufffd":"\ufffd","lone":"\ufffdx","pair":"😀","big":null,"huge":null,"small":-0,"ok":1.5e10,"ctl":"\u0001","long":null}`, string(ev.Context))

	// Invalid UTF-8 is replaced, in keys, values and fields.
	ev = decodeOK(t, "{\"event\":{\"event_type\":\"log\",\"message\":\"a\xffb\",\"context\":{\"k\xfe\":\"v\xc3\",\"fooBar\xff\":1}}}", Options{Now: testNow})
	require.Equal(t, "a\uFFFDb", ev.Message)
	require.JSONEq(t, `{"k\ufffd":"v\ufffd","fooBar\ufffd":1,"foo_bar\ufffd":1}`, string(ev.Context))
}

func TestDecodeBatch(t *testing.T) {
	t.Parallel()
	body := line(testUUID, `"event_type":"error","message":"boom","context":{"userId":1}`) + "\r\n" +
		`{"event":{"EVENT_ID":"` + strings.ToUpper(testUUID2) + `","uuid":"` + testUUID2 + `","eventType":"span","traceId":"t","spanId":"s"}}`
	for _, gz := range []bool{false, true} {
		b, encoding := []byte(body), ""
		if gz {
			b, encoding = gzipped(t, b), "GZIP"
		}
		events, err := DecodeBatch(b, "Application/X-NDJSON", encoding, testOptions())
		require.NoError(t, err)
		require.Len(t, events, 2)
		require.Equal(t, testUUID, events[0].UUID)
		require.Equal(t, TypeError, events[0].Type)
		require.JSONEq(t, `{"userId":1,"user_id":1,"environment":"production"}`, string(events[0].Context))
		require.Equal(t, testUUID2, events[1].UUID)
		require.Equal(t, TypeSpan, events[1].Type)
		require.Equal(t, "t", events[1].Span.TraceID)
	}

	events, err := DecodeBatch([]byte(strings.Repeat(line(testUUID, `"event_type":"log","message":"x"`), 100)), "application/x-ndjson", "", testOptions())
	require.NoError(t, err)
	require.Len(t, events, 100)
}

func TestDecodedLen(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{``, `abc`, `a\nb`, `\u00e9\u20ac`, `\ud83d\ude00`, `\ud800`, `\udc00\ud800x`, `\u0000`, `\\\"\/`, `é\t`, `\ud83dx`} {
		require.Equal(t, len(decodeString(nil, []byte(raw))), decodedLen([]byte(raw)), raw)
	}
}
