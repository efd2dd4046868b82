package triage

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/logister/logister/server/internal/stacktrace"
	"github.com/logister/logister/server/internal/store"
)

// The export of an issue as one JSON document (reference §3.8): format "logister_error_group",
// version 2, redacted and bounded.

// Bounds of an export.
const (
	// MaxExportContextBytes is the most bytes of one event's (redacted) context in an export; a
	// larger context is replaced with a marker object.
	MaxExportContextBytes = 64 << 10
	// MaxExportBytes is the most bytes of a whole export: occurrences, then related logs, are
	// dropped from the end until it fits.
	MaxExportBytes = 900 << 10
	// ExportOccurrences is how many of the latest occurrences an export includes when asked.
	ExportOccurrences = 50
	// maxReadContextBytes is the largest stored context (JSON text) of an occurrence or a related
	// log that an export reads: larger ones would be cut anyway (redaction shortens values more
	// often than not), so the database leaves them out and 50 of them are never held at once.
	maxReadContextBytes = 2 * MaxExportContextBytes
)

// ExportFormat and ExportVersion name the document's format.
const (
	ExportFormat  = "logister_error_group"
	ExportVersion = 2
)

// Export is an issue's export document.
type Export struct {
	// Filename is the name to save it under: logister-error-<issue uuid>.json.
	Filename string
	// Body is the JSON document, at most MaxExportBytes.
	Body []byte
}

// exportDoc is the document. Sections are json.RawMessage where they are measured and cut.
type exportDoc struct {
	Format            string            `json:"format"`
	Version           int               `json:"version"`
	Export            exportInfo        `json:"export"`
	Project           exportProject     `json:"project"`
	ErrorGroup        exportGroup       `json:"errorGroup"`
	Assignment        *exportAssignment `json:"assignment"`
	LatestEvent       json.RawMessage   `json:"latestEvent"`
	Exception         *exportException  `json:"exception"`
	Request           *Request          `json:"request"`
	Occurrences       []json.RawMessage `json:"occurrences,omitempty"`
	RelatedLogs       *exportRelated    `json:"relatedLogs"`
	DeploymentContext json.RawMessage   `json:"deploymentContext"`
}

type exportInfo struct {
	ExportedAt         time.Time `json:"exportedAt"`
	Generator          string    `json:"generator"`
	IncludeOccurrences bool      `json:"includeOccurrences"`
	Redacted           bool      `json:"redacted"`
	// Limits are the bounds the document was cut to.
	Limits struct {
		EventContextBytes int `json:"eventContextBytes"`
		TotalBytes        int `json:"totalBytes"`
	} `json:"limits"`
	// Truncated says what was cut to keep within the limits.
	Truncated exportTruncated `json:"truncated"`
}

type exportTruncated struct {
	Contexts           int  `json:"contexts"`
	OccurrencesDropped int  `json:"occurrencesDropped"`
	RelatedLogsDropped int  `json:"relatedLogsDropped"`
	FramesDropped      bool `json:"framesDropped"`
}

type exportProject struct {
	ID              uuid.UUID `json:"id"`
	Name            string    `json:"name"`
	Slug            string    `json:"slug"`
	IntegrationKind string    `json:"integrationKind"`
}

type exportGroup struct {
	ID              uuid.UUID      `json:"id"`
	Title           string         `json:"title"`
	Subtitle        string         `json:"subtitle,omitempty"`
	Status          string         `json:"status"`
	Level           string         `json:"level"`
	Environment     string         `json:"environment"`
	OccurrenceCount int64          `json:"occurrenceCount"`
	FirstSeenAt     time.Time      `json:"firstSeenAt"`
	LastSeenAt      time.Time      `json:"lastSeenAt"`
	ResolvedAt      *time.Time     `json:"resolvedAt"`
	IgnoredAt       *time.Time     `json:"ignoredAt"`
	ArchivedAt      *time.Time     `json:"archivedAt"`
	ReopenCount     int            `json:"reopenCount"`
	LastReopenedAt  *time.Time     `json:"lastReopenedAt"`
	RegressionCount int            `json:"regressionCount"`
	Releases        exportReleases `json:"releases"`
}

type exportReleases struct {
	Introduced *string `json:"introduced"`
	LastSeen   *string `json:"lastSeen"`
	Resolved   *string `json:"resolved"`
	Regressed  *string `json:"regressed"`
}

type exportAssignment struct {
	Assignee   *exportUser `json:"assignee"`
	AssignedAt *time.Time  `json:"assignedAt"`
}

type exportUser struct {
	ID    uuid.UUID `json:"id"`
	Name  string    `json:"name"`
	Email string    `json:"email"`
}

type exportException struct {
	Type    string `json:"type"`
	Message string `json:"message"`
	// Chain is the reported exception then those chained to it, in the frame model.
	Chain []stacktrace.Exception `json:"chain"`
}

