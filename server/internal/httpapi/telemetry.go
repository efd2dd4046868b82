package httpapi

import (
	"context"
	"errors"

	"github.com/logister/logister/api"
	"github.com/logister/logister/server/internal/dashboard"
	"github.com/logister/logister/server/internal/project"
	"github.com/logister/logister/server/internal/store"
	"github.com/logister/logister/server/internal/telemetry"
)

// Handlers of the events feed and traces (the "events" tag's lists) and of the dashboard.

// projectTelemetry is where the telemetry handlers start: the caller's access to the project the
// path names, and the telemetry service.
func (s *Server) projectTelemetry(ctx context.Context) (*project.Access, *telemetry.Service, error) {
	return projectService(ctx, s.deps.Telemetry, "telemetry")
}

// ListEvents lists a page of the project's telemetry, newest first.
func (s *Server) ListEvents(ctx context.Context, req api.ListEventsRequestObject) (api.ListEventsResponseObject, error) {
	acc, svc, err := s.projectTelemetry(ctx)
	if err != nil {
		return nil, err
	}
	p := req.Params
	q := telemetry.EventQuery{
		Text: deref(p.Q), Environment: deref(p.Environment), Release: deref(p.Release), Cursor: deref(p.Cursor),
	}
	if p.Type != nil {
		q.Type = string(*p.Type)
	}
	if p.Period != nil {
		q.Period = string(*p.Period)
	}
	if p.Limit != nil {
		q.Limit = *p.Limit
	}
	page, err := svc.Events(ctx, acc.Project.ID, q)
	if err != nil {
		return nil, err
	}
	out := api.EventPage{Events: make([]api.EventSummary, 0, len(page.Events)), NextCursor: nonEmpty(page.NextCursor)}
	for i := range page.Events {
		out.Events = append(out.Events, apiEventSummary(&page.Events[i]))
	}
	return api.ListEvents200JSONResponse(out), nil
}

// ListTraces lists a page of the project's traces by their root spans, newest first.
func (s *Server) ListTraces(ctx context.Context, req api.ListTracesRequestObject) (api.ListTracesResponseObject, error) {
	acc, svc, err := s.projectTelemetry(ctx)
	if err != nil {
		return nil, err
	}
	p := req.Params
	q := telemetry.TraceQuery{Text: deref(p.Q), Cursor: deref(p.Cursor)}
	if p.Period != nil {
		q.Period = string(*p.Period)
	}
	if p.Limit != nil {
		q.Limit = *p.Limit
	}
	page, err := svc.Traces(ctx, acc.Project.ID, q)
	if err != nil {
		return nil, err
	}
	out := api.TracePage{Traces: make([]api.TraceSummary, 0, len(page.Traces)), NextCursor: nonEmpty(page.NextCursor)}
	for _, t := range page.Traces {
		out.Traces = append(out.Traces, api.TraceSummary{
			TraceId: t.TraceID, Name: t.Name, Kind: t.Kind, Status: nonEmpty(t.Status), StartedAt: t.StartedAt,
			DurationMs: float32(t.DurationMS), Environment: nonEmpty(t.Environment), Release: nonEmpty(t.Release),
		})
	}
	return api.ListTraces200JSONResponse(out), nil
}

// GetTrace returns a trace's spans as a tree, with its error occurrences.
func (s *Server) GetTrace(ctx context.Context, req api.GetTraceRequestObject) (api.GetTraceResponseObject, error) {
	acc, svc, err := s.projectTelemetry(ctx)
	if err != nil {
		return nil, err
	}
	t, err := svc.Trace(ctx, acc.Project.ID, req.TraceId)
	if err != nil {
		return nil, err
	}
	out := api.Trace{
		TraceId: t.TraceID, StartedAt: t.StartedAt, DurationMs: float32(t.DurationMS), Truncated: t.Truncated,
		Spans: make([]api.Span, 0, len(t.Spans)), Errors: make([]api.EventSummary, 0, len(t.Errors)),
	}
	for i := range t.Spans {
		sp := &t.Spans[i]
		out.Spans = append(out.Spans, api.Span{
			Id: sp.ID, SpanId: sp.SpanID, ParentSpanId: nonEmpty(sp.ParentSpanID), Name: sp.Name, Kind: sp.Kind,
			Status: nonEmpty(sp.Status), StartedAt: sp.StartedAt, DurationMs: float32(sp.DurationMS),
			OffsetMs: float32(sp.OffsetMS), Depth: sp.Depth, Attributes: sp.Attributes,
		})
	}
	for i := range t.Errors {
		out.Errors = append(out.Errors, apiEventSummary(&t.Errors[i]))
	}
	return api.GetTrace200JSONResponse(out), nil
}

