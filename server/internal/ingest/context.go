package ingest

// What the normaliser writes into the root context object: the top-level copies of reference 1.4,
// the span write-backs, and the bookkeeping that decides whether a member is replaced.

import (
	"bytes"
)

// Root context keys the normaliser writes (top-level copies, span write-backs) or removes.
const (
	tEnvironment = iota
	tRelease
	tTraceID
	tRequestID
	tSessionID
	tUserID
	tCommitSHA
	tRepository
	tBranch
	tTransactionName
	tDurationMS
	tExpectedInterval
	tCheckInSlug
	tTransactionStatus
	tCheckInStatus
	tTelemetrySchemaVersion
	tErrorMechanism
	tHandled
	tInForeground
	tInstallationIDHash
	tEvidence
	tSpanID
	tParentSpanID
	tSpanKind
	tService
	tTelemetryEvidence
	numTargets // the keys above are written or removed; the ones below are only read

	kDiagnostic
	kTrace
	kTraceIDCamel
	kSpanIDCamel
	kParentSpanIDCamel
	kName
	kSpanName
	kKind
	kSpanKindCamel
	kStatus
	kDurationMSCamel
	kStartedAt
	kStartedAtCamel
	kEndedAt
	kEndedAtCamel
	kRequestIDCamel
	kTransactionNameCamel
	numKeys
)

// keyNames are the root context keys the normaliser looks up, by id.
var keyNames = [numKeys]string{
	tEnvironment:            "environment",
	tRelease:                "release",
	tTraceID:                "trace_id",
	tRequestID:              "request_id",
	tSessionID:              "session_id",
	tUserID:                 "user_id",
	tCommitSHA:              "commit_sha",
	tRepository:             "repository",
	tBranch:                 "branch",
	tTransactionName:        "transaction_name",
	tDurationMS:             "duration_ms",
	tExpectedInterval:       "expected_interval_seconds",
	tCheckInSlug:            "check_in_slug",
	tTransactionStatus:      "transaction_status",
	tCheckInStatus:          "check_in_status",
	tTelemetrySchemaVersion: "telemetry_schema_version",
	tErrorMechanism:         "error_mechanism",
	tHandled:                "handled",
	tInForeground:           "in_foreground",
	tInstallationIDHash:     "installation_id_hash",
	tEvidence:               "evidence",
	tSpanID:                 "span_id",
	tParentSpanID:           "parent_span_id",
	tSpanKind:               "span_kind",
	tService:                "service",
	tTelemetryEvidence:      "telemetry_evidence",
	kDiagnostic:             "diagnostic",
	kTrace:                  "trace",
	kTraceIDCamel:           "traceId",
	kSpanIDCamel:            "spanId",
	kParentSpanIDCamel:      "parentSpanId",
	kName:                   "name",
	kSpanName:               "span_name",
	kKind:                   "kind",
	kSpanKindCamel:          "spanKind",
	kStatus:                 "status",
	kDurationMSCamel:        "durationMs",
	kStartedAt:              "started_at",
	kStartedAtCamel:         "startedAt",
	kEndedAt:                "ended_at",
	kEndedAtCamel:           "endedAt",
	kRequestIDCamel:         "requestId",
	kTransactionNameCamel:   "transactionName",
}

// keyID returns the id of a root context key the normaliser knows, or -1.
func keyID(key []byte) int {
	switch string(key) {
	case "environment":
		return tEnvironment
	case "release":
		return tRelease
	case "trace_id":
		return tTraceID
	case "request_id":
		return tRequestID
	case "session_id":
		return tSessionID
	case "user_id":
		return tUserID
	case "commit_sha":
		return tCommitSHA
	case "repository":
		return tRepository
	case "branch":
		return tBranch
	case "transaction_name":
		return tTransactionName
	case "duration_ms":
		return tDurationMS
	case "expected_interval_seconds":
		return tExpectedInterval
	case "check_in_slug":
		return tCheckInSlug
	case "transaction_status":
		return tTransactionStatus
	case "check_in_status":
		return tCheckInStatus
	case "telemetry_schema_version":
		return tTelemetrySchemaVersion
	case "error_mechanism":
		return tErrorMechanism
	case "handled":
		return tHandled
	case "in_foreground":
		return tInForeground
	case "installation_id_hash":
		return tInstallationIDHash
	case "evidence":
		return tEvidence
	case "span_id":
		return tSpanID
	case "parent_span_id":
		return tParentSpanID
	case "span_kind":
		return tSpanKind
	case "service":
		return tService
	case "telemetry_evidence":
		return tTelemetryEvidence
	case "diagnostic":
		return kDiagnostic
	case "trace":
		return kTrace
	case "traceId":
		return kTraceIDCamel
	case "spanId":
		return kSpanIDCamel
	case "parentSpanId":
		return kParentSpanIDCamel
	case "name":
		return kName
	case "span_name":
		return kSpanName
	case "kind":
		return kKind
	case "spanKind":
		return kSpanKindCamel
	case "status":
		return kStatus
	case "durationMs":
		return kDurationMSCamel
	case "started_at":
		return kStartedAt
	case "startedAt":
		return kStartedAtCamel
	case "ended_at":
		return kEndedAt
	case "endedAt":
		return kEndedAtCamel
	case "requestId":
		return kRequestIDCamel
	case "transactionName":
		return kTransactionNameCamel
	}
	return -1
}

