package ingest

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/logister/logister/server/internal/apperr"
)

// Batch limits (reference 1.3 and 1.8, TelemetryBatchDecoder).
const (
	maxCompressedBytes   = 2 << 20
	maxDecompressedBytes = 8 << 20
	maxBatchEvents       = 100
)

// Codes of the batch endpoint's 415 errors (apperr.KindUnsupported).
const (
	CodeUnsupportedContentType = "unsupported_content_type"
	CodeUnsupportedEncoding    = "unsupported_encoding"
)

// BatchResult is the outcome of one envelope of a batch that failed validation.
type BatchResult struct {
	Index int    // the envelope's position among the batch's events, from 0
	Type  string // "event" or "span"
	// Event is the decoded event when the envelope is valid. The reference answers a valid
	// envelope of a rejected batch with status "rolled_back", unless it is a duplicate of an
	// already stored event, which stays "accepted".
	Event *Event
	// Errors are the envelope's validation messages, for status "rejected"; nil when it is valid.
	Errors []string
}

// BatchError is returned by DecodeBatch when every envelope decoded but at least one failed
// validation: the whole batch is rejected with 422 and a result per envelope (reference 1.8).
type BatchError struct {
	Results []BatchResult
}

func (e *BatchError) Error() string {
	n := 0
	for _, r := range e.Results {
		if r.Errors != nil {
			n++
		}
	}
	return "telemetry batch rejected: " + strconv.Itoa(n) + " of " + strconv.Itoa(len(e.Results)) + " envelopes are invalid"
}

// Unwrap returns the batch's validation messages as an apperr 422, so that apperr.KindOf reports
// KindUnprocessable for a *BatchError.
func (e *BatchError) Unwrap() error {
	var all []string
	for _, r := range e.Results {
		all = append(all, r.Errors...)
	}
	return apperr.Unprocessable(all...)
}

func batchInvalid(code, msg string) *apperr.Error { return apperr.Invalid(code, "%s", msg) }

func batchLine(line int, rest string) string {
	return "telemetry batch line " + strconv.Itoa(line) + " " + rest
}

// DecodeBatch decodes a POST /api/v1/ingest_events/batch body (reference 1.8): NDJSON with one
// {"event":{...}} envelope per line, optionally gzip-compressed. Every envelope needs a uuid and/or
// event_id.
//
// Errors: *apperr.Error with KindUnsupported (415) and code CodeUnsupportedContentType or
// CodeUnsupportedEncoding; KindTooLarge (413) with code
// compressed_bytes, decompressed_bytes, event_count or a per-event limit code; KindInvalid (400) with
// code invalid_gzip, invalid_json, invalid_envelope, missing_event, missing_identity,
// invalid_identity, conflicting_identity or empty_batch, the line-level ones naming the line; and
// *BatchError (422) when envelopes fail validation.
func DecodeBatch(body []byte, contentType, contentEncoding string, opts Options) ([]*Event, error) {
	if mt := mediaType(contentType); mt != "application/x-ndjson" && mt != "application/ndjson" {
		return nil, apperr.Unsupported(CodeUnsupportedContentType, "Batch ingest requires application/x-ndjson")
	}
	gz, err := batchEncoding(contentEncoding)
	if err != nil {
		return nil, err
	}
	if len(body) > maxCompressedBytes {
		return nil, apperr.TooLarge("compressed_bytes", "telemetry batch exceeds "+strconv.Itoa(maxCompressedBytes)+" bytes",
			maxCompressedBytes, int64(len(body)))
	}
	if gz {
		if body, err = gunzip(body); err != nil {
			return nil, err
		}
	}

	d := getDecoder(nil)
	defer putDecoder(d)
	var (
		events  []*Event
		results []BatchResult
		invalid bool
	)
	lineNo := 0
	for rest := body; len(rest) > 0; {
		line := rest
		if nl := bytes.IndexByte(rest, '\n'); nl >= 0 {
			line, rest = rest[:nl+1], rest[nl+1:]
		} else {
			rest = nil
		}
		lineNo++
		if blankLine(line) {
			continue
		}
		if len(events) >= maxBatchEvents {
			return nil, apperr.TooLarge("event_count", "telemetry batch exceeds "+strconv.Itoa(maxBatchEvents)+" events", maxBatchEvents, 0)
		}
		ev, problems, err := d.decodeBatchLine(line, lineNo, opts)
		if err != nil {
			return nil, err
		}
		kind := "event"
		if ev.Type == TypeSpan {
			kind = "span"
		}
		r := BatchResult{Index: len(events), Type: kind, Event: ev, Errors: problems}
		if problems != nil {
			r.Event = nil
			invalid = true
		}
		results = append(results, r)
		events = append(events, ev)
	}
	if len(events) == 0 {
		return nil, batchInvalid("empty_batch", "telemetry batch must contain at least one event")
	}
	if invalid {
		return nil, &BatchError{Results: results}
	}
	return events, nil
}