// GetDashboard summarises the signed-in user's active projects.
func (s *Server) GetDashboard(ctx context.Context, _ api.GetDashboardRequestObject) (api.GetDashboardResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if s.deps.Dashboard == nil {
		return nil, errors.New("httpapi: no dashboard service")
	}
	d, err := s.deps.Dashboard.Summary(ctx, project.ActorOf(p))
	if err != nil {
		return nil, err
	}
	out := api.Dashboard{
		GeneratedAt: d.GeneratedAt, ProjectCount: d.ProjectCount, OpenIssues: d.OpenIssues,
		NewIssues24h: d.NewIssues24h, AssignedToMe: d.AssignedToMe, Unassigned: d.Unassigned,
		Events24h: api.EventTypeCounts{
			Error: d.Events24h["error"], Log: d.Events24h["log"], Metric: d.Events24h["metric"],
			Transaction: d.Events24h["transaction"], CheckIn: d.Events24h["check_in"],
		},
		Monitors: api.MonitorCounts{
			Ok: d.Monitors[store.MonitorOK], Missed: d.Monitors[store.MonitorMissed],
			Error: d.Monitors[store.MonitorError], Paused: d.Monitors[store.MonitorPaused],
		},
		AssignedIssues: apiDashboardIssues(d.AssignedIssues, d.Assignees),
		NeedsAttention: apiDashboardIssues(d.NeedsAttention, d.Assignees),
		Projects:       make([]api.DashboardProject, 0, len(d.Projects)),
	}
	for i := range d.Projects {
		line := &d.Projects[i]
		out.Projects = append(out.Projects, api.DashboardProject{
			Project: apiProjectRef(line.Project), OpenIssues: line.OpenIssues, NewIssues24h: line.NewIssues24h,
			Events24h: line.Events24h, FailingMonitors: line.FailingMonitors, LastEventAt: line.LastEventAt,
		})
	}
	return api.GetDashboard200JSONResponse(out), nil
}

func apiDashboardIssues(in []dashboard.Issue, assignees map[int64]*store.UserSummary) []api.DashboardIssue {
	out := make([]api.DashboardIssue, 0, len(in))
	for i := range in {
		g := &in[i]
		row := api.DashboardIssue{
			Id: g.UUID, Title: g.Title, Subtitle: nonEmpty(g.Subtitle), Status: api.IssueStatus(g.Status),
			Level: g.Level, Environment: g.Environment, OccurrenceCount: g.OccurrenceCount,
			FirstSeenAt: g.FirstSeenAt, LastSeenAt: g.LastSeenAt,
			IntroducedInRelease: nonEmpty(g.IntroducedInRelease), LastSeenRelease: nonEmpty(g.LastSeenRelease),
			Project: apiProjectRef(g.Project),
		}
		if g.AssignedUserID != nil {
			if u := assignees[*g.AssignedUserID]; u != nil {
				row.Assignee = ptr(apiUserSummary(u))
			}
		}
		out = append(out, row)
	}
	return out
}

func apiProjectRef(p *store.Project) api.ProjectRef {
	return api.ProjectRef{Id: p.UUID, Name: p.Name, Slug: p.Slug}
}

// apiEventSummary is an event as lists show it (the feed, a trace's errors, an issue's occurrences).
func apiEventSummary(e *store.EventSummary) api.EventSummary {
	out := api.EventSummary{
		Id: e.ID, Type: api.EventType(e.Type), Level: e.Level, Message: e.Message, OccurredAt: e.OccurredAt,
		ReceivedAt: e.ReceivedAt, TimePrecision: e.TimePrecision, Environment: nonEmpty(e.Environment),
		Release: nonEmpty(e.Release), TraceId: nonEmpty(e.TraceID), Name: nonEmpty(e.Name), Status: nonEmpty(e.Status),
		IssueId: e.IssueID,
	}
	if e.DurationMS != nil {
		out.DurationMs = ptr(float32(*e.DurationMS))
	}
	return out
}