// How an existing root context value is judged before a write replaces it.
const (
	keepAny     = iota // never replaced
	whenBlank          // replaced when blank (Rails present? is false): merge_context_value!
	whenNil            // replaced when null or false: Ruby ||=
	alwaysDrop         // removed (client-sent telemetry_evidence)
	whenNilOnly        // replaced when null (booleans such as handled)
)

// write is one value the normaliser writes into the root context object.
type write struct {
	target int
	when   int    // whenBlank, whenNil or whenNilOnly
	raw    []byte // a validated JSON value from the input, sanitised on output
	lit    []byte // or an already encoded JSON value
	// ifSet skips the write when there is no value (Ruby `x ||= v if v.present?`); otherwise a
	// missing value writes null.
	ifSet bool
}

func (w *write) hasValue() bool { return w.raw != nil || w.lit != nil }

// writtenValue is a value written into the root context by finishRoot.
type writtenValue struct {
	target int
	vs, ve int
}

// planEventWrites prepares the top-level → context copies of a non-span event (reference 1.4).
func (d *decoder) planEventWrites(f *[numFields][]byte, typ EventType, opts Options) {
	d.writes = d.writes[:0]
	add := func(t int, v []byte) {
		if v = present(v); v != nil {
			d.writes = append(d.writes, write{target: t, when: whenBlank, raw: v})
			d.when[t] = whenBlank
		}
	}
	if v := present(f[fEnvironment]); v != nil {
		add(tEnvironment, v)
	} else if opts.DefaultEnvironment != "" {
		d.writes = append(d.writes, write{target: tEnvironment, when: whenBlank, lit: appendQuotedString(nil, opts.DefaultEnvironment)})
		d.when[tEnvironment] = whenBlank
	}
	add(tRelease, f[fRelease])
	add(tTraceID, f[fTraceID])
	add(tRequestID, f[fRequestID])
	add(tSessionID, f[fSessionID])
	add(tUserID, f[fUserID])
	add(tCommitSHA, firstTruthy(f[fCommitSHA], f[fSHA]))
	add(tRepository, firstTruthy(f[fRepository], f[fRepo], f[fGithubRepository]))
	add(tBranch, f[fBranch])
	add(tTransactionName, f[fTransactionName])
	add(tDurationMS, f[fDurationMS])
	add(tExpectedInterval, f[fExpectedInterval])
	add(tCheckInSlug, firstTruthy(f[fCheckInSlug], f[fMonitorSlug]))
	switch typ {
	case TypeTransaction:
		add(tTransactionStatus, firstTruthy(f[fTransactionStatus], f[fStatus]))
	case TypeCheckIn:
		add(tCheckInStatus, firstTruthy(f[fCheckInStatus], f[fStatus]))
	}
	add(tTelemetrySchemaVersion, f[fTelemetrySchemaVersion])
	add(tErrorMechanism, firstTruthy(f[fErrorMechanism], f[fMechanism]))
	for _, t := range [...]struct{ t, f int }{{tHandled, fHandled}, {tInForeground, fInForeground}} {
		// Booleans: false is a value worth copying.
		if v := f[t.f]; v != nil && string(v) != "null" {
			d.writes = append(d.writes, write{target: t.t, when: whenNilOnly, raw: v})
			d.when[t.t] = whenNilOnly
		}
	}
	add(tInstallationIDHash, f[fInstallationIDHash])
	if ev := filterEvidence(f[fEvidence]); ev != nil {
		d.writes = append(d.writes, write{target: tEvidence, when: whenBlank, lit: ev})
		d.when[tEvidence] = whenBlank
	}
	d.when[tTelemetryEvidence] = alwaysDrop
}

