package triage

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"

	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/redact"
	"github.com/logister/logister/server/internal/stacktrace"
	"github.com/logister/logister/server/internal/store"
)

// Reads of an issue's occurrences and of single events (reference §3.7 and §6.3).

// RelatedWindow is how far before and after an occurrence related logs are looked for.
const RelatedWindow = 5 * time.Minute

// MaxRelatedLogs is the most related logs returned.
const MaxRelatedLogs = 50

func errNoEvent() error { return apperr.NotFound("No such event.") }

func invalidCursor(err error) error {
	if errors.Is(err, store.ErrInvalidCursor) {
		return apperr.Invalid("invalid_cursor", "This cursor does not belong to this issue; start again from the first page.")
	}
	return err
}

// Occurrences returns a page of the project's issue's occurrences, newest first; limit is the
// page size (1..100; 0 means 50).
//
// Errors: apperr NotFound for an issue that is not the project's; Invalid "invalid_cursor".
func (s *Service) Occurrences(ctx context.Context, projectID int64, id uuid.UUID, cursor string, limit int) (*store.OccurrencePage, error) {
	is, err := s.issue(ctx, s.st.DB, projectID, id)
	if err != nil {
		return nil, err
	}
	page, err := s.st.ListOccurrences(ctx, is.ID, store.OccurrenceQuery{Cursor: cursor, Limit: limit})
	if err != nil {
		return nil, invalidCursor(err)
	}
	return page, nil
}

// EventDetail is one event as its page shows it.
type EventDetail struct {
	Event *store.Event
	// Context is the event's context, redacted (an empty object when it is not an object).
	Context map[string]any
	// Exceptions is an error's exception chain; empty for telemetry.
	Exceptions []stacktrace.Exception
	// Request is the request panel; nil when the context names no request field.
	Request *Request
	// Tags are the context's tags as strings; nil when there are none.
	Tags map[string]string
}

// Event returns the project's event with the id, an error occurrence or telemetry.
//
// Errors: apperr NotFound for an event that is not the project's.
func (s *Service) Event(ctx context.Context, projectID int64, id uuid.UUID) (*EventDetail, error) {
	ev, err := s.st.EventByID(ctx, projectID, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoEvent()
	}
	if err != nil {
		return nil, err
	}
	return eventDetail(ev), nil
}

// eventDetail redacts an event's context and reads its exceptions, request and tags.
func eventDetail(ev *store.Event) *EventDetail {
	d := &EventDetail{Event: ev, Context: redactedContext(ev.Context), Exceptions: []stacktrace.Exception{}}
	if ev.Type == "error" {
		if exs := stacktrace.Parse(ev.Context); exs != nil {
			d.Exceptions = exs
		}
	}
	d.Request = RequestPanel(d.Context)
	d.Tags = tags(d.Context)
	return d
}

// decodeContext decodes a stored context, keeping numbers as written; nil when it is not a JSON
// object.
func decodeContext(raw []byte) map[string]any {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil
	}
	return m
}

// redactedContext is the redacted copy of a stored context; an empty object when it is not one.
func redactedContext(raw []byte) map[string]any {
	m, _ := redact.Value(decodeContext(raw)).(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	return m
}

// tags are the context's "tags" object as strings: numbers and booleans as written, objects and
// arrays as JSON; nulls are left out. nil when there is no tags object.
func tags(context map[string]any) map[string]string {
	t, ok := context["tags"].(map[string]any)
	if !ok || len(t) == 0 {
		return nil
	}
	out := make(map[string]string, len(t))
	for k, v := range t {
		if s, ok := text(v); ok {
			out[k] = s
		}
	}
	return out
}

// text is the string form of a JSON value: a string as is, numbers and booleans as written,
// objects and arrays as JSON; false for null.
func text(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", false
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(x), true
	default:
		b, err := json.Marshal(x)
		if err != nil {
			return "", false
		}
		return string(b), true
	}
}

// Request is the request an event happened in (reference §6.3's request panel).
type Request struct {
	Method      string            `json:"method,omitempty"`
	URL         string            `json:"url,omitempty"`
	Path        string            `json:"path,omitempty"`
	QueryString string            `json:"queryString,omitempty"`
	ClientIP    string            `json:"clientIp,omitempty"`
	RequestID   string            `json:"requestId,omitempty"`
	Referer     string            `json:"referer,omitempty"`
	HTTPVersion string            `json:"httpVersion,omitempty"`
	Action      string            `json:"action,omitempty"`
	Headers     map[string]string `json:"headers,omitempty"`
	Params      map[string]any    `json:"params,omitempty"`
}

// requestKeys are the keys of each request field, looked up under context.request first, then at
// the top of the context (the generic "id" only under request).
var requestKeys = struct {
	method, url, path, query, ip, id, topID, referer, version, action []string
}{
	method:  []string{"httpMethod", "http_method", "method"},
	url:     []string{"url", "original_url", "originalUrl"},
	path:    []string{"path", "pathname", "fullpath", "original_fullpath", "originalFullpath"},
	query:   []string{"queryString", "query_string"},
	ip:      []string{"clientIp", "client_ip", "ip", "remote_ip", "remoteIp"},
	id:      []string{"requestId", "request_id", "id"},
	topID:   []string{"requestId", "request_id"},
	referer: []string{"referer", "referrer"},
	version: []string{"httpVersion", "http_version"},
	action:  []string{"railsAction", "rails_action"},
}