// decodeBatchLine decodes one non-blank NDJSON line: envelope checks and identity (400), then the
// payload limits (413) and normalisation, whose validation problems are returned separately.
func (d *decoder) decodeBatchLine(line []byte, lineNo int, opts Options) (*Event, []string, error) {
	d.setInput(line)
	env, isObject, err := d.sc.scanEnvelope("event", "", &d.raw)
	switch {
	case err != nil:
		return nil, nil, batchInvalid("invalid_json", batchLine(lineNo, "is invalid JSON: "+err.Error()))
	case !isObject:
		return nil, nil, batchInvalid("invalid_envelope", batchLine(lineNo, "must contain an envelope object"))
	case !env[0].found || line[env[0].vs] != '{':
		return nil, nil, batchInvalid("missing_event", batchLine(lineNo, "must contain an event object"))
	}
	e := env[0]
	if err := d.checkIdentity(e, lineNo); err != nil {
		return nil, nil, err
	}
	return d.normalizeEvent(e, opts)
}

// checkIdentity enforces the batch rule that every event has a valid uuid and/or event_id, equal
// when both are sent.
func (d *decoder) checkIdentity(e envelope, lineNo int) error {
	var uuid, eventID []byte
	for _, m := range d.raw[e.mlo:e.mhi] {
		key := d.keyBytes(m.ks, m.ke, m.keyFlags)
		if nk := d.normKey(key); nk != nil {
			key = nk
		}
		switch string(key) {
		case "uuid":
			uuid = d.in[m.vs:m.ve]
		case "event_id":
			eventID = d.in[m.vs:m.ve]
		}
	}
	var supplied []string
	for _, v := range [...][]byte{uuid, eventID} {
		if s := trimSpaceASCII(text(v)); s != "" {
			supplied = append(supplied, s)
		}
	}
	if len(supplied) == 0 {
		return batchInvalid("missing_identity", batchLine(lineNo, "requires a nonblank uuid or event_id"))
	}
	for _, s := range supplied {
		if !isUUID(s) {
			return batchInvalid("invalid_identity", batchLine(lineNo, "uuid/event_id must be a valid UUID"))
		}
	}
	if len(supplied) == 2 && !strings.EqualFold(supplied[0], supplied[1]) {
		return batchInvalid("conflicting_identity", batchLine(lineNo, "uuid and event_id must identify the same envelope"))
	}
	return nil
}

// blankLine reports whether line holds only whitespace.
func blankLine(line []byte) bool {
	for _, c := range line {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\v' && c != '\f' {
			return false
		}
	}
	return true
}

// mediaType returns the lower-cased media type of a Content-Type header, without parameters.
func mediaType(ct string) string {
	if i := strings.IndexAny(ct, ";,"); i >= 0 {
		ct = ct[:i]
	}
	return strings.ToLower(strings.TrimSpace(ct))
}

// batchEncoding checks Content-Encoding: absent, identity or gzip. It reports whether the body is
// gzip-compressed.
func batchEncoding(header string) (bool, error) {
	var encodings []string
	for _, e := range strings.Split(strings.ToLower(header), ",") {
		if e = strings.TrimSpace(e); e != "" {
			encodings = append(encodings, e)
		}
	}
	switch {
	case len(encodings) == 0 || len(encodings) == 1 && encodings[0] == "identity":
		return false, nil
	case len(encodings) == 1 && encodings[0] == "gzip":
		return true, nil
	}
	var unsupported []string
	for _, e := range encodings {
		if e != "gzip" && e != "identity" {
			unsupported = append(unsupported, e)
		}
	}
	if unsupported == nil {
		unsupported = encodings
	}
	return false, apperr.Unsupported(CodeUnsupportedEncoding, "unsupported telemetry batch content encoding: %s", strings.Join(unsupported, ", "))
}

// gunzip decompresses one gzip member, refusing output over maxDecompressedBytes without holding
// much more than that in memory.
func gunzip(b []byte) ([]byte, error) {
	invalid := func(err error) error {
		return batchInvalid("invalid_gzip", "invalid gzip telemetry batch: "+err.Error())
	}
	tooLarge := apperr.TooLarge("decompressed_bytes", "telemetry batch exceeds "+strconv.Itoa(maxDecompressedBytes)+" decompressed bytes",
		maxDecompressedBytes, 0)
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, invalid(err)
	}
	defer zr.Close()
	zr.Multistream(false) // like Ruby's GzipReader: one member, trailing bytes ignored

	// The gzip trailer's ISIZE (the size modulo 2^32) is a good first guess for honest clients;
	// deflate cannot expand more than about 1032:1, so a larger claim is a lie.
	size := 64 << 10
	if len(b) >= 18 {
		if hint := int(binary.LittleEndian.Uint32(b[len(b)-4:])); hint > 0 {
			size = min(hint+1, 1032*len(b))
		}
	}
	buf := make([]byte, 0, min(size, maxDecompressedBytes+1))
	for {
		if len(buf) == cap(buf) {
			if cap(buf) > maxDecompressedBytes {
				return nil, tooLarge
			}
			grown := make([]byte, len(buf), min(2*cap(buf), maxDecompressedBytes+1))
			copy(grown, buf)
			buf = grown
		}
		n, err := zr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if len(buf) > maxDecompressedBytes {
			return nil, tooLarge
		}
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return nil, invalid(err)
		}
	}
}
