package httpapi

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/logister/logister/api"
	"github.com/logister/logister/server/internal/project"
	"github.com/logister/logister/server/internal/search"
	"github.com/logister/logister/server/internal/stacktrace"
	"github.com/logister/logister/server/internal/store"
	"github.com/logister/logister/server/internal/triage"
)

// Handlers of the "issues" tag: triage of a project's error groups. Groups are addressed by their
// uuid; one of another project answers 404 like one that does not exist.

// projectIssues is where every handler of the issues tag starts: the caller's access to the
// project the path names, and the triage service.
func (s *Server) projectIssues(ctx context.Context) (*project.Access, *triage.Service, error) {
	return projectService(ctx, s.deps.Issues, "triage")
}

// projectService is the start of a handler of a project's operations: the caller's access to the
// project the path names, and svc, the service of the handler's tag (nil, when the server was built
// without it, is an internal error).
func projectService[T any](ctx context.Context, svc *T, name string) (*project.Access, *T, error) {
	acc, err := projectAccess(ctx)
	if err != nil {
		return nil, nil, err
	}
	if svc == nil {
		return nil, nil, fmt.Errorf("httpapi: no %s service", name)
	}
	return acc, svc, nil
}

// oneIssue is projectIssues plus the id of the issue the path names (404 when it is not a uuid).
func (s *Server) oneIssue(ctx context.Context, rawID string) (*project.Access, *triage.Service, uuid.UUID, error) {
	acc, svc, err := s.projectIssues(ctx)
	if err != nil {
		return nil, nil, uuid.Nil, err
	}
	id, err := parseID(rawID, "issue")
	if err != nil {
		return nil, nil, uuid.Nil, err
	}
	return acc, svc, id, nil
}

// ListIssues lists a page of the project's issues that match the search.
func (s *Server) ListIssues(ctx context.Context, req api.ListIssuesRequestObject) (api.ListIssuesResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	acc, svc, err := s.projectIssues(ctx)
	if err != nil {
		return nil, err
	}
	q := triage.ListQuery{ViewerID: p.User.ID}
	q.Query = deref(req.Params.Q)
	q.Cursor = deref(req.Params.Cursor)
	q.Limit = deref(req.Params.Limit)
	q.TimeZone = deref(req.Params.Tz)
	if v := req.Params.Sparkline; v != nil {
		q.Sparkline = store.SparklinePeriod(*v)
	}
	list, err := svc.List(ctx, acc.Project.ID, q)
	if err != nil {
		return nil, err
	}
	out := api.IssuePage{
		Issues: make([]api.IssueSummary, 0, len(list.Groups)),
		Query:  list.Query,
		Counts: api.IssueCounts{
			Unresolved: list.Counts.Unresolved, New: list.Counts.New, Resolved: list.Counts.Resolved,
			Ignored: list.Counts.Ignored, Archived: list.Counts.Archived, All: list.Counts.All,
		},
	}
	if list.NextCursor != "" {
		out.NextCursor = ptr(list.NextCursor)
	}
	if sp := list.Sparklines; sp != nil {
		out.Sparkline = &api.IssueSparkline{Period: api.IssueSparklinePeriod(q.Sparkline), Buckets: sp.Buckets, End: sp.End}
	}
	for i := range list.Groups {
		g := &list.Groups[i]
		row := api.IssueSummary{
			Id: g.UUID, Title: g.Title, Subtitle: nonEmpty(g.Subtitle), Status: api.IssueStatus(g.Status),
			Level: g.Level, Environment: g.Environment, OccurrenceCount: g.OccurrenceCount,
			FirstSeenAt: g.FirstSeenAt, LastSeenAt: g.LastSeenAt,
			IntroducedInRelease: nonEmpty(g.IntroducedInRelease), LastSeenRelease: nonEmpty(g.LastSeenRelease),
		}
		if g.AssignedUserID != nil {
			if u := list.Assignees[*g.AssignedUserID]; u != nil {
				row.Assignee = ptr(apiUserSummary(u))
			}
		}
		if sp := list.Sparklines; sp != nil {
			counts := sp.Counts[g.ID]
			if counts == nil {
				counts = make([]int64, len(sp.Buckets))
			}
			row.Sparkline = &counts
		}
		if list.Filter.Sort == search.SortTrend {
			row.Trend = &api.IssueTrend{Last24h: g.Last24h, Previous24h: g.Previous24h}
		}
		out.Issues = append(out.Issues, row)
	}
	return api.ListIssues200JSONResponse(out), nil
}