// RequestPanel reads the request panel from a (redacted) context: each field from
// context.request, else the top of the context. It returns nil when no field is found.
func RequestPanel(context map[string]any) *Request {
	nested, _ := context["request"].(map[string]any)
	scopes := []map[string]any{nested, context}
	str := func(keysNested, keysTop []string) string {
		for i, scope := range scopes {
			keys := keysNested
			if i == 1 {
				keys = keysTop
			}
			for _, k := range keys {
				switch v := scope[k].(type) {
				case string:
					if v != "" {
						return v
					}
				case json.Number:
					return v.String()
				}
			}
		}
		return ""
	}
	obj := func(key string) map[string]any {
		for _, scope := range scopes {
			if m, ok := scope[key].(map[string]any); ok && len(m) > 0 {
				return m
			}
		}
		return nil
	}
	k := &requestKeys
	r := &Request{
		Method: str(k.method, k.method), URL: str(k.url, k.url), Path: str(k.path, k.path),
		QueryString: str(k.query, k.query), ClientIP: str(k.ip, k.ip), RequestID: str(k.id, k.topID),
		Referer: str(k.referer, k.referer), HTTPVersion: str(k.version, k.version), Action: str(k.action, k.action),
		Params: obj("params"),
	}
	if h := obj("headers"); h != nil {
		// Ingestion keeps each key and adds its snake_case copy ("X-Api-Key" and "x_api_key"):
		// the panel shows each header once, under the name the client sent.
		copies := map[string]bool{}
		for name := range h {
			if c := snakeHeader(name); c != name {
				copies[c] = true
			}
		}
		r.Headers = make(map[string]string, len(h))
		for name, v := range h {
			if s, ok := text(v); ok && !copies[name] {
				r.Headers[name] = s
			}
		}
	}
	if r.Method == "" && r.URL == "" && r.Path == "" && r.QueryString == "" && r.ClientIP == "" &&
		r.RequestID == "" && r.Referer == "" && r.HTTPVersion == "" && r.Action == "" && r.Headers == nil && r.Params == nil {
		return nil
	}
	return r
}

// snakeHeader is the snake_case copy ingestion makes of a header name: lowercased, with "-"
// and spaces as "_".
func snakeHeader(name string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return '_'
		}
		return unicode.ToLower(r)
	}, name)
}

// RelatedLogs are the logs related to one occurrence.
type RelatedLogs struct {
	EventID uuid.UUID
	// From and To bound the window; zero when no search was made (a received_only occurrence, or
	// one without any id).
	From, To time.Time
	// MatchedOn are the kinds of id looked for (store.RelatedTraceID...), in order.
	MatchedOn []string
	Logs      []store.Event
}

// RelatedLogs returns the logs related to an occurrence of the project's issue: the one with
// eventID, or the latest one when eventID is nil.
//
// Errors: apperr NotFound for an issue that is not the project's, an eventID that is not one of
// its occurrences, or an issue without stored occurrences.
func (s *Service) RelatedLogs(ctx context.Context, projectID int64, id uuid.UUID, eventID *uuid.UUID) (*RelatedLogs, error) {
	is, err := s.issue(ctx, s.st.DB, projectID, id)
	if err != nil {
		return nil, err
	}
	ev, err := s.occurrence(ctx, is, eventID)
	if err != nil {
		return nil, err
	}
	return s.relatedLogs(ctx, projectID, ev, false)
}

// occurrence returns the issue's occurrence with the id, or its latest one when id is nil.
func (s *Service) occurrence(ctx context.Context, is *store.Issue, id *uuid.UUID) (*store.Event, error) {
	if id == nil {
		latest, err := store.LatestIssueEvent(ctx, s.st.DB, is)
		if err != nil {
			return nil, err
		}
		if latest == nil {
			return nil, apperr.NotFound("This issue has no stored occurrence.")
		}
		id = &latest.ID
	}
	ev, err := s.st.Occurrence(ctx, is.ID, *id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.NotFound("No such occurrence of this issue.")
	}
	return ev, err
}

// relatedLogs finds the logs related to the occurrence ev (reference §6.3): the project's logs
// within RelatedWindow of it that carry its trace, request, session or user id. A received_only
// occurrence has none (its time is not known); a reporting-interval one is not matched on its
// user id (a user's logs across the interval would not be related).
func (s *Service) relatedLogs(ctx context.Context, projectID int64, ev *store.Event, withContext bool) (*RelatedLogs, error) {
	out := &RelatedLogs{EventID: ev.ID, MatchedOn: []string{}, Logs: []store.Event{}}
	if ev.TimePrecision == store.PrecisionReceivedOnly {
		return out, nil
	}
	context := decodeContext(ev.Context)
	ids := map[string]string{}
	for _, kind := range store.RelatedKinds {
		if kind == store.RelatedUserID && ev.TimePrecision == store.PrecisionReportingInterval {
			continue
		}
		if v := store.RelatedID(context, kind); v != "" {
			ids[kind] = v
			out.MatchedOn = append(out.MatchedOn, kind)
		}
	}
	if len(ids) == 0 {
		return out, nil
	}
	out.From, out.To = ev.OccurredAt.Add(-RelatedWindow), ev.OccurredAt.Add(RelatedWindow)
	logs, err := s.st.RelatedLogs(ctx, store.RelatedQuery{ProjectID: projectID, From: out.From, To: out.To, IDs: ids,
		Limit: MaxRelatedLogs, WithContext: withContext, MaxContextBytes: maxReadContextBytes})
	if err != nil {
		return nil, err
	}
	out.Logs = logs
	return out, nil
}
