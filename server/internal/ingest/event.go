package ingest

import (
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/logister/logister/server/internal/apperr"
)

// EventType is the kind of telemetry an event carries.
type EventType string

// The event types. Their string values are the wire values of event_type.
const (
	TypeError       EventType = "error"
	TypeLog         EventType = "log"
	TypeMetric      EventType = "metric"
	TypeTransaction EventType = "transaction"
	TypeCheckIn     EventType = "check_in"
	TypeSpan        EventType = "span"
)

// Time precisions (reference 1.4, "Time / evidence").
const (
	PrecisionExact             = "exact"              // the client said when it happened
	PrecisionReportingInterval = "reporting_interval" // only a reporting window is known
	PrecisionReceivedOnly      = "received_only"      // only the receive time is known
)

// Options carry request-independent inputs.
type Options struct {
	// Now is the receive time. Zero means time.Now().
	Now time.Time
	// DefaultEnvironment is the environment of events, check-ins and spans that name none
	// ("production" for API-key traffic). Empty means none, as for mobile tokens.
	DefaultEnvironment string
	// FallbackRepository is the repository (owner/name) DecodeDeployment uses when the body names
	// none: the project's only enabled connected source repository, if it has exactly one.
	FallbackRepository string
	// GitHubWebURL is the base of inferred pull-request and release URLs in deployment metadata.
	// Empty means https://github.com.
	GitHubWebURL string
}

func (o Options) now() time.Time {
	if o.Now.IsZero() {
		return time.Now().UTC()
	}
	return o.Now.UTC()
}

// Event is one normalised event ready to store.
type Event struct {
	// UUID is the client's uuid or event_id, lower-cased; "" when absent.
	UUID        string
	Type        EventType
	Level       string // lower-cased, at most 32 characters; "" when absent
	Message     string
	Fingerprint string // as sent; "" when absent
	// OccurredAt is the client's exact time, else the end or start of its reporting interval, else
	// Options.Now. For spans it is StartedAt.
	OccurredAt    time.Time
	TimePrecision string // PrecisionExact, PrecisionReportingInterval or PrecisionReceivedOnly
	// Environment and Release are the context's values after the top-level copies; Environment
	// falls back to Options.DefaultEnvironment.
	Environment, Release string
	// Context is the normalised context: a JSON object, "{}" at least. It is valid UTF-8 without
	// \u0000 or lone surrogates, so PostgreSQL jsonb accepts it.
	Context json.RawMessage
	Span    *Span    // set when Type is TypeSpan
	CheckIn *CheckIn // set when Type is TypeCheckIn
}

// Span holds the fields of a span event (reference 1.5, trace_span_params).
type Span struct {
	TraceID, SpanID, ParentSpanID string
	Name                          string // "span" when none is given
	Kind                          string // one of the allowed kinds, else "internal"
	Status                        string
	DurationMS                    float64 // never negative
	// StartedAt defaults to Options.Now; EndedAt defaults to StartedAt + DurationMS.
	StartedAt, EndedAt time.Time
}

// CheckIn holds the monitor fields of a check-in event.
type CheckIn struct {
	Slug                    string
	Status                  string // "ok" when none is given
	ExpectedIntervalSeconds int    // 300 when none is given
	DurationMS              *float64
}

// Top-level event fields the normaliser reads, by snake_case key.
const (
	fUUID = iota
	fEventID
	fEventType
	fLevel
	fMessage
	fFingerprint
	fOccurredAt
	fContext
	fEnvironment
	fRelease
	fTraceID
	fRequestID
	fSessionID
	fUserID
	fCommitSHA
	fSHA
	fRepository
	fRepo
	fGithubRepository
	fBranch
	fTransactionName
	fDurationMS
	fExpectedInterval
	fCheckInSlug
	fMonitorSlug
	fTransactionStatus
	fCheckInStatus
	fStatus
	fTelemetrySchemaVersion
	fErrorMechanism
	fMechanism
	fHandled
	fInForeground
	fInstallationIDHash
	fEvidence
	fSpanID
	fParentSpanID
	fName
	fKind
	fSpanKind
	fStartedAt
	fEndedAt
	fService
	numFields
)

func fieldOf(key []byte) int {
	switch string(key) {
	case "uuid":
		return fUUID
	case "event_id":
		return fEventID
	case "event_type":
		return fEventType
	case "level":
		return fLevel
	case "message":
		return fMessage
	case "fingerprint":
		return fFingerprint
	case "occurred_at":
		return fOccurredAt
	case "context":
		return fContext
	case "environment":
		return fEnvironment
	case "release":
		return fRelease
	case "trace_id":
		return fTraceID
	case "request_id":
		return fRequestID
	case "session_id":
		return fSessionID
	case "user_id":
		return fUserID
	case "commit_sha":
		return fCommitSHA
	case "sha":
		return fSHA
	case "repository":
		return fRepository
	case "repo":
		return fRepo
	case "github_repository":
		return fGithubRepository
	case "branch":
		return fBranch
	case "transaction_name":
		return fTransactionName
	case "duration_ms":
		return fDurationMS
	case "expected_interval_seconds":
		return fExpectedInterval
	case "check_in_slug":
		return fCheckInSlug
	case "monitor_slug":
		return fMonitorSlug
	case "transaction_status":
		return fTransactionStatus
	case "check_in_status":
		return fCheckInStatus
	case "status":
		return fStatus
	case "telemetry_schema_version":
		return fTelemetrySchemaVersion
	case "error_mechanism":
		return fErrorMechanism
	case "mechanism":
		return fMechanism
	case "handled":
		return fHandled
	case "in_foreground":
		return fInForeground
	case "installation_id_hash":
		return fInstallationIDHash
	case "evidence":
		return fEvidence
	case "span_id":
		return fSpanID
	case "parent_span_id":
		return fParentSpanID
	case "name":
		return fName
	case "kind":
		return fKind
	case "span_kind":
		return fSpanKind
	case "started_at":
		return fStartedAt
	case "ended_at":
		return fEndedAt
	case "service":
		return fService
	}
	return -1
}