// filterEvidence keeps the whitelisted members of a top-level evidence object (reference 1.4).
func filterEvidence(v []byte) []byte {
	if len(v) == 0 || v[0] != '{' {
		return nil
	}
	out := filterObject(nil, v, func(key string) (keep bool, sub []string) {
		switch key {
		case "source", "kind", "capture_mode", "evidence_kind", "identity_scope", "occurred_at", "reporting_start", "reporting_end":
			return true, nil
		case "reporting_period":
			return true, []string{"start", "end"}
		case "producer":
			return true, []string{"sdk_name", "sdk_version", "decoder_version"}
		}
		return false, nil
	})
	if len(out) <= 2 {
		return nil
	}
	return out
}

// filterObject appends the members of the validated object v that keep accepts; an object member
// with a sub-list keeps only those keys.
func filterObject(dst, v []byte, keep func(key string) (bool, []string)) []byte {
	d := &decoder{emit: true, badUTF8: true}
	dst = append(dst, '{')
	n := 0
	i := skipWS(v, 1)
	for i < len(v) && v[i] == '"' {
		kEnd, _ := stringEnd(v, i)
		key := string(decodeString(nil, v[i+1:kEnd-1]))
		i = skipWS(v, skipWS(v, kEnd)+1)
		end := valueEnd(v, i)
		ok, sub := keep(key)
		if ok {
			if n > 0 {
				dst = append(dst, ',')
			}
			dst = append(appendQuoted(dst, []byte(key)), ':')
			switch {
			case sub != nil && v[i] == '{':
				dst = filterObject(dst, v[i:end], func(k string) (bool, []string) {
					for _, s := range sub {
						if s == k {
							return true, nil
						}
					}
					return false, nil
				})
			default:
				d.out = dst
				d.emitRaw(v[i:end])
				dst = d.out
			}
			n++
		}
		i = skipWS(v, end)
		if i < len(v) && v[i] == ',' {
			i = skipWS(v, i+1)
		}
	}
	return append(dst, '}')
}

// Values of member.dropped.
const (
	dropNone = iota
	dropNull
	dropFalse
	dropBlank
)

// dropKind classifies a dropped value, which is null, false or (for whenBlank) another blank.
func dropKind(v []byte) byte {
	switch string(v) {
	case "null":
		return dropNull
	case "false":
		return dropFalse
	}
	return dropBlank
}

var dropLiterals = [...][]byte{dropNull: []byte("null"), dropFalse: []byte("false"), dropBlank: []byte(`""`)}

// dropsRoot reports whether the root member for target t with value v is removed while walking,
// because finishRoot will replace it (or, for telemetry_evidence, because it is server-owned).
func (d *decoder) dropsRoot(t int, v []byte) bool {
	switch d.when[t] {
	case whenBlank:
		return isBlank(v)
	case whenNil:
		return isNilOrFalse(v)
	case whenNilOnly:
		return string(v) == "null"
	case alwaysDrop:
		return true
	}
	return false
}

// appendCopies writes the snake_case copies of the members in d.members[base:] whose snake_case key
// no original member has; the first member with a given snake_case key wins (reference 1.4).
// skip, when not nil, suppresses copies of some root keys.
func (d *decoder) appendCopies(base int, n *int, skip func(key []byte) bool) {
	ms := d.members[base:]
	var originals map[string]struct{}
	if len(ms) > 48 {
		originals = make(map[string]struct{}, len(ms))
		for j := range ms {
			originals[string(d.key(&ms[j]))] = struct{}{}
		}
	}
	for j := range ms {
		if !ms[j].hasNorm || ms[j].dropped != dropNone {
			continue
		}
		nk := d.norm(&ms[j])
		if originals != nil {
			if _, ok := originals[string(nk)]; ok {
				continue
			}
		} else if d.hasKey(ms, nk) {
			continue
		}
		if d.earlierCopy(ms[:j], nk) || skip != nil && skip(nk) {
			continue
		}
		if *n > 0 {
			d.out = append(d.out, ',')
		}
		d.out = appendQuoted(d.out, nk)
		d.out = append(d.out, ':')
		d.out = append(d.out, d.out[ms[j].vs:ms[j].ve]...)
		*n++
	}
}

func (d *decoder) hasKey(ms []member, key []byte) bool {
	for j := range ms {
		if ms[j].ke-ms[j].ks == len(key) && bytes.Equal(d.key(&ms[j]), key) {
			return true
		}
	}
	return false
}