type exportRelated struct {
	EventID   uuid.UUID         `json:"eventId"`
	From      *time.Time        `json:"from"`
	To        *time.Time        `json:"to"`
	MatchedOn []string          `json:"matchedOn"`
	Logs      []json.RawMessage `json:"logs"`
}

// exportEvent is one event of an export: its columns and its redacted, bounded context.
type exportEvent struct {
	ID            uuid.UUID `json:"id"`
	Type          string    `json:"type"`
	Level         string    `json:"level"`
	Message       string    `json:"message"`
	OccurredAt    time.Time `json:"occurredAt"`
	ReceivedAt    time.Time `json:"receivedAt"`
	TimePrecision string    `json:"timePrecision"`
	Environment   string    `json:"environment,omitempty"`
	Release       string    `json:"release,omitempty"`
	Fingerprint   string    `json:"fingerprint,omitempty"`
	Context       any       `json:"context"`
}

// Export builds the export of the project's issue: the issue, its assignment, its latest
// occurrence with its exception chain and request panel, the logs related to it and, with
// includeOccurrences, its latest 50 occurrences. Every context is redacted and cut at
// MaxExportContextBytes, the whole at MaxExportBytes. deployment renders the issue's deployment
// context as the caller sees fit (deployments are not triage's business), from the issue as
// loaded here; nil exports null.
//
// Errors: apperr NotFound for an issue that is not the project's; deployment's errors.
func (s *Service) Export(ctx context.Context, p *store.Project, id uuid.UUID, includeOccurrences bool, deployment func(*store.Issue) (any, error)) (*Export, error) {
	d, err := s.Get(ctx, p.ID, id)
	if err != nil {
		return nil, err
	}
	is := d.Issue
	doc := &exportDoc{
		Format: ExportFormat, Version: ExportVersion,
		Project: exportProject{ID: p.UUID, Name: p.Name, Slug: p.Slug, IntegrationKind: p.IntegrationKind},
		ErrorGroup: exportGroup{
			ID: is.UUID, Title: is.Title, Subtitle: is.Subtitle, Status: is.Status, Level: is.Level,
			Environment: is.Environment, OccurrenceCount: is.OccurrenceCount, FirstSeenAt: is.FirstSeenAt,
			LastSeenAt: is.LastSeenAt, ResolvedAt: is.ResolvedAt, IgnoredAt: is.IgnoredAt, ArchivedAt: is.ArchivedAt,
			ReopenCount: is.ReopenCount, LastReopenedAt: is.LastReopenedAt, RegressionCount: is.RegressionCount,
			Releases: exportReleases{Introduced: orNil(is.IntroducedInRelease), LastSeen: orNil(is.LastSeenRelease),
				Resolved: orNil(is.ResolvedInRelease), Regressed: orNil(is.RegressedInRelease)},
		},
		LatestEvent:       json.RawMessage("null"),
		DeploymentContext: json.RawMessage("null"),
	}
	if deployment != nil {
		dc, err := deployment(is)
		if err != nil {
			return nil, err
		}
		if doc.DeploymentContext, err = json.Marshal(dc); err != nil {
			return nil, err
		}
	}
	doc.Export.ExportedAt = s.now().UTC()
	doc.Export.Generator = "logister"
	doc.Export.IncludeOccurrences = includeOccurrences
	doc.Export.Redacted = true
	doc.Export.Limits.EventContextBytes = MaxExportContextBytes
	doc.Export.Limits.TotalBytes = MaxExportBytes
	tr := &doc.Export.Truncated
	if d.Assignee != nil {
		doc.Assignment = &exportAssignment{AssignedAt: is.AssignedAt,
			Assignee: &exportUser{ID: d.Assignee.UUID, Name: d.Assignee.Name, Email: d.Assignee.Email}}
	}

	if d.Latest != nil {
		latest, err := s.st.Occurrence(ctx, is.ID, d.Latest.ID)
		if err != nil {
			return nil, err
		}
		detail := eventDetail(latest)
		doc.Request = detail.Request
		if doc.LatestEvent, err = exportEventJSON(latest, detail.Context, tr); err != nil {
			return nil, err
		}
		if len(d.Exceptions) > 0 {
			doc.Exception = &exportException{Type: d.Exceptions[0].Type, Message: d.Exceptions[0].Message, Chain: d.Exceptions}
		}
		related, err := s.relatedLogs(ctx, p.ID, latest, true)
		if err != nil {
			return nil, err
		}
		doc.RelatedLogs = &exportRelated{EventID: related.EventID, MatchedOn: related.MatchedOn, Logs: []json.RawMessage{}}
		if !related.From.IsZero() {
			doc.RelatedLogs.From, doc.RelatedLogs.To = &related.From, &related.To
		}
		for i := range related.Logs {
			ev := &related.Logs[i]
			b, err := exportEventJSON(ev, redactedContext(ev.Context), tr)
			if err != nil {
				return nil, err
			}
			doc.RelatedLogs.Logs = append(doc.RelatedLogs.Logs, b)
		}
	}

	if includeOccurrences {
		page, err := s.st.ListOccurrences(ctx, is.ID, store.OccurrenceQuery{Limit: ExportOccurrences, WithContext: true,
			MaxContextBytes: maxReadContextBytes})
		if err != nil {
			return nil, err
		}
		doc.Occurrences = make([]json.RawMessage, 0, len(page.Events))
		for i := range page.Events {
			ev := &page.Events[i]
			b, err := exportEventJSON(ev, redactedContext(ev.Context), tr)
			if err != nil {
				return nil, err
			}
			doc.Occurrences = append(doc.Occurrences, b)
		}
	}

	body, err := boundExport(doc)
	if err != nil {
		return nil, err
	}
	return &Export{Filename: "logister-error-" + is.UUID.String() + ".json", Body: body}, nil
}