// Messages of the 400 and 422 errors.
const (
	msgInvalidJSON     = "request body is not valid JSON"
	msgEventType       = "Event type is not included in the list"
	msgMessageBlank    = "Message can't be blank"
	msgUUIDInvalid     = "Uuid is invalid"
	msgTraceBlank      = "Trace can't be blank"
	msgSpanBlank       = "Span can't be blank"
	codeInvalidJSON    = "invalid_json"
	codeParamMissing   = "parameter_missing"
	maxLevelRunes      = 32
	defaultCheckInSecs = 300
)

func invalidJSON(cause error) *apperr.Error {
	e := apperr.Invalid(codeInvalidJSON, msgInvalidJSON)
	e.Err = cause
	return e
}

func missingParam(key string) *apperr.Error {
	return apperr.Invalid(codeParamMissing, "param is missing or the value is empty: %s", key)
}

// DecodeEvent decodes a POST /api/v1/ingest_events body ({"event":{...}} or {"EVENT":{...}}).
//
// Errors are *apperr.Error: KindInvalid (400) for malformed JSON (code invalid_json) or a missing,
// blank or non-object envelope (code parameter_missing, message "param is missing or the value is
// empty: event"); KindTooLarge (413) for a payload limit (codes message_bytes, context_depth,
// context_keys, array_length, string_bytes, event_bytes); KindUnprocessable (422) with the
// validation messages in Details.
func DecodeEvent(body []byte, opts Options) (*Event, error) {
	d := getDecoder(body)
	defer putDecoder(d)
	env, _, err := d.sc.scanEnvelope("event", "EVENT", &d.raw)
	if err != nil {
		return nil, invalidJSON(err)
	}
	e := env[0]
	if !e.found || isNilOrFalse(body[e.vs:e.ve]) {
		e = env[1]
	}
	if !e.found || body[e.vs] != '{' || e.mhi == e.mlo {
		return nil, missingParam("event")
	}
	ev, problems, err := d.normalizeEvent(e, opts)
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		return nil, apperr.Unprocessable(problems...)
	}
	return ev, nil
}