func (d *decoder) earlierCopy(ms []member, nk []byte) bool {
	for j := range ms {
		if ms[j].hasNorm && bytes.Equal(d.norm(&ms[j]), nk) {
			return true
		}
	}
	return false
}

// indexRoot records, for each known key, the last root member with that key and the first whose
// snake_case copy has it.
func (d *decoder) indexRoot() {
	d.origIdx, d.copyIdx = [numKeys]int32{}, [numKeys]int32{}
	ms := d.members[d.rootBase:]
	for j := range ms {
		if id := ms[j].id; id >= 0 {
			d.origIdx[id] = int32(j + 1)
		}
		if ms[j].hasNorm && ms[j].dropped == dropNone {
			if id := keyID(d.norm(&ms[j])); id >= 0 && d.copyIdx[id] == 0 {
				d.copyIdx[id] = int32(j + 1)
			}
		}
	}
}

// rootGet returns the value the root context object holds for the key with the given id: a written
// value, else the last original member, else the first snake_case copy; nil when there is none or
// the member was dropped while walking.
func (d *decoder) rootGet(id int) []byte {
	for _, wv := range d.written {
		if wv.target == id {
			return d.out[wv.vs:wv.ve]
		}
	}
	ms := d.members[d.rootBase:]
	if j := d.origIdx[id]; j > 0 {
		if m := &ms[j-1]; m.dropped == dropNone {
			return d.out[m.vs:m.ve]
		}
		return nil
	}
	if j := d.copyIdx[id]; j > 0 {
		return d.out[ms[j-1].vs:ms[j-1].ve]
	}
	return nil
}

// rootPresent returns the root value for key when it is present (Rails present?).
func (d *decoder) rootPresent(id int) []byte {
	if v := d.rootGet(id); v != nil && !isBlank(v) {
		return v
	}
	return nil
}

// finishRoot completes the root context object: snake_case copies, then the writes that apply, then
// the closing brace.
func (d *decoder) finishRoot(writes []write) {
	var apply [numTargets]bool
	for k := range writes {
		w := &writes[k]
		v := d.rootGet(w.target)
		switch w.when {
		case whenBlank:
			apply[w.target] = w.hasValue() && (v == nil || isBlank(v))
		case whenNil:
			apply[w.target] = (v == nil || isNilOrFalse(v)) && (w.hasValue() || !w.ifSet)
		case whenNilOnly:
			apply[w.target] = w.hasValue() && (v == nil || string(v) == "null")
		}
	}
	n := d.rootN
	d.appendCopies(d.rootBase, &n, func(key []byte) bool {
		t := keyID(key)
		return t >= 0 && t < numTargets && (apply[t] || d.when[t] == alwaysDrop)
	})
	// Members dropped while walking that no write replaces get their value back.
	ms := d.members[d.rootBase:]
	for j := range ms {
		if ms[j].dropped == dropNone {
			continue
		}
		key := d.key(&ms[j])
		if t := ms[j].id; apply[t] || d.when[t] == alwaysDrop || d.hasKey(ms[j+1:], key) {
			continue
		}
		if n > 0 {
			d.out = append(d.out, ',')
		}
		d.out = appendQuoted(d.out, key)
		d.out = append(d.out, ':')
		d.out = append(d.out, dropLiterals[ms[j].dropped]...)
		n++
	}
	for k := range writes {
		w := &writes[k]
		if !apply[w.target] {
			continue
		}
		if n > 0 {
			d.out = append(d.out, ',')
		}
		d.out = appendQuotedString(d.out, keyNames[w.target])
		d.out = append(d.out, ':')
		vs := len(d.out)
		switch {
		case w.raw != nil:
			d.emitRaw(w.raw)
		case w.lit != nil:
			d.out = append(d.out, w.lit...)
		default:
			d.out = append(d.out, "null"...)
		}
		d.written = append(d.written, writtenValue{target: w.target, vs: vs, ve: len(d.out)})
		n++
	}
	d.out = append(d.out, '}')
}

// emitRaw writes a validated input value to out, sanitised, without limits or key copies.
func (d *decoder) emitRaw(v []byte) {
	in, count, emit, copies := d.in, d.count, d.emit, d.copies
	d.in, d.count, d.emit, d.copies = v, false, true, false
	_, _ = d.walk(0, 0) // cannot fail without limits
	d.in, d.count, d.emit, d.copies = in, count, emit, copies
}
