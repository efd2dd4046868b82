package ingest

import (
	"strconv"
	"strings"

	"github.com/logister/logister/server/internal/apperr"
)

// checkInKeys are the keys a /check_ins envelope may carry; a candidate needs at least one.
var checkInKeys = []string{"slug", "status", "occurred_at", "environment", "release", "expected_interval_seconds",
	"duration_ms", "trace_id", "request_id", "uuid", "event_id"}

// envelopeCandidate returns the first of the body's members key1, key2 that is an object with at
// least one of the wanted (snake_case) keys, with its keys snake-cased (last one wins).
func envelopeCandidate(body *node, wanted []string, keys ...string) *node {
	for _, k := range keys {
		c := body.get(k)
		if !c.isObject() {
			continue
		}
		c = snakeKeys(c)
		for _, w := range wanted {
			if c.get(w) != nil {
				return c
			}
		}
	}
	return nil
}

// DecodeCheckIn decodes a POST /api/v1/check_ins body ({"check_in":{...}} or {"CHECK_IN":{...}},
// reference 1.9) into a check_in event. Only the permitted scalar keys are read; others, including
// logister-js's context, are ignored. logister-js's checked_at is the check-in time when
// occurred_at is absent (the reference ignores it); without either the time is Options.Now.
//
// Errors are *apperr.Error: KindInvalid (400) for malformed JSON or when no envelope names a
// check-in key; KindUnprocessable (422) for an invalid uuid or a blank slug ("Message can't be
// blank").
func DecodeCheckIn(body []byte, opts Options) (*Event, error) {
	root, err := parseTree(body)
	if err != nil {
		return nil, invalidJSON(err)
	}
	c := envelopeCandidate(root, checkInKeys, "check_in", "CHECK_IN")
	if c == nil {
		return nil, missingParam("check_in")
	}
	field := func(k string) string { return c.get(k).scalar().str() }
	stripped := func(k string) string { return presence(trimSpaceASCII(field(k))) }

	ci := &CheckIn{
		Slug:                    trimSpaceASCII(field("slug")),
		Status:                  stripped("status"),
		ExpectedIntervalSeconds: defaultCheckInSecs,
	}
	if ci.Status == "" {
		ci.Status = "ok"
	}
	if v := c.get("expected_interval_seconds").scalar(); v != nil && rubyToInt(v.raw) > 0 {
		ci.ExpectedIntervalSeconds = rubyToInt(v.raw)
	}
	if v := c.get("duration_ms").scalar(); v != nil && rubyToFloat(v.raw) > 0 {
		ms := rubyToFloat(v.raw)
		ci.DurationMS = &ms
	}
	ev := &Event{
		Type:          TypeCheckIn,
		Level:         "info",
		Message:       ci.Slug,
		OccurredAt:    opts.now(),
		TimePrecision: PrecisionExact,
		Environment:   stripped("environment"),
		Release:       stripped("release"),
		CheckIn:       ci,
	}
	if ci.Status == "error" {
		ev.Level = "error"
	}
	if ev.Environment == "" {
		ev.Environment = opts.DefaultEnvironment
	}
	for _, k := range [...]string{"occurred_at", "checked_at"} {
		if v := c.get(k).scalar(); v.present() {
			if t, ok := parseRawTime(v.raw); ok {
				ev.OccurredAt = t
				break
			}
		}
	}

	ctx := []byte{'{'}
	add := func(key string, val []byte) {
		if len(ctx) > 1 {
			ctx = append(ctx, ',')
		}
		ctx = append(appendQuotedString(ctx, key), ':')
		ctx = append(ctx, val...)
	}
	addString := func(key, val string) {
		if val != "" {
			add(key, appendQuotedString(nil, val))
		}
	}
	addString("environment", ev.Environment)
	addString("release", ev.Release)
	add("check_in_slug", appendQuotedString(nil, ci.Slug))
	add("check_in_status", appendQuotedString(nil, ci.Status))
	add("expected_interval_seconds", strconv.AppendInt(nil, int64(ci.ExpectedIntervalSeconds), 10))
	if ci.DurationMS != nil {
		add("duration_ms", strconv.AppendFloat(nil, *ci.DurationMS, 'f', -1, 64))
	}
	addString("trace_id", stripped("trace_id"))
	addString("request_id", stripped("request_id"))
	ctx = append(ctx, '}')
	ev.Context = ctx

	uuid := field("uuid")
	if presence(uuid) == "" {
		uuid = field("event_id")
	}
	if uuid = presence(trimSpaceASCII(uuid)); uuid != "" {
		if !isUUID(uuid) {
			return nil, apperr.Unprocessable(msgUUIDInvalid)
		}
		ev.UUID = strings.ToLower(uuid)
	}
	if presence(ci.Slug) == "" {
		return nil, apperr.Unprocessable(msgMessageBlank)
	}
	return ev, nil
}