// eventTypeOf maps event_type (case-insensitively, or the Rails enum integers) to a type.
func eventTypeOf(v []byte) (EventType, bool) {
	if len(v) == 0 {
		return "", false
	}
	if v[0] != '"' {
		switch string(v) {
		case "0":
			return TypeError, true
		case "1":
			return TypeMetric, true
		case "2":
			return TypeTransaction, true
		case "3":
			return TypeLog, true
		case "4":
			return TypeCheckIn, true
		}
		return "", false
	}
	var buf [16]byte
	body := v[1 : len(v)-1]
	if len(body) > len(buf) || bytesHasByte(body, '\\') {
		return "", false // no valid type is that long or needs escapes
	}
	for i, c := range body {
		if isUpper(c) {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	for _, t := range [...]EventType{TypeError, TypeLog, TypeMetric, TypeTransaction, TypeCheckIn, TypeSpan} {
		if string(t) == string(buf[:len(body)]) {
			return t, true
		}
	}
	return "", false
}

// normalizeEvent checks the limits of the event envelope e (members and sizes already scanned into
// d) and normalises it. It returns a *apperr.Error for a limit, and validation messages separately
// so that the batch endpoint can report them per envelope.
func (d *decoder) normalizeEvent(e envelope, opts Options) (*Event, []string, error) {
	d.resetEvent(e.slo)
	members := d.raw[e.mlo:e.mhi]
	var f [numFields][]byte
	ctx := -1
	for j := range members {
		m := &members[j]
		key := d.keyBytes(m.ks, m.ke, m.keyFlags)
		if nk := d.normKey(key); nk != nil {
			key = nk
		}
		if k := fieldOf(key); k >= 0 {
			f[k] = d.in[m.vs:m.ve]
			if k == fContext {
				ctx = j
			}
		}
	}

	// TelemetryPayloadLimits: the message first, then a walk over the whole raw event.
	if msg := f[fMessage]; msg != nil && msg[0] == '"' {
		n := len(msg) - 2
		if bytesHasByte(msg, '\\') {
			n = decodedLen(msg[1 : len(msg)-1])
		}
		if n > maxMessageBytes {
			return nil, nil, limitError(codeMessageBytes, maxMessageBytes, int64(n))
		}
	}

	typ, typeOK := eventTypeOf(f[fEventType])
	span := typ == TypeSpan
	if span {
		for _, t := range [...]int{tTraceID, tSpanID, tParentSpanID, tSpanKind, tDurationMS, tEnvironment, tRelease, tService, tRequestID, tTransactionName} {
			d.when[t] = whenNil
		}
	} else {
		d.planEventWrites(&f, typ, opts)
	}

	if err := d.walkEvent(members, ctx); err != nil {
		return nil, nil, err
	}

	ev := &Event{
		Type:        typ,
		Level:       normalizeLevel(text(f[fLevel])),
		Message:     text(f[fMessage]),
		Fingerprint: text(f[fFingerprint]),
	}
	var problems []string
	raw := trimSpaceASCII(text(f[fUUID]))
	if raw == "" {
		raw = trimSpaceASCII(text(f[fEventID]))
	}
	if raw != "" {
		if !isUUID(raw) {
			problems = append(problems, msgUUIDInvalid)
		}
		ev.UUID = strings.ToLower(raw)
	}

	now := opts.now()
	if span {
		var exact bool
		ev.Span, exact = d.finishSpan(&f, opts, now)
		ev.OccurredAt, ev.TimePrecision = ev.Span.StartedAt, PrecisionReceivedOnly
		if exact {
			ev.TimePrecision = PrecisionExact
		}
		if problems == nil {
			if ev.Span.TraceID == "" {
				problems = append(problems, msgTraceBlank)
			}
			if ev.Span.SpanID == "" {
				problems = append(problems, msgSpanBlank)
			}
		}
	} else {
		d.finishRoot(d.writes)
		ev.OccurredAt, ev.TimePrecision = d.occurredAt(f[fOccurredAt], now)
		if problems == nil {
			if !typeOK {
				problems = append(problems, msgEventType)
			}
			if m := f[fMessage]; m == nil || m[0] == 'n' || m[0] == '"' && isBlank(m) {
				problems = append(problems, msgMessageBlank)
			}
		}
		if typ == TypeCheckIn {
			ev.CheckIn = d.checkInFromContext(ev.Message)
		}
	}
	ev.Environment = opts.DefaultEnvironment
	if v := d.rootPresent(tEnvironment); v != nil {
		ev.Environment = text(v)
	}
	ev.Release = text(d.rootPresent(tRelease))
	ev.Context = d.out
	d.out = nil
	return ev, problems, nil
}

// walkEvent walks the raw event for the limits, rewriting its context member (index ctx) into d.out
// and leaving the root context object open for finishRoot.
func (d *decoder) walkEvent(members []rawMember, ctx int) error {
	d.count, d.emit, d.copies = true, false, false
	d.keys = int64(len(members))
	if d.keys > maxContextKeys {
		return limitError(codeContextKeys, maxContextKeys, d.keys)
	}
	opened := false
	for j := range members {
		m := &members[j]
		if err := d.addBytes(len(d.keyBytes(m.ks, m.ke, m.keyFlags))); err != nil {
			return err
		}
		var err error
		if j == ctx && d.in[m.vs] == '{' {
			d.out = make([]byte, 0, m.ve-m.vs+(m.ve-m.vs)/8+256)
			d.emit, d.copies = true, true
			_, err = d.walkObject(m.vs, 1, true)
			d.emit, d.copies = false, false
			opened = true
		} else {
			_, err = d.walk(m.vs, 1)
		}
		if err != nil {
			return err
		}
	}
	if !opened {
		d.out = append(make([]byte, 0, 256), '{')
		d.rootBase, d.rootN = len(d.members), 0
		d.indexRoot()
	}
	return nil
}

// normalizeLevel lower-cases level and keeps at most 32 characters.
func normalizeLevel(level string) string {
	level = strings.ToLower(level)
	if utf8.RuneCountInString(level) <= maxLevelRunes {
		return level
	}
	n := 0
	for i := range level {
		if n == maxLevelRunes {
			return level[:i]
		}
		n++
	}
	return level
}

// isUUID reports whether s is a UUID in the 8-4-4-4-12 hex form (any case).
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
		} else if !isHex(c) {
			return false
		}
	}
	return true
}

// checkInFromContext reads the monitor fields of a check-in sent to /ingest_events.
func (d *decoder) checkInFromContext(message string) *CheckIn {
	c := &CheckIn{Slug: message, Status: "ok", ExpectedIntervalSeconds: defaultCheckInSecs}
	if v := d.rootPresent(tCheckInSlug); v != nil {
		c.Slug = text(v)
	}
	if v := d.rootPresent(tCheckInStatus); v != nil {
		c.Status = text(v)
	}
	if v := d.rootGet(tExpectedInterval); rubyToInt(v) > 0 {
		c.ExpectedIntervalSeconds = rubyToInt(v)
	}
	if v := d.rootGet(tDurationMS); rubyToFloat(v) > 0 {
		ms := rubyToFloat(v)
		c.DurationMS = &ms
	}
	return c
}