// exportEventJSON encodes an event of an export with its redacted context, replacing a context
// over MaxExportContextBytes with a marker (and counting it in tr).
func exportEventJSON(ev *store.Event, context map[string]any, tr *exportTruncated) (json.RawMessage, error) {
	out := exportEvent{ID: ev.ID, Type: ev.Type, Level: ev.Level, Message: ev.Message, OccurredAt: ev.OccurredAt,
		ReceivedAt: ev.ReceivedAt, TimePrecision: ev.TimePrecision, Environment: ev.Environment, Release: ev.Release,
		Fingerprint: ev.Fingerprint, Context: context}
	if ev.Context == nil {
		// Left out by the store: larger than maxReadContextBytes.
		out.Context = cutContext(0)
		tr.Contexts++
	} else {
		c, err := json.Marshal(context)
		if err != nil {
			return nil, fmt.Errorf("triage: export: %w", err)
		}
		if len(c) > MaxExportContextBytes {
			out.Context = cutContext(len(c))
			tr.Contexts++
		}
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("triage: export: %w", err)
	}
	return b, nil
}

// cutContext is the marker that replaces a context too large to export; size is its redacted
// size in bytes, 0 when it was not read.
func cutContext(size int) map[string]any {
	if size <= 0 {
		return map[string]any{
			"logisterTruncated": true,
			"reason":            fmt.Sprintf("the context was over the export's limit of %d bytes; it was cut", MaxExportContextBytes),
		}
	}
	return map[string]any{
		"logisterTruncated": true,
		"reason":            fmt.Sprintf("the context was %d bytes, over the export's limit of %d; it was cut", size, MaxExportContextBytes),
		"originalBytes":     size,
	}
}

// boundExport encodes doc within MaxExportBytes: it drops occurrences from the end, then related
// logs from the end, and as a last resort the frames of the exception chain and the latest event's
// context, recording what it dropped.
func boundExport(doc *exportDoc) ([]byte, error) {
	body, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("triage: export: %w", err)
	}
	if len(body) <= MaxExportBytes {
		return body, nil
	}
	// Each item removed shortens the document by its own bytes and a comma; the counts written
	// into "truncated" may grow by a few digits, kept in hand by the margin.
	const margin = 64
	excess := len(body) - MaxExportBytes + margin
	tr := &doc.Export.Truncated
	for excess > 0 && len(doc.Occurrences) > 0 {
		last := doc.Occurrences[len(doc.Occurrences)-1]
		doc.Occurrences = doc.Occurrences[:len(doc.Occurrences)-1]
		excess -= len(last) + 1
		tr.OccurrencesDropped++
	}
	for excess > 0 && doc.RelatedLogs != nil && len(doc.RelatedLogs.Logs) > 0 {
		logs := doc.RelatedLogs.Logs
		excess -= len(logs[len(logs)-1]) + 1
		doc.RelatedLogs.Logs = logs[:len(logs)-1]
		tr.RelatedLogsDropped++
	}
	if body, err = json.Marshal(doc); err != nil {
		return nil, fmt.Errorf("triage: export: %w", err)
	}
	if len(body) <= MaxExportBytes {
		return body, nil
	}
	// Still too large: the exception chain's frames and the latest event's context go.
	if doc.Exception != nil {
		chain := make([]stacktrace.Exception, len(doc.Exception.Chain))
		copy(chain, doc.Exception.Chain)
		for i := range chain {
			chain[i].Frames = []stacktrace.Frame{}
		}
		doc.Exception.Chain = chain
		tr.FramesDropped = true
	}
	if len(doc.LatestEvent) > 0 && string(doc.LatestEvent) != "null" {
		var ev exportEvent
		if err := json.Unmarshal(doc.LatestEvent, &ev); err == nil {
			ev.Context = cutContext(len(doc.LatestEvent))
			tr.Contexts++
			if doc.LatestEvent, err = json.Marshal(ev); err != nil {
				return nil, fmt.Errorf("triage: export: %w", err)
			}
		}
	}
	doc.Request = nil
	if body, err = json.Marshal(doc); err != nil {
		return nil, fmt.Errorf("triage: export: %w", err)
	}
	return body, nil
}

// orNil is nil for "", else a pointer to s.
func orNil(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