// GetIssue describes an issue, with its latest occurrence's stack.
func (s *Server) GetIssue(ctx context.Context, req api.GetIssueRequestObject) (api.GetIssueResponseObject, error) {
	acc, svc, id, err := s.oneIssue(ctx, req.IssueId)
	if err != nil {
		return nil, err
	}
	d, err := svc.Get(ctx, acc.Project.ID, id)
	if err != nil {
		return nil, err
	}
	return api.GetIssue200JSONResponse(apiIssue(d)), nil
}

// SetIssueStatus resolves, ignores (possibly with a snooze), archives or reopens an issue.
func (s *Server) SetIssueStatus(ctx context.Context, req api.SetIssueStatusRequestObject) (api.SetIssueStatusResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	acc, svc, id, err := s.oneIssue(ctx, req.IssueId)
	if err != nil {
		return nil, err
	}
	snooze := store.Snooze{Until: req.Body.IgnoreUntil, Occurrences: req.Body.IgnoreOccurrences}
	d, err := svc.SetStatus(ctx, acc.Project.ID, id, string(req.Body.Status), snooze, p.User.ID)
	if err != nil {
		return nil, err
	}
	return api.SetIssueStatus200JSONResponse(apiIssue(d)), nil
}

// SetIssueAssignee assigns an issue to the project's owner or a member, or unassigns it.
func (s *Server) SetIssueAssignee(ctx context.Context, req api.SetIssueAssigneeRequestObject) (api.SetIssueAssigneeResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	acc, svc, id, err := s.oneIssue(ctx, req.IssueId)
	if err != nil {
		return nil, err
	}
	d, err := svc.SetAssignee(ctx, acc.Project.ID, id, req.Body.UserId, p.User.ID)
	if err != nil {
		return nil, err
	}
	return api.SetIssueAssignee200JSONResponse(apiIssue(d)), nil
}

func apiIssue(d *triage.Detail) api.Issue {
	is := d.Issue
	out := api.Issue{
		Id: is.UUID, Title: is.Title, Subtitle: nonEmpty(is.Subtitle), Status: api.IssueStatus(is.Status),
		Level: is.Level, Environment: is.Environment, OccurrenceCount: is.OccurrenceCount,
		FirstSeenAt: is.FirstSeenAt, LastSeenAt: is.LastSeenAt,
		ResolvedAt: is.ResolvedAt, IgnoredAt: is.IgnoredAt, ArchivedAt: is.ArchivedAt,
		ReopenCount: is.ReopenCount, LastReopenedAt: is.LastReopenedAt, RegressionCount: is.RegressionCount,
		IntroducedInRelease: nonEmpty(is.IntroducedInRelease), LastSeenRelease: nonEmpty(is.LastSeenRelease),
		ResolvedInRelease: nonEmpty(is.ResolvedInRelease), RegressedInRelease: nonEmpty(is.RegressedInRelease),
		AssignedAt: is.AssignedAt,
	}
	if !is.Snooze().IsZero() {
		out.Snooze = &api.IssueSnooze{Until: is.SnoozeUntil, OccurrencesLeft: is.SnoozeRemaining}
	}
	if d.Assignee != nil {
		out.Assignee = ptr(apiUserSummary(d.Assignee))
	} else {
		out.AssignedAt = nil
	}
	if ev := d.Latest; ev != nil {
		out.LatestEvent = &api.IssueEvent{Id: ev.ID, OccurredAt: ev.OccurredAt, Message: ev.Message,
			Exceptions: apiExceptions(d.Exceptions)}
	}
	return out
}

func apiExceptions(in []stacktrace.Exception) []api.StackException {
	out := make([]api.StackException, 0, len(in))
	for i := range in {
		e := &in[i]
		x := api.StackException{Type: e.Type, Module: nonEmpty(e.Module), Message: e.Message, Parent: e.Parent,
			Frames: make([]api.StackFrame, 0, len(e.Frames))}
		if e.Chained != "" {
			x.Chained = ptr(api.StackExceptionChained(e.Chained))
		}
		for j := range e.Frames {
			f := &e.Frames[j]
			sf := api.StackFrame{
				Function: nonEmpty(f.Function), Module: nonEmpty(f.Module), File: nonEmpty(f.File),
				InApp: f.InApp, ContextLine: nonEmpty(f.ContextLine), Raw: nonEmpty(f.Raw),
			}
			if f.Line > 0 {
				sf.Line = ptr(f.Line)
			}
			if f.Column > 0 {
				sf.Column = ptr(f.Column)
			}
			if len(f.PreContext) > 0 {
				sf.PreContext = ptr(f.PreContext)
			}
			if len(f.PostContext) > 0 {
				sf.PostContext = ptr(f.PostContext)
			}
			x.Frames = append(x.Frames, sf)
		}
		out = append(out, x)
	}
	return out
}

// nonEmpty is nil for "", else a pointer to s (optional strings of the API).
func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
