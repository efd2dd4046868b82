package httpapi

import (
	"context"
	"net/http"

	"github.com/google/uuid"

	"github.com/logister/logister/api"
	"github.com/logister/logister/server/internal/store"
	"github.com/logister/logister/server/internal/triage"
)

// Handlers of an issue's occurrences, related logs and export (the "issues" tag), and of one event
// (the "events" tag).

// ListIssueEvents lists a page of an issue's occurrences, newest first.
func (s *Server) ListIssueEvents(ctx context.Context, req api.ListIssueEventsRequestObject) (api.ListIssueEventsResponseObject, error) {
	acc, svc, id, err := s.oneIssue(ctx, req.IssueId)
	if err != nil {
		return nil, err
	}
	page, err := svc.Occurrences(ctx, acc.Project.ID, id, deref(req.Params.Cursor), deref(req.Params.Limit))
	if err != nil {
		return nil, err
	}
	out := api.EventPage{Events: make([]api.EventSummary, 0, len(page.Events))}
	for i := range page.Events {
		out.Events = append(out.Events, apiEventSummary(&page.Events[i].EventSummary))
	}
	if page.NextCursor != "" {
		out.NextCursor = ptr(page.NextCursor)
	}
	return api.ListIssueEvents200JSONResponse(out), nil
}

// ListIssueRelatedLogs lists the logs related to an occurrence of an issue.
func (s *Server) ListIssueRelatedLogs(ctx context.Context, req api.ListIssueRelatedLogsRequestObject) (api.ListIssueRelatedLogsResponseObject, error) {
	acc, svc, id, err := s.oneIssue(ctx, req.IssueId)
	if err != nil {
		return nil, err
	}
	var eventID *uuid.UUID
	if v := req.Params.EventId; v != nil {
		ev, err := parseID(*v, "occurrence")
		if err != nil {
			return nil, err
		}
		eventID = &ev
	}
	rel, err := svc.RelatedLogs(ctx, acc.Project.ID, id, eventID)
	if err != nil {
		return nil, err
	}
	out := api.RelatedLogs{EventId: rel.EventID, Logs: make([]api.EventSummary, 0, len(rel.Logs))}
	matched := make([]api.RelatedLogsMatchedOn, 0, len(rel.MatchedOn))
	for _, m := range rel.MatchedOn {
		matched = append(matched, api.RelatedLogsMatchedOn(m))
	}
	out.MatchedOn = &matched
	if !rel.From.IsZero() {
		out.From, out.To = ptr(rel.From), ptr(rel.To)
	}
	for i := range rel.Logs {
		out.Logs = append(out.Logs, apiEventSummary(&rel.Logs[i].EventSummary))
	}
	return api.ListIssueRelatedLogs200JSONResponse(out), nil
}

// ExportIssue sends an issue as one JSON document, as an attachment.
func (s *Server) ExportIssue(ctx context.Context, req api.ExportIssueRequestObject) (api.ExportIssueResponseObject, error) {
	acc, svc, id, err := s.oneIssue(ctx, req.IssueId)
	if err != nil {
		return nil, err
	}
	include := deref(req.Params.IncludeOccurrences)
	deployments, err := s.deployments()
	if err != nil {
		return nil, err
	}
	// The deployment context of the issue Export loads, without reading it again.
	deployment := func(is *store.Issue) (any, error) {
		dc, err := deployments.ContextOf(ctx, acc.Project.ID, is)
		if err != nil {
			return nil, err
		}
		return apiDeploymentContext(dc), nil
	}
	exp, err := svc.Export(ctx, acc.Project, id, include, deployment)
	if err != nil {
		return nil, err
	}
	return exportResponse{exp}, nil
}

// exportResponse writes an export as built: the document is measured against its size limit
// when it is encoded, so it is sent byte for byte rather than decoded into api.IssueExport and
// encoded again.
type exportResponse struct{ *triage.Export }

// VisitExportIssueResponse writes the document with its Content-Disposition.
func (r exportResponse) VisitExportIssueResponse(w http.ResponseWriter) error {
	w.Header().Set("Content-Type", "application/json")
	// The name is "logister-error-<uuid>.json": nothing in it needs escaping.
	w.Header().Set("Content-Disposition", `attachment; filename="`+r.Filename+`"`)
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(r.Body)
	return err
}

// GetEvent describes one event of the project with its redacted context.
func (s *Server) GetEvent(ctx context.Context, req api.GetEventRequestObject) (api.GetEventResponseObject, error) {
	acc, svc, err := s.projectIssues(ctx)
	if err != nil {
		return nil, err
	}
	id, err := parseID(req.EventId, "event")
	if err != nil {
		return nil, err
	}
	d, err := svc.Event(ctx, acc.Project.ID, id)
	if err != nil {
		return nil, err
	}
	sum := apiEventSummary(&d.Event.EventSummary)
	out := api.Event{
		Id: sum.Id, Type: sum.Type, Level: sum.Level, Message: sum.Message, OccurredAt: sum.OccurredAt,
		ReceivedAt: sum.ReceivedAt, TimePrecision: sum.TimePrecision, Environment: sum.Environment,
		Release: sum.Release, DurationMs: sum.DurationMs, Name: sum.Name, Status: sum.Status,
		TraceId: sum.TraceId, IssueId: sum.IssueId,
		Fingerprint: nonEmpty(d.Event.Fingerprint), Context: d.Context, Exceptions: apiExceptions(d.Exceptions),
	}
	if r := d.Request; r != nil {
		out.Request = &api.RequestContext{
			Method: nonEmpty(r.Method), Url: nonEmpty(r.URL), Path: nonEmpty(r.Path), QueryString: nonEmpty(r.QueryString),
			ClientIp: nonEmpty(r.ClientIP), RequestId: nonEmpty(r.RequestID), Referer: nonEmpty(r.Referer),
			HttpVersion: nonEmpty(r.HTTPVersion), Action: nonEmpty(r.Action),
		}
		if r.Headers != nil {
			out.Request.Headers = &r.Headers
		}
		if r.Params != nil {
			out.Request.Params = &r.Params
		}
	}
	if d.Tags != nil {
		out.Tags = &d.Tags
	}
	return api.GetEvent200JSONResponse(out), nil
}
